from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, QuestionFactory, UserFactory
from tests.study.conftest import review_body

pytestmark = pytest.mark.django_db


def test_a_student_studies_over_the_api_end_to_end(passage, now, time_machine):
    # given a student with a JWT and three approved questions
    questions = QuestionFactory.create_batch(3, passage=passage)
    UserFactory(username="nadia")
    client = APIClient()
    token = client.post("/api/v1/auth/token", {"username": "nadia", "password": PASSWORD})
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")

    # when she opens the queue, all three are new
    queue = client.get("/api/v1/study/queue").json()
    assert [c["question"]["id"] for c in queue["cards"]] == [q.pk for q in questions]
    assert (queue["due_count"], queue["new_count"]) == (0, 3)

    # and she answers them: Easy, Good, Again
    for card, rating in zip(queue["cards"], (4, 3, 1), strict=True):
        response = client.post(
            "/api/v1/study/reviews",
            review_body(questions[0], rating=rating, at=now) | {"question": card["question"]["id"]},
        )
        assert response.status_code == 201
        assert response.json()["due"] is not None

    # then eleven minutes later the two learning cards are due, Again's first, no new card
    time_machine.move_to(now + timedelta(minutes=11), tick=False)
    queue = client.get("/api/v1/study/queue").json()
    assert [(c["question"]["id"], c["kind"]) for c in queue["cards"]] == [
        (questions[2].pk, "learning"),
        (questions[1].pk, "learning"),
    ]
    assert (queue["due_count"], queue["new_count"]) == (2, 0)

    # and her progress shows today's three reviews
    progress = client.get("/api/v1/study/progress").json()
    assert progress["streak_days"] == 1
    assert progress["reviews_per_day"] == [{"date": "2026-03-02", "count": 3}]
    assert progress["time_studied_seconds"] == 12
    assert progress["decks"][0]["seen"] == 1.0
