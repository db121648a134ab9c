"""Which dialect a text is in: cheap line tests over the first few hundred lines, scored per dialect."""

from __future__ import annotations

import re

from .model import DIALECTS

_SAMPLE_LINES = 400

_TESTS: dict[str, re.Pattern[str]] = {
    "whatsapp": re.compile(r"^\u200e?(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
                           r"(?:\s?[AaPp]\.?[Mm]\.?)?\s+[-–]\s|\[\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+"
                           r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?\]\s)"),
    "irc": re.compile(r"^(?:[\[(]?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?"
                      r"(?:<[~&@%+ ]?[^\s<>]{1,64}\s*>|\*\s+\S+\s|-!-|\*\*\*)"),
    "lyrics": re.compile(r"(?i)^\s*\[(?:intro|outro|verse|chorus|pre-?chorus|post-?chorus|hook|bridge|refrain|"
                         r"interlude|breakdown|skit|spoken|part|tag|coda)\b[^\]\n]*\]\s*$"),
    "play_cue": re.compile(r"^\s*[^\W_][\w'’.\-\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e31-\u0e4e\u200c\u200d]*(?:[^\S\n]+(?:[&+][^\S\n]+)?[^\W_][\w'’.\-\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e31-\u0e4e\u200c\u200d]*){0,5}"
                           r"(?:\s*[\[(][^\])\n]{0,80}[\])])?\s*:\s*$"),
    "chat": re.compile(r"^\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?[^\W_][\w'’.\-\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e31-\u0e4e\u200c\u200d]*"
                       r"(?:[^\S\n]+[^\W_][\w'’.\-\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e31-\u0e4e\u200c\u200d]*){0,3}\s*(?:\([^()\n]{0,80}\))?\s*:\s+\S"),
    # screenplay scene headings (any case, as Fountain allows; lower case only with a blank line below)
    "scene": re.compile(r"^\s*(?:INT\.?/EXT|INT|EXT|EST|I/E)(?:\.|\s)", re.IGNORECASE),
    # a Fountain cue: capitals (a colon only inside an extension: `KATE:` is a play or chat cue)
    "caps_cue": re.compile(r"^\s*(?:@\S.*|[^\W\da-z][^a-z\n:(]*?(?:\s*\([^()\n]*\))*\s*\^?)\s*$"),
    # a subtitle timing line, SRT `00:00:01,000 --> ...` or WebVTT `00:01.000 --> ...` (hours optional), not
    # indented (an indented one continues a chat message)
    "srt_time": re.compile(r"^(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}"),
}
#: Keys of a Fountain title page: a screenplay's first lines, which must not count as chat.
_TITLE_KEYS = re.compile(r"(?i)^(?:title|credit|author|authors|source|draft date|date|contact|copyright|notes|"
                         r"revision|format)[^\S\n]*:")


def detect(text: str) -> str:
    """The most likely dialect of `text` (one of `dialogue.model.DIALECTS`); `chat` when nothing stands out."""
    declared = _declared(text)
    if declared:
        return declared
    head = text.lstrip("\ufeff\n \t")
    if head.startswith("WEBVTT") and head[6:7] in ("", " ", "\t", "\n"):   # `WEBVTTA: hi` is chat
        return "webvtt"
    lines = text.split("\n", _SAMPLE_LINES)[:_SAMPLE_LINES]
    counts = {name: 0 for name in _TESTS}
    screen_cues = 0
    play_cues = 0
    previous_blank = True
    title_page = bool(_TITLE_KEYS.match(head))
    first_timing = None
    for i, line in enumerate(lines):
        if not line.strip():
            previous_blank = True
            title_page = False
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        for name, pattern in _TESTS.items():
            if name in ("play_cue", "caps_cue") or (name == "chat" and title_page):
                continue
            if name == "scene" and (not previous_blank or line.rstrip().endswith(":")
                                    or _TESTS["chat"].match(line)
                                    or (following.strip() and not line.lstrip()[:3].isupper())):
                continue   # `INT. HOUSE:` and `INT. HOUSE: text` are cues of a play or a chat
            if pattern.search(line):
                counts[name] += 1
                if name == "srt_time" and first_timing is None:
                    first_timing = line
        if previous_blank and following.strip():
            if _TESTS["play_cue"].match(line) and not (_TESTS["play_cue"].match(following)
                                                       or _TESTS["chat"].match(following)):
                play_cues += 1
            elif _TESTS["caps_cue"].match(line) and any(c.isalpha() for c in line) and len(line.strip()) <= 40:
                screen_cues += 1
        previous_blank = False
    if first_timing is not None:
        # SRT writes hours and a decimal comma; a WebVTT file that lost its header shows itself otherwise
        stamp = first_timing.split("-->")[0].strip()
        return "srt" if "," in stamp or stamp.count(":") == 2 else "webvtt"
    if counts["whatsapp"] >= 2 or (counts["whatsapp"] and counts["whatsapp"] >= counts["chat"]):
        return "whatsapp"
    if counts["irc"] >= 2 and counts["irc"] >= counts["chat"]:
        return "irc"
    if counts["lyrics"] >= 1:
        return "lyrics"
    if counts["scene"] >= 1 or (screen_cues >= 2 and screen_cues > play_cues and screen_cues > counts["chat"]):
        return "screenplay"
    if play_cues >= 1 and play_cues >= counts["chat"] / 2:
        return "play"
    return "chat"


_DECLARED = re.compile(r"^dialect:[^\S\n]*([a-z]+)[^\S\n]*$", re.MULTILINE)


def _declared(text: str) -> str | None:
    """A `dialect: NAME` line in the front matter names the dialect outright (`dialogue fmt` writes one)."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    match = _DECLARED.search(text, 0, end)
    return match.group(1) if match and match.group(1) in DIALECTS else None
