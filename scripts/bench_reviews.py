#!/usr/bin/env python
"""Median and p95 time of POST /api/v1/study/reviews under load, next to GET /api/v1/me.

Usage: .venv/bin/python scripts/bench_reviews.py [--requests 600] [--threads 8] [--workers 4]

Starts gunicorn on a free localhost port against a temporary SQLite database
(migrated from scratch, with one student and 2,000 approved questions), then
sends a bounded number of requests from a thread pool: reviews and the trivial
authenticated endpoint GET /api/v1/me interleaved in the same run, so both are
measured under the same load. Everything lives in a temporary folder, removed
at the end; the server is stopped by its own process id.
"""

from __future__ import annotations

import argparse
import os
import random
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


def prepare(env: dict[str, str], questions: int) -> None:
    script = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from accounts.models import User
from quizzes.models import Deck, Passage, Question, Source
User.objects.create_user("bench", "bench@example.com", {PASSWORD!r}, role="student")
source = Source.objects.create(title="Bench", checksum="0" * 64)
deck = Deck.objects.create(source=source, order=1, title="Bench")
passages = Passage.objects.bulk_create([
    Passage(deck=deck, order=i, text="t", word_count=1, content_hash=f"{{i:064x}}")
    for i in range({questions} // 10)])
Question.objects.bulk_create([
    Question(passage=passages[i // 10], kind="cloze", prompt="Q ____", answer="a",
             status="approved", score=0.5) for i in range({questions})])
"""
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


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
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
    }
    prepare(env, args.questions)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "studyapp.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        token = requests.post(f"{base}/auth/token",
                              json={"username": "bench", "password": PASSWORD},
                              timeout=10).json()["access"]
        headers = {"Authorization": f"Bearer {token}"}
        question_ids = list(range(1, args.questions + 1))
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
                response = session().post(f"{base}/study/reviews", json={
                    "id": str(uuid.uuid4()), "question": rng.choice(question_ids),
                    "rating": rng.choice((1, 2, 3, 3, 3, 4)),
                    "reviewed_at": datetime.now(UTC).isoformat(), "duration_ms": 5000,
                }, timeout=30)
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

    print(f"gunicorn {args.workers} sync workers, SQLite, {args.threads} client threads, "
          f"{len(jobs)} requests in {wall:.1f} s ({len(jobs) / wall:.0f} req/s)")
    for kind, label in (("me", "GET /api/v1/me"), ("review", "POST /api/v1/study/reviews")):
        times = [t * 1000 for k, t, _ in results if k == kind]
        codes = sorted({c for k, _, c in results if k == kind})
        print(f"  {label:<28} n={len(times)}  median {statistics.median(times):6.1f} ms  "
              f"p95 {percentile(times, 0.95):6.1f} ms  status {codes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
