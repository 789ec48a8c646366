"""Drawn quiz sets: never two items from one sentence, never one that answers another."""

from __future__ import annotations

import pytest

from quizzes.core.drawing import Candidate, clash, draw_spread, gives_away

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database

A, B, C = (1, 1, 1), (1, 1, 2), (1, 1, 3)


def test_two_items_from_one_sentence_are_never_drawn_together():
    # passage A: items 1 and 2 rest on overlapping evidence, item 3 on a later sentence
    candidates = [
        Candidate(1, A, 0.9, evidence=(0, 80)),
        Candidate(2, A, 0.8, evidence=(10, 60)),
        Candidate(3, A, 0.7, evidence=(100, 150)),
        Candidate(4, B, 0.85, evidence=(0, 50)),
    ]
    assert draw_spread(candidates, 3) == [1, 3, 4]
    assert draw_spread(candidates, 9) == [1, 3, 4]


def test_touching_spans_and_spans_in_other_passages_do_not_clash():
    candidates = [
        Candidate(1, A, 0.9, evidence=(0, 80)),
        Candidate(2, A, 0.8, evidence=(80, 160)),
        Candidate(3, B, 0.7, evidence=(0, 80)),
    ]
    assert draw_spread(candidates, 3) == [1, 2, 3]


def test_a_prompt_that_contains_another_items_key_is_not_drawn_with_it():
    candidates = [
        Candidate(
            1,
            A,
            0.9,
            prompt="Which congress adopted the New Economic Policy in March 1921?",
            key="the Tenth Party Congress",
            kind="short_answer",
        ),
        Candidate(
            2, B, 0.8, prompt="The Kronstadt revolt began in ___.", key="March 1921", kind="cloze"
        ),
        Candidate(
            3,
            B,
            0.7,
            prompt="Who ordered the attack on Kronstadt?",
            key="Trotsky",
            kind="short_answer",
        ),
    ]
    assert draw_spread(candidates, 2) == [1, 3]
    assert draw_spread(candidates, 3) == [1, 3]


def test_choices_that_contain_another_items_key_count_too():
    candidates = [
        Candidate(
            1,
            A,
            0.9,
            prompt="How many seats did the Socialist Revolutionaries win?",
            key="410",
            choices=("175", "410", "707", "366"),
            kind="multiple_choice",
        ),
        Candidate(
            2,
            B,
            0.8,
            prompt="How many seats did the Bolsheviks win?",
            key="175",
            kind="short_answer",
        ),
        Candidate(
            3,
            B,
            0.5,
            prompt="What did the Bolsheviks dissolve on 18 January 1918?",
            key="the Constituent Assembly",
            kind="short_answer",
        ),
    ]
    assert draw_spread(candidates, 2) == [1, 3]


@pytest.mark.parametrize(
    ("prompt", "key", "expected"),
    [
        ("Within 10 days of what must the President return a bill?", "Ten", True),
        ("Why did the slogan EQUAL RATIONS spread in 1921?", "\u201cequal rations\u201d", True),
        ("What did Norman Borlaug breed?", "Borlaug", True),
        ("What did Borlaugs breed?", "Borlaug", False),  # whole words only
        ("When was the Constituent Assembly dissolved?", "January 18, 1918", False),
        ("What happened on 18 January 1918?", "January 18, 1918", True),
        ("Is it true that the Senate has two members per State?", "True", False),
    ],
)
def test_gives_away_compares_normalised_whole_words(prompt, key, expected):
    asker = Candidate(1, A, 0.5, prompt=prompt, key="x", kind="short_answer")
    answered = Candidate(
        2, B, 0.5, prompt="-", key=key, kind="true_false" if key == "True" else "short_answer"
    )
    assert gives_away(asker, answered) is expected
    assert clash(answered, asker) is expected


def test_when_clashes_leave_too_few_fewer_come_back():
    candidates = [
        Candidate(1, A, 0.9, evidence=(0, 80)),
        Candidate(2, A, 0.8, evidence=(40, 120)),
    ]
    assert draw_spread(candidates, 2) == [1]


def test_without_clashes_the_spread_is_unchanged():
    candidates = [
        Candidate(1, A, 0.9),
        Candidate(2, A, 0.8),
        Candidate(3, B, 0.7),
        Candidate(4, B, 0.95),
        Candidate(5, C, 0.5),
    ]
    assert draw_spread(candidates, 4) == [1, 2, 4, 5]


def test_draw_spreads_across_passages_best_scored_first():
    # given three passages: A has 0.9 and 0.8, B has 0.7 and 0.95, C has 0.5
    candidates = [
        Candidate(1, (1,), 0.9),
        Candidate(2, (1,), 0.8),
        Candidate(3, (2,), 0.7),
        Candidate(4, (2,), 0.95),
        Candidate(5, (3,), 0.5),
    ]

    # then two questions come from the two best passages, four take every passage once
    # before a second from the best remaining, and all come back in reading order
    assert draw_spread(candidates, 2) == [1, 4]
    assert draw_spread(candidates, 4) == [1, 2, 4, 5]
    assert draw_spread(candidates, 9) == [1, 2, 4, 3, 5]
