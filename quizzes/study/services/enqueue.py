"""Sending tasks to the broker without letting a broker outage fail a request."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def task_enqueue(task: Any, *args: Any) -> bool:
    """Send ``task(*args)``; on a broker failure log it and return False.

    Callers only enqueue work that a beat task also finds on its own (reviews
    waiting for optimisation, pending imports), so nothing is lost when the
    broker is away: it runs on the next sweep instead.
    """
    from studyapp.celery import app

    try:
        with app.connection_for_write() as connection:
            # Fail fast: a request must not hang while the broker is away.
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                         timeout=2)
            task.apply_async(args=list(args), connection=connection, retry=False)
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("Could not enqueue %s%r (a sweep will pick it up): %s",
                       task.name, args, exc)
        return False
    return True
