"""The nightly class-offset fit through Redis and a real worker on PostgreSQL, and a
new learner's first review taking the offset in the review's one read."""

import math
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django_celery_results.models import TaskResult
from rest_framework.test import APIClient

from accounts.models import User
from quizzes.core.class_model import fit_class_model, history_from_reviews
from quizzes.core.scheduling import DEFAULT_PARAMETERS, InitialOffset, StudyClock
from quizzes.study.models import CardState, QuestionClassOffset, ReviewLog
from quizzes.study.tasks import study_class_offsets_fit_all_task
from tests.factories import PassageFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 2, 1, 18, 0, tzinfo=UTC)
HARD = [(0, 3), (3, 1), (4, 3), (9, 1)]
EASY = [(0, 3), (3, 3), (12, 3), (40, 3)]


def _rows():
    return {row.question_id: row for row in QuestionClassOffset.objects.all()}


def _wait_for_rows(count, fitted_after=None):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        rows = _rows()
        if len(rows) == count and (
            fitted_after is None or all(r.fitted_at > fitted_after for r in rows.values())
        ):
            return rows
        time.sleep(0.5)
    raise AssertionError(f"expected {count} class offsets, found {_rows()}")


def test_the_nightly_fit_runs_in_the_worker_and_a_new_learner_starts_from_it(
    celery_worker_process, time_machine, django_assert_max_num_queries
):
    # given two decks whose questions 40 learners studied: one hard, one easy
    passage, other = PassageFactory(), PassageFactory()
    hard, easy = QuestionFactory.create_batch(2, passage=passage)
    third = QuestionFactory(passage=other)
    learners = User.objects.bulk_create(
        [User(username=f"class{i}", email=f"c{i}@example.com") for i in range(40)]
    )
    ReviewLog.objects.bulk_create(
        [
            ReviewLog(
                user=user,
                question=question,
                client_id=uuid.uuid4(),
                rating=rating,
                reviewed_at=START + timedelta(days=days),
                state_before={},
                state_after={},
            )
            for user in learners
            for question, plan in ((hard, HARD), (easy, EASY), (third, EASY))
            for days, rating in plan
        ]
    )

    # when beat's nightly task runs in the worker (one task per deck)
    assert study_class_offsets_fit_all_task.delay().get(timeout=60) == 2
    rows = _wait_for_rows(3)

    # then each question has the offset the core fits from the same reviews
    clock = StudyClock(settings.TIME_ZONE, 4)

    def histories(question, plan):
        return [
            history_from_reviews(
                question.pk, [(r, START + timedelta(days=d)) for d, r in plan], clock=clock
            )
            for _ in learners
        ]

    expected = fit_class_model(histories(hard, HARD) + histories(easy, EASY)).offsets
    for question in (hard, easy):
        row = rows[question.pk]
        assert InitialOffset(row.stability_offset, row.difficulty_offset) == (expected[question.pk])
        assert (row.learners, row.reviews) == (40, 120)
    assert rows[hard.pk].stability_offset < 0 < rows[easy.pk].stability_offset
    # and only the fan-out task stored a result
    assert list(TaskResult.objects.values_list("task_name", flat=True)) == [
        "study.tasks.study_class_offsets_fit_all_task"
    ]

    # when it runs again on the same reviews, the rows are the same
    first_fit = max(row.fitted_at for row in rows.values())
    assert study_class_offsets_fit_all_task.delay().get(timeout=60) == 2
    again = _wait_for_rows(3, fitted_after=first_fit)
    assert {q: (r.stability_offset, r.difficulty_offset, r.learners) for q, r in again.items()} == {
        q: (r.stability_offset, r.difficulty_offset, r.learners) for q, r in rows.items()
    }

    # and a new learner's first review of the hard question starts from its offset,
    # within the review path's five queries
    from rest_framework_simplejwt.tokens import AccessToken

    now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    student = UserFactory(username="newcomer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(student)}")
    with django_assert_max_num_queries(5):
        response = client.post(
            "/api/v1/study/reviews",
            {
                "id": str(uuid.uuid4()),
                "question": hard.pk,
                "rating": 3,
                "reviewed_at": now.isoformat(),
            },
            format="json",
        )
    assert response.status_code == 201
    card = CardState.objects.get(user=student, question=hard)
    offset = rows[hard.pk]
    assert card.stability == pytest.approx(
        DEFAULT_PARAMETERS[2] * math.exp(offset.stability_offset), abs=1e-12
    )
    assert card.initial_stability_offset == offset.stability_offset
