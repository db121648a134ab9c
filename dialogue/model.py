"""The transcript model: what was said, by whom, where in the source. Frozen attrs classes with tuples.

This module owns the shape of a parsed transcript and nothing else: no parsing, no judgement, no output.
Build from outside formats with the `from_*` constructors; change with `attrs.evolve`.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import attrs

#: The dialects the parser knows, in the order detection prefers them on a tie.
DIALECTS = ("chat", "whatsapp", "irc", "play", "screenplay", "lyrics", "webvtt", "srt")


#: First words of a speaker name that stands for several people at once (a play's `ALL`, `BOTH`,
#: `All Conspirators`, `Both Tribunes`), and whole names that do.
_COLLECTIVE_FIRST = frozenset({"all", "both"})
_COLLECTIVE = frozenset({"everyone", "everybody", "together", "omnes", "crowd"})


def is_joint_voice(name: str) -> bool:
    """Is `name` a joint voice, a performance by several people rather than a person: members joined with
    ` & ` (`KATE & LEO`) or a collective name (`ALL`, `BOTH`, `Both Tribunes`, `Everyone`)?

    A `Chorus` is not one: in a play it is often a single actor. Plural groups (`Citizens`) are not
    recognised either: a name cannot tell a group from a surname.
    """
    if " & " in name:   # as the parser joins members (`AT&T` is one name)
        return sum(1 for part in name.split(" & ") if part.strip()) > 1
    words = name.casefold().split()
    return bool(words) and (words[0] in _COLLECTIVE_FIRST or " ".join(words) in _COLLECTIVE)


@attrs.frozen
class Speaker:
    """A canonical speaker. A joint voice (`[Chorus: A & B]`) has `members`; `aliases` come from a cast list."""

    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    @property
    def is_joint(self) -> bool:
        """A performance by several people (members `A & B`, or `ALL`, `BOTH`), not a person."""
        return len(self.members) > 1 or is_joint_voice(self.name)


@attrs.frozen
class Direction:
    """Text that is not speech: a stage direction, parenthetical, ad-lib, action, comment or system line.

    `turn` is the index of the turn it belongs to, or None when it stands between turns.
    """

    text: str
    line: int
    column: int = 1
    kind: str = "direction"
    turn: int | None = None


@attrs.frozen
class Section:
    """A labelled stretch of the transcript: a lyric section (`[Verse 1: A]`) or a screenplay scene."""

    name: str
    line: int
    kind: str = "section"
    performers: tuple[str, ...] = ()


@attrs.frozen
class Diagnostic:
    """A problem found while reading: a line that fit no rule (skipped, with a warning) or a fatal error."""

    message: str
    line: int
    column: int = 1
    severity: str = "warning"

    def located(self, source: str) -> str:
        return f"{source}:{self.line}:{self.column}: {self.severity}: {self.message}"


def _non_negative(instance: object, attribute: attrs.Attribute, value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen
class Turn:
    """One speaker's turn: `text` is only what was said, lines joined with a newline."""

    index: int = attrs.field(validator=_non_negative)
    speaker: str
    text: str
    line: int
    column: int = 1
    section: str | None = None
    gold: str | None = None
    timestamp: str | None = None
    end: str | None = None
    extension: str | None = None
    directions: tuple[Direction, ...] = ()

    @property
    def adlibs(self) -> tuple[str, ...]:
        return tuple(d.text for d in self.directions if d.kind == "adlib")


@attrs.frozen
class Transcript:
    """A parsed transcript: ordered turns and everything around them."""

    turns: tuple[Turn, ...] = attrs.field()
    source: str = "<input>"
    dialect: str = "chat"
    sections: tuple[Section, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    directions: tuple[Direction, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    warnings: tuple[Diagnostic, ...] = ()

    @turns.validator
    def _indexes_in_order(self, attribute: attrs.Attribute, value: tuple[Turn, ...]) -> None:
        for position, turn in enumerate(value):
            if turn.index != position:
                raise ValueError(f"turn {position} carries index {turn.index}")

    @property
    def speaker_names(self) -> tuple[str, ...]:
        """Distinct turn speakers in order of first appearance (people and joint voices)."""
        return tuple(dict.fromkeys(turn.speaker for turn in self.turns))

    @property
    def people(self) -> tuple[str, ...]:
        """The speakers who are people: `speaker_names` without the joint voices."""
        return tuple(name for name in self.speaker_names if not is_joint_voice(name))

    @property
    def joint_voices(self) -> tuple[str, ...]:
        """The joint voices (`KATE & LEO`, `ALL`): performances, counted apart from people."""
        return tuple(name for name in self.speaker_names if is_joint_voice(name))

    def __len__(self) -> int:
        return len(self.turns)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], source: str = "<input>",
                   dialect: str = "chat") -> "Transcript":
        """Build from `(speaker, text)` pairs, one turn each, numbered from line 1."""
        turns = tuple(Turn(index=i, speaker=speaker, text=text, line=i + 1)
                      for i, (speaker, text) in enumerate(pairs))
        return cls(turns=turns, source=source, dialect=dialect,
                   speakers=tuple(Speaker(name) for name in dict.fromkeys(t.speaker for t in turns)))

    @classmethod
    def from_turns(cls, turns: Iterable[Turn], **fields: object) -> "Transcript":
        """Build from turns whose indexes may be stale: they are renumbered in order."""
        ordered = tuple(attrs.evolve(turn, index=i) for i, turn in enumerate(turns))
        if "speakers" not in fields:
            fields["speakers"] = tuple(Speaker(n) for n in dict.fromkeys(t.speaker for t in ordered))
        return cls(turns=ordered, **fields)  # type: ignore[arg-type]

    @property
    def meta(self) -> Mapping[str, str]:
        return dict(self.metadata)
