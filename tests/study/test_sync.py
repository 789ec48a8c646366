import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from quizzes.core.scheduling import SchedulerSettings, replay
from quizzes.study.models import CardState, ReviewLog
from quizzes.study.services import ReviewInput, review_record, review_sync
from tests.conftest import authenticated
from tests.factories import QuestionFactory, UserFactory
from tests.study.conftest import NOW, review_body

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/study/sync"
FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended",
)


def card_values(card: CardState) -> tuple:
    return tuple(getattr(card, name) for name in FIELDS)


def test_sync_applies_new_reviews_counts_duplicates_and_rejects_bad_ones(
    student, student_client, passage, now
):
    # given one review already sent online
    first, second = QuestionFactory.create_batch(2, passage=passage)
    sent = review_body(first, rating=3, at=now - timedelta(hours=2))
    student_client.post("/api/v1/study/reviews", sent)
    draft = QuestionFactory(passage=passage, status="draft")
    reviews = [
        review_body(second, rating=4, at=now - timedelta(hours=1)),
        sent,
        review_body(first, rating=3, at=now - timedelta(hours=3)),
        {**review_body(first), "rating": 7, "id": "11111111-1111-1111-1111-111111111111"},
        {**review_body(first), "id": "nope"},
        review_body(draft),
        review_body(first, at=now + timedelta(hours=1), client_id=uuid.UUID(int=9)),
    ]

    response = student_client.post(SYNC, {"reviews": reviews}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["applied"] == 2
    assert body["duplicates"] == 1
    assert body["rejected"] == [
        {"id": "11111111-1111-1111-1111-111111111111", "error": "rating must be 1, 2, 3 or 4."},
        {"id": "nope", "error": "id must be a UUID."},
        {"id": "00000000-0000-0000-0000-000000000009", "error": "reviewed_at is in the future."},
        {"id": reviews[5]["id"], "error": "Unknown question."},
    ]
    assert [c["question"] for c in body["cards"]] == [first.pk, second.pk]
    assert [c["reps"] for c in body["cards"]] == [2, 1]
    assert ReviewLog.objects.filter(user=student).count() == 3


def test_two_devices_that_reviewed_the_same_card_offline_both_keep_their_reviews(
    student, question, now
):
    # given a phone and a tablet each reviewed the card while offline
    phone = [
        review_body(question, rating=3, at=now - timedelta(days=3)),
        review_body(question, rating=3, at=now - timedelta(days=1)),
    ]
    tablet = [review_body(question, rating=1, at=now - timedelta(days=2))]

    # when they sync one after the other, tablet first
    client = authenticated(APIClient(), student)
    client.post(SYNC, {"reviews": tablet}, format="json")
    client.post(SYNC, {"reviews": phone}, format="json")

    # then the card is the replay of all three in time order
    expected = replay(
        [(3, now - timedelta(days=3)), (1, now - timedelta(days=2)), (3, now - timedelta(days=1))],
        settings=SchedulerSettings(),
        card_key=question.pk,
    )
    card = CardState.objects.get(user=student)
    assert card.reps == 3
    assert card_values(card) == tuple(
        getattr(expected, n).value if n == "state" else getattr(expected, n) for n in FIELDS
    )


def test_sync_needs_authentication_and_a_list(api_client, student_client, now):
    assert api_client.post(SYNC, {"reviews": []}, format="json").status_code == 401
    response = student_client.post(SYNC, {"reviews": "x"}, format="json")
    assert response.status_code == 400
    assert "reviews" in response.json()["fields"]


def test_sync_with_the_same_id_twice_in_a_batch_applies_it_once(
    student, student_client, question, now
):
    body = review_body(question)

    response = student_client.post(SYNC, {"reviews": [body, body]}, format="json")

    assert (response.json()["applied"], response.json()["duplicates"]) == (1, 1)


def test_sync_of_other_students_questions_never_touches_their_cards(
    student_client, other_student, question, now
):
    # given another student's review id
    other = authenticated(APIClient(), other_student)
    body = review_body(question, rating=1)
    other.post("/api/v1/study/reviews", body)

    # when this student sends the same id with other content
    response = student_client.post(SYNC, {"reviews": [{**body, "rating": 4}]}, format="json")

    # then it is hers alone, and the other student's card is unchanged
    assert response.json()["applied"] == 1
    assert CardState.objects.get(user=other_student).reps == 1
    assert ReviewLog.objects.get(user=other_student).rating == 1


# --- Any interleaving ends where sending each review once in order ends ---------

reviews_strategy = st.lists(
    st.tuples(st.integers(0, 1), st.integers(1, 4), st.integers(0, 60 * 24 * 20)),
    min_size=1,
    max_size=7,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reviews=reviews_strategy, data=st.data())
def test_any_interleaving_of_duplicate_and_out_of_order_batches_gives_the_in_order_state(
    passage, reviews, data
):
    questions = list(passage.questions.order_by("id")) or QuestionFactory.create_batch(
        2, passage=passage
    )
    start = NOW - timedelta(days=30)
    inputs = [
        ReviewInput(
            client_id=uuid.uuid4(),
            question_id=questions[q].pk,
            rating=rating,
            reviewed_at=start + timedelta(minutes=minutes),
            duration_ms=1000,
        )
        for q, rating, minutes in reviews
    ]
    # given each review sent once, in time order, one at a time
    in_order_user = UserFactory()
    for item in sorted(inputs, key=lambda i: (i.reviewed_at, i.client_id.int)):
        review_record(user=in_order_user, data=item, now=NOW)

    # when the same reviews arrive as shuffled batches with duplicates
    deliveries = data.draw(st.lists(st.sampled_from(range(len(inputs))), max_size=12))
    deliveries = data.draw(st.permutations(deliveries + list(range(len(inputs)))))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(deliveries)), max_size=4)))
    ends = [*cuts, len(deliveries)]
    batches = [deliveries[a:b] for a, b in zip([0, *cuts], ends, strict=True)]
    synced_user = UserFactory()
    applied = duplicates = 0
    for batch in batches:
        items = [
            {
                "id": str(inputs[i].client_id),
                "question": inputs[i].question_id,
                "rating": inputs[i].rating,
                "reviewed_at": inputs[i].reviewed_at.isoformat(),
                "duration_ms": 1000,
            }
            for i in batch
        ]
        result = review_sync(user=synced_user, items=items, now=NOW)
        assert result.rejected == []
        applied += result.applied
        duplicates += result.duplicates

    # then every review was applied once and every card is in the same state
    assert applied == len(inputs)
    assert duplicates == len(deliveries) - len(inputs)
    expected = {c.question_id: card_values(c) for c in CardState.objects.filter(user=in_order_user)}
    actual = {c.question_id: card_values(c) for c in CardState.objects.filter(user=synced_user)}
    assert actual == expected
    assert sorted(
        ReviewLog.objects.filter(user=synced_user).values_list("client_id", "rating", "reviewed_at")
    ) == sorted(
        ReviewLog.objects.filter(user=in_order_user).values_list(
            "client_id", "rating", "reviewed_at"
        )
    )
