"""The fast-pattern helpers give exactly the matches of the plain patterns they stand for."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogue
from conftest import ROOT
from scaling import assert_linear
from dialogue import TranscriptError, grammars
from dialogue.model import DIALECTS
from dialogue.classify.context import _POINTED, _POINTED_PHRASES, _SECOND, _SECOND_LOWER, _SECOND_WORDS
from dialogue.classify.vocab import vocabulary
from dialogue.classify.patterns import Compiled, Lazy, Located, lower_safe, word_alternation

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


_FRAME_TEXT = ["you", "u", "ya", "thou", "thee", "y'all", "all of you", "you people", "your", "ur", "thy",
               " ", ", ", ". ", "'", "never", "always", "lied", "cooked", "took", "again", "is", "dog", "really",
               "keep", "kept", "\n", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAME_TEXT), max_size=25).map("".join), st.integers(0, 30))
def test_located_frames_find_what_the_plain_frames_find(text: str, start: int) -> None:
    """Every frame the vocabulary locates by its opening word gives the plain frame's matches: all of them
    (finditer) and the first from any position, with and without an end (search, as `_framed` windows do)."""
    vocab = vocabulary(())
    located = [name for name in vocab.frame._sources if isinstance(vocab.frame_lower[name], Located)]
    # a match with another opening word inside it: finditer does not start again inside a match
    nested = "your dog is out and your cat is loud again"
    assert [m.span() for m in vocab.frame_lower["your-again"].finditer(nested)] == [(0, len(nested))]
    assert {"you-did", "you-past", "always-never", "your-again"} <= set(located)
    for name in located:
        fast = vocab.frame_lower[name]
        plain = re.compile(vocab.frame._sources[name])
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], name
        first, end = min(start, len(text)), len(text) - start // 3
        got = fast.search(text, first, end)
        want = plain.search(text, first, end)
        assert (got and got.span()) == (want and want.span()), name


# == adversarial strings against every pattern ===================================================================

#: Units repeated to ~100k characters; each defeats some naive pattern (nested quantifiers over names,
#: spaces before a colon, unclosed brackets, cue-like prefixes, arrows, stamps).
UNITS = ["A", " ", "\t", "(", "[", "{", "<", "<v ", "00:00:00,000 --> ", ":", "A ", "A: ", "a.", "A & ",
         "A of ", "1:", "1/", "12/03/2024, ", "*", "-", "#", "\u200e", "(x", "A (", "<@", "AAAA!",
         "you idiot ", "sorry ", "INT. ", "---\n", "A\n", "(\n", "\n\n"]
def _parse_or_refuse(text: str, dialect: str | None) -> None:
    try:
        dialogue.parse(text, dialect=dialect)
    except TranscriptError:
        pass
    except dialogue.UsageError as exc:                     # detection picked a family that has not landed
        assert "not available" in str(exc)


@pytest.mark.slow
@pytest.mark.parametrize("dialect", (None, *DIALECTS))
def test_adversarial_lines_parse_in_linear_time_in_every_dialect(dialect):
    """Each unit repeated to 10k and to 100k characters: the parse's CPU time grows ~10x, not ~100x."""
    for unit in UNITS:
        assert_linear(lambda text: _parse_or_refuse(text, dialect), lambda n: unit * (n // len(unit)) + "!",
                      10_000, f"{dialect or 'detected'} dialect, lines of {unit!r}")


@pytest.mark.slow
def test_adversarial_turns_analyse_in_linear_time():
    for unit in UNITS:
        plain = unit.replace("\n", " ")
        assert_linear(dialogue.analyze, lambda n: dialogue.parse("ROSA: " + plain * (n // len(unit)) + "\n"),
                      3_000, f"analysis of one turn made of {unit!r}")


def _patterns() -> dict[str, tuple[re.Pattern[str], set[str]]]:
    """Every module-level pattern in dialogue/ (with the methods the source calls on it) and every terminal
    of every grammar (the lexer calls `match` at a position)."""
    found: dict[str, tuple[re.Pattern[str], set[str]]] = {}
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "dialogue").rglob("*.py")}
    for info in pkgutil.walk_packages(dialogue.__path__, "dialogue."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        items = list(vars(module).items())
        items += [(f"{k}[{kk}]", vv) for k, v in vars(module).items() if isinstance(v, dict)
                  for kk, vv in v.items()]
        for name, value in items:
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                bare = name.split("[")[0]
                used = {m for text in sources.values()
                        for m in re.findall(rf"\b{re.escape(bare)}(?:\[[^\]]*\])?\.(\w+)\(", text)}
                found[f"{info.name}.{name}"] = (value, (used & {"search", "findall", "finditer", "sub", "split",
                                                                  "match", "fullmatch"}) | {"match"})
    from dialogue.parse import _transformers
    for family in sorted(set(grammars.FAMILY.values()) & set(_transformers())):
        for terminal in grammars.parser(family, None).terminals:
            flags = re.compile(f"(?{''.join(terminal.pattern.flags)})").flags if terminal.pattern.flags else 0
            found[f"{family}.lark:{terminal.name}"] = (re.compile(terminal.pattern.to_regexp(), flags), {"match"})
    return found


@pytest.mark.slow
def test_no_pattern_backtracks_catastrophically():
    """Each pattern, called the way the code calls it, on adversarial strings of 2k and 20k characters: a
    linear pattern takes ~10x the CPU for 10x the text (and milliseconds), a catastrophic or quadratic one
    ~100x or more."""
    patterns = _patterns()
    assert len(patterns) > 20
    for name, (pattern, methods) in patterns.items():
        for unit in UNITS[:26]:
            for end in ("", "!\n"):
                for method in sorted(methods):
                    call = getattr(pattern, method)
                    assert_linear((lambda text: call("", text)) if method == "sub" else call,
                                  lambda n: unit * (n // len(unit)) + end, 2_000,
                                  f"{name}.{method} on {unit!r}", repeat=2)
