"""Data for the browser tests, made with the ORM and services before a page opens."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from quizzes.teaching.models import Assignment
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from tests.factories import (
    PASSWORD,
    ClassroomFactory,
    DeckFactory,
    MembershipFactory,
    MultipleChoiceQuestionFactory,
    PassageFactory,
    QuestionFactory,
    TeacherFactory,
    UserFactory,
)
from tests.teaching.factories import AssignmentFactory, QuizSetFactory

__all__ = ["PASSWORD", "deck_with_questions", "class_with_quiz", "submitted_attempt"]


def deck_with_questions(count: int = 5, *, title: str = "Kronstadt 1921"):
    """A curated deck (visible to everyone) with `count` approved questions on one passage."""
    deck = DeckFactory(title=title)
    passage = PassageFactory(deck=deck, heading="The Kronstadt rising")
    questions = []
    for number in range(count):
        if number % 2:
            question = MultipleChoiceQuestionFactory(
                passage=passage,
                prompt=f"Which party congress adopted the New Economic Policy? ({number + 1})",
            )
        else:
            question = QuestionFactory(
                passage=passage,
                prompt=(
                    f"The Kronstadt sailors rose against the government in _____. ({number + 1})"
                ),
            )
        questions.append(question)
    return deck, passage, questions


def class_with_quiz(*, teacher=None, students=(), questions=None, time_limit_seconds=600):
    """A class with `students`, and a quiz on `questions` open now and due in a week."""
    teacher = teacher or TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher, name="History 10A")
    for student in students:
        MembershipFactory(classroom=classroom, student=student)
    if questions is None:
        _, _, questions = deck_with_questions(3)
    quiz_set = QuizSetFactory(owner=teacher, title="Kronstadt check", questions=questions)
    now = timezone.now()
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz_set=quiz_set,
        title="Kronstadt check",
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=7),
        time_limit_seconds=time_limit_seconds,
        feedback=Assignment.Feedback.IMMEDIATELY,
    )
    return classroom, assignment


def submitted_attempt(*, student, assignment, answers: dict[int, object]):
    now = timezone.now()
    attempt, _ = attempt_start(student=student, assignment=assignment, now=now)
    for question_id, answer in answers.items():
        response_save(attempt=attempt, question_id=question_id, answer=answer, now=now)
    return attempt_submit(attempt=attempt, now=now)


def student(username: str):
    return UserFactory(username=username)


def teacher(username: str):
    return TeacherFactory(username=username)
