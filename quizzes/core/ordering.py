"""How an attempt shows its questions and options: shuffled, but the same every time.

Pure code. The random generators are seeded by the attempt id, so a reload, another
device or the grader all see one order, and two attempts usually see different ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

SHUFFLED_KINDS = frozenset({"multiple_choice"})


def question_order(*, attempt_id: int, items: Sequence[T], shuffle: bool) -> list[T]:
    """`items` (in quiz-set order), shuffled by the attempt's seed when `shuffle`."""
    ordered = list(items)
    if shuffle:
        random.Random(f"attempt:{attempt_id}:questions").shuffle(ordered)
    return ordered


def option_order(
    *, attempt_id: int, question_id: int, kind: str, choices: Sequence[str], shuffle: bool
) -> list[str]:
    """The options as the student sees them; true/false keeps its natural order."""
    ordered = list(choices)
    if shuffle and kind in SHUFFLED_KINDS:
        random.Random(f"attempt:{attempt_id}:question:{question_id}").shuffle(ordered)
    return ordered
