"""The classifier: hard cases as general phenomena, context dependence, echoes, the registry, lexicons."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scaling import assert_linear

from dialogue.analysis import ACCUSATION, DEFLECTION, INSULT, NEUTRAL, RECONCILIATION
from dialogue.classify import RULES, Ruler, classify, default_ruler, load_lexicons
from dialogue.classify.lexicon import (
    CATEGORIES,
    builtin_lexicons,
    parse_lexicon,
    pattern_to_regex,
)
from dialogue.errors import TranscriptError, UsageError
from dialogue.model import Transcript

LEXICONS = Path(__file__).resolve().parent.parent / "dialogue" / "classify" / "lexicons"


def labels(*turns: str, lexicons: tuple = ()) -> list[str]:
    """Labels for turns written `NAME: text`."""
    pairs = [tuple(part.strip() for part in turn.split(":", 1)) for turn in turns]
    moves, _ = classify(Transcript.from_pairs(pairs), lexicons=lexicons, rules_only=True)  # type: ignore[arg-type]
    return [move.label for move in moves]


def last(*turns: str) -> str:
    return labels(*turns)[-1]


# -- insults: aimed at the hearer, in many frames ----------------------------------------------------------

@pytest.mark.parametrize("text", ["You absolute gremlin.", "Get out, you great lump!", "Oh you utter walnut.",
                                  "Move, you big daft sofa."])
def test_you_and_a_degree_word_call_the_hearer_any_noun(text: str) -> None:
    """The construction insults whatever the noun (none of these is in a lexicon); an endearment in the
    same shape does not, nor a degree word that is no part of a name ("thank you big time")."""
    assert last("A: Where's the remote?", f"B: {text}") == INSULT


@pytest.mark.parametrize("text", ["Oh you absolute legend, thank you!", "Thank you big time.",
                                  "I told you right away.", "You little one, come here."])
def test_you_and_a_degree_word_that_is_no_name_calling(text: str) -> None:
    assert last("A: Where's the remote?", f"B: {text}") == NEUTRAL


@pytest.mark.parametrize("text", [
    "You're a complete idiot.", "you people are morons", "lol ur so dumb", "Get lost, you clown.",
    "What an idiot.", "Such a loser.", "Moron!", "Nice going, Einstein.", "Shut up.", "get a life",
    "Are you really this stupid?", "Thou art a villainous knave.", "Out of my sight, thou whoreson cur!",
    "Your argument is pathetic.", "Don't be such a baby.", "nobody asked you",
])
def test_insults_aimed_at_the_hearer(text: str) -> None:
    assert last(f"A: {text}") == INSULT


@pytest.mark.parametrize("text", [
    "I'm such a moron, I left my keys at work again.",      # self-directed
    "What an idiot I am.",
    "I feel so stupid today.",
    "This damn printer is jammed again.",                    # profanity at things
    "The bloody weather ruined the picnic.",
    "This stupid car won't start.",
    "She called me an idiot.",                               # reported
    "He told me to shut up.",
    'She said "shut up" to me at dinner.',                   # quoted
    "You're not stupid.",                                    # negated
    "Nobody thinks you're an idiot.",
    "My boss is a total moron.",                             # absent third person
    "What a jerk he is.",
    "you never know with these things",                      # generic "you"
])
def test_not_insults(text: str) -> None:
    assert last(f"A: {text}") != INSULT


def test_sarcastic_praise_needs_a_fight_unless_a_mock_title_marks_it() -> None:
    assert last("A: Is that the new phone?", "B: Yes, got it on sale.", "A: Oh, brilliant.") == NEUTRAL
    assert last("A: You broke my phone.", "B: It was already cracked.", "A: Oh, brilliant. Very mature.") == INSULT
    assert last("A: I fixed the sink.", "B: Well done, genius.") == INSULT


# -- deflection: only after a charge ------------------------------------------------------------------------

@pytest.mark.parametrize("charge, reply", [
    ("You lied to me.", "I didn't!"),
    ("You forgot my birthday.", "It's not a big deal, you're overreacting."),
    ("You never clean the kitchen.", "What about you? You never take the bins out."),
    ("You ate my yogurt.", "Look who's talking."),
    ("You broke the printer.", "Not my fault, ask Dave."),
    ("You're such a slob.", "Whatever. I'm done."),
    ("Why did you tell her?", "Why are you yelling at me?"),
    ("Did you take money from the lobbyists?", "I'm not going to get into that."),
    ("Will you resign?", "Look, the real issue here is the economy."),
])
def test_deflections_after_a_charge(charge: str, reply: str) -> None:
    assert last(f"A: {charge}", f"B: {reply}") == DEFLECTION


@pytest.mark.parametrize("first, reply", [
    ("I'm fine, thanks.", "What about you?"),
    ("We should get pizza.", "Anyway, I don't care which place."),
    ("Do you have kids?", "No, not yet."),
    ("What will it cost?", "About four billion over five years."),
])
def test_the_same_words_without_a_charge_are_not_deflections(first: str, reply: str) -> None:
    assert last(f"A: {first}", f"B: {reply}") != DEFLECTION


# -- reconciliation: only after a conflict ----------------------------------------------------------------

def test_i_love_you_after_an_insult_is_reconciliation_and_neutral_without_conflict() -> None:
    assert last("A: You're a selfish jerk.", "B: I love you.") == RECONCILIATION
    assert last("A: Dinner is ready.", "B: I love you.") == NEUTRAL


@pytest.mark.parametrize("repair", [
    "I'm sorry, I shouldn't have said that.", "You're right, that was my fault.", "Fair point.",
    "Let's not fight about this.", "My bad, I'll clean it tonight.",
])
def test_repairs_after_conflict(repair: str) -> None:
    assert last("A: You broke my lamp, you idiot.", f"B: {repair}") == RECONCILIATION
    assert last("A: The lamp is in the hall.", f"B: {repair}") == NEUTRAL


@pytest.mark.parametrize("text", ["Sorry, what did you say?", "Sorry?", "Sorry to bother you, is this seat free?",
                                  "I'm sorry to hear about your dad."])
def test_sorry_that_is_not_an_apology(text: str) -> None:
    assert last("A: You're an idiot.", f"B: {text}") != RECONCILIATION
    assert last(f"A: {text}") == NEUTRAL


def test_accepting_an_apology_and_a_third_party_calming() -> None:
    assert labels("A: You liar.", "B: I'm sorry, I was wrong.", "A: Apology accepted.")[1:] == \
        [RECONCILIATION, RECONCILIATION]
    assert last("A: You're a coward.", "B: And you're a bully.", "C: Guys, calm down, both of you.") == RECONCILIATION
    # the same words from a party answering a charge play it down
    assert last("A: You lied to me.", "B: Calm down.") == DEFLECTION


def test_non_apology_is_a_deflection() -> None:
    assert last("A: You humiliated me.", "B: I'm sorry you feel that way.") == DEFLECTION


# -- echoes and mirrors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("echo", ["Same to you.", "You too!", "Back at you.", "Likewise."])
def test_echoes_take_the_label_of_what_they_answer(echo: str) -> None:
    assert last("A: You're a pig.", f"B: {echo}") == INSULT
    assert last("A: Have a great weekend!", f"B: {echo}") == NEUTRAL
    assert last("A: You're a pig.", "B: Sorry, I love you.", f"A: {echo}") == RECONCILIATION


def test_echo_of_an_accusation_is_tu_quoque() -> None:
    assert last("A: You forgot to pay the bill.", "B: So did you.") == DEFLECTION


@pytest.mark.parametrize("mirror", ["And you're a bigger coward.", "No, you are the coward.", "Takes one to know one.",
                                    "I know you are but what am I?"])
def test_mirrored_counter_attacks_are_insults(mirror: str) -> None:
    assert last("A: You're a coward.", f"B: {mirror}") == INSULT


@pytest.mark.parametrize("text", ["You sir are an idiot.", "Idiots like you shouldn't vote.", "Go fuck yourself.",
                                  "you suck", "Wow, you really are a special kind of stupid."])
def test_online_register_insults(text: str) -> None:
    assert last(f"A: {text}") == INSULT


@pytest.mark.parametrize("text", ["if you're an idiot about money you end up broke, you know",
                                  "yeah I mean you get these idiots on the highway who cut you off",
                                  "uh you know my brother-in-law he's kind of a jerk", "that movie was so stupid lol"])
def test_generic_you_and_spoken_fillers_are_not_insults(text: str) -> None:
    assert last(f"A: {text}") == NEUTRAL


def test_yes_no_question_left_unanswered_adds_to_evasion() -> None:
    question = "A: Will you rule out raising taxes?"
    assert last(question, "B: We're going to look at all the options and I'm not going to prejudge the budget.") \
        == DEFLECTION
    assert last(question, "B: Yes. There will be no tax rises in this parliament.") == NEUTRAL
    # weak alone: an answer with no yes or no and no evasive phrase stays neutral
    assert last(question, "B: Taxes will be set in the autumn budget as usual.") == NEUTRAL


def test_a_pointed_yes_no_question_dodged_is_a_deflection() -> None:
    question = "A: Minister, do you regret the decision to close the hospital?"
    assert last(question, "B: Our record on health speaks for itself.") == DEFLECTION
    assert last(question, "B: No. It was the right call and the figures show it.") == NEUTRAL
    assert last("A: Do you regret moving to the city?", "B: Honestly, a little bit. The rent is insane.") == NEUTRAL


def test_end_of_sentence_entries() -> None:
    assert last("A: You never do the dishes.", "B: Whatever.") == DEFLECTION
    # (the reply engages the charge, "I'll": only a stonewall cue could make it a deflection, and "whatever$"
    # must not match mid-sentence)
    assert last("A: You never do the dishes.", "B: Whatever you need, I'll do them tonight.") != DEFLECTION
    assert last("A: You two, stop it.", "B: You're a coward.", "C: Peace, both of you!") == RECONCILIATION
    assert last("A: You're a coward.", "B: And you're a thief.", "C: I fear for the kingdom's peace!") != \
        RECONCILIATION


# -- accusations -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["You lied to me.", "You always leave the door open.", "How could you?",
                                  "It's your fault we missed the train.", "You ate my yogurt."])
def test_accusations(text: str) -> None:
    assert last(f"A: {text}") == ACCUSATION


# -- moves, exchanges, cues -----------------------------------------------------------------------------------

def test_one_move_per_turn_and_responds_to_the_previous_other_speaker() -> None:
    transcript = Transcript.from_pairs([("A", "Hi."), ("B", "You idiot."), ("B", "Seriously."), ("A", "Sorry.")])
    moves, exchanges = classify(transcript)
    assert [m.index for m in moves] == [0, 1, 2, 3]
    assert [m.responds_to for m in moves] == [None, 0, 0, 2]
    assert [(e.initiation, e.response) for e in exchanges] == [(0, 1), (0, 2), (2, 3)]
    assert exchanges[0].label == INSULT


def test_cues_name_the_rule_and_the_span_of_the_evidence() -> None:
    text = "Well, you're a complete idiot."
    moves, _ = classify(Transcript.from_pairs([("A", text)]))
    cue = moves[0].cues[0]
    assert cue.rule == "insult.you-epithet" and cue.label == INSULT
    assert text[cue.span[0]:cue.span[1]].endswith("idiot")
    assert cue.note


def test_curly_apostrophes_keep_spans() -> None:
    text = "Honestly, you\u2019re a clown."
    moves, _ = classify(Transcript.from_pairs([("A", text)]))
    assert moves[0].label == INSULT
    start, end = moves[0].cues[0].span
    assert text[start:end] == "you\u2019re a clown"


# -- the registry ----------------------------------------------------------------------------------------------

def test_registry_is_ordered_named_and_can_disable_rules() -> None:
    assert RULES.names[0].startswith("insult.") and "echo.echo" in RULES.names
    ruler = default_ruler()
    ruler.disable("insult.you-epithet")
    moves, _ = classify(Transcript.from_pairs([("A", "You're an idiot.")]), ruler=ruler)
    # the rule no longer fires (the learned judge may still call the words an insult on its own)
    assert "insult.you-epithet" not in {c.rule for c in moves[0].cues}
    ruler.enable("insult.you-epithet")
    moves, _ = classify(Transcript.from_pairs([("A", "You're an idiot.")]), ruler=ruler)
    assert moves[0].label == INSULT and "insult.you-epithet" in {c.rule for c in moves[0].cues}
    with pytest.raises(UsageError):
        ruler.disable("no.such-rule")


def test_registry_accepts_a_custom_rule_in_place() -> None:
    def shouting(ctx) -> None:  # an all-capitals turn of some length is an insult, for this test
        if len(ctx.text) > 8 and ctx.text.isupper():
            ctx.cue("test.shouting", (0, len(ctx.text)), INSULT, 0.9, "all capitals")

    ruler = Ruler(default_ruler().active())
    ruler.before("insult.you-epithet", "test.shouting", shouting)
    assert ruler.names[0] == "test.shouting"
    moves, _ = classify(Transcript.from_pairs([("A", "GO HOME NOW")]), ruler=ruler)
    assert moves[0].label == INSULT and moves[0].cues[0].rule == "test.shouting"


def test_the_rule_gates_skip_only_rules_that_would_add_nothing() -> None:
    """Every built-in rule's `needs` / `when` / `answering` declaration is sound: with every rule run on every
    turn (the declarations stripped) each sample and development transcript gets the same moves."""
    import glob

    import dialogue

    def ungated(fn):
        return lambda ctx: fn(ctx)  # a plain function: no declarations, runs on every turn

    everything = Ruler([(name, ungated(fn)) for name, fn in default_ruler().active()])
    paths = sorted(glob.glob("samples/**/*.txt", recursive=True)) + sorted(glob.glob("samples/*.fountain"))
    checked = 0
    for path in paths:
        transcript = dialogue.parse_file(path)
        gated, _ = classify(transcript)
        plain, _ = classify(transcript, ruler=everything)
        assert [(m.label, m.score, m.cues) for m in gated] == [(m.label, m.score, m.cues) for m in plain], path
        checked += sum(m.label != NEUTRAL for m in gated)
    assert checked > 300


def test_custom_rules_can_declare_when_they_matter() -> None:
    from dialogue.classify.context import answering, when

    seen: dict[str, list[int]] = {"after-insult": [], "after-question": [], "always": []}

    @answering(INSULT)
    def after_insult(ctx) -> None:
        seen["after-insult"].append(ctx.turn.index)

    @when("questioned")
    def after_question(ctx) -> None:
        seen["after-question"].append(ctx.turn.index)

    def always(ctx) -> None:
        seen["always"].append(ctx.turn.index)

    ruler = Ruler(default_ruler().active())
    for name, fn in (("t.after-insult", after_insult), ("t.after-question", after_question), ("t.always", always)):
        ruler.push(name, fn)
    classify(Transcript.from_pairs([("A", "Where were you?"), ("B", "Out."), ("A", "You absolute idiot."),
                                    ("B", "Charming.")]), ruler=ruler, rules_only=True)  # the gates, not the model
    assert seen == {"after-insult": [3], "after-question": [1], "always": [0, 1, 2, 3]}
    with pytest.raises(ValueError, match="unknown context flag"):
        when("angry")


# -- lexicons -------------------------------------------------------------------------------------------------

def test_every_builtin_entry_is_documented_and_categories_are_known() -> None:
    for lexicon in builtin_lexicons():
        assert lexicon.entries, lexicon.source
        for entry in lexicon.entries:
            assert entry.note, f"{lexicon.source}:{entry.line}: entry '{entry.pattern}' has no comment"
            assert entry.category in CATEGORIES
    assert (LEXICONS / "README.md").is_file()


def test_builtin_entries_compile() -> None:
    # the built-in files are loaded without compiling each entry (startup cost): this is where they are checked
    for path in sorted(LEXICONS.glob("*.txt")):
        assert parse_lexicon(path.read_text(encoding="utf-8"), source=path.name, compile_check=True).entries


def test_first_classify_in_a_fresh_process_compiles_few_patterns() -> None:
    # patterns are compiled on first use: a short transcript must not pay for compiling thousands of them
    # (that cost ~1.5 s CPU; the time itself is the benchmark's: benchmarks/test_limits.py). Counted, not timed:
    # the calls to re.compile that the first classify makes, against the lexicons' entries.
    code = ("import re; from dialogue.classify import classify; from dialogue.classify.lexicon import "
            "builtin_lexicons; from dialogue.model import Transcript\n"
            "calls = [0]; compile = re.compile\n"
            "def counted(*args, **kwargs):\n    calls[0] += 1\n    return compile(*args, **kwargs)\n"
            "re.compile = counted\n"
            "classify(Transcript.from_pairs([('A', 'you idiot'), ('B', 'sorry, I did not mean it')]))\n"
            "print(calls[0], sum(len(lexicon.entries) for lexicon in builtin_lexicons()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    compiled, entries = map(int, out.stdout.split())
    assert entries > 1000 and 0 < compiled < entries / 5, (compiled, entries)   # ~70 of ~1,350 today


def test_user_lexicon_extends_a_category(tmp_path: Path) -> None:
    assert last("A: You're a total blatherskite.") == NEUTRAL
    extra = tmp_path / "scots.txt"
    extra.write_text("# my words\n[epithet]\nblatherskite  # Scots: a windbag\nbampot = 0.8  # Scots: an idiot\n",
                     encoding="utf-8")
    lexicons = load_lexicons([extra])
    assert labels("A: You're a total blatherskite.", lexicons=lexicons) == [INSULT]
    assert labels("A: Away, ya bampot!", lexicons=lexicons) == [INSULT]
    # a path works too
    moves, _ = classify(Transcript.from_pairs([("A", "You bampot.")]), lexicons=[str(extra)])
    assert moves[0].label == INSULT


@pytest.mark.parametrize("text, line, column", [
    ("[epithet]\nnumpty = 2.5  # too heavy\n", 2, 10),
    ("# a comment\nnumpty\n", 2, 1),
    ("[epithets]\nnumpty\n", 1, 2),
    ("[epithet]\n  (numpty|bampot  # unclosed\n", 2, 3),
    ("[epithet\n", 1, 1),
])
def test_bad_lexicon_file_raises_a_located_error(tmp_path: Path, text: str, line: int, column: int) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        load_lexicons([bad])
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.located().startswith(f"{bad}:{line}:{column}: error: ")


def test_missing_lexicon_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_lexicons([tmp_path / "nope.txt"])
    with pytest.raises(UsageError, match="is a directory"):
        load_lexicons([tmp_path])


def test_an_empty_lexicon_and_a_pipe_are_lexicons(tmp_path: Path) -> None:
    """/dev/null has no entries (no error); a named pipe (what `--lexicon <(...)` passes) is read."""
    import os
    import threading

    assert load_lexicons(["/dev/null"])[0].entries == ()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text("[epithet]\nwombat  # a test entry\n"))
    writer.start()
    (lexicon,) = load_lexicons([pipe])
    writer.join()
    assert [entry.pattern for entry in lexicon.entries] == ["wombat"]


def test_pattern_syntax() -> None:
    import re
    assert re.fullmatch(pattern_to_regex("idiot[s]"), "idiots")
    assert re.fullmatch(pattern_to_regex("(shut|belt) up"), "belt up")
    assert re.fullmatch(pattern_to_regex("i'm (so |really )?sorry"), "i'm really sorry")
    assert re.fullmatch(pattern_to_regex("i'm (so |really )?sorry"), "i'm sorry")
    assert re.fullmatch(pattern_to_regex("dumb*"), "dumbest")
    assert parse_lexicon("[pardon]\nsorry?  # asks to repeat\n").entries[0].pattern == "sorry?"


# -- properties and speed --------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.text(max_size=120)), max_size=12))
def test_classify_never_fails_on_arbitrary_text(pairs: list[tuple[str, str]]) -> None:
    transcript = Transcript.from_pairs(pairs)
    moves, exchanges = classify(transcript)
    assert len(moves) == len(pairs)
    for move, turn in zip(moves, transcript.turns):
        assert move.index == turn.index
        assert 0.0 <= move.score <= 1.0
        for cue in move.cues:
            assert 0 <= cue.span[0] <= cue.span[1] <= len(turn.text)
    assert all(e.response > e.initiation for e in exchanges)


@pytest.mark.slow
def test_a_long_transcript_is_classified_in_linear_time() -> None:
    # the figure per turn is the benchmark's (benchmarks/run.py, analysis); here only how it grows
    lines = ["You're a complete idiot, you know that?", "I'm sorry, I didn't mean it.",
             "What about the time you forgot my birthday?", "Let us be friends again, good cousin.",
             "The weather is fine today and the ships are in the harbour."]
    moves, _ = assert_linear(classify, lambda n: Transcript.from_pairs(
        [(f"S{i % 3}", lines[i % len(lines)]) for i in range(n)]), 300, "classify", repeat=2)
    assert len(moves) == 3000


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["you idiot ", "what a fool, ", 'she said "shut up" ', "I'm sorry, what? "])
def test_one_huge_turn_is_classified_in_linear_time(unit: str) -> None:
    moves, _ = assert_linear(classify, lambda n: Transcript.from_pairs([("A", unit * (n // len(unit)))] * 2),
                             4_000, f"classify of one turn of {unit!r}", repeat=2)
    text = unit * (40_000 // len(unit))
    assert len(moves) == 2 and all(0 <= c.span[0] <= c.span[1] <= len(text) for m in moves for c in m.cues)


# -- generalisation mechanisms (round 4): each covers a family of phrasings, not one sentence ---------------

@pytest.mark.parametrize("charge, reply, label", [
    ("you forgot my birthday", "thats not true, i didnt forget", DEFLECTION),
    ("you lied to me", "im sorry, youre right, i shouldnt have", RECONCILIATION),
    ("you broke my phone", "its not my fault", DEFLECTION),
])
def test_contractions_written_without_apostrophes(charge: str, reply: str, label: str) -> None:
    assert last(f"A: {charge}", f"B: {reply}") == label


def test_no_apostrophe_spellings_stay_neutral_without_context() -> None:
    assert labels("A: what time is it", "B: its 5, im at home") == [NEUTRAL, NEUTRAL]


@pytest.mark.parametrize("question, reply, label", [
    ("Who had the car last? There's a dent in the door.", "Not me, I haven't driven it in weeks.", DEFLECTION),
    ("Why didn't the department publish the report?", "I was advised it wasn't ready.", DEFLECTION),
    ("Do you accept that residents were let down?", "I do, and I apologise for that.", RECONCILIATION),
])
def test_a_question_that_carries_blame_is_a_charge(question: str, reply: str, label: str) -> None:
    assert last(f"A: {question}", f"B: {reply}") == label


def test_a_plain_question_does_not_open_the_denial_or_repair_gates() -> None:
    assert last("A: Who wants tea?", "B: Not me, thanks.") == NEUTRAL
    assert last("A: Did you see the match?", "B: I do, I apologise for the noise last night though.") != DEFLECTION


def test_an_apology_that_names_ones_own_hostility_is_a_repair() -> None:
    assert last("A: The report is due Friday.", "B: fine.", "A: ok.", "B: sorry for snapping earlier") == RECONCILIATION
    assert last("A: The report is due Friday.", "B: sorry, I'm late") == NEUTRAL


@pytest.mark.parametrize("answer", [
    "I think what people care about is the cost of living.", "Our record speaks for itself.",
    "We've been very clear on this.", "I'm not going to point fingers.",
])
def test_interview_evasions(answer: str) -> None:
    assert last("HOST: Will you rule out raising taxes?", f"MP: {answer}") == DEFLECTION


@pytest.mark.parametrize("answer", ["Yes.", "No, we will not.", "The figure is 3%."])
def test_direct_interview_answers(answer: str) -> None:
    assert last("HOST: Will you rule out raising taxes?", f"MP: {answer}") == NEUTRAL


def test_no_entry_uses_brackets_as_a_character_class() -> None:
    # `[...]` is an optional group in the lexicon syntax: "apologi[sz]e" matched "apologisze", never "apologise"
    for path in sorted(LEXICONS.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            entry = line.split(" #")[0]
            assert not re.search(r"\w\[[a-z]{2,3}\]\w", entry), f"{path.name}:{number}: {entry}"


def test_no_entry_makes_a_single_character_optional() -> None:
    # `?` is literal except after a group: "ok,? karen" needed "ok,?" in the text (spaces already match commas)
    for path in sorted(LEXICONS.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            entry = line.split(" #")[0].split(" = ")[0].strip()
            assert not re.search(r"[,\-]\?", entry), f"{path.name}:{number}: {entry}"


def test_the_adjacency_gate_drops_no_match() -> None:
    """The scan's pair test (a phrase's first two words next to each other in the turn) only skips work:
    with and without it every category finds the same spans, on every sample turn and on phrases with a
    stance adverb or a comma between their first words."""
    import glob

    import dialogue
    from dialogue.classify.index import Index, plan
    from dialogue.classify.vocab import INDEXES, vocabulary

    vocab = vocabulary(())
    plain = Index(plan(vocab.entries, INDEXES["full"], adjacency=False), re.IGNORECASE, {})
    texts = ["you are really an idiot", "that is simply not true, you know", "i am so, so sorry",
             "I'm truly sorry", "it's, frankly, not my fault", "you, honestly, never listen", "don't you dare"]
    for path in sorted(glob.glob("samples/**/*.txt", recursive=True)):
        texts += [turn.text for turn in dialogue.parse_file(path).turns]
    checked = 0
    for text in texts:
        gated = {name: [h.span() for h in hits] for name, hits in vocab.full.scan(text).items()}
        assert gated == {name: [h.span() for h in hits] for name, hits in plain.scan(text).items()}, text
        checked += bool(gated)
    assert checked > 100


def test_the_built_vocabulary_is_fresh_and_equals_one_built_in_memory(tmp_path):
    """lexicons/built.pickle (scripts/build_vocabulary.py) holds what the bundled lexicons compile to; a
    stale or damaged file is ignored, so a process builds the vocabulary itself."""
    import pickle

    from dialogue.classify.vocab import BUILT, Vocabulary, _built, fingerprint

    stored = _built()
    assert stored is not None, "lexicons/built.pickle is stale: run python scripts/build_vocabulary.py"
    fresh = Vocabulary(builtin_lexicons()).export()
    assert {key: stored[key] for key in fresh} == fresh
    assert len(stored["plans"]["full"]["groups"]) > 500
    stale = tmp_path / "stale.pickle"
    stale.write_bytes(pickle.dumps({**stored, "fingerprint": "0" * 64}))
    damaged = tmp_path / "damaged.pickle"
    damaged.write_bytes(BUILT.read_bytes()[:1000])
    assert _built(stale) is None and _built(damaged) is None and _built(tmp_path / "missing") is None
    assert stored["fingerprint"] == fingerprint()
