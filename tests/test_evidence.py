"""The deciding evidence and the cues that lost: the model tells them apart, the views show only the first
as deciding (marked in the HTML text, after "←" in the terminal) and fold the others away ("also seen")."""

from __future__ import annotations

import re

import dialogue
from dialogue.analysis import Analysis, Cue, Move
from dialogue.arc import build_arc
from dialogue.model import Transcript
from dialogue.render import dot as dotmod
from dialogue.render.html import html_page
from dialogue.report import format_analysis

from conftest import run_cli


def analysed(*pairs: tuple[str, str]) -> Analysis:
    return dialogue.analyze(Transcript.from_pairs(pairs, source="evidence.txt"))


def turn_item(page: str, i: int) -> str:
    return re.search(rf'<li id="turn-{i}" .*?</li>(?=\n)', page).group(0)


def test_a_move_splits_its_cues_into_deciding_and_also_seen():
    win, lose, aside = (Cue("insult.you-epithet", (0, 9), "insult", 0.9), Cue("deflection.minimise", (11, 20),
                        "deflection", 0.8), Cue("deflection.stonewall", (0, 3), "neutral", 0.0))
    move = Move(0, "insult", 0.9, (win, lose, aside))
    assert move.deciding == (win,) and move.also_seen == (lose, aside)
    neutral = Move(0, "neutral", 0.6, (win, lose, aside))
    assert neutral.deciding == () and neutral.also_seen == (win, lose, aside)


def test_a_pardon_is_neutral_and_its_sorry_is_not_highlighted_as_deciding():
    analysis = analysed(("A", "You never listen to me."), ("B", "Sorry, what?"))
    move = analysis.moves[1]
    assert move.label == "neutral"
    assert any(c.label == "reconciliation" for c in move.cues)        # the repair rule did fire, and lost
    item = turn_item(html_page(analysis), 1)
    assert "<mark>" not in item and '<span class="cue">' not in item
    also = re.search(r'<details class="also">.*?</details>', item).group(0)
    assert "reconciliation.repair" in also and "(reconciliation)" in also
    line = next(x for x in format_analysis(analysis).splitlines() if x.lstrip().startswith("1 "))
    assert "\u2190" not in line                                          # no deciding cue after the arrow
    assert "also seen: reconciliation.repair \"Sorry\" (reconciliation)" in format_analysis(analysis)


def test_an_insult_shows_its_words_highlighted_and_its_rule_as_deciding():
    analysis = analysed(("A", "You left the dishes out."), ("B", "You're a spineless little toad"))
    move = analysis.moves[1]
    assert move.label == "insult" and move.deciding
    item = turn_item(html_page(analysis), 1)
    assert "<mark>You&#x27;re a spineless little toad</mark>" in item  # overlapping cues marked as one span
    assert re.search(r'<span class="cue">insult\.you-epithet “You&#x27;re a spineless little toad”', item)
    assert "\u2190 insult." in format_analysis(analysis)


def synthetic() -> Analysis:
    """Turn 1 is labelled insult with no cue for it and a deflection cue that lost."""
    t = Transcript.from_pairs([("A", "You always do this."), ("B", "Whatever, you idiot")])
    moves = (Move(0, "accusation", 0.8, (Cue("accusation.conduct", (0, 10), "accusation", 0.7),)),
             Move(1, "insult", 0.7, (Cue("deflection.minimise", (0, 8), "deflection", 0.8, "minimising"),),
                  responds_to=0))
    return Analysis(t, moves, (), build_arc(t, moves))


def test_a_cue_that_lost_never_stands_in_for_the_deciding_one():
    text = format_analysis(synthetic())
    line = next(x for x in text.splitlines() if x.lstrip().startswith("1 "))
    assert "\u2190" not in line
    assert 'also seen: deflection.minimise "Whatever" (deflection)' in text
    item = turn_item(html_page(synthetic()), 1)
    assert "<mark>" not in item and "minimising" in item


def test_the_graph_tooltip_names_losing_cues_apart():
    node = next(n for n in dotmod.build_graph(synthetic()).nodes if n.id == "t1")
    assert "evidence:" not in node.detail
    assert "also seen: deflection.minimise on \u201cWhatever\u201d (deflection)" in node.detail


def test_the_terminal_report_keeps_also_seen_lines_short_and_under_the_text():
    proc = run_cli("analyze", "samples/duet.lyrics.txt")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    seen = [x for x in lines if "also seen:" in x]
    assert seen and all(len(x) <= 120 and "\u2190" not in x for x in seen)
    column = lines[1].index("Another night")                                  # the text column of the turns
    assert all(x.index("also seen:") == column for x in seen)


def test_eval_names_no_losing_cue_as_the_reason_for_a_miss(tmp_path):
    # a pardon annotated (wrongly) as a repair: the repair cue fires and loses, so it is no reason for the miss
    path = tmp_path / "pardon.chat.txt"
    path.write_text("ROSA: You left the door open again, you idiot. {insult}\nLEO: Sorry, what? {reconciliation}\n",
                    encoding="utf-8")
    proc = run_cli("eval", str(path), "--misses", "20")
    assert proc.returncode == 0, proc.stderr
    misses = [x for x in proc.stdout.decode("utf-8").splitlines() if ": gold " in x]
    neutral = [x for x in misses if "got neutral" in x]
    assert neutral and all("got neutral (no deciding cue)" in x for x in neutral)
