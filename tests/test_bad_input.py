"""Bad input: each gets a 4xx in the API's error shape, and no row anywhere changes."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from rest_framework.test import APIClient

from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    PassageFactory,
    QuestionFactory,
    TeacherFactory,
    UserFactory,
)
from tests.teaching.factories import DUE, OPENS, AssignmentFactory, AttemptFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

DURING = OPENS.replace(hour=10)
DEEP = "[" * 2000 + "]" * 2000
DEEP_OBJECT = '{"a":' * 2000 + "1" + "}" * 2000


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def world(db):
    teacher = TeacherFactory(username="tess")
    student = UserFactory(username="sam")
    classroom = ClassroomFactory(teacher=teacher)
    MembershipFactory(classroom=classroom, student=student)
    passage = PassageFactory(deck__source__created_by=teacher)
    question = QuestionFactory(passage=passage, status="approved")
    assignment = AssignmentFactory(
        classroom=classroom, quiz_set=QuizSetFactory(owner=teacher, questions=[question])
    )
    attempt = AttemptFactory(
        assignment=assignment, student=student, started_at=DURING, deadline=DUE
    )
    return {
        "teacher": teacher,
        "student": student,
        "classroom": classroom,
        "passage": passage,
        "question": question,
        "attempt": attempt,
    }


def _review(world, **changes) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "question": world["question"].pk,
        "rating": 3,
        "reviewed_at": DURING.isoformat(),
        "duration_ms": 1000,
        **changes,
    }


def _assignment(world, **changes) -> dict:
    return {
        "classroom": world["classroom"].pk,
        "quiz_set": world["attempt"].assignment.quiz_set_id,
        "opens_at": DURING.isoformat(),
        "due_at": (DURING + timedelta(days=7)).isoformat(),
        **changes,
    }


# (name, who, method, path, body: dict for JSON or str for a raw JSON body, status)
CASES = [
    ("deep JSON, token", None, "post", "/api/v1/auth/token", DEEP, 400),
    ("deep JSON object, register", None, "post", "/api/v1/auth/register", DEEP_OBJECT, 400),
    ("deep JSON, refresh", None, "post", "/api/v1/auth/token/refresh", DEEP, 400),
    ("deep JSON, review", "student", "post", "/api/v1/study/reviews", DEEP, 400),
    ("deep JSON, sync", "student", "post", "/api/v1/study/sync", DEEP_OBJECT, 400),
    ("deep JSON, settings", "student", "patch", "/api/v1/study/settings", DEEP, 400),
    ("deep JSON, source", "teacher", "post", "/api/v1/sources", DEEP, 400),
    ("deep JSON, class", "teacher", "post", "/api/v1/classrooms", DEEP_OBJECT, 400),
    ("65 levels", "student", "patch", "/api/v1/study/settings", "[" * 65 + "]" * 65, 400),
    ("NUL in an answer", "student", "put", "attempt-response", '{"answer": "a\\u0000b"}', 400),
    (
        "lone surrogate in an answer",
        "student",
        "put",
        "attempt-response",
        '{"answer": "x\\ud800"}',
        400,
    ),
    ("NUL in a key", "student", "put", "attempt-response", '{"answer\\u0000": "a"}', 400),
    ("NUL in a class name", "teacher", "post", "/api/v1/classrooms", '{"name": "A\\u0000"}', 400),
    (
        "NaN in settings",
        "student",
        "patch",
        "/api/v1/study/settings",
        '{"desired_retention": NaN}',
        400,
    ),
    (
        "duration 2^31",
        "student",
        "post",
        "/api/v1/study/reviews",
        lambda w: _review(w, duration_ms=2147483648),
        400,
    ),
    (
        "review in year 1",
        "student",
        "post",
        "/api/v1/study/reviews",
        lambda w: _review(w, reviewed_at="0001-01-01T00:00:00Z"),
        400,
    ),
    (
        "review in year 1 east of UTC",
        "student",
        "post",
        "/api/v1/study/reviews",
        lambda w: _review(w, reviewed_at="0001-01-01T00:00:00+05:00"),
        400,
    ),
    (
        "review six years old",
        "student",
        "post",
        "/api/v1/study/reviews",
        lambda w: _review(w, reviewed_at=(DURING - timedelta(days=6 * 365)).isoformat()),
        400,
    ),
    (
        "question id 2^70",
        "student",
        "post",
        "/api/v1/study/reviews",
        lambda w: _review(w, question=2**70),
        400,
    ),
    (
        "learning step 1e20",
        "student",
        "patch",
        "/api/v1/study/settings",
        {"learning_steps": [10**20]},
        400,
    ),
    (
        "assignment opening in 1990",
        "teacher",
        "post",
        "/api/v1/assignments",
        lambda w: _assignment(w, opens_at="1990-01-01T00:00:00Z"),
        400,
    ),
    (
        "assignment due in 9999",
        "teacher",
        "post",
        "/api/v1/assignments",
        lambda w: _assignment(w, due_at="9999-12-31T23:59:59Z"),
        400,
    ),
    ("passage text a number", "teacher", "patch", "passage", {"text": 12345}, 400),
    ("passage heading a list", "teacher", "patch", "passage", {"heading": ["x"]}, 400),
    (
        "passage text over the limit",
        "teacher",
        "patch",
        "passage",
        lambda w: {"text": "word " * (5 * 1024 * 1024 // 5 + 1)},
        413,
    ),
    ("pasted source a number", "teacher", "post", "/api/v1/sources", {"text": 12345}, 400),
    (
        "register as teacher",
        None,
        "post",
        "/api/v1/auth/register",
        {
            "username": "pia",
            "email": "p@example.com",
            "password": "Strong-pass-2026",
            "role": "teacher",
        },
        403,
    ),
    ("join code too long", "student", "post", "/api/v1/classrooms/join", {"code": "A" * 21}, 400),
]


def _path(world, path: str) -> str:
    if path == "attempt-response":
        return f"/api/v1/attempts/{world['attempt'].pk}/responses/{world['question'].pk}"
    if path == "passage":
        return f"/api/v1/passages/{world['passage'].pk}"
    return path


@time_machine.travel(DURING, tick=False)
@pytest.mark.parametrize(
    ("name", "who", "method", "path", "body", "status"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_refused_in_the_error_shape_and_changes_nothing(
    world, name, who, method, path, body, status
):
    client = APIClient()
    if who:
        client.force_authenticate(world[who])
    if callable(body):
        body = body(world)
    raw = body if isinstance(body, str) else json.dumps(body)
    before = _row_counts()

    response = getattr(client, method)(_path(world, path), raw, content_type="application/json")

    assert response.status_code == status, response.content[:300]
    payload = response.json()
    assert set(payload) >= {"code", "message", "fields"}
    assert isinstance(payload["message"], str) and payload["message"]
    assert _row_counts() == before


@time_machine.travel(DURING, tick=False)
def test_sync_rejects_out_of_range_items_one_by_one_and_applies_the_rest(world):
    client = APIClient()
    client.force_authenticate(world["student"])
    good = _review(world)
    items = [
        _review(world, duration_ms=2147483648),
        _review(world, reviewed_at="0001-01-01T00:00:00Z"),
        _review(world, reviewed_at="0001-01-01T00:00:00+05:00"),
        _review(world, question=2**70),
        good,
    ]

    response = client.post("/api/v1/study/sync", {"reviews": items}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["applied"] == 1
    assert body["rejected"] == [
        {"id": items[0]["id"], "error": "duration_ms must be at most 86400000 (a day)."},
        {"id": items[1]["id"], "error": "reviewed_at is more than 1830 days ago."},
        {"id": items[2]["id"], "error": "reviewed_at is more than 1830 days ago."},
        {"id": items[3]["id"], "error": "question must be an integer id."},
    ]
    assert apps.get_model("study", "ReviewLog").objects.get().client_id == uuid.UUID(good["id"])


@time_machine.travel(DURING, tick=False)
def test_pasted_html_is_stripped_like_an_upload(world):
    client = APIClient()
    client.force_authenticate(world["teacher"])

    edited = client.patch(
        f"/api/v1/passages/{world['passage'].pk}",
        {"text": "Kronstadt <script>alert(1)</script>rose in <b>March</b> 1921."},
        format="json",
    )

    assert edited.status_code == 200
    assert edited.json()["text"] == "Kronstadt rose in March 1921."
