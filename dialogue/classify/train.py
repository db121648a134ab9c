"""Training the learned judge: annotated transcripts in, a model file out.

This module owns `dialogue train`. Every annotated turn (`{label}`, or a row of a labelled `.tsv` set) is
turned into features by the same classification loop that judges (`classify(..., collect=...)`, with the
gold labels carrying the context on), and a multinomial logistic regression is fitted to them by L-BFGS:

    loss = weighted mean of -log p(gold | features) + strength / 2 * |W - W0|^2

From scratch `W0` is zero (plain L2). Adapting (the default) starts from a base model, the bundled one unless
told otherwise: `W0` is its weights, so a few dozen of a user's annotated turns move the model toward their
domain without forgetting what it knew (a prior centred on the old weights). New words and new labels enter
with weight zero. A held-out share of the files, chosen by file name, sets the calibration temperature.

numpy and scipy are needed here and nowhere else (`pip install 'dialogue[train]'`).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..analysis import LABELS, NEUTRAL
from ..errors import ModelError, TranscriptError
from ..model import Transcript, Turn
from . import classify
from .features import KINDS, TurnFeatures
from .judge import Judge, bundled_judge, from_arrays, load_model

#: A public set's rows (one comment, perhaps with the one it answers) count less than a turn of a transcript.
TSV_WEIGHT = 0.5
#: Each annotated insult is also learned alone, as the first words of a calm chat, at this weight: an insult
#: aimed at the hearer is one out of the blue too, but the transcripts build up to theirs, so without these
#: the model learns that calm means no insult ("You're an idiot." as an opener came out neutral). Weight 2,
#: chosen on a model trained on the transcripts alone and scored on the ConvAbuse rows, comments in a register
#: it never saw (`scripts/crossval.py --transfer`): insult F1 0.634 at 0.5, 0.665 at 1, 0.702 at 2, 0.707 at
#: 3; cross-validated macro-F1 in context 0.642, 0.644, 0.641 (no change).
ISOLATED_WEIGHT = 2.0
#: The labels learned alone. Insults alone taught the model that a lone "you" sentence is one: "I missed
#: you.", "You look nice today." and 10 more of 30 calm openers came out as insults. The neutral turns and the
#: charges alone as well (at the same weight; 1 did no better) put that right: 1 of the 30, cross-validated
#: macro-F1 0.659 -> 0.673, transfer insult F1 0.738 -> 0.726 with precision 0.87 -> 0.93, balanced
#: accuracy 0.772 -> 0.776. Reconciliation and humour alone too: macro-F1 0.679 but transfer F1 0.704.
ISOLATED_LABELS = ("insult", "neutral", "accusation")
#: Features seen in fewer training examples than this are not learned from scratch (noise, and file size).
MIN_COUNT = 1
#: Features whose weights differ across labels by less than this are dropped: they cannot change a decision.
PRUNE_SPREAD = 0.02
#: How the labels are balanced in the loss (see `fit`).
CLASS_POWER = 0.8


@attrs.frozen
class Example:
    features: TurnFeatures
    gold: str
    weight: float
    group: str


@attrs.frozen
class TrainReport:
    """What a training run did: examples used, labels, features kept, fit and held-out figures."""

    examples: int
    held_out: int
    labels: tuple[str, ...]
    features: int
    loss: float
    temperature: float
    held_out_accuracy: float | None
    base: str | None

    def format(self) -> str:
        held = (f", held-out accuracy {self.held_out_accuracy:.3f} on {self.held_out} turns"
                if self.held_out_accuracy is not None else "")
        return (f"trained on {self.examples} annotated turns ({', '.join(self.labels)}) from "
                f"{'the model ' + self.base if self.base else 'scratch'}: {self.features} features, "
                f"loss {self.loss:.3f}, temperature {self.temperature:.2f}{held}")


def read_tsv(path: str | Path) -> list[Transcript]:
    """A labelled set as two-turn transcripts: the comment answered (if any), then the labelled one.

    Columns: `id`, `context`, `text`, `label` (tab-separated, a header row; `\\t` and `\\n` escaped)."""
    out = []
    name = str(path)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise TranscriptError("a training .tsv needs a header with 'text' and 'label' columns", 1, 1, name)
        for row_number, row in enumerate(reader, start=2):
            text = _unescape(row.get("text") or "")
            label = (row.get("label") or "").strip().lower()
            if not text.strip() or not label:
                continue
            context = _unescape(row.get("context") or "")
            turns = [Turn(index=0, speaker="A", text=context, line=row_number)] if context.strip() else []
            turns.append(Turn(index=len(turns), speaker="B", text=text, line=row_number, gold=label))
            out.append(Transcript.from_turns(turns, source=f"{name}#{row.get('id') or row_number}"))
    return out


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def read_training(paths: Iterable[str | Path]) -> list[tuple[Transcript, float]]:
    """Transcripts (and labelled `.tsv` sets) with the weight each of their turns carries."""
    from ..parse import parse_file
    found: list[tuple[Transcript, float]] = []
    for path in paths:
        if str(path).endswith(".tsv"):
            found += [(t, TSV_WEIGHT) for t in read_tsv(path)]
        else:
            found.append((parse_file(path), 1.0))
    return found


def isolated(sources: Sequence[tuple[Transcript, float]]) -> list[tuple[Transcript, float]]:
    """Every annotated turn of `ISOLATED_LABELS` in the transcripts (not in the labelled sets, whose rows
    stand alone already) as a one-turn transcript of its own, and each insult as the answer to the file's
    calm opening line too, in the group (file) it came from, so a split keeps them together."""
    out = []
    for transcript, weight in sources:
        if "#" in transcript.source:
            continue
        opener = transcript.turns[0] if transcript.turns and transcript.turns[0].gold == NEUTRAL else None
        for turn in transcript.turns:
            if turn.gold not in ISOLATED_LABELS or turn.index == 0:
                continue
            alone = Turn(index=0, speaker=turn.speaker, text=turn.text, line=turn.line, gold=turn.gold)
            out.append((Transcript.from_turns([alone], source=transcript.source), weight * ISOLATED_WEIGHT))
            if turn.gold == "insult" and opener is not None and opener.speaker != turn.speaker:
                out.append((Transcript.from_turns([opener, attrs.evolve(alone, index=1)], source=transcript.source),
                            weight * ISOLATED_WEIGHT))
    return out


def examples_of(sources: Sequence[tuple[Transcript, float]], lexicons: Sequence[object] = (),
                judge: Judge | None = None) -> list[Example]:
    """The annotated turns as examples; with a `judge`, in the context its own judgements make."""
    out = []
    for transcript, weight in sources:
        collected: list[tuple[TurnFeatures, str]] = []
        classify(transcript, lexicons=lexicons, collect=collected, judge=judge, teacher=judge is None)
        group = transcript.source  # a labelled set's rows are split one by one, a transcript whole
        out += [Example(features, gold, weight, group) for features, gold in collected]
    return out


def held_out_group(group: str, share: float) -> bool:
    """Whether a file belongs to the held-out share: decided by its name, so every run splits alike."""
    digest = hashlib.sha1(Path(group).name.encode("utf-8")).digest()
    return digest[0] / 256 < share


def train(paths: Sequence[str | Path], output: str | Path, base: str | Path | None = "bundled",
          strength: float | None = None, hold_out: float = 0.0, lexicons: Sequence[object] = ()
          ) -> TrainReport:
    """Fit a model to the annotated turns of `paths` and write it to `output` (whole or not at all).

    `base`: "bundled" (adapt the shipped model), a model file to adapt, or None (from scratch).
    `strength`: the pull toward the base weights (or toward zero); `hold_out`: the share of files kept
    apart to calibrate and report on."""
    np = _numpy()
    start = None if base is None else bundled_judge() if base == "bundled" else load_model(base)
    sources = read_training(paths)
    everything = examples_of(sources, lexicons)
    if not everything:
        raise ModelError("no annotated turns to learn from: mark turns with {label} (see docs/LABELS.md)",
                         source=str(paths[0]) if paths else None)
    held = [e for e in everything if hold_out and held_out_group(e.group, hold_out)]
    fitted = [e for e in everything if not (hold_out and held_out_group(e.group, hold_out))] or everything
    if strength is None:
        strength = 1e-4 if start is None else 1e-3
    alone = examples_of([s for s in isolated(sources) if not (hold_out and held_out_group(s[0].source, hold_out))],
                        lexicons)
    judge, _ = fit(fitted + alone, start, strength, np)
    # a second round on the turns as the first model sees them (its own labels carry the context), beside
    # the gold-context ones: at use the context comes from its judgements, mistakes included
    training = [e for e in fitted if e.group not in {h.group for h in held}] + alone
    own = examples_of([s for s in sources if not (hold_out and held_out_group(s[0].source, hold_out))],
                      lexicons, judge)
    judge, loss = fit(training + own, start, strength, np, vocabulary_from=training)
    temperature = calibrate(judge, held, np) if held else (start.temperature if start is not None else 1.0)
    judge = attrs.evolve(judge, temperature=temperature)
    accuracy = None
    if held:  # judged as in use: the model's own labels carry the context
        replayed = examples_of([s for s in sources if hold_out and held_out_group(s[0].source, hold_out)],
                               lexicons, judge)
        accuracy = sum(_predict(judge, e.features) == e.gold for e in replayed) / max(len(replayed), 1)
    meta = {"examples": len(fitted), "base": None if start is None else start.meta.get("name", str(base)),
            "name": Path(output).name, "labels_seen": dict(Counter(e.gold for e in fitted)),
            # the rules it has seen fire: a rule added later (a user's own) decides its turns by itself
            "rules": sorted({x[5:] for e in fitted for x in e.features.extra if x.startswith("rule:")}
                            | (known_rules(start) if start is not None else set()))}
    judge = attrs.evolve(judge, meta=meta)
    judge.save(output)
    return TrainReport(len(fitted), len(held), judge.labels, judge.size, loss, temperature, accuracy,
                       None if start is None else str(base))


def known_rules(judge: Judge) -> set[str]:
    """The rules a model was trained with (older files: the rules among its features)."""
    seen = judge.meta.get("rules")
    if isinstance(seen, list):
        return set(map(str, seen))
    return {key[5:] for key in judge.index["x"] if key.startswith("rule:")}


def fit(examples: Sequence[Example], start: Judge | None, strength: float, np: Any,
        vocabulary_from: Sequence[Example] | None = None) -> tuple[Judge, float]:
    """The weights minimising the weighted log loss plus the pull toward `start` (or zero).

    The features learned are those of `vocabulary_from` (default: `examples`) seen often enough."""
    from scipy import optimize, sparse
    labels = list(start.labels) if start is not None else [label for label in LABELS]
    labels += sorted({e.gold for e in examples} - set(labels))
    counts = Counter(key for e in (vocabulary_from or examples) for key in set(e.features.pairs()))
    keys: list[tuple[str, str]] = []
    if start is not None:
        # in id order (ids run 1..size over all kinds), so row i of W0 is the base model's feature i + 1
        keys = sorted(((kind, key) for kind in KINDS for key in start.index[kind]),
                      key=lambda kind_key: start.index[kind_key[0]][kind_key[1]])
    known = set(keys)
    minimum = 1 if start is not None else MIN_COUNT
    keys += sorted(k for k, n in counts.items() if n >= minimum and k not in known)
    column = {k: i for i, k in enumerate(keys)}
    rows, cols, values = [], [], []
    for r, e in enumerate(examples):
        # a feature counts once in a turn; a word feature counts for the turn's word scale
        ids = {column[k]: 1.0 if k[0] == "x" else e.features.scale for k in e.features.pairs() if k in column}
        rows += [r] * len(ids)
        cols += sorted(ids)
        values += [ids[i] for i in sorted(ids)]
    n, f, k = len(examples), len(keys), len(labels)
    x = sparse.csr_matrix((np.array(values), (rows, cols)), shape=(n, f))
    y = np.array([labels.index(e.gold) for e in examples])
    # a label's turns weigh by its count to the power -0.8 (nearly balanced), then by source; on the training
    # folds (scripts/crossval.py) 0.5, 0.8 and 1.0 gave macro-F1 0.641, 0.646 and 0.645
    label_counts = Counter(e.gold for e in examples)
    weights = np.array([e.weight / label_counts[e.gold] ** CLASS_POWER for e in examples])
    weights /= weights.sum()
    w0 = np.zeros((f, k))
    b0 = np.zeros(k)
    if start is not None:
        size = start.size
        for j, label in enumerate(labels):
            if label in start.labels:
                w0[:size, j] = start.columns[start.labels.index(label)][1:]
                b0[j] = start.bias[start.labels.index(label)]
            else:
                b0[j] = min(start.bias) - 1.0
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def objective(theta: Any) -> tuple[float, Any]:
        w = theta[:f * k].reshape(f, k)
        b = theta[f * k:]
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        loss = -(weights * logp[np.arange(n), y]).sum() + 0.5 * strength * ((w - w0) ** 2).sum() \
            + 0.5 * strength * 0.01 * ((b - b0) ** 2).sum()
        residual = (np.exp(logp) - onehot) * weights[:, None]
        grad_w = x.T @ residual + strength * (w - w0)
        grad_b = residual.sum(axis=0) + strength * 0.01 * (b - b0)
        return float(loss), np.concatenate([np.asarray(grad_w).ravel(), grad_b])

    theta0 = np.concatenate([w0.ravel(), b0])
    result = optimize.minimize(objective, theta0, jac=True, method="L-BFGS-B",
                               options={"maxiter": 800, "maxfun": 1600})
    w = result.x[:f * k].reshape(f, k)
    b = result.x[f * k:]
    spread = w.max(axis=1) - w.min(axis=1)
    keep = [i for i in range(f) if spread[i] >= PRUNE_SPREAD]
    judge = from_arrays(labels, [keys[i] for i in keep], w[keep].tolist(), b.tolist(),
                        start.temperature if start is not None else 1.0)
    return judge, float(result.fun)


def calibrate(judge: Judge, held: Sequence[Example], np: Any) -> float:
    """The temperature that minimises the log loss of the held-out turns (a grid, then a finer grid)."""
    logits = []
    gold = []
    for e in held:
        if e.gold not in judge.labels:
            continue
        logits.append([v * judge.temperature for v in judge.logits(e.features)])  # unscaled
        gold.append(judge.labels.index(e.gold))
    if not logits:
        return judge.temperature
    z = np.array(logits)
    g = np.array(gold)

    def nll(t: float) -> float:
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        return float(-(s[np.arange(len(g)), g] - np.log(np.exp(s).sum(axis=1))).mean())

    coarse = [0.25 * 1.15 ** i for i in range(30)]
    best = coarse[int(np.argmin([nll(t) for t in coarse]))]
    fine = [best * (0.9 + 0.02 * i) for i in range(11)]
    return round(fine[int(np.argmin([nll(t) for t in fine]))], 4)


def _predict(judge: Judge, features: TurnFeatures) -> str:
    probabilities = judge.probabilities(features)
    return judge.labels[max(range(len(judge.labels)), key=probabilities.__getitem__)]


def _numpy() -> Any:
    try:
        import numpy
        import scipy  # noqa: F401
    except ImportError:
        raise ModelError("training needs numpy and scipy: pip install 'dialogue[train]'") from None
    return numpy


__all__ = ["Example", "TrainReport", "calibrate", "fit", "read_training", "read_tsv", "train", "NEUTRAL"]
