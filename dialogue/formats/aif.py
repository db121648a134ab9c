"""An analysis as an AIF nodeset (the AIFdb JSON that OVA and argument-mining tools read), and back.

This module owns the mapping from our moves to Inference Anchoring Theory (IAT) structure; `to_aif` gives
plain data, `write_aif` writes it atomically, `from_aif` reads a nodeset back into a `Transcript`.

The nodeset has four lists, as AIFdb writes them (all ids are strings of integers, in creation order):
`nodes` (`nodeID`, `text`, `type`, `timestamp`, and `scheme` on YA, TA, CA, MA and RA nodes), `edges`
(`edgeID`, `fromID`, `toID`, `formEdgeID`), `locutions` (`nodeID`, `personID`, `timestamp`, `start`, `end`,
`source`) and `participants` (`participantID`, `firstname`, `surname`).

Per turn: an L node `"SPEAKER : text"`, an I node holding what the turn asserts (its text), and a YA node
L -> YA -> I whose illocution comes from the move's label (a turn ending in `?` takes the question form):

    label           statement        question                relation to the turn it answers
    neutral         Asserting        Pure Questioning        none
    insult          Asserting        Rhetorical Questioning  conflict
    accusation      Challenging      Challenging             conflict
    deflection      Asserting        Rhetorical Questioning  conflict
    reconciliation  Asserting        Pure Questioning        agreement
    (other labels)  Default Illocuting                       none

Between consecutive locutions a TA node (`Default Transition`) links L(previous) -> TA -> L(next). A move
answering an earlier, non-adjacent turn (`Move.responds_to`) gets its own TA from that turn's L node. The
relations are anchored on that TA, as OVA does:

- conflict: I(this) -> CA `Default Conflict` -> I(answered), with TA -> YA `Disagreeing` -> CA;
- agreement: TA -> YA `Agreeing` -> I(answered) (a concession or an accepted repair);
- restating (the turn echoes most of the words of one of the three turns before it, the latest such):
  I(this) -> MA `Default Rephrase` -> I(echoed), with TA -> YA `Restating` -> MA;
- arguing (the turn opens with "because", "since", "'cause"): I(this) -> RA `Default Inference` ->
  I(supported), with TA -> YA `Arguing` -> RA; the supported turn is the previous one when it is a question
  or by the same speaker, else the speaker's own latest claim.

Shared flows (a voice picking up another's rhyme or metre) are no argumentative relation and IAT has no
scheme for them, so they travel beside the four lists, only when there are any: `flows`, each
`{"fromID": L node, "toID": L node, "kind": "rhyme"|"metre", "words": [...]}`; tools that know only the
four lists ignore it.

The turn a move answers is `Move.responds_to` when the classifier set it, else the latest earlier turn by
another speaker. Timestamps are AIFdb's `YYYY-MM-DD HH:MM:SS`: a turn's own timestamp when it is a
date-time (ISO, or a chat export's `12/03/2024, 19:02`, day first) or a time of day (or a subtitle offset),
otherwise a synthetic one, one second per turn from `BASE_TIME`, which keeps the locutions in order and the
output reproducible.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from typing import Any

from ..analysis import Analysis, Move
from ..errors import TranscriptError
from ..model import Transcript, Turn
from ..textio import write_atomic
from .jsontext import dumps

#: The synthetic clock for turns without a usable timestamp (AIFdb requires one on every node).
BASE_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

#: label -> (illocution of a statement, illocution of a question, relation to the answered turn)
ILLOCUTIONS: dict[str, tuple[str, str, str | None]] = {
    "neutral": ("Asserting", "Pure Questioning", None),
    "insult": ("Asserting", "Rhetorical Questioning", "conflict"),
    "accusation": ("Challenging", "Challenging", "conflict"),
    "deflection": ("Asserting", "Rhetorical Questioning", "conflict"),
    "reconciliation": ("Asserting", "Pure Questioning", "agreement"),
}
DEFAULT_ILLOCUTION = "Default Illocuting"

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_REASON = re.compile(r"^\W*(because|since|'?cause|cos)\b", re.IGNORECASE)
#: Chat-export dates (WhatsApp's and the like), day first as most locales write them, then the US form.
_DATE_FORMATS = ("%d/%m/%Y, %H:%M", "%d/%m/%Y, %H:%M:%S", "%d/%m/%y, %H:%M", "%d/%m/%y, %H:%M:%S",
                 "%d.%m.%y, %H:%M", "%d.%m.%Y, %H:%M", "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p",
                 "%Y-%m-%d %H:%M")
_CLOCK = re.compile(r"^\[?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\]?$")
#: Share of the shorter turn's distinct words two turns must share for the later to restate the earlier.
ECHO_SHARE = 0.6
ECHO_MIN_WORDS = 3
#: How many turns back an echo may reach.
ECHO_WINDOW = 3


class _Nodeset:
    """Accumulates nodes and edges with fresh string ids."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self._next = 1

    def node(self, type_: str, text: str, timestamp: str, scheme: str | None = None) -> str:
        node_id = str(self._next)
        self._next += 1
        node: dict[str, Any] = {"nodeID": node_id, "text": text, "type": type_, "timestamp": timestamp}
        if scheme is not None:
            node["scheme"] = scheme
        self.nodes.append(node)
        return node_id

    def edge(self, from_id: str, to_id: str) -> None:
        self.edges.append({"edgeID": str(len(self.edges) + 1), "fromID": from_id, "toID": to_id,
                           "formEdgeID": None})

    def scheme(self, type_: str, name: str, timestamp: str) -> str:
        return self.node(type_, name, timestamp, scheme=name)


def _timestamp(turn: Turn) -> str:
    """AIFdb's timestamp for a turn: its own when it reads as a date-time or clock time, else synthetic."""
    raw = (turn.timestamp or "").strip()
    if raw:
        try:
            return dt.datetime.fromisoformat(raw.replace("T", " ").rstrip("Z")).strftime(TIME_FORMAT)
        except ValueError:
            pass
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(raw.strip("[]"), fmt).strftime(TIME_FORMAT)
            except ValueError:
                continue
        clock = _CLOCK.match(raw)
        if clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60 and int(clock.group(3) or 0) < 60:
            return BASE_TIME.replace(hour=int(clock.group(1)), minute=int(clock.group(2)),
                                     second=int(clock.group(3) or 0)).strftime(TIME_FORMAT)
    return (BASE_TIME + dt.timedelta(seconds=turn.index)).strftime(TIME_FORMAT)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def restates(text: str, earlier: str) -> bool:
    """Whether `text` echoes `earlier`: most of the shorter one's words recur in the other."""
    a, b = _words(text), _words(earlier)
    shared = len(a & b)
    return shared >= min(ECHO_MIN_WORDS, len(a), len(b)) > 0 and shared >= ECHO_SHARE * min(len(a), len(b))


def restated_turn(transcript: Transcript, turn: Turn) -> int | None:
    """The latest of the few turns before `turn` that it echoes, if any."""
    for earlier in reversed(transcript.turns[max(0, turn.index - ECHO_WINDOW):turn.index]):
        if restates(turn.text, earlier.text):
            return earlier.index
    return None


class _Context:
    """Who spoke before each turn, computed in one pass (a scan back per turn is quadratic in a monologue)."""

    def __init__(self, transcript: Transcript) -> None:
        self.turns = transcript.turns
        #: the latest earlier turn by a speaker other than turn i's
        self.other: list[int | None] = []
        #: the latest earlier turn by turn i's own speaker
        self.own: list[int | None] = []
        last: dict[str, int] = {}
        for turn in self.turns:
            previous = turn.index - 1
            if previous < 0:
                self.other.append(None)
            elif self.turns[previous].speaker != turn.speaker:
                self.other.append(previous)
            else:
                self.other.append(self.other[previous])
            self.own.append(last.get(turn.speaker))
            last[turn.speaker] = turn.index

    def answered(self, move: Move) -> int | None:
        """The turn a move answers: the classifier's `responds_to`, else the latest earlier turn by another
        speaker."""
        if move.responds_to is not None and 0 <= move.responds_to < move.index:
            return move.responds_to
        return self.other[move.index]

    def supported(self, turn: Turn) -> int | None:
        """What a "because ..." turn argues for: the question just asked, else the speaker's own last claim."""
        if turn.index == 0:
            return None
        previous = self.turns[turn.index - 1]
        if previous.text.rstrip().endswith("?"):
            return previous.index
        own = self.own[turn.index]
        return own if own is not None else previous.index


def illocution(label: str, text: str) -> str:
    """The YA illocution joining a turn's L node to its I node."""
    forms = ILLOCUTIONS.get(label)
    if forms is None:
        return DEFAULT_ILLOCUTION
    return forms[1] if text.rstrip().endswith("?") else forms[0]


def _split_name(name: str) -> tuple[str, str]:
    # A joint voice ("A & B") stays whole so that reading it back gives the same speaker.
    if " & " in name or " " not in name.strip():
        return name, ""
    first, _, rest = name.partition(" ")
    return first, rest


class _Builder(_Nodeset):
    """The nodeset of one analysis: per-turn L, I and YA nodes first, then transitions and relations."""

    def __init__(self, analysis: Analysis) -> None:
        super().__init__()
        self.analysis = analysis
        t = analysis.transcript
        self.participants = {name: str(i + 1) for i, name in enumerate(t.speaker_names)}
        self.stamps = [_timestamp(turn) for turn in t.turns]
        self.transitions: dict[tuple[int, int], str] = {}
        self.l_ids: list[str] = []
        self.i_ids: list[str] = []
        self.locutions: list[dict[str, Any]] = []
        for turn, move in zip(t.turns, analysis.moves):
            when = self.stamps[turn.index]
            self.l_ids.append(self.node("L", f"{turn.speaker} : {turn.text}", when))
            self.i_ids.append(self.node("I", turn.text, when))
            self.edge(self.l_ids[-1], ya := self.scheme("YA", illocution(move.label, turn.text), when))
            self.edge(ya, self.i_ids[-1])
            self.locutions.append({"nodeID": self.l_ids[-1], "personID": self.participants[turn.speaker],
                                   "timestamp": when, "start": turn.timestamp, "end": turn.end,
                                   "source": t.source})
        for index in range(1, len(t.turns)):
            self.transition(index - 1, index)

    def transition(self, before: int, after: int) -> str:
        """The TA node L(before) -> TA -> L(after), made on first use."""
        if (before, after) not in self.transitions:
            ta = self.scheme("TA", "Default Transition", self.stamps[after])
            self.edge(self.l_ids[before], ta)
            self.edge(ta, self.l_ids[after])
            self.transitions[before, after] = ta
        return self.transitions[before, after]

    def anchored(self, type_: str, scheme: str, force: str, source: int, target: int) -> None:
        """I(source) -> S node -> I(target), anchored by a YA on the transition target -> source."""
        s_node = self.scheme(type_, scheme, self.stamps[source])
        self.edge(self.i_ids[source], s_node)
        self.edge(s_node, self.i_ids[target])
        ya = self.scheme("YA", force, self.stamps[source])
        self.edge(self.transition(target, source), ya)
        self.edge(ya, s_node)

    def agreeing(self, source: int, target: int) -> None:
        """TA(target -> source) -> YA Agreeing -> I(target)."""
        ya = self.scheme("YA", "Agreeing", self.stamps[source])
        self.edge(self.transition(target, source), ya)
        self.edge(ya, self.i_ids[target])

    def relations(self) -> None:
        t = self.analysis.transcript
        context = _Context(t)
        for turn, move in zip(t.turns, self.analysis.moves):
            target = context.answered(move)
            relation = ILLOCUTIONS.get(move.label, ("", "", None))[2]
            if target is not None and relation == "conflict":
                self.anchored("CA", "Default Conflict", "Disagreeing", turn.index, target)
            elif target is not None and relation == "agreement":
                self.agreeing(turn.index, target)
            restated = restated_turn(t, turn)
            if restated is not None:
                self.anchored("MA", "Default Rephrase", "Restating", turn.index, restated)
            supported = context.supported(turn) if _REASON.match(turn.text) else None
            if supported is not None:
                self.anchored("RA", "Default Inference", "Arguing", turn.index, supported)

    def nodeset(self) -> dict[str, Any]:
        people = [{"participantID": pid, "firstname": _split_name(name)[0], "surname": _split_name(name)[1]}
                  for name, pid in self.participants.items()]
        doc = {"nodes": self.nodes, "edges": self.edges, "locutions": self.locutions, "participants": people}
        if self.analysis.flows:  # IAT has no scheme for a shared rhyme: an extension list, only when there is one
            doc["flows"] = [{"fromID": self.l_ids[f.turns[0]], "toID": self.l_ids[f.turns[1]], "kind": f.kind,
                             "words": list(f.words)} for f in self.analysis.flows]
        return doc


def to_aif(analysis: Analysis) -> dict[str, Any]:
    """The AIF nodeset of `analysis` (see the module docstring for the mapping)."""
    builder = _Builder(analysis)
    builder.relations()
    return builder.nodeset()


def write_aif(analysis: Analysis, path: str | os.PathLike[str]) -> None:
    """Write the AIF nodeset of `analysis` to `path`, whole or not at all."""
    write_atomic(path, dumps(to_aif(analysis)))


# -- reading back ------------------------------------------------------------------------------------------

def _locution_order(nodes: Mapping[str, Mapping[str, Any]], edges: list[Mapping[str, Any]],
                    l_ids: list[str]) -> list[str]:
    """L nodes in dialogue order: along the TA chain when it visits them all, else as listed."""
    following: dict[str, str] = {}
    into_ta: dict[str, str] = {}
    for e in edges:
        src, dst = str(e.get("fromID")), str(e.get("toID"))
        if nodes.get(src, {}).get("type") == "L" and nodes.get(dst, {}).get("type") == "TA":
            into_ta.setdefault(dst, src)
    for e in edges:
        src, dst = str(e.get("fromID")), str(e.get("toID"))
        if src in into_ta and nodes.get(dst, {}).get("type") == "L" and into_ta[src] != dst:
            # Keep the adjacent step (the first TA we saw out of a node is the consecutive one).
            following.setdefault(into_ta[src], dst)
    targets = set(following.values())
    starts = [n for n in l_ids if n not in targets]
    if len(starts) == 1:
        order, seen = [starts[0]], {starts[0]}
        while order[-1] in following and following[order[-1]] not in seen:
            order.append(following[order[-1]])
            seen.add(order[-1])
        if len(order) == len(l_ids):
            return order
    return l_ids


def _records(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects of the list at `key`; anything else there is ignored, as AIFdb's readers do."""
    value = data.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _full_name(participant: Mapping[str, Any]) -> str:
    parts = (str(participant.get(key) or "").strip() for key in ("firstname", "surname"))
    return " ".join(part for part in parts if part)


def from_aif(nodeset: Mapping[str, Any], source: str | None = None) -> Transcript:
    """Read an AIF nodeset (ours or AIFdb's; a `{"AIF": {...}}` wrapper is accepted) into a `Transcript`.

    Speakers come from the locutions and participants; a locution without them falls back to the
    `"SPEAKER : text"` form of the L node. The text is the L node's text without that prefix. The source
    name is `source`, else the locutions' `source`, else `<aif>`.
    """
    data: Any = nodeset.get("AIF", nodeset) if isinstance(nodeset, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("nodes"), list):
        raise TranscriptError("not an AIF nodeset: no 'nodes' list", source=source or "<aif>")
    nodes = {str(n.get("nodeID")): n for n in data["nodes"] if isinstance(n, Mapping)}
    l_ids = [node_id for node_id, n in nodes.items() if n.get("type") == "L"]
    if not l_ids and nodes:
        raise TranscriptError("AIF nodeset has no L (locution) nodes", source=source or "<aif>")
    edges = _records(data, "edges")
    people = {str(p.get("participantID")): _full_name(p)
              for p in _records(data, "participants")}
    locutions = _records(data, "locutions")
    speaker_of = {str(loc.get("nodeID")): people.get(str(loc.get("personID")), "") for loc in locutions}
    if source is None:
        source = next((str(loc["source"]) for loc in locutions if loc.get("source")), "<aif>")
    pairs = []
    for node_id in _locution_order(nodes, edges, l_ids):
        text = str(nodes[node_id].get("text") or "")
        speaker = speaker_of.get(node_id, "")
        prefix, sep, rest = text.partition(" : ")
        if sep and (not speaker or prefix.strip() == speaker):
            speaker, text = speaker or prefix.strip(), rest
        pairs.append((speaker or "UNKNOWN", text))
    return Transcript.from_pairs(pairs, source=source)
