"""Score the classifier on the reserved external sets: real labelled data, read from paths the user gives.

    python scripts/external_eval.py --insults test_with_solutions.csv --qevasion test_set.csv \
        [--wabt youtube_data_1645.csv ...] [--model FILE.dlgm] [--limit N] [--json OUT.json]

This script owns turning each reserved set's items into transcripts and scoring one label of one turn
against the set's binary gold. The sets (data/PROVENANCE.md) are reserved for independent evaluation: they
are only scored here, never trained or tuned on, and never copied into the repository; the user fetches
them and passes their paths.

- `--insults`: the Kaggle/Impermium "Detecting Insults in Social Commentary" CSV (Insult, Date, Comment).
  Each comment answers a calm line ("A: What do you think?" then "B: <comment>"); positive iff that move
  is `insult`. The variant `insults-alone` scores the comment as a transcript's only turn.
- `--qevasion`: QEvasion question/answer pairs, either the authors' raw `test_set.csv` (Interview Question,
  Interview Answer, Annotator1-3: positive when at least two of the three fine labels are not 1.1
  Explicit) or the processed form (interview_question, interview_answer, clarity_label). "INTERVIEWER: <question>" then
  "POLITICIAN: <answer>" (the source's own "Q." and "The President." tags dropped); positive iff the gold
  is not Clear Reply, predicted positive iff the answer's move is `deflection`.
- `--wabt` (repeatable): wabt-det whataboutism CSVs (Comments/Comment/Tweet, Label; Title if present).
  The comment answers its video's title when the file has one, else the calm line; positive iff `deflection`.

Turns are built as `Turn` objects (`Transcript.from_turns`), not parsed, so a comment that looks like
"NAME: ..." stays one turn; whitespace (newlines included) is collapsed to single spaces.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.classify import classify  # noqa: E402
from dialogue.classify.judge import Judge, as_judge  # noqa: E402
from dialogue.errors import ModelError  # noqa: E402
from dialogue.model import Transcript, Turn  # noqa: E402
from dialogue.textio import write_atomic  # noqa: E402

CALM = "What do you think?"
#: One item: (turns as (speaker, text) pairs, gold positive?, gold class name for the breakdown).
Item = tuple[list[tuple[str, str]], bool, str]

# The QEvasion taxonomy's leaves (numbered as in the raw annotations) by clarity class; 2.5 Contradictory
# and 2.9 Diffusion, dropped from the processed release, are counted Ambivalent (neither is a clear reply).
CLARITY = {"1.1": "Clear Reply", "1.2": "Ambivalent", "2.1": "Ambivalent", "2.2": "Ambivalent",
           "2.3": "Ambivalent", "2.4": "Ambivalent", "2.5": "Ambivalent", "2.9": "Ambivalent",
           "2.6": "Clear Non-Reply", "2.7": "Clear Non-Reply", "2.8": "Clear Non-Reply"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[nrt'\"\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "'": "'", '"': '"', "\\": "\\"}
_UTF8_RUN = re.compile(r"[\xc2-\xf4][\x80-\xbf]+")
_TAG_Q = re.compile(r"^\s*Q\.\s*")
_TAG_A = re.compile(r"^\s*(?:The President|President [A-Z][\w'-]*)\.\s*")


def one_line(text: str) -> str:
    """HTML entities decoded (`&#39;`, `&amp;`: the YouTube API's escaping), whitespace collapsed."""
    return " ".join(html.unescape(text).split())


def decode_comment(raw: str) -> str:
    """A Kaggle comment as written: outer quotes off, backslash escapes (often doubled) decoded, escaped
    UTF-8 bytes (`\\xe2\\x80\\x99`) joined into their characters, whitespace collapsed."""
    text = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    for _ in range(3):   # `\\n` is `\n` escaped once more
        decoded = _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)
        if decoded == text:
            break
        text = decoded

    def utf8(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)
    return one_line(_UTF8_RUN.sub(utf8, text))


def _rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def insult_items(path: str, alone: bool = False) -> Iterator[Item]:
    for row in _rows(path):
        comment, gold = decode_comment(row["Comment"]), row["Insult"].strip() == "1"
        turns = [("B", comment)] if alone else [("A", CALM), ("B", comment)]
        yield turns, gold, "insult" if gold else "not insult"


def qevasion_items(path: str) -> Iterator[Item]:
    for row in _rows(path):
        if "clarity_label" in row:
            clarity = row["clarity_label"].strip()
            question, answer = row["interview_question"], row["interview_answer"]
            gold = clarity != "Clear Reply"
        else:
            votes = Counter(CLARITY[row[f"Annotator{i}"].split()[0]] for i in (1, 2, 3))
            clarity, count = votes.most_common(1)[0]
            clarity = clarity if count >= 2 else "no majority"
            question, answer = row["Interview Question"], row["Interview Answer"]
            # binary gold: at least two of the three annotators saw no clear reply
            gold = votes["Clear Reply"] <= 1
        question, answer = one_line(_TAG_Q.sub("", question)), one_line(_TAG_A.sub("", answer))
        yield [("INTERVIEWER", question), ("POLITICIAN", answer)], gold, clarity


def wabt_items(path: str) -> Iterator[Item]:
    for row in _rows(path):
        text = next(row[k] for k in ("Comments", "Comment", "Tweet") if k in row)
        gold = row["Label"].strip() in ("1", "1.0")
        opener = one_line(row["Title"]) if row.get("Title", "").strip() else CALM
        yield [("A", opener), ("B", one_line(text))], gold, "whataboutism" if gold else "other"


def score(items: Iterable[Item], positive: str, judge: Judge, limit: int | None = None) -> dict[str, Any]:
    """Classify each item's transcript; its last move is predicted positive iff labelled `positive`."""
    start = time.perf_counter()
    outcome: Counter[tuple[bool, bool]] = Counter()   # (gold positive, predicted positive)
    predicted: Counter[str] = Counter()
    by_gold: dict[str, Counter[str]] = {}
    for n, (pairs, gold, gold_class) in enumerate(items):
        if limit is not None and n >= limit:
            break
        turns = [Turn(index=i, speaker=s, text=t, line=i + 1) for i, (s, t) in enumerate(pairs)]
        moves, _ = classify(Transcript.from_turns(turns), judge=judge)
        label = moves[-1].label
        predicted[label] += 1
        by_gold.setdefault(gold_class, Counter())[label] += 1
        outcome[gold, label == positive] += 1
    tp, fp, fn, tn = (outcome[True, True], outcome[False, True], outcome[True, False], outcome[False, False])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    return {"n": tp + fp + fn + tn, "positives": tp + fn, "predicted_positive": tp + fp,
            "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
            "balanced_accuracy": round((recall + specificity) / 2, 3),
            "predictions": dict(predicted.most_common()),
            "by_gold": {k: dict(v.most_common()) for k, v in sorted(by_gold.items())},
            "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--insults", help="Kaggle insults CSV (test_with_solutions.csv or train.csv)")
    parser.add_argument("--qevasion", help="QEvasion CSV (raw test_set.csv or processed with clarity_label)")
    parser.add_argument("--wabt", action="append", default=[], help="wabt-det CSV (repeatable)")
    parser.add_argument("--model", help="a model file (default: the bundled model)")
    parser.add_argument("--limit", type=int, help="score only the first N items of each set")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    try:
        judge = as_judge(args.model)
    except ModelError as error:
        parser.error(str(error))
    sets: list[tuple[str, Iterable[Item], str]] = []
    if args.insults:
        sets += [("insults", insult_items(args.insults), "insult"),
                 ("insults-alone", insult_items(args.insults, alone=True), "insult")]
    if args.qevasion:
        sets.append(("qevasion", qevasion_items(args.qevasion), "deflection"))
    for path in args.wabt:
        sets.append((f"wabt:{Path(path).stem}", wabt_items(path), "deflection"))
    if not sets:
        parser.error("give at least one of --insults, --qevasion, --wabt")
    results: dict[str, dict[str, Any]] = {}
    print(f"{'set':<32} {'n':>5} {'pos':>5} {'P':>6} {'R':>6} {'F1':>6} {'BA':>6} {'s':>6}  predictions")
    for name, items, positive in sets:
        r = results[name] = {"positive_label": positive, **score(items, positive, judge, args.limit)}
        shown = ", ".join(f"{k} {v}" for k, v in r["predictions"].items())
        print(f"{name:<32} {r['n']:>5} {r['positives']:>5} {r['precision']:>6.3f} {r['recall']:>6.3f} "
              f"{r['f1']:>6.3f} {r['balanced_accuracy']:>6.3f} {r['seconds']:>6.1f}  {shown}")
        for gold_class, counts in r["by_gold"].items():
            print(f"{'':<34}gold {gold_class}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if args.json:
        write_atomic(args.json, json.dumps({"model": judge.source, "sets": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
