"""Build dialogue/data/valence.tsv from the VADER sentiment lexicon (MIT), read out of its PyPI wheel.

    pip download --no-deps vaderSentiment==3.3.2 -d /tmp/w
    python scripts/build_valence.py /tmp/w/vaderSentiment-3.3.2-py2.py3-none-any.whl

VADER (Hutto and Gilbert, ICWSM 2014) rates 7,500 words and emoticons from -4 to +4 by the mean of ten human
ratings. The judge reads a negative word aimed at the hearer as a feature (`features._aimed`), so a put-down in
a word the annotated transcripts never use ("imbecile", "scumbag") still counts for something. Kept: single
words (letters, inner apostrophes and hyphens) rated -1.0 or below, as `word<TAB>mean`; the wheel's licence is
copied beside it. The wheel's Python code is not used.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dialogue" / "data" / "valence.tsv"
LICENSE = ROOT / "dialogue" / "data" / "VADER-LICENSE"
WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with zipfile.ZipFile(argv[0]) as wheel:
        lexicon = wheel.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
        licence = next(n for n in wheel.namelist() if n.endswith("dist-info/LICENSE.txt"))
        LICENSE.write_bytes(wheel.read(licence))
    kept = []
    for line in lexicon.splitlines():
        word, mean, *_ = line.split("\t")
        if WORD.fullmatch(word) and float(mean) <= -1.0:
            kept.append(f"{word}\t{float(mean):g}")
    OUT.write_text("# VADER sentiment lexicon 3.3.2 (MIT, C.J. Hutto; see VADER-LICENSE): word, mean rating "
                   "-4..-1\n" + "\n".join(sorted(kept)) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(kept)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
