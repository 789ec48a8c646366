"""List endpoints take a fixed number of queries, however many rows they return."""

from datetime import UTC, datetime

import pytest

from quizzes.teaching.services import attempt_start, attempt_submit
from tests.conftest import authenticated
from tests.factories import ClassroomFactory, MembershipFactory, UserFactory
from tests.teaching.factories import QuizSetFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_class_list(api_client, teacher, django_assert_num_queries):
    for name in ("A", "B", "C"):
        classroom = ClassroomFactory(teacher=teacher, name=name)
        MembershipFactory(classroom=classroom)
    client = authenticated(api_client, teacher)

    # count, page with student counts
    with django_assert_num_queries(2):
        response = client.get("/api/v1/classrooms")

    assert [(row["name"], row["student_count"]) for row in response.json()["results"]] == [
        ("A", 1),
        ("B", 1),
        ("C", 1),
    ]


def test_quiz_set_list(api_client, teacher, questions, django_assert_num_queries):
    for title in ("One", "Two", "Three"):
        QuizSetFactory(owner=teacher, title=title, questions=questions)
    client = authenticated(api_client, teacher)

    # count, page, items with their questions
    with django_assert_num_queries(3):
        response = client.get("/api/v1/quiz-sets")

    assert response.json()["count"] == 3
    assert response.json()["results"][0]["questions"] == [q.pk for q in questions]


def test_attempt_list_for_the_teacher(
    api_client, teacher, classroom, assignment, django_assert_num_queries
):
    for name in ("ann", "bob", "cat"):
        user = UserFactory(username=name)
        MembershipFactory(classroom=classroom, student=user)
        attempt_submit(
            attempt=attempt_start(student=user, assignment=assignment, now=MONDAY)[0], now=MONDAY
        )
    client = authenticated(api_client, teacher)

    # the assignment, count, page with students
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/assignments/{assignment.pk}/attempts")

    assert [(row["student"]["username"], row["score"]) for row in response.json()["results"]] == [
        ("ann", 0.0),
        ("bob", 0.0),
        ("cat", 0.0),
    ]
