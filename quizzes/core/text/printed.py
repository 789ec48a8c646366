"""Reader for hard-wrapped text: lines cut at a fixed measure (OCR, PDF, books).

Blank lines are not trusted: page breaks insert them inside sentences and drop them
before headings. Every boundary is decided from punctuation, case and line length:
running heads, page numbers, figure legends and flattened tables are removed first;
then CHAPTER/PART labels, an unlabelled Introduction before the first chapter and an
unlabelled Conclusion after the last one cut the book into decks; front and back
matter and chapter epigraphs are dropped; headings and paragraphs are read last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.core.text import furniture as fur
from quizzes.core.text.hyphens import WordStats, join_line_pair
from quizzes.core.text.lines import (
    BULLET,
    CHAPTER_LABEL,
    CLOSERS,
    CONCLUSION_HEADING,
    INTRODUCTION_HEADING,
    MARKDOWN_HEADING,
    PART_LABEL,
    SENTENCE_END,
    TRAILING_NOTE,
    DeckDraft,
    Line,
    Structure,
    Unit,
    chapter_number,
    dropped_record,
    ends_clause,
    is_title_like,
    line_measure,
    starts_continuation,
    starts_upper,
    strip_trailing_note,
)
from quizzes.core.text.normalise import count_words
from quizzes.core.text.types import DroppedText
from quizzes.core.text.web import read_soft

__all__ = ["HardReader", "read_hard"]

# Words that open a back-matter heading in any book ("Chronology of party congresses").
_BACK_MATTER_WORDS = frozenset({"chronology", "glossary", "bibliography"})


@dataclass
class _Chapter:
    start: int  # index of the first line of the unit's heading
    body: int  # index of the first line after the heading and title
    label: str
    title: str
    part: str = ""


class HardReader:
    """State for reading one hard-wrapped text."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.texts = [line.text for line in lines]
        self.measure = line_measure(lines)
        self.stats = WordStats.from_lines(self.texts)
        self.drop_reason: list[str] = [""] * len(lines)
        self.dropped: list[DroppedText] = []
        self.metadata: dict[str, str] = {}
        self._capitalised = self._capitalised_words()

    # -- helpers
    def _capitalised_words(self) -> set[str]:
        """Words the text capitalises mid-sentence more often than not (proper nouns)."""
        upper: dict[str, int] = {}
        lower: dict[str, int] = {}
        for text in self.texts:
            words = text.split()
            for previous, word in zip(words, words[1:], strict=False):
                core = word.strip("\"'\u201c\u201d\u2018\u2019(),;:.!?")
                core = re.sub(r"[\u2019']s$", "", core)
                if not core.isalpha() or SENTENCE_END.search(previous):
                    continue
                bucket = upper if core[0].isupper() else lower
                bucket[core.casefold()] = bucket.get(core.casefold(), 0) + 1
        return {word for word, n in upper.items() if n > lower.get(word, 0)}

    def is_blank(self, index: int) -> bool:
        return not self.texts[index] or bool(self.drop_reason[index])

    def next_text(self, index: int, limit: int | None = None) -> int | None:
        end = len(self.lines) if limit is None else min(limit, len(self.lines))
        for j in range(index, end):
            if not self.is_blank(j):
                return j
        return None

    def prev_text(self, index: int, floor: int = 0) -> int | None:
        for j in range(index, floor - 1, -1):
            if not self.is_blank(j):
                return j
        return None

    def blank_run_before(self, index: int) -> int:
        run = 0
        j = index - 1
        while j >= 0 and not self.texts[j]:
            run += 1
            j -= 1
        return run

    def mark(self, indices: Sequence[int], reason: str) -> None:
        chosen = [i for i in indices if self.texts[i] and not self.drop_reason[i]]
        if not chosen:
            return
        self.dropped.append(dropped_record(reason, [self.texts[i] for i in chosen]))
        for i in indices:
            if not self.drop_reason[i]:
                self.drop_reason[i] = reason

    def could_continue(self, text: str) -> bool:
        """Could ``text`` continue a sentence broken off before it?"""
        if starts_continuation(text):
            return True
        first = re.sub(r"[\u2019']s$", "", text.split()[0].strip("\"'\u201c\u2018(,;:.!?\u2014"))
        return first.casefold() in self._capitalised

    # -- passes
    def mark_page_furniture(self) -> None:
        """Running heads, page numbers, and a short line printed twice in a row.

        The doubled line is an image's alt text followed by its caption (web pages
        saved as text); body text never repeats a line verbatim.
        """
        for index, text in enumerate(self.texts):
            if text and fur.is_running_head(text):
                self.mark([index], "running head")
            elif text and fur.is_page_number(text):
                self.mark([index], "page number")
            elif (
                text
                and index + 1 < len(self.texts)
                and self.texts[index + 1] == text
                and count_words(text) <= 25
            ):
                self.mark([index, index + 1], "image caption")

    def mark_figures(self) -> None:
        """Figure keys and captions; a sentence they interrupt is re-joined.

        The block runs from "KEY:" or "Figure N.N" over legend items, captions and
        their wrapped lines; when the text before it stops mid-sentence, it also
        covers legend notes up to the first paragraph that can continue a sentence
        (lower-case start or a proper noun), at most 45 lines on.
        """
        index = 0
        while index < len(self.lines):
            text = self.texts[index]
            if (
                not (fur.is_figure_key(text) or fur.is_figure_caption(text))
                or self.drop_reason[index]
            ):
                index += 1
                continue
            before = self.prev_text(index - 1)
            interrupted = before is not None and not ends_clause(self.texts[before])
            block = [index]
            j = index + 1
            in_item = True
            while j < len(self.lines) and j < index + 45:
                current = self.texts[j]
                if not current or self.drop_reason[j]:
                    block.append(j)
                    j += 1
                    continue
                new_paragraph = not self.texts[j - 1] or self.drop_reason[j - 1] != ""
                if (
                    fur.is_key_item(current)
                    or fur.is_figure_caption(current)
                    or fur.is_figure_key(current)
                ):
                    in_item = True
                elif new_paragraph and in_item and starts_continuation(current):
                    pass  # the wrapped tail of a legend item
                elif not interrupted:
                    if not new_paragraph and in_item and not starts_continuation(current):
                        # second line of a caption
                        in_item = ends_clause(current) is False
                        block.append(j)
                        j += 1
                        continue
                    break
                elif (
                    (new_paragraph or self.lines[j].indented)
                    and self.could_continue(current)
                    and not self.legend_follows(j)
                ):
                    break
                else:
                    in_item = not ends_clause(current) and in_item
                block.append(j)
                j += 1
            else:
                if interrupted:  # no continuation found: drop only legend lines
                    block = [
                        k
                        for k in block
                        if fur.is_key_item(self.texts[k])
                        or fur.is_figure_caption(self.texts[k])
                        or fur.is_figure_key(self.texts[k])
                    ]
            self.mark(block, "figure")
            index = (block[-1] + 1) if block else index + 1

    def legend_follows(self, index: int) -> bool:
        """Is there another legend item or caption within the next eight lines?"""
        return any(
            fur.is_key_item(self.texts[k]) or fur.is_figure_caption(self.texts[k])
            for k in range(index + 1, min(index + 9, len(self.lines)))
        )

    def isolated(self, index: int) -> bool:
        before = index == 0 or not self.texts[index - 1]
        after = index + 1 >= len(self.lines) or not self.texts[index + 1]
        return before and after

    def mark_tables(self) -> None:
        """Three or more short isolated lines in a row without sentence punctuation.

        A flattened table ("Public ownership Mainly public ownership"); headings
        come at most two in a row (a container heading and its first sub-heading).
        """
        run: list[int] = []
        for index in range(len(self.lines) + 1):
            text = self.texts[index] if index < len(self.lines) else ""
            if index < len(self.lines) and not text:
                continue
            is_row = (
                index < len(self.lines)
                and self.isolated(index)
                and len(text) < 0.85 * self.measure
                and not ends_clause(strip_trailing_note(text))
                and not BULLET.match(text)
            )
            if is_row:
                run.append(index)
                continue
            if len(run) >= 3:
                self.mark(run, "table")
            run = []

    def chapter_title(self, index: int) -> tuple[str, int]:
        """Title lines after a CHAPTER label; returns the title and the next index.

        A title may wrap over two lines with a blank line between; the second half
        is a short line standing alone (no full stop), after a first half that does
        not end in ? or !.
        """
        first = self.next_text(index, index + 4)
        if first is None:
            return "", index
        title = self.texts[first]
        end = first + 1
        if not re.search(r"[.?!]$", title):
            second = self.next_text(first + 1, first + 3)
            if (
                second is not None
                and self.isolated(second)
                and len(self.texts[second]) < 0.75 * self.measure
                and not self.texts[second].endswith(".")
                and count_words(self.texts[second]) <= 10
            ):
                title = join_line_pair(title, self.texts[second], self.stats)
                end = second + 1
            elif first + 1 < len(self.lines) and self.texts[first + 1] and not ends_clause(title):
                # wrapped without a blank line
                title = join_line_pair(title, self.texts[first + 1], self.stats)
                end = first + 2
        return title, end

    def heading_block(self, index: int) -> list[int]:
        """One or two consecutive lines followed by a blank line."""
        if index + 1 >= len(self.lines) or self.is_blank(index + 1):
            return [index]
        if index + 2 >= len(self.lines) or self.is_blank(index + 2):
            return [index, index + 1]
        return []

    def find_chapters(self) -> list[_Chapter]:
        """Chapter-level units, when the text has at least two CHAPTER labels.

        CHAPTER lines are found line by line, so a label glued to the previous
        paragraph is not missed; PART labels only set the part of what follows. An
        Introduction (or Prologue) before the first chapter and a Conclusion (or
        Epilogue, Afterword) after the last one are chapter-level units without a
        label; the conclusion must start a page (indented first line, a page-break
        run of blank lines, or glued to the previous page), because chapters also
        have sections called "Conclusion".
        """
        chapters: list[_Chapter] = []
        part = ""
        labelled: list[int] = [
            i for i, text in enumerate(self.texts) if text and CHAPTER_LABEL.match(text)
        ]
        if len(labelled) < 2:
            return []
        for index, text in enumerate(self.texts):
            if not text or self.drop_reason[index]:
                continue
            if PART_LABEL.match(text) and self.heading_block(index) == [index]:
                title_index = self.next_text(index + 1, index + 4)
                block = [index]
                part = text.title()
                if title_index is not None:
                    block += [title_index]
                    part_title = self.texts[title_index]
                    if title_index + 1 < len(self.lines) and self.texts[title_index + 1]:
                        block.append(title_index + 1)
                        part_title = join_line_pair(
                            part_title, self.texts[title_index + 1], self.stats
                        )
                    part = f"{part}: {part_title}"
                self.mark(block, "part heading")
                continue
            match = CHAPTER_LABEL.match(text)
            if match and index in labelled:
                number = chapter_number(match.group("number"))
                label = f"Chapter {number}" if number is not None else text.title()
                if match.group("title"):
                    title, body = match.group("title").strip(), index + 1
                else:
                    title, body = self.chapter_title(index + 1)
                chapters.append(_Chapter(index, body, label, title, part))
                continue
            page_top = (
                self.lines[index].indented
                or self.blank_run_before(index) >= 2
                or (index > 0 and bool(self.texts[index - 1]))
            )
            block = self.heading_block(index)
            if not block or not is_title_like(" ".join(self.texts[i] for i in block), max_words=16):
                continue
            if index < labelled[0] and INTRODUCTION_HEADING.match(text):
                chapters.append(_Chapter(index, block[-1] + 1, "Introduction", text, ""))
            elif index > labelled[-1] and page_top and CONCLUSION_HEADING.match(text):
                chapters.append(_Chapter(index, block[-1] + 1, "Conclusion", text, ""))
        return chapters

    def is_back_matter_heading(self, index: int) -> bool:
        """ "Glossary of key terms/acronyms", "Chronology of ...", "Bibliography", "Notes"."""
        text = self.texts[index]
        if not text or self.drop_reason[index] or not self.heading_block(index):
            return False
        first_word = text.split()[0].casefold()
        if not (fur.BACK_MATTER.match(text) or first_word in _BACK_MATTER_WORDS):
            return False
        previous = self.prev_text(index - 1)
        return previous is None or ends_clause(self.texts[previous])

    def mark_front_and_back(self, chapters: list[_Chapter]) -> int:
        """Drop what precedes the first unit and the back matter; returns the end index.

        Back matter starts at the first back-matter heading after the last chapter
        starts; everything after it is dropped, one record per back-matter section.
        """
        if chapters and chapters[0].start > 0:
            first = self.next_text(0)
            if first is not None and fur.FRONT_MATTER.match(self.texts[first]):
                self.metadata["front_matter"] = self.texts[first]
            self.mark(list(range(chapters[0].start)), "front matter")
        start = chapters[-1].body if chapters else 0
        end = next(
            (i for i in range(start, len(self.lines)) if self.is_back_matter_heading(i)),
            len(self.lines),
        )
        section: list[int] = []
        for index in range(end, len(self.lines)):
            if section and self.is_back_matter_heading(index):
                self.mark(section, "back matter")
                section = []
            section.append(index)
        self.mark(section, "back matter")
        return end

    def mark_epigraph(self, start: int, end: int) -> None:
        """A short block set to a narrower measure right after a chapter title.

        Heuristic: epigraphs (and the jokes this book opens chapters with) are set
        like block quotations, so every line is clearly shorter than the measure,
        and the block is short; a chapter never opens with a quotation of its own.
        """
        first = self.next_text(start, end)
        if first is None:
            return
        block: list[int] = []
        j = first
        while j < end and self.texts[j]:
            block.append(j)
            j += 1
        if len(block) < 2:
            return
        words = sum(count_words(self.texts[k]) for k in block)
        longest = max(len(self.texts[k]) for k in block)
        if words <= 90 and longest <= 0.92 * self.measure:
            self.metadata.setdefault("epigraphs", "")
            joined = " ".join(self.texts[k] for k in block)
            self.metadata["epigraphs"] = (self.metadata["epigraphs"] + " | " + joined).strip(" |")
            self.mark(block, "epigraph")

    def is_heading_at(self, index: int, end: int, *, after_heading: bool = False) -> list[int]:
        """Indices of the one or two lines of a section heading at ``index``, or [].

        Blank lines are unreliable, so a heading is recognised by its shape: one or
        two lines followed by a blank line, at most 22 words, starting with a capital
        and ending without , . ; : (a question mark is allowed: "Building a one-party
        state?"), one sentence only, a last line clearly shorter than the measure
        (wrapped body text fills it), a previous line that closes a clause (a glued
        heading follows a full stop: "forged.\\n CHAPTER THREE") and a next line that
        does not continue a sentence.
        """
        block = self.heading_block(index)
        if MARKDOWN_HEADING.match(self.texts[index]):
            return [index]
        if not block:
            return []
        text = " ".join(self.texts[i] for i in block)
        last = self.texts[block[-1]]
        if not is_title_like(text, max_words=22, max_chars=200, allow_quote=True) or text.endswith(
            ("-", "\u2014")
        ):
            return []
        if re.search(r"\d$", last) and TRAILING_NOTE.search(last):
            return []
        if len(block) == 2 and len(self.texts[block[0]]) > 0.9 * self.measure:
            return []  # a full line: the end of a paragraph, not a wrapped heading
        if re.search(r"[.!?][\"\u201d\u2019)]*\s+[A-Z]", text):
            return []  # two sentences
        single_ok = len(last) < 0.85 * self.measure or (
            len(block) == 1 and len(last) > 1.05 * self.measure
        )
        if not single_ok:
            return []
        previous = self.prev_text(index - 1)
        if not after_heading and previous is not None and not ends_clause(self.texts[previous]):
            return []  # the previous line stops mid-sentence: this continues it
        following = self.next_text(block[-1] + 1, end)
        if following is None or starts_continuation(self.texts[following]):
            return []
        return block

    def read_units(self, start: int, end: int, stats: WordStats) -> list[Unit]:
        """Headings and reflowed paragraphs of the lines ``start:end`` not dropped."""
        units: list[Unit] = []
        current: list[str] = []
        current_line = 0
        previous: int | None = None

        def flush() -> None:
            nonlocal current, current_line
            if current:
                text = current[0]
                for piece in current[1:]:
                    text = join_line_pair(text, piece, stats)
                units.append(Unit("paragraph", text, current_line))
            current = []
            current_line = 0

        index = start
        while index < end:
            if self.is_blank(index):
                index += 1
                continue
            text = self.texts[index]
            previous_open = (
                previous is not None and current and not ends_clause(self.texts[previous])
            )
            if not previous_open:
                after_heading = bool(units) and units[-1].kind == "heading" and not current
                block = self.is_heading_at(index, end, after_heading=after_heading)
                if block:
                    flush()
                    markdown = MARKDOWN_HEADING.match(self.texts[block[0]])
                    heading = markdown.group(2) if markdown else self.texts[block[0]]
                    for k in block[1:]:
                        heading = join_line_pair(heading, self.texts[k], stats)
                    units.append(Unit("heading", heading, self.lines[index].number))
                    previous = None
                    index = block[-1] + 1
                    continue
            if previous is None or not current or self._boundary(previous, index):
                flush()
                current, current_line = [text], self.lines[index].number
            else:
                current.append(text)
            previous = index
            index += 1
        flush()
        return units

    def _boundary(self, previous: int, index: int) -> bool:
        """Does a new paragraph start at ``index`` (``previous`` is the last text line)?"""
        before, text = self.texts[previous], self.texts[index]
        if BULLET.match(text) or fur.is_signature_delimiter(text):
            return True
        if fur.is_signature_delimiter(before) or MARKDOWN_HEADING.match(text):
            return True
        gap = any(not self.texts[k] for k in range(previous + 1, index))
        if gap:
            # A blank-line run ends a paragraph only after closing punctuation and
            # before a line that does not continue a sentence (page breaks put
            # blank lines inside sentences).
            return ends_clause(before) and not starts_continuation(text)
        if not re.search(
            rf"[.!?\u2026:][{CLOSERS}]*$", strip_trailing_note(before)
        ) or not starts_upper(text):
            return False
        # No blank line: a new paragraph when the first word of this line would
        # have fitted on the previous one (so the typesetter broke the line).
        window = [
            len(self.texts[k])
            for k in range(max(previous - 3, 0), min(index + 4, len(self.lines)))
            if self.texts[k]
        ]
        local = max(window) if window else self.measure
        first_word = text.split()[0]
        return len(before) + 1 + len(first_word) < local - 1


def _is_page_furniture(text: str) -> bool:
    return (
        fur.is_comment_furniture(text)
        or fur.is_comments_header(text)
        or fur.is_attachments_line(text)
        or fur.is_signature_delimiter(text)
    )


def read_hard(lines: list[Line], title: str, author: str) -> Structure:
    """Read a hard-wrapped text into decks (see the module docstring for the order).

    A book's deck titles come from its CHAPTER titles. A text without chapters is
    reflowed and handed to :func:`~quizzes.core.text.web.read_soft`, so articles get
    the same title, front-matter, comment and note rules in both layouts.
    """
    reader = HardReader(lines)
    reader.mark_page_furniture()
    reader.mark_figures()
    chapters = reader.find_chapters()
    end = reader.mark_front_and_back(chapters)
    # Tables only after the chapter scan: a chapter title may look like a table row.
    for chapter in chapters:
        reader.mark(
            [k for k in range(chapter.start, chapter.body) if reader.texts[k]], "chapter heading"
        )
    decks: list[DeckDraft] = []
    if not chapters:
        # An article or a pasted text: rebuild its paragraphs, then let the
        # web-page reader find the title, front matter, comments and notes in them
        # (one paragraph per line; headings passed on as markdown headings).
        paragraph_lines: list[Line] = []
        for unit in reader.read_units(0, end, reader.stats):
            text = unit.text
            if unit.kind == "heading" and not _is_page_furniture(text):
                text = f"### {text}"
            paragraph_lines += [Line(text, unit.line, False), Line("", unit.line, False)]
        soft = read_soft(paragraph_lines, title, author)
        soft.metadata.update(reader.metadata)
        return Structure(
            layout="hard",
            title=soft.title,
            author=soft.author,
            metadata=soft.metadata,
            decks=soft.decks,
            dropped=reader.dropped + soft.dropped,
            stats=reader.stats,
        )
    # Flattened tables are looked for in books only: in an article the same shape
    # (short isolated lines) is the comment thread's furniture, which the web-page
    # reader needs to see.
    reader.mark_tables()
    bounds = [chapter.start for chapter in chapters[1:]] + [end]
    for chapter, stop in zip(chapters, bounds, strict=True):
        reader.mark_epigraph(chapter.body, stop)
        deck = DeckDraft(title=chapter.title, label=chapter.label, part=chapter.part)
        deck.units = reader.read_units(chapter.body, stop, reader.stats)
        decks.append(deck)
    return Structure(
        layout="hard",
        title="",
        author="",
        metadata=reader.metadata,
        decks=decks,
        dropped=reader.dropped,
        stats=reader.stats,
    )
