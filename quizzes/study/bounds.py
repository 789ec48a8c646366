"""The range of every study setting, enforced on input and again when stored values are read.

The API refuses values outside these bounds with a 400 naming the field. Rows
stored before the bounds existed (or written by other means) are clamped into
them when read, so one absurd value can never break a learner's or their
teacher's pages.
"""

from __future__ import annotations

import math
from typing import Any

from quizzes.core.scheduling import check_parameters

DESIRED_RETENTION = (0.7, 0.99)
NEW_PER_DAY = (0, 9999)
MAXIMUM_INTERVAL_DAYS = (1, 36500)
#: Each learning or relearning step, in seconds: one second to 30 days.
STEP_SECONDS = (1, 30 * 86400)
MAX_STEPS = 10
LEECH_THRESHOLD = (1, 99)

#: Reviews older than this (about five years) are refused: no device stays
#: offline that long, and the dates a scheduler can work with end somewhere.
REVIEW_MAX_AGE_DAYS = 1830
#: A review's duration: up to a day.
DURATION_MS = (0, 24 * 3600 * 1000)
#: Largest id that fits the database's id columns.
MAX_ID = 2**63 - 1

DEFAULT_LEARNING_STEPS = (60, 600)
DEFAULT_RELEARNING_STEPS = (600,)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return math.copysign(math.inf, value)
    return None if math.isnan(number) else number


def clamp_number(value: Any, bounds: tuple[float, float], default: float) -> float:
    number = _number(value)
    if number is None:
        return default
    low, high = bounds
    return min(max(number, low), high)


def clamp_int(value: Any, bounds: tuple[int, int], default: int) -> int:
    number = clamp_number(value, bounds, default)
    return int(round(number))


def clamp_steps(value: Any, default: tuple[int, ...]) -> tuple[int, ...]:
    """Steps as whole seconds within STEP_SECONDS, at most MAX_STEPS.

    No steps (graduate at once) stays no steps; a value that is not a list, or a
    list of nothing but non-numbers, gives the default.
    """
    if not isinstance(value, list | tuple):
        return default
    if not value:
        return ()
    steps = tuple(clamp_int(step, STEP_SECONDS, 0) for step in value if _number(step) is not None)[
        :MAX_STEPS
    ]
    return steps or default


def clamp_parameters(value: Any) -> tuple[float, ...] | None:
    """Stored FSRS weights if they are valid, else None (the defaults)."""
    if not value or not isinstance(value, list | tuple):
        return None
    try:
        parameters = tuple(float(p) for p in value)
        check_parameters(parameters)
    except (TypeError, ValueError, OverflowError):
        return None
    return parameters
