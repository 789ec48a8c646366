"""Hyphenation repairs that use the document itself as the dictionary.

Three kinds of damage, all decided by counting word forms in the same document
(:class:`WordStats`), never by a language dictionary, so the rules work for any
subject and keep the author's spelling:

* a word broken at a line end ("inextric-\\nably", "socio-\\npolitical"):
  :func:`join_hyphenated` keeps the hyphen unless the joined form is the one the
  document uses; with no evidence it keeps the hyphen for known prefixes and for
  two real words, and joins fragments;
* old discretionary hyphens left inside lines by re-wrapping ("How-ever") and
  hyphens lost by OCR ("selfcriticism"): :func:`harmonise_hyphenation` rewrites
  the minority spelling of a pair to the clearly dominant one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["WordStats", "harmonise_hyphenation", "join_hyphenated", "join_line_pair"]

_LETTERS = r"A-Za-z\u00c0-\u024f"
_TOKEN = re.compile(rf"[{_LETTERS}]+(?:[-\u2019'][{_LETTERS}]+)*")
_LINE_END_FRAGMENT = re.compile(rf"[{_LETTERS}]+-$")
_HYPHEN_BREAK = re.compile(
    rf"([{_LETTERS}]+(?:-[{_LETTERS}]+)*)-[ \t]*\n[ \t]*([{_LETTERS}]+(?:-[{_LETTERS}]+)*)"
)
_HYPHENATED = re.compile(rf"\b([{_LETTERS}]+)-([{_LETTERS}]+)\b")
_PLAIN_WORD = re.compile(rf"\b[{_LETTERS}]{{5,}}\b")

# Prefixes that form compounds with a hyphen in British and American usage. Used only
# when the document gives no evidence either way ("eco-\nsocialists").
COMPOUND_PREFIXES = frozenset(
    [
        "anti",
        "co",
        "counter",
        "cross",
        "eco",
        "ex",
        "extra",
        "full",
        "half",
        "inter",
        "intra",
        "large",
        "long",
        "macro",
        "micro",
        "mid",
        "politico",
        "multi",
        "neo",
        "non",
        "over",
        "post",
        "pre",
        "pro",
        "pseudo",
        "quasi",
        "re",
        "self",
        "semi",
        "short",
        "socio",
        "sub",
        "super",
        "trans",
        "ultra",
        "under",
        "well",
        "anglo",
        "franco",
        "russo",
        "sino",
        "euro",
        "afro",
        "indo",
        "austro",
    ]
)


@dataclass(frozen=True)
class WordStats:
    """Case-folded counts of the word forms of one document.

    Words broken at a line end are not counted, so they cannot vote for themselves.
    """

    counts: Counter[str]

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> WordStats:
        counts: Counter[str] = Counter()
        for line in lines:
            body = _LINE_END_FRAGMENT.sub("", line)
            counts.update(token.casefold() for token in _TOKEN.findall(body))
        return cls(counts)

    @classmethod
    def from_text(cls, text: str) -> WordStats:
        return cls.from_lines(text.split("\n"))

    def count(self, word: str) -> int:
        return self.counts[word.casefold()]


def _keep_hyphen(left: str, right: str, stats: WordStats) -> bool:
    hyphenated = stats.count(f"{left}-{right}")
    joined = stats.count(left + right)
    if hyphenated or joined:
        return hyphenated >= joined
    if right[:1].isupper() or left.casefold() in COMPOUND_PREFIXES:
        return True
    # Two words the document uses on their own ("news-\npapers") form a compound;
    # fragments ("inextric-\nably") are a word split for the line end.
    return len(left) > 2 and len(right) > 2 and stats.count(left) > 0 and stats.count(right) > 0


def _keep_break_hyphen(left: str, right: str, stats: WordStats) -> bool:
    # Part of a longer compound ("day-to-\nday", "politico-\nliterary-ideological"):
    # keep the hyphen unless the document spells the solid form.
    if ("-" in left or "-" in right) and stats.count(left + right) <= stats.count(
        f"{left}-{right}"
    ):
        return True
    return _keep_hyphen(left.split("-")[-1], right.split("-")[0], stats)


def join_line_pair(first: str, second: str, stats: WordStats) -> str:
    """Join two physical lines of one paragraph.

    A line-end hyphen between letters is kept or removed by :func:`_keep_hyphen`;
    "125,\\n000" and a line ending in a dash are joined without a space; anything else
    with one space.
    """
    if not first:
        return second
    if not second:
        return first
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and second[0].isalpha():
        left_match = re.search(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)*$", first[:-1])
        right_match = re.match(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)*", second)
        if left_match and right_match:
            if _keep_break_hyphen(left_match.group(0), right_match.group(0), stats):
                return first + second
            return first[:-1] + second
    if second.startswith("\u2014") and len(second) > 1 and second[1] != " " and first[-1] != " ":
        return first + second  # unspaced em dashes: "peasantry\n—were"
    if first.endswith(("\u2014", "\u2013", "/")) or (
        re.search(r"\d,$", first) and re.match(r"\d{3}\b", second)
    ):
        return first + second
    return f"{first} {second}"


def join_hyphenated(text: str, stats: WordStats | None = None) -> str:
    """Rejoin words split by a hyphen at a line break, deciding from the text itself.

    "inextric-\\nably" becomes "inextricably" and "socio-\\npolitical" stays
    "socio-political" when the document elsewhere spells it that way; with no
    evidence, a known prefix or two real words keep the hyphen. Only the break is
    removed: other line breaks are left in place.
    """
    word_stats = stats or WordStats.from_text(text)

    def repl(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        return f"{left}-{right}" if _keep_break_hyphen(left, right, word_stats) else left + right

    return _HYPHEN_BREAK.sub(repl, text)


def harmonise_hyphenation(text: str, stats: WordStats | None = None) -> str:
    """Rewrite the minority spelling of a hyphenated/solid pair to the dominant one.

    Rule (from the curation report): a form wins when it occurs at least three times
    and at least twice as often as the other ("how-ever" 2x v. "however" 300x ->
    "however"; "selfcriticism" 1x v. "self-criticism" 12x -> "self-criticism").
    Pairs where neither dominates ("co-operative" and "cooperative" both common)
    are left as written. The case of the first letter is preserved.
    """
    word_stats = stats or WordStats.from_text(text)

    def dominant(minority: int, majority: int) -> bool:
        return majority >= 3 and majority >= 2 * max(minority, 1)

    def fix_hyphenated(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        joined = left + right
        if dominant(word_stats.count(match.group(0)), word_stats.count(joined)):
            return joined[0] + joined[1:].lower() if right[0].islower() else joined
        return match.group(0)

    text = _HYPHENATED.sub(fix_hyphenated, text)
    hyphen_forms: dict[str, str] = {}
    for form in word_stats.counts:
        if form.count("-") == 1 and "\u2019" not in form and "'" not in form:
            hyphen_forms.setdefault(form.replace("-", ""), form)

    def fix_solid(match: re.Match[str]) -> str:
        word = match.group(0)
        form = hyphen_forms.get(word.casefold())
        if form is None or not dominant(word_stats.count(word), word_stats.count(form)):
            return word
        cut = form.index("-")
        return f"{word[:cut]}-{word[cut:]}"

    return _PLAIN_WORD.sub(fix_solid, text)
