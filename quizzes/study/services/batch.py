"""Nightly and daily work: progress roll-ups and due reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, Sum

from accounts.models import User

from ..days import clock_for_user, study_clock
from ..models import DueReminder, ReviewLog, StudyDay, StudySettings
from ..selectors import due_count_now, due_forecast


def study_day_rollup(*, user: User, day: date, now: datetime) -> StudyDay:
    """Store one learner's totals for study day ``day`` (their time zone and rollover
    hour) and the due forecast as of ``now``.

    Idempotent: running it again overwrites the same row with the same numbers.
    """
    clock = clock_for_user(user)
    start, end = clock.day_start(day), clock.day_start(day + timedelta(days=1))
    totals = (
        ReviewLog.objects.effective()
        .filter(user=user, reviewed_at__gte=start, reviewed_at__lt=end)
        .aggregate(
            reviews=Count("id"), passed=Count("id", filter=Q(rating__gt=1)),
            new_cards=Count("id", filter=Q(state_before__state="new")),
            time_ms=Sum("duration_ms"),
        )
    )
    row, _ = StudyDay.objects.update_or_create(
        user=user, date=day,
        defaults={
            "reviews": totals["reviews"], "passed": totals["passed"],
            "new_cards": totals["new_cards"], "time_ms": totals["time_ms"] or 0,
            "forecast": due_forecast(user=user, now=now, clock=clock), "computed_at": now,
        },
    )
    return row


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
