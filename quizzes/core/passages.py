"""Clean and segment source texts into decks of study passages.

Public entry point of the text-preparation core; the implementation lives in
:mod:`quizzes.core.text` (one module per concern) and is re-exported here.
Pure Python: no Django, no ORM, no clock, no network.
"""

from quizzes.core import text as _text
from quizzes.core.text import *  # noqa: F403

__all__ = list(_text.__all__)
