import pytest

from quizzes.content.models import Passage
from quizzes.content.services import source_import
from tests.conftest import authenticated
from tests.factories import DeckFactory, PassageFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _deck_with(n: int, owner=None):
    """A deck of `owner`'s own text (a curated one when None)."""
    deck = DeckFactory(source__created_by=owner)
    texts = [f"Sentence one of passage {i}. Sentence two of passage {i}." for i in range(n)]
    return deck, [PassageFactory(deck=deck, order=i + 1, text=t) for i, t in enumerate(texts)]


def _current(deck):
    return list(
        Passage.objects.filter(deck=deck, is_current=True)
        .order_by("order")
        .values_list("order", "text")
    )


def test_editing_text_makes_a_new_version_and_keeps_the_old_questions(api_client, teacher):
    deck, (passage,) = _deck_with(1, owner=teacher)
    question = QuestionFactory(passage=passage)

    response = authenticated(api_client, teacher).patch(
        f"/api/v1/passages/{passage.pk}", {"text": "A corrected sentence."}
    )

    assert response.status_code == 200
    new = Passage.objects.get(pk=response.json()["id"])
    passage.refresh_from_db()
    assert (new.version, new.order, new.text) == (2, 1, "A corrected sentence.")
    assert (passage.is_current, passage.replaced_by_id) == (False, new.pk)
    question.refresh_from_db()
    assert question.passage_id == passage.pk


def test_hiding_a_passage_hides_it_from_students(api_client, teacher, student):
    deck, (passage,) = _deck_with(1, owner=teacher)

    response = authenticated(api_client, teacher).patch(
        f"/api/v1/passages/{passage.pk}", {"is_hidden": True}
    )

    assert response.json()["is_hidden"] is True
    api_client.force_authenticate(student)
    assert api_client.get(f"/api/v1/passages?deck={deck.pk}").json()["count"] == 0


def test_splitting_a_passage_shifts_the_ones_after_it(api_client, teacher):
    deck, passages = _deck_with(3, owner=teacher)
    at = passages[1].text.index("Sentence two")

    response = authenticated(api_client, teacher).post(
        f"/api/v1/passages/{passages[1].pk}/split", {"at": at}
    )

    assert response.status_code == 201
    assert _current(deck) == [
        (1, "Sentence one of passage 0. Sentence two of passage 0."),
        (2, "Sentence one of passage 1."),
        (3, "Sentence two of passage 1."),
        (4, "Sentence one of passage 2. Sentence two of passage 2."),
    ]


def test_merging_consecutive_passages_closes_the_gap(api_client, teacher):
    deck, passages = _deck_with(4, owner=teacher)

    response = authenticated(api_client, teacher).post(
        "/api/v1/passages/merge", {"passages": [passages[2].pk, passages[1].pk]}
    )

    assert response.status_code == 201
    assert _current(deck) == [
        (1, "Sentence one of passage 0. Sentence two of passage 0."),
        (
            2,
            "Sentence one of passage 1. Sentence two of passage 1.\n\n"
            "Sentence one of passage 2. Sentence two of passage 2.",
        ),
        (3, "Sentence one of passage 3. Sentence two of passage 3."),
    ]


def test_merging_passages_that_are_not_neighbours_is_refused(api_client, teacher):
    deck, passages = _deck_with(3, owner=teacher)

    response = authenticated(api_client, teacher).post(
        "/api/v1/passages/merge", {"passages": [passages[0].pk, passages[2].pk]}
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Only consecutive passages can be merged."
    assert len(_current(deck)) == 3


def test_a_split_outside_the_text_is_refused(api_client, teacher):
    deck, (passage,) = _deck_with(1, owner=teacher)

    response = authenticated(api_client, teacher).post(
        f"/api/v1/passages/{passage.pk}/split", {"at": 10_000}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"at": ["Out of range."]}
    assert Passage.objects.filter(deck=deck).count() == 1


def test_another_teacher_cannot_curate_a_private_source(
    api_client, teacher, other_teacher, green_revolution
):
    source = source_import(raw=green_revolution, created_by=teacher).source
    passage = Passage.objects.get(deck__source=source)
    client = authenticated(api_client, other_teacher)

    edit = client.patch(f"/api/v1/passages/{passage.pk}", {"text": "Vandalised."})
    split = client.post(f"/api/v1/passages/{passage.pk}/split", {"at": 5})

    assert (edit.status_code, split.status_code) == (404, 404)
    assert list(Passage.objects.filter(deck__source=source).values_list("pk", "is_current")) == [
        (passage.pk, True)
    ]


def test_a_student_cannot_curate(api_client, student):
    deck, (passage,) = _deck_with(1)

    response = authenticated(api_client, student).patch(
        f"/api/v1/passages/{passage.pk}", {"is_hidden": True}
    )

    assert response.status_code == 403
    passage.refresh_from_db()
    assert passage.is_hidden is False
