"""Gold coverage: does a served question ask for a gold fact and key its answer?

Pure code: standard library only, no Django. ``manage.py qgen_coverage`` feeds it the
gold file and the served questions of each passage.

A gold fact is **covered** by a question of its passage when all three hold:

1. **Same answer** (RUBRIC section 4): the question's key, or one of its accepted
   answers, matches the fact's reference answer or one of its accepted variants
   (:func:`answers_match`).
2. **Same intent**: the question's prompt and the gold question share at least two
   content words, and those shared words are at least a quarter of the gold
   question's content words or half of the prompt's (:func:`intent_overlap`).
   Content words are what is left after case folding, dropping stop words, question
   words, attributions ("according to Pirani"), the words of either answer (so a
   cloze stem is not rewarded for containing its own answer) and a light suffix
   stemming ("workers" = "worker", "elected" = "elect").
3. **Same answer type**: the prompt's wh-phrase (or, without one, the shape of the
   key) gives a class - number, time, place, agent, explanation or thing - that fits
   the fact's type (:func:`answer_class`, :data:`COMPATIBLE`). A why/how fact needs a
   why/how question; a how_many fact needs a number; a who fact accepts a "which
   ..." question whose key is the person.

Answer matching (RUBRIC section 4), applied to both sides by :func:`normalise_answer`:

* NFKC, case fold, trim; curly quotes made straight, en and em dashes made hyphens;
  surrounding quotes, a leading article (the/a/an) and a leading preposition
  (in/on/at/by/from) dropped; spaces collapsed.
* Numbers: digit grouping ignored ("4,476" = "4476"); number words up to a million
  become digits ("twenty five" = "25", "four thousand eight hundred" = "4800");
  "%", "percent", "per cent" are one word; fractions ("two thirds", "2/3") agree;
  "about", "roughly", "around", "approximately", "some", "perhaps" are ignored, but a
  bound is kept: "more than", "over", "upwards of" and "above" are one hedge, "less
  than", "under", "below" another, "at most" and "at least" two more, so
  "less than 80 per cent" never equals "80 per cent".
* Dates: "18 January 1918", "January 18, 1918" and "the 18th of January, 1918" are
  equal; a month and year likewise; a year alone equals only a year; year ranges
  "1928-32", "1928-1932" and "1928 to 1932" are equal.
* Names: a surname alone matches the full name when the passage (if given) names no
  other person of that surname; titles (Lieut., Colonel, Mr., Dr.) are ignored; the
  transliteration pairs in :data:`SPELLING_VARIANTS` are equal.
* Lists: split on commas, semicolons, "and", "or", "&"; order-insensitive; every
  element required (each matched by the rules above), none extra, unless the
  question asks for "one", "two of" and the like.
* Free text (a reference of four or more content words, typically why/how and
  definitions): the candidate must contain at least 60% of the reference's content
  words (stemmed) and no number the reference lacks. Otherwise the normalised forms
  must be equal. In doubt the rule says no.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizzes.core.grading import normalise_free_text

__all__ = [
    "COMPATIBLE",
    "FACT_CLASSES",
    "FactMatch",
    "GoldFact",
    "ServedQuestion",
    "SPELLING_VARIANTS",
    "answer_class",
    "answers_match",
    "content_words",
    "covering_question",
    "share",
    "fact_class",
    "intent_overlap",
    "intent_matches",
    "normalise_answer",
]

# ---------------------------------------------------------------------------
# Normalisation

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
    }
)
_ARTICLES = ("the ", "a ", "an ")
_PREPOSITIONS = (
    "in ",
    "on ",
    "at ",
    "by ",
    "from ",
    "because of ",
    "because ",
    "since ",
    "owing to ",
    "due to ",
)
_VAGUE = re.compile(
    r"\b(?:about|roughly|around|approximately|some|perhaps|nearly|almost|"
    r"circa|c\.|scarcely|scarce|only)\b"
)
_HEDGES = (
    (re.compile(r"\b(?:more than|over|upwards of|above|in excess of|greater than)\b"), " gt "),
    (re.compile(r"\b(?:less than|fewer than|under|below)\b"), " lt "),
    (re.compile(r"\b(?:at most|no more than|not more than|up to)\b"), " le "),
    (re.compile(r"\b(?:at least|no fewer than|not less than)\b"), " ge "),
)
_UNITS = {
    "zero": 0,
    "one": 1,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
}
_MONTHS = {
    name: index
    for index, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = "(" + "|".join(_MONTHS) + ")"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH},? (\d{{3,4}})\b"
)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{3,4}})\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},? (\d{{3,4}})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR_RANGE = re.compile(r"\b(1\d{3}|20\d\d) ?(?:-|to) ?(\d{4}|\d{2})\b")
_FRACTION = re.compile(r"\b(\d+) (half|halves|thirds?|quarters?|fourths?|fifths?)\b")
_SLASH_FRACTION = re.compile(r"\b(\d+)/(\d+)\b")
_TITLES = frozenset(
    {
        "lieut",
        "lieutenant",
        "colonel",
        "col",
        "captain",
        "capt",
        "mr",
        "mrs",
        "dr",
        "professor",
        "prof",
        "sir",
        "general",
        "gen",
        "comrade",
    }
)

SPELLING_VARIANTS: dict[str, str] = {
    "kronshtadt": "kronstadt",
    "shlyapnikov": "shliapnikov",
    "vesenkha": "vsnkh",
    "gay-lussac": "gay lussac",
    "glycerine": "glycerin",
    "diatomaceae": "diatomaceoe",
    "globigerinae": "globigerinoe",
    "reorganisations": "reorganizations",
    "unionized": "unionised",
}


def _number_words_to_digits(text: str) -> str:
    """Replace runs of English number words (up to a million) with digits."""
    words = text.split(" ")
    out: list[str] = []
    index = 0
    while index < len(words):
        total, current, used, seen = 0, 0, 0, False
        position = index
        while position < len(words):
            word = words[position]
            parts = word.split("-") if "-" in word else [word]
            if all(part in _UNITS or part in _TENS for part in parts) and len(parts) <= 2:
                for part in parts:
                    current += _UNITS.get(part, 0) + _TENS.get(part, 0)
                seen = True
            elif word in _SCALES and seen:
                scale = _SCALES[word]
                if scale == 100:
                    current *= 100
                else:
                    total += current * scale
                    current = 0
            elif (
                word == "and"
                and seen
                and position + 1 < len(words)
                and (
                    words[position + 1].split("-")[0] in _UNITS
                    or words[position + 1].split("-")[0] in _TENS
                )
            ):
                pass
            else:
                break
            position += 1
            used = position - index
        if seen and used:
            out.append(str(total + current))
            index += used
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)


def _year_range(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    if len(second) == 2:
        second = first[:2] + second
    if int(second) <= int(first):
        return match.group(0)
    return f" {first}r{second} "


def _dates(text: str) -> str:
    text = _DAY_MONTH_YEAR.sub(
        lambda m: f" {int(m.group(3)):04d}d{_MONTHS[m.group(2)]:02d}d{int(m.group(1)):02d} ", text
    )
    text = _MONTH_DAY_YEAR.sub(
        lambda m: f" {int(m.group(3)):04d}d{_MONTHS[m.group(1)]:02d}d{int(m.group(2)):02d} ", text
    )
    text = _MONTH_YEAR.sub(lambda m: f" {int(m.group(2)):04d}d{_MONTHS[m.group(1)]:02d} ", text)
    return _YEAR_RANGE.sub(_year_range, text)


def _strip_wrappers(text: str) -> str:
    changed = True
    while changed:
        changed = False
        text = text.strip(" .,;:!?")
        if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
            text, changed = text[1:-1], True
        for prefix in _ARTICLES + _PREPOSITIONS:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
    return text


def normalise_answer(text: str) -> str:
    """The canonical form of an answer under RUBRIC section 4 (see the module notes)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().strip()
    text = re.sub(r"\s+", " ", text)
    text = _strip_wrappers(text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\bper cent\b|\bper-cent\b|%", " percent", text)
    for pattern, token in _HEDGES:
        text = pattern.sub(token, text)
    text = _VAGUE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b(\w+)-(half|halves|thirds?|quarters?|fourths?|fifths?)\b", r"\1 \2", text)
    text = _number_words_to_digits(text)
    text = _ISO_DATE.sub(lambda m: f" {m.group(1)}d{m.group(2)}d{m.group(3)} ", text)
    text = _dates(text)
    text = _SLASH_FRACTION.sub(lambda m: f" frac{m.group(1)}over{m.group(2)} ", text)
    text = _FRACTION.sub(lambda m: f" frac{m.group(1)}over{_DENOMINATORS[m.group(2)]} ", text)
    text = re.sub(
        r"\b(a|one) (half|third|quarter|fifth)\b",
        lambda m: f"frac1over{_DENOMINATORS[m.group(2)]}",
        text,
    )
    for variant, canonical in SPELLING_VARIANTS.items():
        text = re.sub(rf"\b{re.escape(variant)}\b", canonical, text)
    form = normalise_free_text(text)
    return _strip_wrappers(form)


# ---------------------------------------------------------------------------
# Content words

_STOP = frozenset(
    re.findall(
        r"[a-z']+",
        """
a an the and or but nor of to in on at by for with from into onto upon as than then that
this these those there their they them he him his she her it its we us our you your i me my
is are was were be been being am do does did done has have had having shall should will
would may might must can could not no yes so such own same other another each every any all
some both either neither which who whom whose what when where why how whether if also
very more most much many few less least just only even still yet ever again once
according name give list state explain describe under after before during between
about over said says say called one two three
""",
    )
)


def _stem(word: str) -> str:
    """A light suffix stripper: 'representatives' = 'representative', 'elected' = 'elect'."""
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


_ATTRIBUTION = re.compile(
    r"\b[Aa]ccording to (?:the )?(?:[A-Z][\w'.-]*\s?){1,4}|"
    r"\b[Ii]n (?:[A-Z][\w'.-]*\s?){1,3}'s? (?:account|view|talk|book|article|lecture)\b"
)


def content_words(text: str, *, drop: Iterable[str] = ()) -> set[str]:
    """Stemmed content words of a question or answer, without attributions or ``drop``."""
    text = _ATTRIBUTION.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES))
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.casefold())
    dropped = {_stem(word) for word in drop}
    return {_stem(w) for w in words if w not in _STOP and len(w) > 1} - dropped - {""}


def intent_overlap(
    prompt: str, gold_question: str, *, answers: Sequence[str] = ()
) -> tuple[int, int, int]:
    """(shared, gold, prompt) content-word counts.

    Words of ``answers`` that the gold question does not use are left out of the
    prompt, so a stem that spells out its own answer is not counted as on topic.
    """
    gold = content_words(gold_question)
    answer_words = set().union(*(content_words(a) for a in answers)) if answers else set()
    asked = content_words(prompt.replace("_", " ")) - (answer_words - gold)
    return len(gold & asked), len(gold), len(asked)


def intent_matches(prompt: str, gold_question: str, *, answers: Sequence[str] = ()) -> bool:
    """Shared content words: at least 2 (or all of a shorter gold question), and at least
    a quarter of the gold question's or half of the prompt's."""
    shared, gold, asked = intent_overlap(prompt, gold_question, answers=answers)
    if shared < min(2, gold) or shared == 0:
        return False
    return shared >= 0.25 * gold or shared >= 0.5 * asked


# ---------------------------------------------------------------------------
# Answer types

FACT_CLASSES: dict[str, str] = {
    "how_many": "number",
    "when": "time",
    "where": "place",
    "who": "agent",
    "why": "explanation",
    "how": "explanation",
    "what": "thing",
    "definition": "thing",
    "list": "thing",
}
COMPATIBLE: dict[str, frozenset[str]] = {
    "number": frozenset({"number"}),
    "time": frozenset({"time"}),
    "place": frozenset({"place", "thing"}),
    "agent": frozenset({"agent", "thing"}),
    "explanation": frozenset({"explanation"}),
    "thing": frozenset({"thing", "agent", "place"}),
}
_WH_CLASSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), cls)
    for pattern, cls in (
        (
            r"^(?:\w+ )?(?:about )?how (?:many|much|old|long|far|high|deep)\b|"
            r"^(?:\w+ )?what (?:(?:is|was|are|were) )?(?:the )?(?:(?:minimum|maximum|legal|total|"
            r"average) )?(?:percentage|share|proportion|fraction|number|majority|age|multiple|"
            r"depth|height|distance|level|sum|amount)\b|^by how much\b|"
            r"\bas a (?:multiple|share|percentage|proportion|fraction)\b",
            "number",
        ),
        (
            r"^when\b|^(?:\w+ )?(?:which|what) (?:years?|months?|dates?|days?|century|decade)\b|"
            r"^(?:\w+ )?how often\b",
            "time",
        ),
        (
            r"^where\b|^(?:\w+ )?(?:which|what) (?:city|country|town|place|region|province|county|"
            r"port|sea|river|ocean)\b",
            "place",
        ),
        (
            r"^how (?:did|does|do|is|was|were|has|have) [^?]*\b(?:describe|call|term|define|"
            r"characteri[sz]e|dismiss|name|refer to|label|see|regard|view|treat)\b",
            "thing",
        ),
        (
            r"^(?:why|how)\b|^for what (?:reasons?|purposes?)\b|^what (?:caused|led to|made|"
            r"prompted|explains)\b|^what (?:was|were|is) the (?:\w+ )?(?:cause|reason)s?\b|"
            r"^on what grounds\b|^(?:as a result of|because of) (?:which|what)\b|"
            r"\b(?:the (?:cause|effect|result|reason) of|arise|arises|owing to|due to)\W*$",
            "explanation",
        ),
        (
            r"^(?:\w+ )?(?:who|whom|whose)\b|^(?:which|what) (?:historians?|persons?|people|man|"
            r"men|woman|women|leaders?|officers?|scientists?|authors?|writers?|chemists?|"
            r"microscopists?|tradesmen)\b",
            "agent",
        ),
    )
)
_YEAR = re.compile(r"^(?:1[0-9]|20)\d\d$")


def fact_class(fact_type: str) -> str:
    """The answer class of a gold fact type (who -> agent, how_many -> number, ...)."""
    return FACT_CLASSES[fact_type]


def _clauses(prompt: str) -> list[str]:
    """The prompt, and what follows each of its first two commas (past a leading frame)."""
    folded = unicodedata.normalize("NFKC", prompt).translate(_QUOTES).casefold().strip()
    clauses = [folded]
    rest = folded
    for _ in range(2):
        head, comma, rest = rest.partition(", ")
        if not comma:
            break
        clauses.append(rest)
    return clauses


def answer_class(prompt: str, key: str) -> str:
    """The answer class a question asks for: from its wh-phrase, else from its key.

    The wh-phrase is looked for at the start of the prompt or of the clause after a
    leading frame ("According to Pirani, how many ..."; "In 1921, who ...").
    """
    for clause in _clauses(prompt):
        for pattern, cls in _WH_CLASSES:
            if pattern.search(clause):
                return cls
    form = normalise_answer(key)
    tokens = form.split()
    if tokens and re.fullmatch(r"\d{4}(?:d\d{2}(?:d\d{2})?|r\d{4})", tokens[0]):
        return "time"
    if len(tokens) == 1 and _YEAR.match(tokens[0]):
        return "time"
    if (
        tokens
        and all(
            re.fullmatch(r"(?:gt|lt|le|ge|percent|\d+(?:\.\d+)?|frac\d+over\d+)", t) or t in _SCALES
            for t in tokens
        )
        and any(ch.isdigit() for ch in form)
    ):
        return "number"
    return "thing"


# ---------------------------------------------------------------------------
# Answer matching

_LIST_SPLIT = re.compile(r"\s*(?:;|,(?!\d{3}\b)(?! ?\d{4}\b)|&|\band\b|\bor\b)\s*")
_NAME_N = re.compile(
    r"\b(?:name|give|list)\s+(one|two|three|four|five|\d+)\b(?:\s+of)?|"
    r"\b(one|two|three) of\b|\bnam(?:e|ing) (?:any|one)\b"
)


def _words(form: str) -> list[str]:
    return [w for w in form.split() if w not in _TITLES]


def _surname_match(short: list[str], full: list[str], passage: str) -> bool:
    if len(short) != 1 or len(full) < 2 or short[0] != full[-1] or not short[0].isalpha():
        return False
    if not passage:
        return True
    surname = re.escape(short[0])
    first_names = set(full[:-1])
    for match in re.finditer(rf"\b([A-Z][\w'.-]*)\s+{surname}\b", passage, re.IGNORECASE):
        before = normalise_answer(match.group(1))
        if (
            before[:1].isalpha()
            and match.group(1)[:1].isupper()
            and before not in first_names
            and before not in _TITLES
            and before not in _STOP
        ):
            return False
    return True


def _content_stems(form: str) -> set[str]:
    return {_stem(w) for w in form.split() if w not in _STOP and len(w) > 1}


def _numbers(form: str) -> set[str]:
    return {w for w in form.split() if any(ch.isdigit() for ch in w)}


_HEDGE_WORDS = frozenset({"gt", "lt", "le", "ge"})


def _number_with_unit(candidate: str, reference: str) -> bool:
    """'25' and '25 years': the same numbers and hedge, one side adding a unit word or two."""
    cand, ref = candidate.split(), reference.split()
    if not _numbers(candidate) or _numbers(candidate) != _numbers(reference):
        return False
    if {w for w in cand if w in _HEDGE_WORDS} != {w for w in ref if w in _HEDGE_WORDS}:
        return False
    shorter, longer = sorted((cand, ref), key=len)
    extra = [w for w in longer if w not in shorter]
    bare = all(w in _HEDGE_WORDS or any(ch.isdigit() for ch in w) for w in shorter)
    return bare and 0 < len(extra) <= 2 and not any(ch.isdigit() for w in extra for ch in w)


def _single_match(candidate: str, reference: str, passage: str) -> bool:
    if not candidate or not reference:
        return False
    if candidate == reference or candidate.replace(" ", "") == reference.replace(" ", ""):
        return True
    cand, ref = _words(candidate), _words(reference)
    if cand and cand == ref:
        return True
    if _surname_match(cand, ref, passage) or _surname_match(ref, cand, passage):
        return True
    if _number_with_unit(candidate, reference):
        return True
    ref_stems = _content_stems(reference)
    if len(ref_stems) >= 4:
        cand_stems = _content_stems(candidate)
        if not _numbers(candidate) <= _numbers(reference):
            return False
        return len(ref_stems & cand_stems) >= 0.6 * len(ref_stems)
    return False


def _required_items(question: str) -> int | None:
    match = _NAME_N.search(question.casefold())
    if not match:
        return None
    word = match.group(1) or match.group(2) or "one"
    return (
        int(word)
        if word.isdigit()
        else {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}.get(word, 1)
    )


def _items(text: str) -> list[str]:
    parts = (normalise_answer(part) for part in _LIST_SPLIT.split(text))
    return [part for part in parts if part]


def _list_match(candidate: str, reference: str, question: str, passage: str) -> bool:
    cand_items, ref_items = _items(candidate), _items(reference)
    if len(ref_items) < 2:
        return False
    required = _required_items(question)
    unmatched = list(ref_items)
    for item in cand_items:
        hit = next((ref for ref in unmatched if _single_match(item, ref, passage)), None)
        if hit is None:
            return False  # an element the reference does not have
        unmatched.remove(hit)
    if required is not None and required < len(ref_items):
        return len(cand_items) >= required
    return not unmatched


def answers_match(candidate: str, reference: str, *, question: str = "", passage: str = "") -> bool:
    """Does ``candidate`` give the same answer as ``reference`` (RUBRIC section 4)?

    ``question`` is the gold question (it may ask for "two of" a list); ``passage`` is
    the passage text, used to check that a surname alone names one person only.
    """
    if _single_match(normalise_answer(candidate), normalise_answer(reference), passage):
        return True
    return _list_match(candidate, reference, question, passage)


# ---------------------------------------------------------------------------
# Facts and questions


@dataclass(frozen=True)
class GoldFact:
    """One gold fact: its type, the teacher's question, the reference and its variants."""

    id: str
    type: str
    question: str
    answer: str
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServedQuestion:
    """What the coverage check needs of a served question."""

    id: int
    kind: str
    prompt: str
    answer: str
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactMatch:
    """Why a question covers a fact: the two answers that matched and the shared words."""

    question_id: int
    matched_answer: str
    matched_reference: str
    shared_words: int


def covering_question(
    fact: GoldFact, questions: Sequence[ServedQuestion], *, passage: str = ""
) -> FactMatch | None:
    """The first question that covers ``fact`` (same answer, intent and type), or None.

    True/false items never cover a fact: their key is a truth value, not an answer.
    """
    references = (fact.answer, *fact.accepted)
    wanted = COMPATIBLE[fact_class(fact.type)]
    for question in questions:
        if question.kind == "true_false":
            continue
        if answer_class(question.prompt, question.answer) not in wanted:
            continue
        answers = (question.answer, *question.accepted)
        shared, _, _ = intent_overlap(question.prompt, fact.question, answers=references + answers)
        if not intent_matches(question.prompt, fact.question, answers=references + answers):
            continue
        for given in answers:
            for reference in references:
                if answers_match(given, reference, question=fact.question, passage=passage):
                    return FactMatch(question.id, given, reference, shared)
    return None


def share(covered: int, total: int) -> str:
    """'12/30 (40.0%)', or '0/0 (-)'."""
    if not total:
        return "0/0 (-)"
    return f"{covered}/{total} ({100 * covered / total:.1f}%)"
