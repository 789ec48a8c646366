"""Cloze (fill-in-the-blank) items and the multiple-choice items built on them.

One blank per item, on a key span: a name, an organisation, a place, an event or
policy, a date, a number, or a rare concept word. Never a stop word, never a span
inside a quotation, never an answer whose words occur elsewhere in the stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wordfreq import zipf_frequency

from .analysis import SentenceContext, rng_for
from .choices import SWAPPABLE_DATES, bound_date, distractors
from .gazetteer import PERSON_ROLE_NOUNS
from .quality import inside_quotes, leaks, rarity
from .text import STOP_WORDS, collapse
from .true_false import _VIEW_VERBS
from .types import Candidate, Entity, Mention

BLANK = "_____"

_KIND_BONUS: dict[str, float] = {
    "PERSON": 0.12,
    "ORG": 0.10,
    "EVENT": 0.10,
    "DATE": 0.16,
    "TERM": 0.08,
    "NUMBER": 0.08,
    "PLACE": 0.02,
    "NAME": 0.0,
}
_NOT_NOUN = re.compile(
    r"(?:ed|ing|ly|al|ive|ous|ic|ary|ful|able|ible|ent|ant|ist|less|ise|ize|ate|ify|est|er)$"
)
_NOUN_ENDING = re.compile(r"(?:ism|ness|tion|sion|ity|ment|ship|ure|cy|ty|gy|y|s|a|i)$")
_PLACE_GROUP = re.compile(
    r"\s(sailors|workers|soldiers|peasants|garrison|metalworkers|textile\sworkers|miners)\b"
)
_ADJECTIVAL = re.compile(r"(?:ian|ist|ists|ern|ese|ish|ic|ite|ites|ised|ized|ian's)$")


@dataclass(frozen=True)
class Key:
    """A span of a sentence that can be blanked."""

    entity: Entity
    start: int
    end: int


def concept_keys(context: SentenceContext) -> list[Key]:
    """Rare lower-case content words (e.g. "requisitioning") outside entity mentions."""
    text = context.sentence.text
    taken = [(m.start, m.end) for m in context.mentions]
    keys: list[Key] = []
    for match in re.finditer(r"(?<![\w’'-])[a-z][a-z-]{5,}(?![\w’'-])", text):
        word = match.group()
        if word in STOP_WORDS or any(s <= match.start() < e for s, e in taken):
            continue
        frequency = zipf_frequency(word, "en")
        if frequency > 3.1 or _NOT_NOUN.search(word) or not _NOUN_ENDING.search(word):
            continue
        in_passage = len(re.findall(rf"\b{re.escape(word[:-1])}", context.passage.text.lower()))
        in_heading = word[:-1] in context.passage.heading.lower()
        if in_passage < 2 and not in_heading:
            continue  # a key concept of the passage, not a rare word in passing
        topic = re.search(
            rf"(?:^|[.!?]\s+)(?:The\s)?{re.escape(word[:1].upper() + word[1:-1])}",
            context.passage.text,
        )
        if frequency > 2.8 and in_passage < 3 and not in_heading and not topic:
            continue  # "constants", "conceptions": ordinary abstract words test vocabulary
        keys.append(Key(Entity(word, "TERM", word, "CONCEPT"), match.start(), match.end()))
    return keys


def eligible_keys(context: SentenceContext) -> list[Key]:
    """Mentions and concept words of ``context`` that make acceptable blanks."""
    text = context.sentence.text
    keys: list[Key] = []
    for mention in context.mentions:
        entity = mention.entity
        if entity.kind == "DATE" and entity.subkind not in (*SWAPPABLE_DATES, "RANGE", "MONTHONLY"):
            continue
        if entity.kind == "NAME":
            record = context.inventory.record(entity)
            if (
                record is None
                or record.count < 3
                or " " not in entity.text
                or _ADJECTIVAL.search(entity.text)
                or rarity(entity.text) < 0.45
                or context.inventory.is_common_word(entity.text)
            ):
                continue
        keys.append(Key(entity, mention.start, mention.end))
    keys.extend(concept_keys(context))
    out: list[Key] = []
    for key in keys:
        if inside_quotes(text, key.start, key.end) or context.is_inserted(key.start):
            continue
        group = _PLACE_GROUP.match(text, key.end)
        if key.entity.kind == "PLACE" and group and text[: key.start].endswith("the "):
            # "the Kronshtadt sailors": the group is the answer, not the place that names it
            key = Key(
                Entity(f"{key.entity.text} {group.group(1)}", "ORG", key.entity.key, "GROUP"),
                key.start,
                group.end(1),
            )
        if key.entity.kind == "DATE" and re.match(r"[’']s\b", text[key.end :]):
            continue  # "the 1950’s": the year is part of a decade
        if re.search(r"[’']s$", key.entity.text):
            continue  # "Stephen Hanson’s": a possessive key reads badly among plain names
        if text.rfind("(", 0, key.start) > text.rfind(")", 0, key.start):
            continue  # inside parentheses
        if len(text.split()) < 8:
            continue
        if key.entity.text[:1].isupper() and re.match(r"\s(?:and\s)?of\b", text[key.end :]):
            continue  # a truncated name ("the Declaration of the Rights of Man and of ...")
        if (
            key.start > 0
            and text[key.start - 1] in "‘“"
            and text[key.end : key.end + 1] == {"‘": "’", "“": "”"}[text[key.start - 1]]
        ):
            key = Key(key.entity, key.start - 1, key.end + 1)  # ‘war communism’: blank the quotes
        elif re.match(r"[’'](?!s\b)", text[key.end :]):
            continue  # the closing scare quote would dangle after the blank
        if text[key.end : key.end + 2] == " (":
            continue  # a parenthesis right after the blank would give the answer away
        if re.match(r"[/–-]\d|/[A-Z]", text[key.end : key.end + 2]) or (
            key.start > 0 and text[key.start - 1] in "/–-"
        ):
            continue  # part of a range or a slashed date
        out.append(key)
    return out


def blanked(context: SentenceContext, key: Key) -> tuple[str, str]:
    """(prompt, stem-without-answer) for ``key`` blanked in the sentence."""
    text = context.sentence.text
    before, after = text[: key.start], text[key.end :]
    before = re.sub(r"\b([Aa])n? $", r"\1(n) ", before)
    sentence = before + BLANK + after
    if context.prefix and key.start > 0:
        opening = context.opening()
        sentence = opening[: len(opening) - len(text)] + sentence
        if opening[:1] != text[:1]:
            sentence = sentence[0].lower() + sentence[1:]
    prompt = collapse(context.prefix + sentence)
    return prompt, before + " " + after


def score_key(context: SentenceContext, key: Key) -> tuple[float, list[str]]:
    """Hand-weighted quality score of a blank on ``key``."""
    reasons: list[str] = []
    entity = key.entity
    score = 0.62
    bonus = _KIND_BONUS.get(entity.kind, 0.0)
    if entity.subkind == "CONCEPT":
        bonus = -0.06
    score += bonus
    reasons.append(f"key kind {entity.kind}{'/' + entity.subkind if entity.subkind else ''}")
    if entity.subkind and entity.kind in ("PERSON", "ORG", "PLACE", "EVENT", "TERM"):
        score += 0.04
        reasons.append("typed by gazetteer")
    # In a list of leaders ("Trotsky, Preobrazhensky and Saporonov") a teacher asks for
    # the best known: neither rarity nor frequency moves the score, so the first is asked.
    listed = entity.kind == "PERSON" and _in_list(context, key)
    if entity.kind not in ("DATE", "NUMBER") and not listed:
        value = rarity(entity.text)
        score += 0.1 * value
        reasons.append(f"rarity {value:.2f}")
    record = context.inventory.record(entity)
    if listed:
        reasons.append("one of a list of people")
    elif record is not None and entity.kind not in ("DATE", "NUMBER") and record.count > 30:
        # Lenin, Moscow, the Bolsheviks: a blank on a name on every page tests little
        score -= 0.06
        reasons.append("very frequent in corpus")
    text = context.sentence.text
    if re.match(r"[’']s\b", text[key.end :]):
        score -= 0.05
        reasons.append("possessive blank")
    if key.start == 0 or (key.start == 4 and text.startswith("The ")):
        score += 0.03
        reasons.append("sentence subject")
    delta, sentence_reasons = sentence_adjustment(context, short_bonus=0.04)
    return min(score + delta, 1.0), reasons + sentence_reasons


def sentence_adjustment(context: SentenceContext, *, short_bonus: float) -> tuple[float, list[str]]:
    """What the sentence itself adds to a blank's score: its length, an unattributed opinion."""
    delta, reasons = 0.0, []
    length = context.check.word_count
    if length <= 25:
        delta += short_bonus
        reasons.append("short sentence")
    elif length > 32:
        delta -= 0.06
        reasons.append("long sentence")
    if context.check.opinion:
        if context.prefix:
            reasons.append("opinion attributed")
        else:
            delta -= 0.25
            reasons.append("opinion without author")
    return delta, reasons


def accepted_for(entity: Entity, context: SentenceContext) -> tuple[str, ...]:
    """Accepted spellings of an entity answer: its variants and, for people, surnames."""
    accepted = {entity.text}
    record = context.inventory.record(entity)
    if record is not None and entity.kind in ("PERSON", "ORG", "PLACE", "EVENT", "TERM"):
        accepted.update(record.surfaces)
    if entity.kind == "PERSON":
        accepted.add(entity.text.split()[-1])
    if entity.subkind == "GROUP":
        place = entity.text.rsplit(" ", 1)[0]
        accepted.update({place, f"the {entity.text}"})
    if entity.kind == "NUMBER":
        accepted.update(
            {entity.text.replace(" per cent", "%"), entity.text.replace("%", " per cent")}
        )
    if entity.text.lower().startswith("the "):
        accepted.add(entity.text[4:])
    return tuple(sorted(accepted))


def cloze_candidates(context: SentenceContext, version: str) -> list[Candidate]:
    """Cloze items, plus a multiple-choice item for each key with three distractors."""
    if not context.check.usable:
        return []
    sentence = context.sentence
    out: list[Candidate] = []
    for key in eligible_keys(context):
        prompt, stem_text = blanked(context, key)
        if leaks(key.entity.text, stem_text) or prompt.count(BLANK) != 1:
            continue
        score, reasons = score_key(context, key)
        explanation = f"The passage says: “{context.evidence_text}”"
        accepted = accepted_for(key.entity, context)
        base = Candidate(
            kind="cloze",
            prompt=prompt,
            answer=key.entity.text,
            accepted_answers=accepted,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            explanation=explanation,
            score=round(score, 3),
            reasons=tuple(reasons),
            answer_kind=key.entity.kind,
            template="cloze",
        )
        out.append(base)
        if key.entity.subkind in ("CONCEPT", "RANGE", "MONTHONLY", "GROUP") or (
            key.entity.kind == "NAME"
        ):
            continue
        if key.entity.kind == "DATE" and bound_date(context.sentence.text, key.start, key.end):
            continue  # "after 1957": an earlier year would be true as well
        if key.entity.kind not in ("DATE", "NUMBER") and _is_modifier(context, key):
            continue  # a modifier ("the Kronstadt sailors"): distractors rarely fit
        if key.entity.kind == "TERM" and key.entity.subkind == "IDEOLOGY":
            continue  # Bolshevism / Leninism / Marxism: options too close to tell apart
        if _in_list(context, key):
            continue  # "Lenin, Trotsky and ___": another member may fit as well
        if key.entity.kind == "PERSON" and (
            re.match(_VIEW_VERBS, text_after(context, key))
            or re.match(r",?\s(?:like|unlike|as\sdid|along\swith)\s", text_after(context, key))
            or re.search(
                r"(?:^|,\s)(?:For|To|In the view of|According to)\s$", text_before(context, key)
            )
            or re.search(
                r"\b(?:" + "|".join(PERSON_ROLE_NOUNS) + r")\s$", text_before(context, key)
            )
        ):
            # the holder of a view: other people may have held it too (a second true
            # answer); after a role ("the American historian ___"): other people rarely fit
            continue
        rng = rng_for(context.passage, version, f"mc:{sentence.index}:{key.start}")
        options = distractors(
            key.entity,
            context.inventory,
            stem_text=stem_text,
            passage_keys=set(context.passage_keys) - {key.entity.key},
            rng=rng,
        )
        if len(options) < 3:
            continue
        choices = [key.entity.text, *options]
        rng.shuffle(choices)
        out.append(
            replace(
                base,
                kind="multiple_choice",
                choices=tuple(choices),
                score=round(min(1.0, score + 0.03), 3),
                reasons=(*reasons, "3 same-kind distractors"),
                template="cloze_mc",
            )
        )
    return out


def _in_list(context: SentenceContext, key: Key) -> bool:
    """True when ``key`` is one of a list of names of its kind ("Marx and Engels")."""
    for other in context.mentions:
        if other.entity.kind != key.entity.kind or other.start == key.start:
            continue
        between = (
            context.sentence.text[other.end : key.start]
            if other.end <= key.start
            else context.sentence.text[key.end : other.start]
        )
        if re.fullmatch(r"(?:,\s|\sand\s|,\sand\s|\sor\s|\sand\sthe\s|,\sthe\s)", between):
            return True
    return False


def _is_modifier(context: SentenceContext, key: Key) -> bool:
    """True for "the Kronstadt sailors": the key modifies the following common noun."""
    following = re.match(r"\s([a-z]+)\b", text_after(context, key))
    if not following or not text_before(context, key).endswith("the "):
        return False
    word = following.group(1)
    return word not in STOP_WORDS and not word.endswith("ed") and word not in ("had", "did")


def text_after(context: SentenceContext, key: Key) -> str:
    """The sentence text after ``key``."""
    return context.sentence.text[key.end :]


def text_before(context: SentenceContext, key: Key) -> str:
    """The sentence text before ``key``."""
    return context.sentence.text[: key.start]


def mention_at(context: SentenceContext, start: int) -> Mention | None:
    """The mention starting at ``start`` in the sentence, if any."""
    return next((m for m in context.mentions if m.start == start), None)
