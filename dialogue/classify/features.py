"""What the learned judge sees of a move: the features of one turn in its context, as plain strings.

This module owns the feature vocabulary shared by training (`train.py`) and judging (`judge.py`), so the two
can never disagree about what a feature means. A feature is a `(kind, key)` pair:

- `w` / `b`: a word and a word pair of the turn (lowered, apostrophes kept, `?` and `!` and emoji as words;
  `^` opens the turn, so `^ sorry` is "starts with sorry");
- `cw` / `cb`: the same words again when the turn answers a charge or falls in a conflict. A linear model
  cannot multiply, so "sorry" in a fight and "sorry" in a calm talk are two features: the context decides
  what the same words do;
- `x`: everything else: the rules that fired (`rule:insult.you-epithet`), the rules' own verdict
  (`rules:deflection`), the label of the move answered (`answers:insult`), the conflict state, whether the
  turn answers a question, says "you", how long it is, how many of the answered turn's words it reuses, the
  speaker's own last label (`own-last:insult`: who attacks goes on attacking, who repairs goes on repairing),
  a word rated negative by the VADER lexicon aimed at the hearer (`negative-at-hearer:strong`), and the first
  words of the reply, when another speaker says the next turn (`n:haha`, `n:^ sorry`): what a move did shows
  in how it is taken up (conversation analysis calls it the next-turn proof), a joke by the laugh after it.

Word features count for less in a long turn (`TurnFeatures.scale`), and a joke's label is no context.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from pathlib import Path

from ..analysis import HUMOUR, NEUTRAL, Cue

#: Words: letters and digits with inner apostrophes; `?` and `!`; any symbol outside ASCII (emoji).
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|[?!]|[^\x00-\x7f\w\s]")
#: Kinds of word features; `x` features carry no span.
WORD_KINDS = ("w", "b", "cw", "cb")
KINDS = (*WORD_KINDS, "x")
#: Words too common to say anything when shared with the turn answered.
_FUNCTION = frozenset("""a an the and or but so to of in on at for with is are was were be been am i you he she
it we they me him her us them my your his its our their this that these those do does did have has had not no
yes what who why how when where there here just oh well like ? ! s t""".split())
#: The same words, for the evidence: a function word alone ("a", "one") explains nothing to a reader.
FUNCTION_WORDS = _FUNCTION | {"one", "ok", "okay", "that's", "it's", "i'm", "you're"}
_SECOND = frozenset({"you", "your", "yours", "yourself", "u", "ur", "ya", "ye", "thou", "thee", "thy", "thine"})
#: The hearer named, for a rated word just after it ("you're pathetic", "thou art a villain").
_HEARER = _SECOND | {"you're", "youre", "you've", "you'd", "you'll", "yourselves", "y'all", "yall", "art"}
_NEGATORS = frozenset("""not no never nobody nothing don't dont isn't isnt wasn't aren't ain't can't cannot won't
didn't doesn't hardly""".split())
#: The VADER sentiment lexicon (MIT; built by scripts/build_valence.py): word -> mean human rating, -4..4.
VALENCE = Path(__file__).resolve().parent.parent / "data" / "valence.tsv"


class TurnFeatures:
    """The features of one turn, grouped by kind, with the words they came from (for evidence spans); each
    word and word pair once, in the order first said."""

    __slots__ = ("bigrams", "conflict", "extra", "scale", "words")

    def __init__(self, words: list[str], bigrams: list[str], conflict: bool, extra: list[str],
                 scale: float = 1.0) -> None:
        self.words = words
        self.bigrams = bigrams
        self.conflict = conflict
        self.extra = extra
        #: What each word feature counts for (`word_scale`); the `x` features always count 1.
        self.scale = scale

    def pairs(self) -> list[tuple[str, str]]:
        """Every feature as a `(kind, key)` pair (training; judging looks the groups up directly)."""
        found = [("w", w) for w in self.words] + [("b", b) for b in self.bigrams]
        if self.conflict:
            found += [("cw", w) for w in self.words] + [("cb", b) for b in self.bigrams]
        return found + [("x", x) for x in self.extra]


def words_of(lowered: str) -> list[str]:
    return TOKEN.findall(lowered)


def content_of(words: list[str]) -> frozenset[str]:
    """The words of a turn that carry its content: what a reply that engages with it may take up."""
    return frozenset(words).difference(_FUNCTION)


def bigrams_of(words: Sequence[str]) -> list[str]:
    """The word pairs of a turn, `^` (the turn's start) before its first word: the keys of `b` features."""
    return list(map(" ".join, zip(["^", *words], words)))


def unique_words(words: list[str]) -> tuple[list[str], list[str]]:
    """A turn's words and word pairs (`bigrams_of`), each once, in the order first said: what its word features
    are. A word said twice is one feature, as training counts it (`train.fit`): summed per occurrence, a speech
    that says "thou" five times was judged as if trained on five (the play's neutral speeches 4,306 -> 4,810
    of 7,222; cross-validated macro-F1 0.673 -> 0.672, transfer insult F1 0.726 -> 0.732)."""
    return list(dict.fromkeys(words)), list(dict.fromkeys(bigrams_of(words)))


def turn_features(words: list[str], content: frozenset[str], answered_content: frozenset[str] | None,
                  answered_label: str, state: str, questioned: bool, rule_label: str,
                  cues: Sequence[Cue], own_last: str = "",
                  unique: tuple[list[str], list[str]] | None = None, after: Sequence[str] = ()) -> TurnFeatures:
    """The features of a turn whose lowered words are `words` (`content` as `content_of` gives them, and
    `unique` as `unique_words` does, when the caller has them already).

    `state` is `calm`, `charged` (it answers an insult, an accusation or a protest) or `conflict` (a fight is
    going on); `rule_label` is what the rules alone decided; `cues` are theirs; `after` is the lowered words
    of the reply (the next turn, when another speaker says it; empty for the last turn or when the speaker
    goes on), whose first words become `n:` features.
    """
    # a joke's label is no context for the next turn: the annotators answer most jokes with jokes, and a
    # judge that feeds on its own labels then ran 13 speeches of a play as jokes in a row; the laughing
    # reply is known by its words
    answered_label = NEUTRAL if answered_label == HUMOUR else answered_label
    own_last = NEUTRAL if own_last == HUMOUR else own_last
    extra = [*_context_keys(answered_label, state, rule_label, _length(len(words)), own_last, questioned,
                            not _SECOND.isdisjoint(words))]
    if answered_content is not None:
        extra.append(_REUSES[_reuse(content, answered_content)])
    extra += _aimed(words)
    if after:
        extra += ["n:" + w for w in dict.fromkeys(after[:NEXT_WORDS])]
        extra += ["n:" + b for b in dict.fromkeys(bigrams_of(after[:NEXT_PAIRS]))]
    for cue in cues:
        if cue.weight > 0 or cue.label == NEUTRAL:
            extra.append(_rule_key(cue.rule))
    once, pairs = unique_words(words) if unique is None else unique
    return TurnFeatures(once, pairs, state != "calm", extra, word_scale(len(words)))


@lru_cache(maxsize=4096)
def _context_keys(answered_label: str, state: str, rule_label: str, length: str, own_last: str, questioned: bool,
                  says_you: bool) -> tuple[str, ...]:
    """The `x` features of a turn's context, in order. Made once per combination: the same strings come back,
    their hashes already computed when the judge looks them up (formatting them for each of a play's 7,222
    turns cost 6 ms more, and hashing them again in `Judge.logits` 7)."""
    extra = [f"answers:{answered_label}", f"state:{state}", f"rules:{rule_label}", f"rules:{rule_label}|{state}",
             f"length:{length}"]
    if own_last:
        extra += [f"own-last:{own_last}", f"own-last:{own_last}|answers:{answered_label}"]
    if questioned:
        extra.append("answers-question")
        extra.append(f"answers-question|{rule_label}")
    if says_you:
        extra.append("says-you")
        extra.append(f"says-you|{state}")
    return tuple(extra)


#: How many of the next turn's first words are features (`n:haha`), and how many make its word pair features
#: (`n:^ haha`, `n:i'm sorry`): whether the hearer laughs, forgives or hits back says what a move did.
NEXT_WORDS = 6
NEXT_PAIRS = 4


_REUSES = {share: f"reuses:{share}" for share in ("none-said", "nothing-to-reuse", "0", "1", "2+")}


@lru_cache(maxsize=1024)
def _rule_key(rule: str) -> str:
    return f"rule:{rule}"


#: Turns up to this many words weigh each word fully; see `word_scale`.
FULL_WEIGHT_WORDS = 12


def word_scale(n: int) -> float:
    """What a word feature counts for in a turn of `n` words: 1 up to `FULL_WEIGHT_WORDS`, then falling as
    1/sqrt(n). Summed unscaled, the small pushes of forty common words outweigh what a long speech says
    (a play's speeches came out as jokes by the hundred, each pushed by "a", "he", "my")."""
    return 1.0 if n <= FULL_WEIGHT_WORDS else math.sqrt(FULL_WEIGHT_WORDS / n)


def _aimed(words: list[str]) -> list[str]:
    """A word rated negative within three words after the hearer is named ("you're so pathetic", "thou art
    a villain"), as a feature: a put-down in words the annotated turns never use still counts for something.

    A rating is halved and turned when a negator stands just before it ("you're not stupid"). Tried on the
    training folds: the most negative and most positive word anywhere in the turn as well (cross-validated
    macro-F1 0.641 against 0.646 with this alone: complaints are full of negative words)."""
    table = valence()
    # only the three words after each hearer word are read: a play's turns have ~27 words and two hearer
    # words, and the loop over every word cost 35 ms of the play's 0.9 s analysis (this, 8 ms); most turns
    # have no hearer word or no rated word at all, said by two set tests
    if _HEARER.isdisjoint(words) or table.keys().isdisjoint(words):
        return []
    aimed = 0.0
    end = len(words)
    for at in compress(range(end), map(_HEARER.__contains__, words)):
        for i in range(at + 1, min(at + 4, end)):
            word = words[i]
            rating = table.get(word)
            if rating is None or word in _HEARER:   # a hearer word is never rated: the next one counts from it
                continue
            if words[i - 1] in _NEGATORS:
                rating = -0.5 * rating
            if rating < 0:
                aimed = min(aimed, rating)
    if aimed > -1.0:
        return []
    return ["negative-at-hearer:" + ("strong" if aimed <= -2.0 else "mild")]


@lru_cache(maxsize=1)
def valence() -> dict[str, float]:
    """The negative rated words, read once (3,148 lines, 2 ms; a missing file leaves the feature out)."""
    try:
        lines = VALENCE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {word: float(mean) for word, _, mean in (line.partition("\t") for line in lines if line[:1] != "#")}


def _length(n: int) -> str:
    # no bucket for long turns: the annotated sets have 191 turns over 20 words, too few to say what length
    # alone means, and a play is made of them
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9+"


def _reuse(mine: frozenset[str], theirs: frozenset[str]) -> str:
    """How much of the answered turn's content the reply takes up: a dodge often shares none of it."""
    if not mine:
        return "none-said"
    if not theirs:
        return "nothing-to-reuse"
    shared = len(mine & theirs)
    return "0" if shared == 0 else "1" if shared == 1 else "2+"


def word_span(text: str, lowered: str, key: str) -> tuple[int, int] | None:
    """Where in `text` a word feature's words first stand (`lowered` is `text` lowered), or None."""
    words = [w for w in key.split(" ") if w != "^"]
    if not words or len(lowered) != len(text):
        return None
    if len(words) == 1 and not words[0][0].isalnum():
        at = lowered.find(words[0])
        return (at, at + len(words[0])) if at >= 0 else None
    found = (_word_pattern(" ".join(words)) if len(words) > 1 else _one_word_pattern(words[0])).search(lowered)
    return found.span() if found else None


@lru_cache(maxsize=4096)
def _one_word_pattern(word: str) -> re.Pattern[str]:
    """`_word_pattern` of one word, the word first and the boundary before it looked back at after it: the
    engine then searches for the literal (a play's evidence spans: 3.4 ms instead of 11.9, the same spans)."""
    return re.compile(re.escape(word) + rf"(?<![a-z0-9'][^\n]{{{len(word)}}})(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _word_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9'])" + r"[^a-z0-9]+".join(map(re.escape, key.split(" "))) + r"(?![a-z0-9])")
