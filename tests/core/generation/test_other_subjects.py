"""Golden test: passages on other subjects (no gazetteer help) give sensible questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizzes.core.generation import GENERATOR_VERSION, PassageInput, build_inventory, generate

GOLDEN = Path(__file__).resolve().parents[3] / "fixtures" / "golden"
CASES = json.loads((GOLDEN / "qgen_other_subjects.json").read_text(encoding="utf-8"))


def _generate(case: dict[str, object]) -> list[dict[str, object]]:
    text = (GOLDEN / str(case["input"])).read_text(encoding="utf-8").strip()
    passage = PassageInput(1, text, "x", str(case["source_title"]), str(case["author"]), "Deck")
    chosen = generate(passage, build_inventory([text]), max_questions=int(case["max_questions"]))
    return [
        {"kind": c.kind, "prompt": c.prompt, "answer": c.answer, "choices": list(c.choices)}
        for c in chosen
    ]


def test_golden_file_matches_the_generator_version():
    assert CASES["generator_version"] == GENERATOR_VERSION


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["input"])
def test_other_subject_questions_match_the_golden_file(case):
    assert _generate(case) == case["expected"]


def test_french_revolution_questions_are_sensible():
    case = CASES["cases"][0]
    got = {(q["prompt"], q["answer"]) for q in _generate(case)}
    assert (
        "According to “A school textbook”, who summoned the Estates-General to Versailles to deal "
        "with the financial crisis of the monarchy in May 1789?",
        "Louis XVI",
    ) in got
    assert (
        "According to “A school textbook”, _____, a lawyer from Arras, became the leading figure "
        "of the Committee of Public Safety.",
        "Maximilien Robespierre",
    ) in got


def test_photosynthesis_gets_a_definition_from_an_apposition():
    case = CASES["cases"][1]
    got = {(q["prompt"], q["answer"]) for q in _generate(case)}
    assert ("According to “A school textbook”, what is chlorophyll?", "a green pigment") in got
