"""Every endpoint under /api/v1/, read from the URL conf, for every kind of caller.

Callers: anonymous, a student in the owning teacher's class ("member"), a student
in no class of theirs ("outsider"), the owning teacher, another teacher, and a
staff member. The objects (a private text with its deck, passage and question, a
job, a class with an assignment and the member's attempt, the member's review,
leech card and parameter import) belong to the owning teacher or the member.

An endpoint that is added without a row here fails
test_every_api_endpoint_has_a_row, so nobody ships one without deciding who
may call it. A refused request must change no row.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from quizzes.content.models import Job
from quizzes.study.models import CardState, ExamPlan, ParameterImport
from quizzes.study.services import ReviewInput, review_record
from quizzes.teaching.services import attempt_start
from tests.factories import (
    ClassroomFactory,
    DeckFactory,
    MembershipFactory,
    PassageFactory,
    QuestionFactory,
    TeacherFactory,
    UserFactory,
)
from tests.teaching.factories import AssignmentFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ROLES = ["anonymous", "member", "outsider", "teacher", "other_teacher", "staff"]

# "METHOD route" (as in the URL conf) -> (path, body, statuses in ROLES order)
MATRIX: dict[str, tuple[str, object, list[int]]] = {
    # --- accounts
    "POST auth/register": (
        "auth/register",
        {
            "username": "new",
            "email": "new@example.com",
            "password": "Strong-pass-2026",
            "role": "student",
        },
        [201, 201, 201, 201, 201, 201],
    ),
    "POST auth/token": ("auth/token", {"username": "sam", "password": "wrong"}, [401] * 6),
    "POST auth/token/refresh": ("auth/token/refresh", {"refresh": "{refresh}"}, [200] * 6),
    "POST auth/logout": ("auth/logout", {"refresh": "{refresh}"}, [204] * 6),
    "POST auth/login": ("auth/login", {"username": "sam", "password": "wrong"}, [401] * 6),
    "GET auth/csrf": ("auth/csrf", None, [200] * 6),
    "GET me": ("me", None, [401, 200, 200, 200, 200, 200]),
    # --- content: the owning teacher's private text
    "GET sources": ("sources", None, [401, 200, 200, 200, 200, 200]),
    "POST sources": (
        "sources",
        {"title": "T", "text": "Kronstadt rose in March 1921. " * 20},
        [401, 403, 403, 201, 201, 201],
    ),
    "GET sources/<int:pk>": ("sources/{source}", None, [401, 200, 404, 200, 404, 200]),
    "GET decks": ("decks", None, [401, 200, 200, 200, 200, 200]),
    "GET decks/<int:pk>": ("decks/{deck}", None, [401, 200, 404, 200, 404, 200]),
    "POST decks/<int:pk>/generate": ("decks/{deck}/generate", None, [401, 403, 403, 202, 404, 202]),
    "GET passages": ("passages", None, [401, 200, 200, 200, 200, 200]),
    "POST passages/merge": (
        "passages/merge",
        {"passages": ["{passage}", "{passage2}"]},
        [401, 403, 403, 201, 404, 201],
    ),
    "GET passages/<int:pk>": ("passages/{passage}", None, [401, 200, 404, 200, 404, 200]),
    "PATCH passages/<int:pk>": (
        "passages/{passage}",
        {"heading": "Edited"},
        [401, 403, 403, 200, 404, 200],
    ),
    "POST passages/<int:pk>/split": (
        "passages/{passage}/split",
        {"at": 40},
        [401, 403, 403, 201, 404, 201],
    ),
    "GET questions": ("questions", None, [401, 200, 200, 200, 200, 200]),
    "GET questions/<int:pk>": ("questions/{question}", None, [401, 200, 404, 200, 404, 200]),
    "PATCH questions/<int:pk>": (
        "questions/{question}",
        {"status": "rejected"},
        [401, 403, 403, 200, 404, 200],
    ),
    "GET jobs": ("jobs", None, [401, 200, 200, 200, 200, 200]),
    "GET jobs/<int:pk>": ("jobs/{job}", None, [401, 404, 404, 200, 404, 200]),
    # --- study: the member's own data
    "GET study/queue": ("study/queue", None, [401, 200, 200, 200, 200, 200]),
    "POST study/reviews": (
        "study/reviews",
        {
            "id": "{new_uuid}",
            "question": "{question}",
            "rating": 3,
            "reviewed_at": "2026-03-02T09:59:00Z",
        },
        [401, 201, 404, 201, 404, 201],
    ),
    "POST study/reviews/<uuid:client_id>/undo": (
        "study/reviews/{review}/undo",
        None,
        [401, 200, 404, 404, 404, 404],
    ),
    "DELETE study/reviews/<uuid:client_id>/undo": (
        "study/reviews/{review}/undo",
        None,
        [401, 200, 404, 404, 404, 404],
    ),
    "POST study/sync": ("study/sync", {"reviews": []}, [401, 200, 200, 200, 200, 200]),
    "GET study/progress": ("study/progress", None, [401, 200, 200, 200, 200, 200]),
    "GET study/leeches": ("study/leeches", None, [401, 200, 200, 200, 200, 200]),
    "POST study/cards/<int:question_id>/unsuspend": (
        "study/cards/{question}/unsuspend",
        None,
        [401, 200, 404, 404, 404, 404],
    ),
    "POST study/cards/<int:question_id>/suspend": (
        "study/cards/{question}/suspend",
        None,
        [401, 200, 404, 404, 404, 404],
    ),
    "GET study/settings": ("study/settings", None, [401, 200, 200, 200, 200, 200]),
    "PATCH study/settings": ("study/settings", {"new_per_day": 5}, [401, 200, 200, 200, 200, 200]),
    "POST study/parameters/import": (
        "study/parameters/import",
        None,
        [401, 400, 400, 400, 400, 400],
    ),
    "GET study/parameters/imports/<int:import_id>": (
        "study/parameters/imports/{import}",
        None,
        [401, 200, 404, 404, 404, 404],
    ),
    "GET study/exams": ("study/exams", None, [401, 200, 200, 200, 200, 200]),
    "POST study/exams": (
        "study/exams",
        {"deck": "{deck}", "exam_date": "2026-03-20", "target": 0.9},
        [401, 201, 404, 201, 404, 201],
    ),
    "DELETE study/exams/<int:plan_id>": (
        "study/exams/{exam_plan}",
        None,
        [401, 204, 404, 404, 404, 404],
    ),
    "GET assignments/<int:assignment_id>/exam-plan": (
        "assignments/{assignment}/exam-plan",
        None,
        [401, 403, 404, 200, 404, 404],
    ),
    "PUT assignments/<int:assignment_id>/exam-plan": (
        "assignments/{assignment}/exam-plan",
        {"target": 0.85},
        [401, 403, 404, 200, 404, 404],
    ),
    "DELETE assignments/<int:assignment_id>/exam-plan": (
        "assignments/{assignment}/exam-plan",
        None,
        [401, 403, 404, 204, 404, 404],
    ),
    # --- teaching: the owning teacher's class, quiz set, assignment; the member's attempt
    "GET classrooms": ("classrooms", None, [401, 200, 200, 200, 200, 200]),
    "POST classrooms": ("classrooms", {"name": "New"}, [401, 403, 403, 201, 201, 403]),
    "POST classrooms/join": ("classrooms/join", {"code": "{code}"}, [401, 200, 200, 403, 403, 200]),
    "GET classrooms/<int:classroom_id>": (
        "classrooms/{classroom}",
        None,
        [401, 200, 404, 200, 404, 404],
    ),
    "PATCH classrooms/<int:classroom_id>": (
        "classrooms/{classroom}",
        {"is_open": False},
        [401, 403, 404, 200, 404, 404],
    ),
    "POST classrooms/<int:classroom_id>/join-code": (
        "classrooms/{classroom}/join-code",
        None,
        [401, 403, 404, 200, 404, 404],
    ),
    "GET classrooms/<int:classroom_id>/students": (
        "classrooms/{classroom}/students",
        None,
        [401, 403, 404, 200, 404, 404],
    ),
    "DELETE classrooms/<int:classroom_id>/students/<int:student_id>": (
        "classrooms/{classroom}/students/{member}",
        None,
        [401, 403, 404, 204, 404, 404],
    ),
    "GET quiz-sets": ("quiz-sets", None, [401, 403, 403, 200, 200, 403]),
    "POST quiz-sets": (
        "quiz-sets",
        {"title": "Mine", "questions": ["{question}"]},
        [401, 403, 403, 201, 400, 403],
    ),
    "GET quiz-sets/<int:quiz_set_id>": (
        "quiz-sets/{quiz_set}",
        None,
        [401, 403, 403, 200, 404, 403],
    ),
    "GET assignments": ("assignments", None, [401, 200, 200, 200, 200, 200]),
    "POST assignments": (
        "assignments",
        {
            "classroom": "{classroom}",
            "quiz_set": "{quiz_set}",
            "opens_at": "2026-03-02T09:00:00Z",
            "due_at": "2026-03-09T09:00:00Z",
        },
        [401, 403, 403, 201, 403, 403],
    ),
    "GET assignments/<int:assignment_id>": (
        "assignments/{assignment}",
        None,
        [401, 200, 404, 200, 404, 404],
    ),
    "GET assignments/<int:assignment_id>/attempts": (
        "assignments/{assignment}/attempts",
        None,
        [401, 200, 404, 200, 404, 404],
    ),
    "POST assignments/<int:assignment_id>/attempts": (
        "assignments/{assignment}/attempts",
        None,
        [401, 200, 404, 403, 404, 404],
    ),
    "GET assignments/<int:assignment_id>/results": (
        "assignments/{assignment}/results",
        None,
        [401, 403, 404, 200, 404, 404],
    ),
    "GET attempts/<int:attempt_id>": ("attempts/{attempt}", None, [401, 200, 404, 200, 404, 404]),
    "PUT attempts/<int:attempt_id>/responses/<int:question_id>": (
        "attempts/{attempt}/responses/{quiz_question}",
        {"answer": "1921"},
        [401, 200, 404, 403, 404, 404],
    ),
    "POST attempts/<int:attempt_id>/submit": (
        "attempts/{attempt}/submit",
        None,
        [401, 200, 404, 403, 404, 404],
    ),
}


def _api_endpoints() -> set[str]:
    """Every "METHOD route" under api/v1/ in the URL conf."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    found = set()
    for route, callback in walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        view = getattr(callback, "view_class", None)
        for method in ("get", "post", "put", "patch", "delete"):
            if view is not None and hasattr(view, method):
                found.add(f"{method.upper()} {route.removeprefix('api/v1/')}")
    return found


def test_every_api_endpoint_has_a_row():
    endpoints = _api_endpoints()

    assert endpoints - set(MATRIX) == set(), "endpoints without a row in MATRIX"
    assert set(MATRIX) - endpoints == set(), "rows for endpoints that no longer exist"


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("accounts", "quizzes", "study", "teaching")
    }


@pytest.fixture
def world(db):
    teacher = TeacherFactory(username="tess")
    other_teacher = TeacherFactory(username="otto")
    member = UserFactory(username="sam")
    outsider = UserFactory(username="olga")
    staff = UserFactory(username="sara", is_staff=True)
    classroom = ClassroomFactory(teacher=teacher)
    MembershipFactory(classroom=classroom, student=member)
    passage = PassageFactory(deck__source__created_by=teacher, order=1)
    passage2 = PassageFactory(deck=passage.deck, order=2)
    question = QuestionFactory(passage=passage, status="approved")
    quiz_question = QuestionFactory(status="approved")  # a curated one, in the quiz
    quiz_set = QuizSetFactory(owner=teacher, questions=[quiz_question])
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz_set=quiz_set,
        attempts_allowed=3,
        opens_at=NOW - timedelta(hours=1),
        due_at=NOW + timedelta(days=7),
    )
    attempt, _ = attempt_start(student=member, assignment=assignment, now=NOW)
    review = review_record(
        user=member,
        now=NOW,
        data=ReviewInput(
            client_id=uuid.uuid4(),
            question_id=question.pk,
            rating=3,
            reviewed_at=NOW - timedelta(minutes=5),
        ),
    ).log
    CardState.objects.filter(user=member, question=question).update(suspended=True)
    job = Job.objects.create(kind=Job.Kind.GENERATE, deck=passage.deck, created_by=teacher)
    parameter_import = ParameterImport.objects.create(user=member, content="card_id\n")
    exam_plan = ExamPlan.objects.create(
        user=member, deck=DeckFactory(), exam_date=(NOW + timedelta(days=10)).date()
    )
    ExamPlan.objects.create(assignment=assignment, target=0.9)
    return {
        "users": {
            "anonymous": None,
            "member": member,
            "outsider": outsider,
            "teacher": teacher,
            "other_teacher": other_teacher,
            "staff": staff,
        },
        "ids": {
            "source": passage.deck.source_id,
            "deck": passage.deck_id,
            "passage": passage.pk,
            "passage2": passage2.pk,
            "question": question.pk,
            "quiz_question": quiz_question.pk,
            "job": job.pk,
            "classroom": classroom.pk,
            "code": classroom.join_code,
            "member": member.pk,
            "quiz_set": quiz_set.pk,
            "assignment": assignment.pk,
            "attempt": attempt.pk,
            "review": str(review.client_id),
            "import": parameter_import.pk,
            "exam_plan": exam_plan.pk,
        },
    }


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


CASES = [
    pytest.param(key, role, statuses[index], id=f"{key}-{role}")
    for key, (_, _, statuses) in MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("key", "role", "expected"), CASES)
def test_permission_matrix(world, key, role, expected, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # generation is only enqueued here
    path, body, _ = MATRIX[key]
    method = key.split(" ", 1)[0].lower()
    user = world["users"][role]
    ids = {**world["ids"], "new_uuid": str(uuid.uuid4())}
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        if "{refresh}" in str(body):
            ids["refresh"] = str(RefreshToken.for_user(user or world["users"]["member"]))
        before = _rows()
        response = getattr(client, method)(
            "/api/v1/" + path.format(**ids), _fill(body, ids), format="json"
        )

    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert set(response.json()) >= {"code", "message", "fields"}
        assert _rows() == before
