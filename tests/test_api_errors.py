"""Every /api/ response is the API's JSON error shape, even where Django answers."""

import json

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "fields"}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_an_unmatched_api_route_answers_json_404_and_a_page_route_html():
    api = _client().get("/api/v1/no-such-thing")
    page = _client().get("/no-such-page")

    assert api.status_code == 404
    assert api["Content-Type"] == "application/json"
    assert api.json() == {
        "code": "not_found",
        "fields": {},
        "message": "No API endpoint at GET /api/v1/no-such-thing.",
    }
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_an_unexpected_error_in_an_api_view_answers_json_500(monkeypatch):
    from accounts.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.MeApi, "get", broken)

    response = _client(UserFactory()).get("/api/v1/me")

    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "fields": {},
        "message": "Something went wrong on the server; it has been logged.",
    }


def test_a_lost_database_answers_json_503_with_retry_after(monkeypatch):
    from accounts.api import views

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.MeApi, "get", lost)

    response = _client(UserFactory()).get("/api/v1/me")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "code": "service_unavailable",
        "fields": {},
        "message": "The database is unavailable for a moment; nothing was saved. "
        "Try again shortly.",
    }


def test_a_database_lost_outside_the_view_answers_json_503(monkeypatch):
    # the session lookup (middleware, before any view) finds no database
    from django.contrib.sessions.backends import db

    def lost(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    client = _client(UserFactory())
    monkeypatch.setattr(db.SessionStore, "load", lost)

    response = client.get("/api/v1/me")

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_over_size_body_answers_json_413():
    body = json.dumps({"username": "x" * 2000, "password": "y"})

    response = _client().post("/api/v1/auth/token", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "code": "payload_too_large",
        "fields": {},
        "message": "The request body is larger than this server accepts.",
    }


def test_a_request_django_refuses_answers_json_400():
    response = _client().get("/api/v1/me", HTTP_HOST="evil.invalid")

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "fields": {},
        "message": "The request could not be understood.",
    }


def test_every_refusal_for_a_role_has_the_one_403_code(student, teacher, classroom):
    from quizzes.content.models import Source
    from quizzes.teaching.models import Assignment, QuizSet

    # Given a student, and a teacher of their class
    as_student, as_teacher = _client(student), _client(teacher)

    # When each asks for something only the other role may do
    refusals = [
        as_student.post(
            "/api/v1/sources", {"title": "T", "text": "Some text."}, content_type="application/json"
        ),
        as_student.post(
            "/api/v1/quiz-sets", {"title": "T", "questions": [1]}, content_type="application/json"
        ),
        as_student.post(
            "/api/v1/assignments",
            {
                "classroom": classroom.pk,
                "opens_at": "2026-01-01T00:00:00Z",
                "due_at": "2026-01-02T00:00:00Z",
            },
            content_type="application/json",
        ),
        as_student.post("/api/v1/classrooms", {"name": "Mine"}, content_type="application/json"),
        as_teacher.post(
            "/api/v1/classrooms/join",
            {"code": classroom.join_code},
            content_type="application/json",
        ),
    ]

    # Then each is a 403 with the code permission_denied, and nothing was made
    assert [(r.status_code, r.json()["code"]) for r in refusals] == [(403, "permission_denied")] * 5
    assert [r.json()["message"] for r in refusals] == [
        "Only teachers can do this.",
        "Only teachers can build quiz sets.",
        "Only teachers can do this.",
        "Only teachers can create classes.",
        "Teachers cannot join a class as students.",
    ]
    assert (Source.objects.count(), QuizSet.objects.count(), Assignment.objects.count()) == (
        0,
        0,
        0,
    )
    assert classroom.memberships.count() == 1
