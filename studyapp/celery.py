"""The Celery app, wired the Django way: settings under the CELERY_ namespace."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery, Task
from kombu.exceptions import OperationalError as BrokerOperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")


class BoundedRetryTask(Task):
    """Default task: retries transient failures a few times with backoff, then gives up."""

    autoretry_for = (BrokerOperationalError, ConnectionError, TimeoutError)
    max_retries = 3
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True


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
