"""Which dialect a text is in: cheap line tests over the first few hundred lines, scored per dialect."""

from __future__ import annotations

import re

_SAMPLE_LINES = 400

_TESTS: dict[str, re.Pattern[str]] = {
    "whatsapp": re.compile(r"^\u200e?(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
                           r"(?:\s?[AaPp]\.?[Mm]\.?)?\s+[-–]\s|\[\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+"
                           r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?\]\s)"),
    "irc": re.compile(r"^(?:[\[(]?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?"
                      r"(?:<[~&@%+ ]?[^\s<>]{1,64}\s*>|\*\s+\S+\s|-!-|\*\*\*)"),
    "lyrics": re.compile(r"(?i)^\s*\[(?:intro|outro|verse|chorus|pre-?chorus|post-?chorus|hook|bridge|refrain|"
                         r"interlude|breakdown|skit|spoken|part|tag|coda)\b[^\]\n]*\]\s*$"),
    "play_cue": re.compile(r"^\s*[^\W_][\w'’.\-]*(?:[^\S\n]+(?:[&+][^\S\n]+)?[^\W_][\w'’.\-]*){0,5}"
                           r"(?:\s*[\[(][^\])\n]{0,80}[\])])?\s*:\s*$"),
    "chat": re.compile(r"^\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?[^\W_][\w'’.\-]*"
                       r"(?:[^\S\n]+[^\W_][\w'’.\-]*){0,3}\s*(?:\([^()\n]{0,80}\))?\s*:\s+\S"),
    "scene": re.compile(r"^\s*(?:INT|EXT|EST|INT\.?/EXT|I/E)[. /]", re.IGNORECASE),
    "caps_cue": re.compile(r"^\s*(?:@\S.*|[^\W\da-z][^a-z\n]*?(?:\s*\([^()\n]*\))?\s*\^?)\s*$"),
    "srt_time": re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}"),
}


def detect(text: str) -> str:
    """The most likely dialect of `text` (one of `dialogue.model.DIALECTS`); `chat` when nothing stands out."""
    head = text.lstrip("\ufeff\n \t")
    if head.startswith("WEBVTT"):
        return "webvtt"
    lines = text.split("\n", _SAMPLE_LINES)[:_SAMPLE_LINES]
    counts = {name: 0 for name in _TESTS}
    screen_cues = 0
    play_cues = 0
    previous_blank = True
    for i, line in enumerate(lines):
        if not line.strip():
            previous_blank = True
            continue
        for name, pattern in _TESTS.items():
            if name in ("play_cue", "caps_cue"):
                continue
            if pattern.search(line):
                counts[name] += 1
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if previous_blank and following.strip():
            if _TESTS["play_cue"].match(line) and not (_TESTS["play_cue"].match(following)
                                                       or _TESTS["chat"].match(following)):
                play_cues += 1
            elif _TESTS["caps_cue"].match(line) and any(c.isalpha() for c in line) and len(line.strip()) <= 40:
                screen_cues += 1
        previous_blank = False
    if counts["srt_time"] >= 1:
        return "srt"
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
