"""Exact questions from short hand-written passages, one template at a time."""

from __future__ import annotations

import re

from quizzes.core.generation import PassageInput, generate, overgenerate
from quizzes.core.generation.cloze import BLANK
from quizzes.core.generation.text import STOP_WORDS

from .conftest import inventory_with, make_passage

KRONSTADT = "In 1921, the Tenth Party Congress adopted the New Economic Policy after a long debate."
ZELENSKY = "Isaak Zelensky, the Moscow party secretary, complained that the party was like a pump."
LENIN = (
    "Lenin argued that the tax in kind would win over the peasants of the Volga region. "
    "He also defended the privileges of leaders in the spring of 1921."
)
CHEKA = "The Cheka (the secret police) arrested many Mensheviks in the spring of 1921."
OPINION = "The Bolsheviks made a terrible mistake when they banned the Mensheviks in 1921."


def _pool(text: str, author: str = "Simon Pirani") -> list[tuple[str, str, str, str]]:
    candidates = overgenerate(make_passage(text, author), inventory_with(text))
    return [(c.kind, c.template, c.prompt, c.answer) for c in candidates]


def test_cloze_blanks_the_key_date_once():
    # given a sentence with a fronted year
    # when the pool is generated
    pool = _pool(KRONSTADT)
    # then the year is blanked, once, with the author named
    assert (
        "cloze",
        "cloze",
        "According to Pirani, in _____, the Tenth Party Congress adopted the New Economic Policy "
        "after a long debate.",
        "1921",
    ) in pool
    assert all(prompt.count(BLANK) == 1 for kind, _, prompt, _ in pool if kind == "cloze")


def test_when_question_inverts_a_simple_clause():
    pool = _pool(KRONSTADT)
    assert (
        "short_answer",
        "when",
        "According to Pirani, in what year did the Tenth Party Congress adopt the New Economic "
        "Policy after a long debate?",
        "1921",
    ) in pool


def test_who_question_from_a_named_subject():
    pool = _pool(LENIN)
    assert (
        "short_answer",
        "who",
        "According to Pirani, who argued that the tax in kind would win over the peasants of the "
        "Volga region?",
        "Lenin",
    ) in pool


def test_apposition_gives_a_definition_question():
    pool = _pool(ZELENSKY)
    assert (
        "short_answer",
        "apposition",
        "According to Pirani, who was Isaak Zelensky?",
        "the Moscow party secretary",
    ) in pool


def test_parenthesised_apposition_defines_an_organisation():
    pool = _pool(CHEKA)
    assert (
        "short_answer",
        "apposition",
        "According to Pirani, what was the Cheka?",
        "the secret police",
    ) in pool


def test_no_question_is_built_on_a_pronoun_subject():
    # given a passage whose second sentence starts with "He"
    passage = make_passage(LENIN)
    candidates = overgenerate(passage, inventory_with(LENIN))
    # then nothing comes from that sentence, and no prompt starts with a pronoun
    second = LENIN.index("He also")
    assert all(c.evidence_start < second for c in candidates)
    assert not any(
        re.match(r"^(?:According to \w+, )?(?:he|she|they|it|this)\b", c.prompt, re.IGNORECASE)
        for c in candidates
    )


def test_true_false_swaps_one_entity_of_the_same_kind():
    # given factual sentences naming a date, and a person
    dated = "The Mensheviks were banned from the Moscow soviet in the summer of 1921."
    named = "Kamenev was expelled from the Moscow soviet by the Mensheviks."
    # when the pool is generated
    false = [
        (c.prompt, c.answer, c.choices)
        for text in (dated, named)
        for c in overgenerate(make_passage(text), inventory_with(text))
        if c.template == "tf_false"
    ]
    # then each false statement swaps one date for a date, one person for a person
    assert false == [
        (
            "According to Pirani, the Mensheviks were banned from the Moscow soviet in the summer "
            "of 1923.",
            "False",
            ("True", "False"),
        ),
        (
            "According to Pirani, Bukharin was expelled from the Moscow soviet by the Mensheviks.",
            "False",
            ("True", "False"),
        ),
    ]
    assert all(" not " not in prompt for prompt, _, _ in false)


def test_the_holder_of_a_view_is_never_swapped():
    # "Trotsky argued that ..." may well be true too: no false statement is made from it
    candidates = overgenerate(make_passage(LENIN), inventory_with(LENIN))
    assert [c for c in candidates if c.template == "tf_false"] == []


def test_multiple_choice_distractors_are_same_kind_and_never_the_key():
    passage = make_passage(ZELENSKY)
    inventory = inventory_with(ZELENSKY)
    mc = [c for c in overgenerate(passage, inventory) if c.kind == "multiple_choice"]
    assert [c.answer for c in mc] == ["Isaak Zelensky"]
    choices = mc[0].choices
    assert len(choices) == 4 and len(set(choices)) == 4
    assert choices.count("Isaak Zelensky") == 1
    people = {r.key for r in inventory.of_kind("PERSON")}
    for choice in choices:
        assert choice.lower() in people or choice == "Isaak Zelensky"
        if choice != "Isaak Zelensky":
            assert "zelensk" not in choice.lower()


def test_year_distractors_are_years_near_the_key():
    mc = [
        c
        for c in overgenerate(make_passage(KRONSTADT), inventory_with(KRONSTADT))
        if c.kind == "multiple_choice"
    ]
    assert len(mc) == 1
    years = sorted(int(y) for y in mc[0].choices)
    assert 1921 in years and len(set(years)) == 4
    assert all(abs(y - 1921) <= 3 for y in years)


def test_opinion_sentences_are_attributed_to_the_author():
    pool = _pool(OPINION)
    assert pool
    assert all(prompt.startswith("According to Pirani, ") for _, _, prompt, _ in pool)


def test_unsigned_sources_are_attributed_to_their_title():
    pool = _pool(OPINION, author="")
    assert all(
        prompt.startswith("According to “Workers and the Soviet state”, ")
        for _, _, prompt, _ in pool
    )


def test_no_blank_on_a_stop_word_and_no_answer_leak():
    text = " ".join([KRONSTADT, ZELENSKY, LENIN, CHEKA, OPINION])
    candidates = overgenerate(make_passage(text), inventory_with(text))
    for candidate in candidates:
        if candidate.kind in ("cloze", "multiple_choice"):
            assert candidate.answer.lower() not in STOP_WORDS
            stem = candidate.prompt.replace(BLANK, " ")
            assert candidate.answer.lower() not in stem.lower()


def test_evidence_span_contains_the_key():
    text = " ".join([KRONSTADT, ZELENSKY, LENIN, CHEKA])
    for candidate in overgenerate(make_passage(text), inventory_with(text)):
        evidence = text[candidate.evidence_start : candidate.evidence_end]
        if candidate.kind != "true_false" and candidate.template not in ("apposition",):
            assert candidate.answer in evidence
        assert 0 <= candidate.score <= 1
        assert candidate.reasons


def test_generation_is_deterministic():
    text = " ".join([KRONSTADT, ZELENSKY, LENIN, CHEKA, OPINION])
    first = generate(make_passage(text), inventory_with(text))
    second = generate(make_passage(text), inventory_with(text))
    assert first == second
    assert first  # and not trivially so


def test_generate_keeps_one_question_per_fact_and_respects_the_cap():
    text = " ".join([KRONSTADT, ZELENSKY, LENIN, CHEKA, OPINION])
    chosen = generate(make_passage(text), inventory_with(text), max_questions=3)
    assert len(chosen) == 3
    answers = [c.answer for c in chosen if c.kind != "true_false"]
    assert len(answers) == len(set(answers))
    assert chosen == sorted(chosen, key=lambda c: -c.score)


def test_a_given_name_does_not_leak_a_different_person():
    from quizzes.core.generation.quality import leaks

    assert not leaks("Alexandra Kollontai", "led by Alexander Shliapnikov and Sergei Medvedev")
    assert leaks("Alexander Shliapnikov", "Alexander Shliapnikov and others")


def test_another_question_gives_an_answer_away_only_by_its_telling_words():
    from quizzes.core.generation.quality import gives_away

    assert not gives_away("the tenth party congress", "freedom of discussion within the party")
    assert gives_away("Lev Kamenev", "Shliapnikov criticised Kamenev for dismissing them")
    assert gives_away("the Workers Opposition", "According to “The Workers' Opposition”, ")


def test_an_unsigned_source_title_never_names_the_answer():
    text = "The Workers Opposition began to form in 1919 among the metal workers of Moscow."
    passage = PassageInput(1, text, "Origins", "1919-1922: The Workers' Opposition", "", "d")
    candidates = overgenerate(passage, inventory_with(text))
    assert "1919" in {c.answer for c in candidates}
    assert "Workers Opposition" not in {c.answer for c in candidates}
