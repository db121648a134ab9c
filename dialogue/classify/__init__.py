"""Classify every move of a transcript in context: insult, deflection, reconciliation, accusation, neutral.

This package owns the judgement. `classify` walks the turns once, in order; for each it builds a
`TurnContext` (the turn answered, the conflict so far, who the parties are), runs the enabled rules of the
registry in order (each adds `Cue`s: rule name, character span of `Turn.text`, label, weight, note), and
`resolve` turns the cues into one label and a score. Lexicons are data files (`lexicons/*.txt`), compiled
once per lexicon set. See README.md in this folder for the rules, their order and the lexicon format.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..analysis import (
    NEUTRAL,
    Cue,
    Exchange,
    Move,
)
from .. import labels
from ..errors import UsageError
from ..model import Transcript
from . import accusation, conflict, deflection, echo, insult, reconciliation
from .context import TurnContext, conflict_after
from .features import TurnFeatures, content_of, turn_features, unique_words, word_span, words_of
from .judge import Judge, bundled_judge
from .lexicon import NORMALISE, Lexicon, load_lexicon_file, load_lexicons
from .vocab import vocabulary

Rule = Callable[[TurnContext], None]

#: Above this many cues in one turn the containment test (quadratic) is skipped.
MAX_CONTAINMENT = 64
#: A label must reach this score to beat `neutral`.
THRESHOLD = 0.55
#: Cues before a "but" that another label follows count this much ("sorry, but you started it").
BEFORE_BUT = 0.7


class Ruler:
    """An ordered registry of named rules that can be enabled and disabled by name (markdown-it's Ruler)."""

    def __init__(self, rules: Iterable[tuple[str, Rule]] = ()) -> None:
        self._rules: list[tuple[str, Rule]] = []
        self._disabled: set[str] = set()
        for name, fn in rules:
            self.push(name, fn)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self._rules)

    def _index(self, name: str) -> int:
        for i, (known, _) in enumerate(self._rules):
            if known == name:
                return i
        raise UsageError(f"unknown rule '{name}' (known: {', '.join(self.names)})")

    def push(self, name: str, fn: Rule) -> None:
        """Add a rule at the end."""
        if name in self.names:
            raise UsageError(f"rule '{name}' is already registered")
        self._rules.append((name, fn))

    def before(self, anchor: str, name: str, fn: Rule) -> None:
        """Add a rule just before `anchor`."""
        index = self._index(anchor)
        self.push(name, fn)
        self._rules.insert(index, self._rules.pop())

    def after(self, anchor: str, name: str, fn: Rule) -> None:
        """Add a rule just after `anchor`."""
        index = self._index(anchor)
        self.push(name, fn)
        self._rules.insert(index + 1, self._rules.pop())

    def _names(self, names: str | Iterable[str]) -> list[str]:
        chosen = [names] if isinstance(names, str) else list(names)
        for name in chosen:
            self._index(name)
        return chosen

    def enable(self, names: str | Iterable[str]) -> None:
        self._disabled.difference_update(self._names(names))

    def disable(self, names: str | Iterable[str]) -> None:
        self._disabled.update(self._names(names))

    def enable_only(self, names: str | Iterable[str]) -> None:
        keep = set(self._names(names))
        self._disabled = set(self.names) - keep

    def active(self) -> tuple[tuple[str, Rule], ...]:
        """The enabled rules, in order."""
        return tuple((name, fn) for name, fn in self._rules if name not in self._disabled)

    def copy(self) -> Ruler:
        twin = Ruler(self._rules)
        twin._disabled = set(self._disabled)
        return twin


def default_ruler() -> Ruler:
    """A fresh registry of every rule, in the order they run: insult, accusation, deflection, repair, echo.

    Deflection rules read accusation cues (a counter-accusation); echo rules read insult cues.
    """
    return Ruler([*insult.RULES, *accusation.RULES, *conflict.RULES, *deflection.RULES, *reconciliation.RULES,
                  *echo.RULES, *deflection.LAST_RULES, *accusation.LAST_RULES])


#: The registry `classify` uses unless given another.
RULES = default_ruler()

_NOTHING: frozenset[str] = frozenset()
#: Cues that cover a whole turn by construction: they never hide the phrase cues inside them.
_WHOLE_TURN = frozenset({"deflection.question-back", "deflection.no-answer", "deflection.unengaged",
                         "accusation.renewed"})
_BUT = re.compile(r"\b(?:but|however|though|although|except)\b", re.IGNORECASE)


def _same_side(one: str, other: str) -> bool:
    """One voice, or a joint voice and one of its members (a chorus `A & B` does not answer `A`, nor `A` it)."""
    if one == other:
        return True
    return (" & " in one and other in one.split(" & ")) or (" & " in other and one in other.split(" & "))


def classify(transcript: Transcript, lexicons: Sequence[object] = (), ruler: Ruler | None = None,
             judge: Judge | None = None, rules_only: bool = False,
             collect: list[tuple[TurnFeatures, str]] | None = None, teacher: bool = True
             ) -> tuple[tuple[Move, ...], tuple[Exchange, ...]]:
    """A move per turn (same order) and an exchange per response, judged in context.

    `lexicons` extend the built-in ones: `Lexicon` objects (see `load_lexicons`) or paths to lexicon files.
    The rules find the evidence; the learned `judge` (the bundled model unless given one) weighs it with
    the words and the context and names the label. `rules_only` decides by the rules' cues alone.
    `collect` (training) receives `(features, gold label)` for every annotated turn; with `teacher` the gold
    label, not a judgement, carries the context on (the conflict, the label answered); without it the
    `judge`'s own judgements do, as they will when it is used (so it learns to recover from its mistakes).
    """
    vocab = vocabulary(_as_lexicons(lexicons))
    if collect is not None and teacher:
        judge = None
    elif not rules_only and judge is None:
        judge = bundled_judge()
    judge_labels = judge.labels if judge is not None else ()
    if judge is not None:
        judge.prepare(len(transcript.turns))
    turns = transcript.turns
    texts = [turn.text if turn.text.isascii() else turn.text.translate(NORMALISE) for turn in turns]
    if judge is not None or collect is not None:
        # what the judge reads of each turn alone, for every turn before the first is judged (see `Judge.said`)
        lowered_all = [text.lower() for text in texts]
        words_all = list(map(words_of, lowered_all))
        content = list(map(content_of, words_all))   # each turn's content words (features.py)
        unique_all = list(map(unique_words, words_all))
        said_all = [judge.said(*unique) for unique in unique_all] if judge is not None else []
    rules = [(rule, getattr(rule, "needs", None), getattr(rule, "when", None), getattr(rule, "answering", None))
             for _, rule in (ruler or RULES).active()]
    flags = tuple(sorted({flag for _, _, when, _ in rules for flag in when or ()}))
    flags_of = operator.attrgetter(*flags) if flags else (lambda ctx: ())
    # the rules worth running depend only on the categories found and the flags: most turns are calm and
    # match nothing, and run none (chosen once per combination, not tested rule by rule on every turn)
    chosen: dict[tuple[object, ...], list[Rule]] = {}
    moves: list[Move] = []
    conflict = 0.0
    parties: set[str] = set()   # grown in place: a new set per turn was quadratic in distinct speakers
    own_last: dict[str, str] = {}   # each speaker's last label: who attacks goes on attacking, who repairs repairs
    for turn in turns:
        index = turn.index
        if index == 0:
            answered = None
        elif not _same_side(turns[index - 1].speaker, turn.speaker):
            answered = index - 1
        else:
            answered = moves[index - 1].responds_to
        ctx = TurnContext(turn, texts[index], vocab,
                          turns[answered] if answered is not None else None,
                          moves[answered] if answered is not None else None, conflict, parties, moves, turns)
        found = ctx.found
        answered_label = moves[answered].label if answered is not None else NEUTRAL
        state = (frozenset(found) if found else _NOTHING, flags_of(ctx), answered_label)
        useful = chosen.get(state)
        if useful is None:
            useful = chosen[state] = [rule for rule, wanted, when, labels in rules
                                      if _useful(wanted, when, labels, answered_label, found, ctx)]
        for rule in useful:
            rule(ctx)
        label, score, cues = resolve(ctx.cues, ctx.text) if ctx.cues else (NEUTRAL, 1.0, ())
        if judge is not None or collect is not None:
            lowered = lowered_all[index]
            mood = "charged" if ctx.charged else "conflict" if ctx.in_conflict else "calm"
            features = turn_features(words_all[index], content[index],
                                     content[answered] if answered is not None else None,
                                     answered_label, mood, ctx.questioned, label, cues,
                                     own_last.get(turn.speaker, ""), unique_all[index],
                                     words_all[index + 1] if index + 1 < len(turns)
                                     and not _same_side(turns[index + 1].speaker, turn.speaker) else ())
            gold = (turn.gold or "").strip().lower() if collect is not None else ""
            if gold:
                collect.append((features, gold))  # type: ignore[union-attr]
            if gold and teacher:
                label = gold
            elif judge is not None and not (cues and _unweighable(judge, cues[0])):
                label, score, cues = _judged(judge, features, cues, ctx.text, lowered,  # type: ignore[arg-type]
                                             judge_labels, said_all[index][features.conflict])
        moves.append(Move(index, label, score, cues, answered))
        own_last[turn.speaker] = label
        conflict = conflict_after(conflict, label, moves[answered].label if answered is not None else NEUTRAL)
        record = labels.get(label)   # the label's part in a fight, from the registry
        if not record.fights and record.role != labels.REPAIR:
            conflict += ctx.stir
        if record.fights or ctx.stir or (answered is not None and _aimed_at(moves[answered], turn.speaker, turns)):
            parties.add(turn.speaker)
            if answered is not None:
                parties.add(turns[answered].speaker)
        elif conflict < 0.1:
            parties = set()
    exchanges = tuple(Exchange(m.responds_to, m.index, m.label) for m in moves if m.responds_to is not None)
    return tuple(moves), exchanges


def _unweighable(judge: Judge, deciding: Cue) -> bool:
    """Is the rules' deciding cue one the judge cannot weigh: a label or a rule it was not trained with?"""
    return deciding.label != NEUTRAL and (deciding.label not in judge.labels
                                          or not judge.knows_rule(deciding.rule))


def _judged(judge: Judge, features: TurnFeatures, cues: tuple[Cue, ...], text: str, lowered: str,
            labels: tuple[str, ...], said: int | None = None) -> tuple[str, float, tuple[Cue, ...]]:
    """The judge's label and probability, and the evidence: the rules that voted for it, then the words that
    weighed most for it (each with its span), then the cues that lost. `said`: see `Judge.said`."""
    probabilities = judge.probabilities(features, said)
    top = max(probabilities)
    best = probabilities.index(top)   # the first label of the highest, as `max` with a key picks it
    label = labels[best]
    if label == NEUTRAL and not cues:   # most of a play's turns: no evidence to name or order
        return label, round(top, 3), ()
    words: list[Cue] = []
    if label != NEUTRAL:
        for kind, key, push in judge.weighed_most(features, label):
            span = word_span(text, lowered, key)
            if span is not None:
                shown = text[span[0]:span[1]]
                words.append(Cue("judge.words", span, label, round(min(push / 4, 1.0), 3),
                                 f"'{shown}' weighed {push:+.2f} toward {label}"
                                 + (" (in a fight)" if kind in ("cw", "cb") else "")))
    if cues and cues[0].label != label:
        cues = tuple(sorted(cues, key=lambda c: c.label != label))
    deciding = [c for c in cues if c.label == label]
    return label, round(probabilities[best], 3), (*deciding, *words, *(c for c in cues if c.label != label))


def _useful(wanted: frozenset[str] | None, when: tuple[str, ...] | None, labels: frozenset[str] | None,
            answered_label: str, found: object, ctx: TurnContext) -> bool:
    """Could a rule that needs these categories (`needs`), flags (`when`) or answered labels (`answering`)
    add anything to this turn? A rule that declares none of them always could."""
    if wanted is None and when is None and labels is None:
        return True
    return ((wanted is not None and not wanted.isdisjoint(found))  # type: ignore[arg-type]
            or (when is not None and any(getattr(ctx, flag) for flag in when))
            or (labels is not None and answered_label in labels))


def resolve(cues: list[Cue], text: str) -> tuple[str, float, tuple[Cue, ...]]:
    """One label from a turn's cues: the label whose cues reach the highest noisy-or score.

    A cue inside a longer cue of another label gives way to it ("sorry, what?" is not "sorry"); cues before
    a "but" give way to what follows it. Returns (label, score in 0..1, cues with the deciding ones first).
    """
    if not cues:
        return NEUTRAL, 1.0, ()
    # a cue inside a longer cue of another label gives way to it (skipped for pathological cue counts)
    live = [c for c in cues if not _contained(c, cues)] if len(cues) <= MAX_CONTAINMENT else list(cues)
    weights = {id(c): c.weight for c in live}
    # with one label among the cues nothing can give way to anything (most turns: skip the search)
    turn_on = _BUT.search(text) if len({c.label for c in live}) > 1 else None
    if turn_on:
        after = {c.label for c in live if c.span[0] >= turn_on.end() and c.weight > 0 and c.label != NEUTRAL}
        for c in live:
            if c.span[1] <= turn_on.start() and after - {c.label}:
                weights[id(c)] = c.weight * BEFORE_BUT
    missing: dict[str, float] = {}
    for c in live:
        if c.label != NEUTRAL and weights[id(c)] > 0:
            missing[c.label] = missing.get(c.label, 1.0) * (1.0 - weights[id(c)])
    scores = {label: 1.0 - rest for label, rest in missing.items()}
    best = max(scores, key=lambda lab: (scores[lab], -_rank(lab)), default=NEUTRAL)
    if best == NEUTRAL or scores[best] < THRESHOLD:
        label, score = NEUTRAL, 1.0 - max(scores.values(), default=0.0)
    else:
        label, score = best, scores[best]
    ordered = sorted(cues, key=lambda c: (c.label != label, -weights.get(id(c), 0.0), c.span))
    return label, round(min(max(score, 0.0), 1.0), 3), tuple(ordered)


def _aimed_at(move: Move, speaker: str, turns: tuple) -> bool:
    """The move is an attack and answers `speaker` (or nobody): `speaker` is its target, a party."""
    return labels.get(move.label).fights and (move.responds_to is None or turns[move.responds_to].speaker == speaker)


def _rank(label: str) -> int:
    """On equal scores the earlier label of the registry wins: an insult outranks what it might also be."""
    names = labels.NAMES
    return names.index(label) if label in names else len(names)


def _contained(cue: Cue, cues: list[Cue]) -> bool:
    start, end = cue.span
    return any(other is not cue and other.weight > 0 and other.label != cue.label and other.rule not in _WHOLE_TURN
               and other.span[0] <= start and end <= other.span[1] and other.span[1] - other.span[0] > end - start
               for other in cues)


def _as_lexicons(lexicons: Sequence[object]) -> tuple[Lexicon, ...]:
    found: list[Lexicon] = []
    for item in lexicons:
        if isinstance(item, Lexicon):
            found.append(item)
        elif isinstance(item, (str, Path)):
            found.append(load_lexicon_file(item))
        else:
            raise UsageError(f"not a lexicon: {item!r} (pass Lexicon objects or lexicon file paths)")
    return tuple(found)


__all__ = ["RULES", "Lexicon", "Ruler", "classify", "default_ruler", "load_lexicons", "resolve"]
