"""Recording reviews: one answer, undo, and merging reviews made offline."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import Exists, FilteredRelation, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from accounts.services import user_time_zone_set
from quizzes.content.selectors import current_versions
from quizzes.core.scheduling import (
    NO_OFFSET,
    CardEvent,
    CardSnapshot,
    InitialOffset,
    SchedulerSettings,
    replay_steps,
    review,
)
from studyapp.errors import ApplicationError

from .. import tallies
from ..class_model import offset_from_values, question_offsets, with_card_offset
from ..compiled import CompiledRow
from ..events import card_event_record, card_events_for, has_events_after
from ..models import CardEvent as StoredCardEvent
from ..models import CardState, QuestionClassOffset, ReviewLog, ReviewUndo, StudySettings
from ..selectors import questions_visible_for_study
from ..snapshots import (
    SNAPSHOT_FIELDS,
    scheduler_settings_for,
    snapshot_apply,
    snapshot_from_card,
    snapshot_from_json,
    snapshot_to_json,
)
from .optimisation import optimisation_request

#: The card's class offset, written with its state.
CLASS_OFFSET_FIELDS = ("initial_stability_offset", "initial_difficulty_offset")
_UPDATED_FIELDS = (*SNAPSHOT_FIELDS, "updated_at", *CLASS_OFFSET_FIELDS)
#: How far in the future a client's clock may put a review before it is refused.
CLOCK_SKEW = timedelta(minutes=5)
SYNC_MAX_REVIEWS = 1000


@dataclass(frozen=True)
class ReviewInput:
    client_id: uuid.UUID
    question_id: int
    rating: int
    reviewed_at: datetime
    duration_ms: int = 0

    def same_as(self, log: ReviewLog) -> bool:
        return (
            log.question_id == self.question_id
            and log.rating == self.rating
            and log.reviewed_at == self.reviewed_at
        )


@dataclass(frozen=True)
class ReviewResult:
    log: ReviewLog
    card: CardState
    created: bool


@dataclass
class SyncResult:
    applied: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    cards: list[CardState] = field(default_factory=list)


def study_settings_get_or_create(*, user: User) -> StudySettings:
    study_settings, _ = StudySettings.objects.get_or_create(user=user)
    return study_settings


def _check_time(reviewed_at: datetime, now: datetime) -> str | None:
    if timezone.is_naive(reviewed_at):
        return "reviewed_at needs a time zone offset."
    if reviewed_at > now + CLOCK_SKEW:
        return "reviewed_at is in the future."
    return None


def _key(client_id: uuid.UUID, reviewed_at: datetime) -> tuple[datetime, int]:
    # Replay order: time, then client id, so that every device and every order of
    # arrival gives the same sequence, even for equal timestamps.
    return (reviewed_at, client_id.int)


def review_record(*, user: User, data: ReviewInput, now: datetime) -> ReviewResult:
    """Record one review and return the card's new state, in one transaction.

    Guarantees: the same client id sent again changes nothing and returns the
    stored answer (``created=False``), also when the copies arrive at once;
    concurrent answers to the same card apply one after the other; a review
    older than the card's last one is merged by replaying the card's whole log.
    Raises ApplicationError (400) for a rating outside 1-4 or a time in the future
    beyond CLOCK_SKEW, ApplicationError (409) for a client id already used for a
    different review, and Http404 for a question the user may not study. Nothing
    is written when it raises.

    Cost: one query reads what the review needs (settings, visibility, a stored
    review with this id, the card); then one transaction inserts the log entry
    (``ON CONFLICT DO NOTHING`` on the client id), writes the card (an insert
    that fails on a concurrent insert, or an update conditional on the row being
    unchanged since it was read) and counts the review in the settings row. A
    race lost at either step rolls back and takes the locking path
    (``select_for_update``), which the out-of-order case uses too.
    """
    if data.rating not in (1, 2, 3, 4):
        raise ApplicationError(
            "rating must be 1, 2, 3 or 4.", fields={"rating": ["rating must be 1, 2, 3 or 4."]}
        )
    problem = _check_time(data.reviewed_at, now)
    if problem:
        raise ApplicationError(problem, fields={"reviewed_at": [problem]})

    context = _review_context(user, data)
    if context.existing_log_id is not None:
        log = ReviewLog.objects.get(pk=context.existing_log_id)
        if log.question_id != data.question_id:
            data = _on_current_version(data)
        return _replayed_answer(user=user, log=log, data=data)
    if not context.visible:
        current = _on_current_version(data)
        if current.question_id != data.question_id:
            return review_record(user=user, data=current, now=now)
        raise Http404("No such question.")
    card = context.card
    # Written without a lock only when it comes after everything the card has seen:
    # its last review and the learner's last suspend or unsuspend of it.
    after_events = context.last_event_at is None or data.reviewed_at > context.last_event_at
    if after_events and (
        card is None or card.last_review is None or data.reviewed_at > card.last_review
    ):
        try:
            with transaction.atomic():
                return _record_unlocked(user, data, context)
        except _LostRace as lost:
            if lost.log is not None:
                return _replayed_answer(user=user, log=lost.log, data=data)
    return _record_locked(user, data, context.settings, context.class_offset)


class _LostRace(Exception):
    """Another request wrote the card or this review id between our read and write."""

    def __init__(self, log: ReviewLog | None = None) -> None:
        super().__init__()
        self.log = log


@dataclass(frozen=True)
class _ReviewContext:
    visible: bool
    existing_log_id: int | None
    card: CardState | None
    settings: StudySettings | None
    last_event_at: datetime | None  # the learner's latest suspend/unsuspend of the card
    class_offset: InitialOffset = NO_OFFSET  # the question's, for a card's first review


def _model_from_values(model: type, values: dict[str, Any], prefix: str) -> Any:
    """An instance of ``model`` from the ``prefix``-ed columns of a values() row, or None."""
    data = {f.attname: values[prefix + f.attname] for f in model._meta.concrete_fields}
    if data["id"] is None:
        return None
    instance = model(**data)
    instance._state.adding = False
    instance._state.db = router.db_for_read(model)
    return instance


def _context_query(user: User, *, question_id: int, client_id: uuid.UUID) -> QuerySet[Any]:
    card_columns = [f"card__{f.attname}" for f in CardState._meta.concrete_fields]
    settings_columns = [f"study_settings__{f.attname}" for f in StudySettings._meta.concrete_fields]
    class_offset = QuestionClassOffset.objects.filter(question_id=question_id)
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            card=FilteredRelation("card_states", condition=Q(card_states__question_id=question_id)),
            visible=Exists(questions_visible_for_study(user=user).filter(pk=question_id)),
            existing_log_id=Subquery(
                ReviewLog.objects.filter(user=user, client_id=client_id).values("pk")[:1]
            ),
            last_event_at=Subquery(
                StoredCardEvent.objects.filter(user=user, question_id=question_id)
                .order_by("-at")
                .values("at")[:1]
            ),
            class_stability=Subquery(class_offset.values("stability_offset")[:1]),
            class_difficulty=Subquery(class_offset.values("difficulty_offset")[:1]),
        )
        .values(
            "visible",
            "existing_log_id",
            "last_event_at",
            "class_stability",
            "class_difficulty",
            *card_columns,
            *settings_columns,
        )
    )


# Compiled once per thread: the ORM's building of this query cost more than running it.
_CONTEXT = CompiledRow(_context_query, question_id="int", client_id="uuid")


def _review_context(user: User, data: ReviewInput) -> _ReviewContext:
    """Everything a review needs, read in one query."""
    row = _CONTEXT.row(
        user=user,
        using=router.db_for_read(ReviewLog),
        question_id=data.question_id,
        client_id=data.client_id,
    )
    if row is None:
        raise User.DoesNotExist("No such user.")
    return _ReviewContext(
        visible=bool(row["visible"]),
        existing_log_id=row["existing_log_id"],
        last_event_at=row["last_event_at"],
        class_offset=offset_from_values(row["class_stability"], row["class_difficulty"]),
        card=_model_from_values(CardState, row, "card__"),
        settings=_model_from_values(StudySettings, row, "study_settings__"),
    )


def _insert_unless_conflict(instance: Any, conflict_fields: list[str]) -> bool:
    """INSERT ``instance`` unless a row with the same ``conflict_fields`` exists.

    One statement (``ON CONFLICT DO NOTHING RETURNING id``, PostgreSQL and SQLite
    3.35+); when the conflicting row is not committed yet, PostgreSQL waits for
    its transaction. Sets the primary key and returns True when it inserted.
    """
    model = type(instance)
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    conflict = ", ".join(quote(meta.get_field(name).column) for name in conflict_fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return True


def _record_unlocked(user: User, data: ReviewInput, context: _ReviewContext) -> ReviewResult:
    """A review later than the card's last one, written without a row lock.

    Three writes: the log entry, unless the client id is stored already; the
    card, inserted unless it exists or updated only if it is still as read;
    and the review count. On PostgreSQL they are one statement (data-modifying
    CTEs), elsewhere three. Raises _LostRace, and writes nothing, when another
    request got there first.
    """
    card = context.card or CardState(user=user, question_id=data.question_id)
    scheduler = with_card_offset(
        scheduler_settings_for(context.settings, user=user), card, context.class_offset
    )
    before = snapshot_from_card(context.card)
    outcome = review(
        before, data.rating, now=data.reviewed_at, settings=scheduler, card_key=data.question_id
    )
    log = ReviewLog(
        user=user,
        question_id=data.question_id,
        client_id=data.client_id,
        rating=data.rating,
        reviewed_at=data.reviewed_at,
        duration_ms=data.duration_ms,
        state_before=snapshot_to_json(before),
        state_after=snapshot_to_json(outcome.snapshot),
    )
    # The row as read: it is updated only if nobody changed it since.
    read = None if context.card is None else {name: getattr(card, name) for name in SNAPSHOT_FIELDS}
    snapshot_apply(card, outcome.snapshot)
    card.updated_at = timezone.now()
    connection = connections[router.db_for_write(ReviewLog)]
    if connection.vendor == "postgresql":
        count = _write_review_in_one_statement(connection, user, log, card, read)
    else:
        count = _write_review(user, log, card, read)
    card.last_log = log
    _optimisation_check(user, count, 1)
    return ReviewResult(log=log, card=card, created=True)


def _columns(
    instance: Any, connection: Any, *, skip: tuple[str, ...] = ()
) -> tuple[list[str], list[Any], list[Any]]:
    """Quoted columns, their values ready for the database and the fields, for an INSERT."""
    quote = connection.ops.quote_name
    fields = [
        f
        for f in type(instance)._meta.concrete_fields
        if not f.primary_key and f.attname not in skip
    ]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    return [quote(f.column) for f in fields], values, fields


def _card_update_sql(
    card: CardState,
    read: dict[str, Any],
    connection: Any,
    last_log_sql: str,
) -> tuple[str, list[Any]]:
    """UPDATE the card to its new state if it still holds ``read``; RETURNING its id."""
    quote = connection.ops.quote_name
    meta = CardState._meta
    assignments, params = [], []
    for name in _UPDATED_FIELDS:
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(getattr(card, name), connection))
    assignments.append(f"{quote('last_log_id')} = {last_log_sql}")
    conditions = [f"{quote(meta.pk.column)} = %s"]
    params.append(card.pk)
    for name, value in read.items():
        field = meta.get_field(name)
        if value is None:
            conditions.append(f"{quote(field.column)} IS NULL")
        else:
            conditions.append(f"{quote(field.column)} = %s")
            params.append(field.get_db_prep_save(value, connection))
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {' AND '.join(conditions)}"
    )
    return sql, params


def _counter_upsert_sql(user: User, connection: Any, source: str) -> tuple[str, list[Any]]:
    """Add one review to the settings row (made with the defaults if missing);
    RETURNING the new count. ``source`` is "VALUES (...)" or a SELECT."""
    quote = connection.ops.quote_name
    table = quote(StudySettings._meta.db_table)
    counter = quote("reviews_since_optimisation")
    columns, values, fields = _columns(
        StudySettings(user=user, reviews_since_optimisation=1), connection
    )
    select = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) {source.format(select=select)} "
        f"ON CONFLICT ({quote('user_id')}) DO UPDATE SET {counter} = {table}.{counter} + 1 "
        f"RETURNING {counter}"
    )
    return sql, values


def _write_review_in_one_statement(
    connection: Any, user: User, log: ReviewLog, card: CardState, read: dict[str, Any] | None
) -> int:
    quote = connection.ops.quote_name
    log_table = quote(ReviewLog._meta.db_table)
    card_table = quote(CardState._meta.db_table)
    log_columns, log_values, _ = _columns(log, connection)
    params: list[Any] = list(log_values)
    new_log = (
        f"INSERT INTO {log_table} ({', '.join(log_columns)}) "
        f"VALUES ({', '.join(['%s'] * len(log_columns))}) "
        f"ON CONFLICT ({quote('user_id')}, {quote('client_id')}) DO NOTHING RETURNING id"
    )
    last_log = "(SELECT id FROM new_log)"
    if read is None:
        columns, values, fields = _columns(card, connection, skip=("last_log_id",))
        select = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
        card_sql = (
            f"INSERT INTO {card_table} ({', '.join(columns)}, {quote('last_log_id')}) "
            f"SELECT {select}, {last_log} WHERE EXISTS (SELECT 1 FROM new_log) "
            f"ON CONFLICT ({quote('user_id')}, {quote('question_id')}) DO NOTHING RETURNING id"
        )
        params += values
    else:
        card_sql, values = _card_update_sql(card, read, connection, last_log)
        card_sql += " AND EXISTS (SELECT 1 FROM new_log) RETURNING id"
        params += values
    counter_sql, values = _counter_upsert_sql(
        user, connection, "SELECT {select} WHERE EXISTS (SELECT 1 FROM card)"
    )
    params += values
    tally_sql = tallies.upsert_sql(connection, 1, where="EXISTS (SELECT 1 FROM card)")
    params += tallies.tally_params(log, connection)
    sql = (
        f"WITH new_log AS ({new_log}), card AS ({card_sql}), counter AS ({counter_sql}), "
        f"tally AS ({tally_sql}) "
        "SELECT (SELECT id FROM new_log), (SELECT id FROM card), "
        "(SELECT reviews_since_optimisation FROM counter)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        log_id, card_id, count = cursor.fetchone()
    if log_id is None:
        raise _LostRace(ReviewLog.objects.filter(user=user, client_id=log.client_id).first())
    if card_id is None:
        raise _LostRace()  # the log entry is rolled back with the transaction
    log.pk, card.pk = log_id, card_id
    for instance in (log, card):
        instance._state.adding = False
        instance._state.db = connection.alias
    return int(count)


def _write_review(user: User, log: ReviewLog, card: CardState, read: dict[str, Any] | None) -> int:
    """The same writes as _write_review_in_one_statement, as three statements."""
    if not _insert_unless_conflict(log, ["user", "client_id"]):
        raise _LostRace(ReviewLog.objects.filter(user=user, client_id=log.client_id).first())
    card.last_log = log
    if read is None:
        if not _insert_unless_conflict(card, ["user", "question"]):
            raise _LostRace()
    else:
        connection = connections[router.db_for_write(CardState)]
        sql, params = _card_update_sql(card, read, connection, "%s")
        # the last_log_id placeholder comes after the SET values, before the WHERE
        at = len(_UPDATED_FIELDS)
        params = [*params[:at], log.pk, *params[at:]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.rowcount != 1:
                raise _LostRace()
    tallies.tallies_add([log])
    connection = connections[router.db_for_write(StudySettings)]
    sql, params = _counter_upsert_sql(user, connection, "VALUES ({select})")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _record_locked(
    user: User,
    data: ReviewInput,
    study_settings: StudySettings | None,
    class_offset: InitialOffset = NO_OFFSET,
) -> ReviewResult:
    """Record a review under the card's row lock (out-of-order reviews, lost races)."""
    try:
        with transaction.atomic():
            card, _ = CardState.objects.select_for_update().get_or_create(
                user=user, question_id=data.question_id
            )
            scheduler = with_card_offset(
                scheduler_settings_for(study_settings, user=user), card, class_offset
            )
            existing = ReviewLog.objects.filter(user=user, client_id=data.client_id).first()
            if existing is not None:
                return _replayed_answer(user=user, log=existing, data=data)
            before = snapshot_from_card(card)
            # Equal times too: the replay order (time, then id) decides between them.
            # A review older than a suspend or unsuspend is replayed with the events,
            # so that the learner's action keeps its place in time.
            if (before.last_review is not None and data.reviewed_at <= before.last_review) or (
                has_events_after(user, data.question_id, data.reviewed_at)
            ):
                log = _record_out_of_order(user, card, data, before, scheduler)
            else:
                outcome = review(
                    before,
                    data.rating,
                    now=data.reviewed_at,
                    settings=scheduler,
                    card_key=data.question_id,
                )
                log = ReviewLog.objects.create(
                    user=user,
                    question_id=data.question_id,
                    client_id=data.client_id,
                    rating=data.rating,
                    reviewed_at=data.reviewed_at,
                    duration_ms=data.duration_ms,
                    state_before=snapshot_to_json(before),
                    state_after=snapshot_to_json(outcome.snapshot),
                )
                snapshot_apply(card, outcome.snapshot)
                card.last_log = log
                card.save()
            _count_new_reviews(user, study_settings, 1)
    except IntegrityError:
        # Another request with the same client id committed first.
        existing = ReviewLog.objects.filter(user=user, client_id=data.client_id).first()
        if existing is None:
            raise
        return _replayed_answer(user=user, log=existing, data=data)
    return ReviewResult(log=log, card=card, created=True)


def _on_current_version(data: ReviewInput) -> ReviewInput:
    """A review of a question replaced by an edit (sent by a device that had not
    seen the edit) counts for its current version, which carries the card."""
    current = current_versions([data.question_id]).get(data.question_id)
    return data if current is None else dataclasses.replace(data, question_id=current)


def _replayed_answer(*, user: User, log: ReviewLog, data: ReviewInput) -> ReviewResult:
    if not data.same_as(log):
        raise ApplicationError(
            "This review id was already used for a different review.",
            code="conflict",
            status=409,
            fields={"id": ["This review id was already used for a different review."]},
        )
    card = CardState.objects.get(user=user, question_id=log.question_id)
    return ReviewResult(log=log, card=card, created=False)


def _effective_entries(user: User, question_ids: Iterable[int]) -> dict[int, list[ReviewLog]]:
    entries: dict[int, list[ReviewLog]] = {}
    for log in ReviewLog.objects.effective().filter(user=user, question_id__in=list(question_ids)):
        entries.setdefault(log.question_id, []).append(log)
    return entries


def _events(user: User, question_id: int) -> list[CardEvent]:
    return card_events_for(user, [question_id]).get(question_id, [])


def _replay(
    card: CardState,
    entries: list[ReviewLog],
    scheduler: SchedulerSettings,
    events: list[CardEvent] | None = None,
) -> None:
    """Replay the card's whole effective log and the learner's suspend/unsuspend
    events once (the core's ``replay_steps``): the entries not stored yet get their
    snapshots before and after, and the card is set to the result."""
    ordered = sorted(entries, key=lambda log: _key(log.client_id, log.reviewed_at))
    steps, snapshot = replay_steps(
        [(log.rating, log.reviewed_at) for log in ordered],
        settings=scheduler,
        card_key=card.question_id,
        events=events or (),
    )
    for log, (before, after) in zip(ordered, steps, strict=True):
        if log.pk is None:
            log.state_before = snapshot_to_json(before)
            log.state_after = snapshot_to_json(after)
    snapshot_apply(card, snapshot)
    card.last_log = None


def _record_out_of_order(
    user: User,
    card: CardState,
    data: ReviewInput,
    before: CardSnapshot,
    scheduler: SchedulerSettings,
) -> ReviewLog:
    entries = _effective_entries(user, [data.question_id]).get(data.question_id, [])
    log = ReviewLog(
        user=user,
        question_id=data.question_id,
        client_id=data.client_id,
        rating=data.rating,
        reviewed_at=data.reviewed_at,
        duration_ms=data.duration_ms,
        state_before=snapshot_to_json(before),
    )
    _replay(card, [*entries, log], scheduler, _events(user, data.question_id))
    log.save()
    card.save()
    return log


def _count_new_reviews(user: User, study_settings: StudySettings | None, count: int) -> None:
    """Count reviews towards the next optimisation (one statement)."""
    if count <= 0:
        return
    connection = connections[router.db_for_write(StudySettings)]
    quote = connection.ops.quote_name
    column = quote("reviews_since_optimisation")
    after = None
    if study_settings is None:
        created = StudySettings(user=user, reviews_since_optimisation=count)
        if _insert_unless_conflict(created, ["user"]):
            after = count
    if after is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(StudySettings._meta.db_table)} SET {column} = {column} + %s "
                f"WHERE {quote('user_id')} = %s RETURNING {column}",
                [count, user.pk],
            )
            row = cursor.fetchone()
        if row is None:
            return
        after = row[0]
    _optimisation_check(user, after, count)


def _optimisation_check(user: User, after: int, count: int) -> None:
    """Enqueue an optimisation, after the commit, each time the review count
    passes a multiple of STUDY_OPTIMISE_EVERY."""
    every = getattr(settings, "STUDY_OPTIMISE_EVERY", 500)
    if after // every > (after - count) // every:
        optimisation_request(user_id=user.pk)


@dataclass(frozen=True)
class UndoResult:
    log: ReviewLog
    state: dict[str, Any]  # the card's snapshot after the undo (snapshot_to_json)
    created: bool


def review_undo(*, user: User, client_id: uuid.UUID) -> UndoResult:
    """Undo the review ``client_id``: the card returns exactly to its state before it.

    The log stays append-only: a ReviewUndo row marks the review as not counting.
    Only the latest review of a card can be undone. Undoing twice changes nothing
    and returns the same state. Raises Http404 for an unknown id (or another
    user's) and ApplicationError (409) when a later review of the card exists.
    """
    log = ReviewLog.objects.filter(user=user, client_id=client_id).first()
    if log is None:
        raise Http404("No such review.")
    with transaction.atomic():
        card = CardState.objects.select_for_update().get(user=user, question_id=log.question_id)
        undone = ReviewUndo.objects.filter(review=log).first()
        if undone is not None:
            return UndoResult(log=log, state=undone.state_restored, created=False)
        entries = _effective_entries(user, [log.question_id]).get(log.question_id, [])
        latest = max(entries, key=lambda e: _key(e.client_id, e.reviewed_at))
        if latest.pk != log.pk:
            raise ApplicationError(
                "Only the latest review of a card can be undone.", code="conflict", status=409
            )
        remaining = [e for e in entries if e.pk != log.pk]
        if card.last_log_id == log.pk and not has_events_after(
            user, log.question_id, log.reviewed_at
        ):
            # The row still holds exactly what this review produced.
            snapshot_apply(card, snapshot_from_json(log.state_before))
            previous = max(remaining, key=lambda e: _key(e.client_id, e.reviewed_at), default=None)
            card.last_log = (
                previous
                if previous is not None and previous.state_after == log.state_before
                else None
            )
        else:
            # The card was rebuilt by a sync since: replay what remains.
            scheduler = with_card_offset(
                scheduler_settings_for(StudySettings.objects.filter(user=user).first(), user=user),
                card,
            )
            _replay(card, remaining, scheduler, _events(user, card.question_id))
        card.save()
        restored = snapshot_to_json(snapshot_from_card(card))
        ReviewUndo.objects.create(review=log, state_restored=restored)
    return UndoResult(log=log, state=restored, created=True)


def _parse_sync_item(item: Any, now: datetime) -> ReviewInput | str:
    """A ReviewInput, or the reason the item is refused."""
    if not isinstance(item, Mapping):
        return "Each review must be an object."
    try:
        client_id = uuid.UUID(str(item.get("id")))
    except ValueError:
        return "id must be a UUID."
    question = item.get("question")
    if isinstance(question, bool) or not isinstance(question, int):
        return "question must be an integer id."
    rating = item.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in (1, 2, 3, 4):
        return "rating must be 1, 2, 3 or 4."
    raw_time = item.get("reviewed_at")
    reviewed_at = parse_datetime(raw_time) if isinstance(raw_time, str) else None
    if reviewed_at is None:
        return "reviewed_at must be an ISO 8601 date and time."
    problem = _check_time(reviewed_at, now)
    if problem:
        return problem
    duration = item.get("duration_ms", 0)
    if duration is None:
        duration = 0
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        return "duration_ms must be a whole number >= 0."
    return ReviewInput(
        client_id=client_id,
        question_id=question,
        rating=rating,
        reviewed_at=reviewed_at,
        duration_ms=duration,
    )


def review_sync(*, user: User, items: list[Any], now: datetime) -> SyncResult:
    """Merge reviews made offline (any devices, any order, some already sent).

    Each review is applied once: an id already in the log (or earlier in the
    batch) with the same content counts as a duplicate; one with different
    content, a bad field or a question the user may not study is rejected with
    a reason, so ``applied + duplicates + len(rejected)`` is the number of items.
    Every card that got new reviews is rebuilt by replaying its whole log in time
    order, so two devices that reviewed the same card both keep their reviews.
    ``cards`` holds the state of every card the accepted items are about.

    Safe under concurrency: one transaction locks the card rows (in question
    order) before it looks up which ids are already stored, so two devices
    sending the same reviews at once apply each of them once. A race the locks
    cannot order (one id sent for two different cards at once) or a deadlock
    rolls the transaction back and runs it again, up to SYNC_ATTEMPTS times.
    Raises ApplicationError (400) for more than SYNC_MAX_REVIEWS reviews.
    """
    if len(items) > SYNC_MAX_REVIEWS:
        raise ApplicationError(
            f"Send at most {SYNC_MAX_REVIEWS} reviews at a time.",
            fields={"reviews": ["Too many reviews."]},
        )
    parsed = SyncResult()
    candidates: dict[uuid.UUID, ReviewInput] = {}
    for item in items:
        review_input = _parse_sync_item(item, now)
        if isinstance(review_input, str):
            raw_id = item.get("id") if isinstance(item, Mapping) else None
            parsed.rejected.append(
                {"id": None if raw_id is None else str(raw_id), "error": review_input}
            )
            continue
        seen = candidates.get(review_input.client_id)
        if seen is None:
            candidates[review_input.client_id] = review_input
        elif seen == review_input:
            parsed.duplicates += 1
        else:
            parsed.rejected.append(
                {
                    "id": str(review_input.client_id),
                    "error": "This id is used twice with different content.",
                }
            )
    if not candidates:
        return parsed

    question_ids = {c.question_id for c in candidates.values()}
    visible = set(
        questions_visible_for_study(user=user)
        .filter(pk__in=question_ids)
        .values_list("pk", flat=True)
    )
    if question_ids - visible:
        # Reviews of questions replaced by an edit count for their current version.
        moved = current_versions(question_ids - visible)
        if moved:
            candidates = {
                client_id: dataclasses.replace(
                    c, question_id=moved.get(c.question_id, c.question_id)
                )
                for client_id, c in candidates.items()
            }
            visible |= set(
                questions_visible_for_study(user=user)
                .filter(pk__in=set(moved.values()))
                .values_list("pk", flat=True)
            )
    for client_id, review_input in list(candidates.items()):
        if review_input.question_id not in visible:
            del candidates[client_id]
            parsed.rejected.append({"id": str(client_id), "error": "Unknown question."})
    if not candidates:
        return parsed

    study_settings = study_settings_get_or_create(user=user)
    scheduler = scheduler_settings_for(study_settings, user=user)
    for attempt in range(1, SYNC_ATTEMPTS + 1):
        result = SyncResult(duplicates=parsed.duplicates, rejected=list(parsed.rejected))
        try:
            with transaction.atomic():
                _sync_locked(user, dict(candidates), study_settings, scheduler, result)
            return result
        except (IntegrityError, OperationalError) as exc:
            if attempt == SYNC_ATTEMPTS or not _is_retryable(exc):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


SYNC_ATTEMPTS = 3


def _is_retryable(exc: Exception) -> bool:
    """A lost race another run of the transaction resolves: the review-id constraint
    (another request stored the id first) or a deadlock / serialisation failure."""
    if isinstance(exc, IntegrityError):
        return "study_reviewlog_client_id" in str(exc) or "client_id" in str(exc)
    cause = getattr(exc, "__cause__", None)
    return getattr(cause, "sqlstate", None) in ("40P01", "40001")


def _sync_locked(
    user: User,
    candidates: dict[uuid.UUID, ReviewInput],
    study_settings: StudySettings,
    scheduler: SchedulerSettings,
    result: SyncResult,
) -> None:
    """The body of review_sync's transaction; fills ``result``."""
    # Lock first: a concurrent request with the same reviews waits here, and
    # sees what it committed in the look-up below.
    locked = sorted({c.question_id for c in candidates.values()})
    CardState.objects.bulk_create(
        [CardState(user=user, question_id=q) for q in locked], ignore_conflicts=True
    )
    cards = {
        card.question_id: card
        for card in CardState.objects.select_for_update()
        .filter(user=user, question_id__in=locked)
        .order_by("question_id")
    }
    accepted: set[int] = set()
    for log in ReviewLog.objects.filter(user=user, client_id__in=list(candidates)):
        review_input = candidates.pop(log.client_id)
        if review_input.same_as(log):
            result.duplicates += 1
            accepted.add(review_input.question_id)
        else:
            result.rejected.append(
                {
                    "id": str(log.client_id),
                    "error": "This review id was already used for a different review.",
                }
            )
    touched = sorted({c.question_id for c in candidates.values()})
    accepted.update(touched)
    result.cards = [cards[q] for q in sorted(accepted)]
    if not touched:
        return
    entries = _effective_entries(user, touched)
    events = card_events_for(user, touched)
    new_logs: list[ReviewLog] = []
    for review_input in candidates.values():
        log = ReviewLog(
            user=user,
            question_id=review_input.question_id,
            client_id=review_input.client_id,
            rating=review_input.rating,
            reviewed_at=review_input.reviewed_at,
            duration_ms=review_input.duration_ms,
            via_sync=True,
        )
        new_logs.append(log)
        entries.setdefault(review_input.question_id, []).append(log)
    unstarted = [
        q for q in touched if cards[q].initial_stability_offset is None and cards[q].state == "new"
    ]
    offsets = question_offsets(unstarted) if unstarted else {}
    for question_id in touched:
        card = cards[question_id]
        card_scheduler = with_card_offset(scheduler, card, offsets.get(question_id, NO_OFFSET))
        _replay(card, entries[question_id], card_scheduler, events.get(question_id, []))
        card.save()
    ReviewLog.objects.bulk_create(new_logs)
    tallies.tallies_add(new_logs)  # bulk_create sends no signals
    _count_new_reviews(user, study_settings, len(new_logs))
    result.applied = len(new_logs)


SETTINGS_FIELDS = (
    "desired_retention",
    "new_per_day",
    "maximum_interval_days",
    "learning_steps",
    "relearning_steps",
    "leech_threshold",
    "leech_action",
    "rollover_hour",
    "reminders_enabled",
)


def study_settings_update(*, user: User, data: Mapping[str, Any]) -> StudySettings:
    """Change a learner's scheduler settings. New values apply from each card's next
    review (existing due dates are kept, as in Anki). Raises ApplicationError (400)
    naming the field for a value the scheduler refuses; nothing is saved then.
    """
    study_settings = study_settings_get_or_create(user=user)
    data = dict(data)
    time_zone = data.pop("time_zone", None)
    if time_zone is not None:
        user_time_zone_set(user=user, time_zone=time_zone, save=False)
    for name, value in data.items():
        if name not in SETTINGS_FIELDS:
            raise ApplicationError(f"{name} cannot be changed.", fields={name: ["Read-only."]})
        setattr(study_settings, name, value)
    try:
        scheduler_settings_for(study_settings, user=user)
    except (ValueError, TypeError) as exc:
        field_name = next((n for n in data if n in str(exc)), "non_field_errors")
        raise ApplicationError(str(exc), fields={field_name: [str(exc)]}) from exc
    study_settings.full_clean()
    with transaction.atomic():
        study_settings.save()
        if time_zone is not None:
            user.save(update_fields=["time_zone"])
    return study_settings


def card_unsuspend(*, user: User, question_id: int, now: datetime | None = None) -> CardState:
    """Bring a suspended card (a leech) back into the queue; its schedule is kept.

    The unsuspend is kept as an event, so replaying the card's log later (a sync,
    an out-of-order review, an undo) does not suspend it again; only a new leech
    after it does. Raises Http404 if the learner has no card for that question.
    """
    return _card_set_suspended(
        user=user, question_id=question_id, suspended=False, now=now or timezone.now()
    )


def card_suspend(*, user: User, question_id: int, now: datetime | None = None) -> CardState:
    """Take a card out of the queue until the learner unsuspends it (kept as an event).

    Raises Http404 if the learner has no card for that question.
    """
    return _card_set_suspended(
        user=user, question_id=question_id, suspended=True, now=now or timezone.now()
    )


def _card_set_suspended(
    *, user: User, question_id: int, suspended: bool, now: datetime
) -> CardState:
    with transaction.atomic():
        card = (
            CardState.objects.select_for_update().filter(user=user, question_id=question_id).first()
        )
        if card is None:
            raise Http404("No such card.")
        if card.suspended != suspended:
            # A review replayed later must sort before this moment if it was made
            # before it; the card's last review bounds the event from below.
            at = max(now, card.last_review) if card.last_review else now
            card_event_record(
                user=user,
                question_id=question_id,
                kind="suspend" if suspended else "unsuspend",
                at=at,
            )
            card.suspended = suspended
            card.save(update_fields=["suspended", "updated_at"])
    return card
