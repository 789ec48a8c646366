"""The coverage gold file points at passages exactly as the importer stores them today."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from quizzes.core.text import PreparedSource, prepare_source

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database, no Django

ROOT = Path(__file__).resolve().parents[2]
GOLD = json.loads((ROOT / "fixtures" / "qgen_gold_v2.json").read_text(encoding="utf-8"))


@cache
def _prepared(source: str) -> PreparedSource:
    path = ROOT / source
    manifest = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))
    entry = next(item for item in manifest if item["file"] == path.name)
    raw = path.read_text(encoding="utf-8")
    return prepare_source(raw, title=entry.get("title", ""), author=entry.get("author", ""))


def test_gold_file_has_the_size_and_mix_the_rubric_asks_for() -> None:
    passages = GOLD["passages"]
    facts = [fact for passage in passages for fact in passage["facts"]]
    by_folder = Counter(passage["source"].split("/")[1] for passage in passages)
    assert len(passages) >= 25 and len(facts) >= 150
    assert by_folder["sources"] >= 15 and by_folder["subjects"] >= 10
    assert {fact["type"] for fact in facts} <= set(GOLD["types"])
    assert len({fact["id"] for fact in facts}) == len(facts)
    assert all(any(f["type"] in ("why", "how") for f in p["facts"]) for p in passages)


@pytest.mark.parametrize("passage", GOLD["passages"], ids=lambda passage: passage["id"])
def test_gold_passage_is_the_one_the_importer_stores(passage: dict) -> None:
    prepared = _prepared(passage["source"])
    deck = next(deck for deck in prepared.decks if deck.order == passage["deck_order"])
    stored = next(item for item in deck.passages if item.order == passage["passage_order"])
    assert stored.content_hash == passage["content_hash"]
    assert " ".join(stored.text.split()[:12]) == passage["first_words"]
