"""Generation jobs in real worker processes on PostgreSQL, through Redis and the file broker.

Worker SIGKILL mid-job: the job ends "succeeded" with every question stored
exactly once, within a stated time, on both brokers; concurrent deliveries and
concurrent generation of one deck store nothing twice.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from quizzes.content.models import Job, Passage, Question
from quizzes.content.services import source_import
from quizzes.content.services.generation import _fingerprint, source_candidates
from quizzes.content.services.jobs import job_claim, jobs_recover
from tests.conftest import authenticated
from tests.integration.processes import (
    FAST_JOBS,
    Process,
    SlowModel,
    app_broker,
    beat_command,
    env_for,
    filesystem_broker_env,
    filesystem_broker_options,
    wait_until,
    worker_command,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "fixtures" / "sources" / "000_a5d43fb121e80135.txt").read_text()
# A killed job must end within this many seconds of the kill (heartbeat timeout 4 s,
# recovery every second, then one full run of the deck at SLOW_PASSAGE_SECONDS each).
RECOVERY_BOUND_SECONDS = 60
SLOW_PASSAGE_SECONDS = 0.3


@pytest.fixture
def teacher_deck(teacher):
    """The deck with the most passages of a curated text, imported by `teacher`."""
    source = source_import(raw=TEXT, created_by=teacher).source
    return max(source.decks.all(), key=lambda d: d.passages.filter(is_current=True).count())


def _expected_fingerprints(deck) -> set[tuple[int, str]]:
    """What the rules generate for the deck, computed here without storing anything."""
    passages = list(
        Passage.objects.filter(deck=deck, is_current=True, is_hidden=False)
        .select_related("deck__source")
        .order_by("order")
    )
    return {
        (passage.pk, _fingerprint(candidate))
        for passage, candidates in source_candidates(deck.source, passages)
        for candidate in candidates
    }


def _stored(deck) -> list[tuple[int, str]]:
    return list(
        Question.objects.filter(passage__deck=deck).values_list("passage_id", "fingerprint")
    )


def _job(job_id: int) -> Job:
    return Job.objects.get(pk=job_id)


def test_generation_job_runs_end_to_end_in_a_real_worker(
    api_client, teacher, teacher_deck, redis_client, tmp_path
):
    worker = Process(worker_command(name="gen"), env_for(), tmp_path / "worker.log")
    try:
        worker.wait_for_log("ready.", 60)
        client = authenticated(api_client, teacher)

        response = client.post(f"/api/v1/decks/{teacher_deck.pk}/generate")

        assert response.status_code == 202
        job_id = response.json()["job"]

        def finished():
            body = client.get(f"/api/v1/jobs/{job_id}").json()
            return body if body["state"] in ("succeeded", "failed") else None

        wait_until(finished, 60, "the job finishes")
        body = finished()
    finally:
        worker.stop()
    stored = _stored(teacher_deck)
    assert body["state"] == "succeeded", body["message"]
    assert body["progress"] == 1.0
    passages = Passage.objects.filter(deck=teacher_deck, is_current=True).count()
    assert body["result"] == {
        "passages": passages,
        "created": len(stored),
        "questions": len(stored),
    }
    assert len(stored) > 0
    assert set(stored) == _expected_fingerprints(teacher_deck)
    assert _job(job_id).attempts == 1


def _kill_mid_job_and_recover(
    *, teacher, deck, tmp_path, env, broker_url, broker_options, kill: str
) -> tuple[Job, float]:
    """Start a generation job, SIGKILL its worker half-way, and let recovery finish it."""
    model = SlowModel(SLOW_PASSAGE_SECONDS)
    env = {**env, **FAST_JOBS, **model.env}
    beat = Process(
        beat_command(tmp_path / "beat-schedule"),
        {**env, "DJANGO_SETTINGS_MODULE": "tests.integration.recovery_beat_settings"},
        tmp_path / "beat.log",
    )
    worker = Process(worker_command(name="first"), env, tmp_path / "worker.log")
    second = None
    try:
        worker.wait_for_log("ready.", 60)
        from quizzes.content.services.generation import generation_start

        with app_broker(broker_url, broker_options):
            job = generation_start(user=teacher, deck=deck)
        wait_until(lambda: _job(job.pk).progress >= 0.25, 60, "the job is a quarter done")
        if kill == "worker":
            worker.kill_group()
            killed_at = time.monotonic()
            second = Process(worker_command(name="second"), env, tmp_path / "worker2.log")
        else:  # the pool child running the task; the worker itself lives on
            [child] = worker.children()
            os.kill(child, signal.SIGKILL)
            killed_at = time.monotonic()
        wait_until(
            lambda: _job(job.pk).state in ("succeeded", "failed"),
            RECOVERY_BOUND_SECONDS,
            "the killed job finishes",
        )
        took = time.monotonic() - killed_at
    finally:
        for process in (worker, second, beat):
            if process is not None:
                process.stop()
        model.close()
    return _job(job.pk), took


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_worker_killed_mid_job_the_job_still_finishes_once(
    broker, teacher, teacher_deck, redis_client, tmp_path
):
    if broker == "redis":
        env, url, options = env_for(), os.environ["TEST_REDIS_URL"], None
    else:
        var = tmp_path / "var"
        env, url, options = (
            env_for(**filesystem_broker_env(var)),
            "filesystem://",
            filesystem_broker_options(var),
        )
    expected = _expected_fingerprints(teacher_deck)

    job, took = _kill_mid_job_and_recover(
        teacher=teacher,
        deck=teacher_deck,
        tmp_path=tmp_path,
        env=env,
        broker_url=url,
        broker_options=options,
        kill="worker",
    )

    stored = _stored(teacher_deck)
    assert job.state == "succeeded", job.message
    assert job.attempts == 2
    assert took < RECOVERY_BOUND_SECONDS
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    assert job.result["questions"] == len(expected)
    print(
        f"\n{broker}: worker SIGKILL mid-job -> succeeded {took:.1f} s after the kill, "
        f"{len(stored)} questions, each once"
    )


def test_pool_child_killed_on_the_file_broker_the_worker_recovers_it(
    teacher, teacher_deck, redis_client, tmp_path
):
    var = tmp_path / "var"
    expected = _expected_fingerprints(teacher_deck)

    job, took = _kill_mid_job_and_recover(
        teacher=teacher,
        deck=teacher_deck,
        tmp_path=tmp_path,
        env=env_for(**filesystem_broker_env(var)),
        broker_url="filesystem://",
        broker_options=filesystem_broker_options(var),
        kill="child",
    )

    stored = _stored(teacher_deck)
    assert job.state == "succeeded", job.message
    assert job.attempts == 2
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    print(f"\nfilesystem: pool child SIGKILL mid-job -> succeeded {took:.1f} s after")


def test_only_one_of_many_concurrent_deliveries_claims_a_job(teacher, teacher_deck):
    job = Job.objects.create(kind="generate", deck=teacher_deck, created_by=teacher)
    claims: list[object] = []
    barrier = threading.Barrier(8)

    def deliver():
        barrier.wait()
        try:
            claims.append(job_claim(job_id=job.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([claim for claim in claims if claim is not None]) == 1
    assert _job(job.pk).attempts == 1
    assert _job(job.pk).state == "running"


def test_concurrent_generation_of_one_deck_stores_each_question_once(teacher, teacher_deck):
    from quizzes.content.services.generation import deck_generate

    expected = _expected_fingerprints(teacher_deck)
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run():
        barrier.wait()
        try:
            deck_generate(deck=teacher_deck)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = _stored(teacher_deck)
    assert errors == []
    assert len(stored) == len(expected)
    assert set(stored) == expected


def test_recovery_fails_a_job_whose_worker_keeps_dying(teacher, teacher_deck, settings):
    from datetime import timedelta

    from django.utils import timezone

    job = Job.objects.create(kind="generate", deck=teacher_deck, created_by=teacher)
    stale = timezone.now() - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS + 1)
    for attempt in range(1, settings.JOB_MAX_ATTEMPTS + 1):
        assert job_claim(job_id=job.pk) is not None
        Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)  # the worker died
        with app_broker("redis://127.0.0.1:1/0"):  # keep the resend from reaching a worker
            counts = jobs_recover()
        assert _job(job.pk).attempts == attempt
        if attempt < settings.JOB_MAX_ATTEMPTS:
            assert counts["requeued"] == 1
            assert _job(job.pk).state == "pending"

    failed = _job(job.pk)
    assert counts == {"failed": 1, "requeued": 0, "sent": 0}
    assert failed.state == "failed"
    assert failed.message == (
        f"The worker running this job stopped responding {settings.JOB_MAX_ATTEMPTS} times; "
        "gave up. Start the job again to retry."
    )
    assert job_claim(job_id=job.pk) is None
