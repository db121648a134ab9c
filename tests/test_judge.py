"""The learned judge: the bundled model, the model file format, and evidence from the words it weighed."""

from __future__ import annotations

import math

import pytest
from conftest import ROOT, run_cli

import dialogue
from dialogue import labels
from dialogue.analysis import NEUTRAL
from dialogue.classify import classify
from dialogue.classify.judge import BUNDLED, MAGIC, Judge, as_judge, bundled_judge, from_arrays, load_model
from dialogue.errors import DialogueError, ModelError
from dialogue.parse import parse_text
from dialogue.model import Transcript


def test_the_bundled_model_ships_small_and_knows_the_registry_labels():
    judge = bundled_judge()
    assert BUNDLED.stat().st_size <= 25 * 1024 * 1024
    assert set(judge.labels) <= set(labels.NAMES) and NEUTRAL in judge.labels
    assert {"insult", "deflection", "reconciliation", "humour"} <= set(judge.labels)
    assert judge.size > 1000 and judge.temperature > 0


def test_probabilities_are_a_distribution_over_the_labels():
    judge = bundled_judge()
    moves, _ = classify(Transcript.from_pairs([("A", "You forgot my birthday again."),
                                               ("B", "Oh, like you remembered mine?")]), judge=judge)
    for move in moves:
        assert 0.0 < move.score <= 1.0
    from dialogue.classify.features import turn_features
    p = judge.probabilities(turn_features(["hello"], frozenset({"hello"}), None, NEUTRAL, "calm", False,
                                          NEUTRAL, ()))
    assert len(p) == len(judge.labels) and math.isclose(sum(p), 1.0, rel_tol=1e-9)


def test_a_model_file_round_trips(tmp_path):
    judge = from_arrays(["insult", "neutral"], [("w", "toad"), ("x", "state:calm")],
                        [[2.0, -1.0], [0.5, 0.0]], [0.1, -0.1], temperature=1.3, meta={"name": "tiny"})
    path = tmp_path / "tiny.dlgm"
    judge.save(path)
    again = load_model(path)
    assert again.labels == judge.labels and again.temperature == pytest.approx(1.3)
    from dialogue.classify.features import TurnFeatures
    toad = TurnFeatures(["toad"], [], False, ["state:calm"])
    assert again.probabilities(toad) == pytest.approx(judge.probabilities(toad), abs=1e-6)
    assert judge.probabilities(toad)[0] > 0.9  # 2.0 + 0.5 toward insult, -1.0 + 0.0 toward neutral
    assert again.meta["name"] == "tiny"


@pytest.mark.parametrize("content", [b"", b"hello", MAGIC + b"{not json\n", MAGIC + b'{"labels": []}\n'])
def test_a_bad_model_file_is_a_model_error(tmp_path, content):
    path = tmp_path / "bad.dlgm"
    path.write_bytes(content)
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert isinstance(caught.value, DialogueError) and "bad.dlgm" in str(caught.value)


def test_a_truncated_bundled_model_is_a_model_error(tmp_path):
    path = tmp_path / "cut.dlgm"
    path.write_bytes(BUNDLED.read_bytes()[:-7])
    with pytest.raises(ModelError, match="truncated"):
        load_model(path)


def test_as_judge_takes_a_path_a_judge_or_nothing():
    assert as_judge(None) is bundled_judge()
    assert as_judge(str(BUNDLED)).labels == bundled_judge().labels
    assert isinstance(as_judge(bundled_judge()), Judge)
    with pytest.raises(ModelError):
        as_judge(42)


@pytest.mark.parametrize("command", ["analyze", "render", "eval"])
def test_the_cli_rejects_a_bad_model_in_one_line(tmp_path, command):
    talk = tmp_path / "talk.txt"
    talk.write_text("A: hi\nB: hello\n", encoding="utf-8")
    bad = tmp_path / "bad.dlgm"
    bad.write_bytes(b"GIF89a")
    out = tmp_path / "out.json"
    args = [command, str(talk), "--model", str(bad)] + (["-o", str(out)] if command == "render" else [])
    proc = run_cli(*args)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "bad.dlgm" in err
    assert not out.exists()


def test_the_words_that_weighed_most_are_evidence_with_spans():
    text = "you're a clueless, spineless little weasel"
    moves, _ = classify(Transcript.from_pairs([("A", "You lied to me."), ("B", text)]))
    insult = moves[1]
    assert insult.label == "insult"
    weighed = [c for c in insult.cues if c.rule == "judge.words"]
    assert weighed, insult.cues
    for cue in weighed:
        start, end = cue.span
        assert 0 <= start < end <= len(text) and cue.label == "insult"
        assert text[start:end].lower() in cue.note.lower()


def test_deciding_evidence_comes_first():
    moves, _ = classify(Transcript.from_pairs([("A", "You never listen."), ("B", "I'm sorry, you're right.")]))
    move = moves[1]
    assert move.label == "reconciliation"
    labels_in_order = [c.label for c in move.cues]
    first_other = next((i for i, lab in enumerate(labels_in_order) if lab != move.label), len(labels_in_order))
    assert all(lab != move.label for lab in labels_in_order[first_other:])


@pytest.mark.parametrize("text", [
    "you lied to me, you always lie, and sorry is not enough",
    "you lied to me about the money and the car, you always lie to me, and sorry is not enough now",  # long
])
def test_packed_logits_equal_the_plain_sum_of_the_weights(text):
    """The judge sums a turn's weights packed into one int per feature: the same logits as summing each
    label's column over the turn's feature ids, calm and in a fight; in a long turn each
    word feature counts for the turn's word scale."""
    from dialogue.classify.features import FULL_WEIGHT_WORDS, content_of, turn_features, word_scale, words_of
    judge = bundled_judge()
    words = words_of(text)
    for state in ("calm", "conflict"):
        features = turn_features(words, content_of(words), None, "accusation", state, True, NEUTRAL, ())
        assert features.scale == word_scale(len(words))
        assert (features.scale < 1.0) == (len(words) > FULL_WEIGHT_WORDS)
        kinds = ("w", "b", "cw", "cb") if features.conflict else ("w", "b")
        said = [judge.index[kind][key] for kind in kinds for key in (features.words if kind in ("w", "cw")
                else features.bigrams) if key in judge.index[kind]]
        other = [judge.index["x"][key] for key in features.extra if key in judge.index["x"]]
        assert len(said) > 10 and other
        expected = [(b + features.scale * sum(column[i] for i in said) + sum(column[i] for i in other))
                    / judge.temperature for column, b in zip(judge.columns, judge.bias)]
        assert judge.logits(features) == pytest.approx(expected, abs=1e-9)


def test_a_word_said_twice_counts_once_as_in_training():
    """Training counts a feature once per turn (`train.fit`), so judging must: "thou" five times in a speech
    is the same evidence as once (summed per occurrence, the play's long speeches were judged on weights
    they were never trained with)."""
    from dialogue.classify.features import content_of, turn_features, words_of
    judge = bundled_judge()
    once = words_of("thou villain, look at me")
    many = words_of("thou villain, thou villain, thou villain, look at me")
    f_once = turn_features(once, content_of(once), None, NEUTRAL, "calm", False, NEUTRAL, ())
    f_many = turn_features(many, content_of(many), None, NEUTRAL, "calm", False, NEUTRAL, ())
    assert f_many.words == ["thou", "villain", "look", "at", "me"]
    assert len(f_many.bigrams) == len(set(f_many.bigrams))
    assert set(f_many.bigrams) == set(f_once.bigrams) | {"villain thou"}
    pairs = f_many.pairs()
    assert len(pairs) == len(set(pairs))


def test_a_word_counts_less_in_a_long_turn():
    from dialogue.classify.features import FULL_WEIGHT_WORDS, word_scale
    assert word_scale(1) == word_scale(FULL_WEIGHT_WORDS) == 1.0
    assert word_scale(4 * FULL_WEIGHT_WORDS) == pytest.approx(0.5)
    assert word_scale(100) < word_scale(50) < 1.0


def test_a_jokes_label_is_no_context_for_the_next_turn():
    """The annotators answer most jokes with jokes; fed its own labels, the judge ran jokes on for ever."""
    from dialogue.classify.features import content_of, turn_features, words_of
    words = words_of("haha okay that is fair")
    after_joke = turn_features(words, content_of(words), None, "humour", "conflict", False, NEUTRAL, (), "humour")
    after_plain = turn_features(words, content_of(words), None, "neutral", "conflict", False, NEUTRAL, (), "neutral")
    assert after_joke.extra == after_plain.extra
    assert "answers:humour" not in after_joke.extra


def test_the_words_named_as_evidence_say_something_and_each_once():
    from dialogue.classify.features import FUNCTION_WORDS
    analysis = dialogue.analyze(dialogue.parse_file(ROOT / "samples" / "duet.lyrics.txt"))
    named = 0
    for turn, move in zip(analysis.transcript.turns, analysis.moves):
        shown = [turn.text[a:b].lower() for a, b in (c.span for c in move.cues if c.rule == "judge.words")]
        named += len(shown)
        assert len(shown) == len(set(shown)), (turn.text, shown)
        assert not [s for s in shown if all(w in FUNCTION_WORDS for w in s.split())], (turn.text, shown)
    assert named > 10


@pytest.mark.parametrize("text, expected", [
    ("you're so pathetic", ["negative-at-hearer:strong"]),
    ("thou art a villain", ["negative-at-hearer:strong"]),
    ("you imbecile", ["negative-at-hearer:strong"]),
    ("you're not stupid", []),            # a negator turns the rating
    ("this stupid printer again", []),    # no hearer named before it
    ("you know what, the traffic was terrible", []),   # too far from "you"
])
def test_a_negative_word_aimed_at_the_hearer_is_a_feature(text, expected):
    from dialogue.classify.features import _aimed, words_of
    assert _aimed(words_of(text)) == expected


def test_the_speakers_own_last_label_is_a_feature():
    collected = []
    transcript = dialogue.parse("A: you absolute idiot {insult}\nB: excuse me? {neutral}\nA: you heard me, moron {insult}\n")
    classify(transcript, collect=collected)
    extras = [set(features.extra) for features, _ in collected]
    assert not any(x.startswith("own-last:") for x in extras[0] | extras[1])
    assert "own-last:insult" in extras[2]          # the teacher's label carries on, as in training
    assert "own-last:insult|answers:neutral" in extras[2]


def test_the_first_words_of_another_speakers_reply_are_features():
    collected = []
    transcript = dialogue.parse("A: you burnt the toast {accusation}\nB: charcoal is a flavour {humour}\n"
                                "B: a bold one {humour}\nA: haha fine, fine {humour}\n")
    classify(transcript, collect=collected)
    replies = [{x for x in features.extra if x.startswith("n:") and " " not in x} for features, _ in collected]
    pairs = [{x for x in features.extra if x.startswith("n:") and " " in x} for features, _ in collected]
    assert replies[0] == {"n:charcoal", "n:is", "n:a", "n:flavour"}
    assert pairs[0] == {"n:^ charcoal", "n:charcoal is", "n:is a", "n:a flavour"}
    assert pairs[2] == {"n:^ haha", "n:haha fine", "n:fine fine"}   # the first four words make pairs
    assert replies[1] == set()                     # the same speaker goes on: no reply yet
    assert replies[2] == {"n:haha", "n:fine"}      # each word once
    assert replies[3] == set()                     # the last turn has no reply


def test_the_reply_is_evidence_of_what_a_joke_did():
    """A joke met with a laugh broke the tension; the same joke met with a fresh charge did not."""
    judge = bundled_judge()
    humour = judge.labels.index("humour")
    opening = ("ROSA: This is the third time you've been late. {accusation}\n"
               "LEO: In my defence, the sofa held me hostage. {humour}\n")
    said = {}
    for reply in ("ROSA: Ha! Fine, you win.", "ROSA: Not funny. You never listen to me."):
        collected = []
        classify(parse_text(opening + reply + "\n"), judge=judge, collect=collected, teacher=False)
        said[reply] = judge.probabilities(collected[1][0])[humour]
    laughed, charged = said.values()
    assert laughed > charged + 0.1, said


CALM_OPENERS = ["I saved you a seat.", "You seem tired today.", "Did you remember the milk?",
                "You were quiet at dinner.", "I love your new haircut.", "Can you pick me up at five?",
                "You left your scarf at my place.", "Are you coming to the party?", "You got a letter today.",
                "I thought of you at the market.", "You should try the soup.", "Where did you park?"]


def test_a_calm_opening_line_that_says_you_is_not_an_insult():
    """A regression of the model trained with lone insults only: it took a lone "you" line for one."""
    said = {text: classify(parse_text(f"ROSA: {text}\n"))[0][0].label for text in CALM_OPENERS}
    insults = [text for text, label in said.items() if label == "insult"]
    assert len(insults) <= 1, insults
    assert classify(parse_text("ROSA: You're a spineless weasel.\n"))[0][0].label == "insult"
