"""Play scripts: grammar rules of `play.lark` to events. A speech token holds its cue line and its lines."""

from __future__ import annotations

from lark import Token

from .chat import speaker_and_note, unwrap
from .events import Heading, Note, Utterance, where
from .frontmatter import FrontMatterTransformer


def _cue(head: str) -> tuple[str, str | None]:
    head = head.strip()
    if head[-2:-1] == "]":  # `NAME [aside]:`
        name, _, note = head[:-2].partition("[")
        return name.strip(), note.strip() or None
    return speaker_and_note(head)


class PlayTransformer(FrontMatterTransformer):
    """One method per rule of play.lark."""

    def speech(self, c: list[Token]):
        token = c[0]
        head, _, body = token.value.partition("\n")
        name, note = _cue(head)
        return Utterance(name, body.rstrip(), *where(token), note=note, text_line=where(token)[0] + 1)

    def heading(self, c: list[Token]):
        name = c[0].value.strip().rstrip(":").strip()
        return Heading(name, where(c[0])[0], "act" if name[:3].lower() == "act" else "scene")

    def direction(self, c: list[Token]):
        return Note(unwrap(c[0].value), *where(c[0]), "direction")
