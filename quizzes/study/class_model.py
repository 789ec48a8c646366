"""What a class knows about a question, in the product: fitting and using class offsets.

* **Fitting** (:func:`class_offsets_fit`, run nightly per deck by
  ``study_class_offsets_fit_deck_task``): every learner's effective reviews of the
  deck's questions, each card's history counted in that learner's study days and
  replayed with that learner's FSRS parameters, go to
  :func:`quizzes.core.class_model.fit_class_model`. A question gets a
  :class:`~quizzes.study.models.QuestionClassOffset` row when at least
  ``STUDY_CLASS_MIN_LEARNERS`` (5) learners reached a review a study day or more
  after their first; rows of the deck's other questions are deleted. The same reviews
  give the same rows, so a rerun changes nothing.
* **Using** (:func:`card_initial_offset`): a card takes its question's offset at its
  first review and keeps it (``CardState.initial_*_offset``), so every later replay
  of the card (a sync, an out-of-order review, an undo) starts it the same way even
  after the offsets are refitted. A question without a row, and a card first
  reviewed before class offsets existed, start as FSRS's defaults say.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from quizzes.content.models import Question
from quizzes.core.class_model import CardHistory, fit_class_model, history_from_reviews
from quizzes.core.scheduling import NO_OFFSET, InitialOffset, SchedulerSettings

from .models import CardState, QuestionClassOffset, ReviewLog, StudySettings
from .snapshots import scheduler_settings_for

#: What the fit reads per round trip.
READ_CHUNK = 5000


def min_learners() -> int:
    return max(1, int(getattr(settings, "STUDY_CLASS_MIN_LEARNERS", 5)))


def card_initial_offset(card: CardState | None, question_offset: InitialOffset) -> InitialOffset:
    """The offset a card's first review applies: the one it took already, else (for a
    card not reviewed yet) its question's, else none."""
    if card is not None and card.initial_stability_offset is not None:
        return InitialOffset(card.initial_stability_offset, card.initial_difficulty_offset or 0.0)
    if card is None or card.state == "new":
        return question_offset
    return NO_OFFSET


def with_card_offset(
    scheduler: SchedulerSettings, card: CardState, question_offset: InitialOffset = NO_OFFSET
) -> SchedulerSettings:
    """``scheduler`` with the card's initial offset, which is kept on the card (not saved)."""
    offset = card_initial_offset(card, question_offset)
    card.initial_stability_offset = offset.stability
    card.initial_difficulty_offset = offset.difficulty
    if offset == scheduler.initial_offset:
        return scheduler
    return dataclasses.replace(scheduler, initial_offset=offset)


def question_offsets(question_ids: list[int]) -> dict[int, InitialOffset]:
    """The stored offsets of these questions (one query)."""
    return {
        row.question_id: InitialOffset(row.stability_offset, row.difficulty_offset)
        for row in QuestionClassOffset.objects.filter(question_id__in=question_ids)
    }


def offset_from_values(stability: float | None, difficulty: float | None) -> InitialOffset:
    """The offset read next to a review (None: the question has none)."""
    if stability is None or difficulty is None:
        return NO_OFFSET
    return InitialOffset(stability, difficulty)


@dataclass(frozen=True)
class ClassFitResult:
    deck_id: int
    questions: int  # questions of the deck with reviews
    offsets: int  # rows written
    deleted: int
    stability_spread: float
    difficulty_spread: float


def _card_histories(question_ids: list[int]) -> Iterator[CardHistory]:
    """Each (learner, question) card's effective reviews as a history in the learner's
    study days with the learner's parameters, read in chunks."""
    rows = (
        ReviewLog.objects.effective()
        .filter(question_id__in=question_ids)
        .order_by("user_id", "question_id", "reviewed_at", "client_id")
        .values_list("user_id", "question_id", "rating", "reviewed_at")
        .iterator(chunk_size=READ_CHUNK)
    )
    schedulers = _schedulers(question_ids)
    current: tuple[int, int] | None = None
    reviews: list[tuple[int, datetime]] = []

    def history() -> CardHistory:
        assert current is not None
        scheduler = schedulers[current[0]]
        assert scheduler.clock is not None  # scheduler_settings_for always sets one
        return history_from_reviews(
            current[1],
            reviews,
            clock=scheduler.clock,
            parameters=scheduler.parameters,
            learner=current[0],
        )

    for user_id, question_id, rating, reviewed_at in rows:
        if (user_id, question_id) != current:
            if current is not None and reviews:
                yield history()
            current, reviews = (user_id, question_id), []
        reviews.append((rating, reviewed_at))
    if current is not None and reviews:
        yield history()


def _schedulers(question_ids: list[int]) -> dict[int, SchedulerSettings]:
    """Each learner's scheduler settings (clock and parameters), a few queries in all."""
    user_ids = sorted(
        set(
            ReviewLog.objects.filter(question_id__in=question_ids)
            .values_list("user_id", flat=True)
            .distinct()
        )
    )
    settings_of = {row.user_id: row for row in StudySettings.objects.filter(user_id__in=user_ids)}
    return {
        user.pk: scheduler_settings_for(settings_of.get(user.pk), user=user)
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }


def class_offsets_fit(*, deck_id: int, now: datetime) -> ClassFitResult:
    """Fit and store the class offsets of one deck's questions (see the module docstring).

    Idempotent: the same reviews give the same rows. Writes in one transaction.
    """
    question_ids = list(
        Question.objects.filter(passage__deck_id=deck_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    model = fit_class_model(_card_histories(question_ids), min_learners=min_learners())
    rows = [
        QuestionClassOffset(
            question_id=cast(int, question_id),
            stability_offset=offset.stability,
            difficulty_offset=offset.difficulty,
            learners=model.learners[question_id],
            reviews=model.reviews[question_id],
            fitted_at=now,
        )
        for question_id, offset in sorted(
            model.offsets.items(), key=lambda item: cast(int, item[0])
        )
    ]
    with transaction.atomic():
        deleted, _ = (
            QuestionClassOffset.objects.filter(question_id__in=question_ids)
            .exclude(question_id__in=list(model.offsets))
            .delete()
        )
        QuestionClassOffset.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["question"],
            update_fields=[
                "stability_offset",
                "difficulty_offset",
                "learners",
                "reviews",
                "fitted_at",
            ],
        )
    return ClassFitResult(
        deck_id=deck_id,
        questions=len(model.learners),
        offsets=len(rows),
        deleted=deleted,
        stability_spread=model.stability_spread,
        difficulty_spread=model.difficulty_spread,
    )


def decks_with_reviews() -> list[int]:
    """Decks any of whose questions has a review (the nightly fit's work list)."""
    from django.db.models import Exists, OuterRef

    from quizzes.content.models import Deck

    reviewed = ReviewLog.objects.filter(question__passage__deck=OuterRef("pk"))
    return list(Deck.objects.filter(Exists(reviewed)).order_by("pk").values_list("pk", flat=True))


__all__ = [
    "ClassFitResult",
    "card_initial_offset",
    "class_offsets_fit",
    "decks_with_reviews",
    "offset_from_values",
    "question_offsets",
    "with_card_offset",
]
