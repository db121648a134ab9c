"""Shared test helpers: paths, the shared play text, a CLI runner that uses a real subprocess, what a CLI
error must look like, and the hostile names and text the escaping tests feed every output."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dialogue
from dialogue.model import Transcript

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"
SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare" / "input.txt"


@pytest.fixture
def shakespeare_text() -> str:
    if not SHAKESPEARE.is_file():
        pytest.skip(f"shared play text not found at {SHAKESPEARE}")
    return SHAKESPEARE.read_text(encoding="utf-8")


@pytest.fixture
def label_registry(monkeypatch: pytest.MonkeyPatch):
    """`dialogue.labels`, its registry restored after the test (`register` rebinds the module's globals)."""
    from dialogue import labels
    for name in ("REGISTRY", "BY_NAME", "NAMES"):
        monkeypatch.setattr(labels, name, getattr(labels, name))
    return labels


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m dialogue ARGS` in a real subprocess, the package importable from the checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "dialogue", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def run_on_a_terminal(*args: str, cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run `python -m dialogue ARGS` with standard error on a pseudo-terminal; its exit code and what it showed."""
    import pty
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dialogue", *args], stdout=subprocess.DEVNULL,
                                stderr=secondary, env=env, cwd=cwd)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        code = proc.wait(timeout=timeout)
    finally:
        os.close(primary)
    return code, seen.decode("utf-8", "replace")


# -- what the command line tests check (shared by test_cli, test_textio, test_parse, test_escape ...) --

def err(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode("utf-8", "replace")


def assert_input_error(proc: subprocess.CompletedProcess, prefix: str, needle: str = "") -> str:
    """Exit 2, no traceback, and the error is one line starting `prefix` (FILE, or FILE:LINE:COL)."""
    stderr = err(proc)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if " error: " in line]
    assert len(errors) == 1, stderr
    assert errors[0].startswith(prefix + ": error: "), errors[0]
    assert needle in errors[0], errors[0]
    return errors[0]


def assert_usage_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    stderr = err(proc)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert needle in stderr, stderr


def parse_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, err(proc)
    assert "Traceback" not in err(proc)
    return json.loads(proc.stdout)


def pairs(doc: dict) -> list[tuple[str, str]]:
    return [(t["speaker"], t["text"]) for t in doc["turns"]]


CHAT = "ROSA: You left the door open again.\nLEO: I did not.\nROSA: time: 10:30: fine\n"


# -- hostile names and text (test_escape, test_jsonio, test_parse) ------------------------------------------

HOSTILE_NAMES = ['<script>alert(1)</script>', '"]; evil [label="x"]; a -> b; //', "C:\\new\\", "trailing\\",
                 "</svg><svg onload=alert(2)>", "{x|y} &amp; <b>", "<...>", "javascript:alert(3)",
                 "]]><!--", "\\N\\G\\L\\E\\T"]
HOSTILE_TEXTS = ["you are a toad <script>alert(4)</script>", "click <a href=\"javascript:alert(5)\">here</a>",
                 "</svg><svg onload=alert(6)> ]]> <![CDATA[ x ]]> <!-- -->",
                 "\"]; evil2 [shape=box]; t0 -> evil2; // \\l \\N", "C:\\new\\table and a trailing backslash \\",
                 "&amp; &lt; &#x3c;script&#x3e; { braces } | pipes | <b>bold</b>",
                 "sorry, fair point <img src=x onerror=alert(7)>",
                 "<foreignObject><body onload=alert(8)></body></foreignObject>", "xlink:href=javascript:alert(9)"]
#: Node names an escaped payload would create if it broke out of a DOT string.
INJECTED_IDS = {"evil", "evil2", "a", "b", "x"}


def hostile_analysis() -> dialogue.Analysis:
    pairs_ = [(HOSTILE_NAMES[i % len(HOSTILE_NAMES)], HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)]) for i in range(12)]
    return dialogue.analyze(Transcript.from_pairs(pairs_, source="<script>x</script>.txt"))


HOSTILE_WHATSAPP = "".join(
    f"12/03/2024, 19:{i:02d} - {name}: {text}\n"
    for i, (name, text) in enumerate(zip(HOSTILE_NAMES * 2, HOSTILE_TEXTS * 2)) if ":" not in name)


# -- inputs -------------------------------------------------------------------------------------------------

#: Files that are not text, each refused as binary.
BINARIES = {
    "nul-bytes": b"ROSA: hello\x00\x00\x00 there\nLEO: hi\n",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 44 >>\nstream\nx\x9c\x00\x01\x02\x03\nendstream\n",
    "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x01\x02\x03",
    "random": random.Random(5).randbytes(4096),
    "random-no-nul": bytes(b or 1 for b in random.Random(6).randbytes(4096)),
}


def write_input(tmp_path: Path, text: str = CHAT) -> Path:
    """A transcript file `in.txt` in `tmp_path`."""
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    return path


def chat_turns(n: int) -> str:
    """`n` chat turns by seven speakers, a mix of the labels."""
    lines = ("you never listen to me", "that is not fair and you know it", "sorry, you are right",
             "what time is the train", "look who is talking")
    return "".join(f"S{i % 7}: {lines[i % 5]} ({i})\n" for i in range(n))


# -- timing (the size tests compare two sizes' times) --------------------------------------------------------

def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def best_time(fn, *args, repeat: int = 2) -> float:
    """The fastest of `repeat` calls, in seconds."""
    return min(timed(fn, *args)[0] for _ in range(repeat))
