"""The command line: usage errors exit 2 with a hint, internal errors are one line, a closed pipe is no
traceback; outputs are written whole or not at all, and hostile output names are just names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import BINARIES, CHAT, ROOT, assert_input_error, assert_usage_error, chat_turns, err, run_cli, write_input



# == the command line: usage ======================================================================================

@pytest.mark.parametrize("args, needle", [
    (["frobnicate", "x.txt"], "invalid choice"),
    (["parse", "--no-such-option", "x.txt"], "unrecognized arguments"),
    (["parse"], "required"),
    (["render", "x.txt"], "-o"),
    (["parse", "--dialect", "klingon", "x.txt"], "invalid choice"),
    (["batch", "x", "-o", "y.jsonl", "--workers", "many"], "invalid int"),
])
def test_usage_errors_exit_2_with_a_hint(args, needle):
    proc = run_cli(*args)
    assert_usage_error(proc, needle)
    assert "--help" in err(proc) or "usage:" in err(proc)


def test_no_command_prints_usage_and_exits_2():
    proc = run_cli()
    assert_usage_error(proc, "usage:")


def test_missing_input_file_is_a_file_error(tmp_path):
    missing = tmp_path / "nope.txt"
    assert_input_error(run_cli("parse", str(missing)), str(missing), "no such file")
    assert_input_error(run_cli("analyze", str(tmp_path)), str(tmp_path), "directory")


def test_debug_keeps_input_errors_to_one_line(tmp_path):
    missing = tmp_path / "nope.txt"
    assert_input_error(run_cli("--debug", "parse", str(missing)), str(missing), "no such file")


def _run_with_fault(*args: str) -> subprocess.CompletedProcess:
    """The CLI with one internal fault injected (the only way to provoke a bug on purpose)."""
    code = ("import sys, dialogue.pipeline as p\n"
            "def broken(*a, **k): raise KeyError('deliberately broken for the test')\n"
            "p.analyze = broken\n"
            "from dialogue.cli import main\nraise SystemExit(main(sys.argv[1:]))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=ROOT, env=env,
                          timeout=60, check=False)


def test_internal_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(CHAT, encoding="utf-8")
    quiet = _run_with_fault("analyze", str(path))
    assert quiet.returncode == 1 and "Traceback" not in err(quiet)
    assert err(quiet).strip().count("\n") == 0 and "internal error" in err(quiet) and "--debug" in err(quiet)
    loud = _run_with_fault("--debug", "analyze", str(path))
    assert loud.returncode == 1 and "Traceback" in err(loud) and "deliberately broken" in err(loud)


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text(chat_turns(20_000), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(f"{sys.executable} -m dialogue parse {path} | head -n 1", shell=True, cwd=ROOT,
                          env=env, capture_output=True, timeout=60, check=False)
    assert "Traceback" not in err(proc) and proc.stdout.count(b"\n") == 1


# == the command line: outputs =====================================================================================

def test_missing_output_folder_is_a_clear_error(tmp_path):
    source = write_input(tmp_path)
    target = tmp_path / "no" / "such" / "folder" / "arc.json"
    proc = run_cli("render", str(source), "-o", str(target))
    assert_usage_error(proc, "does not exist")
    assert not target.parent.exists()


def test_output_that_is_a_folder_is_a_clear_error(tmp_path):
    source = write_input(tmp_path)
    (tmp_path / "taken.json").mkdir()
    proc = run_cli("render", str(source), "-o", str(tmp_path / "taken.json"))
    assert proc.returncode in (1, 2) and "Traceback" not in err(proc)
    assert "taken.json" in err(proc) and err(proc).strip().count("\n") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "taken.json"]   # no temporary file left


ORIGINAL = b"precious bytes \x00\xff that must survive\n"


@pytest.mark.parametrize("case", ["unknown-suffix", "no-suffix", "binary-input", "bad-utf8-input",
                                  "missing-input", "bad-dialect"])
def test_a_failed_run_leaves_the_existing_output_untouched(tmp_path, case):
    source = write_input(tmp_path)
    out = {"unknown-suffix": "out.xyz", "no-suffix": "out"}.get(case, "out.json")
    target = tmp_path / out
    target.write_bytes(ORIGINAL)
    if case == "binary-input":
        source.write_bytes(BINARIES["png"])
    elif case == "bad-utf8-input":
        source.write_bytes(CHAT.encode() + b"LEO: \xff\n")
    elif case == "missing-input":
        source = tmp_path / "gone.txt"
    args = ["render", str(source), "-o", str(target)] + (["--dialect", "nope"] if case == "bad-dialect" else [])
    proc = run_cli(*args)
    assert proc.returncode == 2 and "Traceback" not in err(proc), err(proc)
    assert target.read_bytes() == ORIGINAL
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"in.txt", out})


@pytest.mark.dot
def test_a_failed_picture_leaves_the_existing_svg_untouched(tmp_path):
    """`dot` missing from PATH: the render fails (exit 1, says how to install), the old picture stays."""
    source = write_input(tmp_path)
    target = tmp_path / "arc.svg"
    target.write_bytes(ORIGINAL)
    # the venv's own interpreter (a link to it elsewhere would lose the venv), with a PATH that has no `dot`
    nothing = tmp_path / "bin"
    nothing.mkdir()
    env = dict(os.environ, PATH=str(nothing), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "dialogue", "render", str(source), "-o", str(target)],
                          capture_output=True, cwd=ROOT, env=env, timeout=60, check=False)
    assert proc.returncode == 1 and "Traceback" not in err(proc)
    assert "Graphviz" in err(proc)
    assert target.read_bytes() == ORIGINAL
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fmt_failure_leaves_the_existing_output_untouched(tmp_path):
    pytest.importorskip("dialogue.fmt")
    source = tmp_path / "in.txt"
    source.write_bytes(b"ROSA: \xc3\x28\n")
    target = tmp_path / "out.txt"
    target.write_bytes(ORIGINAL)
    assert run_cli("fmt", str(source), "-o", str(target)).returncode == 2
    assert target.read_bytes() == ORIGINAL


@pytest.mark.parametrize("name", ["a b;$(touch pwned).txt", "-dash.txt", "quote\"'.txt", "new\nline.txt",
                                  "ünï cødé.txt", "..txt", " "])
def test_hostile_output_names_are_just_names(tmp_path, name):
    pytest.importorskip("dialogue.fmt")
    source = write_input(tmp_path)
    proc = run_cli("fmt", str(source), f"--output={tmp_path / name}")
    assert proc.returncode == 0 and "Traceback" not in err(proc), err(proc)
    assert not (tmp_path / "pwned").exists() and not (ROOT / "pwned").exists()
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("ROSA: You left")


def test_a_hostile_output_name_renders(tmp_path):
    source = write_input(tmp_path)
    target = tmp_path / "a b;$(touch pwned)\n<x>.aif.json"
    assert run_cli("render", str(source), "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) and not (tmp_path / "pwned").exists()
