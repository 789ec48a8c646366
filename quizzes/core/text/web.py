"""Reader for soft-wrapped text: one physical line per paragraph (web pages, markdown).

Finds the title, front matter (bylines, "Submitted by", stand-firsts and editorial
notes), comment threads, duplicated image captions, note sections and sign-offs by
their layout, then headings (short lines without closing punctuation, markdown
headings) and paragraphs. A line that stops without closing punctuation continues
on the next one (a PDF page break copied into a web page).
"""

from __future__ import annotations

from collections.abc import Sequence

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
    texts = [line.text for line in lines]
    stats = WordStats.from_lines(texts)
    dropped: list[DroppedText] = []
    metadata: dict[str, str] = {}
    # Non-blank lines with the number of blank lines before each.
    entries: list[tuple[Line, int]] = []
    blanks = 0
    for line in lines:
        if line.text:
            entries.append((line, blanks))
            blanks = 0
        else:
            blanks += 1
    alive = [True] * len(entries)

    def drop(indices: Sequence[int], reason: str) -> None:
        chosen = [i for i in indices if alive[i]]
        if chosen:
            dropped.append(dropped_record(reason, [entries[i][0].text for i in chosen]))
            for i in chosen:
                alive[i] = False

    # Sign-off after a signature delimiter near the end.
    for index in range(len(entries) - 1, max(len(entries) * 4 // 5, 0) - 1, -1):
        if fur.is_signature_delimiter(entries[index][0].text):
            tail = list(range(index + 1, len(entries)))
            if tail:
                metadata["author_note"] = " ".join(entries[i][0].text for i in tail)
            drop(list(range(index, len(entries))), "sign-off")
            break

    # Comment thread: at least two comment-system lines after the article body.
    # "Submitted by X on DATE" alone is also a byline above the article, so it only
    # supports a thread started by a relative date or a reply marker.
    furniture = [i for i, (line, _) in enumerate(entries) if fur.is_comment_furniture(line.text)]
    stamps = [i for i in furniture if fur.submitted_by(entries[i][0].text) is not None]
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
    if first_marker is not None and len(thread_marks) >= 2:
        thread_marks = [i for i in thread_marks if i >= first_marker]
        start = thread_marks[0]
        header = next(
            (
                i
                for i in range(start - 1, max(body_start, start - 6), -1)
                if fur.is_comments_header(entries[i][0].text)
            ),
            None,
        )
        if header is not None:
            start = header
        elif start - 1 > body_start and count_words(entries[start - 1][0].text) <= 4:
            start -= 1  # the commenter's user name
        attach = [
            i
            for i in range(max(body_start, start - 3), start)
            if fur.is_attachments_line(entries[i][0].text)
        ]
        drop(attach, "page furniture")
        drop(list(range(start, len(entries))), "comment thread")

    # Image captions: the same short line printed twice in a row.
    for index in range(1, len(entries)):
        current, previous = entries[index][0].text, entries[index - 1][0].text
        if current == previous and count_words(current) <= 25 and alive[index]:
            drop([index - 1, index], "image caption")

    # Notes section and closing courtesy at the end.
    live = [i for i in range(len(entries)) if alive[i]]
    notes = [i for i in live[-10:] if fur.is_note_line(entries[i][0].text)]
    if notes:
        metadata["notes"] = " ".join(entries[i][0].text for i in notes)
        drop(notes, "notes")
    live = [i for i in range(len(entries)) if alive[i]]
    drop([i for i in live[-3:] if fur.is_closing_courtesy(entries[i][0].text)], "closing courtesy")

    # Title: the first line, if it looks like one (or a markdown heading).
    live = [i for i in range(len(entries)) if alive[i]]
    found_title = ""
    if live:
        first = entries[live[0]][0].text
        markdown = MARKDOWN_HEADING.match(first)
        candidate = markdown.group(2) if markdown else first
        if (markdown or is_title_like(candidate, max_words=20)) and len(live) > 1:
            found_title = candidate
            drop([live[0]], "title")
            metadata["title_in_text"] = found_title

    # Front matter: bylines, "Submitted by", stand-firsts and editorial notes before
    # the body. Candidates stop at the first heading or at a double blank line.
    live = [i for i in range(len(entries)) if alive[i]]
    found_author = ""
    submitted_at = next(
        (i for i in live[:6] if fur.submitted_by(entries[i][0].text) is not None), None
    )
    if submitted_at is not None:
        who, when = fur.submitted_by(entries[submitted_at][0].text) or ("", "")
        metadata["submitted_by"], metadata["submitted_on"] = who, when
        before = [i for i in live if i < submitted_at]
        if before:
            metadata["standfirst"] = " ".join(entries[i][0].text for i in before)
            drop(before, "front matter")
        drop([submitted_at], "byline")
    else:
        author_key = author.casefold()
        for position, index in enumerate(live[:3]):
            text = entries[index][0].text
            if position and entries[index][1] >= 2:
                break
            if MARKDOWN_HEADING.match(text) or (
                is_title_like(text, max_words=12, max_chars=80) and not fur.byline_author(text)
            ):
                break
            name = fur.byline_author(text)
            if name:
                found_author = name
                metadata["byline"] = text
                drop([index], "byline")
            elif fur.is_editorial_note(text) or (author_key and author_key in text.casefold()):
                key = "standfirst" if "standfirst" not in metadata else "editorial_note"
                metadata[key] = text
                drop([index], "front matter")
            else:
                break

    # Headings and paragraphs.
    deck = DeckDraft(title=title or found_title)
    pending = ""
    pending_line = 0
    for index, (line, blanks_before) in enumerate(entries):
        if not alive[index]:
            continue
        text = line.text
        markdown = MARKDOWN_HEADING.match(text)
        heading = ""
        if markdown:
            heading = markdown.group(2)
        elif (
            not pending
            and is_title_like(text, max_words=12, max_chars=80)
            and not text.endswith("?")
        ):
            heading = text
        elif (
            not pending and blanks_before >= 2 and is_title_like(text, max_words=20, max_chars=160)
        ):
            # A lead-in set off by a double blank line ("... three conclusions I
            # would like to draw out") heads what follows.
            heading = text
        if heading:
            if pending:
                deck.units.append(Unit("paragraph", pending, pending_line))
                pending = ""
            deck.units.append(Unit("heading", heading, line.number))
            continue
        if (
            ELISION.match(text)
            and not pending
            and deck.units
            and deck.units[-1].kind == "paragraph"
        ):
            # "[…]" between two parts of a quotation: one paragraph.
            previous_unit = deck.units.pop()
            pending, pending_line = f"{previous_unit.text} {text}", previous_unit.line
            continue
        if (
            text[:1] in "\u2013\u2014"
            and count_words(text) <= 15
            and not pending
            and deck.units
            and deck.units[-1].kind == "paragraph"
        ):
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
    return Structure(
        layout="soft",
        title=found_title,
        author=found_author,
        metadata=metadata,
        decks=[deck],
        dropped=dropped,
        stats=stats,
    )
