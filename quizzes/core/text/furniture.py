"""Recognisers for text that is not the author's running text ("furniture").

Each function looks at one line (already normalised) and answers one question. The
patterns describe page layouts, not particular sources: a web page's comment thread
(user name, relative date, "In reply to", "Submitted by ... on DATE"), a printed
book's running heads ("10 THE CRUCIBLES OF RUSSIAN SOCIALISM"), editorial
stand-firsts, bylines, note sections and figure keys.
"""

from __future__ import annotations

import re

__all__ = [
    "BACK_MATTER",
    "FRONT_MATTER",
    "byline_author",
    "is_attachments_line",
    "is_closing_courtesy",
    "is_comment_furniture",
    "is_comments_header",
    "is_editorial_note",
    "is_figure_caption",
    "is_figure_key",
    "is_key_item",
    "is_note_line",
    "is_page_number",
    "is_running_head",
    "is_signature_delimiter",
    "submitted_by",
]

_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?|mins?|secs?|seconds?)"
_RELATIVE_DATE = re.compile(
    rf"^(?:about |over |almost )?(?:\d+|an?|one) {_TIME_UNIT}"
    rf"(?:,? (?:and )?\d+ {_TIME_UNIT})* ago$",
    re.IGNORECASE,
)
_IN_REPLY = re.compile(r"^in reply to\b.*$", re.IGNORECASE)
_SUBMITTED = re.compile(
    r"^(?:submitted|posted|written) by (?P<who>.+?) on (?P<when>.*\d{4}.*)$", re.IGNORECASE
)
_REPLY_LINKS = re.compile(
    r"^(?:reply|report|quote|permalink|log in (?:or register )?to post comments|"
    r"login to post comments|share|like|flag)$",
    re.IGNORECASE,
)
_COMMENTS_HEADER = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion|reader comments)"
    r"(?:\s*\(\d+\))?:?$|^(?:leave|post|add) a (?:comment|reply)$",
    re.IGNORECASE,
)
_ATTACHMENTS = re.compile(r"^(?:attachments?|downloads?|files?)$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:--|-- |\u2014|\*\s*\*\s*\*|_{3,})$")
_CLOSING = re.compile(
    r"^(?:thank you|thanks)\b.{0,60}\b(?:listening|reading|attention|your time)\b",
    re.IGNORECASE,
)
_NOTE_LINE = re.compile(r"^\[\d{1,3}\]\s+\S")
_BYLINE = re.compile(
    r"^[Bb]y\s+(?P<name>[A-Z][\w.\u2019'-]*(?:\s+(?:[A-Z][\w.\u2019'-]*|de|van|von|der|la)){0,4})"
    r"(?:[.,;:]|$)",
)
_EDITORIAL = re.compile(
    r"\b(?:we (?:re)?publish|republished|originally (?:developed|published|appeared|written)"
    r"|first (?:published|appeared)|in this (?:piece|article|essay|extract)"
    r"|this (?:piece|article|essay) (?:was|is|has been|first)|(?:talk|lecture|paper) "
    r"(?:presented|given|delivered)|stand-?first|editor['\u2019]s note)\b",
    re.IGNORECASE,
)
# Running heads: a page number and a title in capitals, either order.
_RUNNING_HEAD = re.compile(r"^(?:\d{1,4}\s+(?P<a>[^a-z]{4,})|(?P<b>[^a-z]{4,}?)\s+\d{1,4})$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}$|^-\s*\d{1,4}\s*-$", re.IGNORECASE)
_FIGURE_CAPTION = re.compile(r"^(?:figure|fig\.|table|plate|map)\s+\d+(?:\.\d+)*\b", re.IGNORECASE)
_FIGURE_KEY = re.compile(r"^(?:key|legend):?$", re.IGNORECASE)
_KEY_ITEM = re.compile(r"^[A-Z]{1,2}:\s+\S")

FRONT_MATTER = re.compile(
    r"^(?:preface|foreword|acknowledge?ments?|contents|table of contents|dedication|"
    r"list of (?:figures|tables|abbreviations)|abbreviations)$",
    re.IGNORECASE,
)
BACK_MATTER = re.compile(
    r"^(?:notes|endnotes|bibliography|select bibliography|references|further reading|"
    r"index|glossary\b.*|chronology\b.*|about the author)$",
    re.IGNORECASE,
)


def is_comment_furniture(line: str) -> bool:
    """A line that only a comment system prints: relative date, reply marker, author stamp."""
    return bool(
        _RELATIVE_DATE.match(line)
        or _IN_REPLY.match(line)
        or _SUBMITTED.match(line)
        or _REPLY_LINKS.match(line)
    )


def is_comments_header(line: str) -> bool:
    """ "Comments", "12 Comments", "Comments (3)", "Leave a reply"."""
    return bool(_COMMENTS_HEADER.match(line))


def is_attachments_line(line: str) -> bool:
    """The empty "Attachments" block of a CMS page."""
    return bool(_ATTACHMENTS.match(line))


def submitted_by(line: str) -> tuple[str, str] | None:
    """("Ed", "September 20, 2007") for "Submitted by Ed on September 20, 2007"."""
    match = _SUBMITTED.match(line)
    return (match.group("who").strip(), match.group("when").strip()) if match else None


def byline_author(line: str) -> str | None:
    """ "Simon Pirani" for "By Simon Pirani. Talk presented to ..."."""
    match = _BYLINE.match(line)
    return match.group("name").rstrip(".") if match else None


def is_editorial_note(line: str) -> bool:
    """Third-person editorial framing: "We republish ...", "In this piece X takes ..."."""
    return bool(_EDITORIAL.search(line))


def is_signature_delimiter(line: str) -> bool:
    """ "--" or "* * *" on a line of its own, after which only sign-off text follows."""
    return bool(_SIGNATURE.match(line))


def is_closing_courtesy(line: str) -> bool:
    """ "Thank you for listening ..." at the end of a talk transcript."""
    return bool(_CLOSING.match(line))


def is_note_line(line: str) -> bool:
    """A note of a note section: "[1] Pirani, Simon, ..."."""
    return bool(_NOTE_LINE.match(line))


def is_running_head(line: str) -> bool:
    """A page number with an all-capitals title, e.g. "THE ORIGINS OF SOCIALISM 29".

    Heuristic: at least two words, at least 90 % of the letters upper-case. A CHAPTER
    label has no page number and is not matched.
    """
    match = _RUNNING_HEAD.match(line)
    if not match:
        return False
    title = match.group("a") or match.group("b") or ""
    letters = [char for char in title if char.isalpha()]
    return (
        len(title.split()) >= 2
        and len(letters) >= 6
        and sum(char.isupper() for char in letters) >= 0.9 * len(letters)
    )


def is_page_number(line: str) -> bool:
    """A page number alone on a line ("29", "Page 29", "- 29 -")."""
    return bool(_PAGE_NUMBER.match(line))


def is_figure_caption(line: str) -> bool:
    """ "Figure 1.1 Bolshevism in power: ..."."""
    return bool(_FIGURE_CAPTION.match(line))


def is_figure_key(line: str) -> bool:
    """ "KEY:" heading a figure legend."""
    return bool(_FIGURE_KEY.match(line))


def is_key_item(line: str) -> bool:
    """A legend entry "A: Party members seek election ..."."""
    return bool(_KEY_ITEM.match(line))
