"""Concept cloze on common noun phrases: exact questions, and the phrases never blanked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizzes.core.generation import build_inventory, generate, overgenerate
from quizzes.core.generation import noun_phrases as np_module
from quizzes.core.generation.noun_phrases import TEMPLATE, noun_phrases, tag_sentence
from quizzes.core.generation.pipeline import MIN_SCORE

from .conftest import CORPUS, inventory_with, make_passage

ROOT = Path(__file__).resolve().parents[3]

WORKERS = (
    "Moscow workers struck in 1921. The workers demanded bread. Many workers left the city. "
    "The social historians of the 1970s showed that while many young men went into the army, "
    "skilled older workers usually did not."
)
# Workers are a term of this corpus, but this passage names them only once.
ELSEWHERE = "Workers struck. The workers demanded bread. Many workers left. Workers came back."
METAL = (
    "The Workers Opposition, composed of unionised workers, had particular strength amongst "
    "metal workers in Petrograd in 1920."
)


def _np_items(text: str, *corpus: str) -> list[tuple[str, str, tuple[str, ...], float]]:
    inventory = build_inventory([*CORPUS, *corpus, text]) if corpus else inventory_with(text)
    return [
        (c.prompt, c.answer, c.accepted_answers, c.score)
        for c in overgenerate(make_passage(text), inventory)
        if c.template == TEMPLATE
    ]


def test_a_verb_tag_after_a_determiner_becomes_a_noun():
    # the Brill tagger reads "pump" as a verb in "as a pump that"
    tokens = tag_sentence("Zelensky described the party as a pump that sucked in members.")
    assert [(t.text, t.tag) for t in tokens][5:7] == [("a", "DT"), ("pump", "NN")]
    # and offsets are offsets into the sentence
    assert all(
        "Zelensky described the party as a pump that sucked in members."[t.start : t.end] == t.text
        for t in tokens
    )


def test_noun_phrases_are_maximal_lower_case_and_flag_subjects_and_lists():
    text = (
        "The social historians showed that while many young men went into the army, skilled "
        "older workers, peasants and soldiers usually did not."
    )
    phrases = {p.text: (p.determiner, p.subject, p.coordinated) for p in noun_phrases(text)}
    assert phrases["social historians"] == ("the", True, False)
    # conservative: a comma and an adjective after "the army" may open a list
    assert phrases["army"] == ("the", False, True)
    assert phrases["skilled older workers"] == ("", False, True)
    assert phrases["peasants"] == ("", False, True)
    assert "young men" not in phrases  # after "many": a vague quantifier


def test_a_key_concept_of_the_passage_is_blanked_with_its_modifiers():
    # given a passage about workers, one sentence contrasting two groups of them
    # when the pool is generated
    items = _np_items(WORKERS)
    # then the whole noun phrase is asked for, after the author attribution
    assert items == [
        (
            "According to Pirani, the social historians of the 1970s showed that while many young "
            "men went into the army, _____ usually did not.",
            "skilled older workers",
            ("skilled older workers",),
            0.758,
        )
    ]


def test_noun_phrase_items_are_served_below_named_entity_items():
    served = generate(make_passage(WORKERS), inventory_with(WORKERS))
    assert [(c.template, c.answer) for c in served] == [
        ("cloze_mc", "the 1970s"),
        ("cloze_np", "skilled older workers"),
    ]


def test_a_concept_in_passing_stays_in_the_pool_below_the_serving_threshold():
    # given "unionised workers" (a rarer modifier: a key term of a passage on workers) and
    # "metal workers" (common words only)
    items = _np_items(METAL, ELSEWHERE)
    # then both are generated, but only the key term scores high enough to be served
    assert items == [
        (
            "According to Pirani, the Workers Opposition, composed of _____, had particular "
            "strength amongst metal workers in Petrograd in 1920.",
            "unionised workers",
            ("unionised workers",),
            0.773,
        ),
        (
            "According to Pirani, the Workers Opposition, composed of unionised workers, had "
            "particular strength amongst _____ in Petrograd in 1920.",
            "metal workers",
            ("metal workers",),
            0.58,
        ),
    ]
    assert items[1][3] < MIN_SCORE <= items[0][3]
    served = generate(make_passage(METAL), build_inventory([*CORPUS, ELSEWHERE, METAL]))
    assert "metal workers" not in {c.answer for c in served}


@pytest.mark.parametrize(
    "text",
    [
        # a pronoun anywhere: the stem may need the passage to say who "they" are
        "The workers said that they wanted skilled older workers to lead the strikes of 1921.",
        # a member of a list: another member fits the blank as well
        "The strikes of 1921 involved young workers, skilled older workers and railway clerks.",
        # the opening subject: "_____ usually did not ..." says nothing of what is asked
        "Skilled older workers usually did not go into the army during the civil war.",
        # a quoted phrase
        "The workers of Moscow demanded ‘skilled older workers’ in every factory committee.",
        # a vague head ("the role") is never a key fact
        "The workers of Moscow played the leading role in the strikes of spring 1921.",
    ],
)
def test_unsafe_noun_phrases_are_never_blanked(text):
    passage_text = f"{text} The workers struck. Many workers left the city."
    assert _np_items(passage_text) == []


def test_the_answer_is_never_given_away_by_the_rest_of_the_stem():
    text = (
        "The slogan of the campaign of 1922 was for the death penalty, although abolition of "
        "the death penalty had been a slogan in 1917. The death penalty was debated."
    )
    assert [answer for _, answer, *_ in _np_items(text)] == []


def test_without_the_tagger_the_template_is_silent(monkeypatch):
    monkeypatch.setattr(np_module, "_tagger", lambda: None)
    np_module.tag_sentence.cache_clear()
    try:
        assert _np_items(WORKERS) == []
        assert generate(make_passage(WORKERS), inventory_with(WORKERS))  # the rest still runs
    finally:
        np_module.tag_sentence.cache_clear()


def test_the_tagger_is_loaded_lazily_and_without_nltk():
    code = (
        "import sys\n"
        "from quizzes.core.generation import PassageInput, build_inventory, generate\n"
        "from quizzes.core.generation.noun_phrases import _tagger\n"
        "loaded_on_import = _tagger.cache_info().currsize == 1\n"
        f"text = {WORKERS!r}\n"
        "generate(PassageInput(1, text, 'h', 't', 'Simon Pirani', 'd'), build_inventory([text]))\n"
        "print(loaded_on_import, _tagger.cache_info().currsize == 1, 'nltk' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True", "False"]
