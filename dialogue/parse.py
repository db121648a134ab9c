"""Text -> Transcript. Runs the dialect's grammar (its Transformer maps rules to events during parsing),
then settles speakers, sections, directions and gold labels into the model.

Owns: dialect dispatch, error recovery (a line that fits no rule is a warning, or with `strict` an error),
speaker normalisation and cast aliases. Knows nothing of classification or output.
"""

from __future__ import annotations

import gc
import os
import re
import warnings
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

import attrs
from lark import Lark, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import grammars
from .cleanup import POLICY, clean
from .detect import detect
from .dialects.events import (
    KEPT_AS_DIRECTION,
    SKIPPED,
    Continuation,
    Heading,
    Meta,
    Note,
    Problem,
    Utterance,
    as_error,
)
from .errors import PathAsTextWarning, TranscriptError, UsageError
from .model import DIALECTS, Diagnostic, Direction, Section, Speaker, Transcript, Turn
from .textio import read_text


@lru_cache(maxsize=1)
def _transformers() -> dict[str, Any]:
    """The Transformer of each dialect family's grammar."""
    # lazy: start-up time (`import dialogue` loads no dialect until a parse needs one: about 10 ms)
    from .dialects.chat import ChatTransformer
    from .dialects.lyrics import LyricsTransformer
    from .dialects.play import PlayTransformer
    from .dialects.screenplay import ScreenplayTransformer
    from .dialects.subtitles import SubtitlesTransformer
    return {"chat": ChatTransformer, "play": PlayTransformer, "lyrics": LyricsTransformer,
            "screenplay": ScreenplayTransformer, "subtitles": SubtitlesTransformer}


def _parser(family: str) -> Lark:
    transformer = _transformers().get(family)
    if transformer is None:
        raise UsageError(f"the {family} dialect family is not available")
    return grammars.parser(family, transformer)


def parse_file(path: str | os.PathLike[str], dialect: str | None = None, strict: bool = False,
               encoding: str | None = None) -> Transcript:
    """Read and parse a transcript file (`-` is standard input)."""
    name = os.fspath(path)
    text = read_text(name, encoding=encoding)
    return parse_text(text, "<stdin>" if name == "-" else name, dialect, strict)


def parse(text: str | os.PathLike[str], source: str = "<input>", dialect: str | None = None,
          strict: bool = False) -> Transcript:
    """Parse `text` into a Transcript; the dialect is detected unless given.

    A `pathlib.Path` (any `os.PathLike`) is read as a file, like `parse_file` (UTF-8; `parse_file` takes an
    encoding). A `str` is always the text itself: when it is the name of an existing file and no turn is found
    in it, a `PathAsTextWarning` says to use `parse_file`.
    Lines that fit no rule become `Transcript.warnings`; with `strict` the first one raises TranscriptError.
    """
    if isinstance(text, os.PathLike):
        name = os.fsdecode(text)
        return parse_text(read_text(name), name if source == "<input>" else source, dialect, strict)
    if not isinstance(text, str):
        raise TypeError(f"parse() takes text (str) or a path (pathlib.Path), not {type(text).__name__}; "
                        "decode bytes first")
    transcript = parse_text(text, source, dialect, strict)
    name = text.rstrip("\r\n")
    if not transcript.turns and _names_a_file(name):
        warnings.warn(PathAsTextWarning(
            f"dialogue.parse() read {name!r} as transcript text and found no turns; it is the name of a file: "
            f"to read the file, call dialogue.parse_file({name!r}) or pass a pathlib.Path"), stacklevel=2)
    return transcript


def _names_a_file(name: str) -> bool:
    """Whether `name` is short, one line, and names an existing file (the mistake `parse` warns of)."""
    if not name or len(name) > 4096 or "\n" in name:
        return False
    try:
        return os.path.isfile(name)
    except (OSError, ValueError):   # a NUL byte, a name too long for the system
        return False


def parse_text(text: str, source: str = "<input>", dialect: str | None = None, strict: bool = False) -> Transcript:
    """`parse` of a `str` known to be the text (no check for a file name): line ends, a BOM and NUL bytes
    settled, then the grammar. `parse_file` and `pipeline.read_transcript` call it."""
    if dialect is not None and dialect not in DIALECTS:
        raise UsageError(f"unknown dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a library caller: they could never be written out
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    if not text.endswith("\n"):
        text += "\n"
    dialect = dialect or detect(text)
    problems: list[Problem] = []
    # The cyclic collector made long parses superlinear (in the grammar run and in building the turns);
    # a parse makes no reference cycles worth chasing.
    with collector_paused():
        # the event list goes straight to the assembler, which frees it once the drafts are made
        return _Assembler(source, dialect, strict).build(_run_grammar(text, dialect, source, strict, problems),
                                                         problems)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for work that builds many objects and no cycles worth chasing
    (a parse, an analysis), and restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_grammar(text: str, dialect: str, source: str, strict: bool, problems: list[Problem]) -> list:
    parser = _parser(grammars.FAMILY[dialect])

    def recover(error: UnexpectedInput) -> bool:
        problem = _problem(error, text)
        if strict:
            raise TranscriptError(as_error(problem.message), problem.line, problem.column, source,
                                  context=error.get_context(text, 60))
        problems.append(problem)
        if isinstance(error, UnexpectedCharacters):
            # skip to the end of the offending line and go on
            state = error.interactive_parser.lexer_thread.state
            if state is not None:
                end = text.find("\n", error.pos_in_stream)
                state.line_ctr.feed(text[error.pos_in_stream:(len(text) if end < 0 else end + 1)])
        return True

    try:
        result = parser.parse(text, on_error=recover)
    except UnexpectedInput as error:
        problem = _problem(error, text)
        raise TranscriptError(problem.message, problem.line, problem.column, source,
                              context=error.get_context(text, 60)) from None
    except RecursionError:
        raise TranscriptError("input nests too deeply to read", 0, 0, source) from None
    return _flatten(result)  # type: ignore[arg-type]  # the transformer's `start` returns a list


def _problem(error: UnexpectedInput, text: str) -> Problem:
    """Name the problem by the unexpected character or token (not by match_examples, unreliable on LALR)."""
    line, column = getattr(error, "line", 0) or 0, getattr(error, "column", 0) or 0
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        what = f"unexpected character {char!r}" if char.strip() else "unexpected white space"
        return Problem(f"{what}: this line fits no rule of the dialect{SKIPPED}", line, column)
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return Problem("unexpected end of input", line, column)
        return Problem(f"unexpected {_describe(token.type)}: this line fits no rule here{SKIPPED}",
                       line, column)
    return Problem(f"this line fits no rule of the dialect{SKIPPED}", line, column)


def _describe(token_type: str) -> str:
    return token_type.lower().replace("_", " ").strip() or "token"


def _flatten(items: Iterable[Any]) -> list:
    out: list = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        elif item is not None:
            out.append(item)
    return out


@attrs.define(slots=True, eq=False)   # compared by identity: a draft is a place, not a value
class _Draft:
    """A turn being assembled: its lines grow (continuations, joined cues) until the next turn starts."""

    speaker: str                 # canonical name
    lines: list[str]             # raw text lines, joined with a newline when the turn is built
    line: int                    # where the turn (its cue) starts
    column: int
    section: str | None
    timestamp: str | None
    end: str | None              # subtitles: the last cue's end time
    extension: str | None        # screenplay: (V.O.), (O.S.) ...
    notes: list[Direction]       # the cue's own parenthetical
    text_line: int               # where the text starts (below the cue in a screenplay)
    text_column: int
    cued: bool                   # named by a cue of its own, not inherited from the floor


class _Assembler:
    """Events -> Transcript: one pass, keeping the open turn, the current section and the speakers seen."""

    def __init__(self, source: str, dialect: str, strict: bool) -> None:
        self.source, self.dialect, self.strict = source, dialect, strict
        self.policy = POLICY[dialect]
        self.drafts: list[_Draft] = []
        self.sections: list[Section] = []
        self.section: str | None = None
        self.performers: tuple[str, ...] = ()
        self.voice: str | None = None           # lyrics: who sings an uncued line
        self.directions: list[Direction] = []
        self.metadata: list[tuple[str, str]] = []
        self.aliases: dict[str, str] = {}       # casefolded spelling -> canonical name
        self.resolved: dict[str, str] = {}      # spelling as written -> canonical name
        self.warnings: list[Diagnostic] = []
        self.known_performers: set[str] = set()
        self.any_performers = False

    # -- events --------------------------------------------------------------------------------------
    def build(self, events: list, problems: list[Problem]) -> Transcript:
        for problem in problems:
            self._warn(problem.message, problem.line, problem.column)
        if self.dialect == "lyrics":
            heads = [e for e in events if type(e) is Heading and e.performers]
            self.any_performers = bool(heads)
            self.known_performers = {p.casefold() for e in heads for p in e.performers}
        handlers: dict[type, Callable[[Any], None]] = {Utterance: self._utterance, Continuation: self._continuation, Note: self._note,
                    Heading: self._heading, Meta: self._meta, Problem: self._problem}
        for event in events:
            handlers[type(event)](event)
        events.clear()  # the drafts hold what is still needed; free the rest before the turns are built
        return self._finish()

    def _utterance(self, e: Utterance) -> None:
        speaker = e.speaker
        if self.dialect == "lyrics" and speaker and e.text and not self._plausible_lyric_cue(speaker):
            e = e._replace(speaker="", text=f"{speaker}: {e.text}", joins=True)
            speaker = ""
        if speaker:
            self.voice = speaker
            if self.dialect == "lyrics":
                self.known_performers.add(speaker.casefold())
        else:
            # no cue: whoever has the floor (the last cued voice, else the section's performers)
            speaker = self.voice or self._joint(self.performers) or "Unknown"
        canon = self._canon(speaker)
        last = self.drafts[-1] if self.drafts else None
        if (e.joins and last is not None and last.speaker == canon and last.section == self.section
                and not last.lines[-1].rstrip().endswith("}")):  # a gold `{label}` closes its turn
            last.lines.append(e.text)
            if e.end:
                last.end = e.end   # a turn over several subtitle cues ends with the last
            return
        notes = [Direction(e.note, e.line, e.column, self.policy.paren or "direction")] if e.note else []
        text_line = e.text_line or e.line
        text_col = 1 if e.text_line else e.column + max(len(e.speaker), 1)
        self.drafts.append(_Draft(canon, [e.text], e.line, e.column, self.section, e.timestamp, e.end,
                                  e.extension, notes, text_line, text_col, bool(e.speaker)))

    def _plausible_lyric_cue(self, name: str) -> bool:
        """In a lyric sheet `Listen: ...` is sung; a cue names a performer, is in capitals, or is all there is."""
        return (not self.any_performers or name.casefold() in self.known_performers
                or name.casefold() in self.aliases or name.isupper())

    def _continuation(self, e: Continuation) -> None:
        if self.drafts:
            self.drafts[-1].lines.append(e.text)
        elif e.text.strip():
            self.directions.append(Direction(e.text.strip(), e.line, e.column, "text"))
            self._warn(f"text before the first speaker{KEPT_AS_DIRECTION}", e.line, e.column)

    def _note(self, e: Note) -> None:
        self.directions.append(Direction(e.text, e.line, e.column, e.kind))

    def _heading(self, e: Heading) -> None:
        self.section = e.name
        self.performers = tuple(self._canon(p) for p in e.performers)
        self.voice = None
        self.sections.append(Section(e.name, e.line, e.kind, self.performers))

    def _meta(self, e: Meta) -> None:
        self.metadata.extend(e.pairs)
        self.resolved.clear()
        for name, alias in e.cast:
            canonical = " ".join(name.split())
            self.aliases[canonical.casefold()] = canonical
            self.aliases[" ".join(alias.split()).casefold()] = canonical

    def _problem(self, e: Problem) -> None:
        self._warn(e.message, e.line, e.column)

    def _warn(self, message: str, line: int, column: int) -> None:
        if self.strict:
            raise TranscriptError(as_error(message), line, column, self.source)
        self.warnings.append(Diagnostic(message, line, column))

    # -- speakers ------------------------------------------------------------------------------------
    def _joint(self, performers: tuple[str, ...]) -> str | None:
        return " & ".join(performers) if performers else None

    def _canon(self, name: str) -> str:
        """One spelling per speaker: cast aliases first, then the first spelling seen (case-insensitive)."""
        known = self.resolved.get(name)
        if known is None:
            known = self.resolved[name] = self._resolve(name)
        return known

    def _resolve(self, name: str) -> str:
        name = " ".join(name.split())
        key = name.casefold()
        found = self.aliases.get(key)
        if found is not None:
            return found
        if " & " in name:
            members = [m for m in (part.strip() for part in name.split(" & ")) if m]
            if len(members) > 1:
                joint = " & ".join(self._canon(m) for m in members)
                self.aliases[key] = joint
                return joint
        self.aliases[key] = name
        return name

    # -- the transcript -------------------------------------------------------------------------------
    def _finish(self) -> Transcript:
        turns: list[Turn] = []
        policy = self.policy
        drafts, self.drafts = self.drafts, []
        drafts.reverse()
        while drafts:  # popped one by one, so each raw text is freed as soon as its turn is built
            draft = drafts.pop()
            lines, notes = draft.lines, draft.notes
            raw = lines[0] if len(lines) == 1 else "\n".join(lines)  # the lines of the turn, joined once
            cleaned = clean(raw, draft.text_line, draft.text_column, policy)
            for message, pline, pcol in cleaned.problems:
                self._warn(message, pline, pcol)
            index = len(turns)
            directions = tuple(d if d.turn == index else Direction(d.text, d.line, d.column, d.kind, index)
                               for d in (*notes, *cleaned.directions))
            if not cleaned.text and not cleaned.gold and cleaned.directions and not notes and not draft.cued:
                # only a direction, with no cue of its own (`(door slams)` under a lyric header): not a turn;
                # a cue with only a direction (`A: (laughs)`) stays a turn with empty text, like `A:` alone
                self.directions.extend(Direction(d.text, d.line, d.column, d.kind) for d in cleaned.directions)
                continue
            turns.append(Turn(index, draft.speaker, cleaned.text, draft.line, draft.column, draft.section,
                              cleaned.gold, draft.timestamp, draft.end, draft.extension, directions))
        by_name: dict[str, set[str]] = {}   # one pass over the aliases: per speaker it was quadratic
        for alias, canonical in self.aliases.items():
            by_name.setdefault(canonical, set()).add(alias)
        speakers = tuple(self._speaker(name, by_name.get(name, set()))
                         for name in dict.fromkeys(t.speaker for t in turns))
        self.directions.sort(key=lambda d: (d.line, d.column))
        return Transcript(turns=tuple(turns), source=self.source, dialect=self.dialect,
                          sections=tuple(self.sections), speakers=speakers, directions=tuple(self.directions),
                          metadata=tuple(self.metadata), warnings=tuple(self.warnings))

    def _speaker(self, name: str, spellings: set[str]) -> Speaker:
        aliases = sorted(a for a in spellings if a != name.casefold())
        members = tuple(name.split(" & ")) if " & " in name else ()
        return Speaker(name, tuple(aliases), members)
