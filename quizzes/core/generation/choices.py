"""Distractors: plausible but wrong options of the same kind as the key.

Names come from the corpus inventory (a person for a person, a party for a party, a
city for a city); years and numbers are perturbed around the key. A candidate is
refused when it is a spelling variant of the key, shares a word stem with it or with
the question stem, is mentioned in the same passage, or when the corpus states the
question's fact with the candidate (a second true answer).
"""

from __future__ import annotations

import random
import re

from .entities import EntityRecord, Inventory
from .text import STOP_WORDS, content_stems, stem, words
from .types import Entity

_MIN_COUNT = 2  # a distractor must be a name the corpus uses at least twice
SWAPPABLE_DATES = frozenset({"YEAR", "MONTH", "DECADE", "SEASON"})
# Keys that can each be a true answer where the other is (a country and its state).
_EQUIVALENT: tuple[frozenset[str], ...] = (
    frozenset({"russia", "soviet union"}),
    frozenset({"petrograd", "moscow"}),  # both capitals in the period: too easily both true
    frozenset({"cheka", "ogpu", "nkvd", "kgb"}),  # one secret police under successive names
    frozenset({"bolshevism", "leninism", "marxism-leninism"}),  # near-synonyms
    frozenset({"marxism", "marxism-leninism"}),
)
_MAX_ERA_GAP = 15
_BOUND_BEFORE = re.compile(
    r"\b(?:after|since|before|by|until|till|from|between|prior\sto|up\sto|through|"
    r"throughout|beyond|following|preceding|\d{4}s?\sand|\d{4}s?\sor|\d{4}s?\sto|"
    r"\d{4}s?\suntil|as\slate\sas|as\searly\sas)\s(?:the\s)?"
    r"(?:(?:early|late|mid|end\sof|beginning\sof|start\sof|spring\sof|summer\sof|"
    r"autumn\sof|winter\sof)\s)?$",
    re.IGNORECASE,
)
_BOUND_AFTER = re.compile(r"^(?:\sand\s|\sor\s|\sto\s|[–-]|\sonwards|\sonward)")


def bound_date(text: str, start: int, end: int) -> bool:
    """True when the date at ``text[start:end]`` bounds a period ("after 1957", "between
    1939 and 1952", "1930s and 1950s"): a nearby year would often make the claim true as
    well, so it is neither swapped for a false statement nor given year distractors."""
    return bool(_BOUND_BEFORE.search(text[:start]) or _BOUND_AFTER.match(text[end:]))


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 2}


def _year_variant(text: str, year: int, new_year: int) -> str:
    return text.replace(str(year), str(new_year), 1)


def _date_distractors(
    entity: Entity, inventory: Inventory, banned: set[str], rng: random.Random
) -> list[str]:
    match = re.search(r"1[5-9]\d\d|20[0-4]\d", entity.text)
    if not match or entity.subkind not in SWAPPABLE_DATES:
        return []
    year = int(match.group())
    step = 10 if entity.subkind == "DECADE" else 1
    if entity.subkind == "YEAR":
        seen = [
            int(r.key)
            for r in inventory.of_kind("DATE")
            if r.subkind == "YEAR" and r.count >= 1 and r.key.isdigit()
        ]
    else:
        seen = []
    near = sorted({y for y in seen if 0 < abs(y - year) <= 6}, key=lambda y: (abs(y - year), y))
    pool = near[:5] + [year + d * step for d in (1, -1, 2, -2, 3, -3, 4)]
    out: list[str] = []
    for candidate_year in pool:
        text = _year_variant(entity.text, year, candidate_year)
        if text.lower() in banned or str(candidate_year) in banned or text in out:
            continue
        out.append(text)
    head, tail = out[:4], out[4:]
    rng.shuffle(head)
    return head + tail


def _format_number(value: float, template: str) -> str:
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", template)
    assert digits is not None
    original = digits.group()
    if "." in original:
        decimals = len(original.split(".")[1])
        body = f"{value:.{decimals}f}"
    else:
        rounded = int(round(value))
        if rounded >= 1000:
            magnitude = 10 ** (len(str(rounded)) - 2)
            rounded = int(round(rounded / magnitude) * magnitude)
        body = f"{rounded:,}" if "," in original else str(rounded)
    return template[: digits.start()] + body + template[digits.end() :]


def _number_distractors(entity: Entity, banned: set[str], rng: random.Random) -> list[str]:
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", entity.text)
    if not digits:
        return []
    value = float(digits.group().replace(",", ""))
    percent = entity.subkind == "PERCENT"
    factors = [0.5, 2.0, 1.5, 0.75, 3.0, 0.25]
    rng.shuffle(factors)
    out: list[str] = []
    for factor in factors:
        new = value * factor
        if percent and new > 100:
            continue
        text = _format_number(new, entity.text)
        if text == entity.text or text.lower() in banned or text in out or new <= 0:
            continue
        out.append(text)
    return out


def _historian(subkind: str, record: EntityRecord | None) -> bool:
    """True for a historian: typed so by the gazetteer, or cited as one by the corpus."""
    return subkind == "HISTORIAN" or (record is not None and record.is_scholar())


def _agrees(key_text: str, candidate: str) -> bool:
    """Same grammatical number (a plural group for a plural group)."""
    return key_text.endswith("s") == candidate.endswith("s")


def distractors(
    entity: Entity,
    inventory: Inventory,
    *,
    stem_text: str,
    passage_keys: set[str],
    rng: random.Random,
    count: int = 3,
) -> list[str]:
    """Up to ``count`` distractors for ``entity`` in a question whose stem is ``stem_text``.

    Returns fewer than ``count`` rather than bad ones; callers drop the item then.
    """
    banned = {k.lower() for k in passage_keys} | {entity.text.lower(), entity.key.lower()}
    banned |= {re.sub(r"^the\s", "", b) for b in banned} | {"the " + b for b in banned}
    # a date of the stem ("the 1930s and 1950s") is no distractor
    banned |= {d.lower() for d in re.findall(r"\b(?:1[5-9]|20)\d0s\b|\b1[5-9]\d\d\b", stem_text)}
    banned |= {"the " + d.lower() for d in re.findall(r"\b(?:1[5-9]|20)\d0s\b", stem_text)}
    if entity.kind == "DATE":
        found = _date_distractors(entity, inventory, banned, rng)
    elif entity.kind == "NUMBER":
        found = _number_distractors(entity, banned, rng)
    else:
        found = _name_distractors(entity, inventory, stem_text, passage_keys, rng)
    key_stems = _stems(entity.text)
    stem_stems = content_stems(stem_text)
    out: list[str] = []
    for candidate in found:
        if candidate.lower() == entity.text.lower():
            continue
        if entity.kind not in ("DATE", "NUMBER") and (_stems(candidate) & (key_stems | stem_stems)):
            continue
        if any(candidate.lower() in o.lower() or o.lower() in candidate.lower() for o in out):
            continue
        out.append(candidate)
        if len(out) == count:
            break
    return out


def _name_distractors(
    entity: Entity, inventory: Inventory, stem_text: str, passage_keys: set[str], rng: random.Random
) -> list[str]:
    if not entity.subkind and entity.kind != "PERSON":
        return []  # untyped heuristic names are too noisy to swap
    stems = content_stems(stem_text)
    tokens = len(entity.text.split())
    ranked: list[tuple[int, int, int, str]] = []
    own = inventory.record(entity)
    own_era = own.era() if own is not None else None
    equivalent = frozenset().union(*(g for g in _EQUIVALENT if entity.key in g))
    for record in inventory.of_kind(entity.kind):
        if record.key == entity.key or record.key in passage_keys or record.count < _MIN_COUNT:
            continue
        if record.key in equivalent:
            continue
        era = record.era()
        era_gap = abs(era - own_era) if era is not None and own_era is not None else 0
        if era_gap > _MAX_ERA_GAP:
            continue  # an anachronism is wrong but not plausible
        # a party for a party, a body for a body, a city for a city; people of any role
        if (
            entity.subkind
            and record.subkind != entity.subkind
            and not (entity.kind == "PERSON" and record.subkind)
        ):
            continue
        if entity.kind == "PERSON" and _historian(entity.subkind, own) != _historian(
            record.subkind, record
        ):
            continue  # a historian for a historian, a revolutionary for a revolutionary
        surface = record.best_surface(tokens if entity.kind == "PERSON" else None)
        if entity.kind == "ORG" and not _agrees(entity.text, surface):
            continue
        if entity.text[:1].islower() != surface[:1].islower() and entity.kind != "PERSON":
            continue
        if inventory.statement_supported(record.key, stems):
            continue
        same_subkind = 0 if record.subkind == entity.subkind else 1
        ranked.append((same_subkind, era_gap // 5, -record.count, surface))
    ranked.sort()
    top = [surface for *_, surface in ranked[:6]]
    rng.shuffle(top)
    return top
