"""dialogue batch --format parquet: the tables of the SQLite corpus as Parquet partitions, resumable."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet")

from dialogue.batch import run_batch  # noqa: E402
from dialogue.errors import UsageError  # noqa: E402
from dialogue.store import COLUMNS, TABLES, table_contents  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
from make_corpus import make_corpus  # noqa: E402


def parquet_contents(folder: Path) -> dict[str, list[tuple]]:
    out = {}
    for table in (*TABLES, "failures"):
        data = pq.read_table(folder / table)
        assert data.column_names == [name for name, _ in COLUMNS[table]]
        out[table] = sorted((tuple(row.values()) for row in data.to_pylist()), key=repr)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parquet") / "files"
    make_corpus(str(folder), 30, seed=4, broken=2)
    return folder


def test_the_same_rows_as_the_sqlite_corpus(corpus: Path, tmp_path: Path) -> None:
    run_batch([corpus], tmp_path / "c.sqlite", workers=2, progress=False)
    summary = run_batch([corpus], tmp_path / "pq", workers=2, progress=False, output_format="parquet")
    assert (summary.ok, len(summary.failures)) == (30, 2)
    sqlite = table_contents(tmp_path / "c.sqlite")
    assert parquet_contents(tmp_path / "pq") == {t: sqlite[t] for t in (*TABLES, "failures")}
    assert summary.turns == len(sqlite["turns"]) > 0


def test_resume_skips_done_files_and_drops_parts_a_killed_run_left(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    run_batch(sorted(str(p) for p in corpus.glob("chat/*"))[:2], out, workers=1, progress=False,
              output_format="parquet")
    whole = tmp_path / "whole"
    run_batch([corpus], whole, workers=1, progress=False, output_format="parquet")
    # what a run killed between tables leaves: a part of `turns` with no `transcripts` part, a temporary file
    shutil.copy(out / "turns" / "part-00000.parquet", out / "turns" / "part-00001.parquet")
    (out / "cues" / "part-00001.parquet.tmp").write_bytes(b"half")
    summary = run_batch([corpus], out, workers=2, progress=False, output_format="parquet")
    assert summary.skipped == 2 and summary.analysed == 30
    assert parquet_contents(out) == parquet_contents(whole)
    assert sorted(os.listdir(out / "turns")) == ["part-00000.parquet", "part-00001.parquet"]
    again = run_batch([corpus], out, workers=1, progress=False, output_format="parquet")
    assert again.analysed == 0 and again.ok == 30 and len(again.failures) == 2


def test_a_folder_that_is_not_a_corpus_is_refused(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a dialogue corpus"):
        run_batch([corpus], tmp_path / "mine", progress=False, output_format="parquet")
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]
    with pytest.raises(UsageError, match="is a folder"):
        run_batch([corpus], tmp_path / "mine", progress=False)


def test_the_documented_reading_example_runs(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    run_batch([corpus], tmp_path / "corpus", workers=1, progress=False, output_format="parquet")
    doc = (ROOT / "docs" / "CORPUS.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"## Parquet partitions.*?```python\n(.*?)```", doc, flags=re.DOTALL)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example, "docs/CORPUS.md", "exec"), namespace)  # noqa: S102
    assert sum(namespace["labels"].values()) == len(parquet_contents(tmp_path / "corpus")["turns"])
