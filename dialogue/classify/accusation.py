"""Accusation rules: blaming the hearer for specific conduct, without contempt.

An accusation is not one of the contract's three labels, but it is the charge that makes the next turn's
denial a deflection and it raises the arc's tension. "You lied to me" accuses; "you liar" insults.
"""

from __future__ import annotations

import re

from ..analysis import ACCUSATION, DEFLECTION, NEUTRAL
from .context import CHARGES, TurnContext, answering, needs, when
from .vocab import declare

declare(frames={
    # "you lied", "you've ruined everything", "you just broke it", "you're lying"
    "you-did": r"(?<![\w']){you}(?:'ve|'d|'re|\s+have|\s+had|\s+are|\s+were)?\s+"
               r"(?:(?:just|even|always|never|totally|completely|clearly|obviously|deliberately|again|already|"
               r"still|literally|basically|really|actually|also|then|purposely|didst|did|dost)\s+){0,2}"
               r"(?P<hit>{blame_verb})(?![\w])",
    # "you cooked curry on Monday", "thou didst take the horse": past conduct, an accusation only in a fight
    "you-past": r"(?<![\w']){you}\s+(?:(?:just|also|even|then|still|didst|did)\s+)?"
                r"(?P<hit>[a-z]{3,}ed|said|sent|took|made|did|went|told|left|gave|got|put|let|spent|brought|bought|"
                r"threw|wrote|drove|ran|came|take|steal|break)(?![\w'])",
    # "your dog was barking again", "your car is blocking my drive again": a complaint about the hearer's
    # things that keeps happening
    "your-again": r"(?<![\w']){your}\s+(?:[\w'-]+\s+){1,2}?(?:is|was|were|are|has\s+been|have\s+been|keeps?|kept)"
                  r"\b.{0,60}?\b(?:again|always|constantly|every\s+(?:single\s+)?(?:day|night|time|week))\b",
    # "you could have pinged someone", "you should've asked": a reproach for what was not done
    "you-before": r"(?<![\w']){you}\s+\Z",
    "reproach-after": r"(?:'ve|\s+have|n't\s+have|n't've)\s+"
                      r"(?!(?:seen|been|heard|tried|guessed|known|told\s+me\s+(?:sooner|earlier)))(?P<hit>[a-z]+)",
    # "you always leave", "you never listen", "you keep interrupting", "you're always late"
    "always-never": r"(?<![\w']){you}(?:'re|\s+are)?\s+(?P<hit>(?:always|never|constantly|keep|kept)\s+"
                    r"(?!(?:know|knew|see|saw|get|got|have|had|can|could|need|needed|want|wanted|find|found|hear"
                    r"|heard|go|went|think|thought|tell|told|say|said|be|been|were|was|will|would|should|must|seem"
                    r"|feel|felt|look|looked|stop|stopped|like|liked|love|loved|learn|wonder|end)\b)[\w'-]+)",
})

#: A "you" after these is generic or hypothetical ("when you forget your keys"), not an accusation.
_GENERIC = re.compile(r"\b(?:when|whenever|if|after|before|once|until|unless|as soon as|in case|whether)\s*$",
                      re.IGNORECASE)




def _aimed(ctx: TurnContext, start: int) -> bool:
    return not (ctx.negated(start) or ctx.reported(start) or _GENERIC.search(ctx.text, max(0, start - 16), start))


@needs("blame_verb", "habit")
def conduct(ctx: TurnContext) -> None:
    """The hearer as subject of blameworthy conduct: "you lied", "you never listen"."""
    if not ctx.second_person:
        return
    question = ctx.text.rstrip().endswith("?")
    for frame, factor in (("you-did", 1.0), ("always-never", 0.9)):
        if frame == "you-did" and not ctx.has("blame_verb"):
            continue
        if frame == "always-never" and not ctx.has("habit"):
            continue
        for found in ctx.frames[frame].finditer(ctx.subject):
            start = found.start()
            if not _aimed(ctx, start):
                ctx.cue("accusation.conduct", found.span(), NEUTRAL, 0.0, "conduct negated, reported or generic")
                continue
            weight = (ctx.vocab.weight("blame_verb", found.group("hit")) if frame == "you-did" else 0.65)
            ctx.cue("accusation.conduct", found.span(), ACCUSATION, weight * factor * (0.9 if question else 1.0),
                    f"blames the hearer: '{ctx.quote(found)}'")


@needs("modal")
def reproach(ctx: TurnContext) -> None:
    """A reproach for what was not done ("you could have called"), not "you should have seen it"."""
    if ctx.text.rstrip().endswith("?"):
        return
    before, after = ctx.frames["you-before"], ctx.frames["reproach-after"]
    for modal in ctx.hits("modal"):
        you = before.search(ctx.subject, max(0, modal.start() - 12), modal.start())
        if you is None:
            continue
        rest = after.match(ctx.subject, modal.end() - 3 if modal.group().endswith("'ve") else modal.end())
        if rest is not None and _aimed(ctx, you.start()):
            ctx.cue("accusation.reproach", (you.start(), rest.end()), ACCUSATION, 0.6,
                    f"reproaches the hearer: '{ctx.text[you.start():rest.end()]}'")
            return


@needs("habit")
def complaint(ctx: TurnContext) -> None:
    """A complaint about the hearer's things that keeps happening ("your dog was barking again")."""
    if not ctx.second_person:
        return
    low = ctx.subject if ctx.lowered else ctx.text.lower()
    if "again" not in low and "always" not in low and "constantly" not in low and "every" not in low:
        return  # the frame needs one of these words: skip its regex on the turns without them
    for found in ctx.frames["your-again"].finditer(ctx.subject):
        if _aimed(ctx, found.start()):
            ctx.cue("accusation.complaint", found.span(), ACCUSATION, 0.6,
                    f"complains about the hearer's repeated trouble: '{ctx.quote(found)}'")
            return


@needs("charge")
def charge(ctx: TurnContext) -> None:
    """Stock phrases of blame: "how could you", "it's your fault", "you promised"."""
    if not ctx.has("charge"):
        return
    for found in ctx.hits("charge"):
        start, end = found.span()
        if not _aimed(ctx, start):
            ctx.cue("accusation.charge", (start, end), NEUTRAL, 0.0, "charge negated or reported")
            continue
        ctx.cue("accusation.charge", (start, end), ACCUSATION, ctx.vocab.weight("charge", found.group()),
                f"charges the hearer: '{found.group()}'")


@when("charged")
def past_conduct(ctx: TurnContext) -> None:
    """In a fight, the other party's past conduct told to their face ("you cooked curry on Monday")."""
    if not (ctx.charged and ctx.second_person) or any(c.label == ACCUSATION for c in ctx.cues):
        return
    for found in ctx.frames["you-past"].finditer(ctx.subject):
        if _aimed(ctx, found.start()) and not ctx.text.rstrip().endswith("?"):
            ctx.cue("accusation.past-conduct", found.span(), ACCUSATION, 0.6,
                    f"holds the hearer's conduct against them: '{ctx.quote(found)}'")
            return


@needs("disagreement", "denial")
def pressing(ctx: TurnContext) -> None:
    """The accuser presses the charge the other side just deflected: a protest, contradiction or grievance
    ("that doesn't explain three weeks of silence", "that's not really my problem though", "this isn't okay")
    renews the accusation. Their denial and blame-shift words are not a deflection (`deflection._lexical`)."""
    # "Let me ask about planning. Your own backbenchers ...": a new topic, not the old charge again
    move = ctx.answered_move
    if move is None or move.label != DEFLECTION or ctx.has("subject_change") or not ctx.presses_own_charge():
        return
    # (not the blame-shift words: in the accuser's mouth "the strike", "the coverage" are the topic, not an
    # excuse; "not my problem" is also a disagreement)
    for category in ("disagreement", "denial"):
        for found in ctx.hits(category):
            if ctx.reported(found.start()) or (category != "disagreement" and ctx.negated(found.start())):
                continue
            if category == "disagreement" and ctx.vocab.weight("disagreement", found.group()) < 0.2:
                continue  # a bare "No, ..." is too weak to renew a charge ("Which is a no, then.")
            ctx.cue("accusation.pressing", found.span(), ACCUSATION, 0.6,
                    f"presses the charge the other side deflected: '{found.group()}'")
            return


#: The accuser letting the deflection stand: acknowledging it, agreeing or thanking.
_LETS_GO = re.compile(r"^\W*(?:ok|okay|alright|all right|fine|fair|right|i see|thanks|thank you|sure|yes|yeah|got it"
                      r"|understood|good|great|hm+|oh)\b", re.IGNORECASE)


@answering(DEFLECTION)
def renewed(ctx: TurnContext) -> None:
    """The accuser speaks again after the other side deflected the charge, and says something no rule
    labels ("I could hear him through the wall", "for about two hours", "the light was on when I got in"):
    on the annotated sets that turn renews the charge (an accusation) far more often than it drops it. Not
    a question (that asks), nor a turn that lets the deflection stand ("ok", "fair", "thanks"). Runs after
    every other rule and only when none of them found a label."""
    move = ctx.answered_move
    if move is None or move.label != DEFLECTION:  # the cheap test first
        return
    if not ctx.presses_own_charge() or ctx.labelled():
        return
    assert ctx.answered_move is not None and ctx.answered_move.responds_to is not None
    if ctx.moves[ctx.answered_move.responds_to].label not in CHARGES:
        return  # a question deflected is pressed with a question or a marker, not with any statement
    if ctx.answered is not None and ctx.answered.text.rstrip().endswith("?"):
        return  # a deflecting question ("Did I?", "What, are they dead?") gets an answer, not a charge
    text = ctx.text.strip()
    # a turn of one or two words ("wow.", "Owen.") is a reaction or a call, not a charge renewed
    if len(text.split()) < 3 or text.endswith("?") or _LETS_GO.match(text):
        return
    ctx.cue("accusation.renewed", ctx.whole_turn(), ACCUSATION, 0.55,
            "the accuser answers the deflection of their charge and does not let it go")


RULES = [
    ("accusation.conduct", conduct),
    ("accusation.charge", charge),
    ("accusation.complaint", complaint),
    ("accusation.reproach", reproach),
    ("accusation.past-conduct", past_conduct),
    ("accusation.pressing", pressing),
]

#: Rules that read what every other rule found: they run after all of them (see `default_ruler`).
LAST_RULES = [("accusation.renewed", renewed)]
