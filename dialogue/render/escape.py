"""The only two ways user text reaches DOT: HTML-like labels (`html_text`) and tooltips (`tooltip`).

This module owns the escaping rules Graphviz needs (and its quirks in 2.43); nothing else in `render`
writes user text into DOT. `css_name` turns a label into a safe CSS class word.
"""

from __future__ import annotations

import html
import re

import graphviz

#: A tooltip keeps at most this many characters of user text.
_TIP_CHARS = 1500

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def html_text(text: str) -> str:
    """Text for an HTML-like label: entities for markup, doubled backslashes (Graphviz expands `\\N`, `\\G`
    ... even inside HTML labels), `<BR/>` for newlines, `]` as an entity (Graphviz 2.43 rejects a cell that
    is only `]`)."""
    return (html.escape(clean(text), quote=True).replace("\\", "\\\\").replace("]", "&#93;")
            .replace("\n", "<BR/>"))


def tooltip(text: str) -> str:
    """Text for a tooltip (an escString): entities for markup and `&` (Graphviz passes entities through to
    SVG as they are), backslashes quadrupled (Graphviz 2.43 unescapes tooltips twice), `\\n` for newlines."""
    text = html.escape(clean(text)[:_TIP_CHARS], quote=True).replace("\\", "\\\\\\\\")
    return graphviz.nohtml(text.replace("\n", "\\n"))


def css_name(word: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", word.lower()) or "other"

