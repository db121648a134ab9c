"""`dialogue eval`: exact scores on a small crafted file, the report, the command line and the dev set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dialogue.classify.evaluate import EvalReport, evaluate, format_report, score_pairs
from dialogue.model import Transcript, Turn
from dialogue.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent

# Six annotated turns whose predictions are known: insult, insult (echo), neutral (pardon), accusation,
# deflection (denial), reconciliation; gold disagrees on two of them (marked).
CRAFTED = """\
KATE: You are a toad. {insult}
PETRUCHIO: Same to you. {insult}
KATE: Sorry, what? {reconciliation}
PETRUCHIO: You lied to my father. {accusation}
KATE: I did not. {neutral}
PETRUCHIO: I'm sorry, I was wrong. {reconciliation}
KATE: The ships are in.
"""


@pytest.fixture()
def crafted(tmp_path: Path) -> Path:
    path = tmp_path / "crafted.chat.txt"
    path.write_text(CRAFTED, encoding="utf-8")
    return path


def test_scores_on_a_crafted_file_are_exact(crafted: Path) -> None:
    transcript = parse_file(crafted)
    assert [t.gold for t in transcript.turns][-1] is None
    report = evaluate([transcript])
    assert (report.files, report.turns, report.annotated) == (1, 7, 6)
    # gold:      insult insult reconciliation accusation neutral    reconciliation
    # predicted: insult insult neutral        accusation deflection reconciliation
    insult, deflection, reconciliation = (report.score(x) for x in ("insult", "deflection", "reconciliation"))
    assert (insult.precision, insult.recall, insult.f1) == (1.0, 1.0, 1.0)
    assert (deflection.precision, deflection.recall, deflection.f1, deflection.gold, deflection.predicted) == \
        (0.0, 0.0, 0.0, 0, 1)
    assert (reconciliation.precision, reconciliation.recall) == (1.0, 0.5)
    assert reconciliation.f1 == pytest.approx(0.6667, abs=1e-4)
    assert report.macro_labels == ("insult", "deflection", "reconciliation")
    assert report.macro_f1 == pytest.approx((1.0 + 0.0 + 2 / 3) / 3, abs=1e-4)
    assert report.accuracy == pytest.approx(4 / 6, abs=1e-4)
    assert report.count("reconciliation", "neutral") == 1
    assert report.count("neutral", "deflection") == 1
    assert report.count("insult", "insult") == 2
    assert {(m.gold, m.predicted) for m in report.misses} == {("reconciliation", "neutral"), ("neutral", "deflection")}


def test_score_pairs_by_hand() -> None:
    report = score_pairs([("insult", "insult"), ("insult", "neutral"), ("neutral", "insult"), ("neutral", "neutral")])
    insult = report.score("insult")
    assert (insult.precision, insult.recall, insult.f1, insult.gold, insult.predicted, insult.correct) == \
        (0.5, 0.5, 0.5, 2, 2, 1)
    assert report.macro_labels == ("insult",) and report.macro_f1 == 0.5
    assert score_pairs([]).macro_f1 == 0.0


def test_unknown_gold_labels_get_a_row() -> None:
    turns = [Turn(index=0, speaker="A", text="Hello there.", line=1, gold="greeting")]
    report = evaluate([Transcript.from_turns(turns)])
    assert "greeting" in report.labels and report.count("greeting", "neutral") == 1


def test_report_dict_and_table(crafted: Path) -> None:
    report = evaluate([parse_file(crafted)])
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["per_label"]["insult"]["f1"] == 1.0
    assert data["confusion"]["neutral"]["deflection"] == 1
    table = format_report(report)
    assert "macro-F1 (insult, deflection, reconciliation): 0.556" in table
    assert "confusion matrix" in table and "reconci" in table
    assert "misses" in format_report(report, misses=5)


def test_cli_eval_text_and_json(crafted: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "dialogue", "eval", str(crafted), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["annotated"] == 6
    run = subprocess.run([sys.executable, "-m", "dialogue", "eval", str(crafted)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "precision" in run.stdout


def test_cli_eval_with_a_bad_lexicon_reports_the_location(crafted: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("[epithet]\nnumpty = heavy  # no\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "dialogue", "eval", str(crafted), "--lexicon", str(bad)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert f"{bad}:2:10: error:" in run.stderr and "Traceback" not in run.stderr


def test_development_set_reaches_the_target() -> None:
    files = sorted((ROOT / "samples" / "dev").glob("*.txt"))
    report: EvalReport = evaluate([parse_file(f) for f in files])
    assert report.annotated >= 200
    assert report.macro_f1 >= 0.90, format_report(report, misses=40)
