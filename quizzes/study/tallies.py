"""Review tallies: the effective review log summed per learner and quarter hour.

Progress (the heatmap, the streak, true retention, time studied) reads these
rows instead of the whole log, so its cost follows the hours a learner has
studied, not the reviews they have made. A tally row holds, for one UTC quarter
hour, the number of effective reviews, their duration and, of the reviews of
cards that were in the review state, how many there were and how many passed.
Quarter hours because every time zone's hours start on one, so a quarter hour
always falls in a single study day whatever the learner's clock (time zone and
rollover hour), which may change: nothing here depends on it.

The rows are kept in the transaction that changes the log: ``+1`` for each
review written, ``-1`` for each undo (and the reverse when a row is deleted).
Saves through the ORM are followed by the signal receivers below; the review
path's single statement and the sync's bulk insert add their own rows (see
``quizzes.study.services.reviews``). ``tallies_rebuild`` computes them again
from the log, and ``tallies_from_log`` is what they must equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.signals import post_delete, post_save

from .days import count_by_study_day
from .models import ReviewLog, ReviewTally, ReviewUndo

BUCKET = timedelta(minutes=15)
COUNTS = ("reviews", "duration_ms", "in_review", "in_review_passed")


def bucket_of(moment: datetime) -> datetime:
    """The start of the UTC quarter hour of ``moment``."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def counts_of(*, rating: int, duration_ms: int, state_before: Any) -> tuple[int, int, int, int]:
    """What one review adds to its tally."""
    in_review = isinstance(state_before, dict) and state_before.get("state") == "review"
    return (1, duration_ms or 0, int(in_review), int(in_review and rating > 1))


def _deltas(logs: Iterable[ReviewLog], sign: int) -> dict[tuple[int, datetime], list[int]]:
    totals: dict[tuple[int, datetime], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for log in logs:
        counts = counts_of(
            rating=log.rating, duration_ms=log.duration_ms, state_before=log.state_before
        )
        total = totals[(log.user_id, bucket_of(log.reviewed_at))]
        for index, value in enumerate(counts):
            total[index] += sign * value
    return totals


def _cast_type(field: Any, connection: Any) -> str:
    return str(field.cast_db_type(connection))


def upsert_sql(connection: Any, rows: int, *, where: str | None = None) -> str:
    """``INSERT ... ON CONFLICT DO UPDATE`` adding to the tallies ``rows`` rows of
    (user, bucket, reviews, duration_ms, in_review, in_review_passed) parameters;
    with ``where``, one row inserted only if that SQL condition holds."""
    quote = connection.ops.quote_name
    table = quote(ReviewTally._meta.db_table)
    columns = ["user_id", "bucket", *COUNTS]
    fields = [ReviewTally._meta.get_field(name) for name in columns]
    row = ", ".join(f"CAST(%s AS {_cast_type(f, connection)})" for f in fields)
    if where is None:
        source = "VALUES " + ", ".join([f"({row})"] * rows)
    else:
        source = f"SELECT {row} WHERE {where}"
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in COUNTS)
    return (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) {source} "
        f"ON CONFLICT ({quote('user_id')}, {quote('bucket')}) DO UPDATE SET {updates}"
    )


def _row_params(
    connection: Any,
    user_id: int,
    bucket: datetime,
    counts: Iterable[int],
) -> list[Any]:
    field = ReviewTally._meta.get_field("bucket")
    return [user_id, field.get_db_prep_save(bucket, connection), *counts]


def tally_params(log: ReviewLog, connection: Any) -> list[Any]:
    """The parameters of one row of :func:`upsert_sql` for one new review."""
    return _row_params(
        connection,
        log.user_id,
        bucket_of(log.reviewed_at),
        counts_of(rating=log.rating, duration_ms=log.duration_ms, state_before=log.state_before),
    )


def tallies_add(logs: Iterable[ReviewLog], *, sign: int = 1, using: str | None = None) -> None:
    """Add (``sign=1``) or take away (``-1``) reviews in their tallies: one statement,
    rows in (user, bucket) order so that concurrent writers lock them alike."""
    deltas = sorted(_deltas(logs, sign).items())
    if not deltas:
        return
    connection = connections[using or router.db_for_write(ReviewTally)]
    params: list[Any] = []
    for (user_id, bucket), counts in deltas:
        params += _row_params(connection, user_id, bucket, counts)
    with connection.cursor() as cursor:
        cursor.execute(upsert_sql(connection, len(deltas)), params)


def _tallies_take(logs: Iterable[ReviewLog], *, sign: int, using: str) -> None:
    """Change existing tallies only (a row being deleted: never insert one, its user
    may be going too)."""
    for (user_id, bucket), counts in sorted(_deltas(logs, sign).items()):
        ReviewTally.objects.using(using).filter(user_id=user_id, bucket=bucket).update(
            **{name: _plus(name, value) for name, value in zip(COUNTS, counts, strict=True)}
        )


def _plus(name: str, value: int) -> Any:
    return F(name) + value


def tallies_from_log(
    user_ids: Iterable[int] | None = None,
) -> dict[tuple[int, datetime], tuple[int, ...]]:
    """The tallies as the effective log gives them, ``{(user, bucket): counts}``
    (buckets whose counts are all zero left out)."""
    logs = ReviewLog.objects.effective()
    if user_ids is not None:
        logs = logs.filter(user_id__in=list(user_ids))
    totals: dict[tuple[int, datetime], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for user_id, rating, duration_ms, state_before, reviewed_at in logs.values_list(
        "user_id", "rating", "duration_ms", "state_before", "reviewed_at"
    ).iterator(chunk_size=5000):
        counts = counts_of(rating=rating, duration_ms=duration_ms, state_before=state_before)
        total = totals[(user_id, bucket_of(reviewed_at))]
        for index, value in enumerate(counts):
            total[index] += value
    return {key: tuple(values) for key, values in totals.items() if any(values)}


def tallies_stored(
    user_ids: Iterable[int] | None = None,
) -> dict[tuple[int, datetime], tuple[int, ...]]:
    """The stored tallies in the shape of :func:`tallies_from_log`."""
    rows = ReviewTally.objects.all()
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return {
        (row[0], row[1].astimezone(UTC)): tuple(row[2:])
        for row in rows.values_list("user_id", "bucket", *COUNTS)
        if any(row[2:])
    }


def tallies_rebuild(user_ids: Iterable[int] | None = None) -> int:
    """Compute the tallies of these learners (all when None) again from the log, in
    one transaction; returns the number of rows written."""
    user_ids = None if user_ids is None else list(user_ids)
    fresh = tallies_from_log(user_ids)
    with transaction.atomic():
        stale = ReviewTally.objects.all()
        if user_ids is not None:
            stale = stale.filter(user_id__in=user_ids)
        stale.delete()
        ReviewTally.objects.bulk_create(
            [
                ReviewTally(
                    user_id=user_id, bucket=bucket, **dict(zip(COUNTS, counts, strict=True))
                )
                for (user_id, bucket), counts in sorted(fresh.items())
            ],
            batch_size=2000,
        )
    return len(fresh)


# --- Following saves and deletes made through the ORM ------------------------


def _log_saved(
    sender: Any,
    instance: ReviewLog,
    created: bool,
    using: str,
    **kwargs: Any,
) -> None:
    if created:
        tallies_add([instance], using=using)


def _log_deleted(sender: Any, instance: ReviewLog, using: str, **kwargs: Any) -> None:
    # An undo of it, if any, was deleted first and put the review back.
    _tallies_take([instance], sign=-1, using=using)


def _undo_saved(
    sender: Any,
    instance: ReviewUndo,
    created: bool,
    using: str,
    **kwargs: Any,
) -> None:
    if created:
        tallies_add([instance.review], sign=-1, using=using)


def _undo_deleted(sender: Any, instance: ReviewUndo, using: str, **kwargs: Any) -> None:
    review = ReviewLog.objects.using(using).filter(pk=instance.review_id).first()
    if review is not None:
        _tallies_take([review], sign=1, using=using)


def connect() -> None:
    post_save.connect(_log_saved, sender=ReviewLog, dispatch_uid="study_tally_log_saved")
    post_delete.connect(_log_deleted, sender=ReviewLog, dispatch_uid="study_tally_log_deleted")
    post_save.connect(_undo_saved, sender=ReviewUndo, dispatch_uid="study_tally_undo_saved")
    post_delete.connect(_undo_deleted, sender=ReviewUndo, dispatch_uid="study_tally_undo_deleted")


# --- Reading -------------------------------------------------------------------


def reviews_by_study_day(
    *, user: Any, now: datetime, clock: Any, windows: dict[str, datetime]
) -> dict[date, dict[str, int]]:
    """The learner's effective reviews up to ``now`` per study day of ``clock``:
    ``count``, ``ms`` (duration), ``all_total`` and ``all_passed`` (reviews of cards
    in the review state, and those passed), and ``{key}_total`` and ``{key}_passed``
    for the reviews after each of ``windows``' moments.

    Two queries whatever the size of the log: the tallies, except the quarter
    hours that ``now`` or a window's start cuts, which are read from the log.
    """
    current = bucket_of(now)
    edges = sorted({bucket_of(since) for since in windows.values()})
    tally_sums: dict[str, Any] = {
        "count": Sum("reviews"),
        "ms": Sum("duration_ms"),
        "all_total": Sum("in_review"),
        "all_passed": Sum("in_review_passed"),
    }
    for key, since in windows.items():
        after = Q(bucket__gt=since)  # whole quarter hours: all in or all out
        tally_sums[f"{key}_total"] = Sum("in_review", filter=after)
        tally_sums[f"{key}_passed"] = Sum("in_review_passed", filter=after)
    tallies = ReviewTally.objects.filter(user=user, bucket__lt=current, reviews__gt=0).exclude(
        bucket__in=edges
    )
    per_day = count_by_study_day(tallies, "bucket", clock, **tally_sums)

    in_review = Q(state_before__state="review")
    passed = Q(rating__gt=1)
    log_counts: dict[str, Any] = {
        "count": Count("id"),
        "ms": Sum("duration_ms"),
        "all_total": Count("id", filter=in_review),
        "all_passed": Count("id", filter=in_review & passed),
    }
    for key, since in windows.items():
        recent = Q(reviewed_at__gt=since)
        log_counts[f"{key}_total"] = Count("id", filter=in_review & recent)
        log_counts[f"{key}_passed"] = Count("id", filter=in_review & recent & passed)
    cut = Q(reviewed_at__gte=current)
    for edge in edges:
        cut |= Q(reviewed_at__gte=edge, reviewed_at__lt=edge + BUCKET)
    log = ReviewLog.objects.effective().filter(cut, user=user, reviewed_at__lte=now)
    for day, counts in count_by_study_day(log, "reviewed_at", clock, **log_counts).items():
        totals = per_day.setdefault(day, dict.fromkeys(counts, 0))
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value
    return per_day
