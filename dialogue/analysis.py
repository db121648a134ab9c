"""The analysis model: judgements about a transcript. Frozen attrs classes, no logic beyond invariants.

`classify` fills `moves` and `exchanges`; `arc` fills `arc`; `flows` fills `flows`. Serialisation lives in
`formats.jsonio`.
"""

from __future__ import annotations

import attrs

from .model import Transcript, is_joint_voice

#: The fixed labels of the contract; `neutral` is the default. Further labels are allowed.
INSULT, DEFLECTION, RECONCILIATION, NEUTRAL, ACCUSATION, HUMOUR = (
    "insult", "deflection", "reconciliation", "neutral", "accusation", "humour")
CORE_LABELS = (INSULT, DEFLECTION, RECONCILIATION)
LABELS = (INSULT, DEFLECTION, RECONCILIATION, ACCUSATION, HUMOUR, NEUTRAL)


def _unit_interval(instance: object, attribute: attrs.Attribute, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must lie in 0..1, got {value}")


@attrs.frozen
class Cue:
    """Evidence for a label: which rule (or lexicon entry) fired, on which character span of the turn's text."""

    rule: str
    span: tuple[int, int]
    label: str = NEUTRAL
    weight: float = 0.0
    note: str = ""


@attrs.frozen
class Move:
    """The judgement of one turn: its label, a confidence in 0..1, the evidence, and the turn it answers."""

    index: int
    label: str = NEUTRAL
    score: float = attrs.field(default=0.0, validator=_unit_interval)
    cues: tuple[Cue, ...] = ()
    responds_to: int | None = None

    @property
    def deciding(self) -> tuple[Cue, ...]:
        """The evidence for the label the move got: its cues for that label (rules and weighed words), in
        order. A neutral move has none: a rule that fired on it lost (set aside, or outweighed)."""
        if self.label == NEUTRAL:
            return ()
        return tuple(c for c in self.cues if c.label == self.label)

    @property
    def also_seen(self) -> tuple[Cue, ...]:
        """The cues that did not decide: rules that fired for another label, matches set aside (negated,
        reported, a pardon) and context signals; the views fold them away."""
        if self.label == NEUTRAL:
            return self.cues
        return tuple(c for c in self.cues if c.label != self.label)


@attrs.frozen
class Exchange:
    """An initiation and the response to it (turn indexes), labelled by the response's move."""

    initiation: int
    response: int
    label: str


@attrs.frozen
class Phase:
    """A stretch of consecutive turns, `start` to `end` inclusive."""

    name: str
    start: int
    end: int


@attrs.frozen
class SpeakerFigures:
    """Per-speaker counts for the arc: attacks made, repairs offered and accepted."""

    speaker: str
    turns: int = 0
    insults: int = 0
    accusations: int = 0
    deflections: int = 0
    repairs_offered: int = 0
    repairs_accepted: int = 0
    first_attack: int | None = None
    first_repair: int | None = None

    @property
    def joint(self) -> bool:
        """A joint voice's figures (`KATE & LEO`, `ALL`): a performance, counted apart from people."""
        return is_joint_voice(self.speaker)


@attrs.frozen
class Arc:
    """The shape of the argument over time: plain data, no graphviz."""

    tension: tuple[float, ...] = ()
    phases: tuple[Phase, ...] = ()
    climax: int | None = None
    closing: str = "none"
    speakers: tuple[SpeakerFigures, ...] = ()
    escalated_first: str | None = None
    repaired_first: str | None = None
    root_cause: int | None = None
    root_cause_answered: bool | None = None
    #: Turns where humour broke the tension: a joke, tease or laugh after which the tension fell.
    humour: tuple[int, ...] = ()

    @property
    def people(self) -> tuple[SpeakerFigures, ...]:
        """The figures of the speakers who are people, in order of appearance."""
        return tuple(f for f in self.speakers if not f.joint)

    @property
    def joint_voices(self) -> tuple[SpeakerFigures, ...]:
        """The figures of the joint voices, kept apart from the people's."""
        return tuple(f for f in self.speakers if f.joint)


#: The kinds of shared flow.
RHYME, METRE = "rhyme", "metre"


@attrs.frozen
class Flow:
    """Turn `turns[1]` picks up the rhyme (or the metre) of turn `turns[0]`, sung or said by another voice.

    `words`: the rhyming words, the one in the earlier turn first (for metre, the last words of the two
    lines that share it); `strength` in 0..1: a full multisyllabic rhyme 1.0, a full one-syllable end
    rhyme 0.8, a slant rhyme 0.5 or less (docs/FLOWS.md)."""

    turns: tuple[int, int]
    kind: str
    words: tuple[str, ...] = ()
    strength: float = attrs.field(default=1.0, validator=_unit_interval)


@attrs.frozen
class Analysis:
    """A transcript with a move per turn (same order), its exchanges and its arc."""

    transcript: Transcript
    moves: tuple[Move, ...] = attrs.field()
    exchanges: tuple[Exchange, ...] = ()
    arc: Arc = attrs.field(factory=Arc)
    flows: tuple[Flow, ...] = ()

    @moves.validator
    def _one_move_per_turn(self, attribute: attrs.Attribute, value: tuple[Move, ...]) -> None:
        if len(value) != len(self.transcript.turns):
            raise ValueError(f"{len(value)} moves for {len(self.transcript.turns)} turns")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(move.label for move in self.moves)
