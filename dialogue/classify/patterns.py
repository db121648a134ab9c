"""Compiling and searching the classifier's regexes fast: the machinery under the lexicon index and frames.

Python's regex engine is quick at skipping to a literal or to a set of first characters, slow at trying a
long alternation at every position and at IGNORECASE. So patterns are compiled only when first used
(`Lazy`, `Compiled`), matched case-sensitively against lowered ASCII text when that finds the same
(`lower_safe`), written as one branch per first letter (`word_alternation`), and frames that can only
start at a word from a known list are tried only there (`Located`). Every helper here gives the same matches
as the plain pattern; only the time differs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


class Lazy:
    """A regex compiled on its first `match`/`search`/`finditer`/`findall` (then those are the compiled
    pattern's own bound methods, in slots: no per-call overhead after the first). `lowered`: the pattern is
    for lowered ASCII text and drops IGNORECASE when it can (`lower_safe`), decided when it is compiled."""

    __slots__ = ("findall", "finditer", "flags", "lowered", "match", "search", "source")
    match: Callable[..., Any]
    search: Callable[..., Any]
    finditer: Callable[..., Any]
    findall: Callable[..., Any]

    def __init__(self, source: str, flags: int, lowered: bool = False) -> None:
        self.source = source
        self.flags = flags
        self.lowered = lowered

    def __getattr__(self, name: str) -> Any:
        # only called while a slot is empty: the first use of a method compiles the pattern
        if name not in _METHODS:
            raise AttributeError(name)
        flags = self.flags & ~re.IGNORECASE if self.lowered and lower_safe(self.source) else self.flags
        compiled = re.compile(self.source, flags)
        self.match, self.search = compiled.match, compiled.search
        self.finditer, self.findall = compiled.finditer, compiled.findall
        return getattr(compiled, name)


_METHODS = frozenset({"findall", "finditer", "match", "search"})


class Compiled(dict):  # type: ignore[type-arg]
    """name -> pattern source, compiled on first lookup; a name in `located` is tried only where one of its
    listed opening words starts (`Located`)."""

    def __init__(self, sources: Mapping[str, str], flags: int, lowered: bool = False,
                 located: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__()
        self._sources = dict(sources)
        self._flags = flags
        self._lowered = lowered
        self._located = dict(located or {})

    def __missing__(self, name: str) -> re.Pattern[str]:
        source = self._sources[name]
        flags = self._flags & ~re.IGNORECASE if self._lowered and lower_safe(source) else self._flags
        compiled: Any = re.compile(source, flags)
        if name in self._located:
            compiled = Located(compiled, word_alternation(self._located[name], r"[\w']", r"(?![\w])"))
        self[name] = compiled
        return compiled  # type: ignore[no-any-return]

    def __contains__(self, name: object) -> bool:
        return name in self._sources


_ESCAPE_OR_NAME = re.compile(r"\\.|\(\?P[<=][^>)]*[>)]")


def lower_safe(source: str) -> bool:
    """Can `source` match lowered text without IGNORECASE and find what it finds in the text with it? Yes
    when no letter outside escapes and group names is upper case (for ASCII text; other text keeps
    IGNORECASE)."""
    stripped = _ESCAPE_OR_NAME.sub("", source)
    return stripped == stripped.lower()  # (stricter than "no upper-case letter": title-case letters count)


def word_alternation(phrases: Iterable[str], not_before: str = r"\w", after: str = r"\b") -> re.Pattern[str]:
    r"""Whole-word phrases (regex fragments starting with a lower-case letter), for lowered text, written so
    the engine can skip to the letters they start with: one branch per first letter, the word boundary
    checked looking back past that letter (a leading look-behind would make it try every position).
    About twice as fast as `(?<!\w)(?:phrase|...)\b`, with the same matches."""
    by_letter: dict[str, list[str]] = {}
    for phrase in phrases:
        if not ("a" <= phrase[0] <= "z") or phrase[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"phrase must start with a lower-case letter of its own: {phrase!r}")
        by_letter.setdefault(phrase[0], []).append(phrase[1:])
    branches = [f"{letter}(?<!{not_before}.)(?:{'|'.join(sorted(rests, key=len, reverse=True))})"
                for letter, rests in sorted(by_letter.items())]
    return re.compile(f"(?:{'|'.join(branches)}){after}")


class Located:
    """A pattern that can only match where `locator` matches first (its opening word: a second-person word,
    say), tried only there: the same matches as the pattern's own `finditer` and `search` (leftmost, not
    overlapping), without trying it at every position of the text."""

    __slots__ = ("locator", "match", "pattern")

    def __init__(self, pattern: re.Pattern[str], locator: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.locator = locator
        self.match = pattern.match

    @property
    def flags(self) -> int:
        return self.pattern.flags

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        end = pos
        for word in self.locator.finditer(string, pos, endpos):
            at = word.start()
            if at < end:
                continue
            found = self.pattern.match(string, at, endpos)
            if found is not None:
                yield found
                end = max(found.end(), at + 1)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return next(self.finditer(string, pos, endpos), None)
