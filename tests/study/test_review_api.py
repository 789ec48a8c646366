import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from quizzes.core.scheduling import CardSnapshot, SchedulerSettings, review
from quizzes.study.models import CardState, ReviewLog, StudySettings
from tests.conftest import authenticated
from tests.factories import QuestionFactory, TeacherFactory
from tests.study.conftest import NOW, review_body

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/study/reviews"


def test_first_good_puts_a_new_card_on_its_second_learning_step(student_client, question, now):
    # given a question the student has never seen
    body = review_body(question, rating=3, at=now - timedelta(seconds=30))

    # when she rates it Good
    response = student_client.post(REVIEWS, body)

    # then the card is in learning step 1, due ten minutes after the review
    assert response.status_code == 201
    data = response.json()
    assert data["id"] == body["id"]
    assert data["question"] == question.pk
    assert data["rating"] == 3
    assert data["state"] == "learning"
    assert data["step"] == 1
    assert data["reps"] == 1
    assert data["lapses"] == 0
    assert data["due"] == "2026-03-02T09:09:30Z"
    assert data["last_review"] == "2026-03-02T08:59:30Z"
    assert data["stability"] == pytest.approx(2.3065, abs=1e-4)
    card = CardState.objects.get(question=question)
    assert (card.state, card.step, card.reps) == ("learning", 1, 1)
    assert card.due == now + timedelta(seconds=570)
    log = ReviewLog.objects.get()
    assert (log.rating, log.duration_ms, log.state_before["state"]) == (3, 4000, "new")
    assert StudySettings.objects.get(user=log.user).reviews_since_optimisation == 1


def test_the_same_id_sent_twice_changes_nothing_and_returns_the_same_answer(
    student_client, question, now
):
    body = review_body(question, rating=3)
    first = student_client.post(REVIEWS, body)

    # when the phone resends the same review
    again = student_client.post(REVIEWS, body)

    # then the answer is the same and there is still one review
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert ReviewLog.objects.count() == 1
    assert CardState.objects.get().reps == 1


def test_the_same_id_with_different_content_is_a_conflict(student_client, question, now):
    body = review_body(question, rating=3)
    student_client.post(REVIEWS, body)

    response = student_client.post(REVIEWS, {**body, "rating": 1})

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert ReviewLog.objects.get().rating == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 5}, "rating"),
        ({"rating": "good"}, "rating"),
        ({"id": "not-a-uuid"}, "id"),
        ({"reviewed_at": "yesterday"}, "reviewed_at"),
        ({"reviewed_at": (NOW + timedelta(minutes=6)).isoformat()}, "reviewed_at"),
        ({"duration_ms": -1}, "duration_ms"),
    ],
)
def test_bad_reviews_get_400_and_nothing_is_written(student_client, question, now, change, field):
    response = student_client.post(REVIEWS, {**review_body(question), **change})

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert ReviewLog.objects.count() == 0
    assert CardState.objects.count() == 0


def test_a_review_within_the_clock_skew_allowance_is_accepted(student_client, question, now):
    response = student_client.post(
        REVIEWS, review_body(question, at=now + timedelta(minutes=4, seconds=59))
    )

    assert response.status_code == 201


def test_unknown_draft_rejected_and_hidden_questions_are_404_for_students(
    student_client, passage, now
):
    draft = QuestionFactory(passage=passage, status="draft")
    rejected = QuestionFactory(passage=passage, status="rejected")
    hidden = QuestionFactory(passage__is_hidden=True)
    replaced = QuestionFactory(passage__is_current=False)

    codes = [
        student_client.post(REVIEWS, {**review_body(draft), "question": pk}).status_code
        for pk in (draft.pk, rejected.pk, hidden.pk, replaced.pk, 999_999)
    ]

    assert codes == [404, 404, 404, 404, 404]
    assert ReviewLog.objects.count() == 0
    assert CardState.objects.count() == 0


def test_a_teacher_may_review_a_draft_question(passage, now):
    draft = QuestionFactory(passage=passage, status="draft")
    client = authenticated(APIClient(), TeacherFactory())

    response = client.post(REVIEWS, review_body(draft))

    assert response.status_code == 201


def test_anonymous_clients_get_401(api_client, question, now):
    response = api_client.post(REVIEWS, review_body(question))

    assert response.status_code == 401
    assert ReviewLog.objects.count() == 0


def test_another_student_with_the_same_id_gets_her_own_review(
    student_client, other_student, question, now
):
    body = review_body(question, rating=3)
    student_client.post(REVIEWS, body)
    other = authenticated(APIClient(), other_student)

    response = other.post(REVIEWS, {**body, "rating": 1})

    # client ids are unique per user: the other student's review is new, and hers
    assert response.status_code == 201
    assert response.json()["rating"] == 1
    assert CardState.objects.get(user=other_student).reps == 1
    assert ReviewLog.objects.filter(user__username="sam").get().rating == 3


def test_a_review_older_than_the_last_one_is_merged_by_replaying_the_log(
    student, student_client, question, now
):
    # given two reviews arrive newest first
    late = review_body(question, rating=3, at=now - timedelta(minutes=1))
    early = review_body(question, rating=1, at=now - timedelta(minutes=20))
    student_client.post(REVIEWS, late)

    response = student_client.post(REVIEWS, early)

    # then the card is what reviewing them in time order gives
    assert response.status_code == 201
    settings = SchedulerSettings()
    expected = review(
        CardSnapshot(), 1, now=now - timedelta(minutes=20), settings=settings, card_key=question.pk
    ).snapshot
    expected = review(
        expected, 3, now=now - timedelta(minutes=1), settings=settings, card_key=question.pk
    ).snapshot
    card = CardState.objects.get(user=student)
    assert (card.state, card.step, card.reps, card.due) == (
        expected.state.value,
        expected.step,
        expected.reps,
        expected.due,
    )
    assert card.stability == expected.stability


def test_leech_is_suspended_after_eight_lapses(student, student_client, question, now):
    # given a card that keeps being forgotten in the review state
    at = now - timedelta(days=400)
    student_client.post(REVIEWS, review_body(question, rating=4, at=at))
    for _ in range(8):
        at = CardState.objects.get().due
        student_client.post(REVIEWS, review_body(question, rating=1, at=at))
        at = CardState.objects.get().due
        student_client.post(REVIEWS, review_body(question, rating=4, at=at))

    card = CardState.objects.get(user=student)
    assert card.lapses == 8
    assert card.suspended is True


def test_reviews_are_counted_towards_the_next_optimisation(
    student,
    student_client,
    passage,
    now,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given an optimisation every 2 reviews
    settings.STUDY_OPTIMISE_EVERY = 2
    calls = []
    monkeypatch.setattr(
        "quizzes.study.services.optimisation.task_enqueue",
        lambda task, user_id: calls.append((task.name, user_id)),
    )
    questions = QuestionFactory.create_batch(3, passage=passage)

    for index, q in enumerate(questions):
        with django_capture_on_commit_callbacks(execute=True):
            student_client.post(REVIEWS, review_body(q, at=now - timedelta(minutes=3 - index)))

    # then it was enqueued once, after the second review committed
    assert calls == [("study.tasks.study_parameters_optimise_task", student.pk)]
    assert StudySettings.objects.get(user=student).reviews_since_optimisation == 3


def test_a_review_uuid_is_a_uuid_of_any_version(student_client, question, now):
    response = student_client.post(REVIEWS, review_body(question, client_id=uuid.UUID(int=7)))

    assert response.status_code == 201
    assert response.json()["id"] == "00000000-0000-0000-0000-000000000007"


def test_a_review_succeeds_while_the_broker_is_down(
    student,
    student_client,
    question,
    now,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given the review that triggers an optimisation, and no broker
    settings.STUDY_OPTIMISE_EVERY = 1

    def no_broker(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr("studyapp.celery.app.connection_for_write", no_broker)

    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(REVIEWS, review_body(question))

    # then the review is recorded and the optimisation waits for the weekly sweep
    assert response.status_code == 201
    assert StudySettings.objects.get(user=student).reviews_since_optimisation == 1


def test_leeches_are_listed_and_can_be_unsuspended(
    student, student_client, other_student, passage, now
):
    from tests.study.factories import CardStateFactory

    leech = CardStateFactory(
        user=student,
        question__passage=passage,
        suspended=True,
        lapses=8,
        due=now,
        last_review=now - timedelta(days=1),
    )
    CardStateFactory(user=student, question__passage=passage, due=now, last_review=now)
    CardStateFactory(
        user=other_student,
        question=leech.question,
        suspended=True,
        lapses=9,
        due=now,
        last_review=now,
    )

    listed = student_client.get("/api/v1/study/leeches").json()

    assert listed["count"] == 1
    assert [(c["question"]["id"], c["lapses"]) for c in listed["results"]] == [
        (leech.question_id, 8)
    ]

    response = student_client.post(f"/api/v1/study/cards/{leech.question_id}/unsuspend")

    assert response.status_code == 200
    assert response.json()["suspended"] is False
    assert CardState.objects.get(pk=leech.pk).suspended is False
    assert CardState.objects.get(user=other_student).suspended is True
    assert student_client.get("/api/v1/study/leeches").json()["count"] == 0
    missing = student_client.post("/api/v1/study/cards/999999/unsuspend")
    assert missing.status_code == 404


def review_cost_client(student):
    """A client that authenticates as apps do (a JWT on every request)."""
    from rest_framework_simplejwt.tokens import AccessToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(student)}")
    return client


@pytest.mark.django_db(transaction=True)
def test_a_review_costs_at_most_six_statements_whatever_the_card(student, passage, now):
    # the statements: the user (token), what the review needs, the log entry, the
    # card, the review's tally and the review count, on a first review, a new card
    # and an existing one. SQLite runs in the process, so its statements are no
    # round trips (on PostgreSQL the four writes are one statement, and its own
    # test counts round trips, BEGIN and COMMIT included).
    first, second = QuestionFactory.create_batch(2, passage=passage)
    client = review_cost_client(student)
    for question, minutes in ((first, 30), (second, 20), (first, 10)):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                REVIEWS, review_body(question, at=now - timedelta(minutes=minutes)), format="json"
            )
        assert response.status_code == 201
        statements = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].split()[0] not in ("BEGIN", "COMMIT")
        ]
        assert len(statements) <= 6, statements
    assert CardState.objects.get(user=student, question=first).reps == 2
    assert StudySettings.objects.get(user=student).reviews_since_optimisation == 3
