"""Who may study which questions: private sources, drafts and leeches."""

import uuid
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from quizzes.content.models import Passage, Question
from quizzes.study.models import CardState, ReviewLog
from tests.conftest import authenticated
from tests.factories import QuestionFactory, TeacherFactory
from tests.study.conftest import review_body
from tests.study.factories import CardStateFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/study/queue"


def queue_ids(client, **params) -> list[int]:
    response = client.get(QUEUE, params)
    assert response.status_code == 200, response.content
    return [card["question"]["id"] for card in response.json()["cards"]]


@pytest.fixture
def stranger():
    """A teacher whose classes neither `student` nor `outsider` is in."""
    return TeacherFactory(username="stan")


@pytest.fixture
def private_question(stranger):
    """An approved question of a text `stranger` pasted: only they and their students see it."""
    return QuestionFactory(passage__deck__source__created_by=stranger, prompt="Private _____.")


@pytest.fixture
def curated_question():
    return QuestionFactory(prompt="Curated _____.")


def test_the_queue_leaves_out_another_teachers_private_questions(
    student, outsider, other_teacher, private_question, curated_question, now
):
    for user in (student, outsider, other_teacher):
        client = authenticated(APIClient(), user)
        assert queue_ids(client) == [curated_question.pk]
        assert queue_ids(client, deck=private_question.passage.deck_id) == []


def test_the_queue_keeps_the_teachers_own_text_for_the_class(teacher, student, outsider, now):
    own = QuestionFactory(passage__deck__source__created_by=teacher)

    assert queue_ids(authenticated(APIClient(), student)) == [own.pk]
    assert queue_ids(authenticated(APIClient(), teacher)) == [own.pk]
    assert queue_ids(authenticated(APIClient(), outsider)) == []


def test_a_learning_card_of_a_private_question_is_not_served(outsider, private_question, now):
    CardStateFactory(
        user=outsider,
        question=private_question,
        state="learning",
        step=0,
        due=now - timedelta(minutes=1),
        last_review=now - timedelta(minutes=5),
    )

    body = authenticated(APIClient(), outsider).get(QUEUE).json()

    assert body["cards"] == []
    assert body["due_count"] == 0


@pytest.mark.parametrize("who", ["outsider", "other_teacher"])
def test_a_review_of_a_private_question_is_refused_and_saves_nothing(
    who, outsider, other_teacher, private_question, now
):
    user = {"outsider": outsider, "other_teacher": other_teacher}[who]

    response = authenticated(APIClient(), user).post(
        "/api/v1/study/reviews", review_body(private_question), format="json"
    )

    assert response.status_code == 404
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()


def test_a_teacher_cannot_review_a_draft_of_another_teachers_text(other_teacher, stranger, now):
    draft = QuestionFactory(passage__deck__source__created_by=stranger, status="draft")

    response = authenticated(APIClient(), other_teacher).post(
        "/api/v1/study/reviews", review_body(draft), format="json"
    )

    assert response.status_code == 404
    assert not ReviewLog.objects.exists()


def test_a_teacher_may_still_review_a_draft_they_can_edit(teacher, now):
    draft = QuestionFactory(status="draft")

    response = authenticated(APIClient(), teacher).post(
        "/api/v1/study/reviews", review_body(draft), format="json"
    )

    assert response.status_code == 201


def test_sync_rejects_a_review_of_a_private_question(outsider, private_question, now):
    body = review_body(private_question)

    response = authenticated(APIClient(), outsider).post(
        "/api/v1/study/sync", {"reviews": [body]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["applied"] == 0
    assert [r["id"] for r in response.json()["rejected"]] == [body["id"]]
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": "rejected"},
        {"status": "draft"},
        {"passage__is_hidden": True},
    ],
)
def test_leeches_leave_out_questions_no_longer_studyable(student, now, change):
    question = QuestionFactory()
    card = CardStateFactory(
        user=student,
        question=question,
        suspended=True,
        lapses=8,
        due=now + timedelta(days=1),
        last_review=now - timedelta(days=2),
    )
    if "status" in change:
        Question.objects.filter(pk=question.pk).update(status=change["status"])
    else:
        Passage.objects.filter(pk=question.passage_id).update(is_hidden=True)
    client = authenticated(APIClient(), student)

    leeches = client.get("/api/v1/study/leeches")
    unsuspend = client.post(f"/api/v1/study/cards/{question.pk}/unsuspend")

    assert leeches.status_code == 200
    assert leeches.json()["results"] == []
    assert unsuspend.status_code == 404
    card.refresh_from_db()
    assert card.suspended is True


def test_leeches_of_another_teachers_private_text_are_left_out(outsider, private_question, now):
    CardStateFactory(
        user=outsider,
        question=private_question,
        suspended=True,
        lapses=8,
        due=now + timedelta(days=1),
        last_review=now - timedelta(days=2),
    )

    body = authenticated(APIClient(), outsider).get("/api/v1/study/leeches").json()

    assert body["results"] == []


def test_a_studyable_leech_is_still_listed(student, now):
    card = CardStateFactory(
        user=student,
        suspended=True,
        lapses=8,
        due=now + timedelta(days=1),
        last_review=now - timedelta(days=2),
    )

    body = authenticated(APIClient(), student).get("/api/v1/study/leeches").json()

    assert [row["question"]["id"] for row in body["results"]] == [card.question_id]
    assert body["results"][0]["question"]["answer"] == "March 1921"


def test_undo_of_another_users_review_is_404(student, other_student, now):
    question = QuestionFactory()
    client_id = uuid.uuid4()
    authenticated(APIClient(), student).post(
        "/api/v1/study/reviews", review_body(question, client_id=client_id), format="json"
    )
    before = list(CardState.objects.values_list("pk", "state", "reps"))

    response = authenticated(APIClient(), other_student).post(
        f"/api/v1/study/reviews/{client_id}/undo"
    )

    assert response.status_code == 404
    assert list(CardState.objects.values_list("pk", "state", "reps")) == before
    assert ReviewLog.objects.effective().count() == 1
