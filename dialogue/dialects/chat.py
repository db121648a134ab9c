"""Chat family (chat, IRC, WhatsApp): grammar rules of `chat.lark` to events."""

from __future__ import annotations

from lark import Token

from .events import Continuation, Note, Utterance, where
from .frontmatter import FrontMatterTransformer


def speaker_and_note(head: str) -> tuple[str, str | None]:
    """`NAME (quietly): ` -> ("NAME", "quietly")."""
    name = head.strip().rstrip(":").strip()
    if name.endswith(")") and "(" in name:
        name, _, note = name[:-1].partition("(")
        return name.strip(), note.strip() or None
    return name, None


def unwrap(text: str) -> str:
    """`[Exeunt]` -> `Exeunt`: the brackets that mark a whole line as a direction are not part of it."""
    text = text.strip()
    if len(text) >= 2 and (text[0], text[-1]) in (("(", ")"), ("[", "]")):
        inner = text[1:-1]
        if inner.count("(") == inner.count(")") and inner.count("[") == inner.count("]"):
            return inner.strip()
    return text


def _stamp(token: str) -> str:
    return token.strip().strip("\u200e[]()").rstrip("-–").strip().rstrip("]").strip()


class ChatTransformer(FrontMatterTransformer):
    """One method per rule of chat.lark; each returns an event."""

    def whatsapp(self, c: list[Token]):
        return self._event(c[0], c[1] if len(c) == 3 else None, c[-1])

    def stamped(self, c: list[Token]):
        return self._event(c[0], c[1] if len(c) == 3 else None, c[-1])

    def message(self, c: list[Token]):
        return self._event(None, c[0], c[1])

    def direction(self, c: list[Token]):
        return Note(unwrap(c[0].value), *where(c[0]), "direction")

    def comment(self, c: list[Token]):
        return Note(c[0].value.strip(), *where(c[0]), "comment")

    def indented(self, c: list[Token]):
        return Continuation(c[0].value.strip(), *where(c[0]))

    def text(self, c: list[Token]):
        return Continuation(c[0].value.rstrip("\n"), *where(c[0]))

    @staticmethod
    def _event(stamp: Token | None, head: Token | None, rest: Token):
        first = stamp or head or rest
        timestamp = _stamp(stamp.value) if stamp is not None else None
        words = rest.value.rstrip("\n")
        kind = head.type if head is not None else None
        if kind in ("SPEAKER", "WA_SPEAKER"):
            name, note = speaker_and_note(head.value.replace("\u200e", ""))  # type: ignore[union-attr]
            return Utterance(name, words, *where(first), timestamp, note)
        if kind == "NICK":
            nick = head.value.strip()[1:-1].strip().lstrip("~&@%+")  # type: ignore[union-attr]
            return Utterance(nick, words, *where(first), timestamp)
        if kind == "ACTION":
            return Note(words.strip(), *where(first), "action")
        if kind == "SYSTEM" or (stamp is not None and stamp.type == "WA_STAMP"):
            return Note(words.strip(), *where(first), "system")
        if stamp is not None and stamp.value.lstrip()[:1] in "[(":
            return Note(words.strip(), *where(first), "system")
        # a bare time at the start of a line that names no speaker: ordinary text
        return Continuation((stamp.value if stamp is not None else "") + words, *where(first))
