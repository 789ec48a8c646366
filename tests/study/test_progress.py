from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from quizzes.core.scheduling import SchedulerSettings, retrievability
from quizzes.study.models import ReviewUndo
from quizzes.study.selectors import deck_mastery, progress_summary
from quizzes.study.snapshots import scheduler_settings_for, snapshot_from_card
from tests.conftest import authenticated
from tests.factories import DeckFactory, QuestionFactory
from tests.study.factories import CardStateFactory, ReviewLogFactory

pytestmark = pytest.mark.django_db

PROGRESS = "/api/v1/study/progress"


def log(user, question, at, rating=3, before="review", duration_ms=10_000):
    return ReviewLogFactory(
        user=user,
        question=question,
        reviewed_at=at,
        rating=rating,
        duration_ms=duration_ms,
        state_before={"state": before},
    )


def test_progress_reports_streak_heatmap_retention_forecast_decks_and_time(student, question, now):
    # given reviews today, yesterday and the day before, then a gap
    log(student, question, now - timedelta(hours=1), rating=3)
    log(student, question, now - timedelta(days=1), rating=1)
    log(student, question, now - timedelta(days=2), rating=3, before="new")
    log(student, question, now - timedelta(days=10), rating=4)
    log(student, question, now - timedelta(days=40), rating=1)
    undone = log(student, question, now - timedelta(days=3), rating=1)
    ReviewUndo.objects.create(review=undone, state_restored={})
    # and cards due today (one overdue), in three days, and beyond the forecast
    CardStateFactory(
        user=student,
        question=question,
        due=now - timedelta(days=2),
        last_review=now - timedelta(hours=1),
        stability=10.0,
    )
    other = QuestionFactory(passage=question.passage)
    CardStateFactory(
        user=student,
        question=other,
        due=now + timedelta(days=3),
        last_review=now - timedelta(days=5),
        stability=8.0,
    )
    CardStateFactory(
        user=student,
        question__passage=question.passage,
        due=now + timedelta(days=31),
        last_review=now - timedelta(days=1),
    )
    QuestionFactory(passage=question.passage)  # never seen

    summary = progress_summary(user=student, now=now)

    assert summary["streak_days"] == 3
    assert summary["reviews_per_day"] == [
        {"date": "2026-01-21", "count": 1},
        {"date": "2026-02-20", "count": 1},
        {"date": "2026-02-28", "count": 1},
        {"date": "2026-03-01", "count": 1},
        {"date": "2026-03-02", "count": 1},
    ]
    # review-state reviews: 7 days: Good, Again; 30 days: + Easy; all: + Again
    assert summary["true_retention"] == {"7": 0.5, "30": 0.6667, "all": 0.5}
    assert len(summary["forecast"]) == 30
    assert summary["forecast"][0] == {"date": "2026-03-02", "count": 1}
    assert summary["forecast"][3] == {"date": "2026-03-05", "count": 1}
    assert sum(day["count"] for day in summary["forecast"]) == 2
    assert summary["time_studied_seconds"] == 50
    assert [(d["deck"], d["title"], d["seen"]) for d in summary["decks"]] == [
        (question.passage.deck_id, "Kronstadt 1921", 0.75)
    ]


def test_progress_of_a_new_student_is_empty_but_complete(student, now):
    summary = progress_summary(user=student, now=now)

    assert summary == {
        "today": now.date().isoformat(),
        "streak_days": 0,
        "reviews_per_day": [],
        "true_retention": {"7": None, "30": None, "all": None},
        "forecast": [
            {"date": (now.date() + timedelta(days=i)).isoformat(), "count": 0} for i in range(30)
        ],
        "decks": [],
        "time_studied_seconds": 0,
    }


def test_the_streak_survives_until_the_end_of_a_day_without_reviews(student, question, now):
    log(student, question, now - timedelta(days=1))
    log(student, question, now - timedelta(days=2))

    assert progress_summary(user=student, now=now)["streak_days"] == 2
    assert progress_summary(user=student, now=now + timedelta(days=1))["streak_days"] == 0


def test_deck_mastery_is_mean_retrievability_of_seen_cards_and_share_seen(student, question, now):
    seen = CardStateFactory(
        user=student,
        question=question,
        stability=5.0,
        due=now + timedelta(days=1),
        last_review=now - timedelta(days=4),
    )
    QuestionFactory.create_batch(3, passage=question.passage)
    QuestionFactory(passage=question.passage, status="draft")
    empty_deck = DeckFactory()

    result = deck_mastery(user=student, deck_ids=[question.passage.deck_id, empty_deck.pk], now=now)

    expected = retrievability(snapshot_from_card(seen), now=now, settings=SchedulerSettings())
    assert result == {
        question.passage.deck_id: {"mastery": round(expected, 4), "seen": 0.25},
        empty_deck.pk: {"mastery": 0.0, "seen": 0.0},
    }
    assert 0.85 < expected < 0.95


def test_progress_api_shows_only_my_own_data(student, other_student, question, now):
    log(other_student, question, now - timedelta(hours=1))

    response = authenticated(APIClient(), student).get(PROGRESS)

    assert response.status_code == 200
    assert response.json()["reviews_per_day"] == []
    assert response.json()["streak_days"] == 0


def test_progress_needs_authentication(api_client):
    assert api_client.get(PROGRESS).status_code == 401


def test_progress_query_count_is_fixed(student, question, now, django_assert_num_queries):
    for days in range(5):
        log(student, question, now - timedelta(days=days))
    CardStateFactory(user=student, question=question, due=now, last_review=now)

    # settings, the review tallies and the log's cut quarter hours, the forecast,
    # the decks seen and their sizes
    with django_assert_num_queries(6):
        progress_summary(user=student, now=now)


def test_mastery_computed_in_the_database_equals_the_cores_retrievability(student, question, now):
    # given cards of every age, whole days to the second included, and stabilities
    cards = [
        CardStateFactory(
            user=student,
            question=question,
            stability=3.0,
            last_review=now - timedelta(days=2),
            due=now,
        )
    ]
    ages = [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(days=1),
        timedelta(days=1, seconds=-1),
        timedelta(days=7, hours=5),
        timedelta(days=30),
        timedelta(days=400),
        timedelta(seconds=-30),
    ]
    for index, age in enumerate(ages):
        cards.append(
            CardStateFactory(
                user=student,
                question__passage=question.passage,
                stability=0.5 + index * 7.25,
                last_review=now - age,
                due=now + timedelta(days=1),
            )
        )

    result = deck_mastery(user=student, deck_ids=[question.passage.deck_id], now=now)

    # the learner's own scheduler settings: elapsed days are their study days
    scheduler = scheduler_settings_for(None, user=student)
    assert scheduler.clock is not None
    expected = [
        retrievability(snapshot_from_card(card), now=max(now, card.last_review), settings=scheduler)
        for card in cards
    ]
    assert result[question.passage.deck_id]["mastery"] == round(sum(expected) / len(expected), 4)
