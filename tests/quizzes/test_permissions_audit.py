"""What the content API shows students, and that refused edits change nothing."""

import pytest
from rest_framework.test import APIClient

from quizzes.content.models import Passage, Question
from tests.conftest import authenticated
from tests.factories import PassageFactory, QuestionFactory, TeacherFactory

pytestmark = pytest.mark.django_db

TEACHER_ONLY = {"score", "reasons", "status", "generator_version", "is_edited"}


@pytest.fixture
def question():
    return QuestionFactory(reasons=["good span"], score=0.73)


def test_a_student_sees_no_review_fields_on_a_question(student, question):
    client = authenticated(APIClient(), student)

    detail = client.get(f"/api/v1/questions/{question.pk}")
    listed = client.get("/api/v1/questions")
    passage = client.get(f"/api/v1/passages/{question.passage_id}")

    assert detail.status_code == listed.status_code == passage.status_code == 200
    assert not TEACHER_ONLY & set(detail.json())
    assert [q["id"] for q in listed.json()["results"]] == [question.pk]
    assert not TEACHER_ONLY & set(listed.json()["results"][0])
    assert [q["id"] for q in passage.json()["questions"]] == [question.pk]
    assert not TEACHER_ONLY & set(passage.json()["questions"][0])
    assert detail.json()["answer"] == "March 1921"


def test_a_teacher_still_sees_the_review_fields(teacher, question):
    client = authenticated(APIClient(), teacher)

    detail = client.get(f"/api/v1/questions/{question.pk}").json()
    passage = client.get(f"/api/v1/passages/{question.passage_id}").json()

    assert set(detail) >= TEACHER_ONLY
    assert (detail["score"], detail["reasons"], detail["status"]) == (
        0.73,
        ["good span"],
        "approved",
    )
    assert set(passage["questions"][0]) >= TEACHER_ONLY


@pytest.mark.parametrize("query", ["min_score=0.5", "ordering=score", "ordering=-score"])
def test_a_student_cannot_sort_or_filter_by_score(student, question, query):
    response = authenticated(APIClient(), student).get(f"/api/v1/questions?{query}")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {query.split("=")[0]}


@pytest.mark.parametrize("status", ["draft", "rejected"])
def test_a_student_never_gets_a_draft_or_rejected_question(student, status):
    hidden = QuestionFactory(status=status)
    client = authenticated(APIClient(), student)

    assert client.get(f"/api/v1/questions/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/questions?status={status}").json()["results"] == []
    assert client.get(f"/api/v1/passages/{hidden.passage_id}").json()["questions"] == []


def test_another_teachers_private_question_is_404_and_unchanged(other_teacher, outsider):
    owner = TeacherFactory(username="owen")
    private = QuestionFactory(passage__deck__source__created_by=owner, status="draft")

    for user in (other_teacher, outsider):
        client = authenticated(APIClient(), user)
        assert client.get(f"/api/v1/questions/{private.pk}").status_code == 404
        assert client.get(f"/api/v1/passages/{private.passage_id}").status_code == 404
        assert client.get(f"/api/v1/decks/{private.passage.deck_id}").status_code == 404
    patched = authenticated(APIClient(), other_teacher).patch(
        f"/api/v1/questions/{private.pk}", {"status": "approved"}, format="json"
    )

    assert patched.status_code == 404
    assert Question.objects.get(pk=private.pk).status == "draft"


def test_a_refused_passage_edit_does_not_hide_the_passage(teacher):
    old = PassageFactory(deck__source__created_by=teacher)
    Passage.objects.filter(pk=old.pk).update(is_current=False)

    response = authenticated(APIClient(), teacher).patch(
        f"/api/v1/passages/{old.pk}", {"is_hidden": True, "heading": "New"}, format="json"
    )

    assert response.status_code == 409
    old.refresh_from_db()
    assert (old.is_hidden, old.heading) == (False, "Kronstadt")


def test_a_student_cannot_hide_a_passage(student):
    passage = PassageFactory()

    response = authenticated(APIClient(), student).patch(
        f"/api/v1/passages/{passage.pk}", {"is_hidden": True}, format="json"
    )

    assert response.status_code == 403
    assert Passage.objects.get(pk=passage.pk).is_hidden is False
