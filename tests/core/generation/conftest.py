"""Shared fixtures for the question-generator tests (pure Python, no database)."""

from __future__ import annotations

import pytest

from quizzes.core.generation import Inventory, PassageInput, build_inventory

# A tiny corpus that supplies same-kind distractors: people, parties, years.
CORPUS: tuple[str, ...] = (
    "Trotsky led the Red Army in 1919. Stalin became general secretary in 1922. "
    "Bukharin defended the peasants in 1925. Kamenev led the Moscow party in 1920. "
    "Zinoviev led the Comintern in 1919. Trotsky argued with Stalin in 1923. "
    "Stalin defeated Bukharin in 1929. Bukharin wrote about NEP in 1924. "
    "Kamenev and Zinoviev joined Trotsky in 1926.",
    "The Mensheviks opposed the Bolsheviks in 1918. The Socialist Revolutionaries opposed the "
    "Bolsheviks in 1918. The Mensheviks were arrested in 1921. The Socialist Revolutionaries "
    "were tried in 1922. The Cheka arrested the anarchists in 1918. The anarchists opposed "
    "the Mensheviks.",
)


def make_passage(text: str, author: str = "Simon Pirani") -> PassageInput:
    """A passage of the Pirani article with ``text``."""
    return PassageInput(
        passage_id=1,
        text=text,
        heading="Theme 2",
        source_title="Workers and the Soviet state",
        author=author,
        deck_title="Workers and the Soviet state",
    )


def inventory_with(text: str) -> Inventory:
    """The test corpus plus ``text``."""
    return build_inventory([*CORPUS, text])


@pytest.fixture
def corpus_inventory() -> Inventory:
    return build_inventory(CORPUS)
