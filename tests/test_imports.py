"""The package's import graph: no cycle, no import back up the pipeline, no import of the package root; the
version has one home.

Imports inside functions count too (they are still edges of the graph, only later ones)."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import dialogue
from dialogue._version import __version__

PACKAGE = Path(dialogue.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every `dialogue` module `path` imports, at module level or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if (PACKAGE.parent / (full.replace(".", "/") + ".py")).exists()
                          or (PACKAGE.parent / full.replace(".", "/") / "__init__.py").exists() else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m == "dialogue" or m.startswith("dialogue.")} - {name}


GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


#: The stages, lowest first: a module may import from its own stage or an earlier one, never a later one.
#: The model types sit below the parser although text flows text -> parse -> model: every stage speaks them,
#: and the parser builds them. Patterns are fnmatch patterns on dotted module names; a module named exactly
#: wins over a wildcard (`render.compare` reads corpora, so it sits with them, above the rest of `render`).
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground", ("dialogue._version", "dialogue._moved", "dialogue.errors", "dialogue.labels", "dialogue.textio",
                "dialogue.progress")),
    ("model", ("dialogue.model", "dialogue.analysis")),
    ("parse", ("dialogue.grammars", "dialogue.detect", "dialogue.dialects", "dialogue.dialects.*",
               "dialogue.cleanup", "dialogue.parse", "dialogue.fmt")),
    ("classify", ("dialogue.classify", "dialogue.classify.*", "dialogue.pronounce", "dialogue.flows")),
    ("arc", ("dialogue.arc", "dialogue.pipeline")),
    ("output", ("dialogue.formats", "dialogue.formats.*", "dialogue.report", "dialogue.render",
                "dialogue.render.*")),
    ("corpus", ("dialogue.store", "dialogue.parquet", "dialogue.worker", "dialogue.batch",
                "dialogue.render.compare")),
    ("shell", ("dialogue.cli", "dialogue.__main__", "dialogue")),
)


def stage_of(module: str) -> int | None:
    """The index in STAGES of `module`'s stage, None when no pattern places it."""
    for exact in (True, False):
        for k, (_, patterns) in enumerate(STAGES):
            if any(module == p if exact else fnmatch.fnmatchcase(module, p) for p in patterns):
                return k
    return None


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Each import from a later stage, as `importer (stage) imports imported (stage)`."""
    return sorted(f"{m} ({STAGES[stage_of(m)][0]}) imports {d} ({STAGES[stage_of(d)][0]})"
                  for m, deps in graph.items() for d in deps
                  if stage_of(d) is not None and stage_of(m) is not None and stage_of(d) > stage_of(m))


def test_every_module_has_a_stage():
    unplaced = sorted(m for m in GRAPH if stage_of(m) is None)
    assert not unplaced, f"add these modules to STAGES in tests/test_imports.py: {unplaced}"


def test_no_module_imports_from_a_later_stage():
    found = upward(GRAPH)
    assert not found, "\n".join(found)


def test_the_stage_check_sees_an_import_back_up():
    assert stage_of("dialogue.render.compare") > stage_of("dialogue.render.dot") > stage_of("dialogue.arc")
    assert upward({"dialogue.parse": {"dialogue.classify.insult", "dialogue.model"}}) == [
        "dialogue.parse (parse) imports dialogue.classify.insult (classify)"]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle():
    # The package root imports `render` (to keep the name `dialogue.render` the function) and every module
    # is loaded through the root, so edges *to* the root are left out here; the test below forbids them.
    graph = {m: {d for d in deps if d != "dialogue"} for m, deps in GRAPH.items()}
    assert not cycles(graph), cycles(graph)


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_the_package_root():
    offenders = sorted(m for m, deps in GRAPH.items() if "dialogue" in deps and m != "dialogue.__main__")
    assert not offenders, offenders


def test_the_version_has_one_source():
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__ == dialogue.__version__


def test_moved_modules_still_import_as_the_same_module_with_a_warning():
    import importlib
    import sys
    import warnings

    import dialogue.formats.aif
    import dialogue.formats.jsonio
    for old in ("dialogue.jsonio", "dialogue.render.aif"):
        sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old_jsonio = importlib.import_module("dialogue.jsonio")
        from dialogue.render.aif import to_aif
    assert old_jsonio is dialogue.formats.jsonio
    assert to_aif is dialogue.formats.aif.to_aif
    assert [str(w.message).split(" moved")[0] for w in caught
            if issubclass(w.category, DeprecationWarning)] == ["dialogue.jsonio", "dialogue.render.aif"]
    assert callable(dialogue.render)
