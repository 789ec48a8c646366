"""Golden tests of each text-cleaning rule on short extracts.

Table-driven from fixtures/golden/passages_rules.json: one row per case with the
rule, the input string, the expected output and, for footnote markers, the last note
number seen before the extract. Most extracts are taken from the seed texts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.core.text import (
    PassageLimits,
    analyse,
    harmonise_hyphenation,
    join_hyphenated,
    normalise_text,
    prepare_source,
    reflow,
    repair_spacing,
    split_passages,
    split_sentences,
    strip_footnote_markers,
)
from quizzes.core.text.furniture import is_comment_furniture, is_running_head

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database, no Django

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden" / "passages_rules.json"
CASES: list[dict[str, Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _units(text: str) -> str:
    lines: list[str] = []
    for deck in analyse(text).decks:
        lines.append(
            " | ".join(part for part in ("# " + deck.label, deck.title, deck.part) if part)
        )
        lines.extend(
            f"{'H' if unit.kind == 'heading' else 'P'}: {unit.text}" for unit in deck.units
        )
    return "\n".join(lines)


def _passages(text: str) -> str:
    source = prepare_source(text)
    return "\n---\n".join(
        f"[{passage.heading}] {passage.text}" for deck in source.decks for passage in deck.passages
    )


def _dropped(text: str) -> str:
    return " | ".join(f"{item.reason}: {item.sample}" for item in prepare_source(text).dropped)


RULES: dict[str, Callable[[dict[str, Any]], str]] = {
    "normalise_text": lambda case: normalise_text(case["input"]),
    "repair_spacing": lambda case: repair_spacing(case["input"]),
    "join_hyphenated": lambda case: join_hyphenated(case["input"]),
    "harmonise_hyphenation": lambda case: harmonise_hyphenation(case["input"]),
    "strip_footnote_markers": lambda case: strip_footnote_markers(case["input"], case["start"]),
    "split_sentences": lambda case: " | ".join(split_sentences(case["input"])),
    "is_running_head": lambda case: str(is_running_head(case["input"])).lower(),
    "is_comment_furniture": lambda case: str(is_comment_furniture(case["input"])).lower(),
    "reflow": lambda case: reflow(case["input"]),
    "units": lambda case: _units(case["input"]),
    "passages": lambda case: _passages(case["input"]),
    "dropped": lambda case: _dropped(case["input"]),
}


def test_golden_file_covers_every_rule() -> None:
    assert {case["rule"] for case in CASES} == set(RULES)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i:02d}-{case['rule']}" for i, case in enumerate(CASES)]
)
def test_rule_matches_golden_output(case: dict[str, Any]) -> None:
    # given an extract, when the rule runs, then it gives exactly the golden output
    assert RULES[case["rule"]](case) == case["expected"]


def test_empty_text_raises_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        prepare_source("  \n\n\t \n")


def test_text_that_is_only_furniture_raises_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="empty after cleaning"):
        prepare_source("Comments\n\nBlackhawk\n\n15 years ago\n\nIn reply to by libcom.org")


@pytest.mark.parametrize(
    "raw",
    [
        "x",
        "Hello.",
        "\u00a0\u200b word \u00ad",
        "CHAPTER ONE\n\nCHAPTER TWO\n",
        "-\n-\n-\n" * 20,
        "a-\n" * 50,
        "1.\n2.\n3.\n" * 10,
        "\u201c" * 500,
        "Title\n\n" + "word " * 2000,
        "Short line\n" * 40,
        "## \n### \n",
        "PART ONE\n\nCHAPTER 1\nA\n\nb\n\nCHAPTER 2\n",
    ],
)
def test_odd_input_never_raises_anything_but_value_error(raw: str) -> None:
    try:
        source = prepare_source(raw, title="Pasted")
    except ValueError:
        return
    assert source.decks
    assert all(passage.text.strip() for deck in source.decks for passage in deck.passages)


def test_pasted_paragraphs_make_one_deck_with_the_given_title() -> None:
    source = prepare_source(
        "The revolution began in 1789. It changed France.\n\nIt ended the monarchy.",
        title="French Revolution",
        author="A. Teacher",
    )
    assert [deck.title for deck in source.decks] == ["French Revolution"]
    assert source.title == "French Revolution"
    assert source.author == "A. Teacher"
    assert source.decks[0].passages[0].heading == "French Revolution"


def test_text_core_imports_without_django_or_network_modules() -> None:
    # given a fresh interpreter where Django cannot be imported
    code = (
        "import sys; sys.modules['django'] = None; "
        "import quizzes.core.text; "
        "banned = {'django', 'socket', 'urllib.request', 'http.client', 'ssl'}; "
        "loaded = {name for name in banned if sys.modules.get(name) is not None}; "
        "core = sorted(n for n in sys.modules if n.startswith('quizzes')); "
        "print(sorted(loaded), core)"
    )
    root = Path(__file__).resolve().parents[2]
    # when the text core is imported
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    # then nothing outside the standard library's pure parts was needed
    loaded, _, core = result.stdout.partition("] ")
    assert loaded == "["
    assert "quizzes.core.text.pipeline" in core
    assert "quizzes.content.models" not in core


_TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcXY .,;:!?-\u2013\u2014\n\u201c\u201d\u2019'[]()19#\u2022\u00a0")
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(raw=_TEXT)
def test_any_text_is_prepared_or_rejected_with_value_error(raw: str) -> None:
    try:
        source = prepare_source(raw)
    except ValueError:
        return
    assert source.words_kept == sum(p.word_count for d in source.decks for p in d.passages)
    assert all(p.text == p.text.strip() and p.text for d in source.decks for p in d.passages)


@settings(max_examples=150, deadline=None)
@given(raw=_TEXT)
def test_normalise_text_keeps_the_number_of_lines(raw: str) -> None:
    assert normalise_text(raw).count("\n") == raw.replace("\r\n", "\n").replace("\r", "\n").count(
        "\n"
    )


@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(st.text(alphabet="ab .!?\u201d", min_size=1, max_size=80), max_size=12))
def test_split_passages_keeps_every_word_in_order(paragraphs: list[str]) -> None:
    limits = PassageLimits(minimum=5, maximum=20, target=12)
    passages = split_passages(paragraphs, limits)
    assert " ".join(" ".join(passages).split()) == " ".join(" ".join(paragraphs).split())
