"""Personal FSRS parameters: optimised from the learner's own log, or imported.

The optimiser is ``quizzes.core.evaluation.optimise_parameters`` (numpy + scipy:
fsrs-rs's pre-training of the initial stabilities, then L-BFGS-B), not py-fsrs's
torch optimiser: torch would add gigabytes to every install for one weekly task.
New parameters are adopted only when a fit on the earlier reviews beats the
current parameters on the most recent ones. On the shared Anki log it beats
fsrs-rs out of sample (see ``scripts/evaluate_scheduler_core.py``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from accounts.models import User
from quizzes.core.evaluation import (
    FitResult,
    RevlogRecord,
    build_dataset,
    optimise_parameters,
    parse_revlog_csv,
)
from quizzes.core.scheduling import StudyClock, check_parameters
from studyapp.celery import task_enqueue
from studyapp.errors import ApplicationError

from ..days import clock_for_user, study_clock
from ..models import ParameterImport, ReviewLog, StudySettings
from ..tasks import study_parameter_import_task
from .reviews import study_settings_get_or_create

logger = logging.getLogger(__name__)

IMPORT_MAX_BYTES = 5 * 1024 * 1024


def optimise_min_reviews() -> int:
    """Reviews at least a day after the previous one needed for a full fit (fewer:
    only the initial stabilities are pre-trained)."""
    return int(getattr(settings, "STUDY_OPTIMISE_MIN_REVIEWS", 100))


@dataclass(frozen=True)
class OptimiseOutcome:
    fitted: bool
    reason: str
    n_reviews: int


def _fit(
    records: list[RevlogRecord], initial: tuple[float, ...] | None, clock: StudyClock
) -> FitResult:
    # The optimiser counts days exactly as the live scheduler does: study days.
    dataset = build_dataset(records, clock=clock)
    return optimise_parameters(dataset, current=initial, min_reviews=optimise_min_reviews())


def parameters_optimise(*, user: User, now: datetime) -> OptimiseOutcome:
    """Fit the learner's FSRS parameters to their review log.

    Idempotent: with no review since the last optimisation it does nothing. The
    parameters change only when a fit on the earlier reviews beats the current
    parameters on the most recent fifth of them (then the fit is redone on all);
    with too few reviews, or if the optimiser fails or raises, the old ones stay
    (the reason is kept in ``optimisation_note``). Card states are not
    rescheduled: new parameters apply from each card's next review.
    """
    study_settings = study_settings_get_or_create(user=user)
    if study_settings.reviews_since_optimisation == 0 and study_settings.parameters_updated_at:
        return OptimiseOutcome(False, "no new reviews since the last optimisation", 0)
    counted = study_settings.reviews_since_optimisation
    records = [
        RevlogRecord(card_id=q, rating=r, reviewed_at=at, duration_ms=d)
        for q, r, at, d in ReviewLog.objects.effective()
        .filter(user=user)
        .values_list("question_id", "rating", "reviewed_at", "duration_ms")
        .iterator()
    ]
    initial = tuple(study_settings.parameters) if study_settings.parameters else None
    try:
        fit = _fit(records, initial, study_clock(user, study_settings)) if records else None
    except Exception as exc:  # a failed fit must never lose the old parameters
        logger.exception("parameter optimisation failed for user %s", user.pk)
        outcome = OptimiseOutcome(False, f"optimisation failed: {exc}", len(records))
    else:
        if fit is None:
            outcome = OptimiseOutcome(False, "no reviews", 0)
        else:
            outcome = OptimiseOutcome(fit.fitted, fit.reason, fit.n_reviews)
    with transaction.atomic():
        locked = StudySettings.objects.select_for_update().get(pk=study_settings.pk)
        locked.optimisation_note = f"{now.isoformat()}: {outcome.reason}"
        fields = ["optimisation_note"]
        if locked.optimisation_requested_at and locked.optimisation_requested_at <= now:
            locked.optimisation_requested_at = locked.optimisation_sent_at = None
            fields += ["optimisation_requested_at", "optimisation_sent_at"]
        if outcome.fitted and fit is not None:
            locked.parameters = list(fit.parameters)
            locked.parameters_source = "optimised"
            locked.parameters_updated_at = now
            # Reviews that arrived while fitting still count towards the next run.
            locked.reviews_since_optimisation = max(0, locked.reviews_since_optimisation - counted)
            fields += [
                "parameters",
                "parameters_source",
                "parameters_updated_at",
                "reviews_since_optimisation",
            ]
        locked.save(update_fields=fields)
    return outcome


def parameter_import_create(*, user: User, content: bytes, enqueue: bool = True) -> ParameterImport:
    """Accept a review-log CSV (Anki-style, see the shared revlogs README) and
    enqueue the fit. Raises ApplicationError (400) for an empty, oversized, non-UTF-8
    or malformed file; the whole file is parsed here so errors come back at once.
    """
    if not content:
        raise ApplicationError("The file is empty.", fields={"file": ["The file is empty."]})
    if len(content) > IMPORT_MAX_BYTES:
        raise ApplicationError(
            "The file is larger than 5 MB.", fields={"file": ["The file is larger than 5 MB."]}
        )
    try:
        text = content.decode("utf-8-sig")
        records = parse_revlog_csv(io.StringIO(text))
    except (UnicodeDecodeError, ValueError, KeyError) as exc:
        message = f"Not a review log: {exc}"
        raise ApplicationError(message, fields={"file": [message]}) from exc
    if not records:
        raise ApplicationError(
            "The file has no reviews.", fields={"file": ["The file has no reviews."]}
        )
    parameter_import = ParameterImport.objects.create(user=user, content=text)
    if enqueue:
        transaction.on_commit(
            lambda: task_enqueue(study_parameter_import_task, parameter_import.pk)
        )
    return parameter_import


def parameter_import_run(*, parameter_import_id: int, now: datetime) -> ParameterImport:
    """Fit parameters to an uploaded log and, if the fit succeeds, make them the
    learner's. Idempotent: a finished import is returned unchanged.
    """
    with transaction.atomic():
        job = ParameterImport.objects.select_for_update().get(pk=parameter_import_id)
        if job.status in (ParameterImport.Status.SUCCEEDED, ParameterImport.Status.FAILED):
            return job
        # Another delivery is running it, unless that one has been silent for as
        # long as the requeue sweep waits before sending a running import again.
        if job.status == ParameterImport.Status.RUNNING and job.created_at > now - timedelta(
            minutes=30
        ):
            return job
        job.status = ParameterImport.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        fit = _fit(parse_revlog_csv(io.StringIO(job.content)), None, clock_for_user(job.user))
        if fit.fitted:
            check_parameters(fit.parameters)
    except Exception as exc:
        logger.exception("parameter import %s failed", job.pk)
        job.status = ParameterImport.Status.FAILED
        job.message = f"The fit failed: {exc}"
        job.finished_at = now
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    with transaction.atomic():
        job.result = {
            "fitted": fit.fitted,
            "reason": fit.reason,
            "n_reviews": fit.n_reviews,
            "parameters": list(fit.parameters) if fit.fitted else None,
        }
        job.finished_at = now
        if fit.fitted:
            study_settings = study_settings_get_or_create(user=job.user)
            StudySettings.objects.filter(pk=study_settings.pk).update(
                parameters=list(fit.parameters),
                parameters_source="imported",
                parameters_updated_at=now,
            )
            job.status = ParameterImport.Status.SUCCEEDED
            job.message = "Your personal parameters are in use."
        else:
            job.status = ParameterImport.Status.FAILED
            job.message = f"Parameters unchanged: {fit.reason}."
        job.save(update_fields=["status", "message", "result", "finished_at"])
    return job
