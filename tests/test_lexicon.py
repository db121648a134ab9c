"""dialogue.classify.lexicon, through its public behaviour: lexicon files extend the built-in categories,
load from paths (library and `--lexicon` on the command line), and a malformed line is a located error."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from dialogue.analysis import INSULT, NEUTRAL, RECONCILIATION
from dialogue.classify import Lexicon, classify, load_lexicons
from dialogue.errors import TranscriptError
from dialogue.model import Transcript

WORDS = "# our own words\n[epithet]\nflumpkin  # made up: a fool\nsnorbleweed = 0.8  # made up: an idiot\n"


def _last(text: str, lexicons: tuple[Lexicon, ...] = ()) -> str:
    moves, _ = classify(Transcript.from_pairs([("A", "Hello."), ("B", text)]), lexicons=lexicons, rules_only=True)
    return moves[-1].label


def test_a_lexicon_file_is_its_entries_in_order(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text(WORDS, encoding="utf-8")
    (lexicon,) = load_lexicons([path])
    assert [(e.category, e.pattern, e.line) for e in lexicon.entries] == [("epithet", "flumpkin", 3),
                                                                           ("epithet", "snorbleweed", 4)]
    assert 0 < lexicon.entries[0].weight <= 1 and lexicon.entries[1].weight == 0.8   # the default, then `= w`
    assert lexicon.entries[0].note == "made up: a fool" and lexicon.source == str(path)


def test_a_user_entry_makes_a_word_count_where_its_category_counts(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text(WORDS, encoding="utf-8")
    lexicons = load_lexicons([path])
    assert _last("You flumpkin.") == NEUTRAL
    assert _last("You flumpkin.", lexicons) == INSULT
    assert _last("The flumpkin in the film was funny.", lexicons) == NEUTRAL   # not aimed at the hearer


def test_a_repair_entry_extends_reconciliation(tmp_path):
    path = tmp_path / "repair.txt"
    path.write_text("[apology]\nmy bad, pal  # an apology\n", encoding="utf-8")
    moves, _ = classify(Transcript.from_pairs([("A", "You idiot, you broke it."), ("B", "My bad, pal.")]),
                        lexicons=load_lexicons([path]), rules_only=True)
    assert moves[1].label == RECONCILIATION


def test_the_command_line_takes_lexicons_and_locates_a_bad_line(tmp_path):
    source = tmp_path / "chat.txt"
    source.write_text("A: Hello.\nB: You flumpkin.\n", encoding="utf-8")
    good = tmp_path / "words.txt"
    good.write_text(WORDS, encoding="utf-8")
    proc = run_cli("analyze", str(source), "--json", "--lexicon", str(good))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["turns"][1]["label"] == INSULT
    bad = tmp_path / "bad.txt"
    bad.write_text("[epithet]\nnumpty = 3\n", encoding="utf-8")
    proc = run_cli("analyze", str(source), "--lexicon", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == f"{bad}:2:10: error: weight '3' is not a number in 0..1"


def test_a_bad_line_in_the_library_is_a_transcript_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("numpty\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        load_lexicons([path])
    assert (caught.value.line, caught.value.column) == (1, 1) and "before any [category]" in caught.value.message
