"""The documentation: the API page's examples run, and every command and public name is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import dialogue
from dialogue.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "API.md"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def python_blocks(markdown: str) -> list[tuple[int, str]]:
    """(line, code) of each block fenced as exactly ```python (```python skip is for show only)."""
    return [(markdown.count("\n", 0, m.start()) + 2, m.group("body"))
            for m in FENCE.finditer(markdown) if m.group("info").strip() == "python"]


def documentation() -> str:
    readme = ROOT / "README.md"
    return API.read_text(encoding="utf-8") + (readme.read_text(encoding="utf-8") if readme.exists() else "")


def test_api_examples_run_in_order(tmp_path, monkeypatch):
    pytest.importorskip("jsonschema")
    blocks = python_blocks(API.read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for line, code in blocks:
        # Line numbers in tracebacks point into docs/API.md.
        exec(compile("\n" * (line - 1) + code, str(API), "exec"), namespace)  # noqa: S102
    assert (tmp_path / "kitchen-corpus" / "utterances.jsonl").is_file()


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert actions, "build_parser() has no subcommands"
    return sorted(actions[0].choices)


def test_every_cli_subcommand_is_documented():
    text = documentation()
    names = subcommands()
    assert {"parse", "analyze", "render", "eval", "export", "batch"} <= set(names)
    missing = [name for name in names if not re.search(rf"`dialogue {name}\b", text)]
    assert not missing, f"undocumented commands: {missing}"


def test_every_public_function_is_documented():
    text = documentation()
    functions = [name for name in dialogue.__all__ if callable(getattr(dialogue, name)) and name[0].islower()]
    missing = [name for name in functions if f"{name}(" not in text and f"`{name}`" not in text]
    assert not missing, f"undocumented functions: {missing}"


def test_dialogue_render_stays_the_function_after_its_subpackage_loads(tmp_path):
    import dialogue.render.dot  # noqa: F401  (loading a submodule must not rebind the name)
    from dialogue.render import html  # noqa: F401

    assert callable(dialogue.render) and dialogue.render.__module__ == "dialogue"
    t = dialogue.Transcript.from_pairs([("A", "Hello."), ("B", "Hi.")])
    a = dialogue.Analysis(transcript=t, moves=(dialogue.Move(0), dialogue.Move(1)))
    for name in ("one.json", "two.json"):  # the second call used to find the module
        dialogue.render(a, tmp_path / name)
    assert dialogue.load_json(tmp_path / "two.json") == a
