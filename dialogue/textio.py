"""Reading input bytes as text and writing outputs whole or not at all.

Owns decoding (UTF-8 with or without BOM, other encodings on request), refusing binary files, and atomic
writes (a temporary file in the target's folder, then `os.replace`).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from .errors import RenderError, TranscriptError, UsageError

#: Bytes that never occur in text; more than this share of them marks a file as binary.
_BINARY_SHARE = 0.10
_SURROGATE = re.compile("[\ud800-\udfff]")
#: How many leading bytes the binary test looks at.
_SNIFF = 65536
#: Byte order marks that name a wide encoding (UTF-32 first: its little-endian BOM starts like UTF-16's).
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, source: str = "<input>", encoding: str | None = None) -> str:
    """Bytes to text with universal newlines. Invalid UTF-8 is a located TranscriptError."""
    encoding = _refuse_binary(data, source, encoding)
    if encoding is None:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # utf-8-sig would misplace errors
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _locate(body, exc.start, "utf-8")
            raise TranscriptError(
                f"invalid UTF-8 byte 0x{body[exc.start]:02x}; name the encoding with --encoding "
                "(for example --encoding latin-1)", line=line, column=column, source=source) from None
    else:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            line, column = _locate(data, exc.start, encoding)
            raise TranscriptError(f"byte 0x{data[exc.start]:02x} is not valid {encoding}",
                                  line=line, column=column, source=source) from None
        except (UnicodeError, ValueError) as exc:   # codecs such as punycode or 'undefined' fail unlocated
            raise TranscriptError(f"cannot decode as {encoding}: {exc}", source=source) from None
        lone = _SURROGATE.search(text)  # unicode_escape turns `\ud800` into one, which no output can encode
        if lone:
            before = text[:lone.start()].replace("\r\n", "\n").replace("\r", "\n")
            raise TranscriptError(f"decoding as {encoding} gives a lone surrogate U+{ord(lone.group()):04X}, "
                                  "which is not text", line=before.count("\n") + 1,
                                  column=len(before) - before.rfind("\n"), source=source)
        if text.startswith("\ufeff"):
            text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _refuse_binary(head: bytes, source: str, encoding: str | None) -> str | None:
    """TranscriptError if `head` (the first bytes) is binary; returns the encoding a wide BOM names."""
    if encoding is None:
        # Windows "Unicode" text is UTF-16 with a BOM: text, though full of NUL bytes
        encoding = next((name for bom, name in _WIDE_BOMS if head.startswith(bom)), None)
    wide = encoding is not None and encoding.lower().replace("-", "").replace("_", "")[:5] in ("utf16", "utf32")
    if not wide and (b"\x00" in head[:_SNIFF] or _looks_binary(head[:_SNIFF])):
        raise TranscriptError("binary file (NUL bytes or mostly non-text); not a transcript", source=source)
    return encoding


def _read(handle: BinaryIO, source: str, encoding: str | None) -> bytes:
    """All of `handle`, but refuse a binary stream after its first bytes (`/dev/zero` never ends)."""
    head = handle.read(_SNIFF)
    _refuse_binary(head, source, encoding)
    return head + handle.read()


def _locate(data: bytes, pos: int, encoding: str) -> tuple[int, int]:
    """Line and column (in characters, as an editor counts them) of the bad byte at `pos`.

    Everything before the first bad byte decodes, so the prefix is counted as text: any line end
    (LF, CRLF, CR) starts a line, and a multi-byte character before the bad byte is one column.
    """
    before = data[:pos].decode(encoding, errors="replace").lstrip("\ufeff")
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) > _BINARY_SHARE


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a transcript file (`-` is standard input) as text."""
    name = os.fspath(path)
    if name == "-":
        return decode(_read(sys.stdin.buffer, "<stdin>", encoding), "<stdin>", encoding)
    try:
        with open(name, "rb") as handle:
            data = _read(handle, name, encoding)
    except IsADirectoryError:
        raise TranscriptError("is a directory, not a transcript file", source=name) from None
    except FileNotFoundError:
        raise TranscriptError("no such file", source=name) from None
    except PermissionError:
        raise TranscriptError("permission denied", source=name) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read: {exc.strerror or exc}", source=name) from None
    return decode(data, name, encoding)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path` whole or not at all: an existing file is replaced only on success."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{target}: output folder {str(folder)!r} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if target.exists():
            try:
                os.chmod(tmp, target.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644 & ~umask())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None
        raise


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
