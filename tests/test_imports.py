"""The package's import graph: no module imports the package root; the version has one home."""

from __future__ import annotations

import ast
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
