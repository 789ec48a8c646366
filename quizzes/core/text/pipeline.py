"""``prepare_source``: raw text in, decks of passages out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from quizzes.core.text.footnotes import strip_footnote_sequence
from quizzes.core.text.hyphens import WordStats, harmonise_hyphenation
from quizzes.core.text.layout import DeckDraft, analyse
from quizzes.core.text.normalise import count_words, repair_spacing
from quizzes.core.text.segment import PassageLimits, split_passages
from quizzes.core.text.types import (
    DroppedText,
    PreparedDeck,
    PreparedPassage,
    PreparedSource,
)

__all__ = ["HEADING_SEPARATOR", "TINY_SECTION_WORDS", "prepare_source"]

HEADING_SEPARATOR = " \u203a "
# A section shorter than this is folded into the next one (its heading becomes the
# parent of the next heading), or into the previous one at the end of a deck.
TINY_SECTION_WORDS = 60


@dataclass
class _Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(count_words(paragraph) for paragraph in self.paragraphs)


def _sections(deck: DeckDraft, paragraphs: list[str], default_heading: str) -> list[_Section]:
    """Group a deck's paragraphs under their headings.

    Text before the first heading goes under ``default_heading``. A heading with no
    text of its own ("The economics of NEP") becomes the parent of the next one
    ("The economics of NEP › Prodnalog, food policy ..."); so does a section under
    ``TINY_SECTION_WORDS`` words, whose text then opens the next section. A tiny
    last section joins the previous one.
    """
    sections: list[_Section] = []
    current = _Section(default_heading)
    parents: list[str] = []
    texts = iter(paragraphs)
    for unit in deck.units:
        if unit.kind == "heading":
            if current.paragraphs:
                sections.append(current)
                parents = []
            elif current.heading != default_heading:
                # a container heading without text of its own
                parents.append(current.heading.split(HEADING_SEPARATOR)[-1])
            current = _Section(HEADING_SEPARATOR.join([*parents[-1:], unit.text]))
        else:
            current.paragraphs.append(next(texts))
    if current.paragraphs:
        sections.append(current)
    merged: list[_Section] = []
    carry: _Section | None = None
    for section in sections:
        if carry is not None:
            section = _Section(
                HEADING_SEPARATOR.join(
                    [carry.heading, section.heading.split(HEADING_SEPARATOR)[-1]]
                ),
                carry.paragraphs + section.paragraphs,
            )
            carry = None
        if section.words < TINY_SECTION_WORDS:
            carry = section
            continue
        merged.append(section)
    if carry is not None:
        if merged:
            merged[-1].paragraphs.extend(carry.paragraphs)
        else:
            merged.append(carry)
    return merged


def _passage(order: int, heading: str, text: str) -> PreparedPassage:
    return PreparedPassage(
        order=order,
        heading=heading,
        text=text,
        word_count=count_words(text),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def prepare_source(
    raw: str,
    *,
    title: str = "",
    author: str = "",
    limits: PassageLimits | None = None,
) -> PreparedSource:
    """Clean, structure and segment one source text.

    Guarantees:

    * decks come in document order: one per article, or one per chapter-level unit of
      a book (Introduction, each CHAPTER, Conclusion), titled with the printed title;
    * passages keep their section heading (a heading without text of its own is joined
      to the next one with " › "), follow document order, never cross a deck, and
      break only at paragraph or sentence boundaries;
    * what is not running text (comment threads, captions, running heads, page
      numbers, figures, front and back matter, epigraphs, footnote markers) is listed
      in ``dropped``; titles, bylines and stand-firsts go to ``metadata``;
    * ``title``/``author`` given by the caller win over what is found in the text.

    Raises ``ValueError`` only when nothing remains after cleaning.
    """
    if not isinstance(raw, str):
        raise TypeError("raw must be a str")
    structure = analyse(raw, title=title, author=author)
    dropped: list[DroppedText] = list(structure.dropped)

    # Footnote markers, numbered per deck, then document-wide hyphen harmonisation.
    cleaned_decks: list[list[str]] = []
    for deck in structure.decks:
        paragraphs = [unit.text for unit in deck.units if unit.kind == "paragraph"]
        result = strip_footnote_sequence(paragraphs)
        if result.removed:
            alone = result.standalone
            sample = ", ".join(result.removed[:5]) + (", ..." if len(result.removed) > 5 else "")
            dropped.append(DroppedText("footnote number", alone, sample, count=len(result.removed)))
        cleaned_decks.append(result.paragraphs)
    stats = WordStats.from_text("\n".join(p for deck in cleaned_decks for p in deck))
    cleaned_decks = [
        [repair_spacing(harmonise_hyphenation(p, stats)) for p in deck] for deck in cleaned_decks
    ]

    source_title = title.strip() or structure.title.strip()
    decks: list[PreparedDeck] = []
    warnings: list[str] = []
    for deck, paragraphs in zip(structure.decks, cleaned_decks, strict=True):
        deck_title = deck.title.strip() or source_title or "Untitled text"
        has_headings = any(unit.kind == "heading" for unit in deck.units)
        default = "Introduction" if has_headings and not deck.label else deck_title
        passages: list[PreparedPassage] = []
        for section in _sections(deck, paragraphs, default):
            for text in split_passages(section.paragraphs, limits):
                passages.append(_passage(len(passages) + 1, section.heading, text))
        if not passages:
            warnings.append(f"deck {deck_title!r} has no text and was left out")
            continue
        decks.append(
            PreparedDeck(
                order=len(decks) + 1,
                title=deck_title,
                passages=tuple(passages),
                label=deck.label,
                part=deck.part,
            )
        )
    words_in = count_words(raw)
    if not decks:
        raise ValueError(
            f"The text is empty after cleaning: none of its {words_in} words is running "
            "text (everything was recognised as titles, bylines, comments or other furniture)."
            if words_in
            else "The text is empty."
        )
    metadata = dict(structure.metadata)
    metadata["layout"] = structure.layout
    return PreparedSource(
        title=source_title or (decks[0].title if len(decks) == 1 else "Untitled text"),
        author=author.strip() or structure.author,
        metadata=metadata,
        decks=tuple(decks),
        dropped=tuple(dropped),
        words_in=words_in,
        words_kept=sum(deck.word_count for deck in decks),
        words_in_headings=sum(
            count_words(unit.text)
            for deck in structure.decks
            for unit in deck.units
            if unit.kind == "heading"
        ),
        warnings=tuple(warnings),
    )
