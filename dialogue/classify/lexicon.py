"""Lexicons: the word lists the rules consult, read from data files.

This module owns the lexicon file format (see lexicons/README.md), its located errors, the built-in files
shipped in `lexicons/` and the translation of an entry into a regex. What the rules search with, compiled
from a lexicon set, is `vocab.py`'s; how a turn is scanned for the entries, `index.py`'s.

Format, one entry a line:

    [epithet]              # a section names the category of the entries below it
    idiot                  # why the entry is here (the comment is the documentation)
    dim*wit = 0.8          # `*` any word characters; `= w` a weight in 0..1
    (shut|belt) up         # `(a|b)` alternatives; `(a )?` or `[a]` optional
    not me$                # a final `$`: at the end of a sentence
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import attrs

from ..errors import TranscriptError, UsageError
from ..textio import read_text

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


# -- text normalisation ---------------------------------------------------------------------------------

#: Text normalisation that keeps every character at its offset (so cue spans stay spans of Turn.text).
NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u02bc": "'",
                           "\u2014": "-", "\u2013": "-"})


#: Contractions written online without the apostrophe ("dont", "im", "youre", "thats"); "we're" is left
#: out because "were" is a word of its own ("'ll" and "'d" too: "well", "ill", "hell", "wed").
_CONTRACTION = re.compile(r"(?<=[a-z])'(?=(?:t|m|re|s|ve)(?![a-z]))")
