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


def _ends(turn) -> list[str]:
    """A turn's line ends as sung: its lines and its ad-libs (an ad-lib's last word is a line end)."""
    return [*turn.text.splitlines(), *turn.adlibs]


def test_found_pairs_name_the_gold_words(found):
    # a pair found for the wrong reason is no hit. Where both turns have one line end, the flow names a gold
    # word; a stanza, a chorus or a line with ad-libs may rhyme on several words (bride/tide and side/guide in
    # ferry 0-1), and the detector's pick among them is not stable, so there the words need only be the turns'.
    for path in GOLD:
        doc = json.loads(path.read_text())
        turns = dialogue.parse_file(ROOT / doc["sample"]).turns
        for pair in doc["rhymes"]:
            i, j = pair["turns"]
            words = found[path.name].get((i, j))
            if words is None:
                continue
            if len(_ends(turns[i])) == 1 and len(_ends(turns[j])) == 1:
                assert {w.lower() for w in pair["words"]} & {w.lower() for w in words}, (path.name, pair, words)
            else:
                for word, turn in zip(words, (turns[i], turns[j])):
                    assert word.lower() in " ".join(_ends(turn)).lower(), (path.name, pair, words)
