"""Conversions between CardState rows, core snapshots and the JSON kept in the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quizzes.core.scheduling import CardSnapshot, SchedulerSettings

from . import bounds
from .days import study_clock
from .models import CardState, StudySettings

SNAPSHOT_FIELDS = (
    "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
    "suspended", "leech",
)  # fmt: skip


def snapshot_from_card(card: CardState | None) -> CardSnapshot:
    """The core snapshot of a row (a new card when there is no row)."""
    if card is None:
        return CardSnapshot()
    return CardSnapshot(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
        suspended=card.suspended,
        leech=card.leech,
    )


def snapshot_apply(card: CardState, snapshot: CardSnapshot) -> None:
    """Copy a snapshot onto a row (not saved)."""
    for name in SNAPSHOT_FIELDS:
        value = getattr(snapshot, name)
        setattr(card, name, value.value if name == "state" else value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def snapshot_to_json(snapshot: CardSnapshot) -> dict[str, Any]:
    """A JSON-safe dict that :func:`snapshot_from_json` turns back into the same snapshot.

    Floats survive exactly (JSON keeps the shortest repr that round-trips).
    """
    return {
        "state": snapshot.state.value,
        "step": snapshot.step,
        "stability": snapshot.stability,
        "difficulty": snapshot.difficulty,
        "due": _iso(snapshot.due),
        "last_review": _iso(snapshot.last_review),
        "reps": snapshot.reps,
        "lapses": snapshot.lapses,
        "suspended": snapshot.suspended,
        "leech": snapshot.leech,
    }


def snapshot_from_json(data: dict[str, Any]) -> CardSnapshot:
    def when(key: str) -> datetime | None:
        value = data.get(key)
        return None if value is None else datetime.fromisoformat(value)

    return CardSnapshot(
        state=data["state"],
        step=data.get("step"),
        stability=data.get("stability"),
        difficulty=data.get("difficulty"),
        due=when("due"),
        last_review=when("last_review"),
        reps=int(data.get("reps", 0)),
        lapses=int(data.get("lapses", 0)),
        suspended=bool(data.get("suspended", False)),
        leech=bool(data.get("leech", False)),
    )


def scheduler_settings_for(
    study_settings: StudySettings | None, *, user: Any = None
) -> SchedulerSettings:
    """The core's settings for a learner (the defaults when they have no settings row).

    Days are the learner's study days (:func:`~quizzes.study.days.study_clock`); pass
    ``user`` when it is at hand, otherwise ``study_settings.user`` is read. Stored values
    are clamped into `bounds` (invalid FSRS weights fall back to the defaults), so a row
    saved with an absurd value still schedules.
    """
    if user is None and study_settings is not None:
        user = study_settings.user
    clock = study_clock(user, study_settings)
    if study_settings is None:
        return SchedulerSettings(clock=clock)
    defaults = SchedulerSettings()
    return SchedulerSettings(
        desired_retention=bounds.clamp_number(
            study_settings.desired_retention, bounds.DESIRED_RETENTION, defaults.desired_retention
        ),
        maximum_interval_days=bounds.clamp_int(
            study_settings.maximum_interval_days,
            bounds.MAXIMUM_INTERVAL_DAYS,
            defaults.maximum_interval_days,
        ),
        learning_steps=bounds.clamp_steps(
            study_settings.learning_steps, bounds.DEFAULT_LEARNING_STEPS
        ),
        relearning_steps=bounds.clamp_steps(
            study_settings.relearning_steps, bounds.DEFAULT_RELEARNING_STEPS
        ),
        parameters=bounds.clamp_parameters(study_settings.parameters),
        leech_threshold=bounds.clamp_int(
            study_settings.leech_threshold, bounds.LEECH_THRESHOLD, defaults.leech_threshold
        ),
        leech_action=study_settings.leech_action,
        clock=clock,
    )
