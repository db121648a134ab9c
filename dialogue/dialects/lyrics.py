"""Lyric sheets: grammar rules of `lyrics.lark` to events.

A header names a section and its performers (`[Chorus: A & B]`); a line with no cue belongs to whoever
sings at that point, which `dialogue.parse` settles (an empty speaker means "the current voice").
"""

from __future__ import annotations

import re

from lark import Token

from .events import Heading, Note, Utterance, where
from .frontmatter import FrontMatterTransformer

#: Words that open a section name on lyric sites and in songbooks.
SECTION_WORDS = re.compile(
    r"(?i)(?:intro|outro|verse|chorus|pre-?chorus|post-?chorus|hook|pre-?hook|bridge|refrain|interlude|"
    r"breakdown|skit|spoken|instrumental|part|tag|coda|drop|break|segue|couplet|refrain)\b")
_PAREN = re.compile(r"\([^()]*\)")


def split_performers(text: str) -> tuple[str, ...]:
    """`A, B & C` -> (A, B, C); parenthesised ad-lib credits are dropped."""
    text = _PAREN.sub("", text)
    parts = re.split(r"\s*(?:&|\+|,|\band\b|\bwith\b|\bfeat\.?|\bft\.?)\s*", text)
    return tuple(p.strip() for p in parts if p.strip())


class LyricsTransformer(FrontMatterTransformer):
    """One method per rule of lyrics.lark."""

    def header(self, c: list[Token]):
        inner = c[0].value.strip()[1:-1].strip()
        name, colon, performers = inner.partition(":")
        if colon:
            return Heading(name.strip(), where(c[0])[0], _kind(name), split_performers(performers))
        if SECTION_WORDS.match(inner):
            return Heading(inner, where(c[0])[0], _kind(inner))
        return Note(inner, *where(c[0]), "direction")

    def cue(self, c: list[Token]):
        name = c[0].value.strip().rstrip(":").strip()
        if SECTION_WORDS.match(name):
            return Heading(name, where(c[0])[0], _kind(name))
        return Utterance(name, "", *where(c[0]))

    def cued(self, c: list[Token]):
        name, _, words = c[0].value.partition(":")
        return Utterance(name.strip(), words.strip(), *where(c[0]))

    def sung(self, c: list[Token]):
        return Utterance("", c[0].value.rstrip("\n"), *where(c[0]), joins=True)

    def comment(self, c: list[Token]):
        return Note(c[0].value.strip(), *where(c[0]), "comment")


def _kind(name: str) -> str:
    match = SECTION_WORDS.match(name.strip())
    return match.group(0).lower().replace("-", "") if match else "section"
