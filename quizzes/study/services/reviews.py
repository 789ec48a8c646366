"""Recording reviews: one answer, undo, and merging reviews made offline."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from quizzes.core.scheduling import CardSnapshot, SchedulerSettings, replay, review
from studyapp.errors import ApplicationError

from ..models import CardState, ReviewLog, ReviewUndo, StudySettings
from ..selectors import questions_visible_for_study
from ..snapshots import (
    scheduler_settings_for,
    snapshot_apply,
    snapshot_from_card,
    snapshot_from_json,
    snapshot_to_json,
)
from .optimisation import optimisation_request

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
        return (log.question_id == self.question_id and log.rating == self.rating
                and log.reviewed_at == self.reviewed_at)


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

    Locks the CardState row (``select_for_update``) so concurrent answers to the
    same card apply one after the other. Guarantees: the same client id sent again
    changes nothing and returns the stored answer (``created=False``); a review
    older than the card's last one is merged by replaying the card's whole log.
    Raises ApplicationError (400) for a rating outside 1-4 or a time in the future
    beyond CLOCK_SKEW, ApplicationError (409) for a client id already used for a
    different review, and Http404 for a question the user may not study. Nothing
    is written when it raises.
    """
    if data.rating not in (1, 2, 3, 4):
        raise ApplicationError("rating must be 1, 2, 3 or 4.",
                               fields={"rating": ["rating must be 1, 2, 3 or 4."]})
    problem = _check_time(data.reviewed_at, now)
    if problem:
        raise ApplicationError(problem, fields={"reviewed_at": [problem]})

    existing = ReviewLog.objects.filter(user=user, client_id=data.client_id).first()
    if existing is not None:
        return _replayed_answer(user=user, log=existing, data=data)
    if not questions_visible_for_study(user=user).filter(pk=data.question_id).exists():
        raise Http404("No such question.")

    study_settings = study_settings_get_or_create(user=user)
    scheduler = scheduler_settings_for(study_settings)
    try:
        with transaction.atomic():
            card, _ = CardState.objects.select_for_update().get_or_create(
                user=user, question_id=data.question_id
            )
            before = snapshot_from_card(card)
            # Equal times too: the replay order (time, then id) decides between them.
            if before.last_review is not None and data.reviewed_at <= before.last_review:
                log = _record_out_of_order(user, card, data, before, scheduler)
            else:
                outcome = review(before, data.rating, now=data.reviewed_at,
                                 settings=scheduler, card_key=data.question_id)
                log = ReviewLog.objects.create(
                    user=user, question_id=data.question_id, client_id=data.client_id,
                    rating=data.rating, reviewed_at=data.reviewed_at,
                    duration_ms=data.duration_ms, state_before=snapshot_to_json(before),
                    state_after=snapshot_to_json(outcome.snapshot),
                )
                snapshot_apply(card, outcome.snapshot)
                card.last_log = log
                card.save()
            _count_new_reviews(study_settings, 1)
    except IntegrityError:
        # Another request with the same client id committed first.
        existing = ReviewLog.objects.filter(user=user, client_id=data.client_id).first()
        if existing is None:
            raise
        return _replayed_answer(user=user, log=existing, data=data)
    return ReviewResult(log=log, card=card, created=True)


def _replayed_answer(*, user: User, log: ReviewLog, data: ReviewInput) -> ReviewResult:
    if not data.same_as(log):
        raise ApplicationError(
            "This review id was already used for a different review.", code="conflict",
            status=409, fields={"id": ["This review id was already used for a different review."]},
        )
    card = CardState.objects.get(user=user, question_id=log.question_id)
    return ReviewResult(log=log, card=card, created=False)


def _effective_entries(user: User, question_ids: Iterable[int]) -> dict[int, list[ReviewLog]]:
    entries: dict[int, list[ReviewLog]] = {}
    for log in ReviewLog.objects.effective().filter(user=user, question_id__in=list(question_ids)):
        entries.setdefault(log.question_id, []).append(log)
    return entries


def _walk(
    entries: list[ReviewLog], scheduler: SchedulerSettings, card_key: int
) -> list[tuple[ReviewLog, CardSnapshot, CardSnapshot]]:
    """Each entry in replay order with the snapshot just before and after it."""
    ordered = sorted(entries, key=lambda log: _key(log.client_id, log.reviewed_at))
    snapshot = CardSnapshot()
    steps = []
    for log in ordered:
        after = review(snapshot, log.rating, now=log.reviewed_at, settings=scheduler,
                       card_key=card_key).snapshot
        steps.append((log, snapshot, after))
        snapshot = after
    return steps


def _rebuild(card: CardState, entries: list[ReviewLog], scheduler: SchedulerSettings) -> None:
    """Set the card to the replay of its whole effective log (with the core's replay)."""
    ordered = sorted(entries, key=lambda log: _key(log.client_id, log.reviewed_at))
    snapshot = replay([(log.rating, log.reviewed_at) for log in ordered],
                      settings=scheduler, card_key=card.question_id)
    snapshot_apply(card, snapshot)
    card.last_log = None


def _record_out_of_order(
    user: User, card: CardState, data: ReviewInput, before: CardSnapshot,
    scheduler: SchedulerSettings,
) -> ReviewLog:
    entries = _effective_entries(user, [data.question_id]).get(data.question_id, [])
    log = ReviewLog(
        user=user, question_id=data.question_id, client_id=data.client_id, rating=data.rating,
        reviewed_at=data.reviewed_at, duration_ms=data.duration_ms,
        state_before=snapshot_to_json(before),
    )
    for entry, entry_before, entry_after in _walk([*entries, log], scheduler, card.question_id):
        if entry is log:
            log.state_before = snapshot_to_json(entry_before)
            log.state_after = snapshot_to_json(entry_after)
    log.save()
    _rebuild(card, [*entries, log], scheduler)
    card.save()
    return log


def _count_new_reviews(study_settings: StudySettings, count: int) -> None:
    """Count reviews towards the next optimisation; enqueue it every N reviews."""
    if count <= 0:
        return
    every = getattr(settings, "STUDY_OPTIMISE_EVERY", 500)
    StudySettings.objects.filter(pk=study_settings.pk).update(
        reviews_since_optimisation=F("reviews_since_optimisation") + count
    )
    study_settings.refresh_from_db(fields=["reviews_since_optimisation"])
    after = study_settings.reviews_since_optimisation
    if after // every > (after - count) // every:
        optimisation_request(user_id=study_settings.user_id)


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
        if card.last_log_id == log.pk:
            # The row still holds exactly what this review produced.
            snapshot_apply(card, snapshot_from_json(log.state_before))
            previous = max(remaining, key=lambda e: _key(e.client_id, e.reviewed_at),
                           default=None)
            card.last_log = (
                previous if previous is not None and previous.state_after == log.state_before
                else None
            )
        else:
            # The card was rebuilt by a sync since: replay what remains.
            scheduler = scheduler_settings_for(StudySettings.objects.filter(user=user).first())
            _rebuild(card, remaining, scheduler)
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
    return ReviewInput(client_id=client_id, question_id=question, rating=rating,
                       reviewed_at=reviewed_at, duration_ms=duration)


def review_sync(*, user: User, items: list[Any], now: datetime) -> SyncResult:
    """Merge reviews made offline (any devices, any order, some already sent).

    Each review is applied once: an id already in the log (or earlier in the
    batch) with the same content counts as a duplicate; one with different
    content, a bad field or a question the user may not study is rejected with
    a reason. Every card that got new reviews is rebuilt by replaying its whole
    log in time order, so two devices that reviewed the same card both keep
    their reviews. One transaction; the card rows are locked in id order.
    Raises ApplicationError (400) for more than SYNC_MAX_REVIEWS reviews.
    """
    if len(items) > SYNC_MAX_REVIEWS:
        raise ApplicationError(f"Send at most {SYNC_MAX_REVIEWS} reviews at a time.",
                               fields={"reviews": ["Too many reviews."]})
    result = SyncResult()
    candidates: dict[uuid.UUID, ReviewInput] = {}
    for item in items:
        parsed = _parse_sync_item(item, now)
        if isinstance(parsed, str):
            raw_id = item.get("id") if isinstance(item, Mapping) else None
            result.rejected.append({"id": None if raw_id is None else str(raw_id),
                                    "error": parsed})
            continue
        seen = candidates.get(parsed.client_id)
        if seen is None:
            candidates[parsed.client_id] = parsed
        elif seen == parsed:
            result.duplicates += 1
        else:
            result.rejected.append({"id": str(parsed.client_id),
                                    "error": "This id is used twice with different content."})
    if not candidates:
        return result

    with transaction.atomic():
        for log in ReviewLog.objects.filter(user=user, client_id__in=list(candidates)):
            parsed = candidates.pop(log.client_id)
            if parsed.same_as(log):
                result.duplicates += 1
            else:
                result.rejected.append({
                    "id": str(log.client_id),
                    "error": "This review id was already used for a different review.",
                })
        question_ids = {c.question_id for c in candidates.values()}
        visible = set(
            questions_visible_for_study(user=user).filter(pk__in=question_ids)
            .values_list("pk", flat=True)
        )
        for client_id, parsed in list(candidates.items()):
            if parsed.question_id not in visible:
                del candidates[client_id]
                result.rejected.append({"id": str(client_id), "error": "Unknown question."})
        if not candidates:
            return result

        study_settings = study_settings_get_or_create(user=user)
        scheduler = scheduler_settings_for(study_settings)
        touched = sorted({c.question_id for c in candidates.values()})
        CardState.objects.bulk_create(
            [CardState(user=user, question_id=q) for q in touched], ignore_conflicts=True
        )
        cards = {
            card.question_id: card
            for card in CardState.objects.select_for_update()
            .filter(user=user, question_id__in=touched).order_by("question_id")
        }
        entries = _effective_entries(user, touched)
        new_logs: list[ReviewLog] = []
        for parsed in candidates.values():
            log = ReviewLog(
                user=user, question_id=parsed.question_id, client_id=parsed.client_id,
                rating=parsed.rating, reviewed_at=parsed.reviewed_at,
                duration_ms=parsed.duration_ms, via_sync=True,
            )
            new_logs.append(log)
            entries.setdefault(parsed.question_id, []).append(log)
        for question_id in touched:
            card = cards[question_id]
            for log, before, after in _walk(entries[question_id], scheduler, question_id):
                if log.pk is None:
                    log.state_before = snapshot_to_json(before)
                    log.state_after = snapshot_to_json(after)
            _rebuild(card, entries[question_id], scheduler)
            card.save()
        ReviewLog.objects.bulk_create(new_logs)
        _count_new_reviews(study_settings, len(new_logs))
        result.applied = len(new_logs)
        result.cards = [cards[q] for q in touched]
    return result


SETTINGS_FIELDS = ("desired_retention", "new_per_day", "maximum_interval_days",
                   "learning_steps", "relearning_steps", "leech_threshold",
                   "reminders_enabled")


def study_settings_update(*, user: User, data: Mapping[str, Any]) -> StudySettings:
    """Change a learner's scheduler settings. New values apply from each card's next
    review (existing due dates are kept, as in Anki). Raises ApplicationError (400)
    naming the field for a value the scheduler refuses; nothing is saved then.
    """
    study_settings = study_settings_get_or_create(user=user)
    for name, value in data.items():
        if name not in SETTINGS_FIELDS:
            raise ApplicationError(f"{name} cannot be changed.", fields={name: ["Read-only."]})
        setattr(study_settings, name, value)
    try:
        scheduler_settings_for(study_settings)
    except (ValueError, TypeError) as exc:
        field_name = next((n for n in data if n in str(exc)), "non_field_errors")
        raise ApplicationError(str(exc), fields={field_name: [str(exc)]}) from exc
    study_settings.full_clean()
    study_settings.save()
    return study_settings


def card_unsuspend(*, user: User, question_id: int) -> CardState:
    """Bring a suspended card (a leech) back into the queue; its schedule is kept.

    Raises Http404 if the learner has no card for that question.
    """
    with transaction.atomic():
        card = CardState.objects.select_for_update().filter(
            user=user, question_id=question_id).first()
        if card is None:
            raise Http404("No such card.")
        if card.suspended:
            card.suspended = False
            card.save(update_fields=["suspended", "updated_at"])
    return card
