"""The fast-pattern helpers give exactly the matches of the plain patterns they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogue.classify.context import _POINTED, _POINTED_PHRASES, _SECOND, _SECOND_LOWER, _SECOND_WORDS
from dialogue.classify.lexicon import vocabulary
from dialogue.classify.patterns import Compiled, Lazy, lower_safe, word_alternation

# text made of the phrases' own words, their neighbours and the characters that decide word boundaries
_PIECES = ["you", "your", "yours", "u", "ur", "ya", "thou", "thee", "thine", "thing", "y'all", "yall", "you're",
           "youth", "admit", "lied", "lie", "believe", "who took", "why did", "let me down", "step  down",
           "broken", "fault", "_", "'", "-", ",", ".", "?", " ", "\n", "é", "9", "x"]
texts = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_word_alternation_finds_what_the_plain_alternation_finds(text: str) -> None:
    plain_second = re.compile(_SECOND.pattern)  # the same words, written the plain way, on lowered text
    assert [m.span() for m in _SECOND_LOWER.finditer(text)] == [m.span() for m in plain_second.finditer(text)]
    plain_pointed = re.compile(rf"(?<!\w)(?:{'|'.join(_POINTED_PHRASES)})\b")
    assert [m.span() for m in _POINTED.finditer(text)] == [m.span() for m in plain_pointed.finditer(text)]


def test_word_alternation_refuses_what_it_cannot_rewrite() -> None:
    with pytest.raises(ValueError, match="lower-case letter"):
        word_alternation(["You"])
    with pytest.raises(ValueError, match="lower-case letter"):
        word_alternation(["a+b"])
    assert word_alternation(_SECOND_WORDS, r"[\w']", r"(?![\w])").search("so it's yours now").group() == "yours"


def test_lower_safe_ignores_escapes_and_group_names_only() -> None:
    assert lower_safe(r"(?P<hit>\W+\s*you\b)(?P=hit)\Z")
    assert not lower_safe(r"[A-Z]+")
    assert not lower_safe("I am")


def test_every_frame_and_category_runs_case_sensitively_on_lowered_text() -> None:
    """The lowered copies of the built-in frames and categories drop IGNORECASE (a frame with a capital
    letter would silently keep the slow flag)."""
    vocab = vocabulary(())
    for name in vocab.frame._sources:
        assert not vocab.frame_lower[name].flags & re.IGNORECASE, name
    for name in vocab.category._sources:
        assert not vocab.category_lower[name].flags & re.IGNORECASE, name


def test_lazy_and_compiled_compile_once_on_first_use() -> None:
    lazy = Lazy(r"ab+", re.IGNORECASE)
    assert lazy.search("xABB").group() == "ABB"
    first = lazy.search
    lazy.match("abb")
    assert lazy.search == first  # bound to the compiled pattern after the first call
    table = Compiled({"x": r"a"}, re.IGNORECASE, lowered=True)
    assert "x" in table and "y" not in table
    assert table["x"] is table["x"] and not table["x"].flags & re.IGNORECASE
