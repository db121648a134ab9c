"""Insult rules: a contemptuous attack aimed at the hearer.

A name-calling word is only evidence when a frame aims it at the hearer: second person ("you're a ...",
"you ..."), a vocative (", idiot."), an exclamation ("what a ...", "such a ...") or a turn of its own, and
the clause tests pass (not negated, reported, quoted, self-directed or aimed at someone absent).
"""

from __future__ import annotations

import re

from ..analysis import INSULT, NEUTRAL
from .context import TurnContext, needs
from .lexicon import declare

declare(frames={
    # "you're a complete idiot", "you people are morons", "thou art a villain"
    "you-are-epithet": r"(?<![\w']){you_are}\s+{gap}(?P<hit>{epithet})(?![\w])",
    # "you idiot", "you stupid little rat", "thou knave"
    "you-epithet": r"(?<![\w']){you}\s+{gap_voc}(?P<hit>{epithet})(?![\w])",
    # "don't be an idiot", "stop being so stupid": an imperative aimed at the hearer
    "be-epithet": r"\b(?:don't|dont|do not|stop|quit)\s+(?:be|being|acting like)\s+(?:(?:so|such|a|an|the)\s+)*"
                  r"{gap_voc}(?P<hit>{epithet}|{trait})(?![\w])",
    # "you're so stupid", "are you dumb", "you sound pathetic"
    "you-are-trait": r"(?<![\w']){you_are}\s+{gap}(?:(?:this|that)\s+)?(?P<hit>{trait})(?![\w])",
    # "your idea is stupid", "ur face is ugly"
    "your-thing-trait": r"(?<![\w']){your}\s+(?:[\w'-]+\s+){1,2}?(?:is|are|was|were|'s|sounds?|looks?|smells?)\s+"
                        r"(?:(?:so|really|just|totally|completely|fucking|pretty)\s+)?(?P<hit>{trait})(?![\w])",
    # "your stupid face", "your pathetic excuses"
    "your-trait-thing": r"(?<![\w']){your}\s+(?P<hit>{trait})\s+[\w'-]+",
    # "how stupid are you", "how dumb can you be"
    "how-trait": r"\bhow\s+(?P<hit>{trait})\s+(?:are|can|could|must)\s+(?:you|u|ya|thou)\b",
    # "what an idiot", "such a loser", "what a pathetic little man"
    "exclamation": r"\b(?:what|such)\s+(?:an?\s+)?{gap_voc}(?P<hit>{epithet})(?![\w])",
    # ", idiot." / "Idiot!" / "Move, moron" / "Listen, you clown,"
    "vocative": r"(?:^|[.!?,;:-]\s*)\W*(?:(?:you|u|ya|thou|ye)\s+)?{gap_voc}(?P<hit>{epithet})\s*(?:[.!?,;:]|$)",
    # a turn that is nothing but a put-down adjective: "Pathetic." "So stupid!"
    "lone-trait": r"^\W*(?:(?:so|how|just|utterly|totally|absolutely|completely|truly|simply)\s+)?"
                  r"(?P<hit>{trait})\W*$",
    # "nice going, Einstein", "well done, genius"
    "praise-vocative": r"(?P<hit>(?:{praise}|thanks|thank you|oh|ok|okay|sure|yeah|yes|right|wow|gee|great|"
                       r"brilliant|nice|good one)[\s,!.]+(?:{gap_voc})(?:{ironic_vocative}))(?![\w])",
    # "..., genius." at the end of a sentence
    "ironic-vocative-end": r",\s*(?P<hit>{ironic_vocative})\s*(?:[.!?]|$)",
    # "Oh, brilliant plan." / "Wow, real mature."
    "marked-praise": r"^\W*(?:(?:oh|wow|gee|yeah|well|ha|lol|great|ok|okay)\b[\s,!.]*)+(?P<hit>{praise})(?![\w])",
})

_WHAT_SUCH = re.compile(r"\b(?:what|such)\b", re.IGNORECASE)

#: How much an insult counts when only its frame (not an explicit "you") aims it at the hearer.
IMPLICIT = 0.9


@needs("epithet", "trait")
def you_epithet(ctx: TurnContext) -> None:
    """Name-calling with the hearer as explicit target: "you're a complete idiot", "you clown"."""
    if not ctx.has("epithet", "trait"):
        return
    for frame, factor in (("you-are-epithet", 1.0), ("you-epithet", 1.0), ("be-epithet", 0.85)):
        if frame != "be-epithet" and not (ctx.second_person and ctx.has("epithet")):
            continue
        for found in ctx.vocab.frame[frame].finditer(ctx.text):
            category = "epithet" if ctx.vocab.entry_for("epithet", found.group("hit")) else "trait"
            _emit(ctx, "insult.you-epithet", found, category, explicit=True, factor=factor,
                  note=f"calls the hearer '{found.group('hit')}'")


@needs("trait")
def you_trait(ctx: TurnContext) -> None:
    """Demeaning the hearer's mind, looks or character: "you're so stupid", "your idea is dumb"."""
    if not (ctx.second_person and ctx.has("trait")):
        return
    for frame, factor in (("you-are-trait", 1.0), ("how-trait", 1.0), ("your-thing-trait", 0.85),
                          ("your-trait-thing", 0.8)):
        for found in ctx.vocab.frame[frame].finditer(ctx.text):
            _emit(ctx, "insult.you-trait", found, "trait", explicit=True, factor=factor,
                  note=f"calls the hearer (or theirs) '{found.group('hit')}'")


@needs("epithet")
def exclamation(ctx: TurnContext) -> None:
    """ "What an idiot", "such a loser": an insult unless aimed at the speaker or someone absent."""
    if not (ctx.has("epithet") and _WHAT_SUCH.search(ctx.text)):
        return
    for found in ctx.vocab.frame["exclamation"].finditer(ctx.text):
        _emit(ctx, "insult.exclamation", found, "epithet", factor=IMPLICIT,
              note=f"exclaims '{found.group('hit')}' at the hearer")


@needs("epithet", "trait")
def vocative(ctx: TurnContext) -> None:
    """A name-calling word addressed to the hearer: ", idiot.", "Moron!", "Pathetic." on its own."""
    if ctx.has("epithet"):
        for found in ctx.vocab.frame["vocative"].finditer(ctx.text):
            _emit(ctx, "insult.vocative", found, "epithet", factor=IMPLICIT,
                  note=f"addresses the hearer as '{found.group('hit')}'")
    if len(ctx.text) > 40 or not ctx.has("trait"):
        return
    for found in ctx.vocab.frame["lone-trait"].finditer(ctx.text):
        _emit(ctx, "insult.vocative", found, "trait", factor=0.85 if ctx.in_conflict or ctx.answered else 0.7,
              note=f"a turn of nothing but '{found.group('hit')}'")


@needs("dismissal")
def dismissal(ctx: TurnContext) -> None:
    """Contemptuous imperatives and stock put-downs: "shut up", "get a life", "nobody asked you"."""
    if not ctx.has("dismissal"):
        return
    for found in ctx.hits("dismissal"):
        start, end = found.span()
        if ctx.negated(start) or ctx.reported(start) or ctx.aimed_elsewhere(start, end):
            ctx.cue("insult.dismissal", (start, end), NEUTRAL, 0.0, "put-down negated, reported or aimed elsewhere")
            continue
        ctx.cue("insult.dismissal", (start, end), INSULT, ctx.vocab.weight("dismissal", found.group()),
                f"dismisses the hearer: '{found.group()}'")


@needs("praise", "ironic_vocative")
def sarcasm(ctx: TurnContext) -> None:
    """Sarcastic praise: with a mock title ("nice going, Einstein") always; marked praise ("oh, brilliant
    plan") only in a conflict or right after a charge, where praise cannot be meant."""
    if not ctx.has("praise", "ironic_vocative"):
        return
    for frame, weight in (("praise-vocative", 0.85), ("ironic-vocative-end", 0.7)):
        if not ctx.has("ironic_vocative"):
            break
        for found in ctx.vocab.frame[frame].finditer(ctx.text):
            if not ctx.negated(found.start("hit")):
                ctx.cue("insult.sarcasm", found.span("hit"), INSULT, weight,
                        f"mock title in '{found.group('hit')}'")
    hostile = ctx.in_conflict or ctx.charged
    for found in ctx.vocab.frame["marked-praise"].finditer(ctx.text):
        weight = ctx.vocab.weight("praise", found.group("hit"))
        ctx.cue("insult.sarcasm", found.span("hit"), INSULT if hostile else NEUTRAL,
                min(1.0, weight + 0.25) if hostile else 0.0,
                "sarcastic praise in a conflict" if hostile else "praise with no conflict: taken at its word")
    if hostile and len(ctx.text) < 60:
        for found in ctx.hits("praise"):
            if not any(c.rule == "insult.sarcasm" for c in ctx.cues):
                ctx.cue("insult.sarcasm", found.span(), INSULT, ctx.vocab.weight("praise", found.group()),
                        "praise in the middle of a fight")


def _emit(ctx: TurnContext, rule: str, found: re.Match[str], category: str, explicit: bool = False,
          factor: float = 1.0, note: str = "") -> None:
    start, end = found.span("hit")
    if not ctx.targets_hearer(start, end, explicit=explicit):
        ctx.cue(rule, (start, end), NEUTRAL, 0.0, f"'{found.group('hit')}' negated, reported or aimed elsewhere")
        return
    ctx.cue(rule, (found.start(), end), INSULT, ctx.vocab.weight(category, found.group("hit")) * factor, note)


RULES = [
    ("insult.you-epithet", you_epithet),
    ("insult.you-trait", you_trait),
    ("insult.exclamation", exclamation),
    ("insult.vocative", vocative),
    ("insult.dismissal", dismissal),
    ("insult.sarcasm", sarcasm),
]
