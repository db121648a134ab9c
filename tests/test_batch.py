"""dialogue batch: which files, one JSON line each, errors recorded, resume, progress only on a terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_on_a_terminal
from dialogue.batch import find_transcripts, read_done, run_batch
from dialogue.errors import UsageError

try:
    from dialogue.classify import classify  # noqa: F401
except ImportError:  # pragma: no cover - only while the classifier is being written
    pytest.skip("dialogue.classify has not landed yet", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

QUARREL = "ROSA: You forgot the rent again.\nLEO: Look who's talking.\nROSA: You useless toad.\nLEO: I'm sorry.\n"
PLAY = "ROSA:\nWhere were you all night?\n\nLEO:\nOut. Does it matter?\n\nROSA:\nIt matters to me.\n"
LYRICS = "[Verse 1: Rosa]\nYou said you'd call\nYou never do\n\n[Chorus: Rosa & Leo]\nRound and round\n"


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    for i in range(4):
        write(folder, f"chat/{i}.txt", QUARREL.replace("rent", f"rent {i}"))
    write(folder, "play/scene.txt", PLAY)
    write(folder, "songs/duet.lyrics", LYRICS)
    return folder


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_file(path: Path) -> dict[str, dict]:
    return {doc["file"]: doc for doc in lines(path)}


# -- finding files -----------------------------------------------------------------------------------------

def test_folders_are_searched_by_suffix_and_named_files_taken_as_they_are(tmp_path: Path) -> None:
    write(tmp_path, "a/one.txt", QUARREL)
    write(tmp_path, "a/deep/two.SRT", "1\n00:00:01,000 --> 00:00:02,000\nROSA: hi\n")
    write(tmp_path, "a/README", QUARREL)            # no suffix: not taken from a folder
    write(tmp_path, "a/notes.json", "{}")           # not a transcript suffix
    write(tmp_path, "a/.hidden.txt", QUARREL)
    write(tmp_path, "a/.git/x.txt", QUARREL)
    found = find_transcripts([tmp_path / "a"])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["a/deep/two.SRT", "a/one.txt"]
    # named outright or by a glob, any suffix is taken; duplicates collapse
    named = find_transcripts([tmp_path / "a" / "README", str(tmp_path / "a" / "*.txt"), tmp_path / "a"])
    assert sorted(Path(f).name for f in named) == ["README", "one.txt", "two.SRT"]


def test_an_input_that_matches_nothing_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        find_transcripts([tmp_path / "missing"])
    with pytest.raises(UsageError, match="no file matches"):
        find_transcripts([str(tmp_path / "*.nothing")])


# -- the output --------------------------------------------------------------------------------------------

def test_one_line_per_file_with_the_analysis(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_batch([corpus], out, workers=2, progress=False)
    docs = by_file(out)
    assert len(lines(out)) == len(docs) == 6
    assert all(doc["ok"] for doc in docs.values())
    chat = docs[os.path.normpath(corpus / "chat" / "0.txt")]["analysis"]
    assert [t["speaker"] for t in chat["turns"]] == ["ROSA", "LEO", "ROSA", "LEO"]
    assert chat["turns"][2]["text"] == "You useless toad."
    assert {"label", "score", "cues"} <= set(chat["turns"][0]) and "arc" in chat
    play = docs[os.path.normpath(corpus / "play" / "scene.txt")]["analysis"]
    assert play["dialect"] == "play" and len(play["turns"]) == 3
    assert summary.files == summary.analysed == summary.ok == 6 and not summary.failures
    assert summary.turns == sum(len(d["analysis"]["turns"]) for d in docs.values())
    assert sum(summary.labels.values()) == summary.turns
    assert sum(summary.closings.values()) == 6


def test_engines_and_worker_counts_agree(corpus: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch([corpus], one, workers=1, progress=False)
    run_batch([corpus], two, workers=2, progress=False)
    assert sorted(one.read_text().splitlines()) == sorted(two.read_text().splitlines())


def test_broken_files_are_recorded_and_the_batch_goes_on(corpus: Path, tmp_path: Path) -> None:
    binary = write(corpus, "bad/blob.txt", bytes(range(256)) * 8)
    latin = write(corpus, "bad/latin.txt", b"ROSA: caf\xe9 again?\n")
    out = tmp_path / "out.jsonl"
    summary = run_batch([corpus], out, workers=2, progress=False)
    docs = by_file(out)
    assert len(docs) == 8
    assert docs[str(binary)]["ok"] is False and "binary" in docs[str(binary)]["error"]
    assert docs[str(latin)]["error"].startswith(f"{latin}:1:10: error: invalid UTF-8")
    assert sum(doc["ok"] for doc in docs.values()) == 6
    assert sorted(f for f, _ in summary.failures) == [str(binary), str(latin)]
    text = summary.format()
    assert "6 ok, 2 failed" in text and f"{latin}:1:10: error:" in text


def test_resume_skips_done_files_and_drops_a_truncated_last_line(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = run_batch([corpus / "chat"], out, workers=1, progress=False)
    assert first.analysed == 4
    # a crash cut the last line short: it must not count, and the next line must start on its own line
    whole = out.read_bytes()
    out.write_bytes(whole[: whole.rstrip(b"\n").rfind(b"\n") + 40])
    cut = json.loads(whole.splitlines()[-1])["file"]
    assert cut not in read_done(out)
    assert out.read_bytes().endswith(b"\n")          # read_done repaired the tail
    second = run_batch([corpus], out, workers=2, progress=False)
    assert second.skipped == 3 and second.analysed == 3   # the cut file, the play, the song
    docs = lines(out)
    assert sorted(d["file"] for d in docs) == sorted(find_transcripts([corpus]))
    assert second.ok == 6 and second.turns == sum(len(d["analysis"]["turns"]) for d in docs)
    third = run_batch([corpus], out, workers=2, progress=False)
    assert third.analysed == 0 and third.skipped == 6 and len(lines(out)) == 6


def test_cli_exit_codes_and_silence_in_a_pipe(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(corpus), "-o", str(out)],
                         check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("dialogue batch: 6 files, ") and "\r" not in run.stderr and "%" not in run.stderr
    write(corpus, "bad/blob.txt", b"\x00\x01\x02" * 100)
    run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(corpus), "-o", str(out)],
                         check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=60)
    assert run.returncode == 1 and "blob.txt: error: binary file" in run.stderr
    assert "1 analysed now" in run.stderr
    run = subprocess.run([sys.executable, "-m", "dialogue", "batch", str(tmp_path / "nope"), "-o", str(out)],
                         check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and "no such file or folder" in run.stderr


def test_a_progress_bar_on_a_terminal(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("tqdm")
    code, text = run_on_a_terminal("batch", str(corpus), "-o", str(tmp_path / "out.jsonl"), "--workers", "1",
                                   cwd=tmp_path)
    assert code == 0
    assert "dialogue batch: 100%" in text and "6/6" in text


def test_an_interrupt_keeps_whole_lines_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(240):
        write(folder, f"{i:03d}.txt", QUARREL)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "dialogue", "batch", str(folder), "-o", str(out), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, cwd=tmp_path)
    deadline = time.monotonic() + 120   # waits for progress; not a speed limit
    while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 10):
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # pragma: no cover - the machine finished before the signal landed
        pytest.skip("the batch finished before it could be interrupted")
    assert proc.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    done = lines(out)   # every line is whole JSON
    assert 10 <= len(done) < 240
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(done)} already done, {240 - len(done)} analysed now" in rerun.stderr
    files = [d["file"] for d in lines(out)]
    assert len(files) == len(set(files)) == 240


def test_bad_arguments_are_usage_errors(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        run_batch([corpus], tmp_path / "no" / "out.jsonl")
    with pytest.raises(UsageError, match="is a folder"):
        run_batch([corpus], tmp_path)
    with pytest.raises(UsageError, match="engine"):
        run_batch([corpus], tmp_path / "out.jsonl", engine="spark")
    with pytest.raises(UsageError, match="--engine dask"):
        run_batch([corpus], tmp_path / "out.jsonl", scheduler="tcp://127.0.0.1:8786")
    assert not (tmp_path / "out.jsonl").exists()


def test_the_generated_corpus_reads_in_every_dialect(tmp_path: Path) -> None:
    import make_corpus

    import dialogue
    paths = make_corpus.make_corpus(str(tmp_path / "c"), n=36, seed=3, broken=2)
    seen = set()
    for path in paths:
        folder = Path(path).parent.name
        if folder == "broken":
            with pytest.raises(dialogue.TranscriptError):
                dialogue.parse_file(path)
            continue
        transcript = dialogue.parse_file(path)
        assert transcript.dialect == {"stamped": "chat"}.get(folder, folder), path
        assert len(transcript.turns) >= 3 and not transcript.warnings, path
        seen.add(transcript.dialect)
    assert seen == {"chat", "irc", "whatsapp", "play", "lyrics", "screenplay", "webvtt", "srt"}
