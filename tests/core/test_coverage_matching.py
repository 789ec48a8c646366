"""Gold coverage matching: RUBRIC section 4 answers, question intent and answer type.

Every question here is written by hand for the test; none comes from the generator.
"""

from __future__ import annotations

import pytest

from quizzes.core.coverage import (
    GoldFact,
    ServedQuestion,
    answer_class,
    answers_match,
    covering_question,
    intent_matches,
    normalise_answer,
)

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database, no Django

DEUTSCHERS = "Isaac Deutscher wrote the biography; Tamara Deutscher finished it."


@pytest.mark.parametrize(
    ("candidate", "reference", "question", "passage", "expected"),
    [
        # 1. NFKC, case, quotes, dashes, articles, prepositions
        ("\u201cDown with Bolshevik tyranny!\u201d", "Down with Bolshevik tyranny", "", "", True),
        ("THE CHEKA", "Cheka", "", "", True),
        ("in 1919", "1919", "", "", True),
        ("because they were very poor", "they were very poor", "", "", True),
        ("\uff11\uff19\uff11\uff19", "1919", "", "", True),  # full-width digits (NFKC)
        # 2. numbers
        ("14%", "fourteen per cent", "", "", True),
        ("14 percent", "14 per cent", "", "", True),
        ("4,476", "4476", "", "", True),
        ("twenty five years", "25", "", "", True),
        ("four thousand eight hundred", "4800", "", "", True),
        ("one thousand eight hundred and eight", "1808", "", "", True),
        ("two-thirds", "2/3", "", "", True),
        ("about half", "half", "", "", True),
        ("80 per cent", "less than 80 per cent", "", "", False),
        ("more than 90%", "over ninety per cent", "", "", True),
        ("upwards of fifty-seven years", "more than 57 years", "", "", True),
        ("at most five per cent", "5 per cent", "", "", False),
        ("1921", "1922", "", "", False),
        # 3. dates
        ("18 January 1918", "January 18, 1918", "", "", True),
        ("the 29th of August, 1782", "1782-08-29", "", "", True),
        ("1928-32", "1928 to 1932", "", "", True),
        ("1918", "18 January 1918", "", "", False),
        ("March 1921", "1921", "", "", False),
        # 4. names
        ("Deutscher", "Isaac Deutscher", "", "", True),
        ("Deutscher", "Isaac Deutscher", "", DEUTSCHERS, False),
        ("Lieut. Brooke", "Brooke", "", "", True),
        ("Kronstadt", "Kronshtadt", "", "", True),
        ("Shlyapnikov", "Aleksandr Shliapnikov", "", "", True),
        ("Kamenev", "Zinoviev", "", "", False),
        # 5. lists
        (
            "Medvedev, Shliapnikov and Kollontai",
            "Alexander Shliapnikov, Alexandra Kollontai and Sergei Medvedev",
            "",
            "",
            True,
        ),
        (
            "Shliapnikov and Kollontai",
            "Alexander Shliapnikov, Alexandra Kollontai and Sergei Medvedev",
            "Name the three leaders.",
            "",
            False,
        ),
        (
            "Saratov and Petrograd",
            "Petrograd, Saratov and Moscow",
            "Name two of the cities.",
            "",
            True,
        ),
        ("Saratov and Kiev", "Petrograd, Saratov and Moscow", "Name two of the cities.", "", False),
        ("Petrograd, Saratov, Moscow and Kiev", "Petrograd, Saratov and Moscow", "", "", False),
        # 6. free text: the same cause in other words, or not
        (
            "the rising current of air cools the outer edge so it stays cooler than the inside",
            "the ascending current of air cools the edge and keeps it cooler than the inside",
            "",
            "",
            True,
        ),
        (
            "the heat of the flame",
            "the ascending current of air cools the edge and keeps it cooler than the inside",
            "",
            "",
            False,
        ),
        (
            "because they did not trust workers outside their own ranks",
            "because they did not trust workers who were outside their own ranks",
            "",
            "",
            True,
        ),
    ],
)
def test_answers_match_follows_rubric_section_4(
    candidate: str, reference: str, question: str, passage: str, expected: bool
) -> None:
    assert answers_match(candidate, reference, question=question, passage=passage) is expected


def test_normalised_forms_are_stable() -> None:
    assert normalise_answer("  The 18th of January, 1918. ") == "1918d01d18"
    assert normalise_answer("More than ninety per cent") == "gt 90 percent"
    assert normalise_answer("\u2018two\u2013thirds\u2019") == "frac2over3"


@pytest.mark.parametrize(
    ("prompt", "key", "expected"),
    [
        ("How many seats did the Socialist Revolutionaries win in 1917?", "410", "number"),
        (
            "According to Pirani, what share of Moscow workers were in state enterprises?",
            "more than 90%",
            "number",
        ),
        ("Under the Constitution, what is the minimum age of a Senator?", "thirty", "number"),
        ("Of the 37 delegates to the 10th Congress, how many returned?", "four", "number"),
        ("How often are Representatives chosen?", "every second year", "time"),
        ("In which year did Brooke obtain mud from the North Atlantic?", "1853", "time"),
        ("When was the Constituent Assembly dissolved?", "18 January 1918", "time"),
        ("What happens when chalk is burnt?", "quicklime", "thing"),
        ("Where did the Royal George sink?", "Spithead", "place"),
        ("In which country are there scarce any manufactures?", "Poland", "place"),
        ("Why did the miners use small candles?", "to avoid the fire-damp", "explanation"),
        (
            "According to Faraday, how is the cup of a candle formed?",
            "by the rising air",
            "explanation",
        ),
        ("What was the underlying cause of Khrushchev's fall?", "alienation", "explanation"),
        (
            "How did Isaac Deutscher describe the workers' movement in 1920?",
            "an empty shell",
            "thing",
        ),
        ("Who ordered the attack on Kronstadt?", "Trotsky", "agent"),
        ("Which historian wrote that the proletariat had nearly vanished?", "Deutscher", "agent"),
        ("The Bolsheviks won ___ seats in the Constituent Assembly.", "175", "number"),
        ("The Workers' Opposition began to form in ___.", "1919", "time"),
        ("The Constituent Assembly was dissolved on ___.", "18 January 1918", "time"),
        ("The first Five Year Plan ran from ___.", "1928-32", "time"),
        ("Which slogan was heard during the Moscow strikes?", "equal rations", "thing"),
    ],
)
def test_answer_class_comes_from_the_wh_phrase_or_the_key(
    prompt: str, key: str, expected: str
) -> None:
    assert answer_class(prompt, key) == expected


GOLD_AGE = "Under the United States Constitution, what is the minimum age of a Senator?"


@pytest.mark.parametrize(
    ("prompt", "gold", "expected"),
    [
        ("What is the minimum age of a Senator?", GOLD_AGE, True),
        ("Under the Constitution, no Senator may be younger than ___ years.", GOLD_AGE, True),
        ("No person may be a Senator who has not attained the age of ___.", GOLD_AGE, True),
        ("How many Senators does each State have?", GOLD_AGE, False),
        ("What is silex?", "What is silex, according to Huxley?", True),
        (
            "Why does Faraday admire Irish bogwood?",
            "According to Faraday, why can Irish bogwood burn like a candle without forming a cup?",
            True,
        ),
        (
            "Who led the Kronstadt revolt?",
            "According to Faraday, why can Irish bogwood burn like a candle without forming a cup?",
            False,
        ),
    ],
)
def test_intent_needs_shared_content_words(prompt: str, gold: str, expected: bool) -> None:
    assert intent_matches(prompt, gold, answers=("thirty years",)) is expected


SENATE_AGE = GoldFact("c:1:3#4", "how_many", GOLD_AGE, "thirty years", ("30",))
BOGWOOD = GoldFact(
    "f:1:13#4",
    "why",
    "According to Faraday, why can Irish bogwood burn like a candle without forming a cup?",
    "because the material itself is like a sponge and holds its own fuel",
)


def _q(qid: int, prompt: str, answer: str, kind: str = "short_answer", *accepted: str):
    return ServedQuestion(qid, kind, prompt, answer, tuple(accepted))


def test_a_question_with_the_same_intent_and_answer_covers_the_fact() -> None:
    questions = [
        _q(1, "What is the minimum age of a Representative?", "twenty five years"),  # other fact
        _q(2, "How many years must a Senator have been a citizen?", "nine"),  # other answer
        _q(3, "What is the minimum age of a Senator under the Constitution?", "30 years"),
    ]
    match = covering_question(SENATE_AGE, questions)
    assert match is not None
    assert (match.question_id, match.matched_answer, match.matched_reference) == (
        3,
        "30 years",
        "thirty years",
    )


def test_an_accepted_answer_of_the_question_can_carry_the_match() -> None:
    question = _q(7, "The minimum age of a Senator is ___.", "thirty", "cloze", "30 years")
    match = covering_question(SENATE_AGE, [question])
    assert match is not None and match.question_id == 7


def test_the_right_answer_to_an_unrelated_prompt_does_not_cover_the_fact() -> None:
    question = _q(4, "How many years is the term of a Senator?", "thirty years")
    assert covering_question(SENATE_AGE, [question]) is None


def test_a_why_fact_needs_a_why_or_how_question() -> None:
    what = _q(
        5,
        "What is Irish bogwood like, according to Faraday?",
        "the material itself is like a sponge and holds its own fuel",
    )
    why = _q(
        6,
        "Why can Irish bogwood serve as a candle without a cup?",
        "it is like a sponge and holds its own fuel",
    )
    assert covering_question(BOGWOOD, [what]) is None
    match = covering_question(BOGWOOD, [what, why])
    assert match is not None and match.question_id == 6


def test_true_false_items_never_cover_a_fact() -> None:
    question = _q(8, "The minimum age of a Senator is thirty years.", "True", "true_false")
    assert covering_question(SENATE_AGE, [question]) is None
