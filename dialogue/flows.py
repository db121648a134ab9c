"""Shared flows: where one voice picks up the rhyme or the metre of another. Transcript -> tuple[Flow, ...].

This module owns the conventions (docs/FLOWS.md); how words sound is `pronounce`'s business.

- Window: turn `j` may pick up turn `i` for `i` among the 3 turns just before it (by position).
- Voices: speakers are compared by canonical name, so a joint voice `KATE & LEO` is another voice than
  `KATE` (a chorus answering a verse is shared); a voice rhyming with itself is no shared flow.
- Rhyme: the last word of each line (an ad-lib counts as a line) against the last words of `i`'s lines,
  full or slant; a word inside a line counts against a line-final word only in a strong rhyme (full over
  2 syllables, "confrontation"/"conversation", or slant over 3); two inner words never do.
  The same word repeated is no rhyme; homophones of different spelling ("night"/"knight") are a full one.
  Each rhyming word of `j` is credited to the nearest earlier turn that has it.
- Spoken text (every dialect but lyrics) is guarded against chance rhymes in prose: only the last words of
  lines of 4 words or more, no function words, full rhymes from the last primary stress only, and only
  rhymes in a run (another rhyme ending within 3 turns): prose rhymes now and then, a battle every turn.
- Metre (lyrics only: blank verse and prose rhythm would make every exchange "shared"): a line of `j` and a
  line of `i`, both of 6 syllables or more, within 1 syllable of each other and with stress patterns that
  agree on 85% of the syllables.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from .analysis import METRE, RHYME, Flow
from .model import Transcript, Turn
from .pronounce import FULL, Rhyme, full_rhyme_key, normalise, rhyme, same_word, stress

WINDOW = 3
#: In speech, a line shorter than this is not judged for rhyme ("I know." / "Today, bro.").
MIN_SPEECH_WORDS = 4
MIN_METRE_SYLLABLES = 6
METRE_TOLERANCE = 1
METRE_AGREEMENT = 0.85
#: Dialects whose lines are sung or written as verse; the rest is judged as speech.
VERSE_DIALECTS = frozenset({"lyrics"})

#: Function words: they rhyme by chance ("you"/"too", "me"/"be") and carry no flow in speech; in a lyric
#: one of the two rhyme words may be one, never both. In metre they count as unstressed.
STOPWORDS = frozenset("""a an the i me you he she it we they him her us them my your his its our their
mine yours to of in on at by for with from and or but so nor is are was were be been am do does did not no
yes oh uh um ah that this these those there then than as if just too i'm you're it's that's i'll you'll
we'll i'd can will would should could has have had""".split())

#: A word: letters with inner apostrophes, and the apostrophe of a dropped g ("flexin'").
WORD = re.compile(r"[A-Za-z](?:[A-Za-z'\u2019]*[A-Za-z])?(?:(?<=in)['\u2019](?![A-Za-z]))?")


def _words(line: str) -> list[str]:
    return [normalise(w) for w in WORD.findall(line)]


def _lines(turn: Turn) -> list[list[str]]:
    """The turn's lines as words; each ad-lib is a line of its own."""
    lines = [_words(line) for line in turn.text.split("\n")]
    lines.extend(_words(adlib) for adlib in turn.adlibs)
    return [line for line in lines if line]


def _strength(found: Rhyme, internal: bool) -> float:
    if found.kind == FULL:
        return (1.0 if found.syllables >= 2 else 0.8) - (0.3 if internal else 0.0)
    return (0.5 if found.syllables >= 2 else 0.4) - (0.1 if internal else 0.0)


class _Voice:
    """What one sung turn offers to a rhyme: its line-final words and its longer inner words, each list in
    a fixed order (last line first) so that ties between equally good rhymes break the same way in every
    run, whatever the hash seed."""

    __slots__ = ("ends", "inner", "lines")

    def __init__(self, turn: Turn) -> None:
        self.lines = _lines(turn)
        self.ends = list(dict.fromkeys(line[-1] for line in reversed(self.lines)))
        ends = set(self.ends)
        self.inner = list(dict.fromkeys(w for line in reversed(self.lines) for w in line[:-1]
                                        if w not in STOPWORDS and len(w) > 3 and w not in ends))


def _match(earlier: _Voice, later_word: str, later_is_end: bool, verse: bool) -> tuple[float, str] | None:
    """The best word of `earlier` that `later_word` rhymes with, and the strength, or None."""
    best: tuple[float, str] | None = None
    for word, is_end in [(w, True) for w in earlier.ends] + [(w, False) for w in earlier.inner]:
        if verse and word in STOPWORDS and later_word in STOPWORDS:
            continue
        found = rhyme(word, later_word, primary=not verse)
        if found is None:
            continue
        if not (is_end or later_is_end):
            continue  # two inner words: too incidental to be a flow
        internal = not (is_end and later_is_end)
        if internal and not (found.syllables >= 3 or (found.syllables == 2 and found.kind == FULL)):
            continue  # an inner rhyme must be strong: full over 2 syllables, or slant over 3
        if not verse and found.kind != FULL:
            continue  # speech takes full rhymes only
        strength = _strength(found, internal)
        if best is None or strength > best[0]:
            best = (strength, word)
    return best


def _rhymes(voices: list[_Voice], speakers: list[str], j: int, verse: bool) -> Iterator[Flow]:
    later = voices[j]
    taken: set[str] = set()
    for i in range(j - 1, max(-1, j - 1 - WINDOW), -1):
        if speakers[i] == speakers[j]:
            continue
        best: tuple[float, str, str] | None = None
        for word, is_end in [(w, True) for w in later.ends] + [(w, False) for w in later.inner]:
            if word in taken:
                continue
            found = _match(voices[i], word, is_end, verse)
            if found is not None:
                taken.add(word)  # credited to the nearest turn: earlier turns do not get it again
                if best is None or found[0] > best[0]:
                    best = (found[0], found[1], word)
        if best is not None:
            yield Flow(turns=(i, j), kind=RHYME, words=(best[1], best[2]), strength=round(best[0], 2))


def _pattern(line: list[str]) -> str:
    """The line's stresses, 1 or 0 per syllable; a one-syllable function word is unstressed."""
    out = []
    for word in line:
        digits = stress(word)
        if len(digits) == 1:
            out.append("0" if word in STOPWORDS else "1")
        else:
            out.append(digits.replace("2", "1"))
    return "".join(out)


def _agreement(a: str, b: str) -> float:
    """Share of syllables whose stress agrees, the shorter line aligned at its start or at its end."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    best = 0
    for offset in {0, len(long) - len(short)}:
        best = max(best, sum(x == y for x, y in zip(short, long[offset:])))
    return best / len(long)


def _metre(voices: list[_Voice], speakers: list[str], j: int, patterns: list[list[str]]) -> Iterator[Flow]:
    for i in range(j - 1, max(-1, j - 1 - WINDOW), -1):
        if speakers[i] == speakers[j]:
            continue
        best: tuple[float, int, int] | None = None
        for li, pi in enumerate(patterns[i]):
            for lj, pj in enumerate(patterns[j]):
                if min(len(pi), len(pj)) < MIN_METRE_SYLLABLES or abs(len(pi) - len(pj)) > METRE_TOLERANCE:
                    continue
                agreement = _agreement(pi, pj)
                if agreement >= METRE_AGREEMENT and (best is None or agreement > best[0]):
                    best = (agreement, li, lj)
        if best is not None:
            words = (voices[i].lines[best[1]][-1], voices[j].lines[best[2]][-1])
            yield Flow(turns=(i, j), kind=METRE, words=words, strength=round(best[0] * 0.6, 2))
            return  # one metre flow per turn: the nearest voice it follows


def find_flows(transcript: Transcript) -> tuple[Flow, ...]:
    """Every shared flow of `transcript`, ordered by the later turn, then the earlier, rhyme before metre."""
    speakers = [turn.speaker for turn in transcript.turns]
    if transcript.dialect not in VERSE_DIALECTS:
        flows = _in_runs(list(_speech_rhymes(transcript.turns, speakers)))
    else:
        voices = [_Voice(turn) for turn in transcript.turns]
        patterns = [[_pattern(line) for line in voice.lines] for voice in voices]
        flows = []
        for j in range(1, len(voices)):
            flows.extend(_rhymes(voices, speakers, j, True))
            flows.extend(_metre(voices, speakers, j, patterns))
    flows.sort(key=lambda f: (f.turns[1], f.turns[0], f.kind != RHYME))
    return tuple(flows)


@lru_cache(maxsize=None)
def _end_key(token: str) -> tuple[str, tuple[str, ...]] | None:
    """A line's last token as (word, full rhyme key), or None for a function word or no word."""
    word = normalise(token)
    if word in STOPWORDS:
        return None
    key = full_rhyme_key(word)
    return (word, key) if key else None


def _speech_rhymes(turns: tuple[Turn, ...], speakers: list[str]) -> Iterator[Flow]:
    """Full end rhymes between voices in speech: equal rhyme keys of line-final content words."""
    keyed: list[dict[tuple[str, ...], str]] = []
    for turn in turns:
        ends: dict[tuple[str, ...], str] = {}
        for text in (turn.text, *turn.adlibs):
            # str methods, not a regex: speech can be a 7,000-turn play and this is its hot loop
            for line in text.split("\n"):
                parts = line.rsplit(None, MIN_SPEECH_WORDS - 1)
                if len(parts) >= MIN_SPEECH_WORDS:
                    found = _end_key(parts[-1])
                    if found:
                        ends.setdefault(found[1], found[0])
        keyed.append(ends)
    for j in range(1, len(turns)):
        later = keyed[j]
        if not later:
            continue
        taken: set[tuple[str, ...]] = set()
        for i in range(j - 1, max(-1, j - 1 - WINDOW), -1):
            if speakers[i] == speakers[j] or not keyed[i]:
                continue
            best: tuple[float, str, str] | None = None
            for key in later.keys() & keyed[i].keys() - taken:
                earlier, word = keyed[i][key], later[key]
                if same_word(earlier, word):
                    continue
                taken.add(key)  # credited to the nearest turn
                syllables = sum(1 for phone in key if phone[0] in "AEIOU")
                strength = 1.0 if syllables >= 2 else 0.8
                if best is None or (strength, word) > (best[0], best[2]):
                    best = (strength, earlier, word)
            if best is not None:
                yield Flow(turns=(i, j), kind=RHYME, words=(best[1], best[2]), strength=best[0])


def _in_runs(flows: list[Flow]) -> list[Flow]:
    """In speech, rhymes that come in runs: a rap battle typed as chat rhymes turn after turn, prose
    rhymes now and then by chance. A rhyme with no other rhyme ending within `WINDOW` turns of it goes."""
    ends = sorted(f.turns[1] for f in flows)
    # itself and one more within the window
    return [f for f in flows
            if bisect_right(ends, f.turns[1] + WINDOW) - bisect_left(ends, f.turns[1] - WINDOW) >= 2]
