#!/usr/bin/env python
"""Count the queries (and time) of GET /api/v1/study/queue for a user with 20,000 cards.

Usage: .venv/bin/python scripts/bench_queue.py [--cards 20000] [--new 500]

Runs on DATABASE_URL when it is set (migrated, then filled with rows of their own,
named with a run tag; use a database made for it), otherwise on a throw-away
SQLite file in a temporary folder. Fills it with bulk inserts, then calls the
real view through Django's test client and counts the SQL it runs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=500, help="questions never studied")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    (workdir / "static").mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "studyapp.settings",
            "VAR_DIR": str(workdir),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import User
    from quizzes.content.models import Deck, Passage, Question, Source
    from quizzes.study.models import CardState, StudySettings

    call_command("migrate", verbosity=0)
    now = timezone.now()
    tag = secrets.token_hex(3)
    user = User.objects.create_user(f"bench-{tag}", f"bench-{tag}@example.com", "x", role="student")
    StudySettings.objects.create(user=user)
    source = Source.objects.create(title=f"Bench {tag}", checksum=secrets.token_hex(32))
    deck = Deck.objects.create(source=source, order=1, title="Bench deck")
    total = args.cards + args.new
    passages = Passage.objects.bulk_create(
        [
            Passage(deck=deck, order=i, text="t", word_count=1, content_hash=secrets.token_hex(32))
            for i in range(total // 10 + 1)
        ]
    )
    questions = Question.objects.bulk_create(
        [
            Question(
                passage=passages[i // 10],
                kind="cloze",
                prompt=f"Q{i} ____",
                answer="a",
                status="approved",
                score=0.5,
            )
            for i in range(total)
        ],
        batch_size=2000,
    )
    states = []
    for i, question in enumerate(questions[: args.cards]):
        if i % 700 == 0:  # a few learning cards, due in the last hour
            states.append(
                CardState(
                    user=user,
                    question=question,
                    state="learning",
                    step=1,
                    stability=2.3,
                    difficulty=5.0,
                    due=now - timedelta(minutes=i % 60),
                    last_review=now - timedelta(minutes=10 + i % 60),
                    reps=1,
                )
            )
        else:  # review cards spread over -30 .. +60 days
            due = now + timedelta(days=(i % 90) - 30, minutes=i % 1440)
            states.append(
                CardState(
                    user=user,
                    question=question,
                    state="review",
                    stability=1.0 + i % 97,
                    difficulty=5.0,
                    due=due,
                    last_review=due - timedelta(days=1 + i % 40),
                    reps=3 + i % 9,
                    lapses=i % 3,
                )
            )
    CardState.objects.bulk_create(states, batch_size=2000)

    client = APIClient()
    client.force_authenticate(user)
    print(
        f"user with {CardState.objects.filter(user=user).count()} card states, "
        f"{args.new} new questions ({connection.vendor})"
    )
    for limit in (50, 200):
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/api/v1/study/queue", {"limit": limit})
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content
        body = response.json()
        print(
            f"GET /api/v1/study/queue?limit={limit}: {len(queries)} queries, "
            f"{len(body['cards'])} cards, due_count={body['due_count']}, "
            f"new_count={body['new_count']}, median {statistics.median(timings) * 1000:.0f} ms"
        )
        sql_ms = [round(float(q["time"]) * 1000) for q in queries.captured_queries]
        print(f"  SQL time per query (ms): {sql_ms}")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/api/v1/study/progress")
        elapsed = time.perf_counter() - started
    print(f"GET /api/v1/study/progress: {len(queries)} queries, {elapsed * 1000:.0f} ms")
    connection.close()
    shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
