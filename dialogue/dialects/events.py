"""Events: what the grammar found, in source order, before speakers and turns are settled.

Transformers emit these; `dialogue.parse` turns them into a Transcript. Plain slotted classes: millions
are made on large inputs, so they stay as light as a tuple.
"""

from __future__ import annotations

from typing import NamedTuple

from lark import Token


def where(token: Token) -> tuple[int, int]:
    """A token's 1-based line and column (lark types them as optional)."""
    return token.line or 1, token.column or 1


class Utterance(NamedTuple):
    """A speaker's words. `text` may span lines and still hold directions and a gold `{label}`."""

    speaker: str
    text: str
    line: int
    column: int = 1
    timestamp: str | None = None
    note: str | None = None        # a direction in the cue itself: `NAME (quietly):`
    extension: str | None = None   # screenplay extension: V.O., O.S., CONT'D
    end: str | None = None         # end time (subtitles)
    text_line: int = 0             # where the words start when not on the cue's line (0: same line)
    joins: bool = False            # continues an open turn by the same speaker (a lyric line, a subtitle cue)


class Continuation(NamedTuple):
    """A line that continues the utterance before it (a multi-line chat message)."""

    text: str
    line: int
    column: int = 1


class Note(NamedTuple):
    """Text that is not speech: `kind` is direction, action, comment, system, transition, ..."""

    text: str
    line: int
    column: int = 1
    kind: str = "direction"


class Heading(NamedTuple):
    """The start of a section (lyric header, act or scene heading, screenplay scene)."""

    name: str
    line: int
    kind: str = "section"
    performers: tuple[str, ...] = ()


class Meta(NamedTuple):
    """Front matter or a title page: `key: value` pairs; `cast` pairs map aliases to speakers."""

    pairs: tuple[tuple[str, str], ...]
    line: int
    cast: tuple[tuple[str, str], ...] = ()


#: What becomes of a line that fits no rule when it is only a warning. With `strict` it is an error, and the
#: message says only what is wrong (`as_error`).
SKIPPED = "; skipped"
KEPT_AS_SPEECH = ": kept as speech"
KEPT_AS_DIRECTION = "; kept as a direction"
KEPT_WITHOUT_TIMES = ": its cue is kept without times"


def as_error(message: str) -> str:
    """A warning's message as an error's: without what would have been done with the line."""
    for consequence in (SKIPPED, KEPT_AS_SPEECH, KEPT_AS_DIRECTION, KEPT_WITHOUT_TIMES):
        message = message.removesuffix(consequence)
    return message


class Problem(NamedTuple):
    """A line that fits no rule; it becomes a warning (or, with strict, an error)."""

    message: str
    line: int
    column: int = 1


Event = Utterance | Continuation | Note | Heading | Meta | Problem
