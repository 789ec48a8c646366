"""A learner's explicit suspend and unsuspend of cards, kept as events.

Replaying a card's log (sync, out-of-order reviews, undo after a sync) applies these
at their moments, so a card the learner brought back stays back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from quizzes.core.scheduling import CardEvent as CoreCardEvent

from .models import CardEvent


def card_events_for(user: Any, question_ids: Iterable[int]) -> dict[int, list[CoreCardEvent]]:
    """The suspend/unsuspend events of the learner's cards, by question (one query)."""
    events: dict[int, list[CoreCardEvent]] = {}
    rows = (
        CardEvent.objects.filter(user=user, question_id__in=list(question_ids))
        .order_by("at", "id")
        .values_list("question_id", "kind", "at")
    )
    for question_id, kind, at in rows:
        events.setdefault(question_id, []).append(CoreCardEvent(kind, at))
    return events


def card_event_record(*, user: Any, question_id: int, kind: str, at: datetime) -> CardEvent:
    """Append one event (the caller holds the card's row lock)."""
    return CardEvent.objects.create(user=user, question_id=question_id, kind=kind, at=at)


def has_events_after(user: Any, question_id: int, moment: datetime) -> bool:
    return CardEvent.objects.filter(user=user, question_id=question_id, at__gte=moment).exists()
