"""The page views themselves (no browser): who may open what, and the error pages."""

from __future__ import annotations

import pytest

from tests.browser import data


@pytest.fixture
def student_client(client, db):
    client.force_login(data.student("sam"))
    return client


@pytest.fixture
def teacher_client(client, db):
    client.force_login(data.teacher("tess"))
    return client


TEACHER_PAGES = [
    "/teach/",
    "/teach/import",
    "/teach/quiz-sets",
    "/teach/classes",
    "/teach/assignments",
    "/teach/decks/1/review",
]
STUDENT_PAGES = ["/dashboard", "/study", "/decks/1/read"]


@pytest.mark.parametrize("path", TEACHER_PAGES + STUDENT_PAGES)
def test_anonymous_visitor_is_redirected_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", TEACHER_PAGES)
def test_student_gets_the_403_page_for_teacher_pages(student_client, path):
    response = student_client.get(path)
    assert response.status_code == 403
    assert b"Not allowed" in response.content


@pytest.mark.parametrize("path", TEACHER_PAGES + STUDENT_PAGES)
def test_teacher_opens_every_page(teacher_client, path):
    response = teacher_client.get(path)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_home_sends_each_role_to_its_start_page(client, db):
    assert client.get("/")["Location"] == "/login"
    client.force_login(data.student("sam"))
    assert client.get("/")["Location"] == "/dashboard"
    client.force_login(data.teacher("tess"))
    assert client.get("/")["Location"] == "/teach/"


def test_results_of_another_teachers_assignment_are_not_found(teacher_client):
    # Given an assignment in a class that tess does not teach
    _, assignment = data.class_with_quiz()
    response = teacher_client.get(f"/teach/assignments/{assignment.pk}/results")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_quiz_of_a_class_the_student_is_not_in_is_not_found(student_client):
    _, assignment = data.class_with_quiz()
    assert student_client.get(f"/quiz/{assignment.pk}").status_code == 404


def test_unknown_address_shows_the_404_page(student_client):
    response = student_client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_login_page_explains_an_expired_session(client, db):
    response = client.get("/login?reason=expired")
    assert b"Your session has expired" in response.content
    assert "csrftoken" in response.cookies
