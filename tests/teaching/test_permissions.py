"""Every endpoint of the teaching issue, for each kind of caller.

Callers: anonymous, a student in the class (who owns the attempt), a student not
in it, the class's teacher, and another teacher. A refused request (and every
read) must leave the database exactly as it was.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Classroom, Membership
from quizzes.teaching.models import Assignment, Attempt, QuizSet, QuizSetItem, Response
from quizzes.teaching.services import attempt_start, response_save

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ROLES = ["anonymous", "member", "outsider", "teacher", "other_teacher"]

# (name, method, path, body, expected status for each role in ROLES order)
MATRIX = [
    ("list classes", "get", "/classrooms", None, [401, 200, 200, 200, 200]),
    ("create class", "post", "/classrooms", {"name": "New"}, [401, 403, 403, 201, 201]),
    ("read class", "get", "/classrooms/{classroom}", None, [401, 200, 404, 200, 404]),
    (
        "close class",
        "patch",
        "/classrooms/{classroom}",
        {"is_open": False, "name": "Hacked"},
        [401, 403, 404, 200, 404],
    ),
    (
        "regenerate code",
        "post",
        "/classrooms/{classroom}/join-code",
        None,
        [401, 403, 404, 200, 404],
    ),
    ("join", "post", "/classrooms/join", {"code": "{code}"}, [401, 200, 200, 403, 403]),
    ("roster", "get", "/classrooms/{classroom}/students", None, [401, 403, 404, 200, 404]),
    (
        "remove student",
        "delete",
        "/classrooms/{classroom}/students/{member}",
        None,
        [401, 403, 404, 204, 404],
    ),
    ("list quiz sets", "get", "/quiz-sets", None, [401, 403, 403, 200, 200]),
    (
        "create quiz set",
        "post",
        "/quiz-sets",
        {"title": "Mine", "questions": ["{question}"]},
        [401, 403, 403, 201, 201],
    ),
    ("read quiz set", "get", "/quiz-sets/{quiz_set}", None, [401, 403, 403, 200, 404]),
    ("list assignments", "get", "/assignments", None, [401, 200, 200, 200, 200]),
    (
        "create assignment",
        "post",
        "/assignments",
        {
            "classroom": "{classroom}",
            "quiz_set": "{quiz_set}",
            "opens_at": "2026-03-02T09:00:00Z",
            "due_at": "2026-03-09T09:00:00Z",
        },
        [401, 403, 403, 201, 403],
    ),
    ("read assignment", "get", "/assignments/{assignment}", None, [401, 200, 404, 200, 404]),
    ("list attempts", "get", "/assignments/{assignment}/attempts", None, [401, 200, 404, 200, 404]),
    (
        "start attempt",
        "post",
        "/assignments/{assignment}/attempts",
        None,
        [401, 200, 404, 403, 404],
    ),
    ("results", "get", "/assignments/{assignment}/results", None, [401, 403, 404, 200, 404]),
    (
        "gradebook csv",
        "get",
        "/assignments/{assignment}/results?format=csv",
        None,
        [401, 403, 404, 200, 404],
    ),
    ("read attempt", "get", "/attempts/{attempt}", None, [401, 200, 404, 200, 404]),
    (
        "save response",
        "put",
        "/attempts/{attempt}/responses/{question}",
        {"answer": "1922"},
        [401, 200, 404, 403, 404],
    ),
    ("submit attempt", "post", "/attempts/{attempt}/submit", None, [401, 200, 404, 403, 404]),
]

CASES = [
    pytest.param(method, path, body, role, expected[index], id=f"{name}-{role}")
    for name, method, path, body, expected in MATRIX
    for index, role in enumerate(ROLES)
]


def snapshot() -> dict[str, list]:
    """Everything these endpoints can change, in a comparable form."""
    return {
        "classrooms": list(
            Classroom.objects.order_by("pk").values_list(
                "pk", "teacher_id", "name", "join_code", "is_open"
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("classroom_id", "student_id")
        ),
        "quiz_sets": list(QuizSet.objects.order_by("pk").values_list("pk", "owner_id", "title")),
        "items": list(
            QuizSetItem.objects.order_by("pk").values_list("quiz_set_id", "question_id", "position")
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "classroom_id", "quiz_set_id", "opens_at", "due_at"
            )
        ),
        "attempts": list(
            Attempt.objects.order_by("pk").values_list(
                "pk", "state", "score", "max_score", "submitted_at", "deadline"
            )
        ),
        "responses": list(
            Response.objects.order_by("pk").values_list(
                "pk", "question_id", "answer", "is_correct", "saved_at"
            )
        ),
    }


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_permission_matrix(
    method,
    path,
    body,
    role,
    expected,
    teacher,
    other_teacher,
    classroom,
    student,
    outsider,
    assignment,
    quiz_set,
    questions,
):
    # given an open quiz with the member's attempt in progress and one answer saved
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=questions[0].pk, answer="1921", now=MONDAY)
    ids = {
        "classroom": classroom.pk,
        "code": classroom.join_code,
        "member": student.pk,
        "quiz_set": quiz_set.pk,
        "assignment": assignment.pk,
        "attempt": attempt.pk,
        "question": questions[0].pk,
    }
    callers = {
        "anonymous": None,
        "member": student,
        "outsider": outsider,
        "teacher": teacher,
        "other_teacher": other_teacher,
    }
    client = APIClient()
    if callers[role] is not None:
        client.force_authenticate(callers[role])
    before = snapshot()

    # when the caller sends the request five minutes into the attempt
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        response = getattr(client, method)(
            "/api/v1" + path.format(**ids), _fill(body, ids), format="json"
        )

    # then the status is the expected one, and a refusal or a read changes nothing
    assert response.status_code == expected, response.content
    if expected >= 400 or method == "get":
        assert snapshot() == before
    if expected >= 400:
        assert set(response.json()) >= {"code", "message", "fields"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/attempts/{attempt}", None),
        ("put", "/attempts/{attempt}/responses/{question}", {"answer": "1922"}),
        ("post", "/attempts/{attempt}/submit", None),
    ],
)
def test_a_classmate_cannot_touch_another_students_attempt(
    method, path, body, student, classmate, assignment, questions
):
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=questions[0].pk, answer="1921", now=MONDAY)
    client = APIClient()
    client.force_authenticate(classmate)
    before = snapshot()

    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        response = getattr(client, method)(
            "/api/v1" + path.format(attempt=attempt.pk, question=questions[0].pk),
            body,
            format="json",
        )

    assert response.status_code == 404
    assert snapshot() == before
