"""A transcript with no turns (issue 14): `parse` reads it empty and warns; every stage that analyses refuses it.

Empty, blank, JSON, HTML, prose: for `analyze`, `render`, `eval`, `export` and `compare` an input error (exit 2,
one line `FILE:1:1: error: no speaker turns found: ...`, nothing written, an existing output untouched); in a
`batch`, that file's failure (its line says so, the others are analysed, exit 1 as for any failed file).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

import dialogue
from dialogue.pipeline import read_transcript

NO_TURNS = {
    "empty": b"",
    "blank": b"\n \n\t\n",
    "json": json.dumps({"turns": [{"speaker": "ROSA", "text": "hi"}]}, indent=2).encode(),
    "html": b"<!DOCTYPE html>\n<html><body><p>Rosa said hi.</p></body></html>\n",
    "prose": b"It was a dark and stormy night; the kettle sang while we argued.\n",
    # tags that would read as IRC nicks (`<html>`, `<body>`): refused as a document, not analysed
    "html-tags": b"<html>\n<body>\n<p>ROSA: you never listen</p>\n</body>\n</html>\n",
    "svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n<g>ROSA: hi</g>\n</svg>\n',
}
WHY = {"empty": "empty", "blank": "blank", "json": "JSON", "html": "HTML", "prose": "dialect",
       "html-tags": "HTML", "svg": "SVG"}
PRECIOUS = b"an earlier picture that must survive\n"


def write(folder: Path, name: str, raw: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def the_one_error(proc: subprocess.CompletedProcess, path: Path, why: str) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert stderr.startswith(f"{path}:1:1: error: no speaker turns found: "), stderr
    assert why in stderr, stderr
    assert proc.stdout == b""


@pytest.mark.parametrize("kind", NO_TURNS)
def test_the_library_refuses_a_file_with_no_turns_but_parse_reads_it(tmp_path, kind):
    path = write(tmp_path, f"{kind}.txt", NO_TURNS[kind])
    read = dialogue.parse_file(path)                     # parse never refuses: it reads what is there
    assert read.turns == () or WHY[kind] in ("HTML", "SVG")   # (markup tags read as IRC nicks)
    for call in (read_transcript, dialogue.analyze_file):
        with pytest.raises(dialogue.NoTurnsError, match=WHY[kind]) as caught:
            call(path)
        assert isinstance(caught.value, dialogue.TranscriptError) and isinstance(caught.value, ValueError)
        assert (caught.value.line, caught.value.column, caught.value.source) == (1, 1, str(path))


@pytest.mark.parametrize("kind", ["empty", "json", "html-tags", "prose"])   # each a subprocess: the library test
def test_analyze_and_eval_exit_2_with_one_located_line(tmp_path, kind):          # above covers every kind
    path = write(tmp_path, f"{kind}.txt", NO_TURNS[kind])
    the_one_error(run_cli("analyze", str(path)), path, WHY[kind])
    the_one_error(run_cli("analyze", "--json", str(path)), path, WHY[kind])
    good = write(tmp_path, "good.txt", b"ROSA: You toad. {insult}\nLEO: Sorry. {reconciliation}\n")
    the_one_error(run_cli("eval", str(good), str(path)), path, WHY[kind])


@pytest.mark.parametrize("suffix", [".json", ".html", ".aif.json"])
@pytest.mark.parametrize("kind", ["empty", "html"])
def test_render_writes_nothing_and_leaves_an_existing_output_untouched(tmp_path, kind, suffix):
    path = write(tmp_path, f"{kind}.txt", NO_TURNS[kind])
    fresh = tmp_path / f"fresh{suffix}"
    the_one_error(run_cli("render", str(path), "-o", str(fresh)), path, WHY[kind])
    assert not fresh.exists()
    kept = write(tmp_path, f"kept{suffix}", PRECIOUS)
    the_one_error(run_cli("render", str(path), "-o", str(kept)), path, WHY[kind])
    assert kept.read_bytes() == PRECIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, kept.name])   # no temporary left


def test_standard_input_with_no_turns_is_refused_too():
    the_one_error(run_cli("analyze", "-", stdin=b"\n\n"), Path("<stdin>"), "blank")


def test_export_and_compare_write_nothing(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    good = write(tmp_path, "good.txt", b"ROSA: You toad.\nLEO: Sorry.\n")
    the_one_error(run_cli("export", str(good), str(path), "--to", "convokit", "-o", str(tmp_path / "corpus")),
                  path, "empty")
    assert not (tmp_path / "corpus").exists()
    the_one_error(run_cli("compare", str(good), str(path), "-o", str(tmp_path / "arcs.html")), path, "empty")
    assert not (tmp_path / "arcs.html").exists()


def test_a_forced_dialect_is_named_in_the_error(tmp_path):
    path = write(tmp_path, "speech.txt", b"ROSA: hi\n")
    with pytest.raises(dialogue.NoTurnsError, match="of the play dialect"):
        dialogue.analyze_file(path, dialect="play")


@pytest.mark.parametrize("text", ["[19:02] <rosa> you never listen\n[19:03] <leo> I do\n",
                                  "[Verse 1: Rosa]\nyou never listen\n", "<html> is my nick\n<leo> ok\n",
                                  "[12/03/2024, 19:02:41] Rosa: hi\n"])
def test_transcripts_that_open_with_a_bracket_are_not_taken_for_documents(tmp_path, text):
    path = write(tmp_path, "t.txt", text.encode())
    assert read_transcript(path).turns


def test_a_forced_dialect_reads_even_a_document(tmp_path):
    path = write(tmp_path, "t.txt", NO_TURNS["html-tags"])
    assert read_transcript(path, dialect="irc").turns


def test_parse_and_fmt_still_read_it_as_an_empty_transcript(tmp_path):
    path = write(tmp_path, "blank.txt", NO_TURNS["blank"])
    for command in ("parse", "fmt"):
        proc = run_cli(command, str(path))
        assert proc.returncode == 0 and b"no speaker turns found" in proc.stderr


def test_in_a_batch_a_file_with_no_turns_is_that_files_failure(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus, "a.txt", b"ROSA: You never listen.\nLEO: Look who's talking.\n")
    write(corpus, "b.txt", b"KATE: You toad.\nLEO: Sorry, that was unfair.\n")
    for kind in ("empty", "json", "html"):
        write(corpus, f"none/{kind}.txt", NO_TURNS[kind])
    out = tmp_path / "out.jsonl"
    proc = run_cli("batch", str(corpus), "-o", str(out), "--workers", "1")
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr                          # some files failed: exit 1, as for binary ones
    docs = {Path(d["file"]).name: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(docs) == ["a.txt", "b.txt", "empty.txt", "html.txt", "json.txt"]
    assert docs["a.txt"]["ok"] and docs["b.txt"]["ok"]
    for kind in ("empty", "json", "html"):
        doc = docs[f"{kind}.txt"]
        assert not doc["ok"] and doc["error"].startswith(f"{doc['file']}:1:1: error: no speaker turns found")
        assert f"{doc['file']}:1:1: error: no speaker turns found" in stderr       # listed in the summary
