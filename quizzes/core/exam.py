"""Planning for an exam date: when to introduce new cards and how far to let intervals grow.

Pure code: no Django, no clock. Days are whole study days counted from "today" (0).

* :func:`introduction_schedule` spreads ``n`` new cards over the days before
  ``last_intro_day`` so every card has time for a few reviews before the exam.
* :func:`exam_capped_due` takes the due date the scheduler chose after a review and
  brings it forward when waiting that long would leave the card below the target on
  the exam day: the next review goes to the latest day before the exam after which a
  successful (Good) review keeps retrievability on the exam day at or above the
  target. After the exam the normal due date stands.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quizzes.core.scheduling import CardSnapshot, SchedulerSettings, retrievability, review

__all__ = ["exam_capped_due", "introduction_schedule"]


def introduction_schedule(n_cards: int, last_intro_day: int) -> list[int]:
    """How many new cards to introduce on each day ``0..last_intro_day`` (evenly, the
    remainder on the first days). Raises ``ValueError`` for negative arguments."""
    if n_cards < 0 or last_intro_day < 0:
        raise ValueError("n_cards and last_intro_day must be >= 0")
    days = last_intro_day + 1
    base, extra = divmod(n_cards, days)
    return [base + (1 if day < extra else 0) for day in range(days)]


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
    at or after the exam and the card will still be at ``target`` then, or when it is
    before the exam anyway; otherwise the latest whole-day step before the exam from
    which a Good review holds the target until the exam (at least one day after the
    review); None for a card without a due date. Raises ``ValueError`` for a target
    outside (0, 1).
    """
    if not 0.0 < target < 1.0:
        raise ValueError("target must be strictly between 0 and 1")
    if snapshot.due is None or snapshot.last_review is None:
        return snapshot.due
    if snapshot.due < exam_at or exam_at <= snapshot.last_review:
        return snapshot.due
    if retrievability(snapshot, now=exam_at, settings=settings) >= target:
        return snapshot.due
    days_left = (exam_at - snapshot.last_review).days
    for days in range(days_left - 1, 0, -1):
        at = snapshot.last_review + timedelta(days=days)
        after = review(snapshot, 3, now=at, settings=settings, card_key=card_key).snapshot
        if retrievability(after, now=exam_at, settings=settings) >= target:
            return min(at, snapshot.due)
    return min(snapshot.last_review + timedelta(days=1), snapshot.due)
