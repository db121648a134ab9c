"""Deflection rules: not engaging the charge just made.

Every rule here needs a charge before the turn, by another speaker: an insult or accusation (or, while the
argument goes on, a deflection of one). Refusals, evasion and stonewalling may also dodge a pointed question.
Without that, the same words are neutral ("anyway", "what about you?", "I don't care which one").
"""

from __future__ import annotations

import re

from ..analysis import ACCUSATION, DEFLECTION, NEUTRAL, RECONCILIATION
from .context import TurnContext, answering, needs, when

#: Spoken fillers before a reply's first word ("uh, yeah", "um, no"): transcripts keep them.
_FILLERS = r"(?:(?:uh|um|umm|uhm|er|erm|ah|oh|well|so|like|i mean|you know|hmm|mm)\W+)*"
_BARE_NO = re.compile(r"^\W*" + _FILLERS + r"(?P<hit>no+|nope|nah|nuh-uh|not true|wrong|false|did not|didn't)\b"
                      r"(?!\s+(?:problem|worries|way|doubt|question|offen[cs]e|harm))", re.IGNORECASE)
_ANSWER_START = re.compile(r"^\W*" + _FILLERS
                           + r"(?:yes|yeah|yep|yup|sure|of course|absolutely|correct|right|ok|okay|well)\b", re.IGNORECASE)
_STATEMENT_END = re.compile(r"[.!](?:\s|$)")


#: Shrugging an attack off ("i'm 19 but go off", "15 years in kitchens but ok") says there was one: in a reply
#: to another speaker these deflect even when the attack they answer was not recognised (lexicon category
#: `disagreement`, which every turn is scanned for).
_SHRUG = re.compile(r"but\s+(?:go\s+off|ok|okay|sure)", re.IGNORECASE)
#: Said by the accuser to the other side's deflection these press the charge (accusation.pressing).
_PRESSED = frozenset({"denial", "blame_shift"})
#: From someone outside the fight these steer it away from the fight: a repair, not a dodge.
_STEERING = frozenset({"subject_change", "minimise"})
#: Minimising words that are exasperation, not steering: from a third party they join the fight.
_EXASPERATED = re.compile(r"here we go", re.IGNORECASE)


def _charge_gate(ctx: TurnContext) -> bool:
    return ctx.charged or (ctx.questioned and ctx.in_conflict) or ctx.pointed_question


def _question_gate(ctx: TurnContext) -> bool:
    return ctx.charged or ctx.questioned or ctx.in_conflict


def _lexical(ctx: TurnContext, rule: str, category: str, gate: bool, what: str, factor: float = 1.0) -> None:
    if not ctx.has(category):
        return
    for found in ctx.hits(category):
        start, end = found.span()
        weight = ctx.vocab.weight(category, found.group()) * factor
        if ctx.reported(start) or ctx.negated(start):
            ctx.cue(rule, (start, end), NEUTRAL, 0.0, f"{what} negated or reported")
        elif category in _PRESSED and ctx.presses_own_charge():
            ctx.cue(rule, (start, end), NEUTRAL, 0.0, f"'{found.group()}' presses the speaker's own charge")
        elif category == "subject_change" and "?" in ctx.text[end:]:
            # "Let's talk about cost. What is the figure now?": who steers to a new question is asking, not
            # dodging one
            ctx.cue(rule, (start, end), NEUTRAL, 0.0, f"'{found.group()}' leads to a question of the speaker's own")
        elif category == "minimise" and ctx.answered_label == RECONCILIATION:
            ctx.cue(rule, (start, end), RECONCILIATION, weight * 0.8,
                    f"plays down what was just repaired: reassurance, '{found.group()}'")
        elif gate and ctx.third_party and category in _STEERING and not _EXASPERATED.match(found.group()):
            ctx.cue(rule, (start, end), RECONCILIATION, weight,
                    f"someone outside the fight steers it elsewhere: '{found.group()}'")
        elif gate:
            ctx.cue(rule, (start, end), DEFLECTION, weight, f"{what}: '{found.group()}'")
        else:
            ctx.cue(rule, (start, end), NEUTRAL, 0.0, f"'{found.group()}' with no charge to deflect")


@needs("non_apology")
def non_apology(ctx: TurnContext) -> None:
    """An apology that blames the hearer ("sorry you feel that way"): deflection in a conflict."""
    _lexical(ctx, "deflection.non-apology", "non_apology", _question_gate(ctx), "non-apology")


@needs("denial")
@when("charged")
def denial(ctx: TurnContext) -> None:
    """Denying the charge: "I didn't", "that's not true", a bare "No!"."""
    if "denial" in ctx.found:  # most turns have no denial words: skip the call
        _lexical(ctx, "deflection.denial", "denial", _charge_gate(ctx), "denial")
    if ctx.charged and ctx.strictly_charged:  # cheap tests first: the regex runs on the few turns answering a charge
        found = _BARE_NO.search(ctx.text)
        if found:
            ctx.cue("deflection.denial", found.span("hit"), DEFLECTION, 0.6, "answers the charge with a flat no")


@needs("disagreement")
def shrug(ctx: TurnContext) -> None:
    """Shrugging an attack off ("lived there three years but go off", "15 years in kitchens but ok") says there
    was one, even when it was not recognised: a deflection in any reply. A calm turn is scanned for
    `disagreement`, where these entries live."""
    if ctx.answered is None:
        return
    for found in ctx.hits("disagreement"):
        if _SHRUG.fullmatch(found.group()):
            ctx.cue("deflection.shrug", found.span(), DEFLECTION, ctx.vocab.weight("disagreement", found.group()),
                    f"shrugs off an attack: '{found.group()}'")


@needs("blame_shift")
def blame_shift(ctx: TurnContext) -> None:
    """Putting the blame on the accuser or someone else: "you made me", "ask him"."""
    _lexical(ctx, "deflection.blame-shift", "blame_shift", _charge_gate(ctx), "blame-shifting")


@needs("whatabout")
def whatabout(ctx: TurnContext) -> None:
    """Counter-accusation, whataboutism, tu quoque: "what about you", "look who's talking"."""
    _lexical(ctx, "deflection.whatabout", "whatabout", _charge_gate(ctx) or ctx.in_conflict,
             "turns the charge around")


@needs("minimise")
def minimise(ctx: TurnContext) -> None:
    """Playing the charge down: "you're overreacting", "it was just a joke"."""
    _lexical(ctx, "deflection.minimise", "minimise", _charge_gate(ctx) or ctx.in_conflict, "minimising")


@when("charged")
def counter_accusation(ctx: TurnContext) -> None:
    """An accusation made in answer to a charge is a counter-accusation: the charge is not engaged."""
    if not (ctx.charged and ctx.strictly_charged):
        return
    accusations = [c for c in ctx.cues if c.label == ACCUSATION]
    if accusations:
        strongest = max(accusations, key=lambda c: c.weight)
        ctx.cue("deflection.counter-accusation", strongest.span, DEFLECTION, min(1.0, strongest.weight + 0.05),
                "answers a charge with a charge of its own")


@needs("refusal", "subject_change")
def evasion(ctx: TurnContext) -> None:
    """Refusing to answer or steering away: "I'm not going to speculate", "the real question is"."""
    gate = ctx.charged or ctx.questioned
    # dodging a question is weaker evidence than dodging a charge: it needs a clear phrase; a refusal
    # ("I'm not going to get into that") refuses whatever the other said
    factor = 1.0 if ctx.charged else 0.8
    _lexical(ctx, "deflection.evasion", "refusal", gate or ctx.answered is not None, "refuses to answer", factor)
    _lexical(ctx, "deflection.evasion", "subject_change", gate or ctx.third_party, "changes the subject", factor)


@needs("stonewall")
def stonewall(ctx: TurnContext) -> None:
    """Shutting the conversation down: "I'm done", "whatever", "talk to the hand"."""
    _lexical(ctx, "deflection.stonewall", "stonewall", _question_gate(ctx), "stonewalling")


@when("charged")
def question_back(ctx: TurnContext) -> None:
    """Answering a charge with nothing but a question ("Did I?", "Why are you yelling?")."""
    if not (ctx.charged and ctx.strictly_charged):  # the attribute first, then the property
        return
    text = ctx.text.strip()
    if not text.endswith("?") or _STATEMENT_END.search(text):
        return
    if _ANSWER_START.match(text) or ctx.has("pardon"):  # "sorry, what?" asks to repeat, it does not dodge
        return
    ctx.cue("deflection.question-back", ctx.whole_turn(), DEFLECTION, 0.6,
            "answers the charge with a question")


_YES_NO_QUESTION = re.compile(
    # an optional word before the auxiliary, not a wh-word: "how do you calculate it?" is no yes/no question
    r"(?:^|[.!?]\s+)(?:(?:so|and|but|well|minister|sir|madam|mr\.?\s+\w+|(?!(?:how|what|why|where|when|who|which)\b)[a-z]+),?\s+)?"
    r"(?:do|does|did|will|would|can|could|should|shall|is|are|was|were|have|has|had|won't|wouldn't|didn't|"
    r"don't|doesn't|isn't|aren't|can't)\s+(?:you|your|the\s+government|the\s+minister|we)\b[^.!?]*\?",
    )  # matched against the lowered question: an IGNORECASE alternation is several times slower
_POINTED = re.compile(
    r"\b(?:admit|regret|resign|step\s+down|apologi[sz]e|responsib\w*|blame|fault|mislead|misled|lie|lied|lying|"
    r"wrong|fail\w*|miss|missed|mistake|broke|break|promise\w*|deny|denies|knew|cover\w*|accept\s+that|caus\w*)\b",
)  # matched against the lowered question
_DIRECT_ANSWER = re.compile(
    r"^\W*(?:(?:well|look|so|and|but|um|uh|er|listen|oh|honestly|frankly|actually|to\s+be\s+honest),?\s+)*"
    r"(?:yes|yeah|yep|yup|no|nope|nah|absolutely|ok|okay|alright|all right|fine|a\s+(?:little|bit|lot)|kind\s+of|"
    r"sort\s+of|maybe|perhaps|probably|partly|somewhat|not\s+really|i\s+guess|i\s+think\s+so|i\s+suppose|"
    r"i\s+regret|i\s+admit|i\s+accept|"
    r"certainly|definitely|of course|not|never|correct|right|sure|i\s+(?:do|did|will|would|have|am|was|can|don't|"
    r"didn't|won't|wouldn't|haven't|can't|'m|'ve|'ll)|we\s+(?:do|did|will|have|don't|didn't|won't|haven't|can't|'ll|"
    r"'ve)|it\s+(?:is|was|will|isn't|wasn't|won't)|that's\s+(?:right|correct|true|not)|none|zero|nothing|\d)\b",
    re.IGNORECASE)


_DIRECT_ANSWER_LOWER = re.compile(_DIRECT_ANSWER.pattern)


@when("questioned")
def no_answer(ctx: TurnContext) -> None:
    """A yes/no question put to the speaker, answered with neither: weak alone, it adds to other signs;
    when the question is pointed (about fault, regret, resigning, lying) the dodge alone is evidence."""
    if ctx.answered is None or not ctx.questioned:
        return
    # the answer's own tests first: they look at its start and end, the question search reads all it answers
    if ctx.text.rstrip().endswith("?") or (_DIRECT_ANSWER_LOWER if ctx.lowered else _DIRECT_ANSWER).match(ctx.subject):
        return
    asked = ctx.answered.text.lower()  # lowered: a case-sensitive search is faster
    question = _YES_NO_QUESTION.search(asked)
    if question is None:
        return
    pointed = _POINTED.search(question.group()) is not None
    ctx.cue("deflection.no-answer", (0, min(len(ctx.text), 40)), DEFLECTION, 0.55 if pointed else 0.35,
            "a pointed yes/no question answered with neither" if pointed else "a yes/no question answered with neither")




#: A reply that takes the charge on: admits it, agrees, says sorry, or answers yes.
_ENGAGES = re.compile(r"\b(?:yes|yeah|yep|yup|true|fair|right|sorry|apologi[sz]e|my bad|my fault|i did|we did|i know"
                      r"|ok|okay|alright|guilty|you're right|i admit|i was wrong|oops|ugh|sure|i'll|we'll|i will|we will"
                      r"|let me)\b", re.IGNORECASE)


@answering(ACCUSATION)
def unengaged(ctx: TurnContext) -> None:
    """An accusation aimed at the speaker answered with a statement that neither admits, agrees, apologises
    nor says anything a rule recognises ("Biscuit was inside all night", "it had like a quarter tank when I
    took it", "the queue had been stuck for two days"): on the annotated sets such replies are deflections
    (denials and excuses in the speaker's own words) about seven times in eight. Runs after every other
    rule and only when none of them found a label."""
    move = ctx.answered_move
    if move is None or move.label != ACCUSATION or not ctx.strictly_charged:
        return
    if ctx.labelled():
        return
    text = ctx.text.strip()
    if not text or text.endswith("?") or _ENGAGES.search(text):
        return
    ctx.cue("deflection.unengaged", ctx.whole_turn(), DEFLECTION, 0.55,
            "answers the accusation without admitting, agreeing or apologising")


RULES = [
    ("deflection.non-apology", non_apology),
    ("deflection.denial", denial),
    ("deflection.shrug", shrug),
    ("deflection.blame-shift", blame_shift),
    ("deflection.whatabout", whatabout),
    ("deflection.minimise", minimise),
    ("deflection.counter-accusation", counter_accusation),
    ("deflection.evasion", evasion),
    ("deflection.stonewall", stonewall),
    ("deflection.question-back", question_back),
    ("deflection.no-answer", no_answer),
]

#: Rules that read what every other rule found: they run after all of them (see `default_ruler`).
LAST_RULES = [("deflection.unengaged", unengaged)]
