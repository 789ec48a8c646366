"""Exam planning in the core: introduction schedule and the interval cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizzes.core.exam import exam_capped_due, introduction_schedule
from quizzes.core.scheduling import CardSnapshot, SchedulerSettings, retrievability, review

SETTINGS = SchedulerSettings(enable_fuzzing=False)
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _reviewed_card() -> CardSnapshot:
    card = review(CardSnapshot(), 3, now=T0, settings=SETTINGS, card_key=1).snapshot
    card = review(card, 3, now=T0 + timedelta(minutes=10), settings=SETTINGS, card_key=1).snapshot
    return review(card, 3, now=T0 + timedelta(days=3), settings=SETTINGS, card_key=1).snapshot


def test_new_cards_are_spread_evenly_with_the_remainder_first() -> None:
    assert introduction_schedule(10, 3) == [3, 3, 2, 2]
    assert sum(introduction_schedule(300, 14)) == 300
    with pytest.raises(ValueError):
        introduction_schedule(-1, 3)


def test_an_interval_past_the_exam_is_cut_to_the_last_review_that_holds_the_target() -> None:
    card = _reviewed_card()
    exam_at = card.last_review + timedelta(days=8)
    assert card.due > exam_at
    assert retrievability(card, now=exam_at, settings=SETTINGS) < 0.95

    due = exam_capped_due(card, exam_at=exam_at, target=0.95, settings=SETTINGS, card_key=1)

    assert card.last_review < due < exam_at
    after = review(card, 3, now=due, settings=SETTINGS, card_key=1).snapshot
    assert retrievability(after, now=exam_at, settings=SETTINGS) >= 0.95
    # a day later would not hold the target any more
    later = review(card, 3, now=due + timedelta(days=1), settings=SETTINGS, card_key=1).snapshot
    assert (
        due + timedelta(days=1) >= exam_at
        or retrievability(later, now=exam_at, settings=SETTINGS) < 0.95
    )


def test_due_dates_before_the_exam_or_that_hold_the_target_are_kept() -> None:
    card = _reviewed_card()
    far = card.last_review + timedelta(days=400)
    assert exam_capped_due(card, exam_at=far, target=0.9, settings=SETTINGS, card_key=1) == card.due
    soon = card.last_review + timedelta(days=1)
    assert (
        exam_capped_due(card, exam_at=soon, target=0.5, settings=SETTINGS, card_key=1) == card.due
    )
    with pytest.raises(ValueError, match="target"):
        exam_capped_due(card, exam_at=soon, target=1.0, settings=SETTINGS, card_key=1)
