"""Build the ConvAbuse training set: users' turns aimed at a conversational agent, insult or neutral.

    python data/scripts/build_convabuse.py REPO_DIR [-o OUT.tsv]

REPO_DIR is a clone of https://github.com/amandacurry/convabuse (CC BY 4.0; Cercas Curry, Abercrombie and
Rieser, EMNLP 2021). Each row of its train/valid/test splits is a user's turn, the agent's turn it answers,
and the judgements of several annotators. Kept, with the agent's turn as context:
- `insult`: most annotators call it abusive and aimed at the agent itself (target "system" or
  "individual"), not sexual harassment alone: an attack on the hearer, which is what `insult` means here;
- `neutral`: every annotator calls it not abusive.
Ambiguous rows, abuse aimed at a group, and harassment without contempt are left out (label fit beats
size). At most as many neutral rows as insult rows, drawn with a fixed seed, so the set stays small.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

SPLITS = ("2_splits/ConvAbuseEMNLPtrain.csv", "2_splits/ConvAbuseEMNLPvalid.csv",
          "2_splits/ConvAbuseEMNLPtest.csv")
SEED = 20261206


def annotators(row: dict[str, str]) -> list[dict[str, int]]:
    """Each annotator's 0/1 answers (a cell holding a repeat annotation, "1, 1", counts its first)."""
    by: dict[str, dict[str, int]] = {}
    for key, value in row.items():
        name, _, field = (key or "").partition("_")
        if name.startswith("Annotator") and field and value and value.strip():
            by.setdefault(name, {})[field] = int(float(value.split(",")[0]))
    return [answers for answers in by.values() if "is_abuse.1" in answers]


def label_of(row: dict[str, str]) -> str | None:
    people = annotators(row)
    if not people:
        return None
    if all(a["is_abuse.1"] for a in people):
        return "neutral"
    abusive = [a for a in people if any(a.get(f"is_abuse.{n}") for n in ("-1", "-2", "-3"))]
    if len(abusive) * 2 <= len(people):
        return None
    aimed = sum(1 for a in abusive if a.get("target.system") or a.get("target.individual"))
    harassment = sum(1 for a in abusive if a.get("sex_harassment") and not a.get("intellectual"))
    if aimed * 2 > len(abusive) and harassment * 2 < len(abusive):
        return "insult"
    return None


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("convabuse.tsv"))
    args = parser.parse_args()
    rows: dict[str, list[tuple[str, str, str, str]]] = {"insult": [], "neutral": []}
    seen: set[str] = set()
    for split in SPLITS:
        with open(args.repo / split, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                label = label_of(row)
                text, context = clean_text(row["user"]), clean_text(row["agent"])
                if label is None or len(text) < 2 or text.lower() in seen:
                    continue
                seen.add(text.lower())
                rows[label].append((f"convabuse-{row['example_id']}", context, text, label))
    random.Random(SEED).shuffle(rows["neutral"])
    kept = rows["insult"] + rows["neutral"][:len(rows["insult"])]
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        out.write("id\tcontext\ttext\tlabel\n")
        for ident, context, text, label in sorted(kept):
            out.write("\t".join(v.replace("\\", "\\\\").replace("\t", "\\t") for v in (ident, context, text, label))
                      + "\n")
    print(f"{args.output}: {len(rows['insult'])} insult, {min(len(rows['neutral']), len(rows['insult']))} neutral",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
