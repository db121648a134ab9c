"""Pictures of an analysis, and choosing the writer from the output file's suffix.

This package owns the pictures: `graph` (the arc as plain data), `dot` (that data as Graphviz DOT, with
`legend` for styles and key, `escape` for user text, `output` for the `dot` binary: .dot .svg .png .pdf),
`html` (the self-contained report page) and `compare` (several arcs in one picture). The outside formats
(`.json`, `.aif.json`, ConvoKit) live in `dialogue.formats`; `render` only dispatches to them by suffix.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..analysis import Analysis
from ..errors import UsageError

#: Suffix -> what it writes; `.aif.json` is tested before `.json`.
FORMATS = {
    ".aif.json": "AIF nodeset (argument-mining tools)",
    ".json": "the analysis as JSON",
    ".dot": "Graphviz DOT source (no Graphviz needed)",
    ".svg": "SVG picture (needs Graphviz's dot)",
    ".png": "PNG picture (needs Graphviz's dot)",
    ".pdf": "PDF picture (needs Graphviz's dot)",
    ".html": "self-contained HTML report (the picture needs dot; the transcript view does not)",
}


def output_format(path: str | os.PathLike[str]) -> str:
    """The format suffix of `path` (".aif.json", ".svg" ...); UsageError listing the formats otherwise."""
    name = Path(path).name.lower()
    for suffix in FORMATS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    known = " ".join(FORMATS)
    raise UsageError(f"{os.fspath(path)}: unknown output format {Path(path).suffix or '(no suffix)'!r}; "
                     f"use one of {known}")


def render(analysis: Analysis, path: str | os.PathLike[str], full: bool | None = None) -> None:
    """Write `analysis` to `path` in the format of its suffix, whole or not at all.

    `full` (pictures and HTML only): true draws a node per turn; otherwise (None or False, the CLI without
    `--full`) transcripts longer than `graph.FULL_LIMIT` turns are summarised.
    """
    fmt = output_format(path)
    # lazy: start-up time (each writer pulls in graphviz, the HTML page or the formats only when asked)
    if fmt == ".aif.json":
        from ..formats.aif import write_aif
        write_aif(analysis, path)
    elif fmt == ".json":
        from ..formats.jsonio import write_json
        write_json(analysis, path)
    elif fmt == ".html":
        from .html import write_html
        write_html(analysis, path, full=full)
    else:
        from .dot import render_graph
        render_graph(analysis, path, fmt[1:], full=full)


__all__ = ["FORMATS", "output_format", "render"]
