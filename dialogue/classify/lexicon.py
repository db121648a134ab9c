"""Lexicons: the word lists the rules consult, read from data files, and compiled once per lexicon set.

This module owns the lexicon file format (see lexicons/README.md), its located errors, the built-in files
shipped in `lexicons/`, and the `Vocabulary`: every category compiled into one alternation, plus the frame
regexes the label modules declare (compiled here, once, never per turn).

Format, one entry a line:

    [epithet]              # a section names the category of the entries below it
    idiot                  # why the entry is here (the comment is the documentation)
    dim*wit = 0.8          # `*` any word characters; `= w` a weight in 0..1
    (shut|belt) up         # `(a|b)` alternatives; `(a )?` or `[a]` optional
    not me$                # a final `$`: at the end of a sentence
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import attrs

from ..errors import TranscriptError, UsageError
from ..textio import read_text
from .patterns import Compiled, Lazy, word_alternation

#: Every category a lexicon may fill: its default weight and what it is for.
CATEGORIES: Mapping[str, tuple[float, str]] = {
    # insult.txt
    "epithet": (0.9, "nouns that call a person names; an insult only when aimed at the addressee"),
    "trait": (0.85, "adjectives demeaning a person's mind, looks or character; aimed at the addressee"),
    "dismissal": (0.85, "contemptuous imperatives and stock put-downs ('shut up', 'get a life')"),
    "ironic_vocative": (0.85, "mock titles used sarcastically ('Einstein', 'genius', 'Sherlock')"),
    "praise": (0.6, "praise words that turn sarcastic in a conflict or next to an ironic vocative"),
    "you_group": (0.9, "second-person group addresses that carry contempt ('you people', 'your kind')"),
    "mockery": (0.6, "online mockery openers and tags ('imagine ...ing', 'typical ...', 'yikes'): insult in their frame"),
    "laughter": (0.55, "laughing at the hearer online ('lol', 'lmao'): mockery when it rides on a put-down or a fight"),
    # deflection.txt
    "denial": (0.75, "denying the charge just made"),
    "blame_shift": (0.8, "putting the blame on someone else"),
    "whatabout": (0.85, "counter-accusation, whataboutism and tu quoque"),
    "minimise": (0.8, "playing the charge down ('you're overreacting')"),
    "subject_change": (0.7, "steering away from the question ('the real issue is')"),
    "refusal": (0.85, "refusing to answer"),
    "stonewall": (0.8, "shutting the conversation down ('I'm done', 'talk to the hand')"),
    "non_apology": (0.85, "apology words that blame the hearer ('sorry you feel that way')"),
    # reconciliation.txt
    "apology": (0.85, "apologising"),
    "responsibility": (0.85, "taking responsibility"),
    "concession": (0.8, "conceding a point"),
    "reassurance": (0.7, "reassuring the other"),
    "affection": (0.8, "affection, when it follows a conflict"),
    "offer": (0.8, "offers to stop fighting or make up"),
    "calming": (0.75, "calming words; reconciliation from a third party, minimising from a party"),
    "acceptance": (0.8, "accepting an apology"),
    "pardon": (0.9, "'sorry' that asks to repeat or interrupts, not an apology ('sorry, what?')"),
    # accusation.txt
    "blame_verb": (0.7, "verbs of blameworthy conduct, an accusation with 'you' as subject"),
    "charge": (0.75, "stock phrases that blame the hearer for specific conduct ('how could you')"),
    "disagreement": (0.35, "contradiction and exasperation: raise the conflict level without a label of their own"),
    "modal": (0.6, "modal verbs of reproach: 'you could have ...', 'you should have ...'"),
    "habit": (0.65, "words of habitual conduct: 'you always ...', 'you never ...' accuse"),
    # echo.txt
    "echo": (0.9, "replies that return what was said ('same to you'): they take its label"),
    "mirror": (0.85, "playground retorts that turn an insult back ('takes one to know one')"),
    # context.txt
    "negator": (1.0, "words that negate what follows in the clause"),
    "reporting": (1.0, "verbs that report someone else's words ('she called me', 'he said')"),
    "self": (1.0, "first-person subjects: a put-down aimed at oneself is not an insult"),
    "third": (1.0, "third-person subjects and things: the target is someone or something else"),
}


@attrs.frozen
class Entry:
    """One lexicon line: a phrase pattern in a category, its weight and why it is there."""

    category: str
    pattern: str
    weight: float
    note: str = ""
    source: str = ""
    line: int = 0

    @property
    def regex(self) -> str:
        return pattern_to_regex(self.pattern)


@attrs.frozen
class Lexicon:
    """The entries of one lexicon file, in file order."""

    source: str
    entries: tuple[Entry, ...] = ()


_HEADER = re.compile(r"\[\s*([A-Za-z_][\w-]*)\s*\]$")
_WEIGHT = re.compile(r"=\s*(\S+)\s*$")


def parse_lexicon(text: str, source: str = "<lexicon>", compile_check: bool = True) -> Lexicon:
    """Read lexicon text; a malformed line raises `TranscriptError` with its line and column.

    `compile_check=False` skips compiling each entry (the built-in files: tests compile them once)."""
    entries: list[Entry] = []
    category: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        body, note = _split_comment(raw)
        stripped = body.strip()
        if not stripped:
            continue
        column = len(body) - len(body.lstrip()) + 1
        header = _HEADER.match(stripped)
        if stripped.startswith("["):
            if not header:
                raise TranscriptError("malformed section header; expected [category]", number, column, source)
            name = header.group(1).replace("-", "_").lower()
            if name not in CATEGORIES:
                raise TranscriptError(f"unknown lexicon category '{header.group(1)}' (known: "
                                      f"{', '.join(CATEGORIES)})", number, column + 1, source)
            category = name
            continue
        if category is None:
            raise TranscriptError("entry before any [category] header", number, column, source)
        weight = CATEGORIES[category][0]
        found = _WEIGHT.search(stripped)
        if found:
            try:
                weight = float(found.group(1))
            except ValueError:
                weight = -1.0
            if not 0.0 <= weight <= 1.0:
                raise TranscriptError(f"weight '{found.group(1)}' is not a number in 0..1", number,
                                      column + found.start(1), source)
            stripped = stripped[:found.start()].strip()
        problem = _pattern_problem(stripped, compile_check)
        if problem:
            offset, message = problem
            raise TranscriptError(f"bad entry '{stripped}': {message}", number, column + offset, source)
        entries.append(Entry(category, " ".join(stripped.split()), weight, note, source, number))
    return Lexicon(source=source, entries=tuple(entries))


def _split_comment(raw: str) -> tuple[str, str]:
    """Split `entry  # note`; a `#` starts a comment at the line start or after whitespace."""
    found = re.search(r"(?:^|\s)#", raw)
    if not found:
        return raw, ""
    return raw[:found.start()], raw[found.end():].strip()


def _pattern_problem(pattern: str, compile_check: bool = True) -> tuple[int, str] | None:
    """The first problem of an entry pattern as (0-based offset, message), or None."""
    stack: list[tuple[str, int]] = []
    for offset, char in enumerate(pattern):
        if char in "([":
            stack.append((char, offset))
        elif char in ")]":
            if not stack or stack.pop()[0] != ("(" if char == ")" else "["):
                return offset, f"unmatched '{char}'"
        elif char == "$" and offset == len(pattern) - 1:
            continue
        elif char in "\\{}^$+=#":
            return offset, f"character '{char}' is not allowed in an entry"
    if stack:
        return stack[-1][1], f"unclosed '{stack[-1][0]}'"
    if not re.search(r"\w", pattern):
        return 0, "an entry needs at least one letter"
    if not compile_check:
        return None
    try:
        re.compile(pattern_to_regex(pattern))
    except re.error as exc:
        return (exc.pos or 0), f"cannot be compiled ({exc.msg})"
    return None


#: Between the words of an entry: spaces or commas, and at most one stance adverb.
STANCE_ADVERBS = ("simply", "just", "totally", "completely", "absolutely", "really", "clearly", "obviously",
                  "frankly", "honestly", "truly", "actually", "so", "very", "quite", "all")
_SEPARATOR = rf"[\s,]+(?:(?:{'|'.join(STANCE_ADVERBS)})[\s,]+)?"


@functools.cache  # the three indexes and the category alternations all ask for the same entries
def pattern_to_regex(pattern: str) -> str:
    """Translate an entry pattern into a regex fragment (no surrounding word boundaries).

    A contraction's apostrophe is optional ("don't" also matches "dont", as written online), except in
    patterns with a wildcard ("*nt" would match "argument") and in "we're" ("were" is a word)."""
    out: list[str] = []
    loose = "*" not in pattern and not re.search(r"\bwe're\b", pattern, re.IGNORECASE)
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append(r"[\w'-]*")
        elif char == "(":
            out.append("(?:")
        elif char == ")":
            out.append(")")
        elif char == "|":
            out.append("|")
        elif char == "[":
            out.append("(?:")
        elif char == "]":
            out.append(r")?")
        elif char == " ":
            # an optional word swallows the space after it; elsewhere words are separated by space/commas
            # and at most one stance adverb ("that's simply not true", "you're absolutely right")
            if out and out[-1] == ")?":
                out[-1] = r"[\s,]+)?"
            else:
                out.append(_SEPARATOR)
        elif char == "?" and i and pattern[i - 1] == ")":
            out.append("?")  # "(so )?sorry": the group before is optional
        elif char == "'":
            out.append("'?" if loose and _CONTRACTION.match(pattern.lower(), i) else "'")
        elif char == ".":
            out.append(r"\.")
        elif char == "$" and i == len(pattern) - 1:
            out.append(r"(?=\s*(?:[.!?,;]|\Z))")  # at the end of a sentence
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def load_lexicon_file(path: str | Path) -> Lexicon:
    """Read one lexicon file; a missing file is a `UsageError`, a bad line a located `TranscriptError`."""
    where = Path(path)
    # not `is_file()`: /dev/null (no entries) and `<(...)` pipes are lexicons too
    if not where.exists():
        raise UsageError(f"lexicon file not found: {path}")
    if where.is_dir():
        raise UsageError(f"lexicon is a directory, not a file: {path}")
    text = read_text(path)
    return parse_lexicon(text, source=str(path))


def load_lexicons(paths: Iterable[str | Path]) -> tuple[Lexicon, ...]:
    """Read user lexicon files (`--lexicon FILE`), in order; they extend the built-in ones."""
    return tuple(load_lexicon_file(path) for path in paths)


@functools.lru_cache(maxsize=1)
def builtin_lexicons() -> tuple[Lexicon, ...]:
    """The lexicon files shipped in `dialogue/classify/lexicons/`, sorted by name."""
    folder = resources.files(__package__) / "lexicons"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)
    return tuple(parse_lexicon(f.read_text(encoding="utf-8"), source=f"lexicons/{f.name}", compile_check=False)
                 for f in files)


# -- the compiled vocabulary ------------------------------------------------------------------------------

#: Text normalisation that keeps every character at its offset (so cue spans stay spans of Turn.text).
NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'",
                           "\u2014": "-", "\u2013": "-"})

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

    def __init__(self, lexicons: tuple[Lexicon, ...]) -> None:
        self.lexicons = lexicons
        by_category: dict[str, list[Entry]] = {name: [] for name in CATEGORIES}
        for lexicon in lexicons:
            for entry in lexicon.entries:
                by_category[entry.category].append(entry)
        self.entries = {name: tuple(found) for name, found in by_category.items()}
        alternations = {name: _alternation(found) for name, found in self.entries.items()}
        flags = re.IGNORECASE
        # every pattern is compiled on first use: a short transcript touches a few dozen of the thousands
        # (compiling them all cost ~1.4 s CPU on the first analyze() of every process)
        self.category = Compiled({name: rf"(?<![\w'])(?:{alt})(?![\w]|'\w)" for name, alt in alternations.items()},
                                  flags)
        self.frame = Compiled({name: _expand(template, alternations) for name, template in FRAMES.items()}, flags)
        # the same patterns for lowered ASCII text, case-sensitive where the pattern allows (IGNORECASE made
        # the rules' frame searches about twice as slow): `TurnContext.frames`/`categories` pick the pair
        self.frame_lower = Compiled(self.frame._sources, flags, lowered=True, located=self._locators())
        self.category_lower = Compiled(self.category._sources, flags, lowered=True)
        # the lookup index: an entry is tried only where a word starts that it can start with (its anchor,
        # compared on the first KEY letters), and only in turns that have its rarest certain word (its gate:
        # the longest plain word); entries that can start with anything are searched for everywhere
        # (built when first scanned: a short transcript may never need one of them)
        self._shared: dict[str, Lazy] = {}
        self._known: dict[tuple[str, str], Entry | None] = {}
        self._flags = flags

    @functools.cached_property
    def full(self) -> _Index:
        """The index of every category the rules search (not the clause tests' own)."""
        return _Index(self.entries, set(self.entries) - _CLAUSE_CATEGORIES, self._flags, self._shared)

    @functools.cached_property
    def calm(self) -> _Index:
        """The index of the categories that count with nothing before the turn."""
        return _Index(self.entries, CALM_CATEGORIES, self._flags, self._shared)

    @functools.cached_property
    def asked(self) -> _Index:
        """The index of what a turn answering a plain question may also do."""
        return _Index(self.entries, CALM_CATEGORIES | ASKED_CATEGORIES, self._flags, self._shared)

    def _locators(self) -> dict[str, re.Pattern[str]]:
        r"""For each frame that opens with a word block (`(?<![\w']){you}...`), a pattern for the words the block
        can start with, when they can all be listed: the frame is then tried only where one starts (in lowered
        ASCII text; "you-did" and the like were searched at every position of every charged turn)."""
        found = {}
        for name, template in FRAMES.items():
            block = re.match(r"\(\?<!\[\\w'\]\)\{([a-z_]+)\}", template)
            words = self._first_words(block.group(1)) if block else None
            if words:
                found[name] = word_alternation(sorted(words), r"[\w']", r"(?![\w])")
        return found

    def _first_words(self, block: str) -> set[str] | None:
        """The words a block `(?:{category}|word|...)` can start with, or None when they cannot be listed."""
        source = BLOCKS.get(block, "")
        if not (source.startswith("(?:") and source.endswith(")")):
            return None
        words: set[str] = set()
        for item in _top_level_split(source[3:-1]):
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

    def scan(self, text: str, calm: bool = False, asked: bool = False) -> dict[str, list[re.Match[str]]]:
        """Every category's matches in `text`, in order and not overlapping within a category (the longer
        of two overlapping matches wins); when `calm` only CALM_CATEGORIES, when `asked` (a question but no
        conflict or charge before the turn) those and ASKED_CATEGORIES."""
        return (self.calm if calm else self.asked if asked else self.full).scan(text)

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

#: Contractions written online without the apostrophe ("dont", "im", "youre", "thats"); "we're" is left
#: out because "were" is a word of its own ("'ll" and "'d" too: "well", "ill", "hell", "wed").
_CONTRACTION = re.compile(r"(?<=[a-z])'(?=(?:t|m|re|s|ve)(?![a-z]))")



@functools.cache
def _entry_full(regex: str, flags: int) -> re.Pattern[str]:
    """One entry's pattern anchored at both ends (which entry matched a hit): compiled when first asked."""
    return re.compile(rf"(?:{regex})$", flags)


@functools.cache
def _entry_anchors(pattern: str) -> frozenset[str] | None:
    found = anchors(pattern.lower())
    return None if found is None else frozenset({a[:KEY] for a in found} | {a.replace("'", "")[:KEY] for a in found})


_LITERAL = re.compile(r"[\w']*")


#: Index keys are the first KEY letters of a word.
KEY = 5
#: Words too common to gate an entry on when it has a rarer one.
_COMMON = frozenset(["a", "an", "the", "i", "me", "my", "we", "you", "your", "it", "that", "this", "and", "or", "but", "not", "no", "what", "so", "as", "at", "all", "will", "he", "she", "they", "did", "do", "does", "let", "are", "is", "am", "be", "to", "of", "in", "on", "for", "how", "i'm", "it's", "you're", "that's", "don't"])
#: The categories that can matter with no conflict, charge or question before a turn: the others (deflection,
#: repair) are only searched for when the context could make them count.
CALM_CATEGORIES = frozenset({"epithet", "trait", "dismissal", "ironic_vocative", "praise", "you_group", "laughter", "mockery",
                             "blame_verb", "charge", "habit", "modal", "echo", "disagreement"})
#: What a turn answering a plain question may also do: dodge it.
ASKED_CATEGORIES = frozenset({"refusal", "subject_change", "stonewall", "non_apology"})
#: Categories only the clause tests search, in a window of the text, never indexed.
_CLAUSE_CATEGORIES = frozenset({"negator", "reporting", "self", "third"})


#: What an index tries where a key occurs: a group's union pattern, for the text and for its lowered ASCII
#: copy, then per category the alternation of its entries (both ways).
Tried = tuple["Lazy", "Lazy", list[tuple[str, "Lazy", "Lazy"]]]


class _Index:
    """The lookup index of some categories. An entry is tried only where a word starts that it can start
    with (its anchor, compared on the first KEY letters), and only in turns that have every other word it
    needs (its gate) and, when its first two words are plain, those two words next to each other (or one
    stance adverb apart: the gates of a long turn pass on words anywhere in it, most phrases starting with
    "i", "you" or "that" need a particular next word); per anchor and gate, a union pattern is tried first,
    because most places a common word occurs start no entry at all. Entries that can start with anything are
    searched for everywhere."""

    def __init__(self, entries: Mapping[str, tuple[Entry, ...]], categories: Iterable[str], flags: int,
                 shared: dict[str, Lazy], adjacency: bool = True) -> None:
        def lazy(source: str) -> Lazy:
            if source not in shared:
                shared[source] = Lazy(source, flags)
            return shared[source]

        def quick(source: str) -> Lazy:
            """The pattern for lowered ASCII text: case-sensitive when it can be (IGNORECASE is slower)."""
            key = "lowered:" + source
            if key not in shared:
                shared[key] = Lazy(source, flags, lowered=True)
            return shared[key]
        Gate = tuple[frozenset[str], tuple[frozenset[str], ...]]
        groups: dict[tuple[str, Gate, str], list[Entry]] = {}
        # entries with no key to index them by ("misl*": fewer letters than a key, then anything) are searched
        # for in every turn; in lowered ASCII text their leading letters come first, so the engine scans for them
        self.scanned: list[tuple[str, Lazy, Lazy]] = []
        for name in sorted(categories):
            for entry in entries[name]:
                starts = anchors(entry.pattern.lower())
                if starts is None:
                    whole = rf"(?<![\w'])(?:{entry.regex})(?![\w]|'\w)"
                    self.scanned.append((name, lazy(whole), quick(_letters_first(entry.regex) or whole)))
                    continue
                must, anyof = entry_gate(entry.pattern.lower())
                for key in {a[:KEY] for a in starts} | {a.replace("'", "")[:KEY] for a in starts}:
                    groups.setdefault((key, (must - {key}, anyof), name), []).append(entry)
        by_gate: dict[tuple[str, Gate], list[tuple[str, list[Entry]]]] = {}
        for (key, gate, name), some in groups.items():
            by_gate.setdefault((key, gate), []).append((name, some))
        self.free: dict[str, list[Tried]] = {}
        # a gate: the words all needed, and one set of alternatives of which one is needed (a prefilter: only
        # the first obligatory group is tested)
        # and the key pairs (first two words of a phrase) one of which a turn needs (None: no such need)
        Pairs = frozenset[tuple[str, str]] | None
        self.gated: dict[str, list[tuple[frozenset[str], frozenset[str] | None, Pairs, Tried]]] = {}
        for (key, (must, anyof)), named in by_gate.items():
            union = rf"(?:{_alternation(e for _, some in named for e in some)})(?![\w]|'\w)"
            alternations = [(name, rf"(?:{_alternation(some)})(?![\w]|'\w)") for name, some in named]
            tried = (lazy(union), quick(union), [(name, lazy(one), quick(one)) for name, one in alternations])
            pairs = _group_pairs(e for _, some in named for e in some) if adjacency else None
            self.free.setdefault(key, [])
            self.gated.setdefault(key, [])
            # the alternatives tested are the first set that the key itself does not satisfy: "(the )?long-term
            # (plan|view)" filed under "the" needs "long" (or, failing that, "plan"/"view"), not "the" again
            telling = [one for one in anyof if key not in one]
            alt = telling[0] if telling else None
            if must or alt is not None or pairs is not None:
                self.gated[key].append((must, alt, pairs, tried))
            else:
                self.free[key].append(tried)
        self.keyset = frozenset(self.free)
        # per key, the gated groups that need no pair; the groups that need one are found from the pairs a turn
        # has (a dict lookup per pair: testing every group of a common key against the turn cost a fifth of
        # the scan)
        self.loose = {key: [(must, alt, tried) for must, alt, need, tried in gated if need is None]
                      for key, gated in self.gated.items()}
        self.tight = {key: [(must, alt, need, tried) for must, alt, need, tried in gated if need is not None]
                      for key, gated in self.gated.items()}
        Group = tuple[str, frozenset[str], frozenset[str] | None, Tried]
        self.by_pair: dict[tuple[str, str], list[Group]] = {}
        for key, tight in self.tight.items():
            for must, alt, need, tried in tight:
                for pair in sorted(need):  # type: ignore[arg-type]
                    self.by_pair.setdefault(pair, []).append((key, must, alt, tried))
        self.pair_keys = frozenset(self.by_pair)
        self.stance = frozenset(word[:KEY] for word in STANCE_ADVERBS)
        # all a scan needs of a key, in one lookup
        self.by_key = {key: (self.free[key], self.loose[key], self.tight[key]) for key in self.free}
        # the keys that have something to try in any turn that has them (most keys have only groups that need a
        # pair: those come from the pairs)
        self.open_keys = frozenset(key for key in self.free if self.free[key] or self.loose[key])
        # the first KEY characters of every word, cut by the regex engine (a comprehension was slower)
        self.keys_of = re.compile(rf"([\w']{{1,{KEY}}})[\w']*").findall
        # for ASCII text the word characters spelled out: the same words, a quarter faster
        self.ascii_keys_of = re.compile(rf"([a-z0-9_']{{1,{KEY}}})[a-z0-9_']*+").findall
        # where a key word starts: the key as a literal first (the engine then searches for it fast), then
        # a look back past it at the character before (not a word character), whole word when shorter than KEY
        self.finder = Compiled({key: re.escape(key) + rf"(?<![\w'][^\n]{{{len(key)}}})"
                                 + (r"(?![\w'])" if len(key) < KEY else "") for key in self.keyset}, 0)

    def scan(self, text: str, lower: str | None = None) -> dict[str, list[re.Match[str]]]:
        """See `Vocabulary.scan`; `lower` is `text.lower()` when the caller has it already."""
        found: dict[str, list[re.Match[str]]] = {}
        lower = text.lower() if lower is None else lower
        ascii = text.isascii()
        keys = self.ascii_keys_of(lower) if ascii else self.keys_of(lower)
        words = set(keys)
        # the pairs of keys next to each other or one word apart (a stance adverb may come between) that some
        # phrase needs; only for ASCII text, where the lowered text cuts into the same words the patterns
        # match. Filtered as they are made (a set of every pair of a turn cost a tenth of the analysis)
        if ascii:
            needed = self.pair_keys.__contains__
            pairs = list(filter(needed, itertools.pairwise(keys)))
            # one word apart only across a stance adverb: the only word an entry lets in between its words
            if not self.stance.isdisjoint(words):
                pairs += filter(needed, itertools.compress(zip(keys, keys[2:]), map(self.stance.__contains__, keys[1:])))
        else:
            pairs = None
        by_key, finder = self.by_key, self.finder
        paired: dict[str, list[Tried]] = {}
        if pairs:
            seen: set[int] = set()
            by_pair = self.by_pair
            for pair in pairs:
                for key, must, alt, one in by_pair[pair]:
                    if id(one) not in seen and must <= words and (alt is None or not alt.isdisjoint(words)):
                        seen.add(id(one))
                        paired.setdefault(key, []).append(one)
        candidates = words.intersection(self.open_keys if pairs is not None else self.keyset)
        if paired:
            candidates.update(key for key in paired if key in words)
        for key in candidates:
            tried, loose, tight = by_key[key]
            if loose:
                tried = tried + [one for must, alt, one in loose
                                 if must <= words and (alt is None or not alt.isdisjoint(words))]
            if pairs is None:
                if tight:
                    tried = tried + [one for must, alt, _, one in tight
                                     if must <= words and (alt is None or not alt.isdisjoint(words))]
            elif key in paired:
                tried = tried + paired[key]
            if not tried:
                continue
            for where in finder[key].finditer(lower):
                at = where.start()
                if ascii:
                    # tested on the lowered copy; a hit is matched again on the text (same span) for rules
                    # and notes that quote it
                    for _, union, named in tried:
                        if union.match(lower, at) is None:
                            continue
                        for name, compiled, lowered in named:
                            # a group of one category: its union is that category's pattern, already matched
                            if lowered is union or lowered.match(lower, at) is not None:
                                found.setdefault(name, []).append(compiled.match(text, at))
                    continue
                for union, _, named in tried:
                    if union.match(text, at) is None:
                        continue
                    for name, compiled, _ in named:
                        hit = compiled.match(text, at)
                        if hit is not None:
                            found.setdefault(name, []).append(hit)
        for name, compiled, lowered in self.scanned:
            if ascii:
                # most turns have none: one search says so before any list is made
                hits = [compiled.match(text, at.start()) for at in lowered.finditer(lower)] \
                    if lowered.search(lower) is not None else None
            else:
                hits = compiled.findall(text) and list(compiled.finditer(text))
            if hits:
                found.setdefault(name, []).extend(hits)
        for name, hits in found.items():
            if len(hits) > 1:
                found[name] = _disjoint(hits)
        return found


_RUN = re.compile(r"[\w' ]*")


def _letters_first(regex: str) -> str | None:
    r"""`regex` as a whole word with its leading letters first and the word boundary checked behind them
    (`misl(?<![\w'].{4})...` finds what `(?<![\w'])misl...` finds, fast), or None when it has no such
    letters or is an alternation at the top."""
    head = re.match(r"[a-z0-9]+", regex)
    if head is None or len(_top_level_split(regex)) > 1:
        return None
    letters = head.group()
    if regex[len(letters):len(letters) + 1] in ("?", "*", "+", "{"):
        letters = letters[:-1]  # the last letter is optional or repeated: not part of every match
    if len(letters) < 2:
        return None
    return rf"{letters}(?<![\w'][^\n]{{{len(letters)}}})(?:{regex[len(letters):]})(?![\w]|'\w)"


def _group_pairs(entries: Iterable[Entry]) -> frozenset[tuple[str, str]] | None:
    """The key pairs (first word, second word) one of which a turn needs for some entry to match, or None
    when an entry's first two words are not plain words (no constraint)."""
    found: set[tuple[str, str]] = set()
    for entry in entries:
        pairs = _entry_pairs(entry.pattern.lower())
        if pairs is None:
            return None
        found |= pairs
    return frozenset(found)


@functools.cache
def _entry_pairs(pattern: str) -> frozenset[tuple[str, str]] | None:
    found: set[tuple[str, str]] = set()
    for spelled in _spelled(pattern):
        run = _RUN.match(spelled).group()  # type: ignore[union-attr]
        words = run.split(" ")
        if len(words) < 2 or not words[0] or not words[1]:
            return None
        first, second = words[0], words[1]
        complete = len(words) > 2 or len(run) == len(spelled) or spelled[len(run)] == "$"
        if not complete and len(second) < KEY:
            return None
        firsts = {first[:KEY], first.replace("'", "")[:KEY]}
        # a short last word may be followed by an apostrophe the word cutter keeps ("it'")
        seconds = {second[:KEY], second.replace("'", "")[:KEY], (second + "'")[:KEY]}
        found.update((a, b) for a in firsts for b in seconds)
    return frozenset(found)


def _open_group(group: str) -> tuple[str, str, bool]:
    """`group` starts with `(` or `[`: its inside, what follows it, and whether it is optional (`[...]` or `(...)?`)."""
    depth, close = 0, -1
    for i, char in enumerate(group):
        depth += char in "(["
        depth -= char in ")]"
        if depth == 0:
            close = i
            break
    inner, rest = group[1:close], group[close + 1:]
    optional = group[0] == "[" or rest.startswith("?")
    return inner, rest.removeprefix("?"), optional


def _spelled(pattern: str) -> list[str]:
    """`pattern` with its groups spelled out, one pattern per alternative, until it starts with two plain
    words; together they match at least what `pattern` matches."""
    run = _RUN.match(pattern).group()  # type: ignore[union-attr]
    following = pattern[len(run):len(run) + 1]
    if following not in ("(", "[") or run.count(" ") >= 2:
        return [pattern]
    inner, rest, optional = _open_group(pattern[len(run):])
    found: list[str] = []
    for alternative in _top_level_split(inner) + ([""] if optional else []):
        found.extend(_spelled(run + alternative + rest))
    return found


def _disjoint(hits: list[re.Match[str]]) -> list[re.Match[str]]:
    hits.sort(key=lambda h: (h.start(), -h.end()))
    kept: list[re.Match[str]] = []
    for hit in hits:
        if kept and hit.start() < kept[-1].end():
            if hit.end() - hit.start() > kept[-1].end() - kept[-1].start():
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


@functools.cache  # the three indexes ask for the same entries
def entry_gate(pattern: str) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """What a text must contain for the entry to match, as keys: every plain word (`must`), and for each
    obligatory group one of the words its alternatives start with (`anyof`)."""
    must: set[str] = set()
    anyof: list[frozenset[str]] = []
    for item in _top_level_split(pattern, " "):
        # an optional group that opens the item ("(i )?apologise", "[so ]sorry") promises nothing: what
        # follows it does (the gate of "(i )?apologise" is "apologise", not "i or apologise")
        while item and item[0] in "([":
            _, rest, optional = _open_group(item)
            if not optional or not rest.strip():
                break
            item = rest.lstrip()
        if not item or item[0] == "[":
            continue
        literal = _LITERAL.match(item).group()  # type: ignore[union-attr]
        rest = item[len(literal):]
        if literal and (not rest or not (rest[0] in "*([" or rest[0].isalnum())) or literal and len(literal) >= KEY:
            if "'" not in literal:
                must.add(literal[:KEY])
        elif not rest.endswith("?") or literal:
            found = anchors(item)
            if found is not None:
                anyof.append(frozenset({a[:KEY] for a in found} | {a.replace("'", "")[:KEY] for a in found}))
    return frozenset(must), tuple(anyof)


@functools.cache
def anchors(pattern: str) -> frozenset[str] | None:
    """The literal words an entry pattern can start with, or None when it can start with anything."""
    pattern = pattern.lstrip()
    literal = _LITERAL.match(pattern).group()  # type: ignore[union-attr]
    following = pattern[len(literal):len(literal) + 1]
    if following in ("(", "["):
        head = literal
        inner, rest, optional = _open_group(pattern[len(literal):])
        found: set[str] = set()
        for alternative in _top_level_split(inner) + ([""] if optional else []):
            more = anchors(head + alternative + rest)
            if more is None:
                return None
            found |= more
        return frozenset(found)
    if not literal or (following == "*" and len(literal) < KEY):
        return None
    return frozenset({literal})


def _top_level_split(text: str, sep: str = "|") -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "(["
        depth -= char in ")]"
        if char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _alternation(entries: Iterable[Entry]) -> str:
    patterns = sorted({e.regex for e in entries}, key=len, reverse=True)
    # an empty category must match nothing rather than everything
    return "|".join(patterns) if patterns else r"(?!x)x"


@functools.lru_cache(maxsize=8)
def vocabulary(user: tuple[Lexicon, ...] = ()) -> Vocabulary:
    """The built-in lexicons plus `user` ones, compiled (cached per lexicon set)."""
    return Vocabulary(builtin_lexicons() + tuple(user))
