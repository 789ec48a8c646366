"""Liveness and readiness probes for load balancers and `make run`."""

from __future__ import annotations

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

from studyapp.celery import app

# The worker records when it last ran the periodic job-recovery task (sent by
# beat every JOB_RECOVERY_SECONDS); silence for several periods means the
# worker, beat or the worker's pool is not answering.
WORKER_SEEN_KEY = "health:worker-seen-at"


def worker_seen() -> None:
    """Called from a periodic task: the worker is taking and running tasks."""
    with contextlib.suppress(Exception):  # health bookkeeping must never fail the task
        cache.set(WORKER_SEEN_KEY, time.time(), timeout=None)


def _worker_status() -> str:
    try:
        seen = cache.get(WORKER_SEEN_KEY)
    except Exception as exc:
        return f"unknown: the cache is unreachable ({exc.__class__.__name__})"
    if seen is None:
        return "unknown: no worker has reported yet"
    silent = time.time() - float(seen)
    allowed = max(90, 3 * settings.JOB_RECOVERY_SECONDS)
    if silent > allowed:
        return (
            f"not answering: no periodic task has run for {silent:.0f} s "
            f"(worker or beat down, or the worker's pool stuck)"
        )
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; nothing else is checked."""
    return JsonResponse({"status": "ok"})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"unreachable: {exc.__class__.__name__}: {exc}".strip()
    return "ok"


def _broker_status() -> str:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # kombu raises many kinds; all mean "not ready"
        return f"unreachable: {exc.__class__.__name__}: {exc}".strip()
    return "ok"


def readyz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable, worker answering: 200; otherwise 503 naming
    what is not. A worker that never reported (just started) does not fail it."""
    checks = {
        "database": _database_status(),
        "broker": _broker_status(),
        "worker": _worker_status(),
    }
    ready = all(value == "ok" or value.startswith("unknown") for value in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if not ready:
        body["message"] = "Not ready: " + ", ".join(
            k for k, v in checks.items() if v != "ok" and not v.startswith("unknown")
        )
    body["broker_transport"] = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return JsonResponse(body, status=200 if ready else 503)
