"""What a deck (one source) names: its entities, years and counted numbers, by passage.

Built from the parsed passages of one source, so distractors and accepted answers
come from the same deck and, for distractors, from the passages nearest the key's
(the same period or topic), never from what the key's own passage makes true.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from .text import NUMBER_WORDS

YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
NAME_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "EVENT", "LAW", "FAC", "WORK_OF_ART")
ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def norm(text: str) -> str:
    return ARTICLE.sub("", text.strip()).casefold()


@dataclass
class DeckInventory:
    """Entities (label -> text -> passage positions), years and counted numbers."""

    names: dict[str, dict[str, set[int]]] = field(default_factory=lambda: defaultdict(dict))
    years: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    numbers: dict[str, dict[str, set[int]]] = field(default_factory=lambda: defaultdict(dict))
    passage_texts: list[str] = field(default_factory=list)
    labels: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, position: int, doc) -> None:
        while len(self.passage_texts) <= position:
            self.passage_texts.append("")
        self.passage_texts[position] = doc.text
        for ent in doc.ents:
            text = ent.text.strip()
            self.labels[norm(text)][ent.label_] += 1
            if (
                ent.label_ in NAME_LABELS
                and 2 <= len(text) <= 40
                and text[:1].isupper()
                or (ent.label_ in NAME_LABELS and text.lower().startswith("the "))
            ):
                if "\n" in text or any(c in text for c in '()[]"“”'):
                    continue
                self.names[ent.label_].setdefault(text, set()).add(position)
            if ent.label_ == "DATE":
                for match in YEAR.finditer(ent.text):
                    self.years[int(match.group(1))].add(position)
        for token in doc:
            if token.dep_ == "nummod" and token.like_num and token.head.tag_ in {"NNS", "NNPS"}:
                number = token.text
                if re.fullmatch(r"\d[\d,]*(?:\.\d+)?|[a-z]+", number):
                    self.numbers[token.head.lemma_.lower()].setdefault(number, set()).add(position)

    def passage_year(self, position: int) -> int | None:
        """The median year a passage mentions, or the nearest passage's."""
        years_by_passage = self._years_by_passage()
        for distance in range(0, 8):
            for p in (position - distance, position + distance):
                if p in years_by_passage:
                    return years_by_passage[p]
        return None

    def _years_by_passage(self) -> dict[int, int]:
        if getattr(self, "_cache_years", None) is None:
            found: dict[int, list[int]] = defaultdict(list)
            for year, positions in self.years.items():
                for p in positions:
                    found[p].append(year)
            self._cache_years = {p: sorted(v)[len(v) // 2] for p, v in found.items()}
        return self._cache_years

    def era(self, positions) -> int | None:
        years = [y for y in (self.passage_year(p) for p in positions) if y is not None]
        if not years:
            return None
        return sorted(years)[len(years) // 2]

    def label_of(self, text: str, fallback: str = "") -> str:
        """The label the deck's mentions of ``text`` most often carry (NER is noisy).

        A name the curated gazetteer lists takes the gazetteer's type: it only adds
        knowledge, texts of other subjects are typed by the deck alone.
        """
        known = _gazetteer_labels().get(norm(text))
        if known:
            return known
        if " " not in text.strip() and text[:1].isupper() and text.strip() in self._surnames():
            return "PERSON"  # "Kamenev" where the deck also names "Lev Kamenev"
        counts = self.labels.get(norm(text))
        if not counts:
            return fallback
        return counts.most_common(1)[0][0]

    def _surnames(self) -> set[str]:
        if getattr(self, "_cache_surnames", None) is None:
            self._cache_surnames = {
                t.split()[-1]
                for t in self.names.get("PERSON", {})
                if len(t.split()) >= 2 and all(w[:1].isupper() for w in t.split())
            }
        return self._cache_surnames

    def _pool(self) -> dict[str, set[int]]:
        """Every named entity of the deck with its passages, whatever NER called it."""
        if getattr(self, "_cache_pool", None) is None:
            pool: dict[str, set[int]] = {}
            for texts in self.names.values():
                for text, positions in texts.items():
                    pool.setdefault(text, set()).update(positions)
            self._cache_pool = sorted(pool.items(), key=lambda kv: (-len(kv[0].split()), kv[0]))
        return self._cache_pool

    def is_person_name(self, text: str) -> bool:
        """Safe to offer or ask as a person: the gazetteer lists a person by that name, the
        deck names someone with that surname in full, or it is a full name of capitalised
        words (not a plural such as "Russian Marxists")."""
        text = text.strip()
        known = _gazetteer_labels().get(norm(text))
        if known:
            return known == "PERSON"
        words = text.split()
        if len(words) == 1:
            return text in self._surnames()
        return all(w[:1].isupper() for w in words) and not text.endswith("s")

    def person_mentions(self, text: str) -> int:
        """Mentions of anyone with ``text``'s surname ("Lev Kamenev", "Kamenev")."""
        if getattr(self, "_cache_by_surname", None) is None:
            counts: Counter = Counter()
            for key, labels in self.labels.items():
                if key:
                    counts[key.split()[-1]] += sum(labels.values())
            self._cache_by_surname = counts
        return self._cache_by_surname[text.split()[-1].casefold()]

    def mentions(self, text: str) -> int:
        return sum(self.labels.get(norm(text), Counter()).values())

    # -- distractors -------------------------------------------------------------

    def name_distractors(
        self,
        label: str,
        key: str,
        position: int,
        passage_text: str,
        rng: random.Random,
        count: int = 3,
    ) -> list[str]:
        pool = self._pool()
        passage_lower = passage_text.lower()
        key_norm = norm(key)
        key_words = len(key.split())
        scored: list[tuple[int, str]] = []
        seen: set[str] = set()
        for text, positions in pool:
            n = norm(text)
            if n == key_norm or n in seen or not n:
                continue
            if label == "PERSON":
                n = n.split()[-1]  # one option per person, however the deck names them
                if n == key_norm.split()[-1] or n in seen:
                    continue
            if text.lower() in passage_lower or n in passage_lower:
                continue  # the passage may make it true as well
            if fuzz.ratio(n, key_norm) >= 80 or n in key_norm or key_norm in n:
                continue  # a variant, superset or subset of the key
            if key.lower().startswith("the ") != text.lower().startswith("the "):
                continue
            if abs(len(text.split()) - key_words) > 1:
                continue
            if label == "PERSON" and not self.is_person_name(text):
                continue
            mentions = self.mentions(text) if label != "PERSON" else self.person_mentions(text)
            if self.label_of(text) != label or mentions < 2:
                continue
            if (
                "’" in text
                or "'" in text
                or not text[:1].isupper()
                and not text.lower().startswith("the ")
            ):
                continue
            key_era, its_era = self.passage_year(position), self.era(positions)
            if key_era is not None and its_era is not None and abs(key_era - its_era) > 12:
                continue  # another period
            distance = min(abs(p - position) for p in positions)
            if distance > 25:
                continue
            scored.append((abs(len(text.split()) - key_words), distance, text))
            seen.add(n)
        scored.sort()
        near = [t for _, _, t in scored[: count + 2]]
        if len(near) < count:
            return []
        rng.shuffle(near)
        return near[:count]

    def year_distractors(
        self, key: str, position: int, passage_text: str, rng: random.Random, count: int = 3
    ) -> list[str]:
        if not re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", key):
            return []
        year = int(key)
        in_passage = {int(y) for y in YEAR.findall(passage_text)}
        options = [y for y in self.years if 2 <= abs(y - year) <= 15 and y not in in_passage]
        options.sort(key=lambda y: (abs(y - year), y))
        options = options[: count + 2]
        if len(options) < count:
            return []
        rng.shuffle(options)
        return [str(y) for y in sorted(options[:count])]

    def number_distractors(
        self, unit: str, key: str, passage_text: str, rng: random.Random, count: int = 3
    ) -> list[str]:
        pool = self.numbers.get(unit, {})
        key_value = _value(key)
        if key_value is None:
            return []
        in_passage = set(re.findall(r"\d[\d,]*", passage_text))
        options = []
        for number in pool:
            value = _value(number)
            if value is None or value == key_value or number in in_passage:
                continue
            if key.isdigit() != number.replace(",", "").isdigit():
                continue
            options.append(number)
        if len(options) < count:
            return []
        options.sort(key=lambda n: abs((_value(n) or 0) - key_value))
        chosen = options[: count + 1]
        rng.shuffle(chosen)
        return chosen[:count]

    # -- accepted answers --------------------------------------------------------

    def variants(self, label: str, key: str, position: int) -> list[str]:
        """Surname alone (when unique in the deck) and spelling variants near the key."""
        out: list[str] = []
        key_norm = norm(key)
        if (
            label == "PERSON"
            and len(key.split()) >= 2
            and all(w[:1].isupper() for w in key.split())
        ):
            surname = key.split()[-1]
            others = {
                t
                for t in self.names.get("PERSON", {})
                if t.split()[-1] == surname
                and norm(t) != key_norm
                and len(t.split()) >= 2
                and not key.endswith(t)
                and not t.endswith(key)
            }
            roman = re.fullmatch(r"[IVXLC]+|Jr\.?|Sr\.?", surname)
            if not others and len(surname) > 2 and not roman:
                out.append(surname)
        for text, positions in self.names.get(label, {}).items():
            n = norm(text)
            if n == key_norm or min(abs(p - position) for p in positions) > 25:
                continue
            if (
                len(n) > 4
                and fuzz.ratio(n, key_norm) >= 88
                and n[:1] == key_norm[:1]
                and (len(n.split()) == len(key_norm.split()))
            ):
                out.append(text)
        if ARTICLE.match(key):
            out.append(ARTICLE.sub("", key))
        out = [v for v in out if not re.search(r"[’']s?$", v)]
        return list(dict.fromkeys(v for v in out if norm(v) != key_norm or v != key))


_GAZETTEER_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "PLACE": "GPE",
    "EVENT": "EVENT",
    "TERM": "TERM",
    "DATE": "DATE",
}


@lru_cache(maxsize=1)
def _gazetteer_labels() -> dict[str, str]:
    from .gazetteer import entries

    out: dict[str, str] = {}
    for kind, _subkind, canonical, variants in entries():
        label = _GAZETTEER_LABELS.get(kind, kind)
        for name in (canonical, *variants):
            out.setdefault(norm(name), label)
    return out


# "one" too: a bare "one" is a number here, though the text module leaves it out.
_NUMBER_WORDS = {"one": 1, **NUMBER_WORDS}


def _value(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def build_deck_inventory(docs) -> DeckInventory:
    inventory = DeckInventory()
    for position, doc in enumerate(docs):
        inventory.add(position, doc)
    return inventory


def label_counts(inventory: DeckInventory) -> Counter:
    return Counter({label: len(v) for label, v in inventory.names.items()})
