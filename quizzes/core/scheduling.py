"""FSRS-6 scheduling for flashcards, wrapped around py-fsrs.

Pure code: no Django, no clock, no network. ``now`` is always an argument.

What this module adds on top of ``fsrs.Scheduler``:

* **Immutable snapshots.** :class:`CardSnapshot` is a frozen dataclass that maps one
  to one onto a ``CardState`` row; :func:`review` returns a new snapshot and a
  :class:`ReviewLogEntry` (the ``ReviewLog`` row) and never mutates its input.
* **A "new" state.** py-fsrs represents a never-reviewed card as ``Learning`` step 0
  without stability; here it is :attr:`CardState.NEW`, so queries can tell new cards
  apart from cards in their learning steps.
* **UTC only.** Every datetime is converted to ``datetime.timezone.utc`` (py-fsrs
  rejects ``ZoneInfo("UTC")`` and other offsets); naive datetimes raise ``ValueError``.
* **Deterministic fuzz.** py-fsrs draws fuzz from the global ``random`` module. We run
  py-fsrs with fuzzing off and apply py-fsrs's own fuzz formula (same ranges, same
  rounding, see ``fsrs.scheduler.FUZZ_RANGES``) with a private ``random.Random`` seeded
  from ``(card_key, reps)``, the way Anki seeds fuzz from card id and review count.
  The same card at the same repetition always gets the same interval, the buttons'
  preview equals what the review will do, and the global random state is untouched
  (also safe under threads, since no module global is patched).
* **Counters and leeches.** ``reps`` counts every review; ``lapses`` counts Again
  given while the card was in the Review state. Leech rule (Anki's): a review is a
  leech event when ``lapses >= leech_threshold`` and
  ``(lapses - leech_threshold) % max(leech_threshold // 2, 1) == 0``; with the
  default threshold 8 that is at 8, 12, 16, ... lapses. On a leech event the card is
  suspended (``suspended=True``) and ``ReviewOutcome.leech`` is True. ``suspended``
  is sticky: reviewing a suspended card is allowed (it is the caller's decision to
  show it) and never clears the flag; un-suspending is a plain
  ``dataclasses.replace(snapshot, suspended=False)`` by the caller.
"""

from __future__ import annotations

import enum
import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    FUZZ_RANGES,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "CardSnapshot",
    "CardState",
    "ReviewLogEntry",
    "ReviewOutcome",
    "SchedulerSettings",
    "as_utc",
    "preview_intervals",
    "replay",
    "retrievability",
    "review",
]

RATINGS: tuple[int, ...] = (1, 2, 3, 4)


class CardState(enum.StrEnum):
    """Where a card is in its life cycle (stored as these strings)."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


_TO_FSRS_STATE: dict[CardState, State] = {
    CardState.NEW: State.Learning,
    CardState.LEARNING: State.Learning,
    CardState.REVIEW: State.Review,
    CardState.RELEARNING: State.Relearning,
}
_FROM_FSRS_STATE: dict[State, CardState] = {
    State.Learning: CardState.LEARNING,
    State.Review: CardState.REVIEW,
    State.Relearning: CardState.RELEARNING,
}


def as_utc(value: datetime, *, name: str = "datetime") -> datetime:
    """Return ``value`` as an aware datetime whose tzinfo is ``datetime.timezone.utc``.

    Accepts any aware datetime (``ZoneInfo("UTC")``, ``+02:00``, ...) and converts it to
    the same instant. Raises ``ValueError`` for a naive datetime.
    """
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class CardSnapshot:
    """The scheduling state of one card for one learner, as stored in ``CardState``.

    ``CardSnapshot()`` is a new card. Datetimes are normalised to UTC on construction.
    Raises ``ValueError`` for naive datetimes or inconsistent fields (a new card with a
    memory state, a reviewed card without one, negative counters).
    """

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", CardState(self.state))
        if self.due is not None:
            object.__setattr__(self, "due", as_utc(self.due, name="due"))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", as_utc(self.last_review, name="last_review"))
        if self.reps < 0 or self.lapses < 0:
            raise ValueError("reps and lapses must be >= 0")
        if self.state is CardState.NEW:
            if self.stability is not None or self.difficulty is not None:
                raise ValueError("a new card has no stability or difficulty")
            if self.last_review is not None:
                raise ValueError("a new card has no last_review")
        else:
            if self.stability is None or self.difficulty is None or self.last_review is None:
                raise ValueError(
                    f"a {self.state.value} card needs stability, difficulty and last_review"
                )
            if self.state in (CardState.LEARNING, CardState.RELEARNING) and self.step is None:
                raise ValueError(f"a {self.state.value} card needs a step")
            if self.state is CardState.REVIEW and self.step is not None:
                raise ValueError("a review card has no step")


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """Per-deck (or per-learner) FSRS settings.

    ``learning_steps`` and ``relearning_steps`` are in seconds. ``parameters`` is the 21
    FSRS-6 weights, or None for py-fsrs's defaults. Raises ``ValueError`` on
    construction for out-of-range values (parameters are checked against py-fsrs's
    bounds).
    """

    desired_retention: float = 0.9
    maximum_interval_days: int = 36500
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    parameters: tuple[float, ...] | None = None
    leech_threshold: int = 8
    enable_fuzzing: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError("desired_retention must be strictly between 0 and 1")
        if self.maximum_interval_days < 1:
            raise ValueError("maximum_interval_days must be >= 1")
        if any(step <= 0 for step in (*self.learning_steps, *self.relearning_steps)):
            raise ValueError("learning and relearning steps must be positive seconds")
        if self.leech_threshold < 1:
            raise ValueError("leech_threshold must be >= 1")
        if self.parameters is not None:
            object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
            check_parameters(self.parameters)

    @property
    def effective_parameters(self) -> tuple[float, ...]:
        """The 21 weights in use (the defaults when ``parameters`` is None)."""
        return tuple(DEFAULT_PARAMETERS) if self.parameters is None else self.parameters


def check_parameters(parameters: Sequence[float]) -> None:
    """Raise ``ValueError`` unless ``parameters`` is 21 finite floats within py-fsrs's bounds."""
    if len(parameters) != len(LOWER_BOUNDS_PARAMETERS):
        raise ValueError(
            f"expected {len(LOWER_BOUNDS_PARAMETERS)} parameters, got {len(parameters)}"
        )
    for index, (value, low, high) in enumerate(
        zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"parameters[{index}] = {value} is outside [{low}, {high}]")


@dataclass(frozen=True, slots=True)
class ReviewLogEntry:
    """One review, as stored in the ``ReviewLog`` table.

    ``elapsed_days`` is py-fsrs's: whole 24-hour periods since the previous review
    (None on the first review). ``scheduled_seconds`` is ``due - reviewed_at``.
    ``retrievability_before`` is the predicted recall probability at review time
    (0.0 for a new card).
    """

    card_key: int
    rating: int
    reviewed_at: datetime
    state_before: CardState
    state_after: CardState
    step_before: int | None
    step_after: int | None
    stability_before: float | None
    stability_after: float
    difficulty_before: float | None
    difficulty_after: float
    elapsed_days: int | None
    scheduled_seconds: int
    due: datetime
    retrievability_before: float
    lapse: bool
    leech: bool


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """The result of :func:`review`: the new snapshot, its log entry and the leech flag."""

    snapshot: CardSnapshot
    log: ReviewLogEntry
    leech: bool = field(default=False)


@functools.lru_cache(maxsize=64)
def _scheduler(settings: SchedulerSettings) -> Scheduler:
    # Fuzzing is always off inside py-fsrs: it would draw from the global random module.
    return Scheduler(
        parameters=settings.effective_parameters,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=False,
    )


def _to_card(snapshot: CardSnapshot, *, now: datetime, card_key: int) -> Card:
    if snapshot.state is CardState.NEW:
        return Card(card_id=card_key, state=State.Learning, step=0, due=snapshot.due or now)
    return Card(
        card_id=card_key,
        state=_TO_FSRS_STATE[snapshot.state],
        step=snapshot.step,
        stability=snapshot.stability,
        difficulty=snapshot.difficulty,
        due=snapshot.due or now,
        last_review=snapshot.last_review,
    )


def fuzz_seed(card_key: int, reps: int) -> str:
    """The seed for a card's fuzz at a repetition count (stable across processes)."""
    return f"fsrs-fuzz:{card_key}:{reps}"


def fuzzed_interval_days(
    interval_days: int, *, maximum_interval_days: int, rng: random.Random
) -> int:
    """py-fsrs's ``Scheduler._get_fuzzed_interval`` with an explicit random source.

    Intervals under 2.5 days are returned unchanged; otherwise the result is uniform
    on py-fsrs's ``[min_ivl, max_ivl]`` range and never exceeds the maximum interval.
    """
    if interval_days < 2.5:
        return interval_days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(interval_days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    min_ivl = max(2, round(interval_days - delta))
    max_ivl = min(round(interval_days + delta), maximum_interval_days)
    min_ivl = min(min_ivl, max_ivl)
    fuzzed = rng.random() * (max_ivl - min_ivl + 1) + min_ivl
    return min(round(fuzzed), maximum_interval_days)


def is_leech_event(lapses: int, threshold: int) -> bool:
    """Anki's rule: at ``threshold`` lapses, then every ``max(threshold // 2, 1)`` more."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(threshold // 2, 1) == 0


def review(
    snapshot: CardSnapshot,
    rating: int,
    *,
    now: datetime,
    settings: SchedulerSettings,
    card_key: int,
) -> ReviewOutcome:
    """Apply one review (1=Again, 2=Hard, 3=Good, 4=Easy) at ``now``.

    Guarantees: the input snapshot is not changed; the result is a pure function of the
    arguments (fuzz included, seeded from ``card_key`` and the new ``reps``); the global
    ``random`` state is not touched; all datetimes in the result are in
    ``datetime.timezone.utc``.

    Raises ``ValueError`` if ``rating`` is not an int in 1..4, ``now`` is naive, or
    ``now`` is earlier than the snapshot's ``last_review`` (out-of-order reviews must
    go through :func:`replay`).
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValueError(f"rating must be 1, 2, 3 or 4, got {rating!r}")
    now = as_utc(now, name="now")
    if snapshot.last_review is not None and now < snapshot.last_review:
        raise ValueError(
            f"review at {now.isoformat()} is before the last review "
            f"{snapshot.last_review.isoformat()}; use replay() for out-of-order logs"
        )

    scheduler = _scheduler(settings)
    card_before = _to_card(snapshot, now=now, card_key=card_key)
    retrievability_before = float(scheduler.get_card_retrievability(card_before, now))
    card_after, _ = scheduler.review_card(card_before, Rating(rating), now)
    assert card_after.stability is not None and card_after.difficulty is not None

    state_after = _FROM_FSRS_STATE[card_after.state]
    reps = snapshot.reps + 1
    lapse = snapshot.state is CardState.REVIEW and rating == 1
    lapses = snapshot.lapses + (1 if lapse else 0)

    due = card_after.due
    if settings.enable_fuzzing and state_after is CardState.REVIEW:
        # py-fsrs would fuzz exactly here (state Review after the review); its
        # unfuzzed interval is a whole number of days.
        interval_days = (due - now).days
        rng = random.Random(fuzz_seed(card_key, reps))
        fuzzed = fuzzed_interval_days(
            interval_days, maximum_interval_days=settings.maximum_interval_days, rng=rng
        )
        due = now + timedelta(days=fuzzed)

    leech = lapse and is_leech_event(lapses, settings.leech_threshold)
    new_snapshot = CardSnapshot(
        state=state_after,
        step=card_after.step,
        stability=float(card_after.stability),
        difficulty=float(card_after.difficulty),
        due=due,
        last_review=now,
        reps=reps,
        lapses=lapses,
        suspended=snapshot.suspended or leech,
    )
    log = ReviewLogEntry(
        card_key=card_key,
        rating=rating,
        reviewed_at=now,
        state_before=snapshot.state,
        state_after=state_after,
        step_before=snapshot.step if snapshot.state is not CardState.NEW else None,
        step_after=card_after.step,
        stability_before=snapshot.stability,
        stability_after=new_snapshot.stability or 0.0,
        difficulty_before=snapshot.difficulty,
        difficulty_after=new_snapshot.difficulty or 0.0,
        elapsed_days=(now - snapshot.last_review).days if snapshot.last_review else None,
        scheduled_seconds=int((due - now).total_seconds()),
        due=due,
        retrievability_before=retrievability_before,
        lapse=lapse,
        leech=leech,
    )
    return ReviewOutcome(snapshot=new_snapshot, log=log, leech=leech)


def preview_intervals(
    snapshot: CardSnapshot,
    *,
    now: datetime,
    settings: SchedulerSettings,
    card_key: int,
) -> dict[int, int]:
    """Seconds from ``now`` until the card would be due for each rating 1..4.

    Because fuzz is deterministic, the values equal what :func:`review` will schedule
    for the same arguments. Raises ``ValueError`` like :func:`review`.
    """
    return {
        rating: review(
            snapshot, rating, now=now, settings=settings, card_key=card_key
        ).log.scheduled_seconds
        for rating in RATINGS
    }


def replay(
    reviews: Sequence[tuple[int, datetime]],
    *,
    settings: SchedulerSettings,
    card_key: int,
) -> CardSnapshot:
    """Rebuild a card's snapshot from its whole log of ``(rating, reviewed_at)`` pairs.

    The log is sorted by time (stable, so equal timestamps keep their given order) and
    applied with :func:`review` from a new card, so the result equals reviewing one by
    one in time order. Used to merge logs recorded offline on several devices.
    Raises ``ValueError`` for a bad rating or a naive datetime.
    """
    normalised = [(rating, as_utc(at, name="reviewed_at")) for rating, at in reviews]
    normalised.sort(key=lambda pair: pair[1])
    snapshot = CardSnapshot()
    for rating, reviewed_at in normalised:
        snapshot = review(
            snapshot, rating, now=reviewed_at, settings=settings, card_key=card_key
        ).snapshot
    return snapshot


def retrievability(
    snapshot: CardSnapshot,
    *,
    now: datetime,
    settings: SchedulerSettings,
) -> float:
    """Predicted probability of recalling the card at ``now`` (0.0 for a new card).

    Uses py-fsrs's definition: FSRS-6 forgetting curve over whole elapsed days.
    Raises ``ValueError`` if ``now`` is naive.
    """
    now = as_utc(now, name="now")
    if snapshot.state is CardState.NEW:
        return 0.0
    card = _to_card(snapshot, now=now, card_key=0)
    return float(_scheduler(settings).get_card_retrievability(card, now))


def forgetting_curve(settings: SchedulerSettings) -> tuple[float, float]:
    """``(factor, decay)`` of the FSRS-6 forgetting curve these settings use:
    :func:`retrievability` is ``(1 + factor * elapsed_days / stability) ** decay``
    with ``elapsed_days`` the whole days since the last review (at least 0).
    For computing it where the cards are (in SQL) with the same constants.
    """
    scheduler = _scheduler(settings)
    return float(scheduler._FACTOR), float(scheduler._DECAY)
