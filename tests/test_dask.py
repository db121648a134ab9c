"""dialogue batch on Dask: a bag over the files on a LocalCluster gives exactly the local engine's lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from dialogue.batch import run_batch

QUARREL = "ROSA: You forgot the rent again.\nLEO: Look who's talking.\nROSA: You useless toad.\nLEO: I'm sorry.\n"
PLAY = "ROSA:\nWhere were you all night?\n\nLEO:\nOut. Does it matter?\n"


@pytest.fixture(scope="module")
def cluster():
    # threads in this process: quick to start, and the same code path as a remote scheduler address
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(12):
        (folder / f"chat{i:02d}.txt").write_text(QUARREL.replace("rent", f"rent {i}"), encoding="utf-8")
    (folder / "scene.txt").write_text(PLAY, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"ROSA: caf\xe9\n")
    return folder


def test_dask_lines_are_identical_to_the_local_engine(cluster, corpus: Path, tmp_path: Path) -> None:
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_batch([corpus], local, workers=2, progress=False)
    summary = run_batch([corpus], dask, engine="dask", scheduler=cluster.scheduler_address, progress=False)
    assert sorted(dask.read_text().splitlines()) == sorted(local.read_text().splitlines())
    assert len(dask.read_text().splitlines()) == 14
    assert summary.engine == "dask" and summary.ok == 13 and len(summary.failures) == 1


def test_dask_resumes_like_the_local_engine(cluster, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run_batch(sorted(str(p) for p in corpus.glob("chat0*.txt")), out, workers=1, progress=False)
    summary = run_batch([corpus], out, engine="dask", scheduler=cluster.scheduler_address, progress=False)
    assert summary.skipped == 10 and summary.analysed == 4
    files = [json.loads(line)["file"] for line in out.read_text().splitlines()]
    assert len(files) == len(set(files)) == 14


def test_dask_into_sqlite_gives_the_local_database(cluster, corpus: Path, tmp_path: Path) -> None:
    from dialogue.store import table_contents
    local, dask = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    run_batch([corpus], local, workers=2, progress=False)
    summary = run_batch([corpus], dask, engine="dask", scheduler=cluster.scheduler_address, progress=False)
    assert summary.ok == 13 and len(summary.failures) == 1
    assert table_contents(dask) == table_contents(local)


@pytest.mark.slow
def test_the_command_starts_its_own_local_cluster(corpus: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    out, local = tmp_path / "out.jsonl", tmp_path / "local.jsonl"
    run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(corpus), "-o", str(out),
                          "--engine", "dask", "--workers", "2"], check=False, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
    assert run.returncode == 1, run.stderr           # the broken file is a failure, recorded
    assert "13 ok, 1 failed" in run.stderr and "(dask)" in run.stderr and "Traceback" not in run.stderr
    run_batch([corpus], local, workers=1, progress=False)
    assert sorted(out.read_text().splitlines()) == sorted(local.read_text().splitlines())
