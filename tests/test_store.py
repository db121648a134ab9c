"""dialogue batch -o corpus.sqlite: the tables and their counts, keys, failures, resume after a SIGKILL, the shell."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import types
from contextlib import closing
from pathlib import Path

import pytest

from conftest import run_on_a_terminal
from dialogue.batch import run_batch
from dialogue.parse import parse
from dialogue.pipeline import analyze
from dialogue.store import STORE_VERSION, rows_of, table_contents, transcript_id

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
from make_corpus import make_corpus  # noqa: E402

QUARREL = "ROSA: You forgot the rent again.\nLEO: Look who's talking.\nROSA: You useless toad.\nLEO: I'm sorry.\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "chat").mkdir(parents=True)
    for i in range(3):
        (folder / "chat" / f"{i}.txt").write_text(QUARREL.replace("rent", f"rent {i}"), encoding="utf-8")
    (folder / "bad").mkdir()
    (folder / "bad" / "latin.txt").write_bytes(b"ROSA: hi\nLEO: caf\xe9\n")
    return folder


def query(db: Path, sql: str, *args: object) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def test_tables_counts_and_keys(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    summary = run_batch([small], db, workers=1, progress=False)
    assert (summary.ok, len(summary.failures), summary.turns) == (3, 1, 12)
    tables = {r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "transcripts", "speakers", "turns", "cues", "exchanges", "phases", "flows",
            "failures"} <= tables
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(STORE_VERSION),)]
    assert query(db, "SELECT count(*), sum(turns), sum(speakers) FROM transcripts") == [(3, 12, 6)]
    assert query(db, "SELECT count(*) FROM turns") == [(12,)]
    assert query(db, "SELECT count(*) FROM speakers") == [(6,)]
    source = str(small / "chat" / "0.txt")
    key = transcript_id(source)
    assert query(db, "SELECT id, dialect, schema_version FROM transcripts WHERE source = ?", source) == [
        (key, "chat", STORE_VERSION)]
    # the turn rows say what the analysis says, in order
    analysis = analyze(parse(QUARREL.replace("rent", "rent 0"), source=source))
    turns = query(db, "SELECT idx, speaker, text, label, score, tension, phase FROM turns "
                      "WHERE transcript_id = ? ORDER BY idx", key)
    assert [(t[0], t[1], t[2], t[3]) for t in turns] == [
        (m.index, turn.speaker, turn.text, m.label) for turn, m in zip(analysis.transcript.turns, analysis.moves)]
    assert [t[5] for t in turns] == pytest.approx(list(analysis.arc.tension))
    assert all(t[6] for t in turns)   # every turn lies in a phase
    cues = sum(len(m.cues) for m in analysis.moves)
    assert query(db, "SELECT count(*) FROM cues WHERE transcript_id = ?", key) == [(cues,)]
    assert query(db, "SELECT count(*) FROM exchanges WHERE transcript_id = ?", key) == [(len(analysis.exchanges),)]
    # the failure is kept with its place in the file
    ((fsource, line, col, error),) = query(db, "SELECT * FROM failures")
    assert fsource.endswith("latin.txt") and (line, col) == (2, 9) and error.startswith(f"{fsource}:2:9: error:")
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO turns (transcript_id, idx, speaker, line, text, label, score) "
                         "VALUES (1, 0, 'X', 1, 'x', 'neutral', 0)")
    # a finished corpus is one file: no -wal or -shm beside it
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("c.sqlite")) == ["c.sqlite"]


def test_sqlite_agrees_with_json_lines(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(str(corpus), 40, seed=3, broken=2)
    run_batch([corpus], tmp_path / "c.jsonl", workers=2, progress=False)
    run_batch([corpus], tmp_path / "c.sqlite", workers=2, progress=False)
    docs = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = sorted(d["file"] for d in docs if not d["ok"])
    assert failed == [r[0] for r in query(tmp_path / "c.sqlite", "SELECT source FROM failures ORDER BY source")]
    for doc in (d for d in docs if d["ok"]):
        key = transcript_id(doc["file"])
        labels = [t["label"] for t in doc["analysis"]["turns"]]
        assert [r[0] for r in query(tmp_path / "c.sqlite", "SELECT label FROM turns WHERE transcript_id = ? "
                                    "ORDER BY idx", key)] == labels
        assert query(tmp_path / "c.sqlite", "SELECT closing, climax FROM transcripts WHERE id = ?", key) == [
            (doc["analysis"]["arc"]["closing"], doc["analysis"]["arc"]["climax"])]


def test_flows_become_rows_with_their_words_as_json() -> None:
    analysis = analyze(parse(QUARREL, source="q.txt"))
    flow = types.SimpleNamespace(turns=(0, 1), kind="rhyme", words=("again", "talking"))
    with_flows = types.SimpleNamespace(transcript=analysis.transcript, moves=analysis.moves,
                                       exchanges=analysis.exchanges, arc=analysis.arc, flows=(flow,))
    flows = rows_of(with_flows)[6]  # type: ignore[arg-type]
    assert flows == ((transcript_id("q.txt"), 0, 0, 1, "rhyme", '["again", "talking"]'),)
    assert rows_of(analysis)[6] == ()


def test_a_killed_run_resumed_gives_the_same_database(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(str(corpus), 240, seed=5, broken=3)
    whole = tmp_path / "whole.sqlite"
    run_batch([corpus], whole, workers=2, progress=False)
    killed = tmp_path / "killed.sqlite"
    command = [sys.executable, "-m", "dialogue", "--debug", "batch", str(corpus), "-o", str(killed), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                            cwd=tmp_path, start_new_session=True)
    written = 0
    deadline = time.monotonic() + 120   # waits for progress; not a speed limit
    try:
        while written < 15 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            try:
                written = query(killed, "SELECT count(*) FROM transcripts")[0][0]
            except sqlite3.Error:   # not created yet, or its tables not yet
                pass
    finally:
        os.killpg(proc.pid, signal.SIGKILL)   # the whole group: the parent and its workers
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = query(killed, "SELECT count(*) FROM transcripts")[0][0]
    assert 15 <= partial < 240, "the run was not killed mid-way"
    # what was committed is whole: every transcript has all its turns
    assert query(killed, "SELECT count(*) FROM transcripts t WHERE t.turns != "
                         "(SELECT count(*) FROM turns WHERE transcript_id = t.id)") == [(0,)]
    assert query(killed, "PRAGMA integrity_check") == [("ok",)]
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path,
                           timeout=300)
    assert rerun.returncode == 1, rerun.stderr   # 1: the broken files failed, as in the whole run
    assert "already done" in rerun.stderr, rerun.stderr
    assert table_contents(killed) == table_contents(whole)


def test_the_sqlite3_shell_reads_it(small: Path, tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 shell is not installed (apt-get install sqlite3; .ci/run installs it)")
    db = tmp_path / "c.sqlite"
    run_batch([small], db, workers=1, progress=False)
    shell = subprocess.run(["sqlite3", "-readonly", str(db),
                            "SELECT label, count(*) FROM turns GROUP BY label ORDER BY label;"],
                           check=True, capture_output=True, text=True, timeout=30)
    counts = dict(line.split("|") for line in shell.stdout.split())
    assert sum(int(v) for v in counts.values()) == 12 and "insult" in counts


def test_a_file_that_is_not_our_database_is_refused_and_left_alone(small: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some notes\n" * 40, encoding="utf-8")
    for target in (other, text):
        run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(small), "-o", str(target)],
                             check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=60)
        assert run.returncode == 2 and run.stderr.startswith(f"dialogue: error: {target}: "), run.stderr
    assert other.read_bytes() == before
    assert text.read_text(encoding="utf-8").startswith("not a database")


def test_a_newer_schema_is_refused(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    run_batch([small], db, workers=1, progress=False)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(STORE_VERSION + 1),))
    run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(small), "-o", str(db)],
                         check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and "newer than this dialogue reads" in run.stderr


def test_a_progress_bar_on_a_terminal_and_a_one_line_summary(small: Path, tmp_path: Path) -> None:
    pytest.importorskip("tqdm")
    code, text = run_on_a_terminal("batch", str(small), "-o", str(tmp_path / "c.sqlite"), "--workers", "1",
                                   cwd=tmp_path)
    assert code == 1   # 1: the latin-1 file failed
    assert "dialogue batch: 100%" in text and "4/4" in text
    assert f"dialogue batch: 4 files, 12 turns, 1 failure in {tmp_path / 'c.sqlite'}" in text
    assert f"{small / 'bad' / 'latin.txt'}:2:9: error: invalid UTF-8" in text


def test_ctrl_c_keeps_the_committed_files_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(240):
        (folder / f"{i:03d}.txt").write_text(QUARREL, encoding="utf-8")
    db = tmp_path / "c.sqlite"
    command = [sys.executable, "-m", "dialogue", "batch", str(folder), "-o", str(db), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, cwd=tmp_path)
    deadline, written = time.monotonic() + 120, 0   # waits for progress; not a speed limit
    while written < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        try:
            written = query(db, "SELECT count(*) FROM transcripts")[0][0]
        except sqlite3.Error:
            pass
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # pragma: no cover - the machine finished before the signal landed
        pytest.skip("the batch finished before it could be interrupted")
    assert proc.returncode == 130, err
    assert b"interrupted: run again to resume" in err and b"Traceback" not in err
    kept = query(db, "SELECT count(*) FROM transcripts")[0][0]
    assert 10 <= kept < 240
    assert query(db, "SELECT count(*) FROM turns")[0][0] == 4 * kept
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{kept} already done, {240 - kept} analysed now" in rerun.stderr
    assert query(db, "SELECT count(*), count(DISTINCT source) FROM transcripts") == [(240, 240)]


def test_rows_that_cannot_be_stored_become_a_failure_not_a_crash(small: Path, tmp_path: Path) -> None:
    from dialogue.worker import Options, analyze_file
    from dialogue.store import SqliteWriter
    name = str(small / "chat" / "0.txt")
    outcome = analyze_file(name, Options(rows=True))
    writer = SqliteWriter(tmp_path / "c.sqlite")
    writer.write(outcome)
    writer.write(outcome)   # the same id again: what a hash collision would look like
    writer.close()
    assert query(tmp_path / "c.sqlite", "SELECT count(*) FROM transcripts") == [(1,)]
    ((source, error),) = query(tmp_path / "c.sqlite", "SELECT source, error FROM failures")
    assert source == name and error.startswith(f"{name}: error: cannot store its rows (UNIQUE constraint")
