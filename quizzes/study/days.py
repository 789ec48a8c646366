"""Study days: which day a moment belongs to for a learner, as Anki counts them.

A study day is the learner's local date (their IANA time zone, or the site's
TIME_ZONE) shifted by their rollover hour (4 am by default, as in Anki): a review at
1 am counts towards the evening before. The rule itself is
:class:`quizzes.core.scheduling.StudyClock`; everything that counts days (the
scheduler's elapsed days and due dates, new cards a day, streaks, the heatmap, the
due forecast, reminders, nightly roll-ups and the optimiser) asks it through here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import TruncHour

from quizzes.core.scheduling import StudyClock

from .models import StudySettings

DEFAULT_ROLLOVER_HOUR = 4


def study_clock(user: Any = None, study_settings: Any = None) -> StudyClock:
    """The learner's clock: their time zone and rollover hour (site defaults otherwise).

    A time zone stored before it became unknown to this system falls back to the
    site's, so a bad value never stops a learner from studying.
    """
    zone = getattr(user, "time_zone", "") or settings.TIME_ZONE
    rollover = study_settings.rollover_hour if study_settings is not None else DEFAULT_ROLLOVER_HOUR
    try:
        return StudyClock(zone, int(rollover))
    except ValueError:
        return StudyClock(settings.TIME_ZONE, DEFAULT_ROLLOVER_HOUR)


def clock_for_user(user: Any) -> StudyClock:
    """:func:`study_clock` for a user, reading their settings row (one query)."""
    return study_clock(user, StudySettings.objects.filter(user=user).first())


def study_day_start(clock: StudyClock, moment: datetime) -> datetime:
    """When the study day of ``moment`` started (UTC)."""
    return clock.day_start(clock.day(moment))


def study_day_of_hour(hour: datetime, clock: StudyClock) -> date:
    """The study day of a local hour as the database truncates it (``TruncHour`` in
    the clock's zone)."""
    return (hour.replace(tzinfo=None) - timedelta(hours=clock.rollover_hour)).date()


def count_by_study_day(
    queryset: QuerySet[Any], field: str, clock: StudyClock, **aggregates: Any
) -> dict[date, dict[str, int]]:
    """Aggregate ``queryset`` per study day of ``field``: ``{day: {name: total}}``.

    One query. Rows are grouped by local hour in SQL and the hours mapped to study
    days in Python with the clock, so the database never needs the rollover rule.
    The aggregates must be sums or counts (they are added up across hours).
    """
    rows = (
        queryset.annotate(_hour=TruncHour(field, tzinfo=clock.zone))
        .values("_hour")
        .annotate(**aggregates)
        .order_by()
    )
    totals: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        day = study_day_of_hour(row["_hour"], clock)
        for name in aggregates:
            totals[day][name] += row[name] or 0
    return {day: dict(values) for day, values in totals.items()}
