"""Shared test helpers: paths, the shared play text, a CLI runner that uses a real subprocess, what a CLI
error must look like, and the hostile names and text the escaping tests feed every output."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis times examples on the wall clock (a 200 ms deadline, the too_slow health check): on a loaded machine
# those fail for reasons the code does not own. Every property test inherits this; its own @settings override only what they name.
settings.register_profile("dialogue", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dialogue")

import dialogue
from dialogue.model import Transcript

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"
SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare" / "input.txt"


#: marker -> the programs one of which a marked test needs (installed by .ci/run when it runs as root)
PROGRAMS = {"dot": ("dot",), "chromium": ("chromium", "chromium-browser")}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `dot` or `chromium` is skipped, with the reason, on a machine without the program."""
    for marker, programs in PROGRAMS.items():
        if item.get_closest_marker(marker) and not any(shutil.which(p) for p in programs):
            pytest.skip(f"needs {programs[0]}, which is not installed")


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
            timeout: float = 120, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dialogue ARGS` in a real subprocess, the package importable from the checkout; `env` adds
    to (or with a value None removes from) the environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run([sys.executable, "-m", "dialogue", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def run_on_a_terminal(*args: str, cwd: Path, timeout: float = 60, stream: str = "stderr",
                      env: dict[str, str | None] | None = None) -> tuple[int, str]:
    """Run `python -m dialogue ARGS` with standard error (or `stream="stdout"`: standard output) on a
    pseudo-terminal, the other stream discarded; its exit code and what it showed. `env` adds to (or with a
    value None removes from) the environment."""
    import pty
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    env = {key: value for key, value in env.items() if value is not None}
    primary, secondary = pty.openpty()
    try:
        on_terminal = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: secondary}
        proc = subprocess.Popen([sys.executable, "-m", "dialogue", *args], **on_terminal, env=env, cwd=cwd)
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
