"""Front matter (`---` ... `---`): `key: value` lines and a cast list that maps aliases to one speaker.

    ---
    title: Kitchen, 2 a.m.
    cast:
      KENDRICK: K, Kendrick, Kenny
      ROSA: R
    ---
"""

from __future__ import annotations

from lark import Token, Transformer

from .events import Meta, where


def read_front_matter(block: str, line: int) -> Meta:
    pairs: list[tuple[str, str]] = []
    cast: list[tuple[str, str]] = []
    in_cast = False
    for raw in block.split("\n")[1:-2]:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indented = raw[:1].isspace() or raw.lstrip().startswith("- ")
        key, colon, value = raw.strip().lstrip("- ").partition(":")
        key, value = key.strip(), value.strip()
        if in_cast and indented:
            # `NAME: alias, alias` or a bare `- NAME` entry
            cast.extend((key, alias.strip()) for alias in value.split(",") if alias.strip())
            if not colon:
                cast.append((key, key))
            continue
        in_cast = key.lower() in ("cast", "characters", "speakers", "dramatis personae")
        if in_cast and value:
            # inline form: `cast: K = Kendrick; R = Rosa`
            for item in value.split(";"):
                alias, eq, name = item.partition("=")
                if eq and alias.strip() and name.strip():
                    cast.append((name.strip(), alias.strip()))
        elif colon and key:
            pairs.append((key, value))
    return Meta(pairs=tuple(pairs), line=line, cast=tuple(cast))


class FrontMatterTransformer(Transformer):
    """What every dialect's Transformer shares: the `start` rule lists events, `front_matter` reads `---` blocks."""

    def start(self, items: list) -> list:
        return items

    def front_matter(self, c: list[Token]) -> Meta:
        return read_front_matter(c[0].value, where(c[0])[0])
