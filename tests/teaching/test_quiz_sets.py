import pytest

from quizzes.teaching.models import QuizSet, QuizSetItem
from tests.conftest import authenticated
from tests.factories import (
    DeckFactory,
    MultipleChoiceQuestionFactory,
    PassageFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

QUIZ_SETS = "/api/v1/quiz-sets"


def test_a_teacher_builds_a_quiz_set_by_hand_in_the_order_given(api_client, teacher, questions):
    cloze, choice, true_false = questions
    response = authenticated(api_client, teacher).post(
        QUIZ_SETS, {"title": "Kronstadt", "questions": [true_false.pk, cloze.pk, choice.pk]}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Kronstadt"
    assert body["questions"] == [true_false.pk, cloze.pk, choice.pk]
    assert [item["position"] for item in body["items"]] == [1, 2, 3]
    assert body["items"][1]["question"]["answer"] == "March 1921"
    assert QuizSet.objects.get().owner == teacher


def test_draft_rejected_missing_and_repeated_questions_are_refused(api_client, teacher, deck):
    passage = PassageFactory(deck=deck)
    draft = QuestionFactory(passage=passage, status="draft")
    rejected = QuestionFactory(passage=passage, status="rejected")
    approved = QuestionFactory(passage=passage)
    client = authenticated(api_client, teacher)

    bad = client.post(
        QUIZ_SETS, {"title": "x", "questions": [draft.pk, rejected.pk, 999999, approved.pk]}
    )
    repeated = client.post(QUIZ_SETS, {"title": "x", "questions": [approved.pk, approved.pk]})

    assert bad.status_code == 400
    assert bad.json()["fields"] == {
        "questions": [
            f"Question {draft.pk} is not approved.",
            f"Question {rejected.pk} is not approved.",
            "Question 999999 does not exist.",
        ]
    }
    assert repeated.json()["fields"] == {
        "questions": [f"Question {approved.pk} appears more than once."]
    }
    assert (QuizSet.objects.count(), QuizSetItem.objects.count()) == (0, 0)


def test_a_drawn_quiz_set_uses_approved_questions_of_the_kinds_asked(api_client, teacher):
    # given two decks; in the first, passage 1 has two approved clozes and a draft,
    # passage 2 an approved cloze and a multiple choice
    first, second = DeckFactory(), DeckFactory()
    p1, p2 = PassageFactory(deck=first, order=1), PassageFactory(deck=first, order=2)
    best = QuestionFactory(passage=p1, score=0.9)
    QuestionFactory(passage=p1, score=0.6)
    QuestionFactory(passage=p1, score=1.0, status="draft")
    other = QuestionFactory(passage=p2, score=0.7)
    MultipleChoiceQuestionFactory(passage=p2, score=0.99)
    elsewhere = QuestionFactory(passage=PassageFactory(deck=second), score=0.8)
    client = authenticated(api_client, teacher)

    # when the teacher draws two clozes from the first deck, and three from both
    one_deck = client.post(
        QUIZ_SETS, {"title": "Drawn", "deck": first.pk, "count": 2, "kinds": ["cloze"]}
    )
    two_decks = client.post(
        QUIZ_SETS,
        {"title": "Drawn", "decks": [first.pk, second.pk], "count": 3, "kinds": ["cloze"]},
    )

    # then one comes from each passage, the best of each
    assert one_deck.status_code == 201
    assert one_deck.json()["questions"] == [best.pk, other.pk]
    assert two_decks.json()["questions"] == [best.pk, other.pk, elsewhere.pk]


def test_drawing_more_than_there_are_is_refused(api_client, teacher, questions, deck):
    response = authenticated(api_client, teacher).post(
        QUIZ_SETS, {"title": "Too many", "deck": deck.pk, "count": 4}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "count": ["Only 3 approved questions match; ask for fewer."]
    }
    assert QuizSet.objects.count() == 0


def test_hand_and_drawn_input_cannot_be_mixed(api_client, teacher, questions, deck):
    response = authenticated(api_client, teacher).post(
        QUIZ_SETS, {"title": "Both", "deck": deck.pk, "count": 1, "questions": [questions[0].pk]}
    )

    assert response.status_code == 400
    assert response.json()["message"] == ("Send either `questions` or `deck`/`decks` with `count`.")
