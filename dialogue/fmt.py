"""Transcript -> the canonical chat form: `NAME: text`, one turn a line, later lines of a turn indented.

`parse(format_chat(t))` gives the same turns (speakers, texts, gold labels). A speaker name that the chat
grammar would not read as a cue (`Second murderer`, `Senators, &C`) is written as a simpler alias, mapped back
to the real name by a cast list in front matter.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .detect import detect
from .grammars import terminal_regex
from .model import Transcript


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    return re.compile(terminal_regex("NAME"))


def _alias_for(name: str, taken: set[str]) -> str:
    words = re.findall(r"[^\W_][\w'’.\-]*", name)
    base = " ".join(w[:1].upper() + w[1:] for w in words[:6]) or "Speaker"
    alias, n = base, 1
    while alias.casefold() in taken or not _cue_pattern().fullmatch(alias):
        n += 1
        alias = f"{base if _cue_pattern().fullmatch(base) else 'Speaker'} {n}"
    return alias


def format_chat(transcript: Transcript) -> str:
    """The canonical chat form of `transcript`."""
    pattern = _cue_pattern()
    names = transcript.speaker_names
    taken = {n.casefold() for n in names}
    written: dict[str, str] = {}
    cast: list[tuple[str, str]] = []
    for name in names:
        if pattern.fullmatch(name) and not name.startswith(("http", "https")):
            written[name] = name
            continue
        alias = _alias_for(name, taken - {name.casefold()})
        taken.add(alias.casefold())
        written[name] = alias
        cast.append((name, alias))
    out: list[str] = []
    for turn in transcript.turns:
        first, *rest = turn.text.split("\n") if turn.text else [""]
        if first.lstrip()[:1] in ("(", "["):
            # a bracket opening the first line would be read as a direction: start the words on the next line
            first, rest = "", [first, *rest]
        gold = f" {{{turn.gold}}}" if turn.gold else ""
        if not rest:
            out.append(f"{written[turn.speaker]}: {first}{gold}".rstrip())
            continue
        out.append(f"{written[turn.speaker]}: {first}".rstrip())
        out.extend(f"    {line}" for line in rest[:-1])
        out.append(f"    {rest[-1]}{gold}")
    body = "\n".join(out) + "\n"
    # front matter only where the body needs it: aliases, or words that would make it read as another dialect
    front = [f"  {name}: {alias}" for name, alias in cast if ":" not in name and not name.startswith("#")]
    # a name opening with "#" would be a comment line in the block form: it goes in the inline form
    inline = "; ".join(f"{alias} = {name}" for name, alias in cast
                       if name.startswith("#") and not any(c in name for c in ":;="))
    declare = detect(body) != "chat"
    if not front and not inline and not declare:
        return body
    head = ["---", *(["dialect: chat"] if declare else []),
            *([f"cast: {inline}".rstrip(), *front] if front or inline else []), "---"]
    return "\n".join(head) + "\n" + body
