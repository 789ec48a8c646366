#!/usr/bin/env python
"""The study path's figures in one run: throughput ratios under locust, queries
per review, progress at 500 and 20,000 cards, the queue beside other teachers'
private sources, and the nightly roll-up on two worker processes.

Usage (PostgreSQL and Redis, as production runs; use a database you can throw away):

    createdb -h 127.0.0.1 -U studyapp studyapp_bench
    DATABASE_URL=postgres://studyapp@127.0.0.1:5432/studyapp_bench \\
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python scripts/bench_study.py

Options: --seconds (locust run, 30), --users (locust users per kind, 2),
--rollup-users (5000), --port (gunicorn, a free one by default), --only
(load, queries, progress, queue, rollup: run some sections only).

Without DATABASE_URL it uses a temporary SQLite file (and without REDIS_URL the
roll-up section is skipped): fine for trying the script, not for the figures.
Each run adds its own rows (names carry a run tag) and removes nothing, so run
it on a database made for it. gunicorn runs as `make run` starts it (2 workers x
4 threads); the servers this script starts are stopped by their process ids.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

# locust patches the standard library with gevent: before anything opens a socket.
import gevent
from locust import HttpUser, constant, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-42"
TAG = secrets.token_hex(3)
SECTIONS = ("load", "queries", "progress", "queue", "rollup")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment() -> tuple[dict[str, str], str]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-study-"))
    (workdir / "static").mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "VAR_DIR": str(workdir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "AUTH_THROTTLE_RATE": "10000/minute",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    if not os.environ.get("REDIS_URL"):
        env["CELERY_BROKER_URL"] = "memory://"
    os.environ.update(env)
    return {**os.environ}, os.environ["DATABASE_URL"].split(":")[0]


# --- Data --------------------------------------------------------------------


def curated_deck(title: str, questions: int, *, owner=None):
    """A source with one deck of ``questions`` approved questions (10 a passage)."""
    from quizzes.content.models import Deck, Passage, Question, Source

    source = Source.objects.create(
        title=f"{title} {TAG}", checksum=secrets.token_hex(32), created_by=owner
    )
    deck = Deck.objects.create(source=source, order=1, title=title)
    passages = Passage.objects.bulk_create(
        [
            Passage(deck=deck, order=i, text="t", word_count=1, content_hash=secrets.token_hex(32))
            for i in range((questions + 9) // 10)
        ]
    )
    Question.objects.bulk_create(
        [
            Question(
                passage=passages[i // 10],
                kind="cloze",
                prompt="Q ____",
                answer="a",
                status="approved",
                score=0.5,
            )
            for i in range(questions)
        ],
        batch_size=2000,
    )
    return deck, list(Question.objects.filter(passage__deck=deck).values_list("pk", flat=True))


def student(name: str):
    from accounts.models import User

    return User.objects.create_user(
        f"{name}-{TAG}", f"{name}-{TAG}@example.com", PASSWORD, role="student"
    )


def collection(user, question_ids: list[int], now: datetime, reviews_per_card: int = 2) -> None:
    """Cards in review for ``question_ids``, with a log spread over the last year."""
    from quizzes.study.models import CardState, ReviewLog
    from quizzes.study.tallies import tallies_rebuild

    cards, logs = [], []
    for index, question_id in enumerate(question_ids):
        last = now - timedelta(days=index % 300, hours=index % 24)
        cards.append(
            CardState(
                user=user,
                question_id=question_id,
                state="review",
                stability=1.0 + index % 50,
                difficulty=5.0,
                last_review=last,
                due=last + timedelta(days=1 + index % 40),
                reps=reviews_per_card,
            )
        )
        for n in range(reviews_per_card):
            logs.append(
                ReviewLog(
                    user=user,
                    question_id=question_id,
                    client_id=uuid.uuid4(),
                    rating=1 + (index + n) % 4,
                    reviewed_at=last - timedelta(days=n * 3),
                    duration_ms=4000,
                    state_before={"state": "new" if n == reviews_per_card - 1 else "review"},
                    state_after={"state": "review"},
                )
            )
    CardState.objects.bulk_create(cards, batch_size=2000)
    ReviewLog.objects.bulk_create(logs, batch_size=2000)
    # bulk_create bypasses the review path: compute the learner's tallies as it would
    tallies_rebuild([user.pk])


def analyze() -> None:
    """Fresh planner statistics after bulk inserts, as autovacuum would give them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Servers -----------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
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
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        import requests

        for _ in range(300):
            try:
                requests.get(f"{self.url}/healthz", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def token(base: str, username: str) -> str:
    import requests

    response = requests.post(
        f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access"]


def median_ms(base: str, path: str, access: str, repeat: int) -> float:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {access}"
    for _ in range(3):
        session.get(base + path, timeout=60).raise_for_status()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        session.get(base + path, timeout=60).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- Sections ----------------------------------------------------------------


def section_load(server: Gunicorn, question_ids: list[int], users: int, seconds: int) -> None:
    """Locust: review, /me and queue users side by side in one run, each a new student."""
    accounts = iter([student(f"load{i}").username for i in range(users * 3)])

    class Student(HttpUser):
        abstract = True
        host = server.url
        wait_time = constant(0)

        def on_start(self) -> None:
            name = next(accounts)
            access = self.client.post(
                "/api/v1/auth/token", json={"username": name, "password": PASSWORD}, name="token"
            ).json()["access"]
            self.client.headers["Authorization"] = f"Bearer {access}"
            self.next_question = 0

    class Reviewer(Student):
        @task
        def review(self) -> None:
            # a new student works through the deck: a new card each time
            question = question_ids[self.next_question % len(question_ids)]
            self.next_question += 1
            self.client.post(
                "/api/v1/study/reviews",
                name="review",
                json={
                    "id": str(uuid.uuid4()),
                    "question": question,
                    "rating": 3,
                    "reviewed_at": datetime.now(UTC).isoformat(),
                    "duration_ms": 4000,
                },
            )

    class Me(Student):
        @task
        def me(self) -> None:
            self.client.get("/api/v1/me", name="me")

    class Queue(Student):
        @task
        def queue(self) -> None:
            self.client.get("/api/v1/study/queue?limit=20", name="queue")

    env = Environment(user_classes=[Reviewer, Me, Queue])
    runner = env.create_local_runner()
    runner.start(users * 3, spawn_rate=users * 3)
    gevent.sleep(3)  # everyone logged in and warm
    env.stats.reset_all()
    started = time.perf_counter()
    gevent.sleep(seconds)
    elapsed = time.perf_counter() - started
    runner.quit()
    stats = {
        name: env.stats.get(name, method)
        for name, method in (("review", "POST"), ("me", "GET"), ("queue", "GET"))
    }
    rps = {name: entry.num_requests / elapsed for name, entry in stats.items()}
    print(
        f"\nload: locust, {users} user(s) of each kind, {seconds} s, gunicorn 2 workers x 4 threads"
    )
    for name, entry in stats.items():
        print(
            f"  {name:<7} {entry.num_requests:6d} requests  {rps[name]:7.1f}/s  "
            f"median {entry.median_response_time:5.0f} ms  failures {entry.num_failures}"
        )
    print(
        f"  POST /study/reviews / GET /me throughput: {rps['review'] / rps['me']:.2f}"
        "  (goal >= 0.75)"
    )
    print(
        f"  GET /study/queue?limit=20 / GET /me throughput: {rps['queue'] / rps['me']:.2f}"
        "  (goal >= 0.5)"
    )


def section_queries(question_ids: list[int]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    user = student("queries")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    print(f"\nqueries per review ({connection.vendor}, JWT, BEGIN and COMMIT counted):")
    now = datetime.now(UTC)
    for label, question, at in (
        ("first review of a new user", question_ids[0], -30),
        ("a new card", question_ids[1], -20),
        ("an existing card", question_ids[0], -10),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/v1/study/reviews",
                {
                    "id": str(uuid.uuid4()),
                    "question": question,
                    "rating": 3,
                    "reviewed_at": (now + timedelta(seconds=at)).isoformat(),
                },
                format="json",
            )
        assert response.status_code == 201, response.content
        print(f"  {label:<28} {len(queries.captured_queries)}  (goal <= 5)")


def section_progress(server: Gunicorn, repeat: int) -> None:
    from accounts.models import Classroom, Membership, User

    now = datetime.now(UTC)
    # a teacher's own text, so that the other sections' students do not see it
    teacher = User.objects.create_user(
        f"teacher-p-{TAG}", f"teacher-p-{TAG}@example.com", PASSWORD, role="teacher"
    )
    classroom = Classroom.objects.create(teacher=teacher, name="Bench", join_code=TAG.upper())
    _, questions = curated_deck("Progress", 20_000, owner=teacher)
    small, large = student("progress500"), student("progress20000")
    for user in (small, large):
        Membership.objects.create(classroom=classroom, student=user)
    collection(small, questions[:500], now)
    collection(large, questions, now)
    analyze()
    times = {}
    for user in (small, large):
        times[user] = median_ms(
            server.url, "/api/v1/study/progress", token(server.url, user.username), repeat
        )
    print(f"\nprogress: GET /study/progress, median of {repeat}")
    print(
        f"  500 cards {times[small]:.1f} ms, 20,000 cards {times[large]:.1f} ms: "
        f"{times[large] / times[small]:.2f}x  (goal <= 1.5x, under 100 ms)"
    )


def section_queue(server: Gunicorn, repeat: int) -> None:
    from accounts.models import User
    from quizzes.study.models import StudySettings

    _, questions = curated_deck("Queue", 2_000)
    learner = student("queue")
    StudySettings.objects.create(user=learner, new_per_day=20)
    collection(learner, questions[:300], datetime.now(UTC), reviews_per_card=1)
    analyze()
    access = token(server.url, learner.username)
    before = median_ms(server.url, "/api/v1/study/queue?limit=20", access, repeat)
    teacher = User.objects.create_user(
        f"teacher-{TAG}", f"teacher-{TAG}@example.com", PASSWORD, role="teacher"
    )
    for index in range(41):
        curated_deck(f"Private {index}", 500, owner=teacher)
    analyze()
    after = median_ms(server.url, "/api/v1/study/queue?limit=20", access, repeat)
    print(f"\nqueue: GET /study/queue?limit=20, median of {repeat}, a student with 300 cards")
    print(
        f"  {before:.1f} ms, then {after:.1f} ms with another teacher's 20,500 private "
        f"questions: {after / before:.2f}x  (goal: flat)"
    )


def section_rollup(env: dict[str, str], users: int) -> None:
    from accounts.models import User
    from quizzes.study.models import CardState, ReviewLog, StudyDay
    from quizzes.study.tasks import study_day_rollup_task, study_rollup_all_task

    if "CELERY_BROKER_URL" in env and env["CELERY_BROKER_URL"] == "memory://":
        print("\nrollup: skipped (no REDIS_URL)")
        return
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    _, questions = curated_deck("Rollup", 10)
    learners = User.objects.bulk_create(
        [
            User(username=f"night{i}-{TAG}", email=f"night{i}-{TAG}@example.com")
            for i in range(users)
        ],
        batch_size=2000,
    )
    CardState.objects.bulk_create(
        [
            CardState(
                user=u,
                question_id=questions[i % 10],
                state="review",
                stability=3.0,
                difficulty=5.0,
                last_review=at,
                due=at + timedelta(days=5),
                reps=1,
            )
            for i, u in enumerate(learners)
        ],
        batch_size=2000,
    )
    ReviewLog.objects.bulk_create(
        [
            ReviewLog(
                user=u,
                question_id=questions[i % 10],
                client_id=uuid.uuid4(),
                rating=3,
                reviewed_at=at,
                duration_ms=3000,
                state_before={"state": "new"},
                state_after={"state": "review"},
            )
            for i, u in enumerate(learners)
        ],
        batch_size=2000,
    )
    ids = [u.pk for u in learners]
    log = Path(env["VAR_DIR"]) / "worker.log"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "studyapp",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"bench-{TAG}@%h",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while "ready." not in log.read_text(errors="replace"):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit(f"the worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        # both processes have imported the study code before the clock starts
        warm = [study_day_rollup_task.delay(0, day.isoformat()) for _ in range(4)]
        for result in warm:
            result.get(timeout=120)
        started = time.perf_counter()
        study_rollup_all_task.delay(day.isoformat())
        while StudyDay.objects.filter(user_id__in=ids, date=day).count() < users:
            if time.perf_counter() - started > 600:
                raise SystemExit("the roll-up did not finish in 10 minutes")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    print(f"\nrollup: nightly roll-up of {users} learners, one worker with 2 processes")
    print(
        f"  {elapsed:.2f} s from sending the task to the last row: {users / elapsed:.0f} "
        "users/s  (goal >= 500)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=2)
    parser.add_argument("--rollup-users", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--only", nargs="*", choices=SECTIONS, default=list(SECTIONS))
    args = parser.parse_args()

    env, vendor = environment()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"database: {vendor}, run tag {TAG}")
    server = (
        Gunicorn(env, args.port or free_port())
        if set(args.only) & {"load", "progress", "queue"}
        else None
    )
    try:
        _, question_ids = curated_deck("Load", 2_000)
        analyze()
        if "queries" in args.only:
            section_queries(question_ids)
        if "load" in args.only:
            section_load(server, question_ids, args.users, args.seconds)
        if "progress" in args.only:
            section_progress(server, args.repeat)
        if "queue" in args.only:
            section_queue(server, args.repeat)
        if "rollup" in args.only:
            section_rollup(env, args.rollup_users)
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
