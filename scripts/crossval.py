"""Cross-validate the judge over the training files: k folds by file, each scored by a model trained without it.

    python scripts/crossval.py               # 5 folds, pooled figures
    python scripts/crossval.py --folds 3 --extra DIR

The validation split of `train_model.py` is 15% of the files, so one file more or less moves its macro-F1 by a
few points; pooled over every fold, each training file is scored once by a model that never saw it, which is
the steadier figure to choose features and settings by. The frozen test split (data/transcripts/test/) is not
read. Needs the train extra.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from dialogue.classify import classify  # noqa: E402
from dialogue.classify.judge import load_model  # noqa: E402
from dialogue.classify.train import read_tsv, train  # noqa: E402
from dialogue.parse import parse_file  # noqa: E402
from train_model import PUBLIC, training_files  # noqa: E402

MACRO = ("insult", "deflection", "reconciliation")


def fold_of(path: Path, folds: int) -> int:
    return hashlib.sha1(path.name.encode("utf-8")).digest()[1] % folds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--strength", type=float, default=None, help="the L2 strength (default: train's)")
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("--public", type=Path, default=PUBLIC)
    parser.add_argument("--transfer", action="store_true",
                        help="instead: train on the transcripts alone and score the public sets' rows (a text "
                             "in a register the model never saw): insult F1 and balanced accuracy")
    args = parser.parse_args()
    files = training_files(args.extra, args.public)
    if args.transfer:
        return transfer(files)
    pairs: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            scored = [p for p in files if p.suffix != ".tsv" and fold_of(p, args.folds) == k]
            model = Path(tmp) / f"fold{k}.dlgm"
            train([p for p in files if p not in scored], model, base=None, hold_out=0.15, strength=args.strength)
            judge = load_model(model)
            for path in scored:
                transcript = parse_file(path)
                moves, _ = classify(transcript, judge=judge)
                pairs.update((t.gold, m.label) for t, m in zip(transcript.turns, moves) if t.gold)
            print(f"fold {k}: {len(scored)} files", file=sys.stderr)
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    f1s = {}
    for label in labels:
        tp = pairs[(label, label)]
        gold = sum(n for (g, _), n in pairs.items() if g == label)
        pred = sum(n for (_, p), n in pairs.items() if p == label)
        precision, recall = tp / pred if pred else 0.0, tp / gold if gold else 0.0
        f1s[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{label:15} P {precision:.3f}  R {recall:.3f}  F1 {f1s[label]:.3f}  gold {gold}")
    total = sum(pairs.values())
    print(f"macro-F1 ({', '.join(MACRO)}): {sum(f1s.get(x, 0.0) for x in MACRO) / 3:.3f}")
    print(f"accuracy: {sum(n for (g, p), n in pairs.items() if g == p) / total:.3f} over {total} turns")
    return 0


def transfer(files: list[Path]) -> int:
    """Insult against the rest on rows of a register the transcripts lack (each row with its context)."""
    rows = [t for p in files if p.suffix == ".tsv" for t in read_tsv(p)]
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "transcripts.dlgm"
        train([p for p in files if p.suffix != ".tsv"], model, base=None, hold_out=0.15)
        judge = load_model(model)
        pairs = Counter()
        for transcript in rows:
            moves, _ = classify(transcript, judge=judge)
            pairs[(transcript.turns[-1].gold == "insult", moves[-1].label == "insult")] += 1
    tp, fn, fp, tn = pairs[(True, True)], pairs[(True, False)], pairs[(False, True)], pairs[(False, False)]
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"{len(rows)} rows: insult P {precision:.3f} R {recall:.3f} "
          f"F1 {2 * precision * recall / max(precision + recall, 1e-9):.3f}, "
          f"balanced accuracy {(recall + tn / max(tn + fp, 1)) / 2:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
