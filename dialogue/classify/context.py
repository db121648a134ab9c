"""What a rule may know about a turn: the turn answered, the conflict so far, and who is addressed.

This module owns the conversation state that makes a move context-dependent (a decaying conflict level, the
parties to the conflict, the turn each turn answers) and the clause-level tests every label module shares:
is a phrase negated, reported or quoted, aimed at the speaker or at someone absent.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import TypeVar

from ..analysis import (
    ACCUSATION,
    DEFLECTION,
    INSULT,
    NEUTRAL,
    RECONCILIATION,
    Cue,
    Move,
)
from .. import labels
from ..model import Turn
from .vocab import Vocabulary, declare
from .patterns import word_alternation

#: How much of the conflict level survives each turn, and what each label adds to it. A conflict counts
#: as "before" a move while the level is at least IN_CONFLICT: about ten quiet turns after one insult.
DECAY = 0.88
IN_CONFLICT = 0.3
#: A repair keeps this share of the conflict level: an apology is answered, accepted, returned; the repair
#: phase is part of the conflict until it has run its course.
REPAIR_KEEPS = 0.85
#: A joke that breaks the tension cools the fight faster than a quiet turn, slower than an apology.
HUMOUR_KEEPS = 0.7
CHARGES = frozenset({INSULT, ACCUSATION})
#: How far back (characters) the clause tests look for the start of a clause or sentence: a bound, so a
#: pathological 50,000-character turn costs linear time.
LOOKBACK = 300
F = TypeVar("F", bound=Callable[..., None])

declare(blocks={
    # second person, spoken, written online and archaic
    "you": r"(?:{you_group}|you|u|ya|yah|ye|yu|thou|thee|y'all|yall)",
    "you_are": r"(?:(?:{you_group}|you|u|ya|ye|yall|y'all)\s*(?:'re|re|'r|\s+are|\s+r|\s+were|\s+was|\s+be"
               r"|'ve\s+been|\s+have\s+been|'re\s+being|\s+are\s+being)|ur|youre|thou\s+art|art\s+thou"
               r"|are\s+(?:you|u|ya)|thou\s+wert|you\s+(?:sound|look|act|seem)(?:\s+like)?"
               r"|(?:you|u)\s+(?:must|gotta|got\s+to|have\s+to|'d\s+have\s+to|would\s+have\s+to)\s+be"
               # "you sir are", "you really are", "you two are"
               r"|(?:you|u)\s+(?:sir|madam|guys|people|two|lot|all|both|really|truly|honestly|clearly|obviously"
               r"|literally|seriously|actually|definitely|certainly)\s+(?:are|r|is)"
               # online misspelling: "your an idiot", "your so dumb"
               r"|your(?=\s+(?:a|an|such|so|just|really|being|the\s+(?:biggest|worst|dumbest|stupidest))\b))",
    "your": r"(?:your|ur|yer|yo|thy|thine)",
    # words that end a noun phrase: a pronoun, preposition, conjunction or verb in between means the
    # second-person frame and the name-calling word belong to different phrases ("you met an idiot")
    "stop": r"(?:that|this|those|these|his|her|their|them|him|me|my|our|us|it|its|with|to|for|at|about"
            r"|from|by|than|and|or|if|when|who|which|because|going|gonna|know|see|mean|think|said|say|get"
            r"|got|have|had|need|want|can|could|should|would|will|met|saw|hear|heard|call|called|into"
            r"|on|in|of|dating|married|friends|talking|hanging|working|with|not|no|never|he|she|they|i|we"
            r"|is|was|were|are|am|be|do|does|did|says|told|tell|let|make|made|love|feel)\b",
    # up to three words between "you're" and the word it attaches to ("a lying, cheating")
    "gap": r"(?:(?!{stop})[\w'-]+,?\s+){0,3}?",
    # up to two adjective-like words between "you" and a vocative ("you stupid little")
    "gap_voc": r"(?:(?!{stop}|(?:a|an|the)\b)[\w'-]+,?\s+){0,2}?",
})

_SECOND_WORDS = ("you", "your", "yours", "yourself", "yourselves", "u", "ur", "ya", "ye", "thou", "thee", "thy",
                 "thine", "y'all", "yall")
_SECOND = re.compile(rf"(?<![\w'])(?:{'|'.join(_SECOND_WORDS)})(?![\w])", re.IGNORECASE)
#: Words that make a question a charge: fault, blame, lying, failing, damage, a culprit sought ("who took"),
#: a reproachful why ("why didn't ...").
_POINTED_PHRASES = (
    r"admit", r"regret", r"resign", r"step\s+down", r"apologi[sz]e", r"responsib\w*", r"blam\w+", r"fault",
    r"mislead", r"misled", r"lie", r"lied", r"lying", r"wrong", r"justif\w*", r"fail\w*", r"mistake\w*", r"broke",
    r"broken", r"break", r"promised?", r"deny", r"denies", r"knew", r"cover(?:ed|ing)?\s+up", r"accept\s+that",
    r"let\s+(?:\w+\s+){0,2}down", r"excuse", r"dent\w*", r"damage\w*", r"scratch\w*", r"mess", r"missing",
    r"disappeared", r"wasted?",
    r"who\s+(?:had|took|broke|left|ate|used|did\s+this|moved|lost|finished|drank|touched|was\s+responsible)",
    r"why\s+(?:did|didn't|haven't|hasn't|wasn't|weren't|won't|wouldn't|can't|couldn't|would|on\s+earth)",
)
_POINTED = word_alternation(_POINTED_PHRASES)  # matched against the lowered text (IGNORECASE is slower)
#: Cues of conflict signals that label nothing but make the reply answer a charge (conflict.py: STIRRING;
#: spelled out here because conflict.py imports this module).
_STIRRING = frozenset({"conflict.disagreement", "conflict.incredulous-echo"})
#: Deflections that turn a charge back on the accuser: a protest against them defends, it does not press.
_COUNTER_RULES = frozenset({"deflection.counter-accusation", "deflection.whatabout", "echo.echo", "echo.mirror"})
_SENTENCE_END = re.compile(r"[.!?\n]")
#: A clause ends at a sentence mark, at "but", and at ", and" / ", so": a new clause ("for three weeks they
#: didn't get it, and I apologise for that": the apology is not negated).
_CLAUSE_END = re.compile(r"[.!?;:\n]|\bbut\b|,\s*(?:and|so)\b", re.IGNORECASE)
#: The same, for lowered ASCII text (`TurnContext.subject`): case-sensitive matching is about twice as fast.
_SECOND_LOWER = word_alternation(_SECOND_WORDS, r"[\w']", r"(?![\w])")
_CLAUSE_END_LOWER = re.compile(_CLAUSE_END.pattern)


class TurnContext:
    """The state one rule sees for one turn. Built by `classify`; rules read it and return cues."""

    __slots__ = (
        "_pointed",
        "_quotes",
        "_second",
        "answered",
        "answered_move",
        "categories",
        "charged",
        "conflict",
        "cues",
        "found",
        "frames",
        "in_conflict",
        "lowered",
        "moves",
        "parties",
        "questioned",
        "stir",
        "subject",
        "text",
        "turn",
        "turns",
        "vocab",
    )

    def __init__(self, turn: Turn, text: str, vocab: Vocabulary, answered: Turn | None,
                 answered_move: Move | None, conflict: float, parties: set[str] | frozenset[str],
                 moves: list[Move], turns: tuple[Turn, ...] = ()) -> None:
        self.turn = turn
        self.text = text
        self.vocab = vocab
        # what the frames and clause tests search: ASCII text lowered, with patterns compiled for it (same
        # spans; notes quote `text`, never the lowered copy); other text as it is, with IGNORECASE
        self.lowered = text.isascii()
        if self.lowered:
            self.subject, self.frames, self.categories = text.lower(), vocab.frame_lower, vocab.category_lower
        else:
            self.subject, self.frames, self.categories = text, vocab.frame, vocab.category
        self.answered = answered
        self.answered_move = answered_move
        self.conflict = conflict
        self.parties = parties
        self.moves = moves
        self.turns = turns
        self.stir = 0.0  # how much this turn raises the conflict besides its label (see conflict.py)
        # the context tests every rule asks, computed once per turn (they were properties, asked ~20 times)
        self.in_conflict = conflict >= IN_CONFLICT
        self.charged = self._charged()
        self.questioned = answered is not None and "?" in answered.text
        self._pointed: bool | None = None
        # with nothing before the turn that a deflection or repair could answer, only the categories that
        # count in any context are searched for (most turns of a long text are calm)
        engaged = self.in_conflict or self.charged or self.pointed_question or (
            self.answered_move is not None and self.answered_move.label == RECONCILIATION)
        # an apology that names one's own hostility ("sorry for snapping") repairs a conflict nothing else
        # showed, so a turn with an apology word is searched for everything (a substring test is cheap)
        if not engaged:
            said = self.subject if self.lowered else text.lower()
            engaged = "sorry" in said or "apolog" in said
        index = vocab.full if engaged else vocab.asked if self.questioned else vocab.calm
        self.found = index.scan(text, self.subject if self.lowered else None)
        self.cues: list[Cue] = []
        self._second: bool | None = None
        self._quotes: list[int] | None = None

    # -- the conversation around the turn ------------------------------------------------------------
    @property
    def answered_label(self) -> str:
        return self.answered_move.label if self.answered_move else NEUTRAL

    # `in_conflict`: a conflict is going on (a repair or an echo of affection means something here);
    # `charged`: see `_charged`; `questioned`: the turn answered asks this speaker something;
    # `pointed_question`: it asks a question that carries blame ("who had the car last? there's a dent",
    # "why did the council let it get this bad?"): a charge put as a question, so a denial, an excuse or
    # an apology may answer it. The first three are attributes set once in __init__; `pointed_question` is
    # worked out when first asked (most turns that need it are already charged or in a conflict).

    def _charged(self) -> bool:
        """The turn answered is a charge by another speaker: an insult or an accusation, or, while the
        argument goes on, anything the other party to it says (its deflections, its pressing)."""
        move = self.answered_move  # the attribute, not the `answered_label` property: this runs for every turn
        label = move.label if move is not None else NEUTRAL
        if label in CHARGES:
            return True
        # most moves have no cues: test that before building a generator over them
        if move is not None and move.cues and any(c.rule in _STIRRING for c in move.cues):
            return True
        return self.in_conflict and self.answered is not None and (
            label == DEFLECTION or self.answered.speaker in self.parties)

    @property
    def strictly_charged(self) -> bool:
        """The turn answered is itself an insult or an accusation aimed at this speaker (it answers them, or
        opens the exchange)."""
        move = self.answered_move
        if move is None or move.label not in CHARGES:
            return False
        return move.responds_to is None or self.turns[move.responds_to].speaker == self.turn.speaker

    @property
    def could_answer(self) -> bool:
        """Is there anything before this turn that it could deflect or repair?"""
        return (self.in_conflict or self.questioned or self.charged
                or (self.answered_move is not None and self.answered_move.label == RECONCILIATION))

    @property
    def third_party(self) -> bool:
        """The speaker stands outside a conflict between two others that is going on."""
        return (self.in_conflict and len(self.parties) >= 2 and self.turn.speaker not in self.parties
                and not self.strictly_charged)

    @property
    def pointed_question(self) -> bool:
        """See above; asked only when nothing else opens the gates (a search of the whole turn answered)."""
        if self._pointed is None:
            self._pointed = self.questioned and _POINTED.search(self.answered.text.lower()) is not None  # type: ignore[union-attr]
        return self._pointed

    @property
    def second_person(self) -> bool:
        if self._second is None:
            self._second = (_SECOND_LOWER if self.lowered else _SECOND).search(self.subject) is not None
        return self._second

    def presses_own_charge(self) -> bool:
        """The turn answers the other side's deflection of this speaker's own charge or pointed question
        (A blames, B denies or excuses, A again): A's protest presses the charge ("that doesn't explain three
        weeks of silence", "that's not fair on your sister"). Not when the deflection turned a charge on A
        (a counter-accusation, "what about you"): a protest then defends A."""
        move = self.answered_move
        if move is None or move.label != DEFLECTION or move.responds_to is None:
            return False
        pressed = self.turns[move.responds_to]
        if pressed.speaker != self.turn.speaker:
            return False
        # the deflected turn was a charge or a question: a contradiction that answers a deflection of a
        # plain statement is a dispute, not a charge renewed
        if self.moves[move.responds_to].label not in CHARGES and "?" not in pressed.text:
            return False
        return not any(c.rule in _COUNTER_RULES and c.label == DEFLECTION for c in move.cues)

    def repairing_lately(self, back: int = 3) -> bool:
        """One of the last `back` moves was a repair: a round of apologies is going on ("sorry fern" / "np,
        i came in kinda hot too" / "my bad as well"), and a repair word in it repairs too, even when the
        conflict level has already fallen and the turn answered was not itself recognised as a repair."""
        return any(m.label == RECONCILIATION for m in self.moves[-back:])

    def has(self, category: str, other: str = "") -> bool:
        """Does this lexicon category (or the other one) match somewhere in this turn?"""
        return category in self.found or (other != "" and other in self.found)

    def hits(self, category: str) -> list[re.Match[str]]:
        """The matches of a lexicon category in this turn, in order."""
        return self.found.get(category, [])

    def labels_so_far(self) -> set[str]:
        return {cue.label for cue in self.cues}

    def labelled(self) -> bool:
        """Has a rule already found a label for this turn (a cue above weight 0 that is not neutral)? The
        rules that read what is left over run only when none has."""
        return any(c.label != NEUTRAL and c.weight > 0 for c in self.cues)

    def whole_turn(self) -> tuple[int, int]:
        """The span of the turn without its surrounding white space: the evidence of a rule about all of it."""
        text = self.text.strip()
        start = self.text.find(text)
        return start, start + len(text)

    # -- clause tests ---------------------------------------------------------------------------------
    def clause_start(self, at: int) -> int:
        """Where the clause holding offset `at` starts (after the last sentence mark or 'but')."""
        start = max(0, at - LOOKBACK)
        for found in (_CLAUSE_END_LOWER if self.lowered else _CLAUSE_END).finditer(self.subject, start, at):
            start = found.end()
        return start

    def negated(self, start: int) -> bool:
        """A negator earlier in the clause ("you're not stupid", "nobody thinks you're a fool")."""
        for found in self.categories["negator"].finditer(self.subject, self.clause_start(start), start):
            if not re.match(r"\s+be\b", self.text[found.end():found.end() + 4], re.IGNORECASE):
                return True
        return False

    def reported(self, start: int) -> bool:
        """Reported or quoted: a reporting verb earlier in the sentence, or inside quotation marks."""
        if self._quotes is None:
            self._quotes = [i for i, char in enumerate(self.text) if char == '"'] if '"' in self.text else []
        if bisect.bisect_left(self._quotes, start) % 2 == 1:
            return True
        sentence = self.sentence_start(start)
        return self.categories["reporting"].search(self.subject, sentence, start) is not None

    def aimed_elsewhere(self, start: int, end: int) -> bool:
        """A put-down without a second-person word aimed at the speaker or someone or something absent:
        a first- or third-person subject before it in the clause, or right after it ("what a fool I am")."""
        clause = self.clause_start(start)
        if (_SECOND_LOWER if self.lowered else _SECOND).search(self.subject, clause, start):
            return False
        if self.categories["self"].search(self.subject, clause, start):
            return True
        if self.categories["third"].search(self.subject, clause, start):
            return True
        after = self.text[end:end + 24]
        return re.match(r"[\s,]*(?:(?:i|he|she|they|we|it|that|this)\b|my\b)", after, re.IGNORECASE) is not None

    def targets_hearer(self, start: int, end: int, explicit: bool = False) -> bool:
        """The phrase at start..end attacks the hearer: not negated, reported or quoted, and (unless the
        frame names the hearer explicitly) not aimed at the speaker or someone absent."""
        if self.negated(start) or self.reported(start):
            return False
        return explicit or not self.aimed_elsewhere(start, end)

    def sentence_start(self, at: int) -> int:
        """Where the sentence holding offset `at` starts."""
        start = max(0, at - LOOKBACK)
        for found in _SENTENCE_END.finditer(self.text, start, at):
            start = found.end()
        return start

    # -- evidence -------------------------------------------------------------------------------------
    def quote(self, found: re.Match[str], group: int | str = 0) -> str:
        """The words a match on `subject` (perhaps lowered) covers, as the turn writes them."""
        return self.text[found.start(group):found.end(group)]

    def cue(self, rule: str, span: tuple[int, int], label: str, weight: float, note: str) -> Cue:
        found = Cue(rule=rule, span=span, label=label, weight=round(min(max(weight, 0.0), 1.0), 3), note=note)
        self.cues.append(found)
        return found


def needs(*categories: str) -> Callable[[F], F]:
    """Mark a rule as useful only when one of these lexicon categories matched the turn; `classify` skips
    it otherwise (most turns match no category, so most rules never run on them). With `when` too, the rule
    runs when either holds."""
    def mark(fn: F) -> F:
        fn.needs = frozenset(categories)  # type: ignore[attr-defined]
        return fn
    return mark


def answering(*labels: str) -> Callable[[F], F]:
    """Mark a rule as useful only when the turn answered was labelled one of these (a rule that only ever
    answers an insult, say); `classify` skips it otherwise. With `needs` or `when` too, the rule runs when
    any of them holds."""
    def mark(fn: F) -> F:
        fn.answering = frozenset(labels)  # type: ignore[attr-defined]
        return fn
    return mark


#: The TurnContext attributes a rule may be gated on with `when`: plain booleans set once per turn.
FLAGS = ("charged", "in_conflict", "pointed_question", "questioned")


def when(*flags: str) -> Callable[[F], F]:
    """Mark a rule as useful only when one of these context flags (see FLAGS) is true for the turn, e.g. a
    rule that only ever answers a charge; `classify` skips it otherwise. With `needs` too, the rule runs when
    either holds. A rule marked with neither runs on every turn."""
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown context flag(s) {sorted(unknown)}: choose from {', '.join(FLAGS)}")

    def mark(fn: F) -> F:
        fn.when = tuple(sorted(flags))  # type: ignore[attr-defined]
        return fn
    return mark


#: A repair that answers a repair (an apology accepted, returned) keeps only this share: the fight is over.
MUTUAL_REPAIR_KEEPS = 0.5


def conflict_after(level: float, label: str, answered_label: str = NEUTRAL) -> float:
    """The conflict level after a move with `label` that answers a move with `answered_label`."""
    record = labels.get(label)   # its part (repair, relief ...) and conflict weight, from the registry
    if record.role == labels.REPAIR:
        return level * (MUTUAL_REPAIR_KEEPS if labels.get(answered_label).role == labels.REPAIR else REPAIR_KEEPS)
    if record.role == labels.RELIEF:
        return level * HUMOUR_KEEPS
    return min(level * DECAY + record.conflict, 3.0)
