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
    assert api.json() == {"code": "not_found", "fields": {},
                          "message": "No API endpoint at GET /api/v1/no-such-thing."}
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_an_unexpected_error_in_an_api_view_answers_json_500(monkeypatch):
    from accounts.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.MeApi, "get", broken)

    response = _client(UserFactory()).get("/api/v1/me")

    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "fields": {},
                               "message": "Something went wrong on the server; it has been "
                                          "logged."}


def test_a_lost_database_answers_json_503_with_retry_after(monkeypatch):
    from accounts.api import views

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.MeApi, "get", lost)

    response = _client(UserFactory()).get("/api/v1/me")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "code": "service_unavailable", "fields": {},
        "message": "The database is unavailable for a moment; nothing was saved. "
                   "Try again shortly."}


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
    assert response.json() == {"code": "payload_too_large", "fields": {},
                               "message": "The request body is larger than this server accepts."}


def test_a_request_django_refuses_answers_json_400():
    response = _client().get("/api/v1/me", HTTP_HOST="evil.invalid")

    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "fields": {},
                               "message": "The request could not be understood."}
