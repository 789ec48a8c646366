"""The line model shared by the layout readers, and small predicates on lines.

Patterns here describe typography (sentence ends, bullets, markdown headings,
CHAPTER/PART labels), never a particular source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizzes.core.text.hyphens import WordStats
from quizzes.core.text.normalise import count_words, normalise_line, split_lines
from quizzes.core.text.types import DroppedText

__all__ = [
    "BULLET",
    "CHAPTER_LABEL",
    "CITATION_END",
    "CLOSERS",
    "CONCLUSION_HEADING",
    "DeckDraft",
    "ELISION",
    "INTRODUCTION_HEADING",
    "LOOSE_END",
    "Line",
    "MARKDOWN_HEADING",
    "PART_LABEL",
    "SENTENCE_END",
    "Structure",
    "TRAILING_NOTE",
    "Unit",
    "chapter_number",
    "detect_layout",
    "dropped_record",
    "ends_clause",
    "ends_sentence",
    "is_title_like",
    "line_measure",
    "starts_continuation",
    "starts_upper",
    "strip_trailing_note",
    "to_lines",
]

CLOSERS = "\"'\u201d\u2019)\\]"
SENTENCE_END = re.compile(rf"[.!?\u2026][{CLOSERS}]*$")
LOOSE_END = re.compile(rf"[.!?\u2026:;,][{CLOSERS}]*$")
TRAILING_NOTE = re.compile(r"(?<=[.!?,;:\u201d\u2019\"')\]])\d{1,3}$")
BULLET = re.compile(
    r"^(?:[\u2022\u25cf\u25aa\u2023\u25e6*\u2013\u2014-]\s|\d{1,2}[.)]\s|[a-z][.)]\s)"
)
ELISION = re.compile(r"^[\[(]?(?:\u2026|\.\.\.)[\])]?$")
CITATION_END = re.compile(rf"[.!?\u2026][{CLOSERS}]*\s*\([^()]{{1,80}}\)\.?$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
CHAPTER_LABEL = re.compile(
    r"^chapter\s+(?P<number>\d{1,3}|[ivxlc]+|[a-z]+(?:[- ][a-z]+)?)\.?"
    r"(?:\s*[:.\u2013\u2014-]\s*(?P<title>.+))?$",
    re.IGNORECASE,
)
PART_LABEL = re.compile(r"^part\s+(?:\d{1,2}|[ivx]+|[a-z]+)\.?$", re.IGNORECASE)
INTRODUCTION_HEADING = re.compile(r"^(?:introduction|prologue)(?::\s.+)?$", re.IGNORECASE)
CONCLUSION_HEADING = re.compile(
    r"^(?:conclusions?|epilogue|afterword|postscript)(?::\s.+)?$", re.IGNORECASE
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


@dataclass(frozen=True)
class Line:
    """One physical line: normalised text, 1-based number, raw leading white space."""

    text: str
    number: int
    indented: bool


@dataclass
class Unit:
    """A heading or a paragraph of running text."""

    kind: str  # "heading" or "paragraph"
    text: str
    line: int


@dataclass
class DeckDraft:
    """A deck before passages are cut."""

    title: str
    label: str = ""
    part: str = ""
    units: list[Unit] = field(default_factory=list)


@dataclass
class Structure:
    """What :func:`analyse` found: decks, furniture removed, metadata."""

    layout: str
    title: str
    author: str
    metadata: dict[str, str]
    decks: list[DeckDraft]
    dropped: list[DroppedText]
    stats: WordStats


def to_lines(text: str) -> list[Line]:
    """Split and normalise a raw text; remember which lines began with white space."""
    raw_lines = split_lines(text)
    return [
        Line(normalise_line(raw), number, raw[:1] in (" ", "\t", "\u00a0") and bool(raw.strip()))
        for number, raw in enumerate(raw_lines, start=1)
    ]


def strip_trailing_note(line: str) -> str:
    """Remove a note number after closing punctuation at the end: "Marx.13" -> "Marx."."""
    return TRAILING_NOTE.sub("", line)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with . ! ? or … optionally followed by closing quotes.

    A source citation in brackets after the sentence end also counts:
    '… for three years.” (From Lenin to Stalin, page 42)'.
    """
    text = text.rstrip()
    return bool(SENTENCE_END.search(text) or CITATION_END.search(text))


def ends_clause(text: str) -> bool:
    """True when ``text`` ends with . ! ? … : ; or , (a note number after it ignored)."""
    return bool(LOOSE_END.search(strip_trailing_note(text)))


def starts_continuation(text: str) -> bool:
    """True when ``text`` can only continue a sentence (lower case, dash, comma ...)."""
    first = text[:1]
    return first.islower() or first in ",;:)]\u2013\u2014-" or text.startswith("\u2026")


def starts_upper(text: str) -> bool:
    """True when ``text`` starts with a capital or digit, after opening quotes."""
    stripped = text.lstrip("\"'\u201c\u2018([")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def dropped_record(reason: str, texts: Sequence[str]) -> DroppedText:
    """One :class:`DroppedText` for the given lines, with an 80-character sample."""
    joined = " ".join(text for text in texts if text)
    sample = joined if len(joined) <= 80 else joined[:77] + "..."
    return DroppedText(reason=reason, words=count_words(joined), sample=sample)


def detect_layout(lines: Sequence[str]) -> str:
    """ "hard" for text wrapped at a fixed measure, "soft" for one line per paragraph.

    Heuristic: hard-wrapped text has most lines close to one length (its measure),
    rarely over 100 characters, and many lines directly followed by another line.
    """
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 8:
        return "soft"
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    adjacent = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a and b)
    if p90 <= 100 and adjacent >= 0.3 * len(lengths):
        return "hard"
    return "soft"


def line_measure(lines: Sequence[Line]) -> int:
    """The line length of the text: the 90th percentile, or the longest of few lines."""
    lengths = sorted(len(line.text) for line in lines if line.text)
    if len(lengths) < 10:
        return lengths[-1] if lengths else 80
    return lengths[int(len(lengths) * 0.9) - 1]


def is_title_like(
    text: str, *, max_words: int = 15, max_chars: int = 120, allow_quote: bool = False
) -> bool:
    """Could ``text`` be a title or heading: short, capitalised, no closing , . ; : !."""
    return (
        bool(text)
        and count_words(text) <= max_words
        and len(text) <= max_chars
        and starts_upper(text)
        and (allow_quote or text[0] not in "\"'\u201c\u2018")
        and not BULLET.match(text)
        and not re.search(r"[.,;:!]$", text)
    )


def chapter_number(token: str) -> int | None:
    """3 for "3", "three" or "III"; None when the token is not a number."""
    token = token.casefold()
    if token.isdigit():
        return int(token)
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    if set(token) <= set(_ROMAN):
        total = 0
        for index, char in enumerate(token):
            value = _ROMAN[char]
            following = _ROMAN[token[index + 1]] if index + 1 < len(token) else 0
            total += -value if value < following else value
        return total
    return None
