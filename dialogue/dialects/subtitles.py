"""Subtitles (WebVTT and SRT): grammar rules of `subtitles.lark` to events.

Who speaks, in a cue's text:
- a WebVTT voice span `<v Name>` (or `<v.loud Name>`; `</v>` optional) names its text's speaker; several
  voices in one cue give several utterances with the cue's times;
- outside voice spans, a line may open with a speaker prefix `NAME:` (capitals, or capitalised words that are
  not a common discourse word such as `Look:`) or with a dash `- ` (the dialogue convention: a dash line is
  a change of speaker). `[NAME]` and `(NAME)` openers are directions (`dialogue.cleanup` takes them out),
  which also name the speaker when NAME has been named as a speaker before (SDH: `[NORA] Fine.`;
  `[door slams]` names nobody);
- a line with no marker goes on with the voice before it, in the cue or, for a cue's first line, across cues.
A dash switches to the voice before the current one, so the dash lines of an unnamed exchange alternate
between the last two voices; where no such voice is known, the unnamed voices are called `Speaker A`,
`Speaker B`, ... in order of appearance. Every utterance `joins`: consecutive cues of one voice make one
turn, from the first cue's start to the last cue's end. A cue that goes on with the voice before it and
opens with the very line that ended the cue before (rolling captions, as YouTube writes them) loses that
repeated line.

The line of an utterance is the line where its words start (not the timing line). Tags other than voices
(`<i>`, `<c.x>`, `<00:00:02.000>`, `<font ...>`, `{\\an8}`) are dropped; entities (`&amp;` `&lt;` `&nbsp;`
`&lrm;` ...) are decoded as HTML does. NOTE blocks become Note(kind="comment"), STYLE "style", REGION
"region"; the header's `key: value` lines are metadata (keys lower-cased; the text after `WEBVTT` under
`webvtt`). A malformed timing line is a Problem; the cue's text
is kept, with no times. Text outside any cue is kept as speech, with a warning.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from lark import Token, Transformer

from .events import (
    KEPT_AS_SPEECH,
    KEPT_WITHOUT_TIMES,
    Meta,
    Note,
    Problem,
    Utterance,
    where,
)

_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:[^\S\n]+([^<>\n]*))?>|</v[^\S\n]*>")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|<\d[\d:.]{0,20}>|\{\\[^{}\n]{0,200}\}")
_DASH = re.compile(r"[-–‐][^\S\n]*(?=[^\s\d\-–‐])|[-–‐][^\S\n]+(?=\S)")
_BRACKETED = re.compile(r"[\[(]([^\[\]()\n]{1,40})[\])]")
_PREFIX = re.compile(r"([^\W\d_][\w'’.\-]*(?:[^\S\n]+[^\W\d_][\w'’.\-]*){0,3})"
                     r"(?:[^\S\n]*(\([^()\n]{1,40}\)))?[^\S\n]*:(?:[^\S\n]+|$)")
_CONNECTORS = frozenset({"of", "the", "de", "van", "von", "der", "da", "di", "le", "la", "du", "del", "bin", "al",
                         "y", "and", "&", "jr.", "sr."})
#: Words that open a sentence with a colon in ordinary subtitles (`Look: ...`): not speaker names.
_NOT_NAMES = frozenset({
    "note", "notes", "warning", "caution", "attention", "look", "listen", "remember", "rule", "rules", "answer",
    "question", "hint", "update", "well", "so", "yes", "no", "okay", "ok", "hey", "wait", "example", "reason",
    "problem", "result", "lesson", "step", "translation", "subtitles", "captions", "chapter", "part", "scene",
    "location", "time", "date", "previously", "meanwhile", "later", "now", "then", "first", "second", "third",
    "finally", "also", "plus", "but", "and", "or", "p.s", "ps", "nb"})


class Speech(NamedTuple):
    """Words of one voice in one cue, before voices are settled: `name` (a marked speaker), `dash` (a dash
    line: a change of speaker), or neither (the voice goes on)."""

    name: str | None
    dash: bool
    lines: list[str]   # grown in place while the cue is read: joining strings line by line was quadratic
    line: int
    column: int
    start: str | None
    end: str | None
    hint: str | None = None   # an SDH opener `[NAME]`: names the speaker if NAME has spoken before


def plausible_name(name: str) -> bool:
    """`ROSA`, `Dr. Reyes`, `Mary Ann`: yes. `Look`, `The answer`: no."""
    if len(name) > 40 or name.casefold() in _NOT_NAMES:
        return False
    return all(w[0].isupper() or w.casefold() in _CONNECTORS for w in name.split())


def _clean(text: str) -> str:
    if "<" in text or "{\\" in text:
        text = _TAG.sub("", text)
    return html.unescape(text) if "&" in text else text


#: A timing line with another arrow (`00:01 -> 00:02`); the grammar's _TIMINGISH says the same.
_OTHER_ARROW = re.compile(r"[^\S\n]*+\d+:\d{2}[\d:.,]*[^\S\n]*+(?:->|=>|→|—>|–>|- >)")


def _split_cue(token: Token) -> tuple[int, str, str]:
    """A cue token -> (line of its timing line, the timing line, the cue text)."""
    line = where(token)[0]
    first, _, rest = token.value.partition("\n")
    if "-->" in first or _OTHER_ARROW.match(first):
        return line, first, rest
    timing, _, payload = rest.partition("\n")   # `first` is the identifier (an SRT index)
    return line + 1, timing, payload


def speeches(payload: str, line: int, start: str | None, end: str | None) -> list[Speech]:
    """The Speech items of one cue's text, which starts at `line`."""
    out: list[Speech] = []
    pos, voice = 0, None
    counted_to, line_at, line_start = 0, line, 0   # counted so far: keeps many voice tags linear

    def locate(p: int) -> tuple[int, int]:
        nonlocal counted_to, line_at, line_start
        newlines = payload.count("\n", counted_to, p)
        if newlines:
            line_at += newlines
            line_start = payload.rfind("\n", counted_to, p) + 1
        counted_to = p
        return line_at, p - line_start + 1

    for match in _VOICE.finditer(payload) if "<v" in payload else ():
        _chunk(out, payload[pos:match.start()], voice, *locate(pos), start, end)
        voice = None if match.group().startswith("</") else " ".join(_clean(match.group(1) or "").split())
        pos = match.end()
    _chunk(out, payload[pos:], voice, *locate(pos), start, end)
    return out


def _undash(text: str) -> str:
    dash = _DASH.match(text)
    return text[dash.end():] if dash else text


def _chunk(out: list[Speech], chunk: str, voice: str | None, line: int, column: int,
           start: str | None, end: str | None) -> None:
    """Text between voice tags: one voice's words, or lines read for `NAME:` and dash markers."""
    first = len(out)
    for n, raw in enumerate(chunk.split("\n")):
        text = _clean(raw).strip()
        if not text:
            continue
        at = (line + n, (column if n == 0 else 1) + len(raw) - len(raw.lstrip()))
        if voice:
            if len(out) == first:
                out.append(Speech(voice, False, [], *at, start, end))
            out[-1].lines.append(_undash(text))
            continue
        dash = _DASH.match(text)
        if dash:
            text = text[dash.end():]
        name = hint = None
        prefix = _PREFIX.match(text)
        if prefix and plausible_name(prefix.group(1)):
            # `ROSA (V.O.): ...`: the parenthesis stays in the words, where cleanup makes it a direction
            name, text = prefix.group(1), f"{prefix.group(2) or ''} {text[prefix.end():]}".strip()
        elif (opener := _BRACKETED.match(text)) and plausible_name(opener.group(1).strip()):
            hint = opener.group(1).strip()
        if name or dash or hint or len(out) == first:
            out.append(Speech(name, bool(dash) and not name, [], *at, start, end, hint))
        if text:
            out[-1].lines.append(text)


def settle_voices(items: list) -> list:
    """Speech items to Utterances: named speakers as given, dashes switching voice, unnamed voices lettered.

    Consecutive items of one voice become one Utterance (a gold `{label}` closes it), built once from its lines.
    """
    out: list = []
    current: str | None = None
    previous: str | None = None
    letters = 0
    known: dict[str, str] = {}
    last_start: str | None = None   # the start time of the cue that gave the last line of words
    run: list[str] = []             # the lines of the open utterance
    head: Speech | None = None      # where it starts
    end: str | None = None

    def close() -> None:
        if head is not None:
            out.append(Utterance(current or "", "\n".join(run), head.line, head.column, head.start, end=end,
                                 text_line=head.line, joins=True))

    for item in items:
        if not isinstance(item, Speech):
            out.append(item)
            continue
        if item.name:
            known.setdefault(item.name.casefold(), item.name)
        hinted = known.get(item.hint.casefold()) if item.hint else None
        name = item.name or hinted or (previous if item.dash else current)
        if name is None:
            name = f"Speaker {chr(ord('A') + letters) if letters < 26 else letters + 1}"
            letters += 1
        lines = item.lines
        if name == current and not (item.name or item.dash or item.hint) and item.start != last_start and run:
            lines = _unrolled(lines, run[-1])
        if name != current or head is None or (run and run[-1].rstrip().endswith("}")):
            close()
            head, run, end = item, [], item.end
            if name != current:
                previous, current = current, name
        run.extend(lines)
        end = item.end or end
        if lines:
            last_start = item.start
    close()
    return out


def _unrolled(lines: list[str], last_line: str) -> list[str]:
    """Rolling captions (YouTube's) repeat the last line of a cue at the top of the next: drop the repeat.

    A cue that only repeats still joins its turn, with no words, so the turn ends when that cue ends."""
    return lines[1:] if lines and lines[0] == last_line else lines


class SubtitlesTransformer(Transformer):
    """One method per rule of subtitles.lark; `start` settles who speaks."""

    def start(self, items: list) -> list:
        flat: list = []
        for item in items:
            if isinstance(item, list):
                flat.extend(item)
            elif item is not None:
                flat.append(item)
        return settle_voices(flat)

    def header(self, c: list[Token]):
        token = c[0]
        lines = token.value.strip().split("\n")
        pairs = [("webvtt", lines[0][len("WEBVTT"):].strip())] if lines[0][len("WEBVTT"):].strip() else []
        for raw in lines[1:]:
            key, colon, value = raw.partition(":")
            if colon and key.strip():
                pairs.append((key.strip().lower(), value.strip()))   # lower-cased, as a Fountain title page
        return Meta(tuple(pairs), where(token)[0])

    def cue(self, c: list[Token]):
        line, timing, payload = _split_cue(c[0])
        start, _, rest = timing.partition("-->")
        return speeches(payload, line + 1, start.strip(), rest.split()[0])

    def bad_cue(self, c: list[Token]):
        line, timing, payload = _split_cue(c[0])
        column = 1 + len(timing) - len(timing.lstrip())
        problem = Problem(f"malformed timing line {timing.strip()[:60]!r}{KEPT_WITHOUT_TIMES}",
                          line, column)
        return [problem, *speeches(payload, line + 1, None, None)]

    def note(self, c: list[Token]):
        return Note(c[0].value.strip()[len("NOTE"):].strip(), *where(c[0]), "comment")

    def style(self, c: list[Token]):
        return Note(c[0].value.strip()[len("STYLE"):].strip(), *where(c[0]), "style")

    def region(self, c: list[Token]):
        return Note(c[0].value.strip()[len("REGION"):].strip(), *where(c[0]), "region")

    def stray(self, c: list[Token]):
        token = c[0]
        if token.value.strip().isdigit():
            return None   # an index whose timing line went missing
        line, column = where(token)
        return [Problem(f"text outside any cue (no timing line above it){KEPT_AS_SPEECH}", line, column),
                *speeches(token.value, line, None, None)]
