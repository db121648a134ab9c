"""Pronunciation: rhymes by sound from the CMU dictionary, slant rhymes, the fallback for unknown words."""

from __future__ import annotations

import gzip
import zipfile

import pytest
from hypothesis import given, strategies as st

from conftest import ROOT
from dialogue import pronounce
from dialogue.pronounce import FULL, SLANT, rhyme


@pytest.mark.parametrize("a, b", [("through", "you"), ("door", "for"), ("night", "knight"), ("skrrt", "hurt"),
                                  ("yeet", "street"), ("pancake", "mistake")])
def test_full_rhymes_by_sound_not_spelling(a, b):
    found = rhyme(a, b)
    assert found is not None and found.kind == FULL


@pytest.mark.parametrize("a, b", [("cough", "bough"), ("love", "move"), ("sitting", "hating"), ("cat", "dog")])
def test_spelling_alike_or_unrelated_words_do_not_rhyme(a, b):
    assert rhyme(a, b) is None


@pytest.mark.parametrize("a, b", [("time", "mine"), ("home", "alone"), ("night", "lights")])
def test_slant_rhymes_are_the_weaker_kind(a, b):
    found = rhyme(a, b)
    assert found is not None and found.kind == SLANT


def test_multisyllabic_rhymes_count_their_syllables():
    assert rhyme("nation", "station").syllables == 2
    assert rhyme("confrontation", "conversation").syllables == 2
    assert rhyme("door", "for").syllables == 1


def test_the_same_word_is_no_rhyme():
    assert rhyme("night", "Night!") is None
    assert rhyme("flexin'", "flexin") is None


def test_fallback_strips_possessives_and_dropped_g():
    gremlins = pronounce.pronounce("gremlin's")[0]
    assert not gremlins.guessed and gremlins.tail[-1] == "Z"
    flexin = pronounce.pronounce("flexin'")[0]
    assert not flexin.guessed and flexin.tail[-1] == "N"
    assert rhyme("gremlin's", "tremblin'").kind == SLANT


def test_fallback_sounds_out_unknown_words():
    guess = pronounce.pronounce("blorptastic")[0]
    assert guess.guessed and guess.syllables == 3 and guess.stress == "100"
    assert pronounce.pronounce("skrrt")[0].syllables == 1
    assert pronounce.pronounce("!!!") == ()


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", min_size=1, max_size=12))
def test_any_spelling_gets_a_pronunciation_with_one_stress_digit_per_vowel(word):
    for pron in pronounce.pronounce(word):
        vowels = [p for p in pron.tail if p[-1].isdigit()]
        assert len(vowels) == min(len(pron.stress), 3) or pron.stress == ""
        assert set(pron.stress) <= set("012")


def test_shipped_dictionary_is_small_and_licensed():
    data = ROOT / "dialogue" / "data"
    assert (data / "cmudict.rhymes.gz").stat().st_size < 3_000_000
    assert "Carnegie Mellon University" in (data / "CMUDICT-LICENSE").read_text()
    lines = gzip.decompress((data / "cmudict.rhymes.gz").read_bytes()).decode().splitlines()
    assert len(lines) > 100_000
    assert "read\t1 EH1 D|1 IY1 D" in lines


def test_converter_keeps_variants_and_drops_comments():
    from importlib import util
    spec = util.spec_from_file_location("build_cmudict", ROOT / "scripts" / "build_cmudict.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.convert("aalen AE1 L AH0 N # place, german\nread R EH1 D\nread(2) R IY1 D\n"
                           "station S T EY1 SH AH0 N\n")
    assert lines == ["aalen\t10 AE1 L AH0 N", "read\t1 EH1 D|1 IY1 D", "station\t10 EY1 SH AH0 N"]


def test_strings_with_no_vowel_to_rhyme_on_are_no_rhyme():
    # found by the fuzzer: guessed pronunciations of "L000" or "SCn" have no vowel, so no syllable
    assert rhyme("L000", "SCn") is None and rhyme("sg", "scn") is None


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123'-", min_size=1, max_size=10),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123'-", min_size=1, max_size=10),
       st.booleans())
def test_rhyme_takes_any_two_strings(a, b, primary):
    found = rhyme(a, b, primary=primary)
    assert found is None or (found.kind in (FULL, SLANT) and found.syllables >= 1)
    assert (found is None) == (rhyme(b, a, primary=primary) is None)


def test_bisection_finds_what_the_full_table_finds():
    text = gzip.decompress(pronounce.DATA.read_bytes()).decode()
    table = dict(line.split("\t", 1) for line in text.splitlines())
    words = pronounce.Words(text)
    keys = sorted(table)
    asked = keys[::97] + [keys[0], keys[-1], "", "zzzzzzz", "'", "aaaaaaaa", "read", "readx", "~"]
    assert [words.get(k) for k in asked] == [table.get(k) for k in asked]
    assert words.get("read") == "1 EH1 D|1 IY1 D"


def test_the_table_is_built_after_enough_lookups_and_answers_alike(monkeypatch):
    monkeypatch.setattr(pronounce, "BISECT_LOOKUPS", 3)
    words = pronounce.Words("able\t10 EY1 B AH0 L\nread\t1 EH1 D\nzoo\t1 UW1\n")
    found = [words.get(w) for w in ("zoo", "able", "nope", "read", "zoo", "nope")]
    assert found == ["1 UW1", "10 EY1 B AH0 L", None, "1 EH1 D", "1 UW1", None]
    assert words._table is not None and "read" in words and "nope" not in words
