"""Write a corpus of varied transcripts in every dialect, for `dialogue batch` and the benchmark.

    python benchmarks/make_corpus.py OUT_DIR [-n 10000] [--seed 7] [--broken 10]

Each transcript is an argument between two or three people, built from the word lists and templates below
(all written for this project): small talk, a grievance, accusations and insults that escalate, deflections,
and about half the time an apology that is accepted. The same argument is then written out in one of the
dialects: chat, timestamped chat, IRC, WhatsApp (Android and iOS), play script, lyric sheet, Fountain
screenplay, WebVTT, SRT. `--broken K` adds K files that must fail cleanly: binary data and invalid UTF-8.
Files go to OUT_DIR/<dialect>/NNNNN.<suffix>; the same seed gives the same corpus.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable

NAMES = ["ROSA", "LEO", "MARGUERITE", "TOBIAS", "INES", "KOFI", "HALVARD", "PRIYA", "DMITRI", "ODILE",
         "BASTIAN", "YUKI", "FENELLA", "AUGUSTIN", "NELL", "CASPAR", "WREN", "IMOGEN", "RAFE", "SOLVEIG"]
THINGS = ["the car keys", "the rent", "your sister's wedding", "the dishes", "the dog", "my birthday",
          "the holiday money", "the broken window", "the group project", "the borrowed jacket", "the garden",
          "the phone bill", "our anniversary", "the last slice of cake", "the band rehearsal"]
EPITHETS = ["toad", "clown", "half-wit", "snake", "weasel", "walking disaster", "parasite", "fraud",
            "know-it-all", "coward", "drama queen", "useless lump", "spineless worm", "pompous peacock"]
ADJECTIVES = ["pathetic", "selfish", "lazy", "clueless", "petty", "ridiculous", "impossible", "careless"]
PLACES = ["KITCHEN", "CAR PARK", "BACK GARDEN", "BUS STOP", "LAUNDERETTE", "REHEARSAL ROOM", "ROOFTOP"]
AD_LIBS = ["yeah", "uh-huh", "oh no", "come on", "hey", "listen"]

TEMPLATES = {
    "smalltalk": ["Morning. Did you sleep at all?", "Have you seen {thing} anywhere?",
                  "I was thinking about {thing} on the way home.", "Tea? I just boiled the kettle.",
                  "It's cold in here, isn't it?", "Long day. Really long day."],
    "accusation": ["You forgot {thing} again, didn't you?", "You never listen when I talk about {thing}.",
                   "You lied to me about {thing}.", "This is your fault and you know it.",
                   "You always do this. Every single time.", "Why did you tell everyone about {thing}?"],
    "insult": ["You are a {epithet}.", "Nice going, Einstein.", "You {adj} {epithet}.",
               "Honestly, you have the brains of a {epithet}.", "What a {adj} thing to say, you {epithet}.",
               "Only a {epithet} would mess up {thing}."],
    "deflection": ["Look who's talking.", "What about you and {thing}?", "You're overreacting.",
                   "I'm done talking about this.", "Whatever. Talk to the hand.", "That's not my problem.",
                   "I never said that.", "Can we not do this now?"],
    "reconciliation": ["I'm sorry. I was wrong about {thing}.", "You're right, that's fair.",
                       "Let's stop fighting. I love you.", "I apologise, I shouldn't have said that.",
                       "It's okay. Apology accepted.", "Come here. We'll sort out {thing} together."],
}


def _say(rng: random.Random, kind: str) -> str:
    return rng.choice(TEMPLATES[kind]).format(thing=rng.choice(THINGS), epithet=rng.choice(EPITHETS),
                                              adj=rng.choice(ADJECTIVES))


def argument(rng: random.Random) -> list[tuple[str, str, str]]:
    """(speaker, text, kind) turns: small talk, an escalating quarrel, sometimes a reconciliation."""
    people = rng.sample(NAMES, rng.choice((2, 2, 2, 3)))
    turns: list[tuple[str, str, str]] = []
    speaker = 0

    def add(kind: str) -> None:
        nonlocal speaker
        who = people[speaker % len(people)] if rng.random() < 0.85 else rng.choice(people)
        turns.append((who, _say(rng, kind), kind))
        speaker += 1

    for _ in range(rng.randint(1, 4)):
        add("smalltalk")
    rounds = rng.randint(2, 12)
    for r in range(rounds):
        heat = r / rounds
        add(rng.choices(["accusation", "insult", "deflection"], [1.5 - heat, 0.5 + heat, 1.0])[0])
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 3)):
            add("reconciliation")
        if rng.random() < 0.5:
            add("smalltalk")
    elif rng.random() < 0.5:
        add("deflection")
    return turns


# -- one writer per dialect -------------------------------------------------------------------------------

def _clock(rng: random.Random) -> tuple[int, int]:
    return rng.randint(7, 22), rng.randint(0, 50)


def _tick(hour: int, minute: int, rng: random.Random) -> tuple[int, int]:
    minute += rng.randint(0, 3)
    return (hour + minute // 60) % 24, minute % 60


def write_chat(turns, rng) -> str:
    gold = rng.random() < 0.3
    return "".join(f"{s.title() if rng.random() < 0.5 else s}: {t}" + (f" {{{k}}}" if gold and k != "smalltalk"
                                                                        else "") + "\n"
                   for s, t, k in turns)


def write_stamped(turns, rng) -> str:
    h, m = _clock(rng)
    out = []
    for s, t, _ in turns:
        h, m = _tick(h, m, rng)
        out.append(f"[{h:02d}:{m:02d}] {s.title()}: {t}\n")
    return "".join(out)


def write_irc(turns, rng) -> str:
    h, m = _clock(rng)
    out = [f"[{h:02d}:{m:02d}] -!- {turns[0][0].lower()} has joined #kitchen\n"]
    for s, t, _ in turns:
        h, m = _tick(h, m, rng)
        out.append(f"[{h:02d}:{m:02d}] <{s.lower()}> {t}\n")
        if rng.random() < 0.1:
            out.append(f"[{h:02d}:{m:02d}] * {s.lower()} sighs loudly\n")
    return "".join(out)


def write_whatsapp(turns, rng) -> str:
    h, m = _clock(rng)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    ios = rng.random() < 0.5
    stamp = (lambda: f"[{day:02d}/{month:02d}/2024, {h:02d}:{m:02d}:{rng.randint(0, 59):02d}] ") if ios else \
        (lambda: f"{day:02d}/{month:02d}/2024, {h:02d}:{m:02d} - ")
    out = [f"{stamp()}Messages in this chat are private to its members.\n"]
    for s, t, _ in turns:
        h, m = _tick(h, m, rng)
        out.append(f"{stamp()}{s.title()}: {t}\n")
        if rng.random() < 0.08:
            out.append("and another thing\n")
    return "".join(out)


def write_play(turns, rng) -> str:
    out = [f"ACT {rng.choice(['I', 'II', 'III'])}\n\nSCENE {rng.randint(1, 5)}. A {rng.choice(PLACES).lower()}.\n\n"]
    for i, (s, t, k) in enumerate(turns):
        aside = " (aside)" if rng.random() < 0.05 else ""
        out.append(f"{s}{aside}:\n{t}\n" + ("[Pacing]\n" if k == "insult" and rng.random() < 0.2 else "") + "\n")
        if i and rng.random() < 0.05:
            out.append("Enter a neighbour, who thinks better of it and leaves.\n\n")
    return "".join(out)


def write_lyrics(turns, rng) -> str:
    out: list[str] = []
    people = list(dict.fromkeys(s for s, _, _ in turns))
    section, verse = None, 0
    for s, t, k in turns:
        name = s.title()
        if section != name:
            verse += 1
            out.append(f"\n[Verse {verse}: {name}]\n")
            section = name
        adlib = f" ({rng.choice(AD_LIBS)})" if rng.random() < 0.2 else ""
        out.append(f"{t}{adlib}\n")
    if len(people) >= 2:
        out.append(f"\n[Chorus: {people[0].title()} & {people[1].title()}]\nRound and round we go\nRound and round\n")
    return "[Intro]\n\n" + "".join(out).lstrip("\n") if rng.random() < 0.3 else "".join(out).lstrip("\n")


def write_screenplay(turns, rng) -> str:
    out = [f"Title: {rng.choice(THINGS).title()}\nAuthor: The Corpus Generator\n\n",
           f"INT. {rng.choice(PLACES)} - {rng.choice(['DAY', 'NIGHT'])}\n\n",
           "A cramped room. Two mugs of cold tea.\n\n"]
    for s, t, k in turns:
        ext = " (O.S.)" if rng.random() < 0.05 else ""
        paren = "(quietly)\n" if k == "reconciliation" and rng.random() < 0.4 else ""
        out.append(f"{s}{ext}\n{paren}{t}\n\n")
    return "".join(out)


def _span(i: int, sep: str) -> str:
    start, end = i * 3, i * 3 + 2
    return f"00:{start // 60:02d}:{start % 60:02d}{sep}000 --> 00:{end // 60:02d}:{end % 60:02d}{sep}500"


def write_webvtt(turns, rng) -> str:
    out = ["WEBVTT\n\nNOTE generated for the dialogue benchmark\n\n"]
    for i, (s, t, _) in enumerate(turns):
        out.append(f"{_span(i, '.')}\n<v {s.title()}>{t}\n\n")
    return "".join(out)


def write_srt(turns, rng) -> str:
    return "".join(f"{i + 1}\n{_span(i, ',')}\n{s}: {t}\n\n" for i, (s, t, _) in enumerate(turns))


#: dialect -> (writer, suffixes to pick from)
WRITERS: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "chat": (write_chat, (".chat", ".txt")),
    "stamped": (write_stamped, (".txt",)),
    "irc": (write_irc, (".log",)),
    "whatsapp": (write_whatsapp, (".txt",)),
    "play": (write_play, (".txt",)),
    "lyrics": (write_lyrics, (".lyrics", ".txt")),
    "screenplay": (write_screenplay, (".fountain",)),
    "webvtt": (write_webvtt, (".vtt",)),
    "srt": (write_srt, (".srt",)),
}


def broken_file(rng: random.Random, i: int) -> tuple[str, bytes]:
    """A file that must fail cleanly: binary data, or text with bytes that are not UTF-8."""
    if i % 2 == 0:
        return ".txt", bytes(rng.randrange(256) for _ in range(2048)) + b"\x00\x00"
    return ".txt", "ROSA: caf\u00e9 again?\nLEO: ".encode("utf-8") + b"\xff\xfe broken bytes\n"


def make_corpus(folder: str, n: int = 10_000, seed: int = 7, broken: int = 0) -> list[str]:
    """Write `n` transcripts (and `broken` bad files) under `folder`; return their paths."""
    rng = random.Random(seed)
    dialects = list(WRITERS)
    paths = []
    for i in range(n):
        dialect = dialects[i % len(dialects)]
        writer, suffixes = WRITERS[dialect]
        text = writer(argument(rng), rng)
        paths.append(_write(folder, dialect, f"{i:05d}{rng.choice(suffixes)}", text.encode("utf-8")))
    for i in range(broken):
        suffix, data = broken_file(rng, i)
        paths.append(_write(folder, "broken", f"{i:05d}{suffix}", data))
    return paths


def _write(folder: str, dialect: str, name: str, data: bytes) -> str:
    sub = os.path.join(folder, dialect)
    os.makedirs(sub, exist_ok=True)
    path = os.path.join(sub, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where to write the corpus (created if missing)")
    parser.add_argument("-n", type=int, default=10_000, help="number of transcripts (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broken", type=int, default=0, help="also write this many broken files")
    args = parser.parse_args(argv)
    paths = make_corpus(args.folder, args.n, args.seed, args.broken)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"wrote {len(paths)} files ({size / 1e6:.1f} MB) under {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
