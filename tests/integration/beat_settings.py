"""The real settings with every beat entry due every second, so a test sees it fire."""

from studyapp.settings import *  # noqa: F403
from studyapp.settings import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 1.0} for name, entry in CELERY_BEAT_SCHEDULE.items()
}
