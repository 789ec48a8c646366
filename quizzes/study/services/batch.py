"""Nightly and daily work: progress roll-ups and due reminders."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, Sum

from accounts.models import User

from ..days import study_clock
from ..models import DueReminder, ReviewLog, StudyDay, StudySettings
from ..selectors import due_count_now, due_forecasts


def study_day_rollup(*, user: User, day: date, now: datetime) -> StudyDay:
    """Store one learner's totals for study day ``day`` (their time zone and rollover
    hour) and the due forecast as of ``now``.

    Idempotent: running it again overwrites the same row with the same numbers.
    """
    study_days_rollup(users=[user], day=day, now=now)
    return StudyDay.objects.get(user=user, date=day)


def study_days_rollup(*, users: list[User], day: date | None, now: datetime) -> int:
    """``study_day_rollup`` for many learners at once: one settings query, one
    aggregate of the log per distinct study-day window, one forecast query per
    distinct study clock and one upsert for all of them. ``day`` None rolls up each
    learner's previous study day as of ``now`` (their own time zone and rollover).
    Returns the number of rows written. Idempotent.
    """
    if not users:
        return 0
    preferences = {s.user_id: s for s in StudySettings.objects.filter(user__in=users)}
    clocks = {user.pk: study_clock(user, preferences.get(user.pk)) for user in users}
    targets = {
        user.pk: day if day is not None else clocks[user.pk].day(now) - timedelta(days=1)
        for user in users
    }
    windows: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for user in users:
        clock, target = clocks[user.pk], targets[user.pk]
        window = (clock.day_start(target), clock.day_start(target + timedelta(days=1)))
        windows[window].append(user.pk)
    totals: dict[int, dict] = {}
    for (start, end), user_ids in windows.items():
        rows = (
            ReviewLog.objects.effective()
            .filter(user_id__in=user_ids, reviewed_at__gte=start, reviewed_at__lt=end)
            .values("user_id")
            .annotate(
                reviews=Count("id"),
                passed=Count("id", filter=Q(rating__gt=1)),
                new_cards=Count("id", filter=Q(state_before__state="new")),
                time_ms=Sum("duration_ms"),
            )
            .order_by()
        )
        totals.update({row["user_id"]: row for row in rows})
    forecasts = due_forecasts(users=users, now=now, clocks=clocks)
    empty = {"reviews": 0, "passed": 0, "new_cards": 0, "time_ms": 0}
    rows = []
    for user in users:
        counts = totals.get(user.pk, empty)
        rows.append(
            StudyDay(
                user=user,
                date=targets[user.pk],
                reviews=counts["reviews"],
                passed=counts["passed"],
                new_cards=counts["new_cards"],
                time_ms=counts["time_ms"] or 0,
                forecast=forecasts[user.pk],
                computed_at=now,
            )
        )
    StudyDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "date"],
        update_fields=["reviews", "passed", "new_cards", "time_ms", "forecast", "computed_at"],
    )
    return len(rows)


def due_reminder_send(*, user: User, now: datetime) -> DueReminder | None:
    """E-mail the learner how many cards are due, at most once per study day.

    The DueReminder row is written in the same transaction as the send: if the
    mail fails, the row is rolled back and a retry sends it; if it was already
    sent today, nothing happens. Returns the reminder, or None when nothing is
    due, the learner opted out or has no e-mail address.
    """
    if not user.email or not user.is_active:
        return None
    preferences = StudySettings.objects.filter(user=user).first()
    if preferences is not None and not preferences.reminders_enabled:
        return None
    due = due_count_now(user=user, now=now)
    if due == 0:
        return None
    today = study_clock(user, preferences).day(now)
    with transaction.atomic():
        reminder, created = DueReminder.objects.select_for_update().get_or_create(
            user=user, date=today, defaults={"due_count": due, "sent_at": now}
        )
        if not created:
            return reminder
        noun = "card is" if due == 1 else "cards are"
        send_mail(
            subject=f"{due} {noun} due for review",
            message=(
                f"Hello {user.username},\n\n{due} {noun} waiting for you today. "
                "A few minutes now keeps them fresh.\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    return reminder
