"""Insult rules: a contemptuous attack aimed at the hearer.

A name-calling word is only evidence when a frame aims it at the hearer: second person ("you're a ...",
"you ..."), a vocative (", idiot."), an exclamation ("what a ...", "such a ...") or a turn of its own, and
the clause tests pass (not negated, reported, quoted, self-directed or aimed at someone absent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..analysis import ACCUSATION, DEFLECTION, INSULT, NEUTRAL, RECONCILIATION
from .context import TurnContext, needs
from .vocab import declare

declare(frames={
    # Prefix frames: each must end exactly where a lexicon hit starts (they are searched in a short window
    # before each hit, never over the whole turn); an optional suffix frame must follow the hit.
    # "you're a complete idiot", "you people are morons", "thou art a villain", "are you really this stupid"
    "you-are": r"(?<![\w']){you_are}\s+{gap}(?:(?:this|that)\s+)?(?:(?:kind|sort|type|brand|level)\s+of\s+)?\Z",
    # "you idiot", "you stupid little rat", "thou knave"
    "you": r"(?<![\w']){you}\s+{gap_voc}\Z",
    # "don't be an idiot", "stop being so stupid": an imperative aimed at the hearer
    "be": r"\b(?:don't|dont|do not|stop|quit)\s+(?:be|being|acting like)\s+(?:(?:so|such|a|an|the)\s+)*{gap_voc}\Z",
    # "idiots like you", "fools like thee" (a suffix after the hit)
    "like-you-after": r"\s+like\s+(?:you|u|yourself|thee|ye|y'all)\b",
    "anything": r"\Z",
    # "only an idiot would ...", "only a fool believes ...": aimed at whoever does it, the hearer in a reply
    "only": r"\bonly\s+(?:an?\s+|the\s+)?(?:(?:complete|total|absolute|utter)\s+)?\Z",
    "would-after": r"\s+(?:would|could|believes?|thinks?|says?|buys?|votes?|falls?)\b",
    # "your idea is stupid", "ur face is ugly"
    "your-is": r"(?<![\w']){your}\s+(?:[\w'-]+\s+){1,2}?(?:is|are|was|were|'s|sounds?|looks?|smells?)\s+"
               r"(?:(?:so|really|just|totally|completely|fucking|pretty)\s+)?\Z",
    # "your stupid face", "your pathetic excuses" (suffix: a following word)
    "your": r"(?<![\w']){your}\s+\Z",
    "a-word-after": r"\s+[\w'-]+",
    # "how stupid are you", "how dumb can you be"
    "how": r"\bhow\s+\Z",
    "are-you-after": r"\s+(?:are|can|could|must)\s+(?:you|u|ya|thou)\b",
    # "what an idiot", "such a loser", "what a pathetic little man"
    "exclamation": r"\b(?:what|such)\s+(?:an?\s+)?{gap_voc}\Z",
    # ", idiot." / "Idiot!" / "Move, moron" / "Listen, you clown," (suffix: punctuation or the end)
    "vocative": r"(?:^|[.!?,;:-]\s*)\W*(?:(?:you|u|ya|thou|ye)\s+)?{gap_voc}\Z",
    "vocative-after": r"\s*(?:[.!?,;:]|\Z)",
    # a turn that is nothing but a put-down adjective: "Pathetic." "So stupid!"
    "lone-trait": r"^\W*(?:(?:so|how|just|utterly|totally|absolutely|completely|truly|simply)\s+)?"
                  r"(?P<hit>{trait})\W*$",
    # "nice going, Einstein", "well done, genius"
    "praise-vocative": r"(?P<hit>(?:{praise}|thanks|thank you|oh|ok|okay|sure|yeah|yes|right|wow|gee|great|"
                       r"brilliant|nice|good one)[\s,!.]+(?:{gap_voc})(?:{ironic_vocative}))(?![\w])",
    # "..., genius." at the end of a sentence
    "ironic-vocative-end": r",\s*(?P<hit>{ironic_vocative})\s*(?:[.!?]|$)",
    # "Oh, brilliant plan." / "Wow, real mature."
    "marked-praise": r"^\W*(?:(?:oh|wow|gee|yeah|well|ha|lol|great|ok|okay)\b[\s,!.]*)+(?P<hit>{praise})(?![\w])",
})

#: A "you" after these is anyone's, not the hearer's ("if you're an idiot about money ...").
_GENERIC = re.compile(r"\b(?:if|when|whenever|unless|once)\s*\Z", re.IGNORECASE)
#: How far before a hit its prefix frame may start.
WINDOW = 60
#: How much an insult counts when only its frame (not an explicit "you") aims it at the hearer.
IMPLICIT = 0.9


def _framed(ctx: TurnContext, category: str, frame: str, after: str | None = None) -> Iterator[tuple[int, re.Match[str]]]:
    """(frame start, hit) for each hit of `category` that `frame` ends at (and `after` follows)."""
    prefix = ctx.frames[frame]
    suffix = ctx.frames[after] if after else None
    for hit in ctx.hits(category):
        start = hit.start()
        found = prefix.search(ctx.subject, max(0, start - WINDOW), start)
        if found is not None and (suffix is None or suffix.match(ctx.subject, hit.end())):
            yield found.start(), hit


@needs("epithet", "trait")
def you_epithet(ctx: TurnContext) -> None:
    """Name-calling with the hearer as explicit target: "you're a complete idiot", "you clown"."""
    frames = (("you-are", "epithet", None, 1.0), ("you", "epithet", None, 1.0), ("anything", "epithet", "like-you-after",
              0.9), ("be", "epithet", None, 0.85), ("be", "trait", None, 0.85))
    for frame, category, after, factor in frames:
        if frame != "be" and not ctx.second_person:
            continue
        for start, hit in _framed(ctx, category, frame, after):
            # "if you're an idiot about money, you end up broke": anyone, not the hearer
            generic = 0.5 if _GENERIC.search(ctx.text, max(0, start - 12), start) else 1.0
            _emit(ctx, "insult.you-epithet", start, hit, category, explicit=True, factor=factor * generic,
                  note=f"calls the hearer '{hit.group()}'")


@needs("trait")
def you_trait(ctx: TurnContext) -> None:
    """Demeaning the hearer's mind, looks or character: "you're so stupid", "your idea is dumb"."""
    if not ctx.second_person:
        return
    for frame, after, factor in (("you-are", None, 1.0), ("how", "are-you-after", 1.0), ("your-is", None, 0.85),
                                 ("your", "a-word-after", 0.8)):
        for start, hit in _framed(ctx, "trait", frame, after):
            _emit(ctx, "insult.you-trait", start, hit, "trait", explicit=True, factor=factor,
                  note=f"calls the hearer (or theirs) '{hit.group()}'")


@needs("epithet")
def exclamation(ctx: TurnContext) -> None:
    """ "What an idiot", "such a loser": an insult unless aimed at the speaker or someone absent."""
    for start, hit in _framed(ctx, "epithet", "exclamation"):
        _emit(ctx, "insult.exclamation", start, hit, "epithet", factor=IMPLICIT,
              note=f"exclaims '{hit.group()}' at the hearer")
    if ctx.answered is not None:
        for start, hit in _framed(ctx, "epithet", "only", "would-after"):
            _emit(ctx, "insult.exclamation", start, hit, "epithet", factor=0.8,
                  note=f"'only a {hit.group()} would': aimed at the one just answered")


@needs("epithet", "trait")
def vocative(ctx: TurnContext) -> None:
    """A name-calling word addressed to the hearer: ", idiot.", "Moron!", "Pathetic." on its own."""
    for start, hit in _framed(ctx, "epithet", "vocative", "vocative-after"):
        _emit(ctx, "insult.vocative", start, hit, "epithet", factor=IMPLICIT,
              note=f"addresses the hearer as '{hit.group()}'")
    if len(ctx.text) > 40 or not ctx.has("trait"):
        return
    for found in ctx.vocab.frame["lone-trait"].finditer(ctx.text):
        _emit(ctx, "insult.vocative", found.start(), found, "trait",
              factor=0.85 if ctx.in_conflict or ctx.answered else 0.7,
              note=f"a turn of nothing but '{found.group('hit')}'")


#: The degree words of "you absolute gremlin" (a closed class).
_DEGREE = ("absolute|utter|complete|total|bloody|bleeding|flipping|freaking|fricking|fucking|effing|massive|"
           "colossal|giant|great|big|little|silly|daft|stupid|dozy|soft")
#: "You absolute gremlin.", "Get out, you great lump!": the hearer addressed as "you" + a degree word + a noun,
#: the phrase closing its sentence. The construction is the insult, whatever the noun: the lexicon cannot list
#: every noun an angry speaker picks, and the degree words are a closed class. Endearments that take the same
#: shape ("you absolute legend") are left out; affection in the same words ("you absolute muppet, love you")
#: is for the judge to weigh against the context.
_INTENSIFIED = re.compile(
    r"(?:^|[.!?,;:]\s*|\b(?:oh|ah|why|listen|look)\s*,?\s+)(?P<you>you|u|ya|thou|ye)\s+"
    rf"(?:(?:{_DEGREE})\s+)+"
    r"(?!(?:legend|star|hero|angel|gem|treasure|darling|sweetheart|babe|beauty|sweetie|champ|champion|"
    r"lifesaver|saint|king|queen|icon|love|one|thing)\b)(?P<hit>[a-z][a-z'-]*[a-z])(?=\s*(?:[.!?,;:)]|$))",
    re.IGNORECASE)
#: What every match of `_INTENSIFIED` holds: a hearer word, then a degree word. Searched for first, in the
#: lowered text case-sensitively (other text as it is, ignoring case): of the play's 3,510 turns that say
#: "you" 4 have it, and the whole pattern tried at every position of each cost 58 ms (this search: 10 ms).
_INTENSIFIED_HINT = rf"(?:you|u|ya|thou|ye)\s+(?:{_DEGREE})\s"
_HINT_LOWER = re.compile(_INTENSIFIED_HINT)
_HINT = re.compile(_INTENSIFIED_HINT, re.IGNORECASE)


def you_intensified(ctx: TurnContext) -> None:
    """ "You absolute gremlin.": the hearer called a name in the you + degree word + noun construction, the
    noun known to no lexicon. Weaker than a known epithet, and weaker still with no fight going on."""
    if not ctx.second_person or (_HINT_LOWER if ctx.lowered else _HINT).search(ctx.subject) is None:
        return
    for found in _INTENSIFIED.finditer(ctx.text):
        begin, end = found.span("hit")
        # a known epithet there has said it already ("you absolute idiot")
        if any(c.label == INSULT and c.span[0] <= begin < c.span[1] for c in ctx.cues):
            continue
        if not ctx.targets_hearer(begin, end, explicit=True):
            continue
        engaged = ctx.in_conflict or ctx.charged
        ctx.cue("insult.you-intensified", (found.start("you"), end), INSULT, 0.65 if engaged else 0.55,
                f"calls the hearer 'you ... {found.group('hit')}'")


@needs("dismissal")
def dismissal(ctx: TurnContext) -> None:
    """Contemptuous imperatives and stock put-downs: "shut up", "get a life", "nobody asked you"."""
    if not ctx.has("dismissal"):
        return
    for found in ctx.hits("dismissal"):
        start, end = found.span()
        if found.group()[:7].lower() == "tell me":
            # "tell me you ... without telling me you ...": the meme names the hearer's failing; "tell me
            # you love me" is no put-down. The cue covers the whole frame, so "without telling me" inside it
            # is not also an accusation.
            rest = _WITHOUT_TELLING.search(ctx.text, end)
            if rest is None:
                ctx.cue("insult.dismissal", (start, end), NEUTRAL, 0.0, "'tell me you' without the mocking frame")
                continue
            end = rest.end()
        if ctx.negated(start) or ctx.reported(start) or ctx.aimed_elsewhere(start, end):
            ctx.cue("insult.dismissal", (start, end), NEUTRAL, 0.0, "put-down negated, reported or aimed elsewhere")
            continue
        ctx.cue("insult.dismissal", (start, end), INSULT, ctx.vocab.weight("dismissal", found.group()),
                f"dismisses the hearer: '{found.group()}'")


@needs("praise", "ironic_vocative")
def sarcasm(ctx: TurnContext) -> None:
    """Sarcastic praise: with a mock title ("nice going, Einstein") always; marked praise ("oh, brilliant
    plan") only in a conflict or right after a charge, where praise cannot be meant."""
    if not ctx.has("praise", "ironic_vocative"):
        return
    for frame, weight in (("praise-vocative", 0.85), ("ironic-vocative-end", 0.7)):
        if not ctx.has("ironic_vocative"):
            break
        for found in ctx.vocab.frame[frame].finditer(ctx.text):
            if not ctx.negated(found.start("hit")):
                ctx.cue("insult.sarcasm", found.span("hit"), INSULT, weight,
                        f"mock title in '{found.group('hit')}'")
    # praise that answers an apology or a concession reassures ("it's kind of charming, honestly")
    hostile = (ctx.in_conflict or ctx.charged) and ctx.answered_label != RECONCILIATION
    # marked praise answering a plain turn is meant ("ok brilliant, that brings it down to ninety-six
    # pounds"): sarcasm needs a fighting move or a protest to answer
    marked_hostile = hostile and (ctx.answered_label in (INSULT, ACCUSATION, DEFLECTION) or (
        ctx.answered_move is not None and any(c.rule == "conflict.disagreement" for c in ctx.answered_move.cues)))
    for found in ctx.vocab.frame["marked-praise"].finditer(ctx.text):
        weight = ctx.vocab.weight("praise", found.group("hit"))
        ctx.cue("insult.sarcasm", found.span("hit"), INSULT if marked_hostile else NEUTRAL,
                min(1.0, weight + 0.25) if marked_hostile else 0.0,
                "sarcastic praise in a conflict" if marked_hostile else "praise answering no attack: taken at its word")
    if hostile and len(ctx.text) < 60:
        for found in ctx.hits("praise"):
            if not any(c.rule == "insult.sarcasm" for c in ctx.cues):
                ctx.cue("insult.sarcasm", found.span(), INSULT, ctx.vocab.weight("praise", found.group()),
                        "praise in the middle of a fight")


#: The second half of the "tell me you ... without telling me ..." meme.
_WITHOUT_TELLING = re.compile(r"\bwithout\s+(?:telling|saying)\s+(?:me|us)\b", re.IGNORECASE)
#: A short stretch in quotation marks (the other's words held up: '"broken" lmao').
_QUOTED = re.compile(r'"([^"\n]{1,48})"')
#: Quoting a word to ask what it means, or to name it, is not mockery ('what do you mean by "viable"').
_NAMING = re.compile(r"\b(?:mean|meant|means|by|word|term|define|called|spelled|spelt|quote|said|says|say|saying|wrote"
                     r"|writes|asked|told|tells|goes|went|yelled|shouted)\W*(?:to\s+\w+\W*)?\Z", re.IGNORECASE)


def scare_quotes(ctx: TurnContext) -> None:
    """The other speaker's own words held up in quotation marks ('"broken" lmao', 'like the patch was "in
    testing"?'): mocking what they said, an insult. Not when the quote asks what a word means, names it, or
    reports who said it, and not a quotation of words the answered turn does not contain."""
    if '"' not in ctx.text or ctx.answered is None:  # a substring test: most turns stop here
        return
    said = ctx.answered.text.lower()
    for found in _QUOTED.finditer(ctx.text):
        words = found.group(1).strip(" .,!?").lower()
        if not words or len(words.split()) > 6 or words not in said:
            continue
        if re.search(rf"(?<![\w']){re.escape(words)}(?![\w'])", said) is None:
            continue
        sentence = ctx.sentence_start(found.start())
        if _NAMING.search(ctx.text, max(sentence, found.start() - 24), found.start()) or \
                _WORD_TALK.match(ctx.text, found.end()) or \
                ctx.vocab.category["reporting"].search(ctx.text, sentence, found.start()):
            ctx.cue("insult.scare-quotes", found.span(), NEUTRAL, 0.0, f"quotes '{words}' to name or report it")
            continue
        ctx.cue("insult.scare-quotes", found.span(), INSULT, 0.6,
                f"holds the other's words '{words}' up in scare quotes")
        return


#: A quote that is the subject of a remark about the word itself ('"like" is a strong word'): naming it.
_WORD_TALK = re.compile(r"\s*(?:is|was|'s)\s+(?:a|an|the)\s+(?:[\w'-]+\s+)?(?:word|term|phrase)\b", re.IGNORECASE)
#: Repair and agreement words: a laugh next to them laughs with the hearer ("lol fair", "haha you're right").
_FRIENDLY = re.compile(r"\b(?:right|true|same|agree\w*|fair|thanks?|thank|ty|love|nice|good|great|glad|cool|forgiv\w*"
                       r"|sorry|my bad|np|no worries|congrat\w*|welcome|yes|yeah|yep|me too|omg|cute|funny|jk|amazing"
                       r"|awesome|proud|happy|well done|wow)\b", re.IGNORECASE)
#: Words of a put-down that a laugh makes mockery of ("your grandma was wrong then lol").
_PUT_DOWN = re.compile(r"\b(?:wrong|bad|trash|garbage|terrible|awful|worst|cringe|mid|lame|sad|salty|mad|crying|cope"
                       r"|touchy|bitter|clueless|can't|cant|couldn't|never|nobody|no one|carry|carried)\b",
                       re.IGNORECASE)


#: The put-down word follows the second person closely ("your grandma was wrong", "u cant even aim"): the
#: hearer's side is what is put down, not a thing ("lol no its trash, did u even watch").
_YOUR_PUT_DOWN = re.compile(r"(?<![\w'])(?:you|your|u|ur|ya|you're|youre)\W+(?:[\w']+\W+){0,3}?" + _PUT_DOWN.pattern,
                            re.IGNORECASE)


@needs("laughter")
def laughing(ctx: TurnContext) -> None:
    """Laughing at the hearer online: a short reply with "lol"/"lmao" in a fight ("lol touchy", "with a carry
    lmao"), or a put-down of the hearer's side with a laugh on it ("your grandma was wrong then lol"). Not a
    laugh that agrees, thanks or repairs ("lol fair", "haha you're forgiven"), asks something, answers a repair,
    or opens a thread."""
    if ctx.answered is None or ctx.answered_label == RECONCILIATION or not ctx.has("laughter"):
        return
    text = ctx.text.strip()
    hit = ctx.hits("laughter")[0]
    if text.endswith("?") or _FRIENDLY.search(text):
        ctx.cue("insult.laughing", hit.span(), NEUTRAL, 0.0, "laughs along, agrees or asks")
        return
    words = len(text.split())
    # in a fight a laugh mocks the other side when the turn says little else ("lol touchy", "with a carry
    # lmao") or names them; a longer laugh at something absent ("imagine buying a phone in 2024 lmao") is not
    # ... and it answers a fighting move: "lol classic" after "this stupid engine" laughs along
    if (ctx.in_conflict or ctx.charged) and ctx.answered_label != NEUTRAL and (
            words <= 5 or (words <= 10 and ctx.second_person)):
        ctx.cue("insult.laughing", hit.span(), INSULT, 0.6, f"laughs at the other side in a fight: '{hit.group()}'")
    elif ctx.second_person and _YOUR_PUT_DOWN.search(text):
        ctx.cue("insult.laughing", hit.span(), INSULT, 0.55, f"a put-down of the hearer with a laugh: '{hit.group()}'")
    else:
        ctx.cue("insult.laughing", hit.span(), NEUTRAL, 0.0, "a laugh with no put-down or fight")


#: The frames of the [mockery] words, matched right after the word.
_IMAGINE_AFTER = re.compile(r"\s+(?:\w+ing|being|having)\b", re.IGNORECASE)
_ANOTHER_AFTER = re.compile(r"\s+(?:[\w'-]+\s+){1,2}?(?:who|that)\s+(?:can't|cant|cannot|can\s+not|doesn't|doesnt|thinks|has\s+never"
                            r"|never|still\s+can't|still\s+cant)\b", re.IGNORECASE)
_LABEL_AFTER = re.compile(r"(?:\s+[\w'-]+){1,3}?\s*(?:[,.!;:]|$)", re.IGNORECASE)
#: What may come before "typical"/"classic" at the start of a turn: a laugh, an interjection.
_OPENING = re.compile(r"^\W*(?:(?:lol|lmao|lmfao|haha\w*|oh|wow|ugh|yeah|ah|so)\W+)*\Z", re.IGNORECASE)
_TAGS = frozenset({"yikes", "shocking", "cringe", "the audacity", "ratio", "this you"})


@needs("mockery")
def mockery(ctx: TurnContext) -> None:
    """Online mockery that calls no names: "imagine insulting someone's grandma over pasta", "typical red fan,
    crying about the ref again", "another influencer who can't cook", a tag ("..., yikes", "this you?").
    Each word counts only in its frame and in a reply to someone; the tags also need the hearer named
    ("you") or a fight, or another mockery frame in the turn ("another ... who can't cook, shocking")."""
    if ctx.answered is None or _FRIENDLY.search(ctx.text):
        if ctx.has("mockery"):
            ctx.cue("insult.mockery", ctx.hits("mockery")[0].span(), NEUTRAL, 0.0, "opens the talk or laughs along")
        return
    framed = False
    tags = []
    for found in ctx.hits("mockery"):
        word = found.group().lower()
        start, end = found.span()
        if word == "imagine":
            # aimed at the hearer's conduct when it answers a fighting move or names the hearer; "imagine
            # watching football in 2024 lol" after a plain remark mocks a habit, not the one answered
            ok = _IMAGINE_AFTER.match(ctx.text, end) is not None and not ctx.text[end:end + 4].lower().startswith(" if") \
                and (ctx.answered_label in (INSULT, ACCUSATION, DEFLECTION) or ctx.second_person)
        elif word == "another":
            ok = _ANOTHER_AFTER.match(ctx.text, end) is not None
        elif word in ("typical", "classic"):
            label = _LABEL_AFTER.match(ctx.text, end)
            # "typical red fan, crying about the ref again": the kind, then what it does; or answering a
            # fighting move. "typical monday" on its own sighs at a thing
            fighting = ctx.answered_label in (INSULT, ACCUSATION, DEFLECTION)
            goes_on = label is not None and len(ctx.text[label.end():].split()) >= 2
            ok = _OPENING.match(ctx.text[:start]) is not None and label is not None and (
                fighting or (word == "typical" and goes_on))
        else:
            tags.append(found)
            continue
        if ok and not (ctx.negated(start) or ctx.reported(start)):
            framed = True
            ctx.cue("insult.mockery", (start, end), INSULT, ctx.vocab.weight("mockery", found.group()),
                    f"mocks the hearer: '{found.group()}' in its frame")
        else:
            ctx.cue("insult.mockery", (start, end), NEUTRAL, 0.0, f"'{found.group()}' outside its mocking frame")
    hostile = framed or ctx.second_person or ctx.in_conflict or ctx.answered_label in (INSULT, ACCUSATION, DEFLECTION)
    for found in tags:
        if hostile and not ctx.reported(found.start()):
            ctx.cue("insult.mockery", found.span(), INSULT, ctx.vocab.weight("mockery", found.group()),
                    f"a tag of disdain at the hearer: '{found.group()}'")
        else:
            ctx.cue("insult.mockery", found.span(), NEUTRAL, 0.0, f"'{found.group()}' with nobody to aim it at")


def _emit(ctx: TurnContext, rule: str, start: int, hit: re.Match[str], category: str, explicit: bool = False,
          factor: float = 1.0, note: str = "") -> None:
    word = hit.group("hit") if "hit" in hit.re.groupindex else hit.group()
    begin, end = hit.span("hit") if "hit" in hit.re.groupindex else hit.span()
    if not ctx.targets_hearer(begin, end, explicit=explicit):
        ctx.cue(rule, (begin, end), NEUTRAL, 0.0, f"'{word}' negated, reported or aimed elsewhere")
        return
    ctx.cue(rule, (start, end), INSULT, ctx.vocab.weight(category, word) * factor, note)


RULES = [
    ("insult.you-epithet", you_epithet),
    ("insult.you-trait", you_trait),
    ("insult.you-intensified", you_intensified),
    ("insult.exclamation", exclamation),
    ("insult.vocative", vocative),
    ("insult.dismissal", dismissal),
    ("insult.sarcasm", sarcasm),
    ("insult.scare-quotes", scare_quotes),
    ("insult.laughing", laughing),
    ("insult.mockery", mockery),
]
