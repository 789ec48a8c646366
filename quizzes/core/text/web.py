"""Reader for soft-wrapped text: one physical line per paragraph (web pages, markdown).

Finds the title, front matter (bylines, "Submitted by", stand-firsts and editorial
notes), comment threads, duplicated image captions, note sections and sign-offs by
their layout, then headings (short lines without closing punctuation, markdown
headings) and paragraphs. A line that stops without closing punctuation continues
on the next one (a PDF page break copied into a web page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from quizzes.core.text import furniture as fur
from quizzes.core.text.hyphens import WordStats
from quizzes.core.text.lines import (
    BULLET,
    ELISION,
    MARKDOWN_HEADING,
    DeckDraft,
    Line,
    Structure,
    Unit,
    dropped_record,
    ends_clause,
    is_title_like,
)
from quizzes.core.text.normalise import count_words
from quizzes.core.text.types import DroppedText

__all__ = ["read_soft"]


def read_soft(lines: list[Line], title: str, author: str) -> Structure:
    """Read a soft-wrapped text into one deck.

    Heuristics, each chosen because it follows from how web pages are laid out:

    * sign-off: everything after a "--" line in the last fifth (mail/forum signature);
    * comment thread: from the "Comments" header (or the user name) before the first
      relative date / "In reply to" after the body, when at least two comment-system
      lines follow; "Submitted by X on DATE" alone is not enough, because the same
      stamp is the article's byline above the body;
    * image caption: a short line printed twice in a row (alt text plus caption);
    * title: the first line if it is a markdown heading or short and unpunctuated;
    * front matter: before the first heading, text above a "Submitted by" stamp, a
      "By X" byline, and up to three opening paragraphs that name the author or use
      editorial framing ("We republish", "In this piece"), stopping at a double
      blank line (web exports separate the stand-first from the body that way);
    * headings: markdown headings, or lines of at most 12 words and 80 characters
      without closing punctuation (a question is a paragraph); a longer unpunctuated
      line after a double blank line is a lead-in heading;
    * paragraphs: one per line, except that a line without closing punctuation
      continues on the next one (PDF page breaks pasted into a page), "[…]" joins
      the two halves of a quotation and a short "– Name, Title" line joins the
      quotation it attributes.
    """
    page = _Page.of(lines)
    _drop_sign_off(page)
    _drop_comment_thread(page)
    _drop_image_captions(page)
    _drop_notes_and_courtesy(page)
    found_title = _take_title(page)
    found_author = _take_front_matter(page, author)
    deck = _headings_and_paragraphs(page, title or found_title)
    return Structure(
        layout="soft",
        title=found_title,
        author=found_author,
        metadata=page.metadata,
        decks=[deck],
        dropped=page.dropped,
        stats=WordStats.from_lines([line.text for line in lines]),
    )


@dataclass
class _Page:
    """The non-blank lines (each with the number of blank lines before it), which of
    them are still in the text, what was dropped and the metadata found."""

    entries: list[tuple[Line, int]]
    alive: list[bool]
    dropped: list[DroppedText] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: list[Line]) -> _Page:
        entries: list[tuple[Line, int]] = []
        blanks = 0
        for line in lines:
            if line.text:
                entries.append((line, blanks))
                blanks = 0
            else:
                blanks += 1
        return cls(entries=entries, alive=[True] * len(entries))

    def text(self, index: int) -> str:
        return self.entries[index][0].text

    def live(self) -> list[int]:
        return [i for i in range(len(self.entries)) if self.alive[i]]

    def drop(self, indices: Sequence[int], reason: str) -> None:
        chosen = [i for i in indices if self.alive[i]]
        if chosen:
            self.dropped.append(dropped_record(reason, [self.text(i) for i in chosen]))
            for i in chosen:
                self.alive[i] = False


def _drop_sign_off(page: _Page) -> None:
    """Sign-off after a signature delimiter near the end."""
    entries = page.entries
    for index in range(len(entries) - 1, max(len(entries) * 4 // 5, 0) - 1, -1):
        if fur.is_signature_delimiter(page.text(index)):
            tail = list(range(index + 1, len(entries)))
            if tail:
                page.metadata["author_note"] = " ".join(page.text(i) for i in tail)
            page.drop(list(range(index, len(entries))), "sign-off")
            break


def _drop_comment_thread(page: _Page) -> None:
    """Comment thread: at least two comment-system lines after the article body.
    "Submitted by X on DATE" alone is also a byline above the article, so it only
    supports a thread started by a relative date or a reply marker."""
    entries = page.entries
    furniture = [i for i, (line, _) in enumerate(entries) if fur.is_comment_furniture(line.text)]
    stamps = [i for i in furniture if fur.submitted_by(page.text(i)) is not None]
    markers = [i for i in furniture if i not in stamps]
    body_start = next(
        (
            i
            for i, (line, _) in enumerate(entries)
            if count_words(line.text) >= 25 and i > (stamps[0] if stamps and stamps[0] < 8 else -1)
        ),
        len(entries),
    )
    thread_marks = [i for i in furniture if i > body_start]
    first_marker = next((i for i in markers if i > body_start), None)
    if first_marker is None or len(thread_marks) < 2:
        return
    thread_marks = [i for i in thread_marks if i >= first_marker]
    start = thread_marks[0]
    header = next(
        (
            i
            for i in range(start - 1, max(body_start, start - 6), -1)
            if fur.is_comments_header(page.text(i))
        ),
        None,
    )
    if header is not None:
        start = header
    elif start - 1 > body_start and count_words(page.text(start - 1)) <= 4:
        start -= 1  # the commenter's user name
    attach = [
        i for i in range(max(body_start, start - 3), start) if fur.is_attachments_line(page.text(i))
    ]
    page.drop(attach, "page furniture")
    page.drop(list(range(start, len(entries))), "comment thread")


def _drop_image_captions(page: _Page) -> None:
    """Image captions: the same short line printed twice in a row."""
    for index in range(1, len(page.entries)):
        current, previous = page.text(index), page.text(index - 1)
        if current == previous and count_words(current) <= 25 and page.alive[index]:
            page.drop([index - 1, index], "image caption")


def _drop_notes_and_courtesy(page: _Page) -> None:
    """Notes section and closing courtesy at the end."""
    notes = [i for i in page.live()[-10:] if fur.is_note_line(page.text(i))]
    if notes:
        page.metadata["notes"] = " ".join(page.text(i) for i in notes)
        page.drop(notes, "notes")
    page.drop(
        [i for i in page.live()[-3:] if fur.is_closing_courtesy(page.text(i))], "closing courtesy"
    )


def _take_title(page: _Page) -> str:
    """Title: the first line, if it looks like one (or a markdown heading)."""
    live = page.live()
    if not live:
        return ""
    first = page.text(live[0])
    markdown = MARKDOWN_HEADING.match(first)
    candidate = markdown.group(2) if markdown else first
    if (markdown or is_title_like(candidate, max_words=20)) and len(live) > 1:
        page.drop([live[0]], "title")
        page.metadata["title_in_text"] = candidate
        return candidate
    return ""


def _take_front_matter(page: _Page, author: str) -> str:
    """Front matter: bylines, "Submitted by", stand-firsts and editorial notes before
    the body. Candidates stop at the first heading or at a double blank line. Returns
    the author a byline names, if any."""
    live = page.live()
    metadata = page.metadata
    submitted_at = next((i for i in live[:6] if fur.submitted_by(page.text(i)) is not None), None)
    if submitted_at is not None:
        who, when = fur.submitted_by(page.text(submitted_at)) or ("", "")
        metadata["submitted_by"], metadata["submitted_on"] = who, when
        before = [i for i in live if i < submitted_at]
        if before:
            metadata["standfirst"] = " ".join(page.text(i) for i in before)
            page.drop(before, "front matter")
        page.drop([submitted_at], "byline")
        return ""
    found_author = ""
    author_key = author.casefold()
    for position, index in enumerate(live[:3]):
        text = page.text(index)
        if position and page.entries[index][1] >= 2:
            break
        if MARKDOWN_HEADING.match(text) or (
            is_title_like(text, max_words=12, max_chars=80) and not fur.byline_author(text)
        ):
            break
        name = fur.byline_author(text)
        if name:
            found_author = name
            metadata["byline"] = text
            page.drop([index], "byline")
        elif fur.is_editorial_note(text) or (author_key and author_key in text.casefold()):
            key = "standfirst" if "standfirst" not in metadata else "editorial_note"
            metadata[key] = text
            page.drop([index], "front matter")
        else:
            break
    return found_author


def _heading_of(text: str, blanks_before: int, pending: str) -> str:
    """The heading ``text`` is, or "": a markdown heading, a short unpunctuated line
    that is not a question, or a longer one set off by a double blank line."""
    markdown = MARKDOWN_HEADING.match(text)
    if markdown:
        return markdown.group(2)
    if pending:
        return ""
    if is_title_like(text, max_words=12, max_chars=80) and not text.endswith("?"):
        return text
    if blanks_before >= 2 and is_title_like(text, max_words=20, max_chars=160):
        # A lead-in set off by a double blank line ("... three conclusions I
        # would like to draw out") heads what follows.
        return text
    return ""


def _headings_and_paragraphs(page: _Page, title: str) -> DeckDraft:
    """Headings and paragraphs of the lines still in the text."""
    deck = DeckDraft(title=title)
    pending = ""
    pending_line = 0
    for index, (line, blanks_before) in enumerate(page.entries):
        if not page.alive[index]:
            continue
        text = line.text
        heading = _heading_of(text, blanks_before, pending)
        if heading:
            if pending:
                deck.units.append(Unit("paragraph", pending, pending_line))
                pending = ""
            deck.units.append(Unit("heading", heading, line.number))
            continue
        follows_paragraph = bool(not pending and deck.units and deck.units[-1].kind == "paragraph")
        if ELISION.match(text) and follows_paragraph:
            # "[…]" between two parts of a quotation: one paragraph.
            previous_unit = deck.units.pop()
            pending, pending_line = f"{previous_unit.text} {text}", previous_unit.line
            continue
        if text[:1] in "\u2013\u2014" and count_words(text) <= 15 and follows_paragraph:
            # An attribution line ("– Alexandra Kollontai, The Workers' Opposition")
            # belongs to the quotation above it.
            previous_unit = deck.units.pop()
            deck.units.append(Unit("paragraph", f"{previous_unit.text} {text}", previous_unit.line))
            continue
        pending = f"{pending} {text}" if pending else text
        pending_line = pending_line if pending_line and pending != text else line.number
        if ends_clause(text) or BULLET.match(text):
            deck.units.append(Unit("paragraph", pending, pending_line))
            pending = ""
            pending_line = 0
    if pending:
        deck.units.append(Unit("paragraph", pending, pending_line))
    return deck
