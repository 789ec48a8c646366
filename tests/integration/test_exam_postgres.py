"""Exam plans on PostgreSQL: capped dates written by concurrent queue reads and reviews."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from quizzes.core.exam import exam_capped_due
from quizzes.core.scheduling import SchedulerSettings, StudyClock
from quizzes.study.models import CardState, ExamCardDue, ExamPlan
from quizzes.study.snapshots import snapshot_from_card
from tests.conftest import authenticated
from tests.factories import DeckFactory, PassageFactory, QuestionFactory, UserFactory
from tests.integration.test_study_concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CLOCK = StudyClock("UTC", 4)
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # the day before the exam


def test_concurrent_queue_reads_and_reviews_keep_one_capped_date_per_card(time_machine):
    time_machine.move_to(NOW, tick=False)
    student = UserFactory(username="pg")
    deck = DeckFactory()
    passage = PassageFactory(deck=deck)
    questions = QuestionFactory.create_batch(12, passage=passage, status="approved")
    for i, question in enumerate(questions):
        CardState.objects.create(
            user=student,
            question=question,
            state="review",
            stability=20.0 + i,
            difficulty=5.0,
            reps=3,
            last_review=NOW - timedelta(days=10 + i % 3),
            due=CLOCK.day_start(date(2026, 3, 25)),
        )
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.95)

    def queue():
        response = authenticated(APIClient(), student).get("/api/v1/study/queue", {"limit": 50})
        return response.status_code, response.json()

    def answer(question):
        def call():
            response = authenticated(APIClient(), student).post(
                "/api/v1/study/reviews",
                {
                    "id": str(uuid.uuid4()),
                    "question": question.pk,
                    "rating": 3,
                    "reviewed_at": NOW.isoformat(),
                },
                format="json",
            )
            return response.status_code, None

        return call

    results = run_together([queue, queue, queue, answer(questions[0])])

    assert [status for status, _ in results] == [200, 200, 200, 201]
    # afterwards: one row per card, matching the card as it now is
    after = queue()
    assert after[0] == 200
    due_now = {card["question"]["id"] for card in after[1]["cards"]}
    settings = SchedulerSettings(clock=CLOCK)
    exam_at = CLOCK.day_start(date(2026, 3, 12))
    rows = {row.question_id: row for row in ExamCardDue.objects.filter(user=student)}
    assert sorted(rows) == sorted(q.pk for q in questions)
    for card in CardState.objects.filter(user=student):
        row = rows[card.question_id]
        assert (row.last_review, row.natural_due) == (card.last_review, card.due)
        capped = exam_capped_due(
            snapshot_from_card(card),
            exam_at=exam_at,
            target=0.95,
            settings=settings,
            card_key=card.question_id,
        )
        assert row.due == (capped if capped < card.due else None)
    # the capped cards are due now (the reviewed one is not: it holds the target)
    capped_now = {q for q, row in rows.items() if row.due is not None and row.due <= NOW}
    assert questions[0].pk not in capped_now
    assert len(capped_now) >= 6
    assert due_now == capped_now
