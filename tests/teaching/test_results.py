from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from quizzes.teaching.models import Attempt
from quizzes.teaching.selectors import assignment_results
from quizzes.teaching.selectors.results import _discrimination
from quizzes.teaching.services import (
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
    response_save,
)
from tests.conftest import authenticated
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def take(student, assignment, answers, *, start, minutes=None):
    """Start at `start`, save `answers` ({question: answer}), submit after `minutes`."""
    attempt, _ = attempt_start(student=student, assignment=assignment, now=start)
    for question, answer in answers.items():
        response_save(attempt=attempt, question_id=question.pk, answer=answer, now=start)
    if minutes is not None:
        attempt_submit(attempt=attempt, now=start + timedelta(minutes=minutes))
    return attempt


@pytest.fixture
def taken(classroom, student, classmate, assignment, questions):
    """Four students took the 3-question quiz (highest grade counts); finn did not.

    cleo 1 then 3 right, sam 2 (wrong true/false), dan 1 (the choice), eve 1
    (true/false, timed out after 20 minutes).
    """
    cloze, choice, true_false = questions
    dan, eve, finn = (UserFactory(username=name) for name in ("dan", "eve", "finn"))
    for user in (dan, eve, finn):
        MembershipFactory(classroom=classroom, student=user)
    take(
        student,
        assignment,
        {cloze: "March 1921", choice: "The Tenth Party Congress", true_false: "false"},
        start=MONDAY,
        minutes=10,
    )
    take(classmate, assignment, {true_false: "true"}, start=MONDAY, minutes=5)
    take(
        classmate,
        assignment,
        {cloze: "1921", choice: "The Tenth Party Congress", true_false: "True"},
        start=MONDAY + timedelta(hours=1),
        minutes=2,
    )
    take(dan, assignment, {choice: 1}, start=MONDAY, minutes=4)
    take(eve, assignment, {true_false: "t"}, start=MONDAY)
    assert attempts_close_overdue(now=MONDAY + timedelta(hours=1)) == 1
    return assignment


def test_results_per_student_and_per_question(api_client, teacher, taken, questions):
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        response = authenticated(api_client, teacher).get(f"/api/v1/assignments/{taken.pk}/results")

    assert response.status_code == 200
    body = response.json()
    assert [
        (
            row["student"]["username"],
            row["status"],
            row["attempts"],
            row["score"],
            row["max_score"],
            row["percent"],
            row["time_taken_seconds"],
        )
        for row in body["students"]
    ] == [
        ("cleo", "submitted", 2, 3.0, 3.0, 100.0, 120.0),
        ("dan", "submitted", 1, 1.0, 3.0, 33.3, 240.0),
        ("eve", "late", 1, 1.0, 3.0, 33.3, 1200.0),
        ("finn", "not_started", 0, None, None, None, None),
        ("sam", "submitted", 1, 2.0, 3.0, 66.7, 600.0),
    ]
    # counted attempts ranked: cleo 3, sam 2, dan 1, eve 1 (the earlier attempt first);
    # 27% of 4 rounds to 1: top is cleo, bottom is eve
    cloze, choice, true_false = questions
    assert [
        (
            row["question"],
            row["answered"],
            row["correct"],
            row["facility"],
            row["discrimination"],
            row["option_counts"],
        )
        for row in body["questions"]
    ] == [
        (cloze.pk, 2, 2, 0.5, 1.0, None),
        (
            choice.pk,
            3,
            3,
            0.75,
            1.0,
            {
                "The Ninth Party Congress": 0,
                "The Tenth Party Congress": 3,
                "The Eleventh Party Congress": 0,
                "The Twelfth Party Congress": 0,
            },
        ),
        (true_false.pk, 3, 2, 0.5, 0.0, {"True": 2, "False": 1}),
    ]


@pytest.mark.parametrize(
    ("method", "score", "seconds"),
    [("highest", 3.0, 120.0), ("last", 3.0, 120.0), ("average", 2.0, 210.0)],
)
def test_the_grade_follows_the_grading_method(taken, method, score, seconds):
    taken.grading_method = method
    taken.save()

    results = assignment_results(assignment=taken, now=MONDAY + timedelta(hours=2))

    cleo = next(row for row in results.students if row.student.username == "cleo")
    assert (cleo.score, cleo.time_taken_seconds, cleo.graded_attempts) == (score, seconds, 2)


def test_the_highest_grade_counts_the_first_attempt_that_reached_it(taken, classmate):
    Attempt.objects.filter(student=classmate, number=2).update(score=1.0)

    results = assignment_results(assignment=taken, now=MONDAY + timedelta(hours=2))

    cleo = next(row for row in results.students if row.student.username == "cleo")
    assert (cleo.score, cleo.time_taken_seconds) == (1.0, 300.0)


def test_discrimination_is_negative_when_weaker_students_do_better():
    ranked = [
        (None, False),
        (None, False),
        (None, True),
        (None, True),
        (None, True),
        (None, True),
        (None, True),
    ]
    # 27% of 7 is 1.89, so the top two and the bottom two
    assert _discrimination(ranked) == -1.0
    assert _discrimination(ranked[:1]) is None


def test_the_gradebook_csv(api_client, teacher, taken):
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        response = authenticated(api_client, teacher).get(
            f"/api/v1/assignments/{taken.pk}/results", {"format": "csv"}
        )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="assignment-{taken.pk}-grades.csv"'
    )
    lines = response.content.decode().split("\r\n")
    assert lines[0] == (
        "student_id,username,email,status,attempts,score,max_score,percent,"
        "time_taken_seconds,last_submitted_at"
    )
    assert lines[1].split(",")[1:] == [
        "cleo",
        "cleo@example.com",
        "submitted",
        "2",
        "3.0",
        "3.0",
        "100.0",
        "120.0",
        "2026-03-02T11:02:00+00:00",
    ]
    assert lines[4].split(",")[1:] == [
        "finn",
        "finn@example.com",
        "not_started",
        "0",
        "",
        "",
        "",
        "",
        "",
    ]
    assert len(lines) == 7 and lines[6] == ""


def test_a_csv_request_that_is_refused_answers_in_json(api_client, student, taken):
    response = authenticated(api_client, student).get(
        f"/api/v1/assignments/{taken.pk}/results", {"format": "csv"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
