"""Echoes and mirrors: replies whose meaning is the turn they answer.

"Same to you" after an insult is an insult, after "have a nice day" it is neutral, and "you too" after
"I love you" is reconciliation; an echo of an accusation ("so did you") is a tu quoque deflection. A reply
that turns the other's insult back on them ("And you're a bigger coward") is a counter-attack: an insult.
"""

from __future__ import annotations

import re

from ..analysis import ACCUSATION, DEFLECTION, INSULT, NEUTRAL, RECONCILIATION
from .context import TurnContext, answering, needs

#: What an echo of each label is.
ECHOED = {INSULT: INSULT, RECONCILIATION: RECONCILIATION, ACCUSATION: DEFLECTION, DEFLECTION: DEFLECTION}
#: At most this many letters of the reply may lie outside the echo ("Well, same to you, pal!").
SLACK = 14

#: At most this many name-calling words of the answered turn are looked for in the reply.
MAX_WORDS = 8
_NOT_LETTERS = re.compile(r"[\W\d_]+")
#: ("yourself" only as a retort, "you're one yourself", "look at yourself": not "you can read it yourself")
_COMPARATIVE = re.compile(r"\b(?:bigger|worse|biggest|worst|more of an?|even more|the real|(?:one|look\s+at) yourself|twice the)\b",
                          re.IGNORECASE)
_LAST_WORD = re.compile(r"([\w'-]+)\W*$")


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


@needs("echo")
def echo(ctx: TurnContext) -> None:
    """A short reply that hands back what was said takes the label of the turn it answers."""
    if ctx.answered is None or not ctx.has("echo"):
        return
    total = None
    for found in ctx.hits("echo"):
        # letters are counted only when the characters around the echo could be too many (long turns)
        if len(ctx.text) - len(found.group()) > SLACK:
            total = _letters(ctx.text) if total is None else total
            if total - _letters(found.group()) > SLACK:
                continue
        label = ECHOED.get(ctx.answered_label, NEUTRAL)
        ctx.cue("echo.echo", found.span(), label, 0.95 if label != NEUTRAL else 0.0,
                f"echoes turn {ctx.answered.index} ({ctx.answered_label})")
        return


@needs("mirror")
def mirror(ctx: TurnContext) -> None:
    """Playground retorts ("takes one to know one", "no, you are") turn an attack back: an insult."""
    if not ctx.has("mirror"):
        return
    hostile = ctx.charged or ctx.in_conflict
    for found in ctx.hits("mirror"):
        ctx.cue("echo.mirror", found.span(), INSULT if hostile else NEUTRAL,
                ctx.vocab.weight("mirror", found.group()) if hostile else 0.0,
                "turns the attack back on the attacker" if hostile else "retort with no attack to return")


@answering(INSULT)
def counter_attack(ctx: TurnContext) -> None:
    """After an insult, a second-person reply that reuses its name-calling word or outbids it."""
    move = ctx.answered_move  # the attribute, not the `answered_label` property: this runs on every turn
    if move is None or move.label != INSULT or ctx.answered is None or not ctx.second_person:
        return
    if any(c.label == INSULT for c in ctx.cues):
        return
    assert ctx.answered_move is not None
    for cue in [c for c in ctx.answered_move.cues if c.label == INSULT][:MAX_WORDS]:
        word = _LAST_WORD.search(ctx.answered.text[cue.span[0]:cue.span[1]])
        if word and (ctx.vocab.entry_for("epithet", word.group(1)) or ctx.vocab.entry_for("trait", word.group(1))):
            found = re.search(rf"(?<![\w']){re.escape(word.group(1))}(?![\w])", ctx.text, re.IGNORECASE)
            if found and ctx.targets_hearer(found.start(), found.end(), explicit=True):
                ctx.cue("echo.counter-attack", found.span(), INSULT, 0.8,
                        f"turns '{word.group(1)}' back on the speaker of turn {ctx.answered.index}")
                return
    found = _COMPARATIVE.search(ctx.text)
    if found:
        ctx.cue("echo.counter-attack", found.span(), INSULT, 0.75, "outbids the insult it answers")


RULES = [
    ("echo.echo", echo),
    ("echo.mirror", mirror),
    ("echo.counter-attack", counter_attack),
]
