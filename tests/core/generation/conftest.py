"""Shared fixtures for the question-generator tests (no database).

The spaCy pipeline is loaded once per test session; each test parses only its own
small hand-written passage.
"""

from __future__ import annotations

import pytest

from quizzes.core.generation import PassageInput, nlp
from quizzes.core.generation.deck import build_deck_inventory


def make_passage(text: str, author: str = "Simon Pirani", passage_id: int = 1) -> PassageInput:
    """A passage of an article by ``author`` with ``text``."""
    return PassageInput(
        passage_id=passage_id,
        text=text,
        heading="Theme 2",
        source_title="Workers and the Soviet state",
        author=author,
        deck_title="Workers and the Soviet state",
    )


@pytest.fixture(scope="session")
def pipeline():
    return nlp.load_pipeline()


@pytest.fixture(scope="session")
def parse(pipeline):
    def _parse(*texts: str):
        return nlp.parse(list(texts))

    return _parse


@pytest.fixture(scope="session")
def deck_of(parse):
    def _deck(*texts: str):
        docs = parse(*texts)
        return docs, build_deck_inventory(docs)

    return _deck
