"""docs/CORPUS.md: every example query runs on a small corpus and gives what the analyses themselves say."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from dialogue.batch import find_transcripts, run_batch
from dialogue.errors import TranscriptError
from dialogue.parse import parse_file
from dialogue.pipeline import analyze

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "CORPUS.md"
from make_corpus import make_corpus  # noqa: E402


def doc_queries() -> dict[str, str]:
    """`### heading` -> the ```sql block under it."""
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"^### (.+?)\n.*?```sql\n(.*?)```", text, flags=re.MULTILINE | re.DOTALL)
    return {heading.strip(): sql for heading, sql in found}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(str(folder / "files"), 45, seed=21, broken=2)
    db = folder / "c.sqlite"
    run_batch([folder / "files"], db, workers=2, progress=False)
    analyses, failed = [], []
    for name in find_transcripts([folder / "files"]):
        try:
            analyses.append((name, analyze(parse_file(name))))
        except TranscriptError as exc:
            failed.append((name, exc.located(name)))
    return db, [analyses, failed]


def escalates_first(analyses, failed) -> list[tuple]:
    counts = Counter(a.arc.escalated_first for _, a in analyses if a.arc.escalated_first is not None)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def reconciled(analyses, failed) -> list[tuple]:
    counts = Counter(a.arc.closing for _, a in analyses if a.arc.closing != "none")
    total = sum(counts.values())
    return sorted(((k, v, round(100.0 * v / total, 1)) for k, v in counts.items()), key=lambda r: (-r[1], r[0]))


def deflections_after_charges(analyses, failed) -> list[tuple]:
    counts: Counter = Counter()
    for _, a in analyses:
        for e in a.exchanges:
            charge = a.moves[e.initiation].label
            if e.label == "deflection" and charge in ("insult", "accusation"):
                counts.update((charge, c.rule[len("deflection."):]) for c in a.moves[e.response].cues
                              if c.rule.startswith("deflection."))
    return sorted(((c, d, n) for (c, d), n in counts.items()), key=lambda r: (-r[2], r[0], r[1]))


def label_counts(analyses, failed) -> list[tuple]:
    counts = Counter((name, m.label) for name, a in analyses for m in a.moves)
    return sorted((name, label, n) for (name, label), n in counts.items())


def repairs_accepted(analyses, failed) -> list[tuple]:
    rows: dict[str, list[int]] = {}
    for _, a in analyses:
        for f in a.arc.speakers:
            if f.repairs_accepted > 0:
                row = rows.setdefault(f.speaker, [0, 0, 0])
                row[0] += 1
                row[1] += f.repairs_offered
                row[2] += f.repairs_accepted
    return sorted(((k, *v) for k, v in rows.items()), key=lambda r: (-r[3], r[0]))


def failures(analyses, failed) -> list[tuple]:
    return [(name, error) for name, error in sorted(failed)]


CHECKS: dict[str, Callable] = {
    "Who escalates first": escalates_first,
    "How often a fight ends reconciled": reconciled,
    "Which deflections follow which charges": deflections_after_charges,
    "Label counts per transcript": label_counts,
    "Repairs that were accepted": repairs_accepted,
    "Files that failed, and where": failures,
}


def test_every_documented_query_has_a_check() -> None:
    assert set(doc_queries()) == set(CHECKS)


@pytest.mark.parametrize("heading", sorted(CHECKS))
def test_the_documented_query_answers_what_the_analyses_say(heading: str, corpus) -> None:
    db, (analyses, failed) = corpus
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(doc_queries()[heading]).fetchall()
    expected = CHECKS[heading](analyses, failed)
    assert expected, f"the small corpus gives {heading!r} nothing to find"
    if heading == "Files that failed, and where":
        rows = [(source, error) for source, _, _, error in rows]
    assert rows == expected
