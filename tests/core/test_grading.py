"""Table-driven tests for quizzes.core.grading, from fixtures/golden/grading_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.core.grading import (
    QuestionKind,
    Reason,
    damerau_levenshtein,
    grade_answer,
    normalise_free_text,
    typo_allowance,
)

CASES_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "golden" / "grading_cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_PATH.read_text(encoding="utf-8"))["cases"]


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['kind']}:{case['key']!r}<-{case['answer']!r}"


def test_the_table_has_at_least_forty_rows_covering_every_kind() -> None:
    assert len(CASES) >= 40
    assert {case["kind"] for case in CASES} == {kind.value for kind in QuestionKind}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_grading_table(case: dict[str, Any]) -> None:
    # given a question and an answer from the golden table
    # when it is graded
    verdict = grade_answer(
        case["kind"],
        case["key"],
        case["answer"],
        accepted=case.get("accepted", ()),
        choices=case.get("choices", ()),
        names=case.get("names", ()),
    )
    # then the verdict and its reason are the expected ones
    assert (verdict.correct, verdict.reason.value) == (case["correct"], case["reason"])
    assert (verdict.matched is not None) is verdict.correct


def test_verdict_carries_normalised_forms_and_distance() -> None:
    verdict = grade_answer("short_answer", "Brest-Litovsk", "Brest-Litóvks")

    assert verdict.correct is True
    assert verdict.reason is Reason.TYPO
    assert verdict.normalised_answer == "brest litovks"
    assert verdict.normalised_key == "brest litovsk"
    assert verdict.matched == "brest litovsk"
    assert verdict.distance == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brest-Litóvsk", "brest litovsk"),
        ("The Cheka", "cheka"),
        ("the", "the"),
        ("62.4m", "62400000"),
        ("62.4 million", "62400000"),
        ("62,400,000", "62400000"),
        ("3bn roubles", "3000000000 roubles"),
        ("21st", "21"),
        ("25%", "25 percent"),
        ("1921.", "1921"),
        ("Straße", "strasse"),
    ],
)
def test_free_text_normalisation(text: str, expected: str) -> None:
    assert normalise_free_text(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "distance"),
    [
        ("trotsky", "trotksy", 1),
        ("lenin", "lenina", 1),
        ("", "abc", 3),
        ("ca", "abc", 3),
        ("kamenev", "zinoviev", 6),
        ("same", "same", 0),
    ],
)
def test_damerau_levenshtein_optimal_string_alignment(left: str, right: str, distance: int) -> None:
    assert damerau_levenshtein(left, right) == distance


@pytest.mark.parametrize(
    ("word", "allowance"),
    [("kiev", 0), ("cheka", 1), ("bukharin", 1), ("bolsheviks", 2), ("1921abc", 0)],
)
def test_typo_allowance_grows_with_word_length(word: str, allowance: int) -> None:
    assert typo_allowance(word) == allowance


def test_unknown_kind_and_bad_keys_are_rejected() -> None:
    with pytest.raises(ValueError, match="essay"):
        grade_answer("essay", "x", "x")
    with pytest.raises(ValueError, match="not one of the choices"):
        grade_answer("multiple_choice", "Bukharin", "Lenin", choices=["Lenin", "Trotsky"])
    with pytest.raises(ValueError, match="true or false"):
        grade_answer("true_false", "maybe", "true")
    with pytest.raises(ValueError, match="must be text"):
        grade_answer("cloze", "1921", 1921)
    with pytest.raises(ValueError, match="need the list of choices"):
        grade_answer("multiple_choice", "Lenin", 0)


def _osa_by_table(left: str, right: str) -> int:
    """The optimal string alignment distance computed by its textbook table."""
    rows, cols = len(left) + 1, len(right) + 1
    table = [[i if j == 0 else j if i == 0 else 0 for j in range(cols)] for i in range(rows)]
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                best = min(best, table[i - 2][j - 2] + 1)
            table[i][j] = best
    return table[-1][-1]


@given(st.text(alphabet="abcdé", max_size=9), st.text(alphabet="abcdé", max_size=9))
def test_damerau_levenshtein_is_the_textbook_osa_distance(left: str, right: str) -> None:
    assert damerau_levenshtein(left, right) == _osa_by_table(left, right)
