"""dialogue.textio: reading input as text (encodings, BOMs, line ends), refusing binary files, empty
input; through the library and the command line (a real subprocess): exit 0, or exit 2 with one located
line, never a traceback."""

from __future__ import annotations

import os
import re

import pytest
from conftest import BINARIES, CHAT, assert_input_error, assert_usage_error, err, pairs, parse_json, run_cli, write_input

import dialogue
from dialogue import TranscriptError
from dialogue.parse import parse_file
from dialogue.textio import decode


# == encodings ===============================================================================================

def test_utf8_with_and_without_bom_reads_the_same(tmp_path):
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(CHAT.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + CHAT.encode("utf-8"))
    assert parse_file(bom).turns == parse_file(plain).turns
    assert parse_file(bom).turns[0].speaker == "ROSA"          # the BOM is not part of the first name
    assert pairs(parse_json(run_cli("parse", "--json", str(bom)))) == pairs(
        parse_json(run_cli("parse", "--json", str(plain))))


@pytest.mark.parametrize("ending", ["\r\n", "\r", "mixed"])
def test_crlf_and_cr_line_ends_read_like_lf(tmp_path, ending):
    lines = CHAT.splitlines(keepends=False)
    if ending == "mixed":
        raw = lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n"
    else:
        raw = ending.join(lines) + ending
    path = tmp_path / "ends.txt"
    path.write_bytes(raw.encode("utf-8"))
    expected = dialogue.parse(CHAT)
    got = parse_file(path)
    assert [(t.speaker, t.text, t.line) for t in got.turns] == [(t.speaker, t.text, t.line) for t in expected.turns]
    assert all("\r" not in t.text for t in got.turns)
    assert dialogue.parse(raw).turns == expected.turns        # the library takes str with CR too
    assert pairs(parse_json(run_cli("parse", "--json", str(path)))) == [(t.speaker, t.text) for t in expected.turns]


@pytest.mark.parametrize("raw, line, column", [
    (b"ROSA: fine\nLEO: caf\xe9 au lait\n", 2, 9),                        # Latin-1 e-acute
    ("ROSA: fine\nJÜRGEN: ".encode() + b"\xff\n", 2, 9),                  # a two-byte letter before it counts once
    (b"\xef\xbb\xbfROSA: \x80\n", 1, 7),                                   # the BOM is not a column
    (b"ROSA: a\r\nLEO: b\rMAYA: \xc3(\r\n", 3, 7),                         # CR and CRLF both end lines
    (b"ROSA: \xed\xa0\x80 surrogate\n", 1, 7),                             # an encoded surrogate is not UTF-8
])
def test_invalid_utf8_is_a_located_error(tmp_path, raw, line, column):
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(TranscriptError) as caught:
        parse_file(path)
    assert (caught.value.line, caught.value.column) == (line, column)
    message = assert_input_error(run_cli("parse", str(path)), f"{path}:{line}:{column}", "invalid UTF-8")
    assert "--encoding" in message                                           # says how to get past it


def test_another_encoding_reads_when_named(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("ROSA: café crème\nJÜRGEN: Grüße\n".encode("latin-1"))
    doc = parse_json(run_cli("parse", "--json", "--encoding", "latin-1", str(path)))
    assert pairs(doc) == [("ROSA", "café crème"), ("JÜRGEN", "Grüße")]
    assert parse_file(path, encoding="cp1252").turns[0].text == "café crème"


def test_unknown_encoding_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(CHAT, encoding="utf-8")
    assert_usage_error(run_cli("parse", "--encoding", "klingon-8", str(path)), "unknown encoding")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_text_not_binary(tmp_path, codec):
    # Windows Notepad's "Unicode" is UTF-16 with a BOM: full of NUL bytes, still a transcript
    path = tmp_path / "wide.txt"
    path.write_bytes(CHAT.replace("\n", "\r\n").encode(codec))
    assert pairs(parse_json(run_cli("parse", "--json", str(path)))) == [
        (t.speaker, t.text) for t in dialogue.parse(CHAT).turns]


# == binary files =============================================================================================

@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_files_are_refused_clearly(tmp_path, kind):
    path = tmp_path / f"{kind}.txt"
    path.write_bytes(BINARIES[kind])
    with pytest.raises(TranscriptError):
        parse_file(path)
    proc = run_cli("parse", str(path))
    line = err(proc).strip()
    assert proc.returncode == 2 and "Traceback" not in line
    # refused as binary, or (random bytes that pass for text) located at the first byte that is not UTF-8
    assert line.startswith(f"{path}: error: binary file") or re.match(
        re.escape(str(path)) + r":\d+:\d+: error: invalid UTF-8", line), line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_binary_devices_are_refused_without_reading_them_whole(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert_input_error(run_cli("parse", device, timeout=30), device, "binary file")


@pytest.mark.parametrize("codec", ["punycode", "undefined", "utf-16"])
def test_codecs_that_fail_oddly_are_input_errors(tmp_path, codec):
    path = write_input(tmp_path, "ROSA: a\\\nLEO: b:c\n")
    proc = run_cli("parse", "--encoding", codec, str(path))
    assert proc.returncode in (0, 2) and "Traceback" not in err(proc) and "internal error" not in err(proc)


def test_an_encoding_that_yields_lone_surrogates_is_a_located_error(tmp_path):
    path = write_input(tmp_path, "ROSA: fine\nLEO: x \\ud800 y\n")
    assert_input_error(run_cli("render", "--encoding", "unicode_escape", str(path), "-o", str(tmp_path / "o.json")),
                       f"{path}:2:8", "surrogate")
    assert not (tmp_path / "o.json").exists()


def test_binary_on_standard_input_is_refused(tmp_path):
    assert_input_error(run_cli("parse", "-", stdin=BINARIES["png"]), "<stdin>", "binary file")


def test_decode_refuses_binary_without_a_file():
    with pytest.raises(TranscriptError, match="binary"):
        decode(BINARIES["elf"], "x.bin")


# == empty and blank files ====================================================================================

@pytest.mark.parametrize("raw", [b"", b"\n\n   \n\t\n", b"\xef\xbb\xbf", b"\r\n\r\n", b"\xef\xbb\xbf  \r\n"],
                         ids=["empty", "blank", "bom-only", "crlf-only", "bom-blank"])
def test_empty_and_blank_files_are_zero_turns_and_say_so(tmp_path, raw):
    # `parse` reads an empty chat as an empty chat, and says nothing was found; the commands that analyse
    # refuse it (tests/test_no_turns.py)
    path = tmp_path / "empty.txt"
    path.write_bytes(raw)
    assert parse_file(path).turns == ()
    proc = run_cli("parse", str(path))
    assert proc.returncode == 0 and "Traceback" not in err(proc)
    assert f"{path}: warning: no speaker turns found" in err(proc)
    assert parse_json(run_cli("parse", "--json", str(path)))["turns"] == []


def test_an_empty_transcript_analyses_in_memory_but_a_blank_file_is_an_input_error(tmp_path):
    analysis = dialogue.analyze(dialogue.parse(""))
    assert analysis.moves == () and analysis.arc.tension == ()
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\n \n")
    out = tmp_path / "empty.json"
    assert_input_error(run_cli("render", str(path), "-o", str(out)), f"{path}:1:1", "no speaker turns found")
    assert not out.exists()
