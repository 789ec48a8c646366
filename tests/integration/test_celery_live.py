import time
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.tasks import tokens_flush_expired_task
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _tokens(user, *, expired: int, valid: int) -> None:
    now = timezone.now()
    for index in range(expired + valid):
        OutstandingToken.objects.create(
            user=user,
            jti=f"{user.username}-{index}",
            token="x",
            created_at=now - timedelta(days=40),
            expires_at=now - timedelta(days=1) if index < expired else now + timedelta(days=1),
        )


def test_task_sent_through_redis_runs_in_the_worker_and_its_result_is_read_back(
    celery_worker_process, redis_client
):
    # given two expired refresh tokens and one still valid
    user = UserFactory(username="rita")
    _tokens(user, expired=2, valid=1)

    # when the task goes through Redis to the worker process
    result = tokens_flush_expired_task.delay()

    # then the worker's answer is read back and only the expired tokens are gone
    assert result.get(timeout=30) == 2
    assert result.status == "SUCCESS"
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["rita-2"]

    # and running it again changes nothing
    assert tokens_flush_expired_task.delay().get(timeout=30) == 0


def test_beat_entry_fires_and_the_worker_runs_it(celery_worker_process, celery_beat_process):
    # given an expired token and beat's schedule shortened to every second
    user = UserFactory(username="bea")
    _tokens(user, expired=1, valid=0)

    # when beat and the worker run for a while
    deadline = time.monotonic() + 30
    while OutstandingToken.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.5)

    # then the scheduled flush has deleted it
    assert OutstandingToken.objects.count() == 0
    assert celery_beat_process.poll() is None
