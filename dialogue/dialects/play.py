"""Play scripts: grammar rules of `play.lark` to events."""

from __future__ import annotations

from lark import Token, Transformer

from .chat import speaker_and_note, unwrap
from .events import Heading, Note, Utterance
from .frontmatter import read_front_matter


def _cue(token: Token) -> tuple[str, str | None]:
    head = token.value.strip()
    if head[-2:-1] == "]":  # `NAME [aside]:`
        name, _, note = head[:-2].partition("[")
        return name.strip(), note.strip() or None
    return speaker_and_note(head.replace("[", "(").replace("]", ")"))


class PlayTransformer(Transformer):
    """One method per rule of play.lark."""

    def start(self, items: list) -> list:
        return items

    def front_matter(self, c: list[Token]):
        return read_front_matter(c[0].value, c[0].line)

    def speech(self, c: list[Token]):
        name, note = _cue(c[0])
        if len(c) == 1:
            return Utterance(name, "", c[0].line, c[0].column, note=note)
        return Utterance(name, c[1].value, c[0].line, c[0].column, note=note, text_line=c[1].line)

    def heading(self, c: list[Token]):
        events: list = []
        for token in c:
            if token.type == "PARA":
                events.append(Note(token.value.strip(), token.line, token.column, "direction"))
            else:
                name = token.value.strip().rstrip(":").strip()
                events.append(Heading(name, token.line, "act" if name[:3].lower() == "act" else "scene"))
        return events

    def direction(self, c: list[Token]):
        return Note(unwrap(c[0].value), c[0].line, c[0].column, "direction")
