#!/usr/bin/env python
"""Median and p95 time of POST /api/v1/study/reviews under load, next to GET /api/v1/me.

Usage: .venv/bin/python scripts/bench_reviews.py [--requests 600] [--threads 8] [--workers 4]

Starts gunicorn on a free localhost port against DATABASE_URL when it is set
(migrated, with rows of its own named with a run tag: use a database made for
it), otherwise a temporary SQLite file, with one student and 2,000 approved
questions, then
sends a bounded number of requests from a thread pool: reviews and the trivial
authenticated endpoint GET /api/v1/me interleaved in the same run, so both are
measured under the same load. Everything lives in a temporary folder, removed
at the end; the server is stopped by its own process id.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str], questions: int, tag: str) -> list[int]:
    """Migrate, add a student and a deck of approved questions; their ids."""
    script = f"""
import json, secrets
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from accounts.models import User
from quizzes.content.models import Deck, Passage, Question, Source
User.objects.create_user("bench-{tag}", "bench-{tag}@example.com", {PASSWORD!r},
                         role="student")
source = Source.objects.create(title="Bench {tag}", checksum=secrets.token_hex(32))
deck = Deck.objects.create(source=source, order=1, title="Bench")
passages = Passage.objects.bulk_create([
    Passage(deck=deck, order=i, text="t", word_count=1, content_hash=secrets.token_hex(32))
    for i in range({questions} // 10)])
Question.objects.bulk_create([
    Question(passage=passages[i // 10], kind="cloze", prompt="Q ____", answer="a",
             status="approved", score=0.5) for i in range({questions})])
print(json.dumps(list(Question.objects.filter(passage__deck=deck).values_list("pk", flat=True))))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="of each kind")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--questions", type=int, default=2000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-reviews-"))
    (workdir / "static").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "VAR_DIR": str(workdir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
    }
    tag = uuid.uuid4().hex[:6]
    question_ids = prepare(env, args.questions, tag)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "studyapp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        token = requests.post(
            f"{base}/auth/token",
            json={"username": f"bench-{tag}", "password": PASSWORD},
            timeout=10,
        ).json()["access"]
        headers = {"Authorization": f"Bearer {token}"}
        rng = random.Random(1)
        jobs = ["me", "review"] * args.requests
        rng.shuffle(jobs)
        local = __import__("threading").local()

        def session() -> requests.Session:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers.update(headers)
            return local.session

        def call(kind: str) -> tuple[str, float, int]:
            started = time.perf_counter()
            if kind == "me":
                response = session().get(f"{base}/me", timeout=30)
            else:
                response = session().post(
                    f"{base}/study/reviews",
                    json={
                        "id": str(uuid.uuid4()),
                        "question": rng.choice(question_ids),
                        "rating": rng.choice((1, 2, 3, 3, 3, 4)),
                        "reviewed_at": datetime.now(UTC).isoformat(),
                        "duration_ms": 5000,
                    },
                    timeout=30,
                )
            return kind, time.perf_counter() - started, response.status_code

        for _ in range(20):  # warm up every worker
            call("me")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            results = list(pool.map(call, jobs))
        wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"gunicorn {args.workers} sync workers, {env['DATABASE_URL'].split(':')[0]}, "
        f"{args.threads} client threads, "
        f"{len(jobs)} requests in {wall:.1f} s ({len(jobs) / wall:.0f} req/s)"
    )
    for kind, label in (("me", "GET /api/v1/me"), ("review", "POST /api/v1/study/reviews")):
        times = [t * 1000 for k, t, _ in results if k == kind]
        codes = sorted({c for k, _, c in results if k == kind})
        print(
            f"  {label:<28} n={len(times)}  median {statistics.median(times):6.1f} ms  "
            f"p95 {percentile(times, 0.95):6.1f} ms  status {codes}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
