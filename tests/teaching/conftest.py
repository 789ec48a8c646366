import pytest

from tests.factories import (
    DeckFactory,
    MembershipFactory,
    MultipleChoiceQuestionFactory,
    PassageFactory,
    QuestionFactory,
    UserFactory,
)
from tests.teaching.factories import AssignmentFactory, QuizSetFactory, TrueFalseQuestionFactory


@pytest.fixture
def deck(db):
    return DeckFactory(title="Kronstadt 1921")


@pytest.fixture
def questions(deck):
    """Three approved questions: cloze (March 1921), multiple choice (Tenth), true/false (True)."""
    first = PassageFactory(deck=deck, order=1)
    second = PassageFactory(deck=deck, order=2)
    return [
        QuestionFactory(passage=first),
        MultipleChoiceQuestionFactory(passage=first),
        TrueFalseQuestionFactory(passage=second),
    ]


@pytest.fixture
def quiz_set(teacher, questions):
    return QuizSetFactory(owner=teacher, title="Kronstadt quiz", questions=questions)


@pytest.fixture
def assignment(classroom, quiz_set):
    """Open 2 March 09:00 to 9 March 09:00 UTC, 20 minutes, two attempts, feedback at once."""
    return AssignmentFactory(
        classroom=classroom, quiz_set=quiz_set, time_limit_seconds=1200, attempts_allowed=2
    )


@pytest.fixture
def classmate(classroom):
    """A second student in `teacher`'s class."""
    student = UserFactory(username="cleo")
    MembershipFactory(classroom=classroom, student=student)
    return student
