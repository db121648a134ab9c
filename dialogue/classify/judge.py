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
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import attrs

from ..errors import ModelError
from ..textio import write_atomic
from .features import FUNCTION_WORDS, KINDS, WORD_KINDS, TurnFeatures

MAGIC = b"DIALOGUE-MODEL 1\n"
BUNDLED = Path(__file__).resolve().parent.parent / "models" / "default.dlgm"
#: From this many turns a transcript is long: the judge packs every feature it knows before judging.
LONG = 500
#: How many words (at most) a move names as the evidence the model weighed most.
EVIDENCE_WORDS = 3


@attrs.frozen(eq=False)
class Judge:
    """A trained model: labels, the feature index of each kind, weight columns per label, biases."""

    labels: tuple[str, ...]
    index: dict[str, dict[str, int]]
    columns: tuple[Sequence[float], ...]
    bias: tuple[float, ...]
    temperature: float = 1.0
    meta: dict[str, object] = attrs.field(factory=dict)
    source: str = "<memory>"

    @property
    def size(self) -> int:
        return len(self.columns[0]) - 1 if self.columns else 0

    def logits(self, features: TurnFeatures, said: int | None = None) -> list[float]:
        """Each label's score before the softmax (in `labels` order): the bias plus the weights of the
        turn's features, summed exactly (`_Packed`) and scaled by the calibration temperature. `said` is the
        packed sum of its words and word pairs as `said` gives it, when the caller has it already."""
        others, _ = self._tables()
        if said is None:
            said = self.said(features.words, features.bigrams)[features.conflict]
        scale = 1.0 / self.temperature
        count = len(self.labels)
        if features.scale == 1.0:   # a short turn: one packed sum, the fields cut out as they are used
            total = others.total(features.extra, start=said + _offset(count))
            return [(b + (((total >> shift) & _MASK) - _SIGN) / _ONE) * scale
                    for shift, b in zip(_shifts(count), self.bias)]
        # one pass, no list of totals between (the same float operations in the same order)
        weight = features.scale   # what each word feature counts for in this long turn
        return [(b + (w * weight + x) / _ONE) * scale
                for w, x, b in zip(_unpack(said, count), _unpack(others.total(features.extra), count), self.bias)]

    def said(self, words: list[str], bigrams: list[str]) -> tuple[int, int]:
        """The packed sums of a turn's word and word pair features: in a calm turn, and in a fight (what
        `logits` takes as `said`).

        One lookup a key gives both: the `both` table holds a key's calm weights in the low fields and its
        in-a-fight weights above them (two tables cost 105 ms of the play's analysis, this one 60). And
        `classify` asks for every turn's sums before it judges the first: one after another the turns share
        most of their words and the table stays in the processor's cache; asked turn by turn, between the
        rules' scans, the same lookups took 0.26 s instead of 0.08."""
        count = len(self.labels)
        offset = _offset(count)
        total = self._tables()[1].total(words, bigrams, start=offset)
        # each low field offset by half its range: no borrow into the fight's fields (as in `_unpack`)
        return (total & _low_mask(count)) - offset, total >> (_WIDTH * count)

    def probabilities(self, features: TurnFeatures, said: int | None = None) -> list[float]:
        """The calibrated probability of each label (in `labels` order) for a turn with these features
        (`said`: see `logits`)."""
        logits = self.logits(features, said)
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def weighed_most(self, features: TurnFeatures, label: str) -> list[tuple[str, str, float]]:
        """The word features that pushed hardest toward `label`: `(kind, key, push)`, strongest first.

        Each feature's weights are centred (they sum to zero over the labels: softmax does not see a shift
        shared by all labels), so a feature's weight for `label` is its push toward it."""
        # each word and pair is in `features` once (`features.unique_words`), and the sort below is total (the
        # feature id breaks ties): no set is needed to weigh a word said twice once, nor for the order
        found = self._evidence(label, features.conflict).pick(chain(features.words, features.bigrams))
        found.sort(reverse=True)
        out: list[tuple[str, str, float]] = []
        seen: set[tuple[str, ...]] = set()
        for push, _, kind, key, words in found:
            # a word's plain and in-a-fight features, and "^ look" and "look", are one word to a reader
            if words in seen:
                continue
            seen.add(words)
            out.append((kind, key, round(push * features.scale, 3)))
            if len(out) == EVIDENCE_WORDS:
                break
        return out

    @lru_cache(maxsize=1)  # noqa: B019 - one judge lives for the process; its tables are filled once
    def _tables(self) -> tuple[_Packed, _Packed]:
        """The packed weights of the `x` features, and (`said`) of a word feature in a calm turn and in a fight
        (the word's plain and in-a-fight features together) in one int: the fight's fields above the calm
        ones."""
        pack = self._pack
        index = self.index
        above = _WIDTH * len(self.labels)

        def calm(key: str) -> int:
            return pack(index["w"].get(key) or index["b"].get(key))

        def fight(key: str) -> int:
            return calm(key) + pack(index["cw"].get(key) or index["cb"].get(key))
        return (_Packed(lambda key: pack(index["x"].get(key))),
                _Packed(lambda key: calm(key) + (fight(key) << above)))

    def prepare(self, turns: int) -> None:
        """Ready the tables for a transcript of this many turns: for a long one, every known feature packed
        at once (~30 ms, once per process; a short one packs the few it meets)."""
        others, both = self._tables()
        if turns < LONG or both.complete:
            return
        shifted = [[round(v * _ONE) << (_WIDTH * k) for v in column] for k, column in enumerate(self.columns)]
        packed = list(map(sum, zip(*shifted)))
        index = self.index
        plain = {key: packed[i] for kind in ("w", "b") for key, i in index[kind].items()}
        fight = dict(plain)
        for kind in ("cw", "cb"):
            for key, i in index[kind].items():
                fight[key] = fight.get(key, 0) + packed[i]
        above = _WIDTH * len(self.labels)
        both.fill({key: plain.get(key, 0) + (value << above) for key, value in fight.items()})
        others.fill({key: packed[i] for key, i in index["x"].items()})
        Judge._evidence.cache_clear()  # the evidence tables are made again, whole

    def _pack(self, i: int | None) -> int:
        """Feature `i`'s weight for every label, in fixed point, `_WIDTH` bits a label, in one int."""
        if not i:
            return 0
        return sum(round(column[i] * _ONE) << (_WIDTH * k) for k, column in enumerate(self.columns))

    @lru_cache(maxsize=16)  # noqa: B019 - a table per label and state, for the process
    def _evidence(self, label: str, conflict: bool) -> _Packed:
        """word or word pair -> `(push, id, kind, key, words)` of its feature that pushes hardest toward
        `label` (by more than 0.05; the id breaks ties), or None. Only the strongest of a key's features can
        be shown (the others name the same words), and a key made only of function words (or the
        start-of-turn mark) explains nothing to a reader: it has None."""
        column = self.columns[self.labels.index(label)]
        kinds = WORD_KINDS if conflict else WORD_KINDS[:2]
        index = self.index

        def best(key: str, ids: Iterable[tuple[int | None, str]]) -> Evidence | None:
            pushing = [(column[i], i, kind) for i, kind in ids if i and column[i] > 0.05]
            if not pushing:
                return None
            words = tuple(w for w in key.split(" ") if w != "^")   # "^ look" shows as "look" does
            if all(w in FUNCTION_WORDS for w in words):
                return None
            push, i, kind = max(pushing)
            return push, i, kind, key, words
        table = _Packed(lambda key: best(key, ((index[kind].get(key), kind) for kind in kinds)))
        if self._tables()[1].complete:  # a long transcript: every feature that pushes, at once
            ids: dict[str, list[tuple[int, str]]] = {}
            for kind in kinds:
                for key, i in index[kind].items():
                    if column[i] > 0.05:
                        ids.setdefault(key, []).append((i, kind))
            table.fill({key: found for key, some in ids.items() if (found := best(key, some)) is not None})
        return table

    def knows_rule(self, name: str) -> bool:
        """Was the model trained with this rule among its features? A rule it never saw (one a user
        registered after training) cannot be weighed, so its verdict stands unjudged."""
        seen = self.meta.get("rules")
        if isinstance(seen, list):
            return name in seen
        return f"rule:{name}" in self.index["x"]

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


#: The packed weights' fixed point, 2**-40: every float32 weight of magnitude 2**-17 or more exactly, so the
#: sums are the exact sums of the weights, whatever their order.
_ONE = 1 << 40
#: Bits a label takes in a packed weight (two's complement): sums of 2**47 features do not overflow.
_WIDTH = 96
_MASK = (1 << _WIDTH) - 1
_SIGN = 1 << (_WIDTH - 1)
#: What `weighed_most` reads of a feature: `(push, id, kind, key, words shown)`.
Evidence = tuple[float, int, str, str, tuple[str, ...]]
#: A table forgets what it learnt beyond this many keys (a batch of millions of distinct words).
_TABLE_LIMIT = 500_000


class _Packed:
    """key -> a value computed when first asked, then remembered (in a plain dict: a turn's lookups run in C).

    Packing every label's weight of a feature into one int makes a turn's logits one `sum` over its words
    (a `sum` per label over a list of ids cost three times as much). Unknown words are remembered as 0 until
    the table is `complete` (filled with every known feature at once, for a long transcript): then only
    known features are held, and a smaller table is faster to look up."""

    __slots__ = ("_compute", "_known", "complete")

    def __init__(self, compute: Callable[[str], Any]) -> None:
        self._compute = compute
        self._known: dict[str, Any] = {}
        self.complete = False

    def fill(self, known: dict[str, Any]) -> None:
        self._known = known
        self.complete = True

    def _learn(self, keys: Iterable[str]) -> None:
        known = self._known
        if len(known) >= _TABLE_LIMIT:
            known.clear()
        for key in keys:
            if key not in known:
                known[key] = self._compute(key)

    def total(self, keys: Iterable[str], more: Iterable[str] = (), start: int = 0) -> int:
        """`start` plus the values of `keys` and of `more` (repeats count). Summed as they are looked up, with
        no list between (two lists a turn and the call that made each cost a fifth of `logits`)."""
        known = self._known
        if self.complete:
            return sum(filter(None, map(known.get, chain(keys, more))), start)
        try:
            return sum(filter(None, map(known.__getitem__, chain(keys, more))), start)
        except KeyError:
            self._learn([*keys, *more])   # at once: a table cleared between two groups would forget the first
            return sum(filter(None, map(known.__getitem__, chain(keys, more))), start)

    def pick(self, keys: Iterable[str]) -> list[Any]:
        """The values of `keys` that are not None nor zero, repeats kept. Zeros (words the model does not
        know: half of a turn's) are left out: adding 0 to a packed int still makes a new one."""
        if self.complete:   # no copy of `keys` first: it is read once
            return list(filter(None, map(self._known.get, keys)))
        keys = keys if isinstance(keys, (list, tuple, set, frozenset)) else list(keys)
        try:
            return list(filter(None, map(self._known.__getitem__, keys)))
        except KeyError:
            self._learn(keys)
            return list(filter(None, map(self._known.__getitem__, keys)))


def _unpack(total: int, count: int) -> list[int]:
    """The `count` signed fields of a packed sum, lowest first."""
    # each field offset by half its range first: then no field borrows from the next, and each is cut out
    # alone (a loop that took the fields off one by one cost twice as much)
    total += _offset(count)
    return [((total >> shift) & _MASK) - _SIGN for shift in range(0, _WIDTH * count, _WIDTH)]


@lru_cache(maxsize=8)
def _offset(count: int) -> int:
    return sum(_SIGN << (_WIDTH * k) for k in range(count))


@lru_cache(maxsize=8)
def _low_mask(count: int) -> int:
    return (1 << (_WIDTH * count)) - 1


@lru_cache(maxsize=8)
def _shifts(count: int) -> range:
    return range(0, _WIDTH * count, _WIDTH)


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
    # float32 arrays, not lists: the same values on indexing, and no 600,000 float objects made at start-up
    # (17 ms of a short file's cold analyze, 1 ms as arrays)
    columns = tuple(array("f", [0.0]) + weights[k * total:(k + 1) * total] for k in range(len(labels)))
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
