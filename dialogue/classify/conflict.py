"""Conflict signals that are not labels: contradiction and exasperation ("that's not true", "unbelievable").

They label nothing themselves, but raise the conflict level and make the turn a charge for the next one, so
an argument that starts without an insult or a clear accusation is still an argument for the rules after it.
"""

from __future__ import annotations

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


RULES = [(RULE, disagreement)]
