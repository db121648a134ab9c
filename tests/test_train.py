"""`dialogue train`: learning from a user's own annotated transcripts, starting from the bundled model."""

from __future__ import annotations

import pytest
from conftest import run_cli

pytest.importorskip("scipy")

from dialogue.classify import classify  # noqa: E402
from dialogue.classify.judge import load_model  # noqa: E402
from dialogue.classify.train import read_tsv, train  # noqa: E402
from dialogue.errors import TranscriptError  # noqa: E402
from dialogue.model import Transcript  # noqa: E402

import dialogue  # noqa: E402

# A workplace whose insults are its own slang ("grommet", "bilge rat") and whose repair is "splice it, skip".
# The bundled model has never seen these words; a few dozen annotated turns must teach them.
TRAIN = """\
# a ship's crew, insults in their own slang
MO: you left the hatch open again {accusation}
JO: it wasn't me, ask the cook {deflection}
MO: don't lie, you grommet {insult}
JO: watch it, bilge rat {insult}
MO: you're a grommet and everyone knows it {insult}
JO: splice it, skip. I'll shut it {reconciliation}
MO: cheers, skip {reconciliation}
JO: the tide turns at six {neutral}
MO: grab the ropes from the stern {neutral}
JO: you grommet, you dropped the line {insult}
MO: says the bilge rat who sank the dinghy {insult}
JO: splice it, skip. truly {reconciliation}
MO: all good, skip {reconciliation}
JO: is the kettle on {neutral}
MO: the gulls are loud today {neutral}
JO: you utter grommet {insult}
MO: bilge rat {insult}
JO: splice it, skip {reconciliation}
MO: we dock at noon {neutral}
JO: the grommet on the sail is loose, fix it at noon {neutral}
MO: you are such a bilge rat sometimes {insult}
JO: splice it, skip, I'll do better {reconciliation}
"""
TEST = [("JO", "you left the nets tangled"), ("MO", "grommet"),
        ("JO", "total bilge rat, that one"), ("MO", "splice it, skip")]
WANTED = ["accusation", "insult", "insult", "reconciliation"]


def test_a_few_dozen_annotated_turns_teach_a_users_own_words(tmp_path):
    corpus = tmp_path / "crew.chat.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    model = tmp_path / "crew.dlgm"
    report = train([corpus], model)
    assert report.examples == TRAIN.count("{") and model.is_file()
    talk = Transcript.from_pairs(TEST)
    before = [m.label for m in classify(talk)[0]]
    after = [m.label for m in classify(talk, judge=load_model(model))[0]]
    right = lambda got: sum(g == w for g, w in zip(got, WANTED))  # noqa: E731
    assert right(after) >= right(before) + 2, (before, after)
    assert "insult" in after[1:3] and after[3] == "reconciliation", after


def test_an_adapted_model_still_knows_what_the_bundled_one_knew(tmp_path):
    corpus = tmp_path / "crew.chat.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    model = tmp_path / "crew.dlgm"
    train([corpus], model)
    moves, _ = classify(Transcript.from_pairs([("A", "You broke my phone, you absolute moron."),
                                               ("B", "sorry, what?")]), judge=load_model(model))
    assert [m.label for m in moves] == ["insult", "neutral"]


def test_a_labelled_tsv_is_read_as_two_turn_transcripts(tmp_path):
    path = tmp_path / "set.tsv"
    path.write_text("id\tcontext\ttext\tlabel\n1\tyou are late\tso are you\tdeflection\n2\t\thello\tneutral\n",
                    encoding="utf-8")
    first, second = read_tsv(path)
    assert [t.text for t in first.turns] == ["you are late", "so are you"]
    assert first.turns[1].gold == "deflection" and len(second.turns) == 1
    bad = tmp_path / "bad.tsv"
    bad.write_text("words\tonly\n", encoding="utf-8")
    with pytest.raises(TranscriptError):
        read_tsv(bad)


def test_the_train_command_writes_a_model_that_analyze_uses(tmp_path):
    corpus = tmp_path / "crew.chat.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    model = tmp_path / "crew.dlgm"
    proc = run_cli("train", str(corpus), "-o", str(model))
    assert proc.returncode == 0, proc.stderr.decode()
    assert model.read_bytes().startswith(b"DIALOGUE-MODEL")
    talk = tmp_path / "talk.txt"
    talk.write_text("".join(f"{s}: {t}\n" for s, t in TEST), encoding="utf-8")
    proc = run_cli("analyze", str(talk), "--json", "--model", str(model))
    assert proc.returncode == 0, proc.stderr.decode()
    assert '"label": "insult"' in proc.stdout.decode()


def test_train_without_annotations_is_an_input_error_and_writes_nothing(tmp_path):
    corpus = tmp_path / "plain.txt"
    corpus.write_text("A: hi\nB: hello\n", encoding="utf-8")
    model = tmp_path / "m.dlgm"
    proc = run_cli("train", str(corpus), "-o", str(model))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not model.exists()


def test_each_insult_is_also_learned_alone_and_after_a_calm_opener():
    from dialogue.classify.train import ISOLATED_WEIGHT, isolated
    t = dialogue.parse("ROSA: Morning. {neutral}\nLEO: You ate my toast. {accusation}\n"
                       "ROSA: You're a walking crumb. {insult}\nLEO: Sorry. {reconciliation}\n",
                       source="toast.chat.txt")
    extra = isolated([(t, 1.0)])
    # charges and neutral turns stand alone too (or a lone "you" line is learned as an insult); a repair
    # alone is not one; the opener is Rosa's own: no reply to herself
    assert [[(turn.speaker, turn.text, turn.gold) for turn in x.turns] for x, _ in extra] == [
        [("LEO", "You ate my toast.", "accusation")], [("ROSA", "You're a walking crumb.", "insult")]]
    assert all(x.source == "toast.chat.txt" and w == ISOLATED_WEIGHT for x, w in extra)
    t = dialogue.parse("LEO: Morning. {neutral}\nROSA: Hi. {neutral}\nROSA: You're a walking crumb. {insult}\n",
                       source="toast.chat.txt")
    assert [len(x.turns) for x, _ in isolated([(t, 1.0)])] == [1, 1, 2]
    assert isolated([(dialogue.parse("A: you fool {insult}\n", source="set.tsv#3"), 0.5)]) == []


def test_an_insult_out_of_the_blue_is_an_insult():
    for pairs in ([("A", "You're an idiot.")], [("A", "hi"), ("B", "You're an idiot.")]):
        analysis = dialogue.analyze(Transcript.from_pairs(pairs))
        assert analysis.moves[-1].label == "insult", pairs
