"""quizzes.core.ordering: the order an attempt shows its questions and options in."""

from __future__ import annotations

from quizzes.core.ordering import option_order, question_order


def test_shuffles_are_repeatable_per_attempt_and_differ_between_attempts():
    items = list(range(10))
    choices = ["a", "b", "c", "d"]

    orders = {tuple(question_order(attempt_id=n, items=items, shuffle=True)) for n in range(5)}

    assert question_order(attempt_id=7, items=items, shuffle=True) == question_order(
        attempt_id=7, items=items, shuffle=True
    )
    assert len(orders) == 5
    assert question_order(attempt_id=7, items=items, shuffle=False) == items
    assert option_order(
        attempt_id=7, question_id=1, kind="true_false", choices=["True", "False"], shuffle=True
    ) == ["True", "False"]
    assert (
        sorted(
            option_order(
                attempt_id=7, question_id=1, kind="multiple_choice", choices=choices, shuffle=True
            )
        )
        == choices
    )
