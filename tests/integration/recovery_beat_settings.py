"""The real settings with only the recovery entries of beat, each due every second."""

from studyapp.settings import *  # noqa: F403
from studyapp.settings import CELERY_BEAT_SCHEDULE

RECOVERY_ENTRIES = {"recover-jobs", "study-optimise-requested"}

CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 1.0, "options": {}}
    for name, entry in CELERY_BEAT_SCHEDULE.items()
    if name in RECOVERY_ENTRIES
}
