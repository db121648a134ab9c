"""The scan index: which lexicon entries a turn's words could start, tried only there.

This module owns the lookup structure under `Vocabulary.full`/`calm`/`asked`: how an entry is filed (its
anchor, the first KEY letters of a word it can start with; its gate, the words a turn must contain; the word
pair its first two words make) and the scan of one turn. `plan` is the costly part (analysing every entry
pattern) and gives plain data, so the bundled lexicons' plans are built once, ahead of time, into a data
file (`vocab.py`); `Index` assembles a plan into lazily compiled patterns.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .lexicon import STANCE_ADVERBS, Entry
from .patterns import Compiled, Lazy

#: Index keys are the first KEY letters of a word.
KEY = 5
#: The categories that can matter with no conflict, charge or question before a turn: the others (deflection,
#: repair) are only searched for when the context could make them count.
CALM_CATEGORIES = frozenset({"epithet", "trait", "dismissal", "ironic_vocative", "praise", "you_group", "laughter",
                             "mockery", "blame_verb", "charge", "habit", "modal", "echo", "disagreement"})
#: What a turn answering a plain question may also do: dodge it.
ASKED_CATEGORIES = frozenset({"refusal", "subject_change", "stonewall", "non_apology"})
#: Categories only the clause tests search, in a window of the text, never indexed.
CLAUSE_CATEGORIES = frozenset({"negator", "reporting", "self", "third"})
#: What an index tries where a key occurs: a group's union pattern, for the text and for its lowered ASCII
#: copy, then per category the alternation of its entries (both ways).
Tried = tuple[Lazy, Lazy, list[tuple[str, Lazy, Lazy]]]
#: A plan: entries searched everywhere `(category, pattern, pattern for lowered text)`, and groups
#: `(key, words all needed, one of which is needed, key pairs one of which is needed, union, [(category,
#: alternation)])`: strings, frozensets and None only, so it can be stored.
Plan = dict[str, list[tuple[Any, ...]]]
_END = r"(?![\w]|'\w)"


def plan(entries: Mapping[str, tuple[Entry, ...]], categories: Iterable[str], adjacency: bool = True) -> Plan:
    """How the entries of `categories` are filed. `adjacency=False` leaves the word-pair test out (a test
    shows it only skips work)."""
    Gate = tuple[frozenset[str], tuple[frozenset[str], ...]]
    groups: dict[tuple[str, Gate, str], list[Entry]] = {}
    # entries with no key to index them by ("misl*": fewer letters than a key, then anything) are searched
    # for in every turn; in lowered ASCII text their leading letters come first, so the engine scans for them
    scanned = []
    for name in sorted(categories):
        for entry in entries[name]:
            starts = anchors(entry.pattern.lower())
            if starts is None:
                whole = rf"(?<![\w'])(?:{entry.regex}){_END}"
                scanned.append((name, whole, _letters_first(entry.regex) or whole))
                continue
            must, anyof = entry_gate(entry.pattern.lower())
            for key in sorted({a[:KEY] for a in starts} | {a.replace("'", "")[:KEY] for a in starts}):
                groups.setdefault((key, (must - {key}, anyof), name), []).append(entry)
    by_gate: dict[tuple[str, Gate], list[tuple[str, list[Entry]]]] = {}
    for (key, gate, name), some in groups.items():
        by_gate.setdefault((key, gate), []).append((name, some))
    filed = []
    for (key, (must, anyof)), named in by_gate.items():
        union = rf"(?:{alternation(e for _, some in named for e in some)}){_END}"
        # the alternatives tested are the first set that the key itself does not satisfy: "(the )?long-term
        # (plan|view)" filed under "the" needs "long" (or, failing that, "plan"/"view"), not "the" again
        telling = [one for one in anyof if key not in one]
        pairs = _group_pairs(e for _, some in named for e in some) if adjacency else None
        filed.append((key, must, telling[0] if telling else None, pairs, union,
                      [(name, rf"(?:{alternation(some)}){_END}") for name, some in named]))
    return {"scanned": scanned, "groups": filed}


class Index:
    """The lookup index of some categories. An entry is tried only where a word starts that it can start
    with (its anchor, compared on the first KEY letters), and only in turns that have every other word it
    needs (its gate) and, when its first two words are plain, those two words next to each other (or one
    stance adverb apart: the gates of a long turn pass on words anywhere in it, most phrases starting with
    "i", "you" or "that" need a particular next word); per anchor and gate, a union pattern is tried first,
    because most places a common word occurs start no entry at all. Entries that can start with anything are
    searched for everywhere."""

    def __init__(self, filed: Plan, flags: int, shared: dict[str, Lazy]) -> None:
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
        self.scanned = [(name, lazy(whole), quick(lowered)) for name, whole, lowered in filed["scanned"]]
        self.free: dict[str, list[Tried]] = {}
        # a gate: the words all needed, and one set of alternatives of which one is needed (a prefilter: only
        # the first obligatory group is tested), and the key pairs (first two words of a phrase) one of which
        # a turn needs (None: no such need)
        Pairs = frozenset[tuple[str, str]] | None
        gated: dict[str, list[tuple[frozenset[str], frozenset[str] | None, Pairs, Tried]]] = {}
        for key, must, alt, pairs, union, alternations in filed["groups"]:
            tried = (lazy(union), quick(union), [(name, lazy(one), quick(one)) for name, one in alternations])
            self.free.setdefault(key, [])
            gated.setdefault(key, [])
            if must or alt is not None or pairs is not None:
                gated[key].append((must, alt, pairs, tried))
            else:
                self.free[key].append(tried)
        self.keyset = frozenset(self.free)
        # per key, the gated groups that need no pair; the groups that need one are found from the pairs a turn
        # has (a dict lookup per pair: testing every group of a common key against the turn cost a fifth of
        # the scan)
        loose = {key: [(must, alt, tried) for must, alt, need, tried in some if need is None]
                 for key, some in gated.items()}
        tight = {key: [(must, alt, need, tried) for must, alt, need, tried in some if need is not None]
                 for key, some in gated.items()}
        Group = tuple[int, str, frozenset[str], frozenset[str] | None, Tried]
        listed: dict[tuple[str, str], list[Group]] = {}
        for key, some in tight.items():
            for must, alt, need, tried in some:
                for pair in sorted(need):  # type: ignore[arg-type]
                    under = listed.setdefault(pair, [])
                    under.append((len(under), key, must, alt, tried))
        # a pair's groups filed again under a word each needs (one of its `must` words, else each of its
        # alternatives): of the ~10 groups of a pair a turn has, one in thirteen passes its gate, so a turn
        # looks up the words it has rather than testing every group (the number keeps the groups' order)
        self.by_pair: dict[tuple[str, str], tuple[list[Group], dict[str, list[Group]]]] = {}
        for pair, groups in listed.items():
            ungated: list[Group] = []
            by_word: dict[str, list[Group]] = {}
            for group in groups:
                _, _, must, alt, _ = group
                for word in ([max(sorted(must), key=len)] if must else sorted(alt) if alt is not None else []):
                    by_word.setdefault(word, []).append(group)
                if not must and alt is None:
                    ungated.append(group)
            self.by_pair[pair] = (ungated, by_word)
        self.pair_keys = frozenset(self.by_pair)
        self.stance = frozenset(word[:KEY] for word in STANCE_ADVERBS)
        # all a scan needs of a key, in one lookup
        self.by_key = {key: (self.free[key], loose[key], tight[key]) for key in self.free}
        # the keys that have something to try in any turn that has them (most keys have only groups that need a
        # pair: those come from the pairs)
        self.open_keys = frozenset(key for key in self.free if self.free[key] or loose[key])
        # the first KEY characters of every word, cut by the regex engine (a comprehension was slower)
        self.keys_of = _KEYS_OF
        # for ASCII text the word characters spelled out: the same words, a quarter faster
        self.ascii_keys_of = _ASCII_KEYS_OF
        # where a key word starts: the key as a literal first (the engine then searches for it fast), then
        # a look back past it at the character before (not a word character), whole word when shorter than KEY
        self.finder = Compiled({key: re.escape(key) + rf"(?<![\w'][^\n]{{{len(key)}}})"
                                 + (r"(?![\w'])" if len(key) < KEY else "") for key in self.keyset}, 0)

    def scan(self, text: str, lower: str | None = None) -> dict[str, list[re.Match[str]]]:
        """Every category's matches in `text`, in order and not overlapping within a category (the longer
        of two overlapping matches wins); `lower` is `text.lower()` when the caller has it already."""
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
                ungated, by_word = by_pair[pair]
                some = ungated + [group for word in words.intersection(by_word) for group in by_word[word]]
                if len(some) > 1:
                    some.sort(key=_first)
                for _, key, must, alt, one in some:
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


_first = operator.itemgetter(0)
_KEYS_OF = re.compile(rf"([\w']{{1,{KEY}}})[\w']*").findall
_ASCII_KEYS_OF = re.compile(rf"([a-z0-9_']{{1,{KEY}}})[a-z0-9_']*+").findall
_RUN = re.compile(r"[\w' ]*")
_LITERAL = re.compile(r"[\w']*")


def _letters_first(regex: str) -> str | None:
    r"""`regex` as a whole word with its leading letters first and the word boundary checked behind them
    (`misl(?<![\w'].{4})...` finds what `(?<![\w'])misl...` finds, fast), or None when it has no such
    letters or is an alternation at the top."""
    head = re.match(r"[a-z0-9]+", regex)
    if head is None or len(top_level_split(regex)) > 1:
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
    for alternative in top_level_split(inner) + ([""] if optional else []):
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
    for item in top_level_split(pattern, " "):
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
        for alternative in top_level_split(inner) + ([""] if optional else []):
            more = anchors(head + alternative + rest)
            if more is None:
                return None
            found |= more
        return frozenset(found)
    if not literal or (following == "*" and len(literal) < KEY):
        return None
    return frozenset({literal})


def top_level_split(text: str, sep: str = "|") -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "(["
        depth -= char in ")]"
        if char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def alternation(entries: Iterable[Entry]) -> str:
    """The entries' regexes as one alternation, longest first (then in text order: the same in every
    process, whatever the string hash seed)."""
    patterns = sorted({e.regex for e in entries}, key=lambda regex: (-len(regex), regex))
    # an empty category must match nothing rather than everything
    return "|".join(patterns) if patterns else r"(?!x)x"


