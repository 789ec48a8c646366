"""Planning for an exam date: when to introduce new cards and how far to let intervals grow.

Pure code: no Django, no clock. Days are whole study days counted from "today" (0).

* :func:`introduction_end` says until which day new cards are introduced: a quarter
  of the days left (one to seven days) stays free of new cards, for reviews only.
* :func:`introduction_schedule` spreads ``n`` new cards over the days before
  ``last_intro_day`` so every card has time for a few reviews before the exam;
  :func:`new_cards_today` is its first day, recomputed every day from what is left.
* :func:`exam_capped_due` takes the due date the scheduler chose after a review and
  brings it forward when waiting that long would leave the card below the target on
  the exam day: the next review goes to the latest day before the exam after which a
  successful (Good) review keeps retrievability on the exam day at or above the
  target. After the exam the normal due date stands. With a study clock in the
  settings the days are the learner's study days and a capped date is the start of
  one (its rollover), as the scheduler's own due dates are.
* :func:`exam_recall` is a card's retrievability on the exam day as it stands now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quizzes.core.scheduling import (
    CardSnapshot,
    CardState,
    SchedulerSettings,
    retrievability,
    review,
)

__all__ = [
    "exam_capped_due",
    "exam_recall",
    "introduction_end",
    "introduction_schedule",
    "new_cards_today",
]

#: Days before the exam kept free of new cards: a quarter of the days left, 1 to 7.
REVIEW_ONLY_DAYS = (1, 7)


def introduction_schedule(n_cards: int, last_intro_day: int) -> list[int]:
    """How many new cards to introduce on each day ``0..last_intro_day`` (evenly, the
    remainder on the first days). Raises ``ValueError`` for negative arguments."""
    if n_cards < 0 or last_intro_day < 0:
        raise ValueError("n_cards and last_intro_day must be >= 0")
    days = last_intro_day + 1
    base, extra = divmod(n_cards, days)
    return [base + (1 if day < extra else 0) for day in range(days)]


def introduction_end(days_left: int) -> int:
    """The last day (counted from today, 0) on which new cards are introduced for an
    exam ``days_left`` study days away: a quarter of the days left, at least one and
    at most seven, are kept for reviews only; 0 when the exam is at most a day away.
    Raises ``ValueError`` for a negative ``days_left``."""
    if days_left < 0:
        raise ValueError("days_left must be >= 0")
    low, high = REVIEW_ONLY_DAYS
    return max(0, days_left - max(low, min(high, days_left // 4)))


def new_cards_today(n_cards: int, days_left: int) -> int:
    """New cards to introduce today when ``n_cards`` (counting those introduced today)
    are still to be learned for an exam ``days_left`` study days away."""
    return introduction_schedule(n_cards, introduction_end(days_left))[0]


def exam_capped_due(
    snapshot: CardSnapshot,
    *,
    exam_at: datetime,
    target: float,
    settings: SchedulerSettings,
    card_key: int,
) -> datetime | None:
    """The due date to use instead of ``snapshot.due`` before an exam at ``exam_at``.

    ``snapshot`` is the card just after a review. Returns ``snapshot.due`` when it is
    before the exam anyway, or when the card will still be at ``target`` on the exam
    day; otherwise the latest day before the exam from which a Good review holds the
    target until the exam (at least one day after the review); None for a card without
    a due date. Days are study days (a capped date is the rollover starting one) when
    ``settings.clock`` is set, 24-hour periods from the last review otherwise. The
    capped date is not fuzzed: a day later would miss the target. Raises
    ``ValueError`` for a target outside (0, 1).
    """
    if not 0.0 < target < 1.0:
        raise ValueError("target must be strictly between 0 and 1")
    if snapshot.due is None or snapshot.last_review is None:
        return snapshot.due
    if snapshot.due < exam_at or exam_at <= snapshot.last_review:
        return snapshot.due
    if retrievability(snapshot, now=exam_at, settings=settings) >= target:
        return snapshot.due
    clock = settings.clock
    last = snapshot.last_review
    if clock is None:
        days_left = (exam_at - last).days

        def moment(days: int) -> datetime:
            return last + timedelta(days=days)
    else:
        first = clock.day(last)
        days_left = (clock.day(exam_at) - first).days

        def moment(days: int) -> datetime:
            return clock.day_start(first + timedelta(days=days))

    for days in range(days_left - 1, 0, -1):
        at = moment(days)
        after = review(snapshot, 3, now=at, settings=settings, card_key=card_key).snapshot
        if retrievability(after, now=exam_at, settings=settings) >= target:
            return min(at, snapshot.due)
    return min(moment(1), snapshot.due)


def exam_recall(snapshot: CardSnapshot, *, exam_at: datetime, settings: SchedulerSettings) -> float:
    """The card's retrievability on the exam day if it got no further review (0.0 for
    a new card; a card reviewed after ``exam_at`` counts from its last review)."""
    if snapshot.state is CardState.NEW or snapshot.last_review is None:
        return 0.0
    return retrievability(snapshot, now=max(exam_at, snapshot.last_review), settings=settings)
