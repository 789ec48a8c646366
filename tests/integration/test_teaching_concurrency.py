"""Races that only a database with row locks can show, on PostgreSQL."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

from quizzes.teaching.models import Attempt
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from quizzes.teaching.services import attempts as attempts_module

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_two_submits_at_once_grade_once(student, assignment, questions, monkeypatch):
    # given an attempt with one right answer, and a grader slow enough to overlap
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=questions[0].pk, answer="1921", now=MONDAY)
    calls = []
    real_grade = attempts_module._grade

    def slow_grade(locked):
        calls.append(locked.pk)
        time.sleep(0.3)
        return real_grade(locked)

    monkeypatch.setattr(attempts_module, "_grade", slow_grade)

    # when two submits arrive at the same moment
    results = run_together(
        lambda: attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=1)),
        lambda: attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=2)),
    )

    # then the attempt is graded once and both callers see that one result
    assert calls == [attempt.pk]
    assert {(result.score, result.submitted_at) for result in results} == {
        (1.0, results[0].submitted_at)}
    assert Attempt.objects.get().score == 1.0


def test_two_starts_at_once_open_one_attempt(student, assignment):
    results = run_together(
        lambda: attempt_start(student=student, assignment=assignment, now=MONDAY),
        lambda: attempt_start(student=student, assignment=assignment, now=MONDAY),
    )

    assert len({attempt.pk for attempt, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert Attempt.objects.count() == 1
