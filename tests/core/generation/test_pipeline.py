"""Options, accepted answers, scores and what ``generate`` keeps, on a small deck."""

from __future__ import annotations

from quizzes.core.generation import generate, overgenerate, ranking

from .conftest import make_passage

DECK = (
    "Leon Trotsky led the Red Army in 1919. Lev Kamenev led the Moscow party in 1920. "
    "Grigory Zinoviev led the Petrograd party in 1918.",
    "Nikolai Bukharin edited Pravda in 1918. Kamenev and Zinoviev opposed the treaty in 1917. "
    "Bukharin and Trotsky met in 1923.",
    "Joseph Stalin became general secretary of the party in 1922. Stalin defeated the united "
    "opposition in 1927.",
    "Trotsky was expelled in 1927. Kamenev and Zinoviev were readmitted in 1928. Bukharin "
    "lost his posts in 1929.",
)


def _candidates(deck_of, index: int):
    docs, deck = deck_of(*DECK)
    return overgenerate(make_passage(DECK[index]), docs[index], deck, index), deck


def test_person_options_are_other_people_of_the_deck_never_named_in_the_passage(deck_of):
    candidates, _ = _candidates(deck_of, 2)
    [item] = [
        c
        for c in candidates
        if c.kind == "multiple_choice"
        and c.prompt == "Who became general secretary of the party in 1922?"
    ]

    assert item.answer == "Joseph Stalin"
    distractors = set(item.choices) - {"Joseph Stalin"}
    # full names like the key's, one per person, none the passage names
    assert len(item.choices) == 4 and len(distractors) == 3
    assert distractors <= {"Grigory Zinoviev", "Leon Trotsky", "Lev Kamenev", "Nikolai Bukharin"}


def test_year_options_come_from_the_deck_timeline_never_the_key_plus_or_minus_one(deck_of):
    candidates, deck = _candidates(deck_of, 0)
    years = [c for c in candidates if c.kind == "multiple_choice" and c.template == "when"]

    assert years
    for item in years:
        key = int(item.answer)
        others = {int(c) for c in item.choices} - {key}
        assert len(others) == 3
        assert others <= set(deck.years)
        assert all(abs(o - key) >= 2 for o in others)
        assert not any(str(o) in DECK[0] for o in others)


def test_the_surname_alone_is_accepted_for_a_named_person(deck_of):
    candidates, _ = _candidates(deck_of, 0)
    [item] = [
        c
        for c in candidates
        if c.kind == "short_answer" and c.prompt == "Who led the Red Army in 1919?"
    ]

    assert item.answer == "Leon Trotsky"
    assert item.accepted_answers == ("Trotsky",)


def test_a_surname_two_people_share_is_not_accepted(deck_of):
    docs, deck = deck_of(
        "Alexander Kerensky led the government in 1917.", "Fyodor Kerensky ran a school in 1880."
    )

    assert deck.variants("PERSON", "Alexander Kerensky", 0) == []


def test_every_item_carries_its_evidence_span_and_rule(deck_of):
    candidates, _ = _candidates(deck_of, 1)

    assert candidates
    for item in candidates:
        evidence = DECK[1][item.evidence_start : item.evidence_end]
        assert evidence.endswith(".") and evidence in DECK[1]
        assert item.reasons == (item.template,)
        assert item.features["rule"] == item.template


def test_scores_are_the_ranker_probabilities(deck_of):
    candidates, _ = _candidates(deck_of, 0)
    docs, deck = deck_of(*DECK)

    served = generate(make_passage(DECK[0]), docs[0], deck, 0)

    by_prompt = {(c.kind, c.prompt): ranking.score(c.features) for c in candidates}
    assert served
    for item in served:
        assert 0.0 < item.score < 1.0
        assert item.score == round(by_prompt[(item.kind, item.prompt)], 4)
    assert [c.score for c in served] == sorted((c.score for c in served), reverse=True)


def test_generate_keeps_one_item_per_answer_two_per_sentence_and_no_more_clozes_than_others(
    deck_of,
):
    docs, deck = deck_of(*DECK)
    for index, text in enumerate(DECK):
        served = generate(make_passage(text), docs[index], deck, index, min_score=0.0)
        answers = [c.answer.casefold() for c in served]
        assert len(answers) == len(set(answers))
        per_sentence: dict[int, int] = {}
        for c in served:
            per_sentence[c.evidence_start] = per_sentence.get(c.evidence_start, 0) + 1
        assert max(per_sentence.values()) <= 2
        clozes = sum(c.kind == "cloze" for c in served)
        assert clozes <= len(served) - clozes


def test_options_are_shuffled_the_same_way_every_run(deck_of):
    first, _ = _candidates(deck_of, 2)
    second, _ = _candidates(deck_of, 2)

    assert [c.choices for c in first] == [c.choices for c in second]


def test_only_names_of_people_are_offered_or_asked_as_people(deck_of):
    _, deck = deck_of("Lev Kamenev chaired the meeting in 1922. Kamenev spoke first.")

    assert deck.is_person_name("Lev Kamenev")
    assert deck.is_person_name("Kamenev")  # the deck names him in full
    assert not deck.is_person_name("Russian Marxists")  # a plural group
    assert not deck.is_person_name("Kolkhozy")  # a single word nobody is named with
    assert not deck.is_person_name("Sovnarkom")  # the gazetteer knows an organisation


def test_a_hedge_free_number_key_also_accepts_the_bare_number(parse):
    text = "In February 1917 the Bolshevik party had only 23,600 members."
    doc = parse(text)[0]
    items = {c.prompt: c for c in overgenerate(make_passage(text), doc)}

    # "only" marks a judgement, so the item is attributed to the author
    item = items[
        "According to Pirani, how many members did the Bolshevik party have in February 1917?"
    ]
    assert item.answer == "only 23,600"
    assert item.accepted_answers == ("23,600",)


def test_questions_that_name_nothing_and_rules_judges_rejected_are_never_served(parse):
    from quizzes.core.generation.pipeline import anchored

    assert anchored("In what year was the RSFSR bureau of the CPSU removed?")
    assert anchored("From what does a sperm candle come?")  # a timeless statement
    assert not anchored("In what year was a campaign run?")
    assert not anchored("What did the party abandon in 1921?")  # a year names no party
    assert not anchored("What did the thing do?")

    text = (
        "The party abandoned the policy in 1921. In 1921 the congress elected 37 delegates. "
        "Lenin founded Iskra in 1900."
    )
    doc = parse(text)[0]
    every = {(c.template, c.prompt) for c in overgenerate(make_passage(text), doc)}
    served = {(c.template, c.prompt) for c in generate(make_passage(text), doc, min_score=0.0)}

    assert ("object_what", "What did the party abandon in 1921?") in every
    assert ("how_many", "How many delegates did the congress elect in 1921?") in every
    assert served == {
        ("when", "In what year did Lenin found Iskra?"),
        ("subject_who", "Who founded Iskra in 1900?"),
    }
