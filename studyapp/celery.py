"""The Celery app, wired the Django way: settings under the CELERY_ namespace."""

from __future__ import annotations

import os

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


app = Celery("studyapp", task_cls=BoundedRetryTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
