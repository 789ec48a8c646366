"""Teachers build quiz sets, assignments and rosters only from what they may see."""

from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from quizzes.teaching.models import Assignment, QuizSet, QuizSetItem
from quizzes.teaching.services import attempt_start
from tests.conftest import authenticated
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuestionFactory,
    TeacherFactory,
)
from tests.study.factories import CardStateFactory
from tests.teaching.factories import OPENS

pytestmark = pytest.mark.django_db

MONDAY = OPENS + timedelta(hours=1)


@pytest.fixture
def stranger():
    """A teacher with a text of their own, which `teacher` must not see."""
    return TeacherFactory(username="stan")


@pytest.fixture
def private_question(stranger):
    return QuestionFactory(
        passage__deck__source__created_by=stranger,
        prompt="Who led the private rising?",
        answer="Secret",
    )


def test_a_quiz_set_cannot_take_another_teachers_private_question(teacher, private_question):
    response = authenticated(APIClient(), teacher).post(
        "/api/v1/quiz-sets", {"title": "Mine", "questions": [private_question.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "questions": [f"Question {private_question.pk} does not exist."]
    }
    assert "Secret" not in response.content.decode()
    assert not QuizSet.objects.exists()
    assert not QuizSetItem.objects.exists()


def test_a_quiz_set_cannot_be_drawn_from_another_teachers_private_deck(teacher, private_question):
    deck_id = private_question.passage.deck_id

    response = authenticated(APIClient(), teacher).post(
        "/api/v1/quiz-sets", {"title": "Drawn", "deck": deck_id, "count": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"deck": [f"Deck {deck_id} does not exist."]}
    assert not QuizSet.objects.exists()


def test_a_teacher_builds_quiz_sets_from_own_and_curated_questions(teacher):
    own = QuestionFactory(passage__deck__source__created_by=teacher)
    curated = QuestionFactory()
    client = authenticated(APIClient(), teacher)

    by_hand = client.post(
        "/api/v1/quiz-sets", {"title": "Both", "questions": [own.pk, curated.pk]}, format="json"
    )
    drawn = client.post(
        "/api/v1/quiz-sets",
        {"title": "Drawn", "deck": own.passage.deck_id, "count": 1},
        format="json",
    )

    assert by_hand.status_code == drawn.status_code == 201
    assert by_hand.json()["questions"] == [own.pk, curated.pk]
    assert drawn.json()["questions"] == [own.pk]


def test_a_study_target_cannot_use_another_teachers_private_deck(
    teacher, classroom, private_question
):
    response = authenticated(APIClient(), teacher).post(
        "/api/v1/assignments",
        {
            "classroom": classroom.pk,
            "deck": private_question.passage.deck_id,
            "opens_at": "2026-03-02T09:00:00Z",
            "due_at": "2026-03-09T09:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"deck"}
    assert not Assignment.objects.exists()


def test_the_roster_hides_decks_of_another_teachers_private_text(
    teacher, classroom, student, stranger, private_question
):
    MembershipFactory(classroom=ClassroomFactory(teacher=stranger), student=student)
    curated = QuestionFactory()
    for question in (private_question, curated):
        CardStateFactory(
            user=student,
            question=question,
            due=MONDAY + timedelta(days=3),
            last_review=MONDAY - timedelta(days=1),
        )

    with time_machine.travel(MONDAY, tick=False):
        roster = authenticated(APIClient(), teacher).get(
            f"/api/v1/classrooms/{classroom.pk}/students"
        )
        own = authenticated(APIClient(), student).get("/api/v1/study/progress")

    assert roster.status_code == 200
    [row] = roster.json()["results"]
    assert [d["deck"] for d in row["progress"]["decks"]] == [curated.passage.deck_id]
    assert {d["deck"] for d in own.json()["decks"]} == {
        curated.passage.deck_id,
        private_question.passage.deck_id,
    }


def test_a_classmate_sees_only_own_attempts(student, classmate, assignment):
    attempt_start(student=student, assignment=assignment, now=MONDAY)
    mine, _ = attempt_start(student=classmate, assignment=assignment, now=MONDAY)

    with time_machine.travel(MONDAY, tick=False):
        response = authenticated(APIClient(), classmate).get(
            f"/api/v1/assignments/{assignment.pk}/attempts"
        )

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize("feedback", ["never", "after_due"])
def test_a_submitted_attempt_shows_no_keys_before_feedback_is_due(
    student, classroom, quiz_set, feedback
):
    assignment = Assignment.objects.create(
        classroom=classroom,
        quiz_set=quiz_set,
        title="Quiz",
        opens_at=OPENS,
        due_at=OPENS + timedelta(days=7),
        feedback=feedback,
    )
    client = authenticated(APIClient(), student)

    with time_machine.travel(MONDAY, tick=False):
        started = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")
        client.put(
            f"/api/v1/attempts/{started.json()['id']}/responses/"
            f"{started.json()['questions'][0]['id']}",
            {"answer": "1922"},
            format="json",
        )
        submitted = client.post(f"/api/v1/attempts/{started.json()['id']}/submit")

    for body in (started.json(), submitted.json()):
        assert body["feedback"] is None
        for question in body["questions"]:
            assert set(question) == {"id", "position", "kind", "prompt", "choices"}
        for response in body["responses"]:
            assert set(response) == {"question", "answer", "saved_at"}
        assert "March 1921" not in str(body)
