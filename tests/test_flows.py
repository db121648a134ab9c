"""Shared flows: rhyme and metre picked up across voices, the conventions of docs/FLOWS.md."""

from __future__ import annotations

import attrs
import pytest

import dialogue
from conftest import SAMPLES, SHAKESPEARE
from dialogue.analysis import METRE, RHYME, Flow
from dialogue.flows import WINDOW, find_flows


def _lyrics(body: str) -> dialogue.Transcript:
    return dialogue.parse(body, source="t.lyrics.txt", dialect="lyrics")


def _rhymes(transcript) -> dict[tuple[int, int], tuple[str, ...]]:
    return {f.turns: f.words for f in find_flows(transcript) if f.kind == RHYME}


def test_an_end_rhyme_picked_up_by_the_other_voice():
    t = _lyrics("[Verse: A & B]\nA: I waited by the phone until the morning came through\n"
                "B: I never got your message, I was out looking for you\n")
    assert _rhymes(t) == {(0, 1): ("through", "you")}


def test_a_voice_rhyming_with_itself_is_no_shared_flow():
    t = _lyrics("[Verse: A & B]\nA: I'd take the cat and leave you in the cold\nA: I'd take the chair we never sold\n")
    assert find_flows(t) == ()


def test_a_joint_voice_is_another_voice_than_its_member():
    t = _lyrics("[Verse: Kate]\nI left the candles burning on the floor\n"
                "[Chorus: Kate & Leo]\nWe don't remember what we're fighting for\n")
    assert [turn.speaker for turn in t.turns] == ["Kate", "Kate & Leo"]
    assert _rhymes(t) == {(0, 1): ("floor", "for")}


def test_the_same_word_is_no_rhyme_but_a_homophone_is():
    same = _lyrics("[V: A & B]\nA: You can knock me off my feet\nB: I'd knock you off your feet\n")
    assert _rhymes(same) == {}
    homophone = _lyrics("[V: A & B]\nA: I practise with a sword at night\nB: I'm the bravest noble knight\n")
    assert _rhymes(homophone) == {(0, 1): ("night", "knight")}


def test_eye_rhymes_and_shared_consonants_are_not_rhymes():
    t = _lyrics("[V: A & B]\nA: You gave me all you had and all your love\nB: You never gave me room enough to move\n"
                "A: You think that's clever, shut your mouth\nB: I only ever told the honest truth\n")
    assert _rhymes(t) == {}


def test_slant_rhymes_are_weaker_than_full_ones():
    t = _lyrics("[V: A & B]\nA: You promised you would fix it right on time\nB: I never made that promise, that was never mine\n"
                "A: You left me in the kitchen on my own\nB: I had to work, I'm sorry you were alone\n")
    flows = {f.turns: f for f in find_flows(t) if f.kind == RHYME}
    assert flows[(0, 1)].strength < 0.8
    assert flows[(2, 3)].strength == 0.8


def test_ad_libs_count_as_lines():
    t = _lyrics("[V: A & B]\nA: I'm tired of the coffee in a paper cup\nB: Then drink another, the night is long (wake up)\n")
    assert _rhymes(t) == {(0, 1): ("cup", "up")}


def test_the_window_is_three_turns():
    lines = ["A: I left my keys somewhere beside the door", "B: We went out walking by the sea",
             "A: The water took the sand away", "B: The birds flew over in a row",
             "A: And nobody was keeping any score"]
    t = _lyrics("[V: A & B]\n" + "\n".join(lines) + "\n")
    assert WINDOW == 3 and (0, 4) not in _rhymes(t)
    near = _lyrics("[V: A & B]\n" + "\n".join(lines[:2] + lines[3:]) + "\n")
    assert (0, 3) not in _rhymes(near)  # same speaker A
    near_b = _lyrics("[V: A & B]\nB: I left my keys somewhere beside the door\n" + "\n".join(lines[1:3])
                     + "\nA: And nobody was keeping any score\n")
    assert _rhymes(near_b) == {(0, 3): ("door", "score")}


def test_a_rhyme_is_credited_to_the_nearest_turn():
    t = _lyrics("[V: A & B & C]\nA: We stayed out dancing half the night\nB: We stayed until the morning light\n"
                "C: And then we had the biggest fight\n")
    assert _rhymes(t) == {(0, 1): ("night", "light"), (1, 2): ("light", "fight")}


def test_multisyllabic_internal_rhyme_counts_a_one_syllable_one_does_not():
    strong = _lyrics("[V: A & B]\nA: We had an ugly confrontation in the hall\nB: You slammed the door and ended the conversation\n")
    assert _rhymes(strong) == {(0, 1): ("confrontation", "conversation")}
    weak = _lyrics("[V: A & B]\nA: I'd leave tonight and leave you in the cold\nB: You told me I should pack and never come back\n")
    assert _rhymes(weak) == {}


def test_metre_picked_up_within_a_syllable():
    t = _lyrics("[V: A & B]\nA: The kitchen light is burning through the night\nB: The garden gate is rattling in the wind\n")
    metre = [f for f in find_flows(t) if f.kind == METRE]
    assert [f.turns for f in metre] == [(0, 1)]
    short = _lyrics("[V: A & B]\nA: Go home now\nB: Stay here then\n")
    assert [f for f in find_flows(short) if f.kind == METRE] == []


def test_speech_takes_rhymes_in_runs_only():
    chance = dialogue.parse("A: I live four hundred miles away from here.\nB: Well, that is what you always say.\n"
                            "A: Can we talk about the money for the car?\nB: Sure, let me find the folder first.\n",
                            source="c.txt", dialect="chat")
    assert find_flows(chance) == ()
    battle = dialogue.parse("A: I pull up to the block and my tyres go skrrt\nB: You pull up in your mama's car, don't get hurt\n"
                            "A: I'm the king of the city, the ruler on the throne\nB: You're a jester with a kazoo and a borrowed phone\n",
                            source="b.txt", dialect="chat")
    assert [f.turns for f in find_flows(battle)] == [(0, 1), (2, 3)]


PROSE = sorted(p for p in SAMPLES.glob("*") if p.is_file() and "lyrics" not in p.name) + \
    sorted((SAMPLES / "dev").rglob("*.txt"))


@pytest.mark.parametrize("path", PROSE, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_prose_samples_give_no_flows(path):
    assert find_flows(dialogue.parse_file(path)) == ()


def test_analysis_carries_flows_ordered_and_valid():
    analysis = dialogue.analyze(dialogue.parse_file(SAMPLES / "flows-battle.lyrics.txt"))
    assert analysis.flows and all(isinstance(f, Flow) for f in analysis.flows)
    keys = [(f.turns[1], f.turns[0]) for f in analysis.flows]
    assert keys == sorted(keys)
    speakers = [t.speaker for t in analysis.transcript.turns]
    assert all(speakers[f.turns[0]] != speakers[f.turns[1]] and 0 < f.turns[1] - f.turns[0] <= WINDOW
               for f in analysis.flows)
    assert attrs.evolve(analysis, flows=()).flows == ()
    with pytest.raises(ValueError):
        Flow(turns=(0, 1), kind=RHYME, strength=1.5)


@pytest.mark.slow
@pytest.mark.skipif(not SHAKESPEARE.is_file(), reason="the shared play text is absent")
def test_the_play_rhymes_only_in_runs():
    flows = find_flows(dialogue.parse_file(SHAKESPEARE))
    ends = sorted(f.turns[1] for f in flows)
    assert 0 < len(flows) < 400  # 155 when written, mostly rhymed couplets across speakers
    assert all(sum(abs(e - f.turns[1]) <= WINDOW for e in ends) >= 2 for f in flows)
