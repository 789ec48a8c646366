"""Celery tasks for the scheduler's batch work. Each takes ids and is idempotent.

Fan-out tasks (run by beat) enqueue one task per chunk of STUDY_FANOUT_CHUNK
learners (500 by default), whose results are not stored: a chunk costs a few
queries where a task per learner cost a message, a task and a result row each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .days import clock_for_user
from .models import CardState, ParameterImport, StudySettings

logger = logging.getLogger(__name__)

OPTIMISE_LIMITS = {"soft_time_limit": 600, "time_limit": 660}


@shared_task(name="study.tasks.study_parameters_optimise_task", **OPTIMISE_LIMITS)
def study_parameters_optimise_task(user_id: int) -> str:
    """Fit one learner's FSRS parameters to their log (keeps the old ones on failure)."""
    from .services import parameters_optimise

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return "no such user"
    return parameters_optimise(user=user, now=timezone.now()).reason


@shared_task(name="study.tasks.study_parameters_optimise_all_task")
def study_parameters_optimise_all_task() -> int:
    """Weekly: enqueue an optimisation for every learner with new reviews."""
    user_ids = list(
        StudySettings.objects.filter(reviews_since_optimisation__gt=0).values_list(
            "user_id", flat=True
        )
    )
    for user_id in user_ids:
        study_parameters_optimise_task.delay(user_id)
    return len(user_ids)


@shared_task(name="study.tasks.study_optimisations_requested_send_task", ignore_result=True)
def study_optimisations_requested_send_task() -> int:
    """Every minute: send the optimisations reviews requested that were not sent."""
    from .services.optimisation import optimisations_requested_send

    return optimisations_requested_send()


@shared_task(name="study.tasks.study_parameter_import_task", **OPTIMISE_LIMITS)
def study_parameter_import_task(parameter_import_id: int) -> str:
    from .services import parameter_import_run

    return parameter_import_run(parameter_import_id=parameter_import_id, now=timezone.now()).status


@shared_task(name="study.tasks.study_parameter_imports_requeue_task", ignore_result=True)
def study_parameter_imports_requeue_task() -> int:
    """Every few minutes: send again the imports still pending (the broker may have
    been away when they were made) or stuck running after a worker died."""
    now = timezone.now()
    stale = ParameterImport.objects.filter(
        status=ParameterImport.Status.PENDING, created_at__lt=now - timedelta(minutes=2)
    ) | ParameterImport.objects.filter(
        status=ParameterImport.Status.RUNNING, created_at__lt=now - timedelta(minutes=30)
    )
    ids = list(stale.values_list("pk", flat=True))
    for parameter_import_id in ids:
        study_parameter_import_task.delay(parameter_import_id)
    return len(ids)


@shared_task(name="study.tasks.study_day_rollup_task")
def study_day_rollup_task(user_id: int, day: str | None = None) -> int:
    """Roll up one learner's study day (ISO date; default their previous study day);
    rerunning rewrites the same row."""
    from .services import study_day_rollup

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    now = timezone.now()
    target = date.fromisoformat(day) if day else clock_for_user(user).day(now) - timedelta(days=1)
    return study_day_rollup(user=user, day=target, now=now).reviews


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    size = max(1, int(getattr(settings, "STUDY_FANOUT_CHUNK", 500)))
    chunk: list[int] = []
    for user_id in ids:
        chunk.append(user_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@shared_task(name="study.tasks.study_day_rollup_chunk_task", ignore_result=True)
def study_day_rollup_chunk_task(user_ids: list[int], day: str | None = None) -> int:
    """Roll up ``day`` (default: each learner's previous study day) for a chunk of
    learners (a few queries for all of them)."""
    from .services import study_days_rollup

    users = list(get_user_model().objects.filter(pk__in=user_ids).order_by("pk"))
    target = date.fromisoformat(day) if day else None
    return study_days_rollup(users=users, day=target, now=timezone.now())


@shared_task(name="study.tasks.study_rollup_all_task")
def study_rollup_all_task(day: str | None = None) -> int:
    """Nightly: roll up each learner's previous study day (or ``day``) for every
    learner with cards, in chunks of STUDY_FANOUT_CHUNK learners a task (their
    results are not stored)."""
    target = day
    users = (
        get_user_model()
        .objects.filter(Exists(CardState.objects.filter(user=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for chunk in _chunks(users.iterator(chunk_size=2000)):
        study_day_rollup_chunk_task.delay(chunk, target)
        count += len(chunk)
    return count


@shared_task(name="study.tasks.study_due_reminder_task")
def study_due_reminder_task(user_id: int) -> bool:
    """Send one learner today's due reminder unless it was already sent today."""
    from .services import due_reminder_send

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return due_reminder_send(user=user, now=timezone.now()) is not None


@shared_task(name="study.tasks.study_due_reminder_chunk_task", ignore_result=True)
def study_due_reminder_chunk_task(user_ids: list[int]) -> int:
    """Send today's reminders to a chunk of learners; returns how many were sent.
    One learner's failure (a refused address) does not stop the others; the
    ones that failed are sent again by tomorrow's run at the latest."""
    from .services import due_reminder_send

    sent = 0
    now = timezone.now()
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        try:
            sent += due_reminder_send(user=user, now=now) is not None
        except Exception:  # logged; the chunk goes on
            logger.exception("due reminder to user %s failed", user.pk)
    return sent


@shared_task(name="study.tasks.study_due_reminders_all_task")
def study_due_reminders_all_task() -> int:
    """Daily: enqueue reminders for every learner with a card due now, in chunks."""
    now = timezone.now()
    due = CardState.objects.filter(
        user=OuterRef("pk"),
        suspended=False,
        due__lte=now,
        state__in=("learning", "review", "relearning"),
    )
    users = (
        get_user_model()
        .objects.filter(Exists(due), is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for chunk in _chunks(users.iterator(chunk_size=2000)):
        study_due_reminder_chunk_task.delay(chunk)
        count += len(chunk)
    return count


CLASS_FIT_LIMITS = {"soft_time_limit": 600, "time_limit": 660}


@shared_task(
    name="study.tasks.study_class_offsets_fit_deck_task", ignore_result=True, **CLASS_FIT_LIMITS
)
def study_class_offsets_fit_deck_task(deck_id: int) -> int:
    """Fit and store the class offsets of one deck's questions (rerunning rewrites the
    same rows); returns how many questions have an offset."""
    from .class_model import class_offsets_fit

    return class_offsets_fit(deck_id=deck_id, now=timezone.now()).offsets


@shared_task(name="study.tasks.study_class_offsets_fit_all_task")
def study_class_offsets_fit_all_task() -> int:
    """Nightly: one class-offset fit per deck with reviews (their results are not
    stored); returns how many were enqueued."""
    from .class_model import decks_with_reviews

    deck_ids = decks_with_reviews()
    for deck_id in deck_ids:
        study_class_offsets_fit_deck_task.delay(deck_id)
    return len(deck_ids)
