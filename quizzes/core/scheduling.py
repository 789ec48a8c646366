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
  ``(lapses - leech_threshold) % max(ceil(leech_threshold / 2), 1) == 0``; with the
  default threshold 8 that is at 8, 12, 16, ... lapses, with threshold 5 at 5, 8,
  11, ... On a leech event the card is marked ``leech=True``, ``ReviewOutcome.leech``
  is True and, with the leech action ``"suspend"`` (Anki's default; ``"tag"`` only
  marks it), suspended. ``suspended`` is sticky: reviewing a suspended card is
  allowed (it is the caller's decision to show it) and never clears the flag.
* **Suspend and unsuspend are events.** A learner's explicit suspend or unsuspend
  is a :class:`CardEvent` at a moment; :func:`replay` and :func:`replay_history`
  apply events and reviews in time order, so rebuilding a card from its log keeps
  an unsuspend made after a leech (a later leech suspends it again, as in Anki).
* **Study days.** With ``SchedulerSettings.clock`` set (a :class:`StudyClock`: an
  IANA time zone and a rollover hour, Anki's 4 am by default), elapsed time between
  reviews is counted in study days, as Anki and the optimiser count it, and a review
  interval of ``n`` days falls due at the rollover that starts the ``n``-th study day
  after the review. Without a clock (None) elapsed days are py-fsrs's whole 24-hour
  periods and due dates are ``now + n days``, exactly as py-fsrs.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    FUZZ_RANGES,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "LEECH_ACTIONS",
    "NO_OFFSET",
    "CardEvent",
    "CardSnapshot",
    "CardState",
    "InitialOffset",
    "ReviewLogEntry",
    "ReviewOutcome",
    "SchedulerSettings",
    "StudyClock",
    "as_utc",
    "preview_intervals",
    "replay",
    "replay_history",
    "retrievability",
    "review",
]

RATINGS: tuple[int, ...] = (1, 2, 3, 4)
#: What happens to a card on a leech event: suspended (Anki's default) or only marked.
LEECH_ACTIONS: tuple[str, ...] = ("suspend", "tag")


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
class StudyClock:
    """Which study day a moment belongs to, for one learner (Anki's "next day starts at").

    ``time_zone`` is an IANA name (``"Europe/Berlin"``); ``rollover_hour`` (0-23, Anki's
    default 4) is the local hour at which a new study day starts, so a review at 2 am
    counts towards the previous evening's day. Raises ``ValueError`` for an unknown
    time zone or an hour outside 0..23.
    """

    time_zone: str = "UTC"
    rollover_hour: int = 4

    def __post_init__(self) -> None:
        if (
            isinstance(self.rollover_hour, bool)
            or not isinstance(self.rollover_hour, int)
            or not (0 <= self.rollover_hour <= 23)
        ):
            raise ValueError(f"rollover_hour must be a whole hour 0-23, got {self.rollover_hour!r}")
        _zone(self.time_zone)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.time_zone)

    def day(self, moment: datetime) -> date:
        """The study day of ``moment``: the local date of the local time minus the rollover."""
        local = as_utc(moment, name="moment").astimezone(self.zone)
        return (local.replace(tzinfo=None) - timedelta(hours=self.rollover_hour)).date()

    def day_start(self, day: date) -> datetime:
        """The UTC moment study day ``day`` starts (its local rollover hour).

        A rollover hour skipped by a daylight-saving change starts the day at the first
        moment after the gap.
        """
        local = datetime.combine(day, time(self.rollover_hour), tzinfo=self.zone)
        start = local.astimezone(UTC)
        # ZoneInfo resolves a non-existent wall time forwards with fold=0 only
        # sometimes; make sure the start really belongs to ``day``.
        while self.day(start) < day:
            start += timedelta(minutes=15)
        return start

    def days_between(self, earlier: datetime, later: datetime) -> int:
        """Study-day boundaries crossed from ``earlier`` to ``later`` (0 on the same day)."""
        return (self.day(later) - self.day(earlier)).days


@functools.lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise ValueError("time_zone must be an IANA time zone name such as 'Europe/Berlin'")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True, slots=True)
class InitialOffset:
    """A question's offset to a new card's memory state, learned from a class.

    ``stability`` is the natural log of the factor on the initial stability FSRS gives
    a first rating (``w[r - 1]``); ``difficulty`` is added to the initial difficulty
    (then clamped to [1, 10], as FSRS clamps it). Applied once, by the card's first
    review; every later review follows FSRS unchanged. Raises ``ValueError`` for a
    value that is not finite.
    """

    stability: float = 0.0
    difficulty: float = 0.0

    def __post_init__(self) -> None:
        for name in ("stability", "difficulty"):
            value = float(getattr(self, name))
            if not math.isfinite(value):
                raise ValueError(f"initial offset {name} must be finite, got {value!r}")
            object.__setattr__(self, name, value)

    @property
    def is_zero(self) -> bool:
        return self.stability == 0.0 and self.difficulty == 0.0

    def apply(self, stability: float, difficulty: float) -> tuple[float, float]:
        """The initial ``(stability, difficulty)`` with this offset."""
        return (
            max(stability * math.exp(self.stability), STABILITY_MIN),
            min(max(difficulty + self.difficulty, 1.0), 10.0),
        )


NO_OFFSET = InitialOffset()
#: py-fsrs's lower bound on stability.
STABILITY_MIN = 0.001


@dataclass(frozen=True, slots=True)
class CardEvent:
    """A learner's explicit action on a card at a moment: ``"suspend"`` or ``"unsuspend"``."""

    kind: str
    at: datetime

    def __post_init__(self) -> None:
        if self.kind not in ("suspend", "unsuspend"):
            raise ValueError(f"card event must be 'suspend' or 'unsuspend', got {self.kind!r}")
        object.__setattr__(self, "at", as_utc(self.at, name="event time"))


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
    leech: bool = False

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
    FSRS-6 weights, or None for py-fsrs's defaults. ``leech_action`` is ``"suspend"``
    or ``"tag"``. ``clock`` counts days in the learner's study days (None: 24-hour
    periods, as py-fsrs). ``initial_offset`` is the card's question offset, applied by
    its first review (set per card; the default changes nothing). Raises ``ValueError``
    on construction for out-of-range values (parameters are checked against py-fsrs's
    bounds).
    """

    desired_retention: float = 0.9
    maximum_interval_days: int = 36500
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    parameters: tuple[float, ...] | None = None
    leech_threshold: int = 8
    enable_fuzzing: bool = True
    leech_action: str = "suspend"
    clock: StudyClock | None = None
    initial_offset: InitialOffset = NO_OFFSET

    def __post_init__(self) -> None:
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError("desired_retention must be strictly between 0 and 1")
        if self.maximum_interval_days < 1:
            raise ValueError("maximum_interval_days must be >= 1")
        if any(step <= 0 for step in (*self.learning_steps, *self.relearning_steps)):
            raise ValueError("learning and relearning steps must be positive seconds")
        if self.leech_threshold < 1:
            raise ValueError("leech_threshold must be >= 1")
        if self.leech_action not in LEECH_ACTIONS:
            raise ValueError(f"leech_action must be one of {', '.join(LEECH_ACTIONS)}")
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


def _scheduler(settings: SchedulerSettings) -> Scheduler:
    return _py_fsrs_scheduler(
        settings.effective_parameters,
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval_days,
    )


@functools.lru_cache(maxsize=64)
def _py_fsrs_scheduler(
    parameters: tuple[float, ...],
    desired_retention: float,
    learning_steps: tuple[int, ...],
    relearning_steps: tuple[int, ...],
    maximum_interval_days: int,
) -> Scheduler:
    # Fuzzing is always off inside py-fsrs: it would draw from the global random module.
    return Scheduler(
        parameters=parameters,
        desired_retention=desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in relearning_steps),
        maximum_interval=maximum_interval_days,
        enable_fuzzing=False,
    )


def _elapsed_days(snapshot: CardSnapshot, now: datetime, clock: StudyClock | None) -> int | None:
    if snapshot.last_review is None:
        return None
    if clock is None:
        return (now - snapshot.last_review).days
    return max(0, clock.days_between(snapshot.last_review, now))


def _to_card(
    snapshot: CardSnapshot, *, now: datetime, card_key: int, clock: StudyClock | None = None
) -> Card:
    if snapshot.state is CardState.NEW:
        return Card(card_id=card_key, state=State.Learning, step=0, due=snapshot.due or now)
    last_review = snapshot.last_review
    if clock is not None and last_review is not None:
        # py-fsrs reads last_review only to count whole days since it; hand it the
        # moment that many study days before now.
        last_review = now - timedelta(days=_elapsed_days(snapshot, now, clock) or 0)
    return Card(
        card_id=card_key,
        state=_TO_FSRS_STATE[snapshot.state],
        step=snapshot.step,
        stability=snapshot.stability,
        difficulty=snapshot.difficulty,
        due=snapshot.due or now,
        last_review=last_review,
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
    """Anki's rule: at ``threshold`` lapses, then every ``ceil(threshold / 2)`` more."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(math.ceil(threshold / 2), 1) == 0


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
    clock = settings.clock
    card_before = _to_card(snapshot, now=now, card_key=card_key, clock=clock)
    retrievability_before = float(scheduler.get_card_retrievability(card_before, now))
    card_after, _ = scheduler.review_card(card_before, Rating(rating), now)
    assert card_after.stability is not None and card_after.difficulty is not None
    if snapshot.state is CardState.NEW and not settings.initial_offset.is_zero:
        card_after.stability, card_after.difficulty = settings.initial_offset.apply(
            card_after.stability, card_after.difficulty
        )
        if card_after.state is State.Review:
            # py-fsrs set the interval from the stability before the offset.
            card_after.due = now + timedelta(
                days=scheduler._next_interval(stability=card_after.stability)
            )

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
    if clock is not None and state_after is CardState.REVIEW:
        # A review interval counts study days: due when the n-th next day starts.
        interval_days = max(1, round((due - now).total_seconds() / 86400))
        due = clock.day_start(clock.day(now) + timedelta(days=interval_days))

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
        suspended=snapshot.suspended or (leech and settings.leech_action == "suspend"),
        leech=snapshot.leech or leech,
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
        elapsed_days=_elapsed_days(snapshot, now, clock),
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


def replay_steps(
    reviews: Sequence[tuple[int, datetime]],
    *,
    settings: SchedulerSettings,
    card_key: int,
    events: Sequence[CardEvent] = (),
) -> tuple[list[tuple[CardSnapshot, CardSnapshot]], CardSnapshot]:
    """One replay of a card's log: the snapshot just before and just after each
    review, in replay order, and the card's final snapshot.

    Reviews are sorted by time (stable, so equal timestamps keep their given order)
    and applied with :func:`review` from a new card. ``events`` (a learner's suspend
    and unsuspend) are applied at their moments, after any review at the same moment;
    the final snapshot includes the events after the last review. Raises
    ``ValueError`` for a bad rating or a naive datetime.
    """
    normalised = [(rating, as_utc(at, name="reviewed_at")) for rating, at in reviews]
    normalised.sort(key=lambda pair: pair[1])
    pending = sorted(events, key=lambda event: event.at)
    snapshot = CardSnapshot()
    steps: list[tuple[CardSnapshot, CardSnapshot]] = []
    index = 0
    for rating, reviewed_at in normalised:
        while index < len(pending) and pending[index].at < reviewed_at:
            snapshot = _apply_event(snapshot, pending[index])
            index += 1
        after = review(
            snapshot, rating, now=reviewed_at, settings=settings, card_key=card_key
        ).snapshot
        steps.append((snapshot, after))
        snapshot = after
    for event in pending[index:]:
        snapshot = _apply_event(snapshot, event)
    return steps, snapshot


def replay_history(
    reviews: Sequence[tuple[int, datetime]],
    *,
    settings: SchedulerSettings,
    card_key: int,
    events: Sequence[CardEvent] = (),
) -> list[tuple[CardSnapshot, CardSnapshot]]:
    """The snapshot just before and just after each review, in replay order
    (:func:`replay_steps`' first part)."""
    return replay_steps(reviews, settings=settings, card_key=card_key, events=events)[0]


def _apply_event(snapshot: CardSnapshot, event: CardEvent) -> CardSnapshot:
    return dataclasses.replace(snapshot, suspended=event.kind == "suspend")


def replay(
    reviews: Sequence[tuple[int, datetime]],
    *,
    settings: SchedulerSettings,
    card_key: int,
    events: Sequence[CardEvent] = (),
) -> CardSnapshot:
    """Rebuild a card's snapshot from its whole log of ``(rating, reviewed_at)`` pairs
    and the learner's suspend/unsuspend ``events`` (:func:`replay_steps`' second part).

    The result equals reviewing one by one in time order with each event applied at
    its moment (events after the last review included). Used to merge logs recorded
    offline on several devices. Raises ``ValueError`` for a bad rating or a naive
    datetime.
    """
    return replay_steps(reviews, settings=settings, card_key=card_key, events=events)[1]


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
    card = _to_card(snapshot, now=now, card_key=0, clock=settings.clock)
    return float(_scheduler(settings).get_card_retrievability(card, now))


def forgetting_curve(settings: SchedulerSettings) -> tuple[float, float]:
    """``(factor, decay)`` of the FSRS-6 forgetting curve these settings use:
    :func:`retrievability` is ``(1 + factor * elapsed_days / stability) ** decay``
    with ``elapsed_days`` the whole days since the last review (at least 0).
    For computing it where the cards are (in SQL) with the same constants.
    """
    scheduler = _scheduler(settings)
    return float(scheduler._FACTOR), float(scheduler._DECAY)
