"""Mechanisms for text as people really write and speak it (round 6): online mockery without name-calling,
unmarked complaints and replies that do not engage them, an accuser who keeps pressing, plain repairs.

Every sentence here is new wording (none is in samples/); each mechanism has positive and negative cases.
"""

from __future__ import annotations

from dialogue.analysis import ACCUSATION, DEFLECTION, INSULT, NEUTRAL, RECONCILIATION
from dialogue.classify import classify
from dialogue.model import Transcript


def moves(*turns: str):
    pairs = [tuple(part.strip() for part in turn.split(":", 1)) for turn in turns]
    found, _ = classify(Transcript.from_pairs(pairs), rules_only=True)  # type: ignore[arg-type]
    return found


def last(*turns: str) -> str:
    return moves(*turns)[-1].label


def rule_of(*turns: str) -> str:
    move = moves(*turns)[-1]
    return move.cues[0].rule if move.cues else ""


# -- scare quotes: the other's own words held up ------------------------------------------------------------

def test_scare_quotes_around_the_others_words_mock_them() -> None:
    said = "A: honestly the new layout is intuitive once you get used to it"
    assert last(said, 'B: "intuitive" sure, if you like clicking six times to find settings') == INSULT
    assert last(said, 'B: "once you get used to it" is doing a lot of work there') == INSULT


def test_quotes_that_name_report_or_are_not_the_others_words_are_not_mockery() -> None:
    said = "A: honestly the new layout is intuitive once you get used to it"
    assert last(said, 'B: what do you mean by "intuitive"?') == NEUTRAL       # asks what the word means
    assert last(said, 'B: my manager said "intuitive" too, then asked me for help') == NEUTRAL   # reported
    assert last(said, 'B: the menu is literally labelled "preferences" now') == NEUTRAL          # not A's words
    assert last('A: the film was called "Harbour Lights" I think') == NEUTRAL                    # opens the talk


# -- laughter on a put-down or in a fight ---------------------------------------------------------------------

def test_a_laugh_on_a_put_down_of_the_hearer_is_mockery() -> None:
    assert last("A: i made the sauce from scratch, took me an hour", "B: your sauce looks bad tho lmao") == INSULT
    # in a fight, a short laugh at the other side
    assert last("A: you always ruin the group photo", "B: I blinked once.", "A: lol sure, once") == INSULT


def test_a_laugh_that_agrees_asks_or_laughs_at_a_thing_is_not_mockery() -> None:
    assert last("A: my cat knocked the tree over again", "B: lol same, mine does it every year") == NEUTRAL
    assert last("A: the printer ate my boarding pass", "B: haha nooo, did you get another one?") == NEUTRAL
    assert last("A: you're right, that was a dumb plan", "B: lol fair enough") != INSULT
    assert last("A: this stupid engine again", "B: lol classic") == NEUTRAL


# -- "tell me you ... without telling me" ---------------------------------------------------------------------

def test_the_tell_me_without_telling_me_frame_is_mockery_not_an_accusation() -> None:
    assert last("A: I just bought the gold edition", "B: tell me you have too much money without telling me") \
        == INSULT
    assert last("A: tell me you still love me") == NEUTRAL
    assert last("A: tell me you're coming to the party") == NEUTRAL


# -- a shrug that presupposes an attack -----------------------------------------------------------------------

def test_a_shrug_off_in_a_reply_deflects_an_attack_nobody_marked() -> None:
    assert last("A: bet you've never even been to Italy", "B: lived in Bologna for three years but go off") \
        == DEFLECTION
    assert last("A: that bread looks undercooked", "B: baked it at 230 for forty minutes but ok") == DEFLECTION
    assert last("A: it rained all week but ok") == NEUTRAL   # nobody answered: nothing to deflect


# -- an accusation answered without engaging it ---------------------------------------------------------------

def test_an_accusation_answered_with_an_unmarked_excuse_or_denial_is_a_deflection() -> None:
    charge = "A: You forgot to shut the gate and now the dog is in the neighbours' garden."
    assert last(charge, "B: The gate was already open when I came home.") == DEFLECTION
    assert last(charge, "B: He was asleep on the sofa all afternoon.") == DEFLECTION
    assert rule_of(charge, "B: He was asleep on the sofa all afternoon.") == "deflection.unengaged"


def test_a_reply_that_admits_agrees_commits_or_asks_is_not_unengaged() -> None:
    charge = "A: You forgot to shut the gate and now the dog is in the neighbours' garden."
    assert last(charge, "B: Yeah, that was me, sorry.") == RECONCILIATION
    assert last(charge, "B: I'll go and get him now.") != DEFLECTION
    assert last(charge, "B: ok, which garden?") != DEFLECTION
    # a reply to a plain statement is not a reply to a charge
    assert last("A: The dog is in the neighbours' garden.", "B: The gate was already open when I came home.") \
        == NEUTRAL


# -- the accuser presses the charge the other side deflected -------------------------------------------------

def test_the_accuser_pressing_after_a_deflection_renews_the_charge() -> None:
    opening = ("A: You forgot to shut the gate and now the dog is in the neighbours' garden.",
               "B: The gate was already open when I came home.")
    assert last(*opening, "A: It was shut at lunch, I checked it myself.") == ACCUSATION
    assert rule_of(*opening, "A: It was shut at lunch, I checked it myself.") == "accusation.renewed"
    # a protest that presses: the disagreement marker, not a denial
    assert last(*opening, "A: That doesn't explain how he got out.") == ACCUSATION


def test_the_accuser_letting_it_go_asking_or_reacting_is_not_renewed() -> None:
    opening = ("A: You forgot to shut the gate and now the dog is in the neighbours' garden.",
               "B: The gate was already open when I came home.")
    assert last(*opening, "A: ok, fair, the latch is dodgy.") != ACCUSATION
    assert last(*opening, "A: Was it?") != ACCUSATION
    assert last(*opening, "A: hm.") != ACCUSATION
    # a third person speaking after the deflection does not renew someone else's charge
    assert last(*opening, "C: The latch has been loose for weeks.") != ACCUSATION


def test_a_counter_accusation_is_defended_not_pressed() -> None:
    # B turns the charge on A: A's "that's not true" now defends A, it does not press A's own charge
    assert last("A: You never reply to my messages.", "B: What about you, you ignored me all weekend.",
                "A: That's not true.") == DEFLECTION


# -- grievances as charges ------------------------------------------------------------------------------------

def test_grievance_phrases_are_charges() -> None:
    assert last("A: the heating's off", "B: this is the third time this month the boiler has gone") == ACCUSATION
    assert last("A: I'll be late again", "B: that's four nights in a row, Sam") == ACCUSATION
    assert last("A: we had three days in a row of sunshine") == NEUTRAL
    assert last("A: you've had six months to fix the fence") == ACCUSATION
    # "for once" only stirs the conflict; a neutral "third time" is not a grievance
    assert last("A: for once the train was on time") == NEUTRAL
    assert last("A: third time lucky, we finally got tickets") == NEUTRAL


# -- repairs said plainly, a round of repairs, calming that includes the speaker -----------------------------

def test_plain_repairs_in_a_round_of_apologies() -> None:
    fight = ("A: you're such a know-it-all", "B: and you're a sore loser", "C: both of you, enough")
    assert last(*fight, "A: sorry, that was petty") == RECONCILIATION
    assert last(*fight, "A: sorry, that was petty", "B: i came in a bit strong too") == RECONCILIATION
    assert last(*fight, "A: sorry, that was petty", "B: my bad as well") == RECONCILIATION


def test_plain_repair_words_with_no_conflict_stay_neutral() -> None:
    assert last("A: my bad, wrong chat") == NEUTRAL
    assert last("A: the quiz is at eight", "B: not your fault it got moved") == NEUTRAL
    assert last("A: good to hear your voice, it's been ages") == NEUTRAL


def test_a_party_calling_both_sides_to_calm_down_repairs() -> None:
    fight = ("A: you lied about the deposit", "B: you're the one who broke the lease")
    assert last(*fight, "A: can we keep it civil, please") == RECONCILIATION
    # telling the other side alone to calm down waves the charge away
    assert last("A: you lied about the deposit", "B: calm down") == DEFLECTION


def test_the_hearers_task_is_not_the_speakers_responsibility() -> None:
    fight = ("A: you missed the target", "B: we're on course for it")
    assert last(*fight, "A: you'd have to double output from now on") != RECONCILIATION
    assert last(*fight, "B: ok, I'll report monthly from now on") == RECONCILIATION


def test_sign_off_thanks_accept_nothing() -> None:
    fight = ("A: you lied about the figures", "B: fair point, I'll correct them")
    assert last(*fight, "A: Thank you both.") == NEUTRAL
    assert last(*fight, "A: Councillor, thank you.") == NEUTRAL
    assert last(*fight, "A: thank you, I appreciate that") == RECONCILIATION


def test_an_apology_after_a_negated_clause_is_still_an_apology() -> None:
    assert last("A: Do you accept the service failed people?",
                "B: I do. Residents didn't get what they paid for, and I apologise for that.") == RECONCILIATION
    assert last("A: you broke it", "B: I didn't break it, and I won't apologise for that") != RECONCILIATION


# -- interviews: steering to one's own question, non-answers -------------------------------------------------

def test_an_interviewer_moving_to_a_new_question_is_not_dodging() -> None:
    fight = ("A: Your budget doubled. Is that a failure?", "B: The important thing is delivery.")
    assert last(*fight, "A: Let me ask about staffing. How many posts are vacant?") == NEUTRAL
    assert last(*fight, "A: Let's talk about staffing. How many posts are vacant?") == NEUTRAL
    # the same steer from the one who was asked, with no question of their own, still dodges
    assert last("A: Did you miss the deadline?", "B: Let's talk about what we delivered instead.") == DEFLECTION


def test_interview_non_answers_in_their_own_words() -> None:
    question = "A: Will you scrap the scheme?"
    assert last(question, "B: We'll set out our position in due course.") == DEFLECTION
    assert last(question, "B: I'm not here to speculate about that.") == DEFLECTION
    assert last(question, "B: Yes, in the autumn.") == NEUTRAL
    assert last("A: Did you miss the deadline?", "B: The deadline was always an aspiration.") == DEFLECTION


# -- online mockery frames without name-calling ---------------------------------------------------------------

def test_mockery_frames_in_a_reply() -> None:
    assert last("A: you're all clowns for liking this show", "B: imagine gatekeeping a cartoon") == INSULT
    assert last("A: this is the best keyboard I've owned",
                "B: typical mac user, thinks everything costs 300 quid") == INSULT
    assert last("A: I fixed the sink myself", "B: another landlord who thinks tape counts as plumbing") == INSULT
    assert last("A: I'll drive, I know a shortcut", "B: you still can't park though, yikes") == INSULT


def test_mockery_words_outside_their_frame_are_neutral() -> None:
    assert last("A: imagine a world with no traffic") == NEUTRAL                      # not a reply
    assert last("A: the move was tough", "B: imagine if we'd had a van") == NEUTRAL   # "imagine if"
    assert last("A: my landlord raised the rent", "B: imagine paying that much for a studio lol") == NEUTRAL
    assert last("A: the cup final went to penalties", "B: typical, I missed it") == NEUTRAL
    assert last("A: I got the job!", "B: another win, well deserved") == NEUTRAL
    assert last("A: the sink exploded", "B: yikes, is the kitchen ok?") == NEUTRAL


# -- a remedy committed by the one complained at -------------------------------------------------------------

def test_a_commitment_to_put_a_complaint_right_is_a_repair() -> None:
    complaint = "A: You forgot to book the table and now we have nowhere to eat."
    assert last(complaint, "B: I'll ring the Italian place and get us in at eight.") == RECONCILIATION


def test_a_commitment_that_answers_a_question_or_calm_talk_is_not_a_repair() -> None:
    assert last("A: Are you coming on Friday?", "B: I'll drive up after work.") == NEUTRAL
    assert last("A: The shop shuts at six.", "B: I'll pop in on the way home.") == NEUTRAL
    assert last("A: You forgot to book the table.", "B: Did I? Will they have space?",
                "A: Will you ring them?", "B: We'll see.") != RECONCILIATION


# -- charges of evasion and blame in interviews -------------------------------------------------------------

def test_charging_the_hearer_with_evasion_or_with_shifting_blame() -> None:
    assert last("A: So you won't rule it out.") == ACCUSATION
    assert last("A: Are you really blaming the weather for the delays?") == ACCUSATION
    assert last("A: I won't say it twice.") == NEUTRAL
    assert last("A: nobody is blaming the weather") != ACCUSATION


# -- questions: what is a yes/no question, what is pointed; praise that answers no attack ---------------------

def test_a_wh_question_is_not_a_yes_no_question() -> None:
    fight = ("A: you're hopeless at this", "B: and you're a show-off")
    assert last(*fight, "C: how do you even score a try?", "A: you touch the ball down over the line") == NEUTRAL


def test_a_question_about_what_caused_harm_is_pointed() -> None:
    question = "A: Parents say the buses are late every day. Has your timetable change caused that?"
    assert last(question, "B: We carry more passengers than ever before.") == DEFLECTION
    assert last(question, "B: Yes, partly, and we're fixing it.") != DEFLECTION


def test_marked_praise_answering_a_plain_turn_is_meant() -> None:
    fight = ("A: you lied to me about the price", "B: sorry, that's our mistake", "A: ok", "B: can you read me the code?",
             "A: it's 7731")
    assert last(*fight, "B: ok brilliant, that's the refund sorted") != INSULT
    assert last("A: you lied to me about the price", "B: it's the system, not me",
                "A: oh brilliant. very helpful.") == INSULT


def test_mis_and_over_verbs_with_you_blame_the_hearer() -> None:
    assert last("A: you overcharged me again this month") == ACCUSATION
    assert last("A: you mislabelled the box and it went to Leeds") == ACCUSATION
    assert last("A: you botched the quote") == ACCUSATION
    # the same verbs about oneself, negated, or asked are not accusations
    assert last("A: I overcooked the rice, sorry") == NEUTRAL
    assert last("A: you didn't misread anything, the form is confusing") != ACCUSATION
    assert last("A: the shop overcharged me") == NEUTRAL


# -- incredulity: the other's word handed back as a question --------------------------------------------------

def test_an_incredulous_echo_makes_the_reply_answer_a_charge() -> None:
    turns = ("A: your parcel was left in a safe place", "B: a safe place? it was on the pavement in the rain",
             "A: that's not our fault, the driver follows the instructions")
    found = moves(*turns)
    assert any(c.rule == "conflict.incredulous-echo" for c in found[1].cues)
    assert found[2].label == DEFLECTION   # the blame-shift now answers a protest
    # the same reply to a plain remark has nothing to deflect
    assert last("A: your parcel was left in a safe place", "B: ok, it was on the pavement",
                "A: that's not our fault, the driver follows the instructions") == NEUTRAL


def test_questions_that_echo_nothing_or_only_ask_are_not_incredulous() -> None:
    for reply in ("B: sorry?", "B: what?", "B: really? that's great news", "B: tomorrow? sure, works for me"):
        found = moves("A: your parcel arrives tomorrow", reply)
        assert not any(c.rule == "conflict.incredulous-echo" and c.label != NEUTRAL for c in found[1].cues)
    found = moves("A: your parcel arrives tomorrow", "B: Thursday? I thought Friday")
    assert not any(c.rule == "conflict.incredulous-echo" for c in found[1].cues)   # not the other's word


def test_stock_pointed_questions_and_emphatic_grievances() -> None:
    assert last("A: The report was ready in May and published in October. Why the delay?") == ACCUSATION
    assert last("A: You sold the depot last spring. Was that a mistake?") == ACCUSATION
    assert last("A: Nobody from the school called us back. Not once.") == ACCUSATION
    assert last("A: Why the long face?") != ACCUSATION
    assert last("A: I've been to Paris once.") == NEUTRAL


# -- round 6, after holdout10 ---------------------------------------------------------------------------------

def test_thanks_to_is_a_cause_not_thanks() -> None:
    fight = ("A: you lied about the waiting list", "B: sorry, I misspoke")
    assert last(*fight, "A: thanks, I appreciate that") == RECONCILIATION
    assert last(*fight, "A: it fell thanks to the nurses, not to you") != RECONCILIATION


def test_yourself_outbids_an_insult_only_as_a_retort() -> None:
    insult = "A: you're a total fraud"
    assert last(insult, "B: you're one yourself") == INSULT
    assert last(insult, "B: the figures are public, you can check them yourself") != INSULT


def test_a_bystanders_exasperation_is_not_calming() -> None:
    fight = ("A: you lied about the deposit", "B: you're the one who broke the lease")
    assert last(*fight, "C: here we go again, same two people every week") != RECONCILIATION
    assert last(*fight, "C: can we not do this here, please") == RECONCILIATION


def test_interview_evasion_charges_and_pivots() -> None:
    assert last("A: That wasn't the question, Minister.") == ACCUSATION
    assert last("A: Viewers deserve a straight answer.") == ACCUSATION
    assert last("A: Is the list falling?", "B: What I'd highlight is the new scanners we've opened.") == DEFLECTION
    assert last("A: Did you break the pledge?", "B: People watching want to know their operation is coming.") \
        == DEFLECTION
    assert last("A: Did the scheme fail?", "B: That was decided before I was elected.") == DEFLECTION
    assert last("A: Is the list falling?", "B: I'll give you a straight answer: yes, it is.") != ACCUSATION


def test_a_dated_promise_held_against_the_hearer() -> None:
    assert last("A: You promised in March the road would be fixed by summer. It isn't.") == ACCUSATION
    assert last("A: You said on Monday you'd send the contract.") == ACCUSATION
    assert last("A: The forecast said on Monday it would rain.") == NEUTRAL


def test_typical_sighs_at_things_unless_it_labels_the_hearer() -> None:
    assert last("A: hi there", "B: typical monday") == NEUTRAL
    assert last("A: the ref was awful", "B: typical away fan, blaming the ref again") == INSULT


def test_friendly_laughs_and_quotes_about_words_are_not_mockery() -> None:
    assert last("A: I got promoted today!", "B: lol you can't be serious, that's amazing") != INSULT
    assert last("A: my flight got cancelled", "B: haha your luck is unreal") != INSULT
    assert last("A: did you like the film?", 'B: "like" is a strong word, it was fine') != INSULT
