"""Rebuild the bundled model from the training data in the repository, and report its figures.

    python scripts/train_model.py            # train, write dialogue/models/default.dlgm, print the figures
    python scripts/train_model.py --test     # also score the frozen test split (once per classifier change)

Needs the train extra (`pip install '.[train]'`). The training files are every annotated transcript under
samples/dev/ and data/transcripts/train*/, and every labelled set under data/public/*/ (built by
data/scripts/build_*.py from public repositories; see data/PROVENANCE.md). A fixed share of the files, chosen by file name, is the validation split: it sets the
calibration temperature and the figures printed under "validation". data/transcripts/test/ is the frozen
test split: never trained on, never tuned on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.classify.evaluate import evaluate, format_report  # noqa: E402
from dialogue.classify.judge import BUNDLED, load_model  # noqa: E402
from dialogue.classify.train import held_out_group, train  # noqa: E402
from dialogue.parse import parse_file  # noqa: E402

VALIDATION = 0.15


PUBLIC = ROOT / "data" / "public"


def training_files(extra: list[str] = (), public: Path = PUBLIC) -> list[Path]:  # type: ignore[assignment]
    found = sorted((ROOT / "samples" / "dev").rglob("*.txt"))
    for folder in [*sorted((ROOT / "data" / "transcripts").glob("train*")), *map(Path, extra)]:
        found += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".fountain", ".srt",
                                                                                   ".vtt") and p.name != "README.md")
    found += sorted(public.glob("*/*.tsv"))
    return found


def test_files() -> list[Path]:
    folder = ROOT / "data" / "transcripts" / "test"
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "README.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(BUNDLED))
    parser.add_argument("--strength", type=float, default=None)
    parser.add_argument("--test", action="store_true", help="score the frozen test split too")
    parser.add_argument("--public", type=Path, default=PUBLIC, help="the folder of rebuilt public sets")
    parser.add_argument("--extra", action="append", default=[], help="another folder of training transcripts")
    args = parser.parse_args()
    files = training_files(args.extra, args.public)
    report = train(files, args.output, base=None, strength=args.strength, hold_out=VALIDATION)
    print(report.format())
    judge = load_model(args.output)
    validation = [parse_file(p) for p in files if p.suffix != ".tsv" and held_out_group(str(p), VALIDATION)]
    print(f"\n## validation ({len(validation)} files)")
    print(format_report(evaluate(validation, model=judge)))
    if args.test and test_files():
        print(f"## frozen test split ({len(test_files())} files)")
        print(format_report(evaluate([parse_file(p) for p in test_files()], model=judge)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
