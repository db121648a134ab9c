"""The argument arc: tension over time, phases, climax, closing, per-speaker figures and the root cause.

This module owns turning classified moves into an `analysis.Arc`: plain data, no graphviz, no text output.

Tension is a leaky integrator of hostility, mapped to 0..1 by `1 - exp(-level)`:
  - an insult raises the level by 0.40, an accusation by 0.25 (times 0.6 + 0.4 * score), by a quarter more
    when it answers hostility from another speaker, and by 40% less when it comes out of a calm (a fight is
    reciprocal; one stray line, perhaps a misread joke, is not yet a fight);
  - a deflection holds the level (no decay: the charge is still in the air);
  - a reconciliation keeps 45% of it minus 0.12; humour keeps 55% (a joke that breaks the tension: the turns
    where it does are `Arc.humour`); a neutral turn keeps 85%.
The integrator is the smoothing: tension never jumps back to zero on one quiet line. The scale is absolute
(never normalised per transcript), so a friendly chat peaks lower than any fight.

Phases cover every turn in order. A transcript with no insult or accusation is one `opening` phase with
closing `none`; its climax is still the turn of peak tension as the contract defines it (the first turn when
the tension stays 0), and the views say "no conflict" instead of marking it. Otherwise: `opening` (before the first attack, if any turns), `escalation`
(first attack up to the climax phase), `climax` (the peak turn and its neighbours within 10% of the peak),
`de-escalation` (after the peak, before the ending), and the last phase: `resolution` exactly when the closing
is `reconciled`, else `standoff` (closings `standoff`, `withdrawal`, `third-party`). When the peak is the very
last turn of an unreconciled argument, the `standoff` phase is that turn.

Closing: `reconciled` when, after the last attack, the disputants themselves repair and nothing but repair or
small talk follows; `third-party` when a speaker outside the fight offers the repair and the disputants do not;
`withdrawal` when the argument ends with a deflection (stonewalling, walking away) or a disputant exits;
`standoff` when it ends on attacks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .analysis import (
    ACCUSATION,
    DEFLECTION,
    HUMOUR,
    INSULT,
    NEUTRAL,
    RECONCILIATION,
    Arc,
    Exchange,
    Move,
    Phase,
    SpeakerFigures,
)
from . import labels as registry
from .model import Transcript, is_joint_voice

#: Labels that raise the tension (their `tension` in the label registry): insults and accusations.
HOSTILE = frozenset(label.name for label in registry.REGISTRY if label.tension > 0)
#: A joke that breaks the tension keeps this share of it: it cools a fight, not as far as an apology.
_HUMOUR_KEEP = 0.55
_RECIPROCAL = 1.25
#: An attack out of a calm (level below `_COLD`) counts this much: one stray line is not yet a fight.
_COLD, _COLD_START = 0.05, 0.6
_NEUTRAL_KEEP = 0.85
_REPAIR_KEEP, _REPAIR_DROP = 0.45, 0.12
#: Turns whose tension is within this share of the peak belong to the climax phase.
_CLIMAX_BAND = 0.90

#: Closing types.
RECONCILED, STANDOFF, WITHDRAWAL, THIRD_PARTY, NO_CONFLICT = (
    "reconciled", "standoff", "withdrawal", "third-party", "none")

_EXIT = re.compile(r"\b(exit|exits|exeunt|leaves|left the|walks out|storms out|storms off|hangs up|"
                   r"slams the door)\b", re.IGNORECASE)
#: An exit counts as withdrawal only this many turns after the last attack.
_EXIT_WINDOW = 3


def build_arc(transcript: Transcript, moves: Sequence[Move], exchanges: Sequence[Exchange] = ()) -> Arc:
    """The arc of `transcript` from its moves (one per turn, same order) and exchanges."""
    n = len(transcript.turns)
    if n == 0:
        return Arc()
    labels = [m.label for m in moves]
    speakers = [t.speaker for t in transcript.turns]
    answers = _answers(moves, exchanges, speakers)
    tension = tension_curve(moves, answers, speakers)
    hostile = [i for i, label in enumerate(labels) if label in HOSTILE]
    figures, escalated, repaired = _figures(transcript, labels, answers, hostile)
    climax = max(range(n), key=lambda i: (tension[i], -i))
    relief = tuple(i for i, label in enumerate(labels) if label == HUMOUR and i and tension[i] < tension[i - 1])
    if not hostile:
        return Arc(tension=tension, phases=(Phase("opening", 0, n - 1),), climax=climax, closing=NO_CONFLICT,
                   speakers=figures, humour=relief)
    disputants = _disputants(hostile, speakers, answers)
    closing, ending = _closing(transcript, labels, speakers, hostile[-1], disputants)
    root, answered = _root_cause(labels, speakers, answers, hostile)
    return Arc(tension=tension, phases=_phases(tension, labels, hostile[0], climax, closing, ending),
               climax=climax, closing=closing, speakers=figures, escalated_first=escalated,
               repaired_first=repaired, root_cause=root, root_cause_answered=answered, humour=relief)


def tension_curve(moves: Sequence[Move], answers: Sequence[int | None], speakers: Sequence[str]
                  ) -> tuple[float, ...]:
    """Tension per turn in 0..1 on an absolute scale (see the module docstring)."""
    level = 0.0
    curve = []
    for i, move in enumerate(moves):
        weight = 0.6 + 0.4 * move.score
        if move.label in HOSTILE:
            impulse = registry.get(move.label).tension * weight
            before = answers[i]
            if before is not None and moves[before].label in HOSTILE | {DEFLECTION} \
                    and speakers[before] != speakers[i]:
                impulse *= _RECIPROCAL
            elif level < _COLD:
                impulse *= _COLD_START
            level += impulse
        elif move.label == RECONCILIATION:
            level = max(0.0, level * _REPAIR_KEEP - _REPAIR_DROP * weight)
        elif move.label == HUMOUR:
            level *= _HUMOUR_KEEP
        elif move.label != DEFLECTION:
            level *= _NEUTRAL_KEEP
        curve.append(round(1.0 - math.exp(-level), 4))
    return tuple(curve)


def _answers(moves: Sequence[Move], exchanges: Sequence[Exchange], speakers: Sequence[str]) -> list[int | None]:
    """For each turn, the turn it answers: the classifier's link if any, else the last turn by someone else."""
    linked: dict[int, int] = {e.response: e.initiation for e in exchanges if e.initiation < e.response}
    fallback: list[int | None] = [None] * len(moves)
    for i in range(1, len(moves)):
        fallback[i] = i - 1 if speakers[i - 1] != speakers[i] else fallback[i - 1]
    out: list[int | None] = []
    for i, move in enumerate(moves):
        if move.responds_to is not None and 0 <= move.responds_to < i:
            out.append(move.responds_to)
        else:
            out.append(linked.get(i, fallback[i]))
    return out


def _replies(answers: Sequence[int | None], wanted: set[int]) -> dict[int, list[int]]:
    """The turns answering each turn in `wanted`, in order (only those: most turns' replies are not asked)."""
    out: dict[int, list[int]] = {i: [] for i in wanted}
    for j, i in enumerate(answers):
        if i in out:
            out[i].append(j)
    return out


def _members(speaker: str) -> set[str]:
    return {part.strip() for part in speaker.split(" & ")} | {speaker}


def _disputants(hostile: Sequence[int], speakers: Sequence[str], answers: Sequence[int | None]) -> set[str]:
    """Everyone who attacked or was attacked (joint voices count through their members)."""
    out: set[str] = set()
    for i in hostile:
        out |= _members(speakers[i])
        target = answers[i]
        if target is None:
            target = next((j for j in range(i + 1, len(speakers)) if speakers[j] != speakers[i]), None)
        if target is not None:
            out |= _members(speakers[target])
    return out


def _is_disputant(speaker: str, disputants: set[str]) -> bool:
    if speaker in disputants or any(m in disputants for m in speaker.split(" & ")):
        return True
    # a collective voice that names no members (`ALL`, `BOTH`) includes whoever is in the fight
    return bool(disputants) and " & " not in speaker and is_joint_voice(speaker)


def _closing(transcript: Transcript, labels: Sequence[str], speakers: Sequence[str], last_attack: int,
             disputants: set[str]) -> tuple[str, int]:
    """The closing type and the first turn of the ending (the repair or intervention), or -1 if none."""
    tail = [i for i in range(last_attack + 1, len(labels)) if labels[i] != NEUTRAL]
    repairs = [i for i in tail if labels[i] == RECONCILIATION]
    own = [i for i in repairs if _is_disputant(speakers[i], disputants)]
    ends_in_repair = bool(tail) and labels[tail[-1]] == RECONCILIATION
    if own and ends_in_repair:
        return RECONCILED, repairs[0]
    if repairs and ends_in_repair:
        return THIRD_PARTY, repairs[0]
    if _exits_after(transcript, last_attack, disputants) or (tail and labels[tail[-1]] == DEFLECTION):
        return WITHDRAWAL, -1
    return STANDOFF, -1


def _exits_after(transcript: Transcript, last_attack: int, disputants: set[str]) -> bool:
    """A stage direction soon after the last attack that has a disputant leave (named, or on their turn)."""
    turns = transcript.turns[last_attack:last_attack + _EXIT_WINDOW + 1]
    if any(_EXIT.search(d.text) and _is_disputant(t.speaker, disputants) for t in turns for d in t.directions):
        return True
    first, last = turns[0].line, turns[-1].line + 1
    return any(first <= d.line <= last and _EXIT.search(d.text)
               and any(name.lower() in d.text.lower() for name in disputants) for d in transcript.directions)


def _phases(tension: Sequence[float], labels: Sequence[str], first: int, climax: int, closing: str,
            ending: int) -> tuple[Phase, ...]:
    n = len(tension)
    band = tension[climax] * _CLIMAX_BAND
    start, end = climax, climax
    while start - 1 >= first and tension[start - 1] >= band:
        start -= 1
    while end + 1 < n and tension[end + 1] >= band:
        end += 1
    if closing == RECONCILED or closing == THIRD_PARTY:
        final = ending
    else:
        failed = [i for i in range(climax + 1, n) if labels[i] == RECONCILIATION]
        final = max(end + 1, failed[-1] + 1 if failed else 0)
    final = min(final, n - 1)
    end = min(end, final - 1)
    name = "resolution" if closing == RECONCILED else "standoff"
    spans = [("opening", 0, first - 1), ("escalation", first, start - 1), ("climax", start, end),
             ("de-escalation", end + 1, final - 1), (name, final, n - 1)]
    return tuple(Phase(label, a, b) for label, a, b in spans if a <= b)


def _root_cause(labels: Sequence[str], speakers: Sequence[str], answers: Sequence[int | None],
                hostile: Sequence[int]) -> tuple[int, bool]:
    """The first accusation (else the first attack), and whether anyone answered it rather than deflecting.

    Answered: a direct reply by another speaker that engages it (neutral or conceding), or a later repair by
    the speaker it was aimed at.
    """
    accusations = [i for i in hostile if labels[i] == ACCUSATION]
    root = accusations[0] if accusations else hostile[0]
    replies = [j for j, i in enumerate(answers) if i == root and speakers[j] != speakers[root]]
    if not replies:
        replies = [j for j in range(root + 1, min(root + 3, len(labels))) if speakers[j] != speakers[root]][:1]
    if any(labels[j] in (NEUTRAL, RECONCILIATION) for j in replies):
        return root, True
    accused = {speakers[j] for j in replies}
    later_repair = any(labels[j] == RECONCILIATION and speakers[j] in accused
                       for j in range(root + 1, len(labels)))
    return root, later_repair


def _figures(transcript: Transcript, labels: Sequence[str], answers: Sequence[int | None],
             hostile: Sequence[int]) -> tuple[tuple[SpeakerFigures, ...], str | None, str | None]:
    """Per-speaker counts, who attacked first and who repaired first (after the first attack)."""
    speakers = [t.speaker for t in transcript.turns]
    accepted = _accepted_repairs(labels, speakers, answers)
    turns_of: dict[str, list[int]] = {name: [] for name in transcript.speaker_names}
    for i, name in enumerate(speakers):  # one pass, not one per speaker (a play has hundreds)
        turns_of[name].append(i)
    out = []
    for name, mine in turns_of.items():
        attacks = [i for i in mine if labels[i] in HOSTILE]
        repairs = [i for i in mine if labels[i] == RECONCILIATION]
        out.append(SpeakerFigures(
            speaker=name, turns=len(mine),
            insults=sum(labels[i] == INSULT for i in mine),
            accusations=sum(labels[i] == ACCUSATION for i in mine),
            deflections=sum(labels[i] == DEFLECTION for i in mine),
            repairs_offered=len(repairs), repairs_accepted=sum(i in accepted for i in repairs),
            first_attack=attacks[0] if attacks else None, first_repair=repairs[0] if repairs else None))
    escalated = speakers[hostile[0]] if hostile else None
    after = [i for i, label in enumerate(labels) if label == RECONCILIATION and hostile and i > hostile[0]]
    repaired = speakers[after[0]] if after else None
    return tuple(out), escalated, repaired


def _accepted_repairs(labels: Sequence[str], speakers: Sequence[str], answers: Sequence[int | None]) -> set[int]:
    """Repairs answered by a repair from someone else (the reply linked to it, else the next other voice)."""
    accepted = set()
    repairs = [i for i, label in enumerate(labels) if label == RECONCILIATION]
    replies = _replies(answers, set(repairs))
    for i in repairs:
        linked = [j for j in replies.get(i, []) if speakers[j] != speakers[i]]
        nxt = linked[:1] or [j for j in range(i + 1, min(i + 8, len(labels))) if speakers[j] != speakers[i]][:1]
        if nxt and labels[nxt[0]] == RECONCILIATION:
            accepted.add(i)
    return accepted
