"""Pure-Python text preparation: clean, structure and segment source texts.

Dependency direction: this package imports only the standard library; Django, the
ORM and the import service call it, never the other way round.
"""

from quizzes.core.text.footnotes import strip_footnote_markers, strip_footnote_sequence
from quizzes.core.text.hyphens import WordStats, harmonise_hyphenation, join_hyphenated
from quizzes.core.text.layout import analyse, detect_layout, ends_sentence, reflow
from quizzes.core.text.markup import looks_like_html, strip_html
from quizzes.core.text.normalise import (
    count_words,
    fold_for_matching,
    normalise_line,
    normalise_text,
    repair_spacing,
)
from quizzes.core.text.pipeline import prepare_source
from quizzes.core.text.segment import PassageLimits, split_passages, split_sentences
from quizzes.core.text.types import DroppedText, PreparedDeck, PreparedPassage, PreparedSource

__all__ = [
    "DroppedText",
    "PassageLimits",
    "PreparedDeck",
    "PreparedPassage",
    "PreparedSource",
    "WordStats",
    "analyse",
    "count_words",
    "detect_layout",
    "ends_sentence",
    "fold_for_matching",
    "harmonise_hyphenation",
    "join_hyphenated",
    "looks_like_html",
    "normalise_line",
    "normalise_text",
    "prepare_source",
    "reflow",
    "repair_spacing",
    "split_passages",
    "split_sentences",
    "strip_footnote_markers",
    "strip_footnote_sequence",
    "strip_html",
]
