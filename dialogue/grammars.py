"""Where the grammar files live, and the parsers built from them: built once per dialect family, cached.

This is the only module that knows the location of the `.lark` files. In an installed wheel they sit in the
package (`dialogue/grammar/`, mapped there by hatchling's force-include); in a source checkout (and an editable
install, which would otherwise see a stale copy or none) the top-level `grammar/` folder wins.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from lark import Lark

_PACKAGE = Path(__file__).resolve().parent

#: Each dialect and the grammar family that reads it.
FAMILY = {
    "chat": "chat", "whatsapp": "chat", "irc": "chat",
    "play": "play",
    "screenplay": "screenplay",
    "lyrics": "lyrics",
    "webvtt": "subtitles", "srt": "subtitles",
}


def grammar_dir() -> Path:
    """The folder holding the `.lark` files: the source tree's `grammar/` if this is a checkout, else the package's."""
    source_tree = _PACKAGE.parent / "grammar"
    if (_PACKAGE.parent / "pyproject.toml").is_file() and (source_tree / "common.lark").is_file():
        return source_tree
    packaged = _PACKAGE / "grammar"
    if (packaged / "common.lark").is_file():
        return packaged
    raise FileNotFoundError(f"dialogue's grammar files are missing (looked in {source_tree} and {packaged})")


def grammar_path(family: str) -> Path:
    return grammar_dir() / f"{family}.lark"


@lru_cache(maxsize=None)
def parser(family: str, transformer_factory: Callable[[], Any] | None = None) -> Lark:
    """The LALR parser for a grammar family, built once; the transformer (if any) runs during parsing."""
    path = grammar_path(family)
    return Lark(
        path.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start="start",
        cache=True,
        propagate_positions=False,
        maybe_placeholders=False,
        import_paths=[str(path.parent)],
        transformer=transformer_factory() if transformer_factory else None,
    )


@lru_cache(maxsize=None)
def terminal_regex(name: str, grammar: str = "common") -> str:
    """The regular expression of one terminal of a grammar file, for code that must agree with the grammar."""
    probe = Lark(f"%import {grammar}.{name}\nstart: {name}\n", parser="lalr",
                 import_paths=[str(grammar_dir())])
    return probe.get_terminal(name).pattern.to_regexp()
