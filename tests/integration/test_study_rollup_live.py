"""The nightly roll-up through Redis and a real worker on PostgreSQL, in chunks."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django_celery_results.models import TaskResult

from accounts.models import User
from quizzes.study.models import CardState, ReviewLog, StudyDay
from quizzes.study.tasks import study_rollup_all_task
from tests.factories import PassageFactory, QuestionFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_rollup_of_1200_learners_runs_in_chunks_that_store_no_results(
    celery_worker_process, settings
):
    # given 1,200 learners who each reviewed one card yesterday (and one who did not)
    question = QuestionFactory(passage=PassageFactory())
    day = datetime.now(UTC).date() - timedelta(days=1)
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    users = User.objects.bulk_create(
        [User(username=f"night{i}", email=f"n{i}@example.com") for i in range(1200)]
    )
    CardState.objects.bulk_create(
        [
            CardState(
                user=u,
                question=question,
                state="review",
                stability=3.0,
                difficulty=5.0,
                last_review=at,
                due=at + timedelta(days=3),
                reps=1,
            )
            for u in users
        ]
    )
    ReviewLog.objects.bulk_create(
        [
            ReviewLog(
                user=u,
                question=question,
                client_id=f"00000000-0000-4000-8000-{i:012d}",
                rating=3,
                reviewed_at=at,
                duration_ms=2000,
                state_before={"state": "new"},
                state_after={"state": "review"},
            )
            for i, u in enumerate(users)
        ]
    )

    # when beat's nightly task runs in the worker
    assert study_rollup_all_task.delay(day.isoformat()).get(timeout=60) == 1200
    deadline = time.monotonic() + 60
    while StudyDay.objects.count() < 1200 and time.monotonic() < deadline:
        time.sleep(0.5)

    # then every learner has their day, as the one-learner roll-up computes it
    assert StudyDay.objects.count() == 1200
    assert set(StudyDay.objects.values_list("reviews", "passed", "new_cards", "time_ms")) == {
        (1, 1, 1, 2000)
    }
    # and only the fan-out task left a result row: three chunks of 500, none stored
    assert list(TaskResult.objects.values_list("task_name", flat=True)) == [
        "study.tasks.study_rollup_all_task"
    ]
