"""While a student has a quiz attempt open, no endpoint gives them its questions' keys."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from quizzes.content.selectors import question_ids_with_keys_withheld
from tests.conftest import authenticated
from tests.teaching.factories import DUE, OPENS, AttemptFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

DURING = OPENS.replace(hour=10)
KEYS = ("answer", "accepted_answers", "explanation", "evidence")


@pytest.fixture
def open_attempt(student, assignment):
    return AttemptFactory(assignment=assignment, student=student, started_at=DURING, deadline=DUE)


def _keys_of(question: dict) -> dict:
    return {name: question[name] for name in (*KEYS, "key_withheld")}


WITHHELD = {
    "answer": None,
    "accepted_answers": None,
    "explanation": None,
    "evidence": None,
    "key_withheld": True,
}


def test_the_rule_names_the_questions_of_open_attempts_only(
    student, classmate, teacher, questions, open_attempt
):
    assert question_ids_with_keys_withheld(user=student) == {q.pk for q in questions}
    assert question_ids_with_keys_withheld(user=classmate) == frozenset()
    assert question_ids_with_keys_withheld(user=teacher) == frozenset()


@time_machine.travel(DURING, tick=False)
def test_content_endpoints_withhold_the_keys_during_the_attempt(
    api_client, student, questions, open_attempt
):
    client = authenticated(api_client, student)
    cloze = questions[0]

    detail = client.get(f"/api/v1/questions/{cloze.pk}").json()
    listed = client.get("/api/v1/questions", {"passage": cloze.passage_id}).json()["results"]
    passage = client.get(f"/api/v1/passages/{cloze.passage_id}").json()

    assert detail["prompt"] == cloze.prompt
    assert _keys_of(detail) == WITHHELD
    assert [_keys_of(q) for q in listed] == [WITHHELD, WITHHELD]
    assert [_keys_of(q) for q in passage["questions"]] == [WITHHELD, WITHHELD]
    assert cloze.answer not in str(detail) + str(listed) + str(passage["questions"])


@time_machine.travel(DURING, tick=False)
def test_the_study_queue_leaves_the_quiz_questions_out_during_the_attempt(
    api_client, student, questions, assignment, open_attempt
):
    client = authenticated(api_client, student)

    queue = client.get("/api/v1/study/queue", {"deck": questions[0].passage.deck_id}).json()

    assert queue["cards"] == []


@time_machine.travel(DURING, tick=False)
def test_a_classmate_without_an_open_attempt_and_the_teacher_see_the_keys(
    api_client, classmate, teacher, questions, open_attempt
):
    cloze = questions[0]

    as_classmate = authenticated(APIClient(), classmate).get(f"/api/v1/questions/{cloze.pk}")
    as_teacher = authenticated(APIClient(), teacher).get(f"/api/v1/questions/{cloze.pk}")
    queue = (
        authenticated(APIClient(), classmate)
        .get("/api/v1/study/queue", {"deck": cloze.passage.deck_id})
        .json()
    )

    assert as_classmate.json()["answer"] == cloze.answer
    assert as_classmate.json()["key_withheld"] is False
    assert as_teacher.json()["answer"] == cloze.answer
    assert {card["question"]["id"] for card in queue["cards"]} == {q.pk for q in questions}
    assert all(card["question"]["answer"] for card in queue["cards"])


@time_machine.travel(DURING, tick=False)
def test_keys_come_back_once_the_attempt_is_submitted(api_client, student, questions, open_attempt):
    client = authenticated(api_client, student)
    cloze = questions[0]

    submitted = client.post(f"/api/v1/attempts/{open_attempt.pk}/submit")
    after = client.get(f"/api/v1/questions/{cloze.pk}").json()

    assert submitted.status_code == 200
    assert after["answer"] == cloze.answer
    assert after["key_withheld"] is False


@time_machine.travel(DURING, tick=False)
def test_feedback_of_a_finished_quiz_hides_keys_of_questions_open_in_another(
    api_client, student, teacher, classroom, questions, assignment
):
    from tests.teaching.factories import AssignmentFactory

    finished = AttemptFactory(
        assignment=assignment, student=student, started_at=OPENS, deadline=DUE
    )
    client = authenticated(api_client, student)
    client.post(f"/api/v1/attempts/{finished.pk}/submit")
    other = AssignmentFactory(
        classroom=classroom, quiz_set=QuizSetFactory(owner=teacher, questions=questions[:1])
    )
    AttemptFactory(assignment=other, student=student, started_at=DURING, deadline=DUE)

    feedback = client.get(f"/api/v1/attempts/{finished.pk}").json()["feedback"]

    assert [entry["question"] for entry in feedback] == [q.pk for q in questions[1:]]
