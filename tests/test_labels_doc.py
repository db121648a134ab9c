"""docs/LABELS.md: a section per registry label, and every example gets the label the page says it gets.

A ```transcript block is checked: each `{label}` annotated turn gets that label from the bundled classifier.
A ```transcript miss block is a known miss: the sentence below it says what the program says instead
("... says `neutral`"), and that is checked too, so the page neither overclaims nor hides a fixed miss.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dialogue
from dialogue import labels

ROOT = Path(__file__).resolve().parent.parent
LABELS_MD = ROOT / "docs" / "LABELS.md"
FENCE = re.compile(r"^```(?P<info>transcript[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
SAYS = re.compile(r"says `(?P<label>[a-z]+)`")


def page() -> str:
    return LABELS_MD.read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    """The text of each `## `label`` section."""
    parts = re.split(r"^## `([a-z]+)`\s*$", text, flags=re.MULTILINE)
    return {name: body for name, body in zip(parts[1::2], parts[2::2])}


def blocks(text: str) -> list[tuple[int, str, str, str | None]]:
    """(line, kind, body, what the program says for a miss) of each transcript block."""
    out = []
    for m in FENCE.finditer(text):
        kind = m.group("info").strip()
        assert kind in ("transcript", "transcript miss"), f"unknown block kind {kind!r}"
        after = text[m.end():].lstrip("\n").split("\n\n", 1)[0]
        said = SAYS.search(after) if kind == "transcript miss" else None
        out.append((text.count("\n", 0, m.start()) + 1, kind, m.group("body"), said and said.group("label")))
    return out


def judged(body: str, line: int) -> list[tuple[str, str | None, str]]:
    """(text, gold, label) of each turn of one block, by the bundled classifier."""
    t = dialogue.parse(body, source=f"LABELS.md:{line}", dialect="chat")
    a = dialogue.analyze(t)
    return [(turn.text, turn.gold, move.label) for turn, move in zip(t.turns, a.moves)]


def test_every_registry_label_has_a_section_with_three_checked_examples_of_it():
    found = sections(page())
    names = [label.name for label in labels.REGISTRY]
    assert set(names) <= set(found), f"labels without a section: {set(names) - set(found)}"
    for name in names:
        golds = [gold for line, kind, body, _ in blocks(found[name]) if kind == "transcript"
                 for gold in re.findall(r"\{([a-z]+)\}", body)]
        assert golds.count(name) >= 3, f"{name}: {golds}"


def cases() -> list[tuple[int, str, str, str | None]]:
    return blocks(page())


@pytest.mark.parametrize("line, kind, body, said", cases(), ids=[f"line{case[0]}" for case in cases()])
def test_each_example_gets_the_label_the_page_says(line, kind, body, said):
    annotated = [(text, gold, label) for text, gold, label in judged(body, line) if gold]
    assert len(annotated) == 1, f"LABELS.md:{line}: one annotated turn per example, got {annotated}"
    text, gold, label = annotated[0]
    assert gold in labels.NAMES, f"LABELS.md:{line}: unknown label {gold}"
    if kind == "transcript":
        assert label == gold, f"LABELS.md:{line}: {text!r} is documented {gold}, the classifier says {label}"
    else:
        assert said is not None, f"LABELS.md:{line}: a known miss must say what the program says"
        assert label == said != gold, (f"LABELS.md:{line}: {text!r}: the page says the program gives {said}, "
                                       f"it gives {label}" + (" (no longer a miss)" if label == gold else ""))


@pytest.mark.parametrize("said, label", [
    ("Sorry, what?", "neutral"), ("Sorry?", "neutral"),                      # pardons
    ("This stupid printer ate my report again.", "neutral"),                 # profanity at things
    ("She called me an idiot in front of everyone.", "neutral"),             # reported speech
    ("You cheeky monkey, rematch tomorrow!", "neutral"),                     # teasing in a calm chat
    ("Haha just kidding, but seriously you're a useless moron.", "insult"),  # an insult dressed as a joke
])
def test_the_near_misses_are_documented_and_checked(said, label):
    checked = [body for _, kind, body, _ in cases() if kind == "transcript"]
    assert any(f"{said} {{{label}}}" in body for body in checked)


def test_the_readme_points_to_the_label_page_not_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/LABELS.md)" in readme and "shared/CONTRACT.md" not in readme
