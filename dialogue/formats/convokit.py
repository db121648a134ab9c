"""Analyses as a ConvoKit corpus folder, the format `convokit.Corpus(filename=DIR)` loads.

This module owns the mapping to ConvoKit's on-disk format and writing the folder whole or not at all.
One transcript is one conversation; each turn one utterance. The folder holds:

- `utterances.jsonl`: one utterance a line: `id` (`<conversation>-<turn index>`), `speaker`,
  `conversation_id` (the id of the conversation's first utterance, as ConvoKit expects), `reply_to` (the turn
  it answers: `Move.responds_to`, else the previous turn; `null` for the first), `timestamp` (the turn index:
  ConvoKit sorts by it, and transcripts rarely carry full dates; the transcript's own time stays in
  `meta.source_timestamp`), `text`, `meta` (`label`, `score`, `cues`, `gold`, `tension`, `line`, `section`,
  `flows`: the shared rhymes and metres this utterance picks up, each `{from: utterance id, kind, words,
  strength}`,
  ...), `vectors`.
- `speakers.json`: `{speaker: {"meta": {...}, "vectors": []}}`; a speaker with the same name in several
  transcripts is one ConvoKit speaker.
- `conversations.json`: `{conversation: {"meta": {source, dialect, metadata, the arc figures...},
  "vectors": []}}`.
- `corpus.json`: the corpus metadata (`name`, `generator`, `sources`).
- `index.json`: the type index of every metadata field (`utterances-index`, `speakers-index`,
  `conversations-index`, `overall-index`, each `{field: ["<class 'str'>"]}`, `[]` for a field that is only
  ever null), `version` and `vectors`.

Writing: the folder is built in a temporary sibling folder and renamed into place. An existing target is
replaced only when it is empty or an earlier export of ours (its files are all corpus files and its
`corpus.json` names `dialogue` as generator); anything else is refused with a `UsageError`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..analysis import Analysis
from ..errors import RenderError, UsageError
from .._version import __version__
from ..textio import umask, write_atomic
from .jsonio import arc_to_dict

CORPUS_FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
GENERATOR = "dialogue"


def _version() -> str:
    return f"{GENERATOR} {__version__}"


def conversation_ids(analyses: Sequence[Analysis]) -> list[str]:
    """A readable, unique conversation stem per analysis, from its source's file name."""
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    stems = []
    for position, analysis in enumerate(analyses):
        name = Path(analysis.transcript.source).name
        base = re.sub(r"[^\w.-]+", "_", name.split(".")[0] if not name.startswith(".") else name).strip("_")
        base = base or f"conversation{position + 1}"
        suffix = next_suffix.get(base, 1)
        stem = base if suffix == 1 else f"{base}_{suffix}"
        while stem in taken:  # "a", "a", "a_2": the third is "a_2_2"
            suffix += 1
            stem = f"{base}_{suffix}"
        next_suffix[base] = suffix + 1
        taken.add(stem)
        stems.append(stem)
    return stems


def _reply_to(analysis: Analysis, index: int) -> int | None:
    responds = analysis.moves[index].responds_to
    if responds is not None and 0 <= responds < index:
        return responds
    return index - 1 if index > 0 else None


def _cues(analysis: Analysis, index: int) -> list[dict[str, Any]]:
    return [{"rule": c.rule, "span": [c.span[0], c.span[1]], "label": c.label, "weight": float(c.weight),
             "note": c.note} for c in analysis.moves[index].cues]


def utterances(analysis: Analysis, stem: str) -> list[dict[str, Any]]:
    """The utterance records of one analysis (one conversation)."""
    t = analysis.transcript
    ids = [f"{stem}-{turn.index}" for turn in t.turns]
    flows_into: dict[int, list[dict[str, Any]]] = {}
    for flow in analysis.flows:
        flows_into.setdefault(flow.turns[1], []).append(
            {"from": ids[flow.turns[0]], "kind": flow.kind, "words": list(flow.words), "strength": flow.strength})
    records: list[dict[str, Any]] = []
    for turn, move in zip(t.turns, analysis.moves):
        reply = _reply_to(analysis, turn.index)
        tension = analysis.arc.tension[turn.index] if turn.index < len(analysis.arc.tension) else None
        records.append({
            "id": ids[turn.index], "speaker": turn.speaker, "conversation_id": ids[0],
            "reply_to": ids[reply] if reply is not None else None, "timestamp": turn.index, "text": turn.text,
            "meta": {"label": move.label, "score": float(move.score), "cues": _cues(analysis, turn.index),
                     "gold": turn.gold, "tension": tension, "index": turn.index, "line": turn.line,
                     "section": turn.section, "responds_to": move.responds_to,
                     "source_timestamp": turn.timestamp, "flows": flows_into.get(turn.index, [])},
            "vectors": []})
    return records


def conversation_meta(analysis: Analysis) -> dict[str, Any]:
    """A conversation's metadata: where it came from, and the arc's figures."""
    t = analysis.transcript
    arc = arc_to_dict(analysis.arc)
    return {"source": t.source, "dialect": t.dialect, "turns": len(t.turns),
            "speakers": list(t.speaker_names), "metadata": [[k, v] for k, v in t.metadata],
            **{k: v for k, v in arc.items() if k != "speakers"},
            "figures": arc["speakers"],
            "exchanges": [{"initiation": e.initiation, "response": e.response, "label": e.label}
                          for e in analysis.exchanges]}


def _type_index(metas: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's index: each field's Python type as `str(type(v))`, from its first non-null value."""
    index: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            if not index.get(key) and value is not None:
                index[key] = [str(type(value))]
            else:
                index.setdefault(key, [])
    return index


def corpus_files(analyses: Sequence[Analysis], name: str = "dialogue-corpus") -> dict[str, str]:
    """File name -> contents of the corpus folder for `analyses` (transcripts with no turns are left out)."""
    analyses = [a for a in analyses if a.transcript.turns]
    stems = conversation_ids(analyses)
    utts = [u for analysis, stem in zip(analyses, stems) for u in utterances(analysis, stem)]
    conversations: dict[str, dict[str, Any]] = {f"{stem}-0": {"meta": conversation_meta(a), "vectors": []}
                     for a, stem in zip(analyses, stems)}
    speakers: dict[str, dict[str, Any]] = {}
    for u in utts:
        entry = speakers.setdefault(u["speaker"], {"meta": {"turns": 0, "conversations": []}, "vectors": []})
        entry["meta"]["turns"] += 1
        seen = entry["meta"]["conversations"]
        if not seen or seen[-1] != u["conversation_id"]:  # utterances come conversation by conversation
            seen.append(u["conversation_id"])
    corpus = {"name": name, "generator": _version(), "sources": [a.transcript.source for a in analyses]}
    index = {"utterances-index": _type_index(u["meta"] for u in utts),
             "speakers-index": _type_index(s["meta"] for s in speakers.values()),
             "conversations-index": _type_index(c["meta"] for c in conversations.values()),
             "overall-index": _type_index([corpus]), "version": 1, "vectors": []}

    def compact(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False)

    return {"utterances.jsonl": "".join(compact(u) + "\n" for u in utts),
            "speakers.json": compact(speakers), "conversations.json": compact(conversations),
            "corpus.json": compact(corpus), "index.json": compact(index)}


def _is_earlier_export(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()}
    if not names:
        return True
    if not names <= set(CORPUS_FILES) or "corpus.json" not in names:
        return False
    try:
        generator = json.loads((folder / "corpus.json").read_text(encoding="utf-8")).get("generator", "")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(generator, str) and generator.split(" ")[0] == GENERATOR


def export_convokit(analyses: Iterable[Analysis], out_dir: str | os.PathLike[str]) -> Path:
    """Write `analyses` as a ConvoKit corpus folder at `out_dir`, whole or not at all; return its path.

    `out_dir` must not exist, or be empty, or hold an earlier export of ours (which is replaced).
    """
    target = Path(out_dir)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{target}: parent folder {str(parent)!r} does not exist")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    if target.is_dir() and not _is_earlier_export(target):
        raise UsageError(f"{target}: folder exists and is not an earlier ConvoKit export of dialogue; "
                         "choose a new or empty folder")
    files = corpus_files(list(analyses), name=target.resolve().name or "dialogue-corpus")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None
    retired: Path | None = None
    try:
        for name, text in files.items():
            write_atomic(staging / name, text)
        os.chmod(staging, 0o755 & ~umask())
        if target.is_dir() and any(target.iterdir()):
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, retired)
        try:
            os.replace(staging, target)
        except OSError:
            if retired is not None:
                os.replace(retired, target)
                retired = None
            raise
    except OSError as exc:
        raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    return target

