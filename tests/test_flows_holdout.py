"""The held-out flows gold set (tests/fixtures/flows-holdout/): cross-speaker rhyme pairs of five lyric sheets,
annotated blind to the detector and never tuned on. Scores the `rhyme` flows of the analysis on the pairs (i, j)
against a modest floor only, so that the figure stays a measurement rather than a target."""

from __future__ import annotations

import json

import pytest

import dialogue
from conftest import FIXTURES, ROOT
from dialogue.analysis import RHYME

GOLD = sorted((FIXTURES / "flows-holdout").glob("*.json"))
#: Measured on the first run (and the only one that matters: the set is frozen): precision 1.00 (33 of 33),
#: recall 0.92 (33 of 36); the misses are listed in the set's README. The floors are the brief's, below that.
PRECISION_FLOOR, RECALL_FLOOR = 0.8, 0.6


@pytest.fixture(scope="module")
def found() -> dict[str, dict[tuple[int, int], tuple[str, ...]]]:
    """The rhyme flows of each sheet's analysis, by sheet: pair -> words."""
    out = {}
    for path in GOLD:
        doc = json.loads(path.read_text())
        analysis = dialogue.analyze(dialogue.parse_file(ROOT / doc["sample"]))
        out[path.name] = {f.turns: tuple(f.words) for f in analysis.flows if f.kind == RHYME}
    return out


def _gold(path) -> set[tuple[int, int]]:
    return {tuple(r["turns"]) for r in json.loads(path.read_text())["rhymes"]}


def test_holdout_set_is_the_frozen_one():
    assert [p.stem for p in GOLD] == ["cipher", "exit", "ferry", "lantern", "spelling"]
    assert sum(len(_gold(p)) for p in GOLD) == 36
    for path in GOLD:
        assert (ROOT / json.loads(path.read_text())["sample"]).is_file(), path.name


def test_precision_and_recall_on_the_holdout_set(found):
    tp = fp = fn = 0
    for path in GOLD:
        gold, pairs = _gold(path), set(found[path.name])
        tp, fp, fn = tp + len(gold & pairs), fp + len(pairs - gold), fn + len(gold - pairs)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= PRECISION_FLOOR, (tp, fp, fn)
    assert recall >= RECALL_FLOOR, (tp, fp, fn)


def test_found_pairs_name_a_gold_word(found):
    # a pair found for the wrong reason (two other words) is no hit; one of the two words suffices, as a
    # turn of several lines may rhyme on more than one word
    for path in GOLD:
        for pair in json.loads(path.read_text())["rhymes"]:
            words = found[path.name].get(tuple(pair["turns"]))
            if words is not None:
                assert {w.lower() for w in pair["words"]} & {w.lower() for w in words}, (path.name, pair, words)
