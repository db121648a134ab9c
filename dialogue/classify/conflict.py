"""Conflict signals that are not labels: contradiction and exasperation ("that's not true", "unbelievable").

They label nothing themselves, but raise the conflict level and make the turn a charge for the next one, so
an argument that starts without an insult or a clear accusation is still an argument for the rules after it.
"""

from __future__ import annotations

import re

from ..analysis import NEUTRAL
from .context import TurnContext, needs

RULE = "conflict.disagreement"


@needs("disagreement")
def disagreement(ctx: TurnContext) -> None:
    """Contradiction and exasperation raise the conflict (by the entry's weight) but label nothing."""
    for found in ctx.hits("disagreement"):
        if ctx.reported(found.start()):
            continue
        weight = ctx.vocab.weight("disagreement", found.group())
        ctx.stir = max(ctx.stir, weight)
        ctx.cue(RULE, found.span(), NEUTRAL, 0.0, f"contradicts or protests: '{found.group()}' (conflict +{weight})")


#: A reply that opens by handing back one to three of the other's words as a question ("Estimated?",
#: "Slightly?", "On course?"): incredulity, a protest against what was just said.
ECHO_RULE = "conflict.incredulous-echo"
#: (words start with a word character, so the leading `\W*` and the words never compete for a character:
#: no backtracking on "------")
_ECHO_QUESTION = re.compile(r"^\W*(?P<words>\w[\w'-]*(?:\s+\w[\w'-]*){0,2})\s*\?+")
#: Words too common to carry an echo ("what?", "you?", "and?", "really?" are other moves).
_NOT_ECHO = frozenset({"what", "who", "why", "how", "when", "where", "which", "you", "me", "and", "so", "really", "sorry",
                       "pardon", "huh", "eh", "yes", "no", "ok", "okay", "right", "seriously", "is", "it", "that", "this",
                       "i", "a", "the", "did", "do", "does", "are", "was", "were", "can", "will", "like"})
#: How much an incredulous echo raises the conflict.
ECHO_STIR = 0.3


def incredulous_echo(ctx: TurnContext) -> None:
    """ "Estimated? I sent you a reading in March": the other's own word handed back as a question protests it.
    No label, but the conflict rises and the turn counts as a charge for the reply (like `disagreement`)."""
    if ctx.answered is None or ctx.text.find("?", 0, 40) < 0:  # a substring test: most turns stop here
        return
    found = _ECHO_QUESTION.match(ctx.text)
    if found is None:
        return
    words = found.group("words").lower()
    if words in _NOT_ECHO or all(w in _NOT_ECHO for w in words.split()):
        return
    said = ctx.answered.text.lower()
    # a substring test before the word-bounded search (whose pattern is built per turn)
    if words not in said or re.search(rf"(?<![\w']){re.escape(words)}(?![\w'])", said) is None:
        return
    ctx.stir = max(ctx.stir, ECHO_STIR)
    ctx.cue(ECHO_RULE, found.span("words"), NEUTRAL, 0.0, f"hands back '{words}' as a question: a protest (conflict +{ECHO_STIR})")


#: Rules whose cue makes the next turn a reply to a charge (see `TurnContext._charged`).
STIRRING = frozenset({RULE, ECHO_RULE})

RULES = [(RULE, disagreement), (ECHO_RULE, incredulous_echo)]
