"""Drawing a quiz set over the API applies the one-sentence and give-away rules."""

from __future__ import annotations

import pytest

from quizzes.teaching.models import QuizSet
from tests.conftest import authenticated
from tests.factories import DeckFactory, PassageFactory, QuestionFactory

pytestmark = pytest.mark.django_db

QUIZ_SETS = "/api/v1/quiz-sets"


def test_a_drawn_set_skips_a_second_item_on_the_same_sentence_and_a_give_away(api_client, teacher):
    # given passage 1 with a cloze on its first sentence (key "March 1921"), a second
    # cloze on the same sentence, and a third whose stem says "March 1921"; and
    # passage 2 with a question that names the third cloze's key
    deck = DeckFactory()
    p1, p2 = PassageFactory(deck=deck, order=1), PassageFactory(deck=deck, order=2)
    first = QuestionFactory(passage=p1, score=0.9, evidence_start=0, evidence_end=75)
    QuestionFactory(
        passage=p1,
        score=0.8,
        evidence_start=4,
        evidence_end=40,
        prompt="The ___ sailors rose against the Bolshevik government.",
        answer="Kronstadt",
        accepted_answers=[],
    )
    QuestionFactory(
        passage=p1,
        score=0.7,
        evidence_start=151,
        evidence_end=226,
        prompt="The ___ adopted the New Economic Policy in March 1921.",
        answer="Tenth Party Congress",
        accepted_answers=[],
    )
    fourth = QuestionFactory(
        passage=p2,
        score=0.85,
        kind="short_answer",
        prompt="What did the Tenth Party Congress adopt?",
        answer="the New Economic Policy",
        accepted_answers=[],
    )
    client = authenticated(api_client, teacher)

    # when the teacher draws two, and then three
    two = client.post(QUIZ_SETS, {"title": "Two", "deck": deck.pk, "count": 2})
    three = client.post(QUIZ_SETS, {"title": "Three", "deck": deck.pk, "count": 3})

    # then two are the best of each passage; a third cannot be added, since the
    # second cloze shares the first's sentence and the third gives away the first's key
    assert two.status_code == 201, two.json()
    assert two.json()["questions"] == [first.pk, fourth.pk]
    assert three.status_code == 400
    assert three.json()["fields"] == {
        "count": [
            "Only 2 of the 4 matching questions can go in one set without two from the same "
            "sentence or one giving away another's answer; ask for fewer."
        ]
    }
    assert QuizSet.objects.count() == 1
