"""Writes for spaced repetition, re-exported by sub-domain."""

from .batch import due_reminder_send, study_day_rollup, study_days_rollup
from .parameters import parameter_import_create, parameter_import_run, parameters_optimise
from .reviews import (
    CLOCK_SKEW,
    ReviewInput,
    ReviewResult,
    SyncResult,
    UndoResult,
    card_suspend,
    card_unsuspend,
    review_record,
    review_sync,
    review_undo,
    study_settings_get_or_create,
    study_settings_update,
)

__all__ = [
    "CLOCK_SKEW",
    "ReviewInput",
    "ReviewResult",
    "SyncResult",
    "UndoResult",
    "card_suspend",
    "card_unsuspend",
    "due_reminder_send",
    "parameter_import_create",
    "parameter_import_run",
    "parameters_optimise",
    "review_record",
    "review_sync",
    "review_undo",
    "study_day_rollup",
    "study_days_rollup",
    "study_settings_get_or_create",
    "study_settings_update",
]
