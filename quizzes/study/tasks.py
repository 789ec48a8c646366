"""Celery tasks for the scheduler's batch work. Each takes ids and is idempotent.

Fan-out tasks (run by beat) enqueue one small task per learner, so a failure or
a retry touches one learner only.
"""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

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
    from .models import StudySettings

    user_ids = list(
        StudySettings.objects.filter(reviews_since_optimisation__gt=0)
        .values_list("user_id", flat=True)
    )
    for user_id in user_ids:
        study_parameters_optimise_task.delay(user_id)
    return len(user_ids)


@shared_task(name="study.tasks.study_optimisations_requested_send_task")
def study_optimisations_requested_send_task() -> int:
    """Every minute: send the optimisations reviews requested that were not sent."""
    from .services.optimisation import optimisations_requested_send

    return optimisations_requested_send()


@shared_task(name="study.tasks.study_parameter_import_task", **OPTIMISE_LIMITS)
def study_parameter_import_task(parameter_import_id: int) -> str:
    from .services import parameter_import_run

    return parameter_import_run(parameter_import_id=parameter_import_id,
                                now=timezone.now()).status


@shared_task(name="study.tasks.study_parameter_imports_requeue_task")
def study_parameter_imports_requeue_task() -> int:
    """Every few minutes: send again the imports still pending (the broker may have
    been away when they were made) or stuck running after a worker died."""
    from .models import ParameterImport

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
def study_day_rollup_task(user_id: int, day: str) -> int:
    """Roll up one learner's day (ISO date); rerunning rewrites the same row."""
    from .services import study_day_rollup

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return study_day_rollup(user=user, day=date.fromisoformat(day), now=timezone.now()).reviews


@shared_task(name="study.tasks.study_rollup_all_task")
def study_rollup_all_task(day: str | None = None) -> int:
    """Nightly: roll up yesterday (or ``day``) for every learner with cards."""
    from .models import CardState

    target = day or (timezone.localdate() - timedelta(days=1)).isoformat()
    users = get_user_model().objects.filter(
        Exists(CardState.objects.filter(user=OuterRef("pk")))
    ).values_list("pk", flat=True)
    count = 0
    for user_id in users:
        study_day_rollup_task.delay(user_id, target)
        count += 1
    return count


@shared_task(name="study.tasks.study_due_reminder_task")
def study_due_reminder_task(user_id: int) -> bool:
    """Send one learner today's due reminder unless it was already sent today."""
    from .services import due_reminder_send

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return due_reminder_send(user=user, now=timezone.now()) is not None


@shared_task(name="study.tasks.study_due_reminders_all_task")
def study_due_reminders_all_task() -> int:
    """Daily: enqueue a reminder for every learner with a card due now."""
    from .models import CardState

    now = timezone.now()
    due = CardState.objects.filter(
        user=OuterRef("pk"), suspended=False, due__lte=now,
        state__in=("learning", "review", "relearning"),
    )
    users = get_user_model().objects.filter(Exists(due), is_active=True).exclude(email="")
    count = 0
    for user_id in users.values_list("pk", flat=True):
        study_due_reminder_task.delay(user_id)
        count += 1
    return count
