"""dialogue.classify.context: what a rule sees of a turn's context, and how the conflict level moves.

Public behaviour only: `conflict_after` (read from the label registry), the `when` flags, and what context
does to a move's label through `classify` (the same words judged differently after different turns).
"""

from __future__ import annotations

import attrs
import pytest

from dialogue import labels
from dialogue.analysis import DEFLECTION, HUMOUR, INSULT, NEUTRAL, RECONCILIATION
from dialogue.classify import classify
from dialogue.classify.context import (
    DECAY,
    FLAGS,
    HUMOUR_KEEPS,
    IN_CONFLICT,
    MUTUAL_REPAIR_KEEPS,
    REPAIR_KEEPS,
    conflict_after,
    when,
)
from dialogue.model import Transcript


def test_a_quiet_turn_decays_the_conflict_and_an_attack_adds_its_registry_weight():
    assert conflict_after(1.0, NEUTRAL) == pytest.approx(DECAY)
    assert conflict_after(0.0, INSULT) == pytest.approx(labels.get(INSULT).conflict)
    assert conflict_after(0.5, DEFLECTION) == pytest.approx(0.5 * DECAY + labels.get(DEFLECTION).conflict)
    assert conflict_after(10.0, INSULT) == 3.0   # bounded


def test_repair_and_humour_cool_the_conflict_by_their_role():
    assert conflict_after(1.0, RECONCILIATION) == pytest.approx(REPAIR_KEEPS)
    assert conflict_after(1.0, RECONCILIATION, RECONCILIATION) == pytest.approx(MUTUAL_REPAIR_KEEPS)
    assert conflict_after(1.0, HUMOUR) == pytest.approx(HUMOUR_KEEPS)


def test_a_registered_repair_label_cools_like_reconciliation(label_registry):
    label_registry.register(labels.Label("apology-gift", labels.REPAIR))
    assert conflict_after(1.0, "apology-gift") == pytest.approx(REPAIR_KEEPS)
    assert conflict_after(1.0, "apology-gift", RECONCILIATION) == pytest.approx(MUTUAL_REPAIR_KEEPS)


def test_one_insult_keeps_a_conflict_alive_for_about_ten_quiet_turns():
    level, quiet = conflict_after(0.0, INSULT), 0
    while level >= IN_CONFLICT:
        level, quiet = conflict_after(level, NEUTRAL), quiet + 1
    assert 8 <= quiet <= 12


def test_when_accepts_only_known_flags():
    @when("charged")
    def rule(ctx) -> None:
        """A rule for charged turns."""
    assert rule.when == ("charged",) and "charged" in FLAGS
    with pytest.raises(ValueError, match="unknown context flag"):
        when("sunny")


def _labels(*pairs: tuple[str, str]) -> list[str]:
    moves, _ = classify(Transcript.from_pairs(list(pairs)), rules_only=True)
    return [m.label for m in moves]


def test_the_same_words_are_judged_by_the_turn_they_answer():
    # the contract's example: "same to you" answers an insult with an insult, "I love you" with a repair
    assert _labels(("A", "You are a toad."), ("B", "Same to you."))[1] == INSULT
    assert _labels(("A", "You never listen to me, you idiot."), ("B", "I love you. I'm sorry."))[1] == RECONCILIATION
    # the same apology words with no conflict before them are neutral
    assert _labels(("A", "Lovely weather."), ("B", "I'm sorry."))[1] == NEUTRAL


def test_labels_keep_their_records_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        labels.get(INSULT).conflict = 0.0  # type: ignore[misc]
