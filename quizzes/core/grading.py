"""Answer grading for quiz questions.

Pure code: standard library only, no Django, no clock, no network.

Rules (each one is a row or more in ``fixtures/golden/grading_cases.json``):

Multiple choice and true/false are **exact**:

* An answer matches an option when both are equal after case folding and collapsing
  runs of white space; nothing else is forgiven (no typos, accents or punctuation).
* A multiple-choice answer may also be an option's 0-based index (an ``int``, or a
  string of digits when no option has that text) or its letter (``"a"``, ``"B"``...
  when no option has that text). An answer that matches no option is wrong
  (reason ``INVALID_CHOICE``). The key may be the option text or its index.
* True/false accepts ``True``/``False`` (bool) and the words ``true``, ``false``,
  ``t``, ``f`` in any case; anything else is ``INVALID_CHOICE``.

Cloze and short answers are **tolerant**. Both the answer and each target (the key
and every ``accepted`` variant) are normalised:

1. Unicode NFKD, combining marks dropped (``Brest-Litóvsk`` -> ``brest-litovsk``), case
   folded.
2. Numbers: thousands separators dropped (``62,400,000``), ordinal suffixes dropped
   (``21st`` -> ``21``), a scale written right after a number (``62.4m``, ``3bn``,
   ``5k``) or as a word after it (``62.4 million``) multiplied out, so ``62.4m``,
   ``62.4 million`` and ``62,400,000`` are the same number; ``%`` becomes ``percent``.
   Number words (``two``) are not converted.
3. Every other punctuation or symbol character becomes a space (a decimal point
   between digits is kept), white space is collapsed, and one leading article
   (``a``, ``an``, ``the``) is removed (``the Cheka`` == ``Cheka``).

The answer is then compared with each target:

* equal -> correct (``EXACT`` if the raw strings are equal ignoring case and outer
  space, otherwise ``EQUIVALENT``, or ``ACCEPTED_VARIANT`` for an accepted variant);
  equal once spaces are removed (``Brest Litovsk`` / ``BrestLitovsk``) -> correct;
* the numbers in the answer must equal the numbers in the target, in order and
  exactly: ``1921`` is never ``1922`` (``NUMBER_MISMATCH``);
* typos (``TYPO``): the answer must have the same words as the target, and each
  differing word is allowed an optimal-string-alignment Damerau-Levenshtein distance
  (a transposition counts 1) that depends on the target word's length: 0 below 5
  letters, 1 for 5-8 letters, 2 for 9 or more. Words containing digits get none.
  ``Trotksy`` for ``Trotsky`` is accepted (7 letters, one transposition);
* other names (``OTHER_NAME``): ``names`` lists other names in the corpus (people,
  places). An answer equal to one of them (that is not a target) is wrong, and so is a
  typo-match that is at least as close to another name as to the target. So with
  ``names={"Lenina"}``, ``Lenina`` is wrong for ``Lenin``; without it, ``Lenina`` is
  a one-letter typo of a 5-letter word and is accepted (our decision: the typo rule
  cannot know every name, so put look-alike names in ``names``);
* anything else is ``WRONG``; a blank answer is ``EMPTY``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA

__all__ = [
    "QuestionKind",
    "Reason",
    "Verdict",
    "damerau_levenshtein",
    "grade_answer",
    "normalise_free_text",
    "typo_allowance",
]


class QuestionKind(enum.StrEnum):
    """The kinds of question the grader understands."""

    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    CLOZE = "cloze"
    SHORT_ANSWER = "short_answer"


class Reason(enum.StrEnum):
    """Why an answer was judged correct or wrong."""

    EXACT = "exact"
    EQUIVALENT = "equivalent"
    ACCEPTED_VARIANT = "accepted_variant"
    TYPO = "typo"
    WRONG = "wrong"
    EMPTY = "empty"
    NUMBER_MISMATCH = "number_mismatch"
    OTHER_NAME = "other_name"
    INVALID_CHOICE = "invalid_choice"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The grading result.

    ``normalised_answer``/``normalised_key`` are the forms actually compared;
    ``matched`` is the normalised target that matched (None when wrong) and
    ``distance`` the edit distance of a typo match (0 otherwise).
    """

    correct: bool
    reason: Reason
    normalised_answer: str
    normalised_key: str
    matched: str | None = None
    distance: int = 0


ARTICLES = frozenset({"a", "an", "the"})
SCALE_WORDS: dict[str, int] = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
SCALE_SUFFIXES: dict[str, str] = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "bn": "billion",
    "b": "billion",
}
TRUE_WORDS = frozenset({"true", "t"})
FALSE_WORDS = frozenset({"false", "f"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_SCALE_SUFFIX = re.compile(r"(?<=\d)(bn|mn|k|m|b)\b")
_NOT_WORD = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[^\w.])+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _canonical_number(token: str, scale: int = 1) -> str:
    try:
        value = Decimal(token) * scale
    except InvalidOperation:  # pragma: no cover - the regex only passes valid numbers
        return token
    return format(value.normalize(), "f")


def _tokens(text: str) -> list[str]:
    folded = _fold(text)
    folded = _THOUSANDS.sub("", folded)
    folded = _ORDINAL.sub("", folded)
    folded = _SCALE_SUFFIX.sub(lambda m: " " + SCALE_SUFFIXES[m.group(1)], folded)
    folded = folded.replace("%", " percent ")
    folded = folded.replace("_", " ")
    raw = [token for token in _NOT_WORD.split(folded) if token]
    tokens: list[str] = []
    index = 0
    while index < len(raw):
        token = raw[index]
        if _NUMBER.fullmatch(token):
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if following in SCALE_WORDS:
                tokens.append(_canonical_number(token, SCALE_WORDS[following]))
                index += 2
                continue
            tokens.append(_canonical_number(token))
        else:
            tokens.append(token)
        index += 1
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return tokens


def normalise_free_text(text: str) -> str:
    """The normalised form used for cloze and short answers (rules 1-3 above)."""
    return " ".join(_tokens(text))


def damerau_levenshtein(left: str, right: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap neighbours."""
    return OSA.distance(left, right)


def typo_allowance(word: str) -> int:
    """Edits forgiven in a target word: 0 under 5 letters or with digits, 1 for 5-8, 2 for 9+."""
    if any(ch.isdigit() for ch in word) or len(word) < 5:
        return 0
    return 1 if len(word) <= 8 else 2


def _numbers(tokens: Sequence[str]) -> list[str]:
    return [token for token in tokens if any(ch.isdigit() for ch in token)]


def _typo_distance(answer: Sequence[str], target: Sequence[str]) -> int | None:
    """Total edit distance if every word is within its allowance, else None."""
    if len(answer) != len(target):
        return None
    total = 0
    for given, wanted in zip(answer, target, strict=True):
        if given == wanted:
            continue
        distance = damerau_levenshtein(given, wanted)
        if distance > typo_allowance(wanted):
            return None
        total += distance
    return total


def _grade_free_text(
    key: str, answer: str, accepted: Sequence[str], names: Collection[str]
) -> Verdict:
    answer_tokens = _tokens(answer)
    normalised_answer = " ".join(answer_tokens)
    key_tokens = _tokens(key)
    normalised_key = " ".join(key_tokens)
    if not answer_tokens:
        return Verdict(False, Reason.EMPTY, normalised_answer, normalised_key)

    targets: list[tuple[list[str], bool]] = [(key_tokens, False)]
    targets += [(_tokens(variant), True) for variant in accepted]
    target_forms = {" ".join(tokens) for tokens, _ in targets}

    # exact or equivalent match with the key or a variant
    for tokens, is_variant in targets:
        form = " ".join(tokens)
        if answer_tokens == tokens or "".join(answer_tokens) == "".join(tokens):
            if is_variant:
                reason = Reason.ACCEPTED_VARIANT
            elif answer.strip().casefold() == key.strip().casefold():
                reason = Reason.EXACT
            else:
                reason = Reason.EQUIVALENT
            return Verdict(True, reason, normalised_answer, normalised_key, matched=form)

    other_names = {normalise_free_text(name) for name in names} - target_forms
    other_names.discard("")
    if normalised_answer in other_names:
        return Verdict(False, Reason.OTHER_NAME, normalised_answer, normalised_key)

    number_mismatch = False
    for tokens, _ in targets:
        form = " ".join(tokens)
        if _numbers(answer_tokens) != _numbers(tokens):
            number_mismatch = True
            continue
        distance = _typo_distance(answer_tokens, tokens)
        if distance is None:
            continue
        closest_other = min(
            (damerau_levenshtein(normalised_answer, name) for name in other_names),
            default=None,
        )
        if closest_other is not None and closest_other <= distance:
            return Verdict(False, Reason.OTHER_NAME, normalised_answer, normalised_key)
        return Verdict(
            True, Reason.TYPO, normalised_answer, normalised_key, matched=form, distance=distance
        )
    reason = Reason.NUMBER_MISMATCH if number_mismatch else Reason.WRONG
    return Verdict(False, reason, normalised_answer, normalised_key)


def _exact_form(text: str) -> str:
    return " ".join(text.split()).casefold()


def _resolve_choice(value: str | int, choices: Sequence[str]) -> str | None:
    """The option text ``value`` designates (text, index or letter), or None."""
    if isinstance(value, bool):
        return None
    forms = [_exact_form(choice) for choice in choices]
    if isinstance(value, int):
        return forms[value] if 0 <= value < len(forms) else None
    form = _exact_form(value)
    if form in forms:
        return form
    if form.isdigit():
        index = int(form)
        return forms[index] if index < len(forms) else None
    if len(form) == 1 and "a" <= form <= "z":
        index = ord(form) - ord("a")
        return forms[index] if index < len(forms) else None
    return None


def _grade_multiple_choice(key: str | int, answer: str | int, choices: Sequence[str]) -> Verdict:
    if choices:
        wanted = _resolve_choice(key, choices)
        if wanted is None:
            raise ValueError(f"key {key!r} is not one of the choices")
        given = _resolve_choice(answer, choices)
    else:
        if not isinstance(key, str) or not isinstance(answer, str):
            raise ValueError("index keys or answers need the list of choices")
        wanted, given = _exact_form(key), _exact_form(answer)
    shown = given if given is not None else (_exact_form(str(answer)))
    if not shown:
        return Verdict(False, Reason.EMPTY, "", wanted)
    if given is None:
        return Verdict(False, Reason.INVALID_CHOICE, shown, wanted)
    if given == wanted:
        return Verdict(True, Reason.EXACT, given, wanted, matched=wanted)
    return Verdict(False, Reason.WRONG, given, wanted)


def _truth(value: str | int | bool) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return None
    form = _exact_form(value)
    if form in TRUE_WORDS:
        return True
    if form in FALSE_WORDS:
        return False
    return None


def _grade_true_false(key: str | int | bool, answer: str | int | bool) -> Verdict:
    wanted = _truth(key)
    if wanted is None:
        raise ValueError(f"true/false key must be true or false, got {key!r}")
    given = _truth(answer)
    wanted_form = "true" if wanted else "false"
    if given is None:
        shown = _exact_form(str(answer))
        reason = Reason.EMPTY if not shown else Reason.INVALID_CHOICE
        return Verdict(False, reason, shown, wanted_form)
    given_form = "true" if given else "false"
    if given is wanted:
        return Verdict(True, Reason.EXACT, given_form, wanted_form, matched=wanted_form)
    return Verdict(False, Reason.WRONG, given_form, wanted_form)


def grade_answer(
    kind: QuestionKind | str,
    key: str | int | bool,
    answer: str | int | bool,
    *,
    accepted: Sequence[str] = (),
    choices: Sequence[str] = (),
    names: Collection[str] = (),
) -> Verdict:
    """Grade ``answer`` against ``key`` for a question of ``kind`` (rules in the module doc).

    ``accepted`` lists other correct answers (cloze/short answer); ``choices`` the
    options of a multiple-choice question (needed for index or letter answers);
    ``names`` other known names in the corpus that must not count as typos of the key.
    Deterministic and side-effect free.

    Raises ``ValueError`` for an unknown kind, a multiple-choice key that is not among
    the choices, a true/false key that is not true/false, or a non-text key/answer for
    a free-text question.
    """
    question_kind = QuestionKind(kind)
    if question_kind is QuestionKind.MULTIPLE_CHOICE:
        if isinstance(key, bool) or isinstance(answer, bool):
            raise ValueError("multiple-choice keys and answers are option texts or indexes")
        return _grade_multiple_choice(key, answer, choices)
    if question_kind is QuestionKind.TRUE_FALSE:
        return _grade_true_false(key, answer)
    if not isinstance(key, str) or not isinstance(answer, str):
        raise ValueError("cloze and short-answer keys and answers must be text")
    return _grade_free_text(key, answer, accepted, names)
