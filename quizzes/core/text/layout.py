"""From normalised lines to decks of headings and paragraphs.

Two layouts are recognised from the text itself (:func:`detect_layout`):

* **soft**: one physical line per paragraph (web pages, markdown exports). A line
  that stops without terminal punctuation continues on the next non-blank line
  (a PDF page break copied into a web page).
* **hard**: lines wrapped at a fixed measure (OCR and PDF text). Paragraphs are
  rebuilt by :func:`reflow`; blank lines are not trusted (page breaks insert them
  inside sentences and drop them before headings), so every boundary is decided
  from punctuation, case and line length.

Books (a hard or soft text with at least two ``CHAPTER`` lines) are cut into one
deck per chapter-level unit: an unlabelled Introduction before the first chapter,
each chapter, and an unlabelled Conclusion after the last one.
"""

from __future__ import annotations

from quizzes.core.text.lines import (
    DeckDraft,
    Line,
    Structure,
    Unit,
    detect_layout,
    ends_sentence,
    to_lines,
)
from quizzes.core.text.printed import HardReader, read_hard
from quizzes.core.text.web import read_soft

__all__ = [
    "DeckDraft",
    "Line",
    "Structure",
    "Unit",
    "analyse",
    "detect_layout",
    "ends_sentence",
    "reflow",
]


def analyse(text: str, *, title: str = "", author: str = "") -> Structure:
    """Find layout, furniture, decks, headings and paragraphs of a raw text."""
    lines = to_lines(text)
    layout = detect_layout([line.text for line in lines])
    if layout == "hard":
        return read_hard(lines, title, author)
    return read_soft(lines, title, author)


def reflow(text: str) -> str:
    """Rebuild paragraphs of a hard-wrapped text; paragraphs separated by a blank line.

    Headings stay on their own line; running heads, page numbers and figure legends
    are removed so that the sentence they interrupt is joined again.

    Guarantees: no paragraph is split inside a sentence at a page break (a blank-line
    run after a line without closing punctuation, or before a lower-case line, is
    joined); words split at a line end are rejoined by
    :func:`~quizzes.core.text.hyphens.join_line_pair`.
    """
    lines = to_lines(text)
    reader = HardReader(lines)
    reader.mark_page_furniture()
    reader.mark_figures()
    units = reader.read_units(0, len(lines), reader.stats)
    return "\n\n".join(unit.text for unit in units)
