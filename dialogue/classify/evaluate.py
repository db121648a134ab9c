"""Scoring the classifier against inline gold labels (`{label}` at the end of a turn -> `Turn.gold`).

This module owns `dialogue eval`: per-label precision, recall and F1, the macro-F1 over the contract's
three labels, a confusion matrix and counts, as data (`EvalReport`, `to_dict`) and as a readable table.
Only turns with a gold label count; every turn is still classified, because a move is judged in context.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..analysis import CORE_LABELS, LABELS
from ..model import Transcript
from . import classify
from .judge import as_judge


@attrs.frozen
class LabelScore:
    """Precision, recall and F1 of one label; `gold` and `predicted` count the turns behind them."""

    label: str
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int


@attrs.frozen
class Miss:
    """One annotated turn the classifier got wrong, with the cue that decided it."""

    source: str
    index: int
    line: int
    speaker: str
    text: str
    gold: str
    predicted: str
    rule: str | None


@attrs.frozen
class EvalReport:
    """The scores of one `evaluate` run. `confusion[gold][predicted]` counts turns."""

    labels: tuple[str, ...]
    scores: tuple[LabelScore, ...]
    macro_f1: float
    macro_labels: tuple[str, ...]
    accuracy: float
    confusion: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    files: int
    turns: int
    annotated: int
    misses: tuple[Miss, ...] = ()
    #: Expected calibration error of `Move.score` (10 equal-width bins; 0 is perfectly calibrated), and
    #: the number of turns it was measured on (None when no scores were given).
    calibration_error: float | None = None

    def score(self, label: str) -> LabelScore:
        for found in self.scores:
            if found.label == label:
                return found
        raise KeyError(label)

    def count(self, gold: str, predicted: str) -> int:
        return dict(dict(self.confusion).get(gold, ())).get(predicted, 0)

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "turns": self.turns, "annotated": self.annotated,
            "labels": list(self.labels),
            "per_label": {s.label: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                    "gold": s.gold, "predicted": s.predicted, "correct": s.correct}
                          for s in self.scores},
            "macro_f1": self.macro_f1, "macro_labels": list(self.macro_labels),
            "accuracy": self.accuracy,
            "confusion": {gold: dict(row) for gold, row in self.confusion},
            "calibration_error": self.calibration_error,
            "misses": [attrs.asdict(m) for m in self.misses],
        }


def evaluate(transcripts: Iterable[Transcript], lexicons: Sequence[object] = (), model: object = None,
             rules_only: bool = False) -> EvalReport:
    """Classify each transcript and score the turns that carry a gold label.

    `model` as for `dialogue.analyze`; `rules_only` scores the rules without the learned judge."""
    judge = None if rules_only else as_judge(model)
    pairs: list[tuple[str, str]] = []
    confidences: list[tuple[float, bool]] = []
    misses: list[Miss] = []
    files = turns = 0
    for transcript in transcripts:
        files += 1
        turns += len(transcript.turns)
        moves, _ = classify(transcript, lexicons=lexicons, judge=judge, rules_only=rules_only)
        for turn, move in zip(transcript.turns, moves):
            if turn.gold is None:
                continue
            gold = turn.gold.strip().lower()
            pairs.append((gold, move.label))
            confidences.append((move.score, gold == move.label))
            if gold != move.label:
                misses.append(Miss(transcript.source, turn.index, turn.line, turn.speaker, turn.text, gold,
                                   move.label, move.deciding[0].rule if move.deciding else None))
    report = score_pairs(pairs, files=files, turns=turns, misses=tuple(misses))
    return attrs.evolve(report, calibration_error=calibration_error(confidences))


def calibration_error(confidences: Sequence[tuple[float, bool]], bins: int = 10) -> float | None:
    """Expected calibration error: the turn-weighted mean gap between confidence and accuracy per bin."""
    if not confidences:
        return None
    totals: dict[int, list[float]] = {}
    for score, right in confidences:
        slot = totals.setdefault(min(int(score * bins), bins - 1), [0.0, 0.0, 0.0])
        slot[0] += 1
        slot[1] += score
        slot[2] += right
    gap = sum(abs(conf - right) for _, conf, right in totals.values())
    return round(gap / len(confidences), 4)


def score_pairs(pairs: Sequence[tuple[str, str]], files: int = 0, turns: int = 0,
                misses: tuple[Miss, ...] = ()) -> EvalReport:
    """Scores from (gold, predicted) pairs. A label with no gold and no prediction has precision, recall
    and F1 of 0; the macro-F1 averages the three contract labels that occur in gold or predictions."""
    seen = {label for pair in pairs for label in pair}
    labels = tuple(LABELS) + tuple(sorted(seen - set(LABELS)))
    matrix = {gold: {predicted: 0 for predicted in labels} for gold in labels}
    for gold, predicted in pairs:
        matrix[gold][predicted] += 1
    scores = []
    for label in labels:
        correct = matrix[label][label]
        gold_n = sum(matrix[label].values())
        predicted_n = sum(matrix[g][label] for g in labels)
        precision = correct / predicted_n if predicted_n else 0.0
        recall = correct / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(LabelScore(label, round(precision, 4), round(recall, 4), round(f1, 4), gold_n,
                                 predicted_n, correct))
    by_label = {s.label: s for s in scores}
    macro_labels = tuple(label for label in CORE_LABELS if by_label[label].gold or by_label[label].predicted)
    macro = sum(by_label[label].f1 for label in macro_labels) / len(macro_labels) if macro_labels else 0.0
    accuracy = sum(matrix[label][label] for label in labels) / len(pairs) if pairs else 0.0
    return EvalReport(labels=labels, scores=tuple(scores), macro_f1=round(macro, 4), macro_labels=macro_labels,
                      accuracy=round(accuracy, 4),
                      confusion=tuple((gold, tuple(matrix[gold].items())) for gold in labels),
                      files=files, turns=turns, annotated=len(pairs), misses=misses)


def format_report(report: EvalReport, misses: int = 0) -> str:
    """A table of per-label scores, the macro-F1, and the confusion matrix (rows gold, columns predicted);
    with `misses`, also that many wrongly labelled turns."""
    width = max(len(label) for label in report.labels + ("label",))
    lines = [f"# {report.annotated} annotated turns in {report.files} file(s) ({report.turns} turns in all)", "",
             f"{'label':<{width}}  precision  recall      f1   gold  predicted"]
    for s in report.scores:
        lines.append(f"{s.label:<{width}}  {s.precision:>9.3f}  {s.recall:>6.3f}  {s.f1:>6.3f}  {s.gold:>5}"
                     f"  {s.predicted:>9}")
    lines += ["", (f"macro-F1 ({', '.join(report.macro_labels) or 'no contract label present'}): "
                   f"{report.macro_f1:.3f}"), f"accuracy: {report.accuracy:.3f}",
              *([f"calibration error (ECE, 10 bins; 0 is perfect): {report.calibration_error:.3f}"]
                if report.calibration_error is not None else []), "",
              "confusion matrix (rows: gold, columns: predicted)"]
    short = {label: label[:7] for label in report.labels}
    cell = max(7, *(len(v) for v in short.values()))
    lines.append(f"{'':<{width}}  " + " ".join(f"{short[label]:>{cell}}" for label in report.labels))
    for gold, row in report.confusion:
        lines.append(f"{gold:<{width}}  " + " ".join(f"{count:>{cell}}" for _, count in row))
    if misses and report.misses:
        lines += ["", f"first {min(misses, len(report.misses))} of {len(report.misses)} misses:"]
        for m in report.misses[:misses]:
            text = " / ".join(m.text.split("\n"))
            lines.append(f"{m.source}:{m.line}: gold {m.gold}, got {m.predicted} ({m.rule or 'no deciding cue'}): "
                         f"{m.speaker}: {text}")
    return "\n".join(lines) + "\n"
