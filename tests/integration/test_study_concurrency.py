"""Reviews and offline syncs from several devices at once, on PostgreSQL's row locks."""

import random
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from rest_framework.test import APIClient

from quizzes.core.scheduling import replay
from quizzes.study.models import CardState, ReviewLog
from quizzes.study.snapshots import scheduler_settings_for
from quizzes.study.tallies import tallies_from_log, tallies_stored
from tests.conftest import authenticated
from tests.factories import PassageFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def run_together(calls):
    """Run the calls in threads released at the same moment; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def body(question, minutes, rating=3):
    return {
        "id": str(uuid.uuid4()),
        "question": question.pk,
        "rating": rating,
        "reviewed_at": (START + timedelta(minutes=minutes)).isoformat(),
        "duration_ms": 3000,
    }


def poster(user, path, payload):
    def call():
        client = authenticated(APIClient(), user)
        response = client.post(path, payload, format="json")
        return response.status_code, response.json()

    return call


def test_two_devices_syncing_overlapping_batches_store_every_review_once(time_machine):
    time_machine.move_to(START + timedelta(days=1), tick=False)
    student = UserFactory(username="dev")
    questions = QuestionFactory.create_batch(6, passage=PassageFactory())
    rng = random.Random(7)
    stored: set[str] = set()
    for round_number in range(4):
        # each device has reviews of its own and the reviews both devices hold
        shared = [body(rng.choice(questions), round_number * 60 + i) for i in range(8)]
        phone = [body(rng.choice(questions), round_number * 60 + 20 + i) for i in range(5)]
        tablet = [body(rng.choice(questions), round_number * 60 + 40 + i) for i in range(5)]
        batches = [shared + phone, list(reversed(shared)) + tablet]

        results = run_together(
            [poster(student, "/api/v1/study/sync", {"reviews": b}) for b in batches]
        )

        assert [status for status, _ in results] == [200, 200]
        for (_, answer), batch in zip(results, batches, strict=True):
            assert answer["rejected"] == []
            assert answer["applied"] + answer["duplicates"] == len(batch)
        # the shared reviews are applied by exactly one device, a duplicate for the other
        assert sum(answer["applied"] for _, answer in results) == 8 + 5 + 5
        assert sum(answer["duplicates"] for _, answer in results) == 8
        stored |= {item["id"] for batch in batches for item in batch}
        assert ReviewLog.objects.filter(user=student).count() == len(stored)
    assert (
        set(map(str, ReviewLog.objects.filter(user=student).values_list("client_id", flat=True)))
        == stored
    )
    # and every card holds as many repetitions as it has reviews
    for card in CardState.objects.filter(user=student):
        assert card.reps == ReviewLog.objects.filter(user=student, question=card.question).count()
    # and the review tallies written beside them equal a recount of the log
    assert tallies_stored([student.pk]) == tallies_from_log([student.pk])


def test_the_same_review_posted_from_ten_threads_is_stored_once(time_machine):
    time_machine.move_to(START + timedelta(hours=1), tick=False)
    student = UserFactory(username="ten")
    question = QuestionFactory(passage=PassageFactory())
    review = body(question, 0)

    results = run_together([poster(student, "/api/v1/study/reviews", review) for _ in range(10)])

    assert sorted(status for status, _ in results) == [200] * 9 + [201]
    assert len({str(sorted(answer.items())) for _, answer in results}) == 1
    assert ReviewLog.objects.filter(user=student).count() == 1
    assert CardState.objects.get(user=student, question=question).reps == 1
    assert list(tallies_stored([student.pk]).values()) == [(1, 3000, 0, 0)]


def test_the_same_batch_synced_from_ten_threads_is_stored_once(time_machine):
    time_machine.move_to(START + timedelta(hours=3), tick=False)
    student = UserFactory(username="tensync")
    questions = QuestionFactory.create_batch(3, passage=PassageFactory())
    batch = [body(q, i) for i, q in enumerate(questions * 2)]

    results = run_together(
        [poster(student, "/api/v1/study/sync", {"reviews": batch}) for _ in range(10)]
    )

    assert [status for status, _ in results] == [200] * 10
    assert sorted(answer["applied"] for _, answer in results) == [0] * 9 + [6]
    assert all(answer["applied"] + answer["duplicates"] == 6 for _, answer in results)
    assert ReviewLog.objects.filter(user=student).count() == 6
    assert len({str(answer["cards"]) for _, answer in results}) == 1


def test_a_review_costs_at_most_five_queries_on_postgresql(
    time_machine, django_assert_max_num_queries
):
    from rest_framework_simplejwt.tokens import AccessToken

    time_machine.move_to(START + timedelta(hours=2), tick=False)
    student = UserFactory(username="cost")
    first, second = QuestionFactory.create_batch(2, passage=PassageFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(student)}")
    for question, minutes in ((first, 0), (second, 5), (first, 10)):
        with django_assert_max_num_queries(5):
            response = client.post("/api/v1/study/reviews", body(question, minutes), format="json")
        assert response.status_code == 201
    assert CardState.objects.get(user=student, question=first).reps == 2


def test_answers_to_one_card_from_eight_threads_all_count(time_machine):
    # different reviews of the same card at once: each is applied on top of the other
    time_machine.move_to(START + timedelta(hours=4), tick=False)
    student = UserFactory(username="eight")
    question = QuestionFactory(passage=PassageFactory())
    client = authenticated(APIClient(), student)
    client.post("/api/v1/study/reviews", body(question, 0), format="json")
    reviews = [body(question, 1 + i) for i in range(8)]

    results = run_together([poster(student, "/api/v1/study/reviews", r) for r in reviews])

    assert [status for status, _ in results] == [201] * 8
    assert ReviewLog.objects.filter(user=student).count() == 9
    card = CardState.objects.get(user=student, question=question)
    assert card.reps == 9
    assert tallies_stored([student.pk]) == tallies_from_log([student.pk])
    assert sum(counts[0] for counts in tallies_stored([student.pk]).values()) == 9
    # and the card is the replay of the whole log in time order
    logs = ReviewLog.objects.filter(user=student).order_by("reviewed_at")
    expected = replay(
        [(log.rating, log.reviewed_at) for log in logs],
        settings=scheduler_settings_for(None, user=student),
        card_key=question.pk,
    )
    assert (card.state, card.due, card.stability, card.difficulty) == (
        expected.state.value,
        expected.due,
        expected.stability,
        expected.difficulty,
    )
