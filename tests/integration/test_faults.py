"""Faults on PostgreSQL and Redis: the broker down, database connections killed mid-load.

Each test counts: nothing acknowledged is lost, nothing is stored twice.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.content.models import Job, Question
from quizzes.content.services import source_import
from quizzes.study.models import ReviewLog, StudySettings
from quizzes.teaching.models import Attempt
from tests.conftest import authenticated
from tests.factories import PASSWORD, DeckFactory, PassageFactory, QuestionFactory
from tests.integration.processes import (
    FAST_JOBS,
    Process,
    app_broker,
    beat_command,
    env_for,
    wait_until,
    worker_command,
)
from tests.quizzes.conftest import GREEN_REVOLUTION
from tests.teaching.factories import AssignmentFactory, QuizSetFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"
# With the broker down a request may spend at most this long trying to send.
BROKER_DOWN_REQUEST_SECONDS = 5
QUEUED_WORK_BOUND_SECONDS = 60
# Every web-server connection to PostgreSQL is terminated this often.
KILL_EVERY_SECONDS = 0.5
# Clients keep posting reviews for this long while the connections are killed.
LOAD_SECONDS = 6.0


def _review(question, at) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "question": question.pk,
        "rating": 3,
        "reviewed_at": at.isoformat(),
        "duration_ms": 3000,
    }


def test_broker_down_everything_students_do_works_and_queued_work_runs_when_it_returns(
    api_client, teacher, student, classroom, redis_client, tmp_path, settings
):
    settings.STUDY_OPTIMISE_EVERY = 4
    now = timezone.now()
    cards = QuestionFactory.create_batch(4, passage=PassageFactory(deck=DeckFactory()))
    quiz_set = QuizSetFactory(owner=teacher, questions=cards[:2])
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz_set=quiz_set,
        attempts_allowed=1,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
    )
    deck = source_import(raw=GREEN_REVOLUTION, created_by=teacher).source.decks.get()
    slowest = 0.0
    # The process's first request imports every view (seconds on a busy machine);
    # that is not what the bound below is about.
    assert api_client.get("/healthz").status_code == 200

    with app_broker(CLOSED_PORT_BROKER):

        def timed(call):
            nonlocal slowest
            started = time.monotonic()
            response = call()
            slowest = max(slowest, time.monotonic() - started)
            return response

        login = timed(
            lambda: api_client.post(
                "/api/v1/auth/token", {"username": student.username, "password": PASSWORD}
            )
        )
        sam = authenticated(api_client, student)
        reviews = [
            timed(
                lambda q=q: sam.post(
                    "/api/v1/study/reviews", _review(q, now - timedelta(minutes=5)), format="json"
                )
            )
            for q in cards[:2]
        ]
        sync = timed(
            lambda: sam.post(
                "/api/v1/study/sync",
                {"reviews": [_review(q, now - timedelta(minutes=4)) for q in cards[2:]]},
                format="json",
            )
        )
        attempt = timed(lambda: sam.post(f"/api/v1/assignments/{assignment.pk}/attempts"))
        attempt_id = attempt.json()["id"]
        answer = timed(
            lambda: sam.put(
                f"/api/v1/attempts/{attempt_id}/responses/{cards[0].pk}",
                {"answer": "March 1921"},
                format="json",
            )
        )
        submit = timed(lambda: sam.post(f"/api/v1/attempts/{attempt_id}/submit"))
        generate = timed(
            lambda: authenticated(api_client, teacher).post(f"/api/v1/decks/{deck.pk}/generate")
        )

    # then every request succeeded, fast, and the queued work waits in the database
    assert login.status_code == 200 and "access" in login.json()
    assert [r.status_code for r in reviews] == [201, 201]
    assert sync.status_code == 200 and sync.json()["applied"] == 2
    assert (attempt.status_code, answer.status_code, submit.status_code) == (201, 200, 200)
    assert generate.status_code == 202
    assert slowest < BROKER_DOWN_REQUEST_SECONDS
    assert ReviewLog.objects.filter(user=student).count() == 4
    assert Attempt.objects.get(pk=attempt_id).submitted_at is not None
    job = Job.objects.get(pk=generate.json()["job"])
    assert (job.state, job.enqueued_at) == ("pending", None)
    requested = StudySettings.objects.get(user=student)
    assert requested.optimisation_requested_at is not None
    assert requested.optimisation_sent_at is None

    # when the broker is back a minute later, with a worker and beat
    minute_ago = timezone.now() - timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(created_at=minute_ago)
    StudySettings.objects.filter(user=student).update(optimisation_requested_at=minute_ago)
    env = {**env_for(), **FAST_JOBS}
    worker = Process(worker_command(name="back"), env, tmp_path / "worker.log")
    beat = Process(
        beat_command(tmp_path / "beat-schedule"),
        {**env, "DJANGO_SETTINGS_MODULE": "tests.integration.recovery_beat_settings"},
        tmp_path / "beat.log",
    )
    try:
        took = wait_until(
            lambda: (
                Job.objects.get(pk=job.pk).state == "succeeded"
                and StudySettings.objects.get(user=student).optimisation_requested_at is None
            ),
            QUEUED_WORK_BOUND_SECONDS,
            "the queued generation and optimisation ran",
        )
    finally:
        worker.stop()
        beat.stop()

    # then the generation job ran once and the optimisation ran for the request
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.result["questions"] == Question.objects.filter(passage__deck=deck).count() > 0
    served = StudySettings.objects.get(user=student)
    assert served.optimisation_sent_at is None
    assert "only 0 qualifying reviews (< 20 to fit and check)" in served.optimisation_note
    received = [
        line
        for line in worker.text().splitlines()
        if "study_parameters_optimise_task[" in line and line.endswith(" received")
    ]
    assert len(received) == 1
    print(
        f"\nbroker down: slowest request {slowest:.2f} s; queued work ran {took:.1f} s "
        "after the broker returned"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(method: str, url: str, body: dict | None = None, token: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_database_connections_killed_mid_load_fail_cleanly_and_nothing_is_stored_twice(
    student, redis_client, tmp_path
):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # the web server checks passwords with the production hasher
    student.password = PBKDF2PasswordHasher().encode(PASSWORD, "faultsuitesalt")
    student.save(update_fields=["password"])
    deck = DeckFactory()
    passages = [PassageFactory(deck=deck, order=order) for order in range(1, 5)]
    cards = [QuestionFactory(passage=passages[i % 4]) for i in range(64)]
    port = _free_port()
    env = env_for(VAR_DIR=str(tmp_path / "var"), SECRET_KEY="fault-suite-" + "k" * 40)
    env["DATABASE_URL"] += "?application_name=fault-web"  # the connections to kill

    web = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "studyapp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-control-socket",
        ],
        env,
        tmp_path / "web.log",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _healthy(base), 60, "gunicorn answers")
        status, _, body = _request(
            "POST",
            f"{base}/api/v1/auth/token",
            {"username": student.username, "password": PASSWORD},
        )
        assert status == 200
        token = json.loads(body)["access"]
        now = timezone.now()
        reviews: list[dict] = []
        counter = iter(range(10**6))
        acknowledged: list[str] = []
        unclean: list[tuple[int, str, bytes]] = []
        unavailable = [0]
        lock = threading.Lock()
        stop = threading.Event()
        terminated = [0]

        def killer():
            from django.db import connections

            while not stop.wait(KILL_EVERY_SECONDS):
                with connections["default"].cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                        "FROM pg_stat_activity "
                        "WHERE datname = current_database() AND application_name = "
                        "'fault-web'"
                    )
                    terminated[0] += cursor.fetchone()[0]
            connections["default"].close()

        def client(mine: list):
            deadline = time.monotonic() + LOAD_SECONDS
            while time.monotonic() < deadline:
                with lock:
                    number = next(counter)
                    review = _review(
                        mine[number % len(mine)],
                        now - timedelta(hours=2) + timedelta(seconds=number),
                    )
                    reviews.append(review)
                for _ in range(40):
                    try:
                        status, kind, body = _request(
                            "POST", f"{base}/api/v1/study/reviews", review, token
                        )
                    except OSError:
                        time.sleep(0.2)
                        continue
                    if status in (200, 201):
                        with lock:
                            acknowledged.append(review["id"])
                        break
                    with lock:
                        if (
                            status == 503
                            and kind == "application/json"
                            and set(json.loads(body)) == {"code", "message", "fields"}
                        ):
                            unavailable[0] += 1
                        else:
                            unclean.append((status, kind, body[:300]))
                    time.sleep(0.2)

        kill_thread = threading.Thread(target=killer)
        clients = [threading.Thread(target=client, args=(cards[i::8],)) for i in range(8)]
        started = time.monotonic()
        kill_thread.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        stop.set()
        kill_thread.join()
        took = time.monotonic() - started
    finally:
        web.stop()
    connection.close()

    stored = list(ReviewLog.objects.filter(user=student).values_list("client_id", flat=True))
    assert unclean == []
    assert terminated[0] > 0
    assert sorted(acknowledged) == sorted(r["id"] for r in reviews)
    assert len(stored) == len(set(stored)) == len(reviews)
    assert {str(client_id) for client_id in stored} == {r["id"] for r in reviews}
    print(
        f"\ndatabase kills: {terminated[0]} backends terminated over {took:.1f} s; "
        f"{len(reviews)} reviews acknowledged and stored once; {unavailable[0]} JSON 503s "
        "retried"
    )


def _healthy(base: str) -> bool:
    try:
        return _request("GET", f"{base}/healthz")[0] == 200
    except OSError:
        return False
