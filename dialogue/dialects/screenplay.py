"""Screenplays (Fountain 1.1): grammar rules of `screenplay.lark` to events.

What each element becomes:
- title page `Key: value` -> Meta (keys lower-cased, continued values joined with a newline);
- scene heading (`INT. KITCHEN - NIGHT #12#`, `.FLASHBACK`) -> Heading(kind="scene"), the section of the turns
  after it; the scene number is dropped;
- a character cue and its dialogue -> one Utterance at the cue's line: extensions `(V.O.)`, `(CONT'D)` ... go
  to `extension` (joined with ", " when there are several, spelled as written), parentheticals stay in the
  text for `dialogue.cleanup` to turn into the turn's `parenthetical` directions, `~` (sung) and emphasis
  `*` `_` markup are taken off, notes `[[...]]` become Note(kind="note") at their own line;
- dual dialogue (`^` after a cue) -> the Utterance plus Note(kind="dual", text=the name) at the cue's line:
  that turn is spoken at the same time as the turn before it;
- every cue starts a new turn: `BOB (CONT'D)` after an action paragraph is a second turn by BOB, the action
  sitting between the two;
- action -> Note(kind="action"); transitions -> "transition"; `> centered <` -> "centered"; `#` sections ->
  "section" (outline only: they do not change a turn's section); `=` synopses -> "synopsis"; lyrics standing
  alone -> "lyrics"; page breaks `===` and the boneyard `/* */` are dropped.

A capitals line read as a cue is checked again here: if it has no cased letter, has a lower-case letter
outside ASCII, ends like a sentence (`THE DOOR BURSTS OPEN.`) or is a camera direction (`CLOSE ON THE DOOR`),
its paragraph is action after all. A name never holds a colon (`@NAME:` loses it; `@RE:SCAN` is action): the
chat form and cast lists could not write such a name back.
"""

from __future__ import annotations

import re

from lark import Token, Transformer

from .events import Heading, Meta, Note, Utterance, where

_NOTE = re.compile(r"\[\[(?:[^\[\]]|\[(?!\[)|\](?!\]))*+\]\]")
_BONEYARD = re.compile(r"/\*(?:[^*/]|\*(?!/)|/(?!\*))*+\*/")
# each alternative starts only where a run of markers starts, so a long run is scanned once
_MARKUP = re.compile(r"\\([*_\\])|(?<![*\\])\*++(?=[^\s*])|(?<=[^\s*\\])\*++|(?<![^\W])_++(?=\S)"
                     r"|(?<=[^\s_\\])_++(?![^\W_])")
_SUNG = re.compile(r"^([^\S\n]*)~", re.MULTILINE)
_SCENE_NUMBER = re.compile(r"[\w.\-]*")
# the look-behind starts a try only at the start of a run of letters: without it a search was quadratic
_SENTENCE_END = re.compile(r"(?<![^\W\d_])[^\W\d_]{4,}[.!?,;]$|[!?,;]$")
#: Camera and editing directions written in capitals above action in plain-text scripts: never a character.
_SHOT = re.compile(r"(?:ANGLE|CLOSE|WIDE|MEDIUM|INSERT|BACK TO|INTERCUT|MONTAGE|SERIES OF|POV|SUPER|TITLE|"
                   r"OVER BLACK|FADE|CUT|DISSOLVE|SMASH|MATCH|FLASHBACK|END OF|ESTABLISHING|AERIAL|TRACKING)\b")


def strip_markup(text: str) -> str:
    """Emphasis `*italic*`, `**bold**`, `_underline_` markers off; `\\*` escapes become the character."""
    if "*" not in text and "_" not in text:
        return text
    return _MARKUP.sub(lambda m: m.group(1) or "", text)


def _blank_out(match: re.Match[str]) -> str:
    """What replaces a note or boneyard inside text: its newlines only, so later line numbers hold."""
    return "\n" * match.group().count("\n")


def take_notes(text: str, line: int, column: int) -> tuple[str, list[Note]]:
    """Boneyard spans out of `text`, notes `[[...]]` out of it into Notes located in the source."""
    if "/*" in text:
        text = _BONEYARD.sub(_blank_out, text)
    if "[[" not in text:
        return text, []
    notes: list[Note] = []
    at, at_line, at_col = 0, line, column
    for match in _NOTE.finditer(text):
        newlines = text.count("\n", at, match.start())
        if newlines:
            at_line += newlines
            at_col = 1
            at = text.rfind("\n", at, match.start()) + 1
        col = at_col + match.start() - at
        notes.append(Note(" ".join(match.group()[2:-2].split()), at_line, col, "note"))
        at, at_col = match.start(), col
    return _NOTE.sub(_blank_out, text), notes


def _lines(text: str) -> str:
    return "\n".join(part for part in (p.strip() for p in text.split("\n")) if part)


def _paragraph(token: Token, kind: str, strip: str = "") -> list[Note]:
    """A paragraph that is not speech: its notes, then the rest (if any) as one Note of `kind`."""
    line, column = where(token)
    text, notes = take_notes(token.value, line, column)
    if strip:
        text = text.lstrip().removeprefix(strip)
    text = _lines(strip_markup(text))
    return ([Note(text, line, column + len(token.value) - len(token.value.lstrip()), kind)] if text else []) + notes


def _drop_scene_number(heading: str) -> str:
    """`INT. HOUSE - DAY #1A#` -> `INT. HOUSE - DAY`."""
    heading = heading.strip()
    if heading.endswith("#"):
        opening = heading.rfind("#", 0, -1)
        if opening >= 0 and _SCENE_NUMBER.fullmatch(heading, opening + 1, len(heading) - 1):
            return heading[:opening].rstrip()
    return heading


def split_cue(head: str) -> tuple[str, str | None, bool, bool]:
    """`@McCLANE (V.O.) ^` -> ("McCLANE", "V.O.", dual=True, forced=True)."""
    head = head.strip()
    forced = head.startswith("@")
    if forced:
        head = head[1:].strip()
    dual = head.endswith("^")
    if dual:
        head = head[:-1].rstrip()
    extensions: list[str] = []
    end = len(head)   # walk back over `(...)` groups by index: no slicing in the loop, so linear in the line
    while end and head[end - 1] == ")":
        opening = head.rfind("(", 0, end - 1)
        if opening < 0:
            break
        extensions.append(head[opening + 1:end - 1].strip())
        end = opening
        while end and head[end - 1].isspace():
            end -= 1
    name = head[:end].removesuffix(":").rstrip()
    return name, ", ".join(e for e in reversed(extensions) if e) or None, dual, forced


def plausible_cue(name: str) -> bool:
    """A cue in capitals: a cased letter, no lower-case one, not the end of a sentence, not a camera direction."""
    return (bool(name) and name.upper() == name and name.lower() != name and not _SENTENCE_END.search(name)
            and not _SHOT.match(name))


class ScreenplayTransformer(Transformer):
    """One method per rule of screenplay.lark; each returns an event or a list of events."""

    def start(self, items: list) -> list:
        return items

    def title_page(self, c: list[Token]):
        pairs: list[tuple[str, str]] = []
        for raw in c[0].value.split("\n"):
            if raw[:1] in (" ", "\t") and pairs:
                key, value = pairs[-1]
                more = strip_markup(raw.strip())
                pairs[-1] = (key, f"{value}\n{more}" if value else more)
            elif ":" in raw:
                key, _, value = raw.partition(":")
                pairs.append((key.strip().lower(), strip_markup(value.strip())))
        return Meta(tuple(pairs), where(c[0])[0])

    def scene(self, c: list[Token]):
        name = c[0].value.strip()
        name = name.removeprefix(".")
        return Heading(_drop_scene_number(strip_markup(name)), where(c[0])[0], "scene")

    def dialogue(self, c: list[Token]):
        token = c[0]
        line, column = where(token)
        head, _, body = token.value.partition("\n")
        name, extension, dual, forced = split_cue(head)
        if ":" in name or not (forced or plausible_cue(name)):
            return _paragraph(token, "action")
        column += len(head) - len(head.lstrip())
        text, notes = take_notes(body, line + 1, 1)
        if "~" in text:
            text = _SUNG.sub(r"\1", text)
        speech = Utterance(name, strip_markup(text).rstrip(), line, column, extension=extension,
                           text_line=line + 1)
        return ([Note(name, line, column, "dual")] if dual else []) + [speech] + notes

    def transition(self, c: list[Token]):
        return _paragraph(c[0], "transition", strip=">")

    def centered(self, c: list[Token]):
        token = c[0]
        inner = token.value.strip()[1:-1]
        return Note(strip_markup(inner).strip(), *where(token), "centered")

    def section(self, c: list[Token]):
        return Note(c[0].value.strip().lstrip("#").strip(), *where(c[0]), "section")

    def synopsis(self, c: list[Token]):
        return Note(c[0].value.strip()[1:].strip(), *where(c[0]), "synopsis")

    def page_break(self, c: list[Token]):
        return None

    def lyrics(self, c: list[Token]):
        token = c[0]
        return Note(_lines(strip_markup(_SUNG.sub(r"\1", token.value))), *where(token), "lyrics")

    def action(self, c: list[Token]):
        forced = c[0].value.lstrip().startswith("!")
        return _paragraph(c[0], "action", strip="!" if forced else "")
