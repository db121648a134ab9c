"""The vocabulary: a lexicon set compiled for the rules, and the bundled set built ahead of time.

This module owns what the rules search with: one alternation per category, the frame regexes the label
modules `declare` (templates over the categories and shared blocks), the three scan indexes (`index.py`) and
which entry a hit came from (its weight). Working all that out from the lexicon files costs ~0.1 s, paid by
every process that analyses anything; for the bundled lexicons it is done once, by
`python scripts/build_vocabulary.py`, into `lexicons/built.pickle`, which a process reads when its
fingerprint (the lexicon files, the frames and the code that builds the plans) matches, and otherwise
ignores (building in memory, as for user lexicons). A test fails while the file is stale.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ..textio import write_atomic
from . import index as _index_module, lexicon as _lexicon_module, patterns as _patterns_module
from .index import (
    ASKED_CATEGORIES,
    CALM_CATEGORIES,
    CLAUSE_CATEGORIES,
    KEY,
    Index,
    Plan,
    alternation,
    anchors,
    plan,
    top_level_split,
)
from .lexicon import CATEGORIES, Entry, Lexicon, builtin_lexicons
from .patterns import Compiled, Lazy

#: The bundled lexicons' vocabulary, worked out ahead of time.
BUILT = Path(__file__).resolve().parent / "lexicons" / "built.pickle"
#: The categories each scan index holds.
INDEXES = {"full": frozenset(CATEGORIES) - CLAUSE_CATEGORIES, "calm": CALM_CATEGORIES,
           "asked": CALM_CATEGORIES | ASKED_CATEGORIES}

#: Regex building blocks the frames share; `{name}` in a frame is one of these or a category alternation.
BLOCKS: dict[str, str] = {}
#: Frames declared by the label modules: name -> regex template (compiled by `Vocabulary`).
FRAMES: dict[str, str] = {}


def declare(blocks: Mapping[str, str] = {}, frames: Mapping[str, str] = {}) -> None:
    """Label modules register their building blocks and frame templates at import time."""
    BLOCKS.update(blocks)
    FRAMES.update(frames)


def _expand(template: str, alternations: Mapping[str, str]) -> str:
    def substitute(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in alternations:
            return alternations[name]
        if name in BLOCKS:
            return _expand(BLOCKS[name], alternations)
        raise KeyError(f"frame refers to unknown block {{{name}}}")
    return re.sub(r"\{([a-z_]+)\}", substitute, template)


class Vocabulary:
    """All categories of a lexicon set compiled: one alternation per category and every declared frame.

    Built once per lexicon set (cached); rules only call `search`/`finditer` on the compiled patterns.
    """

    def __init__(self, lexicons: tuple[Lexicon, ...], built: Mapping[str, Any] | None = None) -> None:
        self.lexicons = lexicons
        by_category: dict[str, list[Entry]] = {name: [] for name in CATEGORIES}
        for lexicon in lexicons:
            for entry in lexicon.entries:
                by_category[entry.category].append(entry)
        self.entries = {name: tuple(found) for name, found in by_category.items()}
        flags = re.IGNORECASE
        built = built or {}
        if built:
            categories, frames, located = built["category"], built["frame"], built["located"]
        else:
            alternations = {name: alternation(found) for name, found in self.entries.items()}
            categories = {name: rf"(?<![\w'])(?:{alt})(?![\w]|'\w)" for name, alt in alternations.items()}
            frames = {name: _expand(template, alternations) for name, template in FRAMES.items()}
            located = self._locators()
        # every pattern is compiled on first use: a short transcript touches a few dozen of the thousands
        # (compiling them all cost ~1.4 s CPU on the first analyze() of every process)
        self.category = Compiled(categories, flags)
        self.frame = Compiled(frames, flags)
        # the same patterns for lowered ASCII text, case-sensitive where the pattern allows (IGNORECASE made
        # the rules' frame searches about twice as slow): `TurnContext.frames`/`categories` pick the pair
        self.frame_lower = Compiled(frames, flags, lowered=True, located=located)
        self.category_lower = Compiled(categories, flags, lowered=True)
        self._plans: Mapping[str, Plan] = built.get("plans", {})
        # the lookup indexes (index.py), assembled when first scanned: a short transcript may not need one
        self._shared: dict[str, Lazy] = {}
        self._known: dict[tuple[str, str], Entry | None] = {}
        self._flags = flags

    @functools.cached_property
    def full(self) -> Index:
        """The index of every category the rules search (not the clause tests' own)."""
        return self._index("full")

    @functools.cached_property
    def calm(self) -> Index:
        """The index of the categories that count with nothing before the turn."""
        return self._index("calm")

    @functools.cached_property
    def asked(self) -> Index:
        """The index of what a turn answering a plain question may also do."""
        return self._index("asked")

    def _index(self, name: str) -> Index:
        filed = self._plans.get(name) or plan(self.entries, INDEXES[name])
        return Index(filed, self._flags, self._shared)

    def export(self) -> dict[str, Any]:
        """Everything costly the vocabulary works out, as plain data (what `BUILT` holds)."""
        return {"category": self.category._sources, "frame": self.frame._sources,
                "located": self.frame_lower._located,
                "plans": {name: plan(self.entries, categories) for name, categories in INDEXES.items()}}

    def _locators(self) -> dict[str, list[str]]:
        r"""For each frame that opens with a word block (`(?<![\w']){you}...`), a pattern for the words the block
        can start with, when they can all be listed: the frame is then tried only where one starts (in lowered
        ASCII text; "you-did" and the like were searched at every position of every charged turn)."""
        found = {}
        for name, template in FRAMES.items():
            block = re.match(r"\(\?<!\[\\w'\]\)\{([a-z_]+)\}", template)
            words = self._first_words(block.group(1)) if block else None
            if words:
                found[name] = sorted(words)
        return found

    def _first_words(self, block: str) -> set[str] | None:
        """The words a block `(?:{category}|word|...)` can start with, or None when they cannot be listed."""
        source = BLOCKS.get(block, "")
        if not (source.startswith("(?:") and source.endswith(")")):
            return None
        words: set[str] = set()
        for item in top_level_split(source[3:-1]):
            if re.fullmatch(r"\{[a-z_]+\}", item) and item[1:-1] in self.entries:
                for entry in self.entries[item[1:-1]]:
                    starts = anchors(entry.pattern.lower())
                    if starts is None or not all(re.fullmatch(r"[a-z][a-z']*", a) for a in starts):
                        return None
                    words |= starts | {a.replace("'", "") for a in starts}
            elif re.fullmatch(r"[a-z][a-z']*", item):
                words |= {item, item.replace("'", "")}
            else:
                return None
        return words

    def entry_for(self, category: str, matched: str) -> Entry | None:
        """The entry of `category` that matched the text `matched` (remembered: hits repeat across turns)."""
        key = (category, matched.lower())
        if key in self._known:
            return self._known[key]
        found = None
        first = _WORD.match(key[1])
        start = first.group()[:KEY] if first else ""
        for entry in self.entries[category]:
            # only entries that can start with the hit's first word are compiled and tried
            starts = _entry_anchors(entry.pattern)
            if starts is not None and start not in starts:
                continue
            if _entry_full(entry.regex, self._flags).match(matched):
                found = entry
                break
        if len(self._known) < 50_000:
            self._known[key] = found
        return found

    def weight(self, category: str, matched: str) -> float:
        entry = self.entry_for(category, matched)
        return entry.weight if entry else CATEGORIES[category][0]


_WORD = re.compile(r"[\w']+")


@functools.cache
def _entry_full(regex: str, flags: int) -> re.Pattern[str]:
    """One entry's pattern anchored at both ends (which entry matched a hit): compiled when first asked."""
    return re.compile(rf"(?:{regex})$", flags)


@functools.cache
def _entry_anchors(pattern: str) -> frozenset[str] | None:
    found = anchors(pattern.lower())
    return None if found is None else frozenset({a[:KEY] for a in found} | {a.replace("'", "")[:KEY] for a in found})



def fingerprint() -> str:
    """What the built file depends on: the bundled lexicon files, the declared frames and blocks, and the
    code that turns them into plans."""
    digest = hashlib.sha256(b"vocabulary 1\n")
    folder = resources.files(__package__) / "lexicons"
    for item in sorted((f for f in folder.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name):
        digest.update(item.name.encode() + b"\0" + item.read_bytes())
    for module in (_index_module, _lexicon_module, _patterns_module):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(repr((sorted(BLOCKS.items()), sorted(FRAMES.items()))).encode())
    return digest.hexdigest()


def write_built(path: str | Path = BUILT) -> None:
    """Work out the bundled vocabulary and store it (`scripts/build_vocabulary.py`)."""
    data = _shared({"fingerprint": fingerprint(), **Vocabulary(builtin_lexicons()).export()}, {})
    write_atomic(path, pickle.dumps(data, protocol=4))


def _shared(value: Any, seen: dict[Any, Any]) -> Any:
    """`value` with equal strings made one object (pickle then stores each once: the three plans repeat
    most of their patterns)."""
    if isinstance(value, str):
        return seen.setdefault(value, value)
    if isinstance(value, dict):
        return {_shared(k, seen): _shared(v, seen) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_shared(v, seen) for v in value)
    if isinstance(value, frozenset):
        return frozenset(_shared(v, seen) for v in value)
    return value


def _built(path: Path = BUILT) -> dict[str, Any] | None:
    """The stored vocabulary of the bundled lexicons, or None when missing, unreadable or stale."""
    try:
        data = pickle.loads(path.read_bytes())
        fresh = isinstance(data, dict) and data.get("fingerprint") == fingerprint()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    return data if fresh else None


@functools.lru_cache(maxsize=8)
def vocabulary(user: tuple[Lexicon, ...] = ()) -> Vocabulary:
    """The built-in lexicons plus `user` ones, compiled (cached per lexicon set)."""
    return Vocabulary(builtin_lexicons() + tuple(user), None if user else _built())
