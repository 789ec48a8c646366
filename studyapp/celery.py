"""The Celery app, wired the Django way: settings under the CELERY_ namespace."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from celery import Celery, Task
from kombu.exceptions import OperationalError as BrokerOperationalError
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")

# The broker kept in files publishes each message atomically (see studyapp.broker).
TRANSPORT_ALIASES["filesystem"] = "studyapp.broker:Transport"


class BoundedRetryTask(Task):
    """Default task: retries transient failures a few times with backoff, then gives up."""

    autoretry_for = (BrokerOperationalError, ConnectionError, TimeoutError)
    max_retries = 3
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True


logger = logging.getLogger(__name__)


app = Celery("studyapp", task_cls=BoundedRetryTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_broker_folders(sender: Celery, **kwargs: Any) -> None:
    """A broker kept in files needs its folders; they are made when Celery is first
    configured (by a worker, beat, or the first task sent), not on importing settings."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def task_enqueue(task: Task, *args: Any) -> bool:
    """Send ``task(*args)`` now; on a broker failure log it and return False.

    Fails fast (one connection attempt, two seconds), so a request never hangs
    while the broker is away. Callers enqueue only work that a beat task also
    finds on its own (pending jobs, reviews waiting for optimisation, pending
    imports), so nothing is lost: it runs on the next sweep instead.
    """
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=2
            )
            task.apply_async(args=list(args), connection=connection, retry=False)
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("Could not enqueue %s%r (a sweep will pick it up): %s", task.name, args, exc)
        return False
    return True
