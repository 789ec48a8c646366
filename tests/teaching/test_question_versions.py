"""An edit of a question that another teacher's quiz set uses is copied on write."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from quizzes.content.models import Question
from quizzes.study.models import CardEvent, CardState, ReviewLog
from quizzes.study.services.reviews import ReviewInput, review_record
from quizzes.teaching.models import QuizSetItem, Response
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from tests.conftest import authenticated
from tests.factories import TeacherFactory, UserFactory
from tests.teaching.factories import DUE, OPENS, AssignmentFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

MONDAY = OPENS.replace(hour=10)


@pytest.fixture
def staff(db):
    return UserFactory(username="sara", is_staff=True)


def _take(student, assignment, answers, *, at):
    attempt, _ = attempt_start(student=student, assignment=assignment, now=at)
    for question, answer in answers.items():
        response_save(attempt=attempt, question_id=question.pk, answer=answer, now=at)
    attempt_submit(attempt=attempt, now=at + timedelta(minutes=5))
    attempt.refresh_from_db()
    return attempt


def _results(teacher, assignment):
    body = (
        authenticated(APIClient(), teacher)
        .get(f"/api/v1/assignments/{assignment.pk}/results")
        .json()
    )
    return (
        [(r["student"]["username"], r["score"]) for r in body["students"]],
        [(r["question"], r["answered"], r["correct"]) for r in body["questions"]],
    )


@time_machine.travel(MONDAY + timedelta(hours=1), tick=False)
def test_an_edited_key_goes_to_a_new_question_and_the_other_teachers_quiz_keeps_the_old(
    staff, teacher, student, questions, assignment
):
    cloze = questions[0]
    _take(student, assignment, {cloze: "March 1921"}, at=MONDAY)
    before = _results(teacher, assignment)

    response = authenticated(APIClient(), staff).patch(
        f"/api/v1/questions/{cloze.pk}", {"answer": "1917", "prompt": "When? ____"}
    )

    assert response.status_code == 200
    new = Question.objects.get(pk=response.json()["id"])
    assert new.pk != cloze.pk
    assert (
        new.prompt,
        new.answer,
        new.is_edited,
        new.status,
        new.original_id,
        new.replaced_by_id,
        new.passage_id,
    ) == ("When? ____", "1917", True, "approved", cloze.pk, None, cloze.passage_id)
    assert response.json()["replaced_by"] is None
    old = Question.objects.get(pk=cloze.pk)
    assert (old.prompt, old.answer, old.is_edited, old.replaced_by_id) == (
        cloze.prompt,
        "March 1921",
        False,
        new.pk,
    )
    assert list(assignment.quiz_set.items.values_list("question_id", flat=True)) == [
        q.pk for q in questions
    ]
    # the other teacher's grades and item statistics do not move...
    assert (
        _results(teacher, assignment)
        == before
        == ([("sam", 1.0)], [(cloze.pk, 1, 1), (questions[1].pk, 0, 0), (questions[2].pk, 0, 0)])
    )
    # ...and a new attempt is still graded with the key the teacher chose
    second = _take(student, assignment, {cloze: "March 1921"}, at=MONDAY + timedelta(minutes=30))
    assert second.score == 1.0


def test_lists_drawing_and_new_quiz_sets_serve_the_new_version(
    staff, teacher, student, questions, quiz_set, deck
):
    cloze = questions[0]
    new_id = (
        authenticated(APIClient(), staff)
        .patch(f"/api/v1/questions/{cloze.pk}", {"answer": "In March 1921"})
        .json()["id"]
    )
    teaching = authenticated(APIClient(), teacher)
    studying = authenticated(APIClient(), student)

    for client in (teaching, studying):
        listed = client.get("/api/v1/questions", {"passage": cloze.passage_id}).json()
        passage = client.get(f"/api/v1/passages/{cloze.passage_id}").json()
        old = client.get(f"/api/v1/questions/{cloze.pk}").json()
        assert sorted(q["id"] for q in listed["results"]) == sorted([new_id, questions[1].pk])
        assert {q["id"] for q in passage["questions"]} == {new_id, questions[1].pk}
        assert (old["answer"], old["replaced_by"]) == ("March 1921", new_id)
    decks = teaching.get("/api/v1/decks").json()
    assert [d["approved_question_count"] for d in decks["results"]] == [3]

    drawn = teaching.post(
        "/api/v1/quiz-sets", {"title": "Drawn", "decks": [deck.pk], "count": 3}, format="json"
    )
    chosen = teaching.post(
        "/api/v1/quiz-sets", {"title": "Chosen", "questions": [cloze.pk]}, format="json"
    )

    assert drawn.status_code == 201, drawn.json()
    assert sorted(
        QuizSetItem.objects.filter(quiz_set_id=drawn.json()["id"]).values_list(
            "question_id", flat=True
        )
    ) == sorted([new_id, questions[1].pk, questions[2].pk])
    assert chosen.status_code == 400
    assert chosen.json()["fields"]["questions"] == [
        f"Question {cloze.pk} has been replaced by question {new_id}."
    ]


@time_machine.travel(MONDAY, tick=False)
def test_a_learners_card_and_review_history_follow_the_edit(
    staff, student, questions, quiz_set, deck
):
    cloze = questions[0]
    first = ReviewInput(
        client_id=uuid.uuid4(),
        question_id=cloze.pk,
        rating=3,
        reviewed_at=MONDAY - timedelta(minutes=20),
    )
    second = ReviewInput(
        client_id=uuid.uuid4(),
        question_id=cloze.pk,
        rating=3,
        reviewed_at=MONDAY - timedelta(minutes=5),
    )
    for review in (first, second):
        review_record(user=student, data=review, now=MONDAY)
    CardEvent.objects.create(user=student, question=cloze, kind="suspend", at=MONDAY)
    card = CardState.objects.get(user=student, question=cloze)
    scheduling = (card.state, card.step, card.reps, card.stability, card.due)

    new_id = (
        authenticated(APIClient(), staff)
        .patch(f"/api/v1/questions/{cloze.pk}", {"prompt": "When did the sailors rise? ____"})
        .json()["id"]
    )

    card = CardState.objects.get(user=student)
    assert card.question_id == new_id
    assert (card.state, card.step, card.reps, card.stability, card.due) == scheduling
    assert list(ReviewLog.objects.values_list("question_id", "client_id")) == [
        (new_id, first.client_id),
        (new_id, second.client_id),
    ]
    assert CardEvent.objects.get().question_id == new_id
    CardEvent.objects.all().delete()
    CardState.objects.filter(pk=card.pk).update(suspended=False)

    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        queue = (
            authenticated(APIClient(), student).get("/api/v1/study/queue", {"deck": deck.pk}).json()
        )
    assert [c["question"]["id"] for c in queue["cards"]] == [
        new_id,
        questions[1].pk,
        questions[2].pk,
    ]
    assert queue["cards"][0]["question"]["prompt"] == "When did the sailors rise? ____"


def test_the_editors_own_quiz_sets_take_the_new_version_with_their_responses(
    teacher, student, classroom, questions, quiz_set
):
    editor = TeacherFactory(username="stan", is_staff=True)
    cloze = questions[0]
    own_set = QuizSetFactory(owner=editor, questions=[cloze])
    own = AssignmentFactory(classroom__teacher=editor, quiz_set=own_set, due_at=DUE)
    own.classroom.memberships.create(student=student)
    attempt = _take(student, own, {cloze: "March 1921"}, at=MONDAY)

    new_id = (
        authenticated(APIClient(), editor)
        .patch(f"/api/v1/questions/{cloze.pk}", {"accepted_answers": ["1921"]})
        .json()["id"]
    )

    assert list(own_set.items.values_list("question_id", flat=True)) == [new_id]
    assert list(Response.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == [
        new_id
    ]
    assert list(quiz_set.items.values_list("question_id", flat=True)) == [q.pk for q in questions]


def test_without_another_teachers_quiz_set_the_question_is_edited_in_place(staff, questions):
    cloze = questions[0]
    QuizSetFactory(owner=staff, questions=[cloze])

    response = authenticated(APIClient(), staff).patch(
        f"/api/v1/questions/{cloze.pk}", {"answer": "In March 1921"}
    )

    assert response.json()["id"] == cloze.pk
    assert Question.objects.count() == 3
    assert Question.objects.get(pk=cloze.pk).answer == "In March 1921"


def test_editing_a_replaced_question_edits_its_current_version(staff, questions, quiz_set):
    cloze = questions[0]
    client = authenticated(APIClient(), staff)
    new_id = client.patch(f"/api/v1/questions/{cloze.pk}", {"answer": "1921"}).json()["id"]

    again = client.patch(f"/api/v1/questions/{cloze.pk}", {"answer": "March, 1921"})
    status = client.patch(f"/api/v1/questions/{cloze.pk}", {"status": "rejected"})

    assert (again.json()["id"], status.json()["id"]) == (new_id, new_id)
    assert Question.objects.count() == 4
    assert Question.objects.filter(pk=new_id).values_list("answer", "status").get() == (
        "March, 1921",
        "rejected",
    )
    assert Question.objects.filter(pk=cloze.pk).values_list("answer", "status").get() == (
        "March 1921",
        "approved",
    )


def test_a_status_change_alone_is_no_copy(staff, questions, quiz_set):
    cloze = questions[0]

    response = authenticated(APIClient(), staff).patch(
        f"/api/v1/questions/{cloze.pk}", {"status": "rejected"}
    )

    assert response.json()["id"] == cloze.pk
    assert Question.objects.count() == 3
    assert Question.objects.get(pk=cloze.pk).status == "rejected"


@time_machine.travel(MONDAY, tick=False)
def test_the_new_versions_key_is_withheld_while_an_attempt_is_open_on_the_old(
    staff, student, questions, assignment
):
    cloze = questions[0]
    attempt_start(student=student, assignment=assignment, now=MONDAY)
    new_id = (
        authenticated(APIClient(), staff)
        .patch(f"/api/v1/questions/{cloze.pk}", {"explanation": "The Kronstadt rising."})
        .json()["id"]
    )
    client = authenticated(APIClient(), student)

    new = client.get(f"/api/v1/questions/{new_id}").json()
    queue = client.get("/api/v1/study/queue", {"deck": cloze.passage.deck_id}).json()

    assert (new["key_withheld"], new["answer"]) == (True, None)
    assert queue["cards"] == []


def _review(question_id, at, client_id=None):
    return {
        "id": str(client_id or uuid.uuid4()),
        "question": question_id,
        "rating": 3,
        "reviewed_at": at.isoformat(),
        "duration_ms": 3000,
    }


@time_machine.travel(MONDAY, tick=False)
def test_reviews_sent_for_a_replaced_question_count_for_its_current_version(
    staff, student, questions, quiz_set
):
    cloze = questions[0]
    client = authenticated(APIClient(), student)
    sent = _review(cloze.pk, MONDAY - timedelta(hours=3))
    assert client.post("/api/v1/study/reviews", sent, format="json").status_code == 201
    new_id = (
        authenticated(APIClient(), staff)
        .patch(f"/api/v1/questions/{cloze.pk}", {"answer": "1921"})
        .json()["id"]
    )

    # a device that has not seen the edit resends one review and sends two more
    resent = client.post("/api/v1/study/reviews", sent, format="json")
    online = client.post(
        "/api/v1/study/reviews", _review(cloze.pk, MONDAY - timedelta(hours=2)), format="json"
    )
    synced = client.post(
        "/api/v1/study/sync",
        {"reviews": [sent, _review(cloze.pk, MONDAY - timedelta(hours=1))]},
        format="json",
    )

    assert (resent.status_code, online.status_code, synced.status_code) == (200, 201, 200)
    assert (resent.json()["question"], online.json()["question"]) == (new_id, new_id)
    assert (synced.json()["applied"], synced.json()["duplicates"], synced.json()["rejected"]) == (
        1,
        1,
        [],
    )
    assert list(ReviewLog.objects.values_list("question_id", flat=True)) == [new_id] * 3
    card = CardState.objects.get(user=student)
    assert (card.question_id, card.reps) == (new_id, 3)


def test_an_edit_in_the_admin_is_copied_on_write_too(client, questions, quiz_set):
    cloze = questions[0]
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = {
        "prompt": cloze.prompt,
        "answer": "1921",
        "accepted_answers": "[]",
        "choices": "[]",
        "explanation": cloze.explanation,
        "evidence_start": cloze.evidence_start,
        "evidence_end": cloze.evidence_end,
        "score": cloze.score,
        "reasons": "[]",
        "status": "approved",
        "generator_version": cloze.generator_version,
        "reviewed_by": "",
    }

    response = client.post(f"/admin/quizzes/question/{cloze.pk}/change/", form)

    assert response.status_code == 302
    old = Question.objects.get(pk=cloze.pk)
    assert old.answer == "March 1921"
    assert (old.replaced_by.answer, old.replaced_by.is_edited) == ("1921", True)
    assert list(quiz_set.items.values_list("question_id", flat=True)) == [q.pk for q in questions]
