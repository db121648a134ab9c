"""The ConvoKit corpus folder: ConvoKit's documented files and fields, written whole, loadable by ConvoKit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dialogue.analysis import Analysis, Arc, Cue, Exchange, Move, Phase, SpeakerFigures
from dialogue.errors import UsageError
from dialogue.model import Transcript
from dialogue.formats.convokit import CORPUS_FILES, conversation_ids, export_convokit

ROOT = Path(__file__).resolve().parent.parent


def quarrel(source: str = "talks/quarrel.txt") -> Analysis:
    t = Transcript.from_pairs([("ROSA", "You're a toad."), ("LEO", "Look who's talking."),
                               ("ROSA", "Fine. I'm sorry.")], source=source)
    moves = (Move(0, "insult", 0.9, (Cue("epithet", (9, 13), "insult", 0.8),)),
             Move(1, "deflection", 0.7, (Cue("tu-quoque", (0, 18), "deflection", 0.6),), responds_to=0),
             Move(2, "reconciliation", 0.8, responds_to=1))
    arc = Arc(tension=(0.6, 0.8, 0.3), phases=(Phase("escalation", 0, 1), Phase("resolution", 2, 2)),
              climax=1, closing="reconciled",
              speakers=(SpeakerFigures("ROSA", turns=2, insults=1, repairs_offered=1, first_attack=0),
                        SpeakerFigures("LEO", turns=1, deflections=1)),
              escalated_first="ROSA", repaired_first="ROSA", root_cause=0, root_cause_answered=False)
    return Analysis(transcript=t, moves=moves, exchanges=(Exchange(0, 1, "deflection"), Exchange(1, 2,
                                                                                                "reconciliation")),
                    arc=arc)


def small_talk() -> Analysis:
    t = Transcript.from_pairs([("KATE", "Morning."), ("Mr Darcy", "Good morning.")], source="other/quarrel.md")
    return Analysis(transcript=t, moves=(Move(0), Move(1)))


def read(folder: Path) -> dict:
    return {"utterances": [json.loads(line) for line in (folder / "utterances.jsonl").read_text().splitlines()],
            **{name: json.loads((folder / f"{name}.json").read_text())
               for name in ("speakers", "conversations", "corpus", "index")}}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    assert export_convokit([quarrel(), small_talk()], out) == out
    return out


def test_folder_holds_exactly_the_corpus_files(corpus_dir):
    assert sorted(p.name for p in corpus_dir.iterdir()) == sorted(CORPUS_FILES)
    assert not [p for p in corpus_dir.parent.iterdir() if p.name.startswith(".")]  # no staging left over


def test_utterances_carry_convokit_fields_and_our_judgement(corpus_dir):
    utts = read(corpus_dir)["utterances"]
    assert [u["id"] for u in utts] == ["quarrel-0", "quarrel-1", "quarrel-2", "quarrel_2-0", "quarrel_2-1"]
    first = utts[0]
    assert list(first)[:7] == ["id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta"]
    assert (first["speaker"], first["text"], first["reply_to"]) == ("ROSA", "You're a toad.", None)
    assert first["meta"]["label"] == "insult" and first["meta"]["score"] == 0.9
    assert first["meta"]["cues"] == [{"rule": "epithet", "span": [9, 13], "label": "insult", "weight": 0.8,
                                      "note": ""}]
    assert first["meta"]["tension"] == 0.6
    assert [u["reply_to"] for u in utts] == [None, "quarrel-0", "quarrel-1", None, "quarrel_2-0"]
    assert {u["conversation_id"] for u in utts[:3]} == {"quarrel-0"}
    assert [u["timestamp"] for u in utts[:3]] == [0, 1, 2]


def test_conversations_speakers_and_corpus_metadata(corpus_dir):
    doc = read(corpus_dir)
    conv = doc["conversations"]["quarrel-0"]["meta"]
    assert conv["source"] == "talks/quarrel.txt"
    assert (conv["tension"], conv["climax"], conv["closing"]) == ([0.6, 0.8, 0.3], 1, "reconciled")
    assert conv["phases"][-1] == {"name": "resolution", "start": 2, "end": 2}
    assert conv["figures"][0]["insults"] == 1 and conv["escalated_first"] == "ROSA"
    assert conv["exchanges"][1] == {"initiation": 1, "response": 2, "label": "reconciliation"}
    assert set(doc["conversations"]) == {"quarrel-0", "quarrel_2-0"}
    assert doc["speakers"]["ROSA"] == {"meta": {"turns": 2, "conversations": ["quarrel-0"]}, "vectors": []}
    assert set(doc["speakers"]) == {"ROSA", "LEO", "KATE", "Mr Darcy"}
    assert doc["corpus"]["name"] == "corpus" and doc["corpus"]["generator"].startswith("dialogue")


def test_index_types_match_every_metadata_value(corpus_dir):
    doc = read(corpus_dir)
    index = doc["index"]
    assert set(index) == {"utterances-index", "speakers-index", "conversations-index", "overall-index",
                          "version", "vectors"}
    assert isinstance(index["version"], int) and index["vectors"] == []
    groups = {"utterances-index": [u["meta"] for u in doc["utterances"]],
              "speakers-index": [s["meta"] for s in doc["speakers"].values()],
              "conversations-index": [c["meta"] for c in doc["conversations"].values()],
              "overall-index": [doc["corpus"]]}
    for key, metas in groups.items():
        fields = {field for meta in metas for field in meta}
        assert set(index[key]) == fields, key
        for meta in metas:
            for field, value in meta.items():
                if value is not None:
                    assert index[key][field] == [str(type(value))], (key, field)
    assert index["utterances-index"]["gold"] == []  # only ever null: ConvoKit's "any type"
    assert index["utterances-index"]["score"] == ["<class 'float'>"]


def test_conversation_ids_are_unique_and_readable():
    analyses = [quarrel("a/x.txt"), quarrel("b/x.md"), quarrel("x_2.txt"), quarrel("We & You!.txt")]
    ids = conversation_ids(analyses)
    assert len(set(ids)) == 4 and ids[0] == "x" and ids[3] == "We_You"


def test_many_same_named_sources_get_distinct_ids_quickly(tmp_path):
    analyses = [small_talk()] * 3000
    ids = conversation_ids(analyses)
    assert len(set(ids)) == 3000 and ids[:3] == ["quarrel", "quarrel_2", "quarrel_3"]
    export_convokit(analyses, tmp_path / "many")
    speakers = read(tmp_path / "many")["speakers"]
    assert speakers["KATE"]["meta"]["turns"] == 3000 and len(speakers["KATE"]["meta"]["conversations"]) == 3000


def test_existing_foreign_folder_is_refused_untouched(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not an earlier ConvoKit export"):
        export_convokit([quarrel()], out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        export_convokit([quarrel()], tmp_path / "file")
    with pytest.raises(UsageError, match="does not exist"):
        export_convokit([quarrel()], tmp_path / "missing" / "out")


def test_empty_folder_and_earlier_export_are_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    export_convokit([quarrel()], out)
    assert len(read(out)["utterances"]) == 3
    export_convokit([small_talk()], out)
    assert [u["text"] for u in read(out)["utterances"]] == ["Morning.", "Good morning."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_export_leaves_the_earlier_one_untouched(tmp_path):
    out = tmp_path / "out"
    export_convokit([quarrel()], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    unserialisable = Cue("r", (0, 1), note=object())  # type: ignore[arg-type]
    broken = Analysis(transcript=small_talk().transcript, moves=(Move(0, cues=(unserialisable,)), Move(1)))
    with pytest.raises(TypeError):
        export_convokit([broken], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_transcripts_without_turns_are_left_out(tmp_path):
    empty = Analysis(transcript=Transcript(turns=(), source="empty.txt"), moves=())
    export_convokit([empty, small_talk()], tmp_path / "c")
    doc = read(tmp_path / "c")
    assert list(doc["conversations"]) == ["quarrel-0"] and doc["corpus"]["sources"] == ["other/quarrel.md"]


def test_convokit_loads_the_folder(corpus_dir):
    convokit = pytest.importorskip("convokit")
    corpus = convokit.Corpus(filename=str(corpus_dir))
    assert len(list(corpus.iter_utterances())) == 5
    conv = corpus.get_conversation("quarrel-0")
    assert [u.text for u in conv.get_chronological_utterance_list()] == [
        "You're a toad.", "Look who's talking.", "Fine. I'm sorry."]
    assert conv.meta["closing"] == "reconciled" and conv.check_integrity(verbose=False)
    utt = corpus.get_utterance("quarrel-1")
    assert (utt.reply_to, utt.speaker.id, utt.meta["label"]) == ("quarrel-0", "LEO", "deflection")
    assert corpus.meta["generator"].startswith("dialogue")


def test_export_from_the_command_line(tmp_path):
    paths = []
    for name, body in [("one.txt", "ROSA: You're a toad.\nLEO: Look who's talking.\n"),
                       ("two.txt", "KATE: I'm sorry.\nLEO: Me too.\n")]:
        paths.append(tmp_path / name)
        paths[-1].write_text(body, encoding="utf-8")
    out = tmp_path / "corpus"
    proc = subprocess.run([sys.executable, "-m", "dialogue", "export", *map(str, paths), "--to", "convokit",
                           "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    utts = read(out)["utterances"]
    assert [(u["speaker"], u["text"]) for u in utts] == [("ROSA", "You're a toad."), ("LEO", "Look who's talking."),
                                                       ("KATE", "I'm sorry."), ("LEO", "Me too.")]
    assert all(u["meta"]["label"] for u in utts)
    again = subprocess.run([sys.executable, "-m", "dialogue", "export", str(paths[0]), "--to", "convokit", "-o",
                            str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 2 and "not an earlier ConvoKit export" in again.stderr
