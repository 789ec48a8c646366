"""Durable requests for a learner's parameter optimisation.

The review that makes an optimisation due records the request in its own
transaction (``StudySettings.optimisation_requested_at``). Sending the task
after commit is only the fast path: beat's ``optimisations_requested_send``
finds every request not yet sent (the broker was down, or the process died
between commit and send) or sent long ago and not served (the message was
lost), and sends it; each send is claimed with a conditional UPDATE so two
sweeps never send one request twice. The optimisation clears the request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from studyapp.celery import task_enqueue

from ..models import StudySettings
from ..tasks import study_parameters_optimise_task

# A request the fast path has not sent within this long is sent by the sweep.
SEND_GRACE = timedelta(seconds=30)
# A sent request not served within this long (the task's hard limit is 660 s)
# is taken as lost and sent again.
RESEND_AFTER = timedelta(minutes=15)


def optimisation_request(*, user_id: int) -> None:
    """Record, in the caller's transaction, that the learner's parameters are due."""
    StudySettings.objects.filter(user_id=user_id, optimisation_requested_at__isnull=True).update(
        optimisation_requested_at=timezone.now()
    )
    transaction.on_commit(lambda: _send(user_id, None))


def _send(user_id: int, previous: datetime | None) -> str:
    """Send the request unless another sender did since ``previous``: "sent",
    "taken" (sent by someone else, or already served) or "failed" (no broker)."""
    now = timezone.now()
    unsent = (
        Q(optimisation_sent_at__isnull=True)
        if previous is None
        else Q(optimisation_sent_at=previous)
    )
    if not StudySettings.objects.filter(
        unsent, user_id=user_id, optimisation_requested_at__isnull=False
    ).update(optimisation_sent_at=now):
        return "taken"
    if task_enqueue(study_parameters_optimise_task, user_id):
        return "sent"
    StudySettings.objects.filter(user_id=user_id, optimisation_sent_at=now).update(
        optimisation_sent_at=previous
    )
    return "failed"


def optimisations_requested_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the requests the fast path missed or whose message was lost; returns how many."""
    now = now or timezone.now()
    due = (
        StudySettings.objects.filter(optimisation_requested_at__isnull=False)
        .filter(
            Q(optimisation_sent_at__isnull=True, optimisation_requested_at__lt=now - SEND_GRACE)
            | Q(optimisation_sent_at__lt=now - RESEND_AFTER)
        )
        .order_by("optimisation_requested_at")
    )
    sent = 0
    for user_id, previous in due.values_list("user_id", "optimisation_sent_at")[:limit]:
        outcome = _send(user_id, previous)
        if outcome == "sent":
            sent += 1
        elif outcome == "failed":
            break  # the broker is away: the next sweep tries again
    return sent
