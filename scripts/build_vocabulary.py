"""Work out the bundled lexicons' vocabulary (category alternations, frames, scan-index plans) ahead of time.

    python scripts/build_vocabulary.py      # writes dialogue/classify/lexicons/built.pickle

Run it after editing a bundled lexicon file, a frame or the index code: a process ignores a stale file (and
builds the vocabulary in memory, ~0.1 s slower to start), and tests/test_classify.py fails until it is rebuilt.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dialogue.classify  # noqa: E402,F401  - the label modules declare their frames on import
from dialogue.classify.vocab import BUILT, write_built  # noqa: E402

if __name__ == "__main__":
    write_built()
    print(f"wrote {BUILT} ({BUILT.stat().st_size:,} bytes)")
