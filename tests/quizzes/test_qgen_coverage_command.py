"""manage.py qgen_coverage on hand-written questions of an imported text."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.content.models import Passage
from quizzes.content.services import source_import
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

FACTS = [
    {
        "id": "g#1",
        "type": "who",
        "question": "Who bred dwarf wheat in Mexico?",
        "answer": "Norman Borlaug",
        "accepted": [],
    },
    {
        "id": "g#2",
        "type": "when",
        "question": "In which year did Norman Borlaug receive the Nobel Peace Prize?",
        "answer": "1970",
        "accepted": [],
    },
    {
        "id": "g#3",
        "type": "why",
        "question": "Why, according to critics, did the new seeds of "
        "the Green Revolution favour richer farmers?",
        "answer": "because richer farmers could afford fertiliser, pumps and credit",
        "accepted": [],
    },
]


def _gold(tmp_path: Path, passage: Passage, **changes) -> Path:
    entry = {
        "id": "green:1:1",
        "source": "notes/green.txt",
        "deck_order": 1,
        "passage_order": 1,
        "content_hash": passage.content_hash,
        "first_words": " ".join(passage.text.split()[:12]),
        "facts": FACTS,
        **changes,
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"types": ["who", "when", "why"], "passages": [entry]}))
    return path


@pytest.fixture
def passage(green_revolution) -> Passage:
    source_import(raw=green_revolution, import_key="notes/green.txt")
    return Passage.objects.get(deck__source__import_key="notes/green.txt", order=1)


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("qgen_coverage", *args, stdout=out)
    return out.getvalue().splitlines()


def test_counts_facts_covered_by_approved_questions_per_passage_type_and_source(tmp_path, passage):
    QuestionFactory(
        passage=passage,
        kind="short_answer",
        prompt="Who bred dwarf wheat in Mexico that could carry heavy heads of grain?",
        answer="Borlaug",
        accepted_answers=[],
    )
    QuestionFactory(
        passage=passage,
        kind="cloze",
        prompt="Norman Borlaug received the Nobel Peace Prize in ___.",
        answer="1970",
        accepted_answers=[],
        status="draft",
    )
    QuestionFactory(
        passage=passage,
        kind="short_answer",
        prompt="Which country did the new varieties reach by the 1960s?",
        answer="India",
        accepted_answers=[],
    )

    lines = _run("--gold", str(_gold(tmp_path, passage)))

    assert lines[0] == "Gold coverage of approved questions: gold.json, 1 passages, 3 facts"
    assert lines[2].split() == ["green:1:1", "2", "1/3", "(33.3%)"]
    assert [line.split() for line in lines[4:8]] == [
        ["By", "type"],
        ["who", "1/1", "(100.0%)"],
        ["when", "0/1", "(0.0%)"],
        ["why", "0/1", "(0.0%)"],
    ]
    assert lines[-3].split() == ["notes/green.txt", "1/3", "(33.3%)"]
    assert lines[-1] == "Overall: 1/3 (33.3%) of gold facts covered; 0 of 1 passages with none"


def test_status_option_and_fact_listing(tmp_path, passage):
    question = QuestionFactory(
        passage=passage,
        kind="cloze",
        prompt="Norman Borlaug received the Nobel Peace Prize in ___.",
        answer="1970",
        accepted_answers=[],
        status="draft",
    )

    lines = _run("--gold", str(_gold(tmp_path, passage)), "--status", "draft", "--facts")

    assert lines[4].split()[:3] == ["+", "g#2", "[when]"]
    assert lines[4].endswith(f"-> question {question.id} ('1970')")
    assert lines[2].split() == ["green:1:1", "1", "1/3", "(33.3%)"]


def test_a_passage_whose_text_changed_is_found_by_its_first_words(tmp_path, passage):
    lines = _run("--gold", str(_gold(tmp_path, passage, content_hash="0" * 64)))
    assert lines[2].split() == ["green:1:1", "~", "0", "0/3", "(0.0%)"]


def test_a_missing_passage_counts_its_facts_as_not_covered(tmp_path, passage):
    lines = _run("--gold", str(_gold(tmp_path, passage, source="notes/none.txt")))
    assert lines[2].split() == ["green:1:1", "missing", "0", "0/3", "(0.0%)"]
    assert lines[-1] == (
        "Overall: 0/3 (0.0%) of gold facts covered; 1 of 1 passages with none "
        "(green:1:1); 1 passages missing"
    )


def test_a_file_that_is_not_a_gold_file_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text("[1, 2]")
    with pytest.raises(CommandError, match="not a gold file"):
        _run("--gold", str(path))
