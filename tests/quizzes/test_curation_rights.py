"""Who edits what: staff the curated texts, a teacher their own."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import User
from quizzes.content.models import Passage, Question
from tests.conftest import authenticated
from tests.factories import PASSWORD, PassageFactory, QuestionFactory, UserFactory
from tests.teaching.factories import QuizSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(username="sara", is_staff=True)


def test_only_staff_may_curate(staff, teacher, student):
    assert (staff.may_curate, teacher.may_curate, student.may_curate) == (True, False, False)


def test_a_teacher_cannot_change_a_curated_text_or_its_questions(teacher):
    passage = PassageFactory()  # a curated text: imported by the service, no owner
    question = QuestionFactory(passage=passage, status="approved")
    client = authenticated(APIClient(), teacher)

    responses = [
        client.patch(f"/api/v1/passages/{passage.pk}", {"text": "Vandalised."}),
        client.patch(f"/api/v1/passages/{passage.pk}", {"is_hidden": True}),
        client.post(f"/api/v1/passages/{passage.pk}/split", {"at": 5}),
        client.patch(f"/api/v1/questions/{question.pk}", {"answer": "1917"}),
        client.patch(f"/api/v1/questions/{question.pk}", {"status": "rejected"}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert {r.json()["code"] for r in responses} == {"permission_denied"}
    passage.refresh_from_db()
    question.refresh_from_db()
    assert (passage.is_current, passage.is_hidden) == (True, False)
    assert (question.answer, question.status) == ("March 1921", "approved")
    assert Passage.objects.count() == 1


def test_staff_edit_a_curated_text(staff):
    passage = PassageFactory()
    question = QuestionFactory(passage=passage, status="draft")
    client = authenticated(APIClient(), staff)

    hidden = client.patch(f"/api/v1/passages/{passage.pk}", {"is_hidden": True})
    edited = client.patch(f"/api/v1/questions/{question.pk}", {"answer": "In March 1921"})

    assert (hidden.status_code, edited.status_code) == (200, 200)
    assert Question.objects.get(pk=question.pk).answer == "In March 1921"


def test_a_teacher_edits_a_question_of_their_own_text_in_their_own_quiz_set(teacher):
    question = QuestionFactory(passage__deck__source__created_by=teacher, status="approved")
    QuizSetFactory(owner=teacher, questions=[question])

    response = authenticated(APIClient(), teacher).patch(
        f"/api/v1/questions/{question.pk}", {"answer": "March 1921, at Kronstadt"}
    )

    assert response.status_code == 200
    assert Question.objects.get(pk=question.pk).answer == "March 1921, at Kronstadt"


REGISTER = "/api/v1/auth/register"
TEACHER = {"username": "pia", "email": "pia@example.com", "password": PASSWORD, "role": "teacher"}


def test_registering_as_a_teacher_is_closed_by_default():
    response = APIClient().post(REGISTER, TEACHER)

    assert response.status_code == 403
    assert response.json()["code"] == "teacher_signup_closed"
    assert list(response.json()["fields"]) == ["role"]
    assert not User.objects.exists()


@override_settings(ALLOW_TEACHER_SIGNUP=True)
def test_registering_as_a_teacher_when_the_setting_allows_it():
    response = APIClient().post(REGISTER, TEACHER)

    assert response.status_code == 201
    assert User.objects.get(username="pia").is_teacher


def test_a_taken_email_is_refused_without_naming_a_database_constraint():
    UserFactory(username="taken", email="taken@example.com")

    response = APIClient().post(
        REGISTER,
        {"username": "new", "email": "TAKEN@example.com", "password": PASSWORD, "role": "student"},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"email": ["A user with that email already exists."]}
    assert "onstraint" not in str(response.json())
    assert User.objects.count() == 1


def test_the_register_page_offers_the_teacher_role_only_when_allowed(client):
    closed = client.get("/register").content.decode()
    with override_settings(ALLOW_TEACHER_SIGNUP=True):
        open_ = client.get("/register").content.decode()

    assert 'value="teacher"' not in closed
    assert 'value="teacher"' in open_
