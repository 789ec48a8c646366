"""Entity recognition without a statistical model, and the corpus inventory.

Mentions come from, in order of trust: regular expressions for dates and numbers, the
curated gazetteer, and capitalised-name runs typed by head words, first names,
titles and context. The :class:`Inventory` aggregates mentions over a whole corpus:
it supplies same-kind distractors and lets the generator check that a swapped
statement is not true elsewhere in the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import (
    EVENT_HEADS,
    FIRST_NAMES,
    ORG_HEADS,
    PERSON_TITLES,
    PLACE_HEADS,
    entries,
)
from .text import STOP_WORDS, content_stems, flatten, split_sentences
from .types import Entity, Mention

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR = r"1[5-9]\d\d|20[0-4]\d"
DATE_RE = re.compile(
    rf"\b(?:(?P<range>(?:(?:{_MONTHS})[–-](?:{_MONTHS})\s(?:{_YEAR}))|"
    rf"(?:{_YEAR})\s?[–-]\s?(?:\d{{1,4}}))\b(?![–-]\d)"
    r"|(?P<decade>(?:the\s)?(?:1[5-9]|20)\d0s)"
    rf"|(?P<month>(?:(?:early|late|mid)[\s-]|\d{{1,2}}\s)?(?:{_MONTHS})\s(?:{_YEAR}))"
    rf"|(?P<season>(?:the\s)?(?:spring|summer|autumn|winter)\sof\s(?:{_YEAR}))"
    rf"|(?<!out of )(?<!about )(?<!some )(?<!over )(?P<year>{_YEAR})"
    rf"|(?:(?<=\bin )|(?<=\bby )|(?<=\buntil )|(?<=\bsince ))(?P<monthonly>{_MONTHS})(?!\s\d))"
    r"\b(?! of\b)"
)
NUMBER_RE = re.compile(
    r"(?<![\w.,£$])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))"
    r"(?P<unit>\s?(?:%|per\scent|percent|million|billion|thousand))?(?![\w,]\d)(?![–-]\d)"
)
_CAP_WORD = r"(?:[A-Z]{2,}s?|[A-Z][a-zà-ÿ]*(?:[’'\-][A-Za-zà-ÿ]+)*)(?![\w])"
NAME_RE = re.compile(
    rf"(?:(?:[A-Z]\.\s?)+)?{_CAP_WORD}(?:(?:\s(?:of\sthe|of|for|de|du|von|van|and\sthe)\s|\s|-)"
    rf"{_CAP_WORD})*"
)
# "533 out of 2115", "500 seats": a bare number followed by a counted (plural) noun.
_COUNTED_NOUN = r"\s(?:out\sof\s\d|(?!(?:was|has|is|as|this|thus)\b)[a-z]+s\b)"
_MONTH_NAMES: frozenset[str] = frozenset(_MONTHS.split("|"))
_ORDINAL_RE = re.compile(r"^(?:First|Second|Third|Fourth|Fifth|Tenth|Eleventh|\d+(?:st|nd|rd|th))$")

# Sentence openers that are never names, even though capitalised.
_NOT_NAMES: frozenset[str] = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "To",
        "Of",
        "With",
        "As",
        "But",
        "And",
        "Or",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "During",
        "Between",
        "Among",
        "Under",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "His",
        "Her",
        "They",
        "Their",
        "We",
        "Our",
        "I",
        "My",
        "There",
        "Here",
        "However",
        "Although",
        "Though",
        "Yet",
        "So",
        "Thus",
        "Hence",
        "Also",
        "Even",
        "Indeed",
        "Instead",
        "Meanwhile",
        "Moreover",
        "Furthermore",
        "Nevertheless",
        "Nonetheless",
        "Since",
        "Until",
        "Unless",
        "Whereas",
        "Despite",
        "Some",
        "Many",
        "Most",
        "Such",
        "Each",
        "Every",
        "All",
        "Both",
        "Either",
        "Neither",
        "No",
        "Not",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "First",
        "Second",
        "Third",
        "Last",
        "Then",
        "Now",
        "Later",
        "Soon",
        "What",
        "Who",
        "Why",
        "How",
        "Which",
        "Where",
        "Theme",
        "Chapter",
        "Figure",
        "Table",
        "Part",
        "See",
        "Note",
        "Notes",
        "Whether",
        "Like",
        "Unlike",
        "Only",
        "Other",
        "Others",
        "Another",
        "Let",
        "Do",
        "Did",
        "Does",
        "Was",
        "Were",
        "Is",
        "Are",
        "Be",
        "Has",
        "Had",
        "Have",
        "Just",
        "Over",
        "Within",
        "Without",
        "Through",
        "Throughout",
        "Towards",
        "Toward",
        "Against",
        "Above",
        "Below",
        "Because",
        "Once",
        "According",
        "Following",
        "Given",
        "Apart",
        "Rather",
        "Again",
        "Above",
        "Mr",
        "Mrs",
        "Dr",
    ]
)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, Entity]]:
    proper: list[str] = []
    lower: list[str] = []
    by_surface: dict[str, Entity] = {}
    for kind, subkind, canonical, variants in entries():
        for variant in variants:
            entity = Entity(text=variant, kind=kind, key=canonical.lower(), subkind=subkind)
            if variant[0].islower():
                lower.append(variant)
                by_surface[variant.lower()] = entity
            else:
                proper.append(variant)
                by_surface[variant] = entity

    def alternation(names: list[str]) -> str:
        return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))

    proper_re = re.compile(rf"(?<![\w’'-])(?:{alternation(proper)})(?![\w-])")
    lower_re = re.compile(rf"(?<![\w’'-])(?:{alternation(lower)})(?![\w-])", re.IGNORECASE)
    return proper_re, lower_re, by_surface


def _date_entity(match: re.Match[str]) -> Entity:
    text = match.group(0)
    if match.group("monthonly"):
        return Entity(text=text, kind="DATE", key=text.lower(), subkind="MONTHONLY")
    for subkind in ("range", "decade", "month", "season", "year"):
        if match.group(subkind):
            year = re.search(_YEAR, text)
            key = text.lower() if subkind != "year" else text
            return Entity(text=text, kind="DATE", key=key, subkind=subkind.upper() if year else "")
    return Entity(text=text, kind="DATE", key=text.lower())


def _type_name(name: str, after: str, before: str) -> tuple[str, str]:
    """Kind and subkind of an unknown capitalised name from its shape and context."""
    tokens = name.replace("-", " ").split()
    last, first = tokens[-1], tokens[0]
    if first in PERSON_TITLES and len(tokens) > 1:
        return "PERSON", "TITLED"
    if re.match(r"^(?:[A-Z]\.\s?)+", name):
        return "PERSON", ""
    if last in ORG_HEADS or first in ("Committee", "Council", "Union", "Bank", "Church"):
        return "ORG", ""
    if last in EVENT_HEADS or first in ("Treaty", "Battle", "Storming", "Reign", "Declaration"):
        return "EVENT", ""
    if last in PLACE_HEADS:
        return "PLACE", ""
    if first in FIRST_NAMES and len(tokens) >= 2:
        return "PERSON", ""
    if len(tokens) == 2 and re.fullmatch(r"[IVX]+", last):
        return "PERSON", "TITLED"  # Louis XVI
    if re.match(
        r"^\s*(?:wrote|said|argued|claimed|believed|noted|insisted|showed|discovered|proposed|"
        r"described|founded|invented|demonstrated|observed)\b",
        after,
    ):
        return "PERSON", ""
    return "NAME", ""


def find_mentions(text: str, inventory: Inventory | None = None) -> list[Mention]:
    """All entity mentions in ``text`` (non-overlapping, longest and most trusted first)."""
    flat = flatten(text)
    proper_re, lower_re, by_surface = _gazetteer()
    found: list[Mention] = []
    taken = [False] * len(flat)

    def claim(start: int, end: int, entity: Entity) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append(Mention(entity=entity, start=start, end=end))

    for match in DATE_RE.finditer(flat):
        claim(match.start(), match.end(), _date_entity(match))
    for match in proper_re.finditer(flat):
        base = by_surface[match.group(0)]
        claim(match.start(), match.end(), Entity(match.group(0), base.kind, base.key, base.subkind))
    for match in lower_re.finditer(flat):
        base = by_surface[match.group(0).lower()]
        claim(match.start(), match.end(), Entity(match.group(0), base.kind, base.key, base.subkind))
    for match in NUMBER_RE.finditer(flat):
        value = match.group("num")
        unit = (match.group("unit") or "").strip()
        if (
            not unit
            and "," not in value
            and not re.match(_COUNTED_NOUN, flat[match.end() : match.end() + 20])
        ):
            continue  # a bare number with no unit or counted noun: often a note marker
        claim(
            match.start(),
            match.end(),
            Entity(
                match.group(0),
                "NUMBER",
                match.group(0).lower(),
                "PERCENT" if unit in ("%", "per cent", "percent") else unit.upper(),
            ),
        )
    for match in NAME_RE.finditer(flat):
        start, end = match.start(), match.end()
        name = match.group(0)
        # Drop leading words that are never names ("The", "In", ...).
        while True:
            head = name.split(" ", 1)
            if head[0] in _NOT_NAMES or _ORDINAL_RE.match(head[0]) and len(head) == 1:
                if len(head) == 1:
                    name = ""
                    break
                start += len(head[0]) + 1
                name = head[1]
            else:
                break
        if not name or len(name) < 3 or name.isupper() and len(name) > 6:
            continue
        if " " not in name and (name in _MONTH_NAMES or name in ORG_HEADS or name in EVENT_HEADS):
            continue
        sentence_initial = start == 0 or bool(
            re.search(r"[.!?:]['’”\"]?\s+$|^\s*$", flat[max(0, start - 4) : start])
        )
        if (
            sentence_initial
            and " " not in name
            and inventory is not None
            and not inventory.is_name(name)
        ):
            continue
        if sentence_initial and " " not in name and inventory is None:
            continue
        kind, subkind = _type_name(name, flat[end : end + 20], flat[max(0, start - 6) : start])
        claim(start, start + len(name), Entity(name, kind, name.lower(), subkind))
    found.sort(key=lambda m: m.start)
    return found


@dataclass
class EntityRecord:
    """What the inventory knows about one canonical entity."""

    key: str
    kind: str
    subkind: str
    count: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    with_article: int = 0
    sentence_ids: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    # mentions as a scholar ("Malia argues", "as Carr has shown", "according to Lewin")
    scholarly: int = 0

    def is_scholar(self) -> bool:
        """True for a person the corpus cites as a historian rather than as an actor."""
        return self.kind == "PERSON" and self.scholarly * 4 >= self.count and self.scholarly >= 2

    def era(self) -> int | None:
        """Median year mentioned alongside this entity, if any."""
        if not self.years:
            return None
        ordered = sorted(self.years)
        return ordered[len(ordered) // 2]

    def best_surface(self, tokens: int | None = None) -> str:
        """The most frequent surface form, preferring ``tokens`` words when given."""
        # OCR small capitals ("CHEKA", "SRS") lose to the ordinary spelling.
        ranked = sorted(
            self.surfaces.items(),
            key=lambda kv: (kv[0].isupper() and len(kv[0]) > 3, -kv[1], kv[0]),
        )
        if tokens is not None:
            for surface, _ in ranked:
                if len(surface.split()) == tokens:
                    return surface
        return ranked[0][0]


@dataclass
class Inventory:
    """Entities of a corpus by kind, with counts, surface forms and sentence contexts."""

    records: dict[str, EntityRecord] = field(default_factory=dict)
    sentences: list[frozenset[str]] = field(default_factory=list)
    capitalised_inside: Counter[str] = field(default_factory=Counter)
    lower_words: Counter[str] = field(default_factory=Counter)
    # Lower-case two- and three-word sequences ("state ownership"): recurring phrases
    # are the corpus's own terms.
    lower_phrases: Counter[str] = field(default_factory=Counter)
    total_words: int = 0  # lower-case words and capitalised words mid-sentence

    def is_name(self, word: str) -> bool:
        """True when ``word`` is seen capitalised mid-sentence more often than lower-case."""
        return self.capitalised_inside[word] > self.lower_words[word.lower()]

    def is_common_word(self, word: str) -> bool:
        """True when ``word`` is seen lower-case in the corpus (so it is not a name)."""
        return self.lower_words[word.lower()] > self.capitalised_inside[word]

    def of_kind(self, kind: str) -> list[EntityRecord]:
        """Records of one kind, most frequent first (ties by key, for determinism)."""
        return sorted(
            (r for r in self.records.values() if r.kind == kind), key=lambda r: (-r.count, r.key)
        )

    def record(self, entity: Entity) -> EntityRecord | None:
        """The record of ``entity``'s canonical key, if any."""
        return self.records.get(entity.key)

    def statement_supported(self, key: str, stems: set[str], threshold: float = 0.6) -> bool:
        """True if some corpus sentence mentioning ``key`` shares most of ``stems``.

        Used to reject a distractor or a false swap that the corpus states as true.
        """
        record = self.records.get(key)
        if record is None or not stems:
            return False
        for sid in record.sentence_ids:
            overlap = len(stems & self.sentences[sid]) / len(stems)
            if overlap >= threshold:
                return True
        return False


# Present-tense citation verbs mark historians ("Malia argues", "as Carr has shown").
_SCHOLAR_AFTER = re.compile(
    r"(?:[’']s)?\s(?:\w+ly\s)?(?:argues|asserts|contends|notes|suggests|highlights|claims|"
    r"writes|shows|maintains|observes|has\s(?:argued|shown|noted|suggested|demonstrated|"
    r"written|claimed|highlighted)|recent\s(?:text|work|study|book)|study|account)\b"
)
_SCHOLAR_BEFORE = re.compile(r"(?:\b[Aa]s\s|according\sto\s|\b[Ii]n\sthe\swords\sof\s)$")


def build_inventory(texts: Iterable[str]) -> Inventory:
    """Build an :class:`Inventory` from the texts of a whole corpus (deterministic)."""
    inventory = Inventory()
    corpus = [flatten(t) for t in texts]
    for flat in corpus:
        for match in re.finditer(r"(?<=[a-z,;] )([A-Z][a-zà-ÿ]+)|\b([a-z][a-zà-ÿ]+)\b", flat):
            if match.group(1):
                inventory.capitalised_inside[match.group(1)] += 1
            else:
                inventory.lower_words[match.group(2)] += 1
        for run in re.finditer(r"[a-z][a-z-]+(?: [a-z][a-z-]+)+", flat):
            parts = run.group().split()
            for n in (2, 3):
                for i in range(len(parts) - n + 1):
                    inventory.lower_phrases[" ".join(parts[i : i + n])] += 1
    inventory.total_words = sum(inventory.lower_words.values()) + sum(
        inventory.capitalised_inside.values()
    )
    for flat in corpus:
        for sentence in split_sentences(flat):
            sid = len(inventory.sentences)
            stems = content_stems(sentence.text)
            inventory.sentences.append(frozenset(stems))
            mentions = find_mentions(flat[sentence.start : sentence.end], inventory)
            years = [
                int(y)
                for m in mentions
                if m.entity.kind == "DATE"
                for y in re.findall(_YEAR, m.entity.text)
            ]
            for mention in mentions:
                entity = mention.entity
                record = inventory.records.get(entity.key)
                if record is None:
                    record = EntityRecord(entity.key, entity.kind, entity.subkind)
                    inventory.records[entity.key] = record
                record.count += 1
                record.surfaces[entity.text] += 1
                before = flat[
                    sentence.start + max(0, mention.start - 4) : sentence.start + mention.start
                ]
                if before.lower().endswith("the "):
                    record.with_article += 1
                if entity.kind == "PERSON":
                    local = flat[sentence.start : sentence.end]
                    if _SCHOLAR_AFTER.match(local, mention.end) or _SCHOLAR_BEFORE.search(
                        local[: mention.start]
                    ):
                        record.scholarly += 1
                if not record.sentence_ids or record.sentence_ids[-1] != sid:
                    record.sentence_ids.append(sid)
                    if entity.kind != "DATE":
                        record.years.extend(years)
    return inventory


def is_stop(word: str) -> bool:
    """True for function words that must never be a key."""
    return word.lower() in STOP_WORDS
