import pytest
from django.test import Client

from studyapp.celery import app


def test_healthz_answers_without_touching_anything():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_broker_answer():
    # given the default broker kept in files (no server needed)
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "worker": "unknown: no worker has reported yet",
    }


@pytest.mark.django_db
def test_readyz_reports_a_worker_that_stopped_running_periodic_tasks(settings):
    from django.core.cache import cache

    from quizzes.content.tasks import jobs_recover_task
    from studyapp.health import WORKER_SEEN_KEY

    try:
        # given a worker that has just run the periodic recovery task
        jobs_recover_task.apply()
        fresh = Client().get("/readyz")
        # when it then stays silent for 200 s
        cache.set(WORKER_SEEN_KEY, cache.get(WORKER_SEEN_KEY) - 200, timeout=None)
        silent = Client().get("/readyz")
    finally:
        cache.delete(WORKER_SEEN_KEY)

    assert fresh.status_code == 200
    assert fresh.json()["checks"]["worker"] == "ok"
    assert silent.status_code == 503
    assert silent.json()["checks"]["worker"] == (
        "not answering: no periodic task has run for 200 s "
        "(worker or beat down, or the worker's pool stuck)"
    )
    assert silent.json()["message"] == "Not ready: worker"


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_unreachable():
    original = app.conf.broker_url
    # given a Redis broker on a port where nothing listens
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/readyz")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("unreachable: ")
    assert body["message"] == "Not ready: broker"
