"""Play scripts: grammar rules of `play.lark` to events. A speech token holds its cue line and its lines."""

from __future__ import annotations

import re
from functools import lru_cache

from lark import Token

from ..grammars import terminal_regex
from .chat import speaker_and_note, unwrap
from .events import Heading, Meta, Note, Utterance, where
from .frontmatter import FrontMatterTransformer


def _cue(head: str) -> tuple[str, str | None]:
    head = head.strip()
    if head[-2:-1] == "]":  # `NAME [aside]:`
        name, _, note = head[:-2].partition("[")
        return name.strip(), note.strip() or None
    return speaker_and_note(head)


class PlayTransformer(FrontMatterTransformer):
    """One method per rule of play.lark."""

    def start(self, items: list) -> list:
        return split_unbroken_speeches(items)

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


@lru_cache(maxsize=1)
def _inner_cue() -> re.Pattern[str]:
    return re.compile(r"^[^\S\n]*(?P<name>" + terminal_regex("NAME") + r")"
                      r"(?:[^\S\n]*[\[(](?P<note>[^\[\]()\n]{0,80})[\])])?[^\S\n]*:[^\S\n]*$", re.MULTILINE)


def split_unbroken_speeches(events: list) -> list:
    """A script that forgets the blank line between speeches: inside a speech, a line that is only `NAME:` starts
    a new speech when NAME is in capitals or speaks elsewhere (after a blank line, or in the cast list).
    Other lines such as `Proceed:` stay speech."""
    known = {e.speaker.casefold() for e in events if type(e) is Utterance}
    known.update(alias.casefold() for e in events if type(e) is Meta for pair in e.cast for alias in pair)
    out: list = []
    for event in events:
        text = event.text if type(event) is Utterance else ""
        if not (":\n" in text or text.rstrip().endswith(":")):  # no line ends in a colon: nothing to split
            out.append(event)
            continue
        pieces = [m for m in _inner_cue().finditer(event.text)
                  if (m["name"].isupper() or m["name"].casefold() in known) and m.start() > 0]
        if not pieces:
            out.append(event)
            continue
        start, first_line = 0, event.text_line
        current = event
        for match in pieces:
            out.append(current._replace(text=text[start:match.start()].rstrip("\n")))
            line = first_line + text.count("\n", 0, match.start())
            current = Utterance(match["name"], "", line, 1, note=(match["note"] or "").strip() or None,
                                text_line=line + 1)
            start = match.end() + 1
        out.append(current._replace(text=text[start:]))
    return out
