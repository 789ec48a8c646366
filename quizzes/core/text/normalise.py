"""Character-level normalisation: Unicode, quotes, dashes and white space.

Quotes: the sources mix straight and curly quotes and the curation report asks us not to
flip one style into the other inside passage text (a straight-to-curly guess is wrong
often enough to damage quotations). So ``normalise_text`` maps every *variant* quote
character (low-9 quotes, primes, guillemet-like ASCII doubles, back-ticks) onto the
four typographic quotes or the two ASCII ones, and :func:`fold_for_matching` folds
both styles to ASCII for answer matching and de-duplication.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "count_words",
    "fold_for_matching",
    "normalise_line",
    "normalise_text",
    "repair_spacing",
    "split_lines",
]

# Characters that are removed outright: BOM, zero-width space/joiners, soft hyphen,
# word joiner. A soft hyphen is invisible by definition; keeping it breaks matching.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)

_CHAR_MAP = str.maketrans(
    {
        # white space variants -> plain space
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\t": " ",
        # quote variants -> the typographic set
        "\u201a": "\u2018",  # single low-9
        "\u201b": "\u2018",  # single high-reversed-9
        "\u2032": "\u2019",  # prime used as apostrophe
        "\u02bc": "\u2019",  # modifier letter apostrophe
        "\u201e": "\u201c",  # double low-9
        "\u201f": "\u201c",
        "\u2033": "\u201d",  # double prime used as closing quote
        "`": "\u2018",
        # dash variants
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "\u2013",  # figure dash
        "\u2015": "\u2014",  # horizontal bar
        "\ufe58": "\u2014",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)

_LINE_BREAKS = re.compile(r"\r\n|\r|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r" {2,}")
_DOUBLE_BACKTICK = re.compile(r"``(?=\S)(.*?)''")
# "1917– 91" / "1917 –91": spacing damage around an en dash between numbers.
_NUMBER_RANGE = re.compile(r"(?<=\d)\s*\u2013\s*(?=\d)")
# "power.A new": a sentence glued to the next one (missing space after a full stop).
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]*\s)")
_STRAY_BULLET = re.compile(r"(?<=\S )[\u2022\u25cf](?=[a-z])")
_WORD = re.compile(r"\S+")


def split_lines(text: str) -> list[str]:
    """Split on every Unicode line break (CR, CRLF, LS, PS, VT, FF, NEL) into lines."""
    return _LINE_BREAKS.sub("\n", text).split("\n")


def normalise_line(line: str) -> str:
    """Normalise one line: NFC, quote/dash/space variants, no leading/trailing space.

    Guarantees: the result contains no tab, no non-breaking or other exotic space, no
    invisible character, no run of two spaces and no leading or trailing space.
    """
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    line = _DOUBLE_BACKTICK.sub("\u201c\\1\u201d", line).translate(_CHAR_MAP)
    line = _NUMBER_RANGE.sub("\u2013", line)
    return _SPACES.sub(" ", line).strip()


def normalise_text(text: str) -> str:
    """Normalise a whole text line by line, keeping the line structure.

    Line breaks become ``\\n``; every line goes through :func:`normalise_line`;
    runs of blank lines are kept (they carry layout information for
    :func:`~quizzes.core.text.layout.reflow`). The number of lines never changes.
    """
    return "\n".join(normalise_line(line) for line in split_lines(text))


def repair_spacing(text: str) -> str:
    """Repair two kinds of spacing damage that are unambiguous.

    * the missing space in "power.A new" (a full stop after two lower-case letters
      glued to a capitalised word; initials "F.W.Taylor", decimals and domain names
      are left alone);
    * a bullet glyph glued to a lower-case word inside a line ("period in office
      •witnessed"), an OCR artefact of a stray mark.
    """
    return _STRAY_BULLET.sub("", _GLUED_SENTENCE.sub(" ", text))


_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def fold_for_matching(text: str) -> str:
    """Fold typographic quotes, dashes and the ellipsis to ASCII and lower-case.

    For comparing answers and finding duplicates; never for display.
    """
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).casefold().split())


def count_words(text: str) -> int:
    """Number of white-space separated tokens."""
    return len(_WORD.findall(text))
