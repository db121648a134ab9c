"""Reconciliation rules: a move that repairs or de-escalates a conflict that exists.

Every repair needs a conflict before it (see `context.IN_CONFLICT`); with none, the same words are neutral
("sorry, I'm late", "you're right, it's Tuesday"). "Sorry" that asks to repeat ("sorry, what?") is never an
apology: the longer [pardon] match contains the apology cue and wins (see `resolve`).
"""

from __future__ import annotations

import re

from ..analysis import DEFLECTION, NEUTRAL, RECONCILIATION
from .context import TurnContext, needs

_SENTENCE_OPENING = re.compile(r"[\W]*(?:(?:come|now|o|oh|nay|hey|ok|okay|so|please|guys),?\s*)*", re.IGNORECASE)
_REPAIRS = (
    ("apology", "apologises"),
    ("responsibility", "takes responsibility"),
    ("concession", "concedes"),
    ("reassurance", "reassures"),
    ("affection", "shows affection"),
    ("offer", "offers to stop or make up"),
)


#: An apology that names hostile conduct of the speaker's own ("sorry for snapping", "I didn't mean to yell",
#: "that came out wrong") says there was a conflict even when nothing before it was recognised as one.
_OFFENCE = re.compile(r"\b(?:snap(?:ped|ping)?|yell(?:ed|ing)?|shout(?:ed|ing)?|(?:being|was) (?:rude|harsh|mean|a jerk)"
                      r"|out of line|came out wrong|lost my (?:temper|cool)|blew up at|(?:got|get) (?:heated|carried away)"
                      r"|took it out on you|biting your head off|came in (?:\w+ )?(?:hot|swinging)|snark\w*|(?:that|it) was (?:nasty|mean|harsh|low|cruel|unkind|uncalled for))\b", re.IGNORECASE)


def _names_offence(ctx: TurnContext) -> bool:
    return ctx.answered is not None and (ctx.has("apology") or ctx.has("responsibility")) and \
        _OFFENCE.search(ctx.text) is not None


#: Thanks that close an interview or a meeting ("Minister, thank you.", "Thanks both.", "Thank you all"):
#: addressed by title, name or to everyone; they end the talk, they accept nothing.
_SIGN_OFF = re.compile(r"\b(?:thanks|thank you)\W+(?:both|all|everyone|everybody|folks)\b"
                       r"|^\W*(?:minister|mr\.?\s+\w+|mrs\.?\s+\w+|ms\.?\s+\w+|dr\.?\s+\w+|councillor|senator|secretary|sir|madam)"
                       r"\W+(?:thanks|thank you)\W*$"
                       r"|^\W*(?:thanks|thank you)\W+(?:minister|[A-Z][a-z]+)\W*$", re.IGNORECASE)
#: "thanks to the work of our staff": a cause, not thanks.
_THANKS_TO = re.compile(r"\s+to\s+(?:the|a|an|our|your|their|his|her|all|everyone|everybody|them|this|that)\b", re.IGNORECASE)
#: A hearer's subject ("you'd need ... from now on") and a speaker's one ("I'll ... from now on").
_HEARERS = re.compile(r"(?<![\w'])(?:you|you'd|you'll|you're|u|ya|thou)(?![\w'])", re.IGNORECASE)
_SPEAKERS = re.compile(r"(?<![\w'])(?:i|i'll|i'm|i'd|i've|we|we'll|we're|we'd|we've|me|us)(?![\w'])", re.IGNORECASE)
#: Inclusive words: the speaker counts themself in the call to calm down.
_TOGETHER = re.compile(r"\b(?:we|let's|lets|us|guys|everyone|everybody|all of us|both of us)\b", re.IGNORECASE)


@needs("pardon")
def pardon(ctx: TurnContext) -> None:
    """'Sorry' that asks to repeat, interrupts or sympathises: neutral, whatever came before."""
    if not ctx.has("pardon"):
        return
    for found in ctx.hits("pardon"):
        ctx.cue("reconciliation.pardon", found.span(), NEUTRAL, ctx.vocab.weight("pardon", found.group()),
                f"'{found.group()}' is not an apology")


@needs("apology", "responsibility", "concession", "reassurance", "affection", "offer")
def repair(ctx: TurnContext) -> None:
    """Apology, responsibility, concession, reassurance, affection, offers to make up: in a conflict only."""
    repairing = (ctx.in_conflict or ctx.charged or ctx.answered_label == RECONCILIATION or ctx.pointed_question
                 or _names_offence(ctx) or ctx.repairing_lately())
    for category, what in _REPAIRS:
        if not ctx.has(category):
            continue
        for found in ctx.hits(category):
            start, end = found.span()
            if ctx.negated(start) or ctx.reported(start):
                ctx.cue("reconciliation.repair", (start, end), NEUTRAL, 0.0, f"'{found.group()}' negated or reported")
            elif category == "responsibility" and _HEARERS.search(ctx.text, ctx.clause_start(start), start) and \
                    not _SPEAKERS.search(ctx.text, ctx.clause_start(start), end):
                # "you'd need four hundred thousand a year from now on": the hearer's task, not the speaker's
                ctx.cue("reconciliation.repair", (start, end), NEUTRAL, 0.0, f"'{found.group()}' is the hearer's, not owned")
            elif repairing:
                ctx.cue("reconciliation.repair", (start, end), RECONCILIATION,
                        ctx.vocab.weight(category, found.group()), f"{what} after a conflict: '{found.group()}'")
            else:
                ctx.cue("reconciliation.repair", (start, end), NEUTRAL, 0.0,
                        f"'{found.group()}' with no conflict before it")


@needs("acceptance")
def acceptance(ctx: TurnContext) -> None:
    """Accepting an apology: "apology accepted", "I forgive you", "it's okay" after a repair."""
    if not ctx.has("acceptance"):
        return
    accepting = ctx.in_conflict or ctx.answered_label == RECONCILIATION
    for found in ctx.hits("acceptance"):
        start, end = found.span()
        if _THANKS_TO.match(ctx.text, end):
            ctx.cue("reconciliation.acceptance", (start, end), NEUTRAL, 0.0, "'thanks to' means 'because of'")
            continue
        if _SIGN_OFF.search(ctx.text):
            ctx.cue("reconciliation.acceptance", (start, end), NEUTRAL, 0.0, "thanks that close the talk, not a repair accepted")
            continue
        if ctx.negated(start) or not accepting:
            ctx.cue("reconciliation.acceptance", (start, end), NEUTRAL, 0.0, "nothing to accept")
            continue
        # thanks and "deal" accept a repair just offered; in a fight at large they are weak evidence
        factor = 1.0 if ctx.answered_label == RECONCILIATION else 0.75
        ctx.cue("reconciliation.acceptance", (start, end), RECONCILIATION,
                ctx.vocab.weight("acceptance", found.group()) * factor, f"accepts the repair: '{found.group()}'")


@needs("calming")
def calming(ctx: TurnContext) -> None:
    """Calming words: from someone outside the fight a repair; from a party answering a charge, minimising."""
    if not ctx.has("calming"):
        return
    for found in ctx.hits("calming"):
        span, weight = found.span(), ctx.vocab.weight("calming", found.group())
        if ctx.negated(found.start()):
            continue  # "don't tell me to calm down"
        if " " not in found.group() and not _SENTENCE_OPENING.fullmatch(ctx.text, ctx.sentence_start(found.start()),
                                                                          found.start()):
            continue  # a one-word call ("Peace!", "Enough!") opens its sentence; "the world's peace" is no call
        if ctx.third_party:
            ctx.cue("reconciliation.calming", span, RECONCILIATION, min(1.0, weight + 0.1),
                    f"a third party calms the fight: '{found.group()}'")
        elif ctx.charged and _TOGETHER.search(ctx.text):
            # "can we keep it civil please", "guys, this isn't helping anyone": calming that includes the
            # speaker asks both sides to stop; it does not wave the charge away
            ctx.cue("reconciliation.calming", span, RECONCILIATION, weight * 0.9,
                    f"a party calls on both sides to calm down: '{found.group()}'")
        elif ctx.charged:
            ctx.cue("reconciliation.calming", span, DEFLECTION, weight,
                    f"a party to the fight tells the other to calm down: '{found.group()}'")
        elif ctx.in_conflict:
            ctx.cue("reconciliation.calming", span, RECONCILIATION, weight * 0.8, f"calms the fight: '{found.group()}'")
        else:
            ctx.cue("reconciliation.calming", span, NEUTRAL, 0.0, "no fight to calm")


#: A first-person commitment to act ("I'll have someone out tomorrow", "we'll redo the bill"), not a
#: promise to say or think something ("I'll be honest", "I'll tell you what"), nor a refusal.
_REMEDY = re.compile(r"(?<![\w'])(?:i|we)(?:'ll|\s+will)\s+(?:(?:just|also|personally|definitely|get\s+someone\s+to)\s+)?"
                     r"(?!(?:not|never|be|see|think|tell|say|let|leave|have\s+to|need|wait|set\s+out|look\s+at|"
                     r"consider|answer|comment|get\s+back)\b)(?P<verb>[a-z]{3,})\b", re.IGNORECASE)


def _continues_own_repair(ctx: TurnContext) -> bool:
    """The turn answers the other side's acceptance of this speaker's own repair (sorry / thanks / I'll fix
    it): the speaker is still making it right."""
    move = ctx.answered_move
    if move is None or move.label != RECONCILIATION or move.responds_to is None:
        return False
    own = ctx.moves[move.responds_to]
    return ctx.turns[move.responds_to].speaker == ctx.turn.speaker and own.label == RECONCILIATION


def remedy(ctx: TurnContext) -> None:
    """The one complained at commits to put it right ("I'll have someone out tomorrow morning", "we'll redo
    the bill while you're on the phone"): a repair, when the turn answers a complaint aimed at the speaker or
    continues a repair, and no other rule labelled it. A commitment in a calm talk ("I'll call them at
    six") or from someone outside the complaint is neutral."""
    if "'ll" not in ctx.text and " will " not in ctx.text:  # a substring test first: most turns stop here
        return
    if not (ctx.strictly_charged or _continues_own_repair(ctx)):
        return
    if ctx.labelled() or ctx.text.rstrip().endswith("?"):
        return
    if ctx.questioned:
        return  # "Will the target change?" / "No. We'll keep the target": a plan asked for, not a remedy
    found = _REMEDY.search(ctx.text)
    if found is not None and not ctx.negated(found.start()):
        ctx.cue("reconciliation.remedy", found.span(), RECONCILIATION, 0.6,
                f"commits to put the complaint right: '{found.group()}'")


RULES = [
    ("reconciliation.pardon", pardon),
    ("reconciliation.repair", repair),
    ("reconciliation.acceptance", acceptance),
    ("reconciliation.calming", calming),
    ("reconciliation.remedy", remedy),
]
