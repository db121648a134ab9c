"""The learned judge: a linear model of a move in context, read from a model file, run in pure Python.

This module owns the model file and the arithmetic of a judgement: the probability of each label given a
turn's features (`features.py`), calibrated by a temperature, and the words that weighed most for the label
chosen. It needs nothing beyond the standard library: training (`train.py`) needs numpy and scipy, judging
never does, so `dialogue analyze` starts as fast as the rules alone allowed.

The file (`*.dlgm`) is one header line of JSON after a magic line, then the feature keys (UTF-8, one per
line, grouped by kind in `features.KINDS` order), then float32 weights: one column of every feature per
label, then one bias per label. The bundled model is `dialogue/models/default.dlgm`; `load_model` reads any.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import attrs

from ..errors import ModelError
from ..textio import write_atomic
from .features import KINDS, WORD_KINDS, TurnFeatures

MAGIC = b"DIALOGUE-MODEL 1\n"
BUNDLED = Path(__file__).resolve().parent.parent / "models" / "default.dlgm"
#: How many words (at most) a move names as the evidence the model weighed most.
EVIDENCE_WORDS = 3


@attrs.frozen(eq=False)
class Judge:
    """A trained model: labels, the feature index of each kind, weight columns per label, biases."""

    labels: tuple[str, ...]
    index: dict[str, dict[str, int]]
    columns: tuple[list[float], ...]
    bias: tuple[float, ...]
    temperature: float = 1.0
    meta: dict[str, object] = attrs.field(factory=dict)
    source: str = "<memory>"

    @property
    def size(self) -> int:
        return len(self.columns[0]) - 1 if self.columns else 0

    def feature_ids(self, features: TurnFeatures) -> list[int]:
        """The ids of the features this model knows (id 0 is a blank feature: `filter` drops misses)."""
        index = self.index
        ids = [*filter(None, map(index["w"].get, features.words)),
               *filter(None, map(index["b"].get, features.bigrams)),
               *filter(None, map(index["x"].get, features.extra)), 0, 0]
        if features.conflict:
            ids += filter(None, map(index["cw"].get, features.words))
            ids += filter(None, map(index["cb"].get, features.bigrams))
        return ids

    def probabilities(self, ids: Sequence[int]) -> list[float]:
        """The calibrated probability of each label (in `labels` order) for a turn with these feature ids
        (at least two of them: `feature_ids` adds the blank twice)."""
        scale = 1.0 / self.temperature
        pick = itemgetter(*ids)
        logits = [(b + sum(pick(column))) * scale for column, b in zip(self.columns, self.bias)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def weighed_most(self, ids: Sequence[int], label: str, kinds: dict[int, tuple[str, str]]
                     ) -> list[tuple[str, str, float]]:
        """The word features that pushed hardest toward `label`: `(kind, key, push)`, strongest first.

        Each feature's weights are centred (they sum to zero over the labels: softmax does not see a shift
        shared by all labels), so a feature's weight for `label` is its push toward it."""
        column = self.columns[self.labels.index(label)]
        pushes = sorted({(column[i], i) for i in ids if column[i] > 0.05 and i in kinds}, reverse=True)
        return [(*kinds[i], round(push, 3)) for push, i in pushes[:EVIDENCE_WORDS]]

    def knows_rule(self, name: str) -> bool:
        """Was the model trained with this rule among its features? A rule it never saw (one a user
        registered after training) cannot be weighed, so its verdict stands unjudged."""
        seen = self.meta.get("rules")
        if isinstance(seen, list):
            return name in seen
        return f"rule:{name}" in self.index["x"]

    @lru_cache(maxsize=1)  # noqa: B019 - one judge lives for the process; its word index is built once
    def word_kinds(self) -> dict[int, tuple[str, str]]:
        """Feature id -> (kind, key) for word features: what evidence spans are found for."""
        return {i: (kind, key) for kind in WORD_KINDS for key, i in self.index[kind].items()}

    def save(self, path: str | Path) -> None:
        """Write the model file whole (a temporary file renamed into place)."""
        keys: list[str] = []
        counts = {}
        for kind in KINDS:
            ordered = sorted(self.index[kind].items(), key=lambda item: item[1])
            keys += [key for key, _ in ordered]
            counts[kind] = len(ordered)
        order = [i for kind in KINDS for _, i in sorted(self.index[kind].items(), key=lambda item: item[1])]
        blob = "\n".join(keys).encode("utf-8")
        header = {"labels": list(self.labels), "kinds": counts, "keys_bytes": len(blob),
                  "temperature": self.temperature, "meta": self.meta}
        weights = array("f")
        for column in self.columns:
            weights.extend(column[i] for i in order)  # ids start at 1: column[0] is the blank feature
        weights.extend(self.bias)
        if sys.byteorder != "little":
            weights.byteswap()
        data = MAGIC + json.dumps(header, sort_keys=True).encode("utf-8") + b"\n" + blob + weights.tobytes()
        write_atomic(path, data)


def from_arrays(labels: Sequence[str], keys: Sequence[tuple[str, str]], weights: Sequence[Sequence[float]],
                bias: Sequence[float], temperature: float = 1.0, meta: dict[str, object] | None = None) -> Judge:
    """A judge from feature keys (one `(kind, key)` per row of `weights`) and rows of per-label weights."""
    index: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for i, (kind, key) in enumerate(keys, start=1):
        index[kind][key] = i
    # centred rows: the same probabilities, and a weight reads as the push toward its label
    rows = [[float(v) - sum(row) / len(row) for v in row] for row in weights]
    columns = tuple([0.0] + [row[k] for row in rows] for k in range(len(labels)))
    return Judge(tuple(labels), index, columns, tuple(float(b) for b in bias), float(temperature), meta or {})


def load_model(path: str | Path) -> Judge:
    """Read a model file; a missing, truncated or foreign file is a `ModelError` naming it."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ModelError(f"model file not found: {name}", source=name) from None
    except IsADirectoryError:
        raise ModelError(f"model path is a directory, not a model file: {name}", source=name) from None
    except OSError as error:
        raise ModelError(f"cannot read model file {name}: {error.strerror or error}", source=name) from None
    return _decode(data, name)


def _decode(data: bytes, name: str) -> Judge:
    if not data.startswith(MAGIC):
        raise ModelError(f"not a dialogue model file (no '{MAGIC.decode().strip()}' header): {name}", source=name)
    try:
        end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC):end])
        labels = tuple(str(label) for label in header["labels"])
        counts = {kind: int(header["kinds"][kind]) for kind in KINDS}
        keys_end = end + 1 + int(header["keys_bytes"])
        blob = data[end + 1:keys_end].decode("utf-8")
        temperature = float(header.get("temperature", 1.0))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ModelError(f"damaged dialogue model file ({error.__class__.__name__} in its header): {name}",
                         source=name) from None
    keys = blob.split("\n") if blob else []
    total = sum(counts.values())
    weights = array("f")
    raw = data[keys_end:]
    if len(keys) != total or len(raw) != 4 * (total + 1) * len(labels) or not labels or temperature <= 0:
        raise ModelError(f"damaged dialogue model file (truncated or inconsistent): {name}", source=name)
    weights.frombytes(raw)
    if sys.byteorder != "little":
        weights.byteswap()
    index: dict[str, dict[str, int]] = {}
    start = 0
    for kind in KINDS:
        index[kind] = dict(zip(keys[start:start + counts[kind]], range(start + 1, start + 1 + counts[kind])))
        start += counts[kind]
    columns = tuple([0.0, *weights[k * total:(k + 1) * total]] for k in range(len(labels)))
    bias = tuple(weights[len(labels) * total:].tolist())
    meta = header.get("meta") if isinstance(header.get("meta"), dict) else {}
    return Judge(labels, index, columns, bias, temperature, meta, name)


@lru_cache(maxsize=1)
def bundled_judge() -> Judge:
    """The model that ships inside the package (read once per process)."""
    return load_model(BUNDLED)


def as_judge(model: object) -> Judge:
    """A judge from what a caller passed as `model`: None (the bundled one), a path, or a `Judge`."""
    if model is None:
        return bundled_judge()
    if isinstance(model, Judge):
        return model
    if isinstance(model, (str, Path)):
        return _cached(str(model))
    raise ModelError(f"not a model: {model!r} (pass a model file's path or a Judge)")


@lru_cache(maxsize=8)
def _cached(path: str) -> Judge:
    return load_model(path)
