"""Job deliveries: one claim runs a job, late deliveries change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.content.models import Job, Question
from quizzes.content.services import source_import
from quizzes.content.services.generation import job_run_generation
from quizzes.content.services.jobs import job_claim, job_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(teacher, green_revolution):
    deck = source_import(raw=green_revolution, created_by=teacher).source.decks.get()
    return Job.objects.create(kind="generate", deck=deck, source=deck.source, created_by=teacher)


def test_a_second_delivery_of_a_finished_job_changes_nothing(job):
    first = job_run_generation(job_id=job.pk)
    questions = dict(Question.objects.values_list("id", "updated_at"))

    again = job_run_generation(job_id=job.pk)

    assert first.state == again.state == "succeeded"
    assert again.attempts == 1
    assert again.result == first.result
    assert again.finished_at == first.finished_at
    assert dict(Question.objects.values_list("id", "updated_at")) == questions


def test_a_delivery_that_lost_its_claim_never_overwrites_the_result(job, settings):
    # given a first delivery whose worker went silent, and a second that took over
    def slow_then_taken_over(job_row, progress):
        stale = timezone.now() - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS + 1)
        Job.objects.filter(pk=job_row.pk).update(heartbeat_at=stale)
        job_run(job_id=job_row.pk, work=lambda j, p: ({"questions": 2}, "second result"))
        return {"questions": 1}, "first result"

    # when the first one finishes after all
    job_run(job_id=job.pk, work=slow_then_taken_over)

    # then the second delivery's result stands
    job.refresh_from_db()
    assert (job.state, job.message, job.result, job.attempts) == (
        "succeeded",
        "second result",
        {"questions": 2},
        2,
    )


def test_an_error_in_the_work_ends_the_job_failed_with_the_reason(job):
    def broken(job_row, progress):
        raise ValueError("the passage table is gone")

    job_run(job_id=job.pk, work=broken)

    job.refresh_from_db()
    assert (job.state, job.message) == ("failed", "Failed: ValueError: the passage table is gone")
    assert job.claim is None
    assert job_claim(job_id=job.pk) is None


def test_a_job_without_deck_or_sources_fails_with_the_reason(teacher):
    job = Job.objects.create(kind="generate", created_by=teacher)

    job_run_generation(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == (
        "Failed: ApplicationError: The job names no deck and no sources to generate for."
    )


def test_the_job_api_shows_attempts_and_the_reason_a_job_failed(job, teacher, settings):
    from rest_framework.test import APIClient

    from quizzes.content.services.jobs import jobs_recover
    from tests.conftest import authenticated

    # given a job whose worker died on every one of its runs
    silent = timezone.now() - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(
        state="running", attempts=settings.JOB_MAX_ATTEMPTS, started_at=silent, heartbeat_at=silent
    )
    jobs_recover()
    client = authenticated(APIClient(), teacher)

    detail = client.get(f"/api/v1/jobs/{job.pk}").json()
    listed = client.get("/api/v1/jobs", {"state": "failed"}).json()["results"]

    reason = (
        f"The worker running this job stopped responding {settings.JOB_MAX_ATTEMPTS} "
        "times; gave up. Start the job again to retry."
    )
    assert (detail["state"], detail["attempts"], detail["message"]) == (
        "failed",
        settings.JOB_MAX_ATTEMPTS,
        reason,
    )
    assert [(j["id"], j["attempts"], j["message"]) for j in listed] == [
        (job.pk, settings.JOB_MAX_ATTEMPTS, reason)
    ]
