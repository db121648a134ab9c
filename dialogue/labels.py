"""The labels a move can carry: one record per label, read by every stage that treats labels differently.

This module owns what a label *is* to the program: its name, its rank on a tie, the part it plays in a
fight (it attacks, deflects, repairs, relieves, or nothing), how much it adds to the classifier's conflict
level and to the arc's tension, and how the pictures draw it. Classification, the arc, the renderers, the
JSON Schema check and `dialogue eval` all read `REGISTRY`; adding a label is one `Label` entry here plus
the rules (or training data) that produce it. The meaning of each label is in docs/LABELS.md.
"""

from __future__ import annotations

import attrs

#: Parts a label plays in a fight.
ATTACK, CHARGE, DEFENCE, REPAIR, RELIEF, NONE = "attack", "charge", "defence", "repair", "relief", "none"


@attrs.frozen
class Label:
    """One label. `conflict` is what a move with it adds to the classifier's conflict level; `tension`
    what it adds to the arc's tension (attacks only); the drawing is (colour, line style, arrowhead, pen
    width, legend glyph): colour is never the only channel."""

    name: str
    role: str
    conflict: float = 0.0
    tension: float = 0.0
    colour: str = "#37474f"
    line: str = "bold"
    arrowhead: str = "diamond"
    pen: str = "1.6"
    glyph: str = "◆◆◆◆"
    edge_colour: str | None = None

    @property
    def fights(self) -> bool:
        """An attack, a charge or a deflection: a move that keeps the fight going."""
        return self.role in (ATTACK, CHARGE, DEFENCE)

    @property
    def edge(self) -> tuple[str, str, str, str]:
        return (self.edge_colour or self.colour, self.line, self.arrowhead, self.pen)


#: Every label, in priority order: on a tie the earlier one wins (an insult outranks what it might also be).
REGISTRY: tuple[Label, ...] = (
    Label("insult", ATTACK, conflict=1.0, tension=0.40, colour="#c62828", line="solid", arrowhead="normal",
          pen="3.0", glyph="━━━▶"),
    Label("deflection", DEFENCE, conflict=0.5, colour="#6a1b9a", line="dotted", arrowhead="tee", pen="2.2",
          glyph="┅┅┅┫"),
    Label("reconciliation", REPAIR, colour="#2e7d32", line="solid", arrowhead="dot", pen="1.4", glyph="═══●",
          edge_colour="#2e7d32:#ffffff:#2e7d32"),
    Label("accusation", CHARGE, conflict=0.6, tension=0.25, colour="#e65100", line="dashed", arrowhead="vee",
          pen="2.0", glyph="╍╍╍▼"),
    Label("humour", RELIEF, colour="#00838f", line="dashed", arrowhead="odot", pen="1.6", glyph="╌╌╌○"),
    Label("neutral", NONE, colour="#616161", line="solid", arrowhead="normal", pen="1.0", glyph="───▶",
          edge_colour="#9e9e9e"),
)
BY_NAME = {label.name: label for label in REGISTRY}
#: Names, in priority order; `neutral` is the default.
NAMES = tuple(label.name for label in REGISTRY)
#: A label the registry does not know (a user's own, from their training data) is drawn and counted thus.
UNKNOWN = Label("?", NONE)


def get(name: str) -> Label:
    """The record of `name`; an unknown label gets the neutral part and the "other" drawing."""
    return BY_NAME.get(name) or attrs.evolve(UNKNOWN, name=name)


def register(label: Label) -> None:
    """Add (or replace) a label: it is drawn, ranked after the built-in ones and scored by `dialogue eval`."""
    global REGISTRY, BY_NAME, NAMES
    REGISTRY = tuple(known for known in REGISTRY if known.name != label.name) + (label,)
    BY_NAME = {known.name: known for known in REGISTRY}
    NAMES = tuple(known.name for known in REGISTRY)
