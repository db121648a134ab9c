"""Old module paths that moved, kept importable with a DeprecationWarning (docs/API.md named them).

`import dialogue.jsonio` (and `from dialogue import jsonio`) gives the very module `dialogue.formats.jsonio`,
so its names stay one object each; no file remains at the old path, which lets git follow the moves.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

#: Old dotted path -> new dotted path.
MOVED = {
    "dialogue.jsonio": "dialogue.formats.jsonio",
    "dialogue.render.aif": "dialogue.formats.aif",
    "dialogue.render.convokit": "dialogue.formats.convokit",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        # Python leaves importlib's own frames out of the count, so level 2 names the importing line.
        warnings.warn(f"{spec.name} moved to {new}; import it from there", DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module was loaded under its new name."""


def install() -> None:
    """Put the alias finder on `sys.meta_path` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
