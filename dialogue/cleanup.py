"""What is said, apart from what is not: the gold `{label}`, stage directions and ad-libs taken out of speech.

Each dialect says which brackets hold directions (`POLICY`). The scan is one pass over the bracket characters
with a depth counter: no recursion and no backtracking, so 50k nested parentheses or a 2 MB line stay linear.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .dialects.events import KEPT_AS_SPEECH
from .model import Direction

# no leading white space in the pattern: tried at every blank of a long run it was quadratic (each line is
# stripped afterwards anyway)
_GOLD = re.compile(r"\{[^\S\n]*([A-Za-z][\w\-]*)[^\S\n]*\}[^\S\n]*$", re.MULTILINE)
_BRACKETS = re.compile(r"[()\[\]]")
_TAGS = re.compile(r"</?(?:i|b|u|font|c|ruby|rt|lang)\b[^<>\n]{0,200}>|\{\\[^{}\n]{0,200}\}")
_CLOSER = {"(": ")", "[": "]"}


class Policy(NamedTuple):
    """Which bracketed spans are not speech, and what kind of direction each is."""

    paren: str | None       # kind for `( ... )` anywhere in a turn, or None to keep them as text
    square: str | None      # kind for `[ ... ]` anywhere
    leading_only: bool = False  # chat: only a bracketed span that opens the turn is a direction
    tags: bool = False      # subtitles: drop <i>, <b>, <font> formatting tags


POLICY = {
    "chat": Policy("direction", "direction", leading_only=True),
    "whatsapp": Policy(None, None),
    "irc": Policy(None, None),
    "play": Policy("direction", "direction"),
    "screenplay": Policy("parenthetical", "direction"),
    "lyrics": Policy("adlib", "direction"),
    "webvtt": Policy("direction", "direction", tags=True),
    "srt": Policy("direction", "direction", tags=True),
}


class Cleaned(NamedTuple):
    text: str
    gold: str | None
    directions: tuple[Direction, ...]
    problems: tuple[tuple[str, int, int], ...]   # (message, line, column)


def clean(raw: str, line: int, column: int, policy: Policy) -> Cleaned:
    """Split `raw` (one turn's words, possibly several lines) into text, gold label and directions.

    `line` and `column` locate the first character of `raw` in the source.
    """
    if policy.tags and ("<" in raw or "{\\" in raw):
        raw = _TAGS.sub("", raw)
    directions: list[Direction] = []
    problems: list[tuple[str, int, int]] = []
    if (policy.paren or policy.square) and ("(" in raw or "[" in raw):
        raw = _extract(raw, line, column, policy, directions, problems)
    gold = None
    if "{" in raw:
        # the annotation ends a line of the turn (usually its last), directions aside; the last one wins
        labels = _GOLD.findall(raw)
        if labels:
            gold = labels[-1].lower()
            raw = _GOLD.sub("", raw)
    if "\n" in raw:
        text = "\n".join(part for part in (p.strip() for p in raw.split("\n")) if part)
    else:
        text = raw.strip()
    if " " in text and "  " in text:
        text = re.sub(r"[^\S\n]{2,}", " ", text)
    return Cleaned(text, gold, tuple(directions), tuple(problems))


def _locate(raw: str, pos: int, line: int, column: int) -> tuple[int, int]:
    newlines = raw.count("\n", 0, pos)
    if not newlines:
        return line, column + pos
    return line + newlines, pos - raw.rfind("\n", 0, pos)


def _extract(raw: str, line: int, column: int, policy: Policy, directions: list[Direction],
             problems: list[tuple[str, int, int]]) -> str:
    keep: list[str] = []
    kept_to = 0
    stack: list[tuple[str, int]] = []
    if policy.leading_only and raw.partition("\n")[0].lstrip()[:1] not in ("(", "["):
        # chat: only a bracket that opens the turn's first line is a direction (`MAYA: (sighs) fine`)
        return raw
    for match in _BRACKETS.finditer(raw):
        char, pos = match.group(), match.start()
        if char in _CLOSER:
            if not stack:
                kind = policy.paren if char == "(" else policy.square
                if kind is None or (policy.leading_only and raw[kept_to:pos].strip()):
                    continue
            stack.append((char, pos))
        elif stack and _CLOSER[stack[-1][0]] == char:
            opener, start = stack.pop()
            if not stack:
                kind = policy.paren if opener == "(" else policy.square
                inner = raw[start + 1:pos].strip()
                where = _locate(raw, start, line, column)
                directions.append(Direction(" ".join(inner.split()), where[0], where[1], kind or "direction"))
                keep.append(raw[kept_to:start])
                kept_to = pos + 1
                if policy.leading_only:
                    break
        elif stack:
            # a closer that does not match the innermost opener: the bracket is unbalanced
            where = _locate(raw, pos, line, column)
            problems.append((f"unmatched {char!r}", where[0], where[1]))
            stack.clear()
            if policy.leading_only:
                break
    if stack:
        opener, start = stack[0]
        where = _locate(raw, start, line, column)
        problems.append((f"unclosed {opener!r}{KEPT_AS_SPEECH}", where[0], where[1]))
    keep.append(raw[kept_to:])
    return "".join(keep)
