"""Text helpers: sentence splitting with character offsets, tokens, quotes, word lists.

The splitter is rule based (no model): it works on the passage text with newlines
treated as spaces, so every offset it returns is an offset into the original text.
"""

from __future__ import annotations

import re

from .types import Sentence

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "prof",
        "gen",
        "col",
        "lt",
        "capt",
        "sgt",
        "rev",
        "vol",
        "no",
        "nos",
        "pp",
        "p",
        "cf",
        "eg",
        "ie",
        "etc",
        "vs",
        "viz",
        "al",
        "ed",
        "eds",
        "c",
        "ca",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "ch",
        "chap",
    }
)

_BOUNDARY = re.compile(r"[.!?]+[’'\"”)\]]*(?:\[\d+\])?\s+(?=[‘“\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[’'\-.][A-Za-z0-9À-ÿ]+)*")
_SPACES = re.compile(r"\s+")
FOOTNOTE = re.compile(r"\[\d+\]")

STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "one",
        "two",
        "three",
        "many",
        "much",
        "may",
        "might",
        "must",
        "shall",
        "upon",
        "whose",
        "within",
        "without",
        "towards",
        "toward",
        "among",
        "amongst",
        "across",
        "along",
        "around",
        "rather",
        "even",
        "still",
        "yet",
        "however",
        "though",
        "although",
        "whether",
        "either",
        "neither",
        "each",
        "every",
        "another",
        "others",
    ]
)

PRONOUNS_PERSON: frozenset[str] = frozenset(
    {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
)
PRONOUNS_PLURAL: frozenset[str] = frozenset({"they", "them", "their", "theirs", "themselves"})
PRONOUNS_THING: frozenset[str] = frozenset({"it", "its", "itself"})
FIRST_PERSON: frozenset[str] = frozenset(
    {"i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your"}
)
DEMONSTRATIVES: frozenset[str] = frozenset({"this", "these", "those", "such"})

NUMBER_WORDS: dict[str, int] = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}


def flatten(text: str) -> str:
    """Return ``text`` with every newline and tab turned into a space (same length)."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def collapse(text: str) -> str:
    """Collapse whitespace runs, drop footnote markers and strip."""
    return _SPACES.sub(" ", FOOTNOTE.sub("", text)).strip()


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    match = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 24) : dot])
    if not match:
        return False
    word = match.group(1).replace(".", "").lower()
    if len(word) == 1 and text[dot - 1].isupper():
        return True  # an initial: "V. I. Lenin", "E. Bernstein"
    return word in ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; offsets refer to ``text`` itself."""
    flat = flatten(text)
    sentences: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(flat):
        dot = boundary.start()
        if flat[dot] == "." and _ends_with_abbreviation(flat, dot):
            continue
        end = boundary.end()
        _append(sentences, flat, start, end)
        start = end
    _append(sentences, flat, start, len(flat))
    return sentences


def _append(sentences: list[Sentence], flat: str, start: int, end: int) -> None:
    piece = flat[start:end]
    stripped_left = len(piece) - len(piece.lstrip())
    stripped_right = len(piece) - len(piece.rstrip())
    s, e = start + stripped_left, end - stripped_right
    if e > s:
        sentences.append(Sentence(start=s, end=e, text=collapse(flat[s:e]), index=len(sentences)))


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``."""
    return [w.lower() for w in _WORD.findall(text)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with their offsets."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """A crude stem for leak and overlap checks ("Bolsheviks" ~ "Bolshevik")."""
    w = word.lower().replace("’", "'")
    for suffix in ("'s", "ies", "es", "s", "ism", "ist", "ists", "ian", "ians"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:7]


def content_stems(text: str) -> set[str]:
    """Stems of the content words of ``text``."""
    return {stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 2}


_QUOTE_SPANS = re.compile(r"(?:^|(?<=[\s(\[—–-]))[‘“\"](.+?)[’”\"](?=$|[\s.,;:!?)\]—–-])")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations in ``text`` (the quotes included).

    Scare quotes around a term of three words or fewer (‘war communism’) are not
    quotations: the term is the author's and can be asked about.
    """
    return [
        (m.start(), m.end())
        for m in _QUOTE_SPANS.finditer(text)
        if len(m.group(1).split()) > 3 or re.search(r"[.,;:!?]", m.group(1))
    ]


def strip_quotes(text: str) -> str:
    """``text`` with quoted material blanked out (length preserved)."""
    out = list(text)
    for s, e in quoted_spans(text):
        for i in range(s, e):
            out[i] = " "
    return "".join(out)


def surname(author: str) -> str:
    """The name used in "According to ..." for an author string."""
    name = author.strip()
    if not name or "unsigned" in name.lower() or "unknown" in name.lower():
        return ""
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    if " " not in name:
        return name
    return name.split()[-1]
