"""Liveness and readiness probes for load balancers and `make run`."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse


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
    from studyapp.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # kombu raises many kinds; all mean "not ready"
        return f"unreachable: {exc.__class__.__name__}: {exc}".strip()
    return "ok"


def readyz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable: 200; otherwise 503 naming what is not."""
    checks = {"database": _database_status(), "broker": _broker_status()}
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if not ready:
        body["message"] = "Not ready: " + ", ".join(k for k, v in checks.items() if v != "ok")
    body["broker_transport"] = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return JsonResponse(body, status=200 if ready else 503)
