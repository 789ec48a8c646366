import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from quizzes.study.models import CardState, ReviewLog, ReviewUndo
from quizzes.study.services import ReviewInput, review_record, review_undo
from tests.conftest import authenticated
from tests.factories import UserFactory
from tests.study.conftest import NOW, review_body
from tests.study.test_sync import card_values

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/study/reviews"


def undo_url(body: dict) -> str:
    return f"{REVIEWS}/{body['id']}/undo"


def test_undo_restores_the_earlier_state_exactly(student, student_client, question, now):
    # given two reviews of a card
    student_client.post(REVIEWS, review_body(question, rating=3, at=now - timedelta(days=3)))
    student_client.post(REVIEWS, review_body(question, rating=3, at=now - timedelta(days=2)))
    before = card_values(CardState.objects.get(user=student))
    last = review_body(question, rating=1, at=now - timedelta(days=1))
    student_client.post(REVIEWS, last)
    assert card_values(CardState.objects.get(user=student)) != before

    # when the last one is undone
    response = student_client.post(undo_url(last))

    # then the card is exactly as before it, and the log keeps the review, marked undone
    assert response.status_code == 200
    assert response.json()["undone"] is True
    assert response.json()["reps"] == 2
    assert card_values(CardState.objects.get(user=student)) == before
    assert ReviewLog.objects.count() == 3
    assert ReviewLog.objects.effective().count() == 2
    assert ReviewUndo.objects.get().review.client_id.hex == last["id"].replace("-", "")


def test_undo_of_the_first_review_makes_the_card_new_again(student, student_client, question, now):
    body = review_body(question, rating=3)
    student_client.post(REVIEWS, body)

    response = student_client.delete(undo_url(body))

    assert response.status_code == 200
    card = CardState.objects.get(user=student)
    assert card_values(card) == ("new", None, None, None, None, None, 0, 0, False)
    # and the card is offered as new again
    queue = student_client.get("/api/v1/study/queue").json()
    assert [(c["question"]["id"], c["kind"]) for c in queue["cards"]] == [(question.pk, "new")]


def test_undoing_twice_changes_nothing_and_returns_the_same_answer(student_client, question, now):
    student_client.post(REVIEWS, review_body(question, rating=3, at=now - timedelta(hours=1)))
    body = review_body(question, rating=1)
    student_client.post(REVIEWS, body)
    first = student_client.post(undo_url(body))

    again = student_client.post(undo_url(body))

    assert again.status_code == 200
    assert again.json() == first.json()
    assert ReviewUndo.objects.count() == 1


def test_only_the_latest_review_of_a_card_can_be_undone(student, student_client, question, now):
    early = review_body(question, rating=3, at=now - timedelta(hours=1))
    student_client.post(REVIEWS, early)
    student_client.post(REVIEWS, review_body(question, rating=3))
    state = card_values(CardState.objects.get(user=student))

    response = student_client.post(undo_url(early))

    assert response.status_code == 409
    assert card_values(CardState.objects.get(user=student)) == state
    assert ReviewUndo.objects.count() == 0


def test_undo_after_a_sync_replays_the_rest_of_the_log(student, student_client, question, now):
    # given a card rebuilt by a sync, then the latest review undone
    first = review_body(question, rating=3, at=now - timedelta(days=2))
    student_client.post(REVIEWS, first)
    before = card_values(CardState.objects.get(user=student))
    synced = review_body(question, rating=4, at=now - timedelta(days=1))
    student_client.post("/api/v1/study/sync", {"reviews": [synced]}, format="json")

    response = student_client.post(undo_url(synced))

    assert response.status_code == 200
    assert card_values(CardState.objects.get(user=student)) == before


def test_another_student_cannot_undo_my_review(
    student, student_client, other_student, question, now
):
    body = review_body(question)
    student_client.post(REVIEWS, body)
    state = card_values(CardState.objects.get(user=student))

    response = authenticated(APIClient(), other_student).post(undo_url(body))

    assert response.status_code == 404
    assert card_values(CardState.objects.get(user=student)) == state
    assert ReviewUndo.objects.count() == 0


def test_undo_needs_authentication(api_client, student_client, question, now):
    body = review_body(question)
    student_client.post(REVIEWS, body)

    assert api_client.post(undo_url(body)).status_code == 401
    assert ReviewUndo.objects.count() == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ratings=st.lists(st.integers(1, 4), min_size=1, max_size=8),
    gaps=st.lists(st.integers(1, 60 * 24 * 30), min_size=8, max_size=8),
)
def test_undoing_reviews_one_by_one_walks_the_card_back_through_every_state(
    question, ratings, gaps
):
    # given a learner's card after each of several reviews
    user = UserFactory()
    at = NOW - timedelta(days=400)
    states, ids = [card_values_or_new(user, question)], []
    for rating, gap in zip(ratings, gaps, strict=False):
        at += timedelta(minutes=gap)
        item = ReviewInput(
            client_id=uuid.uuid4(), question_id=question.pk, rating=rating, reviewed_at=at
        )
        review_record(user=user, data=item, now=NOW)
        states.append(card_values_or_new(user, question))
        ids.append(item.client_id)

    # when they are undone from the last, each undo gives back the state before it
    for client_id in reversed(ids):
        states.pop()
        review_undo(user=user, client_id=client_id)
        assert card_values_or_new(user, question) == states[-1]


def card_values_or_new(user, question) -> tuple:
    card = CardState.objects.filter(user=user, question=question).first()
    if card is None:
        return ("new", None, None, None, None, None, 0, 0, False)
    return card_values(card)
