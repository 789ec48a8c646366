"""Writes for teaching: quiz sets, assignments, attempts (re-exported here)."""

from .assignments import assignment_create
from .attempts import (
    attempt_close,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
    response_save,
)
from .quiz_sets import quiz_set_create, quiz_set_draw

__all__ = [
    "assignment_create",
    "attempt_close",
    "attempt_start",
    "attempt_submit",
    "attempts_close_overdue",
    "quiz_set_create",
    "quiz_set_draw",
    "response_save",
]
