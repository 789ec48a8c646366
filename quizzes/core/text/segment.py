"""Sentence splitting and cutting sections into passages of about 120-300 words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.core.text.normalise import count_words

__all__ = ["PassageLimits", "split_passages", "split_sentences"]

_CLOSERS = "\"'\u201d\u2019)\\]"
# A candidate sentence end: terminal punctuation, closing quotes/brackets, white space,
# then something that can start a sentence.
_BOUNDARY = re.compile(
    rf"(?<=[.!?\u2026])([{_CLOSERS}]*)(\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de])"
)
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "col",
        "lt",
        "capt",
        "sgt",
        "rev",
        "hon",
        "vol",
        "vols",
        "p",
        "pp",
        "c",
        "ca",
        "cf",
        "no",
        "nos",
        "art",
        "arts",
        "ed",
        "eds",
        "e.g",
        "i.e",
        "al",
        "fig",
        "figs",
        "op",
        "cit",
        "ibid",
        "viz",
        "vs",
        "v",
        "ch",
        "chap",
        "sec",
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
        "co",
        "corp",
        "inc",
        "ltd",
        "mt",
        "ft",
        "approx",
    ]
)


def _is_abbreviation(text: str, end: int) -> bool:
    """Does the full stop ending at ``end`` belong to an abbreviation or an initial?"""
    if text[end - 1] != ".":
        return False
    start = end - 1
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\u201c\"'\u2018":
        start -= 1
    token = text[start : end - 1]
    if len(token) == 1 and token.isupper():
        return True  # an initial: "E. H. Carr"
    return token.casefold().rstrip(".") in _ABBREVIATIONS


def _inside_running_quotation(text: str, cut: int) -> bool:
    """Is ``cut`` inside a curly-quoted question or exclamation that a sentence runs on from?

    In 'you should say, \u201cWhat is the cause? Why does it occur?\u201d and you will'
    the quotation is open at "cause? " and its closing quote is followed by a
    lower-case word, so the sentence goes on past it.
    """
    if text.count("\u201c", 0, cut) <= text.count("\u201d", 0, cut):
        return False
    close = text.find("\u201d", cut)
    if close < 0:
        return False
    after = text[close + 1 :].lstrip()
    return bool(after) and after[0].islower()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences.

    A sentence ends at . ! ? or … (with any closing quotes or brackets) followed by
    white space and a capital, a digit or an opening quote. Abbreviations ("e.g.",
    "Vol.", "pp.") and initials ("E. H. Carr") do not end a sentence. Joining the
    result with single spaces gives back the paragraph with its white space collapsed.
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start(1)
        if _is_abbreviation(text, end) or _inside_running_quotation(text, match.end(1)):
            continue
        cut = match.end(1)
        sentence = text[start:cut].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end(2)
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@dataclass(frozen=True)
class PassageLimits:
    """Target passage size in words."""

    minimum: int = 120
    maximum: int = 300
    target: int = 210


@dataclass
class _Piece:
    text: str
    words: int
    joiner: str  # how this piece joins the previous one: "\n\n" or " "


_LABEL = re.compile(
    r"^(?:article|section|chapter|part|book|clause|amendment)\.?\s+(?:[ivxlc]+|\d+)\.?$",
    re.IGNORECASE,
)


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(
        re.search(rf"[.!?\u2026][{_CLOSERS}]*$", text)
        or re.search(rf"[.!?\u2026][{_CLOSERS}]*\s*\([^()]{{1,80}}\)\.?$", text)
    )


def _sentence_pieces(paragraph: str) -> list[_Piece]:
    if _LABEL.match(paragraph):
        return [_Piece(paragraph, count_words(paragraph), "\n\n")]
    return [
        _Piece(sentence, count_words(sentence), " " if position else "\n\n")
        for position, sentence in enumerate(split_sentences(paragraph))
    ]


def _glue(pieces: Sequence[_Piece]) -> list[list[_Piece]]:
    # A piece that does not end a sentence (a lead-in "... argued that:", a list
    # item ending in ";", a page break the reflow could not mend) travels with the
    # next one.
    # So does a bare label such as "Section. 8." or "Article IV".
    groups: list[list[_Piece]] = []
    for piece in pieces:
        last = groups[-1][-1].text if groups else ""
        if groups and (not _ends_sentence(last) or _LABEL.match(last)):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _merge(group: Sequence[_Piece]) -> _Piece:
    text = group[0].text
    for piece in group[1:]:
        text += piece.joiner + piece.text
    return _Piece(text, sum(piece.words for piece in group), group[0].joiner)


def _pieces(paragraphs: Sequence[str], limits: PassageLimits) -> list[_Piece]:
    """Paragraphs, or sentences of over-long paragraphs, glued where they must be.

    When gluing makes a piece longer than the maximum (a long lead-in followed by a
    long quotation), its paragraphs are cut into sentences and glued again, so that
    only the lead-in's last sentence travels with the quotation.
    """
    pieces: list[_Piece] = []
    for paragraph in paragraphs:
        words = count_words(paragraph)
        if words <= limits.maximum:
            pieces.append(_Piece(paragraph, words, "\n\n"))
        else:
            pieces.extend(_sentence_pieces(paragraph))
    result: list[_Piece] = []
    for group in _glue(pieces):
        merged = _merge(group)
        if merged.words <= limits.maximum or len(group) == 1:
            result.append(merged)
            continue
        sentences: list[_Piece] = []
        for piece in group:
            parts = _sentence_pieces(piece.text)
            if parts:
                parts[0] = _Piece(parts[0].text, parts[0].words, piece.joiner)
            sentences.extend(parts)
        result.extend(_merge(sub) for sub in _glue(sentences))
    return result


def _cost(words: int, limits: PassageLimits) -> float:
    if words < limits.minimum:
        return 4.0 + ((limits.minimum - words) / 20) ** 2
    if words > limits.maximum:
        return 4.0 + ((words - limits.maximum) / 10) ** 2
    return ((words - limits.target) / 90) ** 2


def split_passages(paragraphs: Sequence[str], limits: PassageLimits | None = None) -> list[str]:
    """Cut the paragraphs of one section into passages.

    Guarantees: passages follow the input order and together contain every word of
    the input; a passage boundary is always a paragraph boundary or, inside a
    paragraph longer than ``limits.maximum``, a sentence boundary; a piece of text
    that does not end a sentence is never the end of a passage unless it ends the
    section. Sizes are chosen by dynamic programming to stay within
    ``limits.minimum``-``limits.maximum`` words, near ``limits.target``.
    Paragraphs inside a passage are separated by a blank line.
    """
    limits = limits or PassageLimits()
    pieces = _pieces([p for p in paragraphs if p.strip()], limits)
    if not pieces:
        return []
    count = len(pieces)
    best = [0.0] + [float("inf")] * count
    back = [0] * (count + 1)
    for end in range(1, count + 1):
        words = 0
        for start in range(end - 1, -1, -1):
            words += pieces[start].words
            if words > 3 * limits.maximum and start < end - 1:
                break
            cost = best[start] + _cost(words, limits)
            if cost < best[end]:
                best[end], back[end] = cost, start
    bounds: list[tuple[int, int]] = []
    end = count
    while end > 0:
        bounds.append((back[end], end))
        end = back[end]
    passages: list[str] = []
    for start, stop in reversed(bounds):
        text = pieces[start].text
        for piece in pieces[start + 1 : stop]:
            text += piece.joiner + piece.text
        passages.append(text)
    return passages
