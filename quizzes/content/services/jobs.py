"""Background jobs that survive dead workers, lost messages and repeated deliveries.

The job row is the truth; a broker message only says "look at job N". So:

- a delivery first *claims* the job with one conditional UPDATE (pending, or
  running with a stale heartbeat, and attempts left); a delivery that claims
  nothing (the job finished, or another delivery is alive on it) does nothing;
- while it works the delivery bumps ``heartbeat_at`` (every progress update and
  a background beat every ``JOB_HEARTBEAT_SECONDS``), and every write it makes
  is conditional on still holding its claim, so a delivery that lost the job to
  another never overwrites that one's progress or result;
- ``jobs_recover`` (beat, every ``JOB_RECOVERY_SECONDS``) takes running jobs
  whose heartbeat is older than ``JOB_HEARTBEAT_TIMEOUT_SECONDS`` back to
  pending, or ends them "failed" after ``JOB_MAX_ATTEMPTS``, and sends pending
  jobs whose message never went out or was lost (a broker kept in files loses
  the message of a killed worker). Each send is claimed too, so two recovery
  runs never send one job twice.

Every way a job can end is "succeeded" or "failed" with a message saying why.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone

from quizzes.content.models import Job
from quizzes.content.tasks import deck_generate_task
from studyapp.celery import task_enqueue

logger = logging.getLogger(__name__)

# ``work(job, progress)`` returns (result, message); ``progress(done, total)``.
Progress = Callable[[int, int], None]
Work = Callable[[Job, Progress], tuple[dict[str, Any], str]]

# Never-sent pending jobs younger than this are left to the send that follows
# their creation (it runs when the creating transaction commits).
FIRST_SEND_GRACE = timedelta(seconds=10)


class JobLost(Exception):
    """This delivery no longer holds the job's claim (another delivery took it over)."""


def _timeout() -> timedelta:
    return timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS)


def _send(job_id: int, previous: datetime | None) -> str:
    """Send the job's message unless someone else sent it since ``previous``.

    Returns "sent", "taken" (someone else sent it, or it is no longer pending)
    or "failed" (the broker could not be reached; the job stays as it was).
    """
    now = timezone.now()
    sent_before = Q(enqueued_at__isnull=True) if previous is None else Q(enqueued_at=previous)
    if not Job.objects.filter(sent_before, pk=job_id, state=Job.State.PENDING).update(
        enqueued_at=now
    ):
        return "taken"
    if not task_enqueue(deck_generate_task, job_id):
        # The job stays pending as it was; jobs_recover sends it once the broker is back.
        Job.objects.filter(pk=job_id, enqueued_at=now).update(enqueued_at=previous)
        return "failed"
    return "sent"


def job_enqueue(*, job_id: int) -> bool:
    """Send a new job's task; a broker failure is logged and the job stays pending
    (``jobs_recover`` sends it once the broker is back)."""
    return _send(job_id, None) == "sent"


def job_claim(*, job_id: int) -> uuid.UUID | None:
    """Take the job for this delivery; returns the claim, or None if not ours to run."""
    now = timezone.now()
    token = uuid.uuid4()
    claimable = Q(state=Job.State.PENDING) | Q(
        state=Job.State.RUNNING, heartbeat_at__lt=now - _timeout()
    )
    claimed = Job.objects.filter(
        claimable, pk=job_id, attempts__lt=settings.JOB_MAX_ATTEMPTS
    ).update(
        state=Job.State.RUNNING,
        claim=token,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=now,
        progress=0.0,
        message="Started.",
    )
    return token if claimed else None


def _mine(job_id: int, token: uuid.UUID):
    return Job.objects.filter(pk=job_id, claim=token, state=Job.State.RUNNING)


def _finish(job_id: int, token: uuid.UUID, **fields: Any) -> bool:
    done = _mine(job_id, token).update(finished_at=timezone.now(), **fields)
    if not done:
        logger.warning("Job %s was taken over by another delivery; this result is dropped", job_id)
    return bool(done)


class _Heartbeat(threading.Thread):
    """Bumps the job's heartbeat while the work runs (in this thread's own connection)."""

    def __init__(self, job_id: int, token: uuid.UUID) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.token = job_id, token
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.JOB_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(interval):
                try:
                    _mine(self.job_id, self.token).update(heartbeat_at=timezone.now())
                except Exception as exc:  # a missed beat is retried next interval
                    logger.warning("Job %s heartbeat failed: %s", self.job_id, exc)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def job_run(*, job_id: int, work: Work) -> Job | None:
    """Run ``work`` for the job if this delivery can claim it; idempotent.

    A delivery of a finished job, or of one another live delivery is running,
    changes nothing. An error in the work ends the job "failed" with the reason.
    """
    token = job_claim(job_id=job_id)
    if token is None:
        logger.info("Job %s is finished, gone or running elsewhere: nothing to do", job_id)
        return Job.objects.filter(pk=job_id).first()
    job = Job.objects.select_related("deck__source", "source").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        updated = _mine(job_id, token).update(
            progress=round(done / total, 4) if total else 1.0,
            heartbeat_at=timezone.now(),
            message=f"Generated questions for {done} of {total} passages.",
        )
        if not updated:
            raise JobLost(job_id)
        if total and (done == total or done * 10 // total != (done - 1) * 10 // total):
            logger.info("Job %s: generated questions for %s of %s passages", job_id, done, total)

    beat = _Heartbeat(job_id, token) if settings.JOB_HEARTBEAT_SECONDS > 0 else None
    if beat is not None:
        beat.start()
    try:
        result, message = work(job, progress)
    except JobLost:
        logger.warning("Job %s was taken over by another delivery; this one stops", job_id)
    except SoftTimeLimitExceeded:
        _finish(
            job_id,
            token,
            state=Job.State.FAILED,
            claim=None,
            message=(f"Stopped after the time limit of {settings.CELERY_TASK_SOFT_TIME_LIMIT} s."),
        )
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        _finish(
            job_id,
            token,
            state=Job.State.FAILED,
            claim=None,
            message=f"Failed: {exc.__class__.__name__}: {exc}"[:2000],
        )
    else:
        _finish(
            job_id,
            token,
            state=Job.State.SUCCEEDED,
            progress=1.0,
            result=result,
            claim=None,
            message=message,
        )
    finally:
        if beat is not None:
            beat.stop()
    return Job.objects.filter(pk=job_id).first()


def jobs_recover(*, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Requeue jobs whose worker died or whose message was lost; fail the hopeless.

    Returns how many jobs were failed, put back to pending, and sent.
    """
    now = now or timezone.now()
    stale_before = now - _timeout()
    counts = {"failed": 0, "requeued": 0, "sent": 0}
    stale = Job.objects.filter(state=Job.State.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before)
    )
    for job_id, attempts, heartbeat_at in stale.values_list("pk", "attempts", "heartbeat_at")[
        :limit
    ]:
        # Conditional on nothing having changed since we looked at it.
        unchanged = Job.objects.filter(
            pk=job_id, state=Job.State.RUNNING, heartbeat_at=heartbeat_at
        )
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            counts["failed"] += unchanged.update(
                state=Job.State.FAILED,
                claim=None,
                finished_at=now,
                message=(
                    f"The worker running this job stopped responding {attempts} times; "
                    "gave up. Start the job again to retry."
                ),
            )
        else:
            counts["requeued"] += unchanged.update(
                state=Job.State.PENDING,
                claim=None,
                enqueued_at=None,
                message=(
                    f"The worker running this job stopped responding; it will run "
                    f"again (attempt {attempts + 1} of {settings.JOB_MAX_ATTEMPTS})."
                ),
            )
    resend = (
        Job.objects.filter(state=Job.State.PENDING)
        .filter(
            Q(enqueued_at__isnull=True, created_at__lt=now - FIRST_SEND_GRACE)
            | Q(enqueued_at__isnull=True, attempts__gt=0)
            | Q(enqueued_at__lt=now - timedelta(seconds=settings.JOB_RESEND_SECONDS))
        )
        .order_by("created_at")
    )
    for job_id, previous in resend.values_list("pk", "enqueued_at")[:limit]:
        outcome = _send(job_id, previous)
        if outcome == "sent":
            counts["sent"] += 1
        elif outcome == "failed":
            break  # the broker is away: try again on the next run
    if any(counts.values()):
        logger.info("Job recovery: %s", counts)
    return counts
