"""Result types of text preparation: frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PreparedPassage:
    """One study passage: whole sentences of one section, about 120-300 words.

    ``content_hash`` is the SHA-256 hex digest of ``text`` (UTF-8), which is already
    normalised, so the same passage always gets the same hash.
    """

    order: int
    heading: str
    text: str
    word_count: int
    content_hash: str


@dataclass(frozen=True)
class PreparedDeck:
    """One deck: an article, or one chapter-level unit of a book.

    ``label`` is "Chapter 3", "Introduction" or "Conclusion" for book units and ""
    for articles; ``part`` is the book part the chapter belongs to, if printed.
    """

    order: int
    title: str
    passages: tuple[PreparedPassage, ...]
    label: str = ""
    part: str = ""

    @property
    def word_count(self) -> int:
        return sum(passage.word_count for passage in self.passages)


@dataclass(frozen=True)
class DroppedText:
    """Text removed because it is not the author's running text.

    ``words`` counts the white-space separated words removed; ``count`` is the number
    of occurrences folded into this record (footnote markers are reported once per
    deck, with ``count`` markers and ``words`` the markers that stood alone).
    """

    reason: str
    words: int
    sample: str
    count: int = 1


@dataclass(frozen=True)
class PreparedSource:
    """A cleaned, segmented source.

    ``words_in`` counts the words of the raw input; ``words_kept`` the words of all
    passages; ``words_in_headings`` the words of section headings (kept as passage
    headings, not as text). ``words_in - words_kept - words_in_headings`` is
    ``sum(d.words for d in dropped)`` up to words rejoined over line breaks
    ("socio-\\npolitical" is two words in, one word kept).
    """

    title: str
    author: str
    metadata: dict[str, str]
    decks: tuple[PreparedDeck, ...]
    dropped: tuple[DroppedText, ...]
    words_in: int
    words_kept: int
    warnings: tuple[str, ...] = field(default=())
    words_in_headings: int = 0

    @property
    def passage_count(self) -> int:
        return sum(len(deck.passages) for deck in self.decks)

    def dropped_words_by_reason(self) -> dict[str, int]:
        """Words dropped per reason, in order of first occurrence."""
        totals: dict[str, int] = {}
        for item in self.dropped:
            totals[item.reason] = totals.get(item.reason, 0) + item.words
        return totals
