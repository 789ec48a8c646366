"""Removal of footnote reference numbers fused to the text ("Programme16 (1875)").

The notes themselves are usually gone (PDF and web extraction lose them), but their
superscript reference numbers survive glued to words and punctuation. A bare regex
would also eat real numbers ("62.4 million", "1877–8", "Article 58"), so markers are
removed *in sequence*: notes are numbered 1, 2, 3, ... within a chapter, and a
candidate is removed only when it is the next expected number (a few may be lost to
OCR, so up to three may be skipped). A real number almost never happens to equal the
next note number at the right place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["FootnoteResult", "strip_footnote_markers", "strip_footnote_sequence"]

# A number fused to the end of a word or to closing punctuation, followed by space,
# punctuation or the end of the paragraph.
_CANDIDATE = re.compile(
    r"(?<=[A-Za-z\u00c0-\u024f.,;:!?\u201d\u2019\"')\]])"
    r"(\d{1,3})"
    r"(?=[\s.,;:)\]\u201d\u2019]|$)"
)
_OCR_CANDIDATE = re.compile(r"(?<=[.,;:!?\u201d\u2019)])([Il]\d)(?=\s|$)")
_BRACKETED = re.compile(r"\s?\[(\d{1,3})\]")
_MAX_SKIP = 3
_MAX_SKIP_STRONG = 12


@dataclass
class FootnoteResult:
    """Cleaned paragraphs, removed markers (as "word16"), the last note number seen."""

    paragraphs: list[str]
    removed: list[str] = field(default_factory=list)
    last_number: int = 0
    standalone: int = 0  # markers that were words of their own ("text [3] more")


def _is_decimal(text: str, start: int, end: int) -> bool:
    # "62.4 million", "3.5 per cent": digit, point, digits, then a lower-case word.
    return (
        start >= 2
        and text[start - 1] == "."
        and text[start - 2].isdigit()
        and bool(re.match(r"\s+[a-z%]", text[end:]))
    )


def _is_strong(text: str, start: int, end: int) -> bool:
    # Fused after a letter or closing punctuation and followed by a new sentence or
    # the end of the paragraph: the typical place of a note reference.
    rest = text[end:]
    return rest.strip() == "" or bool(re.match(r"\s+[A-Z\u201c\"(]", rest))


def strip_footnote_sequence(paragraphs: Sequence[str], start: int = 0) -> FootnoteResult:
    """Remove footnote markers from consecutive paragraphs of one numbering unit.

    ``start`` is the last note number already seen (0 at a chapter start).
    Guarantees: only a candidate equal to one of the next expected numbers is removed
    (``last < n <= last + 3``, or ``+ 12`` at a clear sentence end); bracketed markers
    "[3]" are always removed; decimals such as "62.4 million" are never touched.
    """
    result = FootnoteResult(paragraphs=[], last_number=start)
    for paragraph in paragraphs:
        pieces: list[str] = []
        position = 0
        matches = sorted(
            [*_CANDIDATE.finditer(paragraph), *_OCR_CANDIDATE.finditer(paragraph)],
            key=lambda found: found.start(),
        )
        for match in matches:
            begin, end = match.span(1)
            digits = match.group(1)
            # "STR.I6": OCR read the superscript 1 of note 16 as a capital I.
            number = int("1" + digits[1:]) if digits[0] in "Il" else int(digits)
            if _is_decimal(paragraph, begin, end):
                continue
            last = result.last_number
            limit = _MAX_SKIP_STRONG if _is_strong(paragraph, begin, end) else _MAX_SKIP
            if last < number <= last + limit:
                word_start = max(paragraph.rfind(" ", 0, begin) + 1, 0)
                result.removed.append(paragraph[word_start:end])
                pieces.append(paragraph[position:begin])
                position = end
                result.last_number = number
        pieces.append(paragraph[position:])
        cleaned = "".join(pieces)
        for match in _BRACKETED.finditer(cleaned):
            result.removed.append(match.group(0).strip())
            after = cleaned[match.end() : match.end() + 1]
            if match.group(0)[0].isspace() and (not after or after.isspace()):
                result.standalone += 1
            result.last_number = max(result.last_number, int(match.group(1)))
        result.paragraphs.append(_BRACKETED.sub("", cleaned))
    return result


def strip_footnote_markers(text: str, start: int = 0) -> str:
    """Remove footnote markers from one text (see module docstring).

    ``start`` is the last note number seen before this text (0: notes start at 1).

    "Gotha Programme16 (1875)" -> "Gotha Programme (1875)"; "62.4 million",
    "1877-8", "in 1921." and "Article 58" are unchanged.
    """
    return "\n\n".join(strip_footnote_sequence(text.split("\n\n"), start).paragraphs)
