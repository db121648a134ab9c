"""The argument arc: tension, phases, climax, closing, per-speaker figures, root cause (dialogue/arc.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogue.analysis import Analysis, Exchange, Move
from dialogue.arc import build_arc
from dialogue.model import Direction, Transcript, Turn

I, A, D, R, N = "insult", "accusation", "deflection", "reconciliation", "neutral"
PHASE_NAMES = {"opening", "escalation", "climax", "de-escalation", "resolution", "standoff"}
HOSTILE = {I, A}


def analysis_of(spec: list[tuple[str, str, str]] | list[tuple[str, str]], source: str = "test.txt",
                score: float = 0.8, link: bool = True) -> Analysis:
    """An Analysis built by hand: (speaker, label) or (speaker, text, label) per turn; each turn answers the
    one before it (an exchange labelled by the answer)."""
    rows = [(s[0], s[1], s[2]) if len(s) == 3 else (s[0], f"{s[1]} line {i}", s[1]) for i, s in enumerate(spec)]
    t = Transcript.from_pairs([(speaker, text) for speaker, text, _ in rows], source=source)
    moves = tuple(Move(i, label=label, score=score if label != N else 0.0) for i, (_, _, label) in enumerate(rows))
    exchanges = tuple(Exchange(i - 1, i, rows[i][2]) for i in range(1, len(rows))) if link else ()
    return Analysis(t, moves, exchanges, build_arc(t, moves, exchanges))


FIGHT_RECONCILED = [("ROSA", N), ("LEO", N), ("ROSA", A), ("LEO", D), ("ROSA", I), ("LEO", I), ("ROSA", I),
                    ("LEO", D), ("ROSA", R), ("LEO", R), ("ROSA", N)]
FIGHT_STANDOFF = [("ROSA", N), ("ROSA", A), ("LEO", D), ("ROSA", I), ("LEO", I), ("ROSA", I), ("LEO", N),
                  ("ROSA", A), ("LEO", I)]
FRIENDLY = [("ROSA", N), ("LEO", N), ("ROSA", N), ("LEO", N), ("ROSA", N), ("LEO", N)]


def names(arc) -> list[str]:
    return [p.name for p in arc.phases]


def assert_covering(arc, n: int) -> None:
    assert arc.phases[0].start == 0 and arc.phases[-1].end == n - 1
    for a, b in zip(arc.phases, arc.phases[1:]):
        assert b.start == a.end + 1
    assert all(p.start <= p.end for p in arc.phases)
    assert {p.name for p in arc.phases} <= PHASE_NAMES


def test_reconciled_fight_rises_peaks_and_resolves():
    arc = analysis_of(FIGHT_RECONCILED).arc
    assert names(arc) == ["opening", "escalation", "climax", "resolution"]
    assert_covering(arc, len(FIGHT_RECONCILED))
    assert arc.closing == "reconciled"
    assert arc.climax == 6                      # the last insult of the run, before the apologies
    assert arc.phases[-1].start == 8            # the resolution starts at the first apology
    t = arc.tension
    assert t[0] == t[1] == 0.0
    assert t[2] < t[4] < t[5] < t[6]            # insults and accusations raise it
    assert t[7] == t[6]                         # a deflection holds it
    assert t[8] < t[6] and t[9] < t[8]          # reconciliation brings it down
    assert all(0.0 <= v <= 1.0 for v in t)


def test_unreconciled_fight_ends_in_standoff():
    arc = analysis_of(FIGHT_STANDOFF).arc
    assert arc.closing == "standoff"
    assert names(arc)[-1] == "standoff"
    assert "resolution" not in names(arc)
    assert_covering(arc, len(FIGHT_STANDOFF))


def test_climax_falls_where_attacks_peak():
    calm = [("A", N), ("B", N)] * 4
    burst = [("A", A), ("B", I), ("A", I), ("B", I), ("A", I)]
    tail = [("B", N), ("A", D), ("B", N), ("A", N)] * 2 + [("B", A), ("A", N), ("B", N)]
    arc = analysis_of(calm + burst + tail).arc
    assert len(calm) <= arc.climax < len(calm) + len(burst)
    climax_phase = next(p for p in arc.phases if p.name == "climax")
    assert climax_phase.start <= arc.climax <= climax_phase.end


def test_friendly_chat_is_one_calm_opening_with_no_climax():
    arc = analysis_of(FRIENDLY).arc
    assert names(arc) == ["opening"] and arc.phases[0].end == len(FRIENDLY) - 1
    assert arc.closing == "none" and arc.climax == 0 and arc.root_cause is None
    assert max(arc.tension) == 0.0


def test_friendly_chat_with_a_stray_accusation_peaks_below_any_fight():
    stray = analysis_of([("A", N), ("B", N), ("A", A), ("B", N), ("A", N), ("B", N)]).arc
    short_fight = analysis_of([("A", A), ("B", I)]).arc
    assert max(stray.tension) < max(short_fight.tension)
    assert max(stray.tension) < max(analysis_of(FIGHT_STANDOFF).arc.tension)


def test_tension_is_absolute_not_normalised_per_transcript():
    fight = analysis_of(FIGHT_STANDOFF).arc
    padded = analysis_of([("ROSA", N)] * 30 + FIGHT_STANDOFF).arc
    assert max(fight.tension) < 1.0
    assert abs(max(padded.tension) - max(fight.tension)) < 1e-9


def test_withdrawal_when_the_argument_ends_on_a_deflection():
    arc = analysis_of([("A", A), ("B", I), ("A", I), ("B", D)]).arc
    assert arc.closing == "withdrawal" and names(arc)[-1] == "standoff"


def test_withdrawal_when_a_disputant_exits():
    turns = [Turn(0, "KATE", "You are a toad.", 1), Turn(1, "PETRUCHIO", "You are a shrew.", 2),
             Turn(2, "KATE", "Villain.", 3, directions=(Direction("Exit KATE", 3, kind="exit", turn=2),)),
             Turn(3, "GRUMIO", "Well, then.", 5)]
    t = Transcript.from_turns(turns)
    moves = (Move(0, I, 0.9), Move(1, I, 0.9), Move(2, I, 0.9), Move(3, N))
    arc = build_arc(t, moves)
    assert arc.closing == "withdrawal"


def test_third_party_calms_both():
    arc = analysis_of([("A", A), ("B", I), ("A", I), ("MOD", R), ("A", N), ("B", N)]).arc
    assert arc.closing == "third-party"
    assert names(arc)[-1] == "standoff"
    assert arc.phases[-1].start == 3


def test_third_party_then_the_disputants_make_up_is_reconciled():
    arc = analysis_of([("A", A), ("B", I), ("A", I), ("MOD", R), ("A", R), ("B", R)]).arc
    assert arc.closing == "reconciled"
    assert names(arc)[-1] == "resolution" and arc.phases[-1].start == 3


def test_failed_repair_is_de_escalation_then_standoff():
    arc = analysis_of([("A", A), ("B", I), ("A", I), ("B", R), ("A", I), ("B", N), ("A", N)]).arc
    assert arc.closing == "standoff"
    assert names(arc)[-1] == "standoff"


def test_climax_on_the_last_turn_of_an_unreconciled_fight():
    arc = analysis_of([("A", A), ("B", I), ("A", I), ("B", I)]).arc
    assert arc.climax == 3 and names(arc)[-1] == "standoff" and arc.phases[-1].start == 3


def test_per_speaker_figures_and_who_went_first():
    arc = analysis_of(FIGHT_RECONCILED).arc
    rosa, leo = arc.speakers
    assert (rosa.speaker, rosa.turns, rosa.insults, rosa.accusations, rosa.deflections) == ("ROSA", 6, 2, 1, 0)
    assert (leo.speaker, leo.turns, leo.insults, leo.accusations, leo.deflections) == ("LEO", 5, 1, 0, 2)
    assert (rosa.repairs_offered, rosa.repairs_accepted, rosa.first_attack, rosa.first_repair) == (1, 1, 2, 8)
    assert (leo.repairs_offered, leo.repairs_accepted, leo.first_attack, leo.first_repair) == (1, 0, 5, 9)
    assert arc.escalated_first == "ROSA" and arc.repaired_first == "ROSA"


def test_root_cause_is_the_first_accusation_even_behind_an_insult():
    arc = analysis_of([("A", N), ("B", I), ("A", A), ("B", D), ("A", I), ("B", D)]).arc
    assert arc.root_cause == 2
    assert arc.root_cause_answered is False


def test_root_cause_answered_when_the_reply_engages_it():
    arc = analysis_of([("A", A), ("B", N), ("A", I), ("B", D)]).arc
    assert arc.root_cause == 0 and arc.root_cause_answered is True


def test_root_cause_answered_by_a_later_concession_of_the_accused():
    arc = analysis_of([("A", A), ("B", D), ("A", I), ("B", R), ("A", R)]).arc
    assert arc.root_cause == 0 and arc.root_cause_answered is True


def test_explicit_links_decide_what_a_turn_answers():
    spec = [("C", N), ("A", A), ("B", N), ("B", D)]
    t = Transcript.from_pairs([(s, "x") for s, _ in spec])
    links = {2: 0, 3: 1}  # B first answers C's small talk; only the deflection answers A's charge
    moves = tuple(Move(i, label=label, score=0.8, responds_to=links.get(i)) for i, (_, label) in enumerate(spec))
    arc = build_arc(t, moves)
    assert arc.root_cause == 1 and arc.root_cause_answered is False
    unlinked = build_arc(t, tuple(Move(i, label=label, score=0.8) for i, (_, label) in enumerate(spec)))
    assert unlinked.root_cause_answered is True  # by default turn 2 answers the turn before it


def test_empty_transcript_gives_an_empty_arc():
    arc = build_arc(Transcript(turns=()), ())
    assert arc.phases == () and arc.tension == () and arc.climax is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from([I, A, D, R, N, N, N])),
                min_size=1, max_size=40))
def test_arc_invariants_hold_for_any_label_sequence(spec):
    analysis = analysis_of(spec)
    arc = analysis.arc
    n = len(spec)
    assert len(arc.tension) == n and all(0.0 <= v <= 1.0 for v in arc.tension)
    assert_covering(arc, n)
    assert (arc.phases[-1].name == "resolution") == (arc.closing == "reconciled")
    hostile = [i for i, (_, label) in enumerate(spec) if label in HOSTILE]
    if not hostile:
        assert arc.closing == "none" and arc.phases[-1].name == "opening"
        assert arc.tension[arc.climax] == max(arc.tension)
    else:
        assert arc.closing in {"reconciled", "standoff", "withdrawal", "third-party"}
        assert arc.phases[-1].name in {"resolution", "standoff"}
        assert spec[arc.climax][1] in HOSTILE
        assert arc.tension[arc.climax] == max(arc.tension)
        assert arc.root_cause in hostile
        assert arc.escalated_first == spec[hostile[0]][0]


DUET = Path(__file__).resolve().parent.parent / "samples" / "duet.lyrics.txt"


@pytest.mark.skipif(not DUET.is_file(), reason="samples/duet.lyrics.txt not there")
def test_model_case_duet_peaks_in_the_insults_and_ends_in_resolution():
    import dialogue
    transcript = dialogue.parse_file(DUET)
    arc = dialogue.analyze(transcript).arc
    gold = [t.gold for t in transcript.turns]
    insults = [i for i, label in enumerate(gold) if label == I]
    assert arc.closing == "reconciled" and arc.phases[-1].name == "resolution"
    assert gold[arc.climax] == I and insults[0] <= arc.climax <= insults[-1]
    assert gold[arc.phases[-1].start] == R                    # the resolution starts at the first apology
    assert max(arc.tension) > 0.8 and arc.tension[-1] < 0.1   # a real fight, then fully calmed
