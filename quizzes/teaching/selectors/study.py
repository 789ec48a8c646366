"""Progress from the spaced-repetition app, read lazily so teaching works without it.

`quizzes.study.selectors` may not be installed yet (or may fail): then progress
is reported as unknown (None) rather than breaking a roster or an assignment list.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from accounts.models import User

logger = logging.getLogger(__name__)


def _study_function(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("quizzes.study.selectors")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


def deck_mastery_or_none(
    *, user: User, deck_ids: Sequence[int], now: datetime
) -> dict[int, dict[str, float]] | None:
    """`{deck_id: {"mastery", "seen"}}` for the user, or None when unknown."""
    function = _study_function("deck_mastery")
    if function is None or not deck_ids:
        return None
    try:
        return dict(function(user=user, deck_ids=list(deck_ids), now=now))
    except Exception:  # the other app's failure must not take this page down
        logger.exception("deck_mastery failed for user %s", user.pk)
        return None


def progress_summary_or_none(*, user: User, now: datetime) -> dict[str, Any] | None:
    """The user's /study/progress body, or None when unknown."""
    function = _study_function("progress_summary")
    if function is None:
        return None
    try:
        return function(user=user, now=now)
    except Exception:  # the other app's failure must not take this page down
        logger.exception("progress_summary failed for user %s", user.pk)
        return None
