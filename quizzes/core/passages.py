"""Clean and segment source texts into decks of study passages.

Public entry point of the text-preparation core; the implementation lives in
:mod:`quizzes.core.text` (one module per concern) and is re-exported here.
Pure Python: no Django, no ORM, no clock, no network.
"""

from quizzes.core.text import (
    DroppedText,
    PassageLimits,
    PreparedDeck,
    PreparedPassage,
    PreparedSource,
    WordStats,
    analyse,
    count_words,
    detect_layout,
    ends_sentence,
    fold_for_matching,
    harmonise_hyphenation,
    join_hyphenated,
    normalise_line,
    normalise_text,
    prepare_source,
    reflow,
    repair_spacing,
    split_passages,
    split_sentences,
    strip_footnote_markers,
    strip_footnote_sequence,
)

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
    "normalise_line",
    "normalise_text",
    "prepare_source",
    "reflow",
    "repair_spacing",
    "split_passages",
    "split_sentences",
    "strip_footnote_markers",
    "strip_footnote_sequence",
]
