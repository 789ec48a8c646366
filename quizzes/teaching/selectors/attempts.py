"""Reads for attempts: the questions as the student sees them, answers and feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from accounts.models import User
from quizzes.content.models import Question
from quizzes.content.selectors import question_ids_with_keys_withheld
from quizzes.core.ordering import option_order, question_order

from ..models import Attempt, QuizSetItem, Response


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    """A question without its key: what the student sees."""

    id: int
    position: int
    kind: str
    prompt: str
    choices: list[str]


@dataclass(frozen=True, slots=True)
class Feedback:
    question: int
    answer: str
    is_correct: bool
    correct_answer: str
    accepted_answers: list[str]
    explanation: str


@dataclass(frozen=True, slots=True)
class AttemptDetail:
    attempt: Attempt
    questions: list[ShownQuestion]
    responses: list[Response]
    feedback: list[Feedback] | None
    seconds_left: float | None


def attempt_get_for_user(*, user: User, attempt_id: int) -> Attempt:
    """The attempt if `user` made it or teaches its class; Http404 for anyone else."""
    attempt = (
        Attempt.objects.select_related("assignment__classroom", "student")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or user.pk not in (
        attempt.student_id,
        attempt.assignment.classroom.teacher_id,
    ):
        raise Http404("No such attempt.")
    return attempt


def _questions(attempt: Attempt) -> list[Question]:
    items = (
        QuizSetItem.objects.select_related("question")
        .filter(quiz_set_id=attempt.assignment.quiz_set_id)
        .order_by("position")
    )
    return [item.question for item in items]


def attempt_detail(*, attempt: Attempt, viewer: User, now: datetime) -> AttemptDetail:
    """The attempt in the order this attempt shows it, with saved answers.

    Per-question feedback (correctness, key, explanation) is included once the
    attempt is graded and the assignment's feedback rule allows it at `now`;
    the class's teacher always sees it.
    """
    assignment = attempt.assignment
    questions = question_order(
        attempt_id=attempt.pk, items=_questions(attempt), shuffle=assignment.shuffle_questions
    )
    shown = [
        ShownQuestion(
            id=question.pk,
            position=position,
            kind=question.kind,
            prompt=question.prompt,
            choices=option_order(
                attempt_id=attempt.pk,
                question_id=question.pk,
                kind=question.kind,
                choices=question.choices,
                shuffle=assignment.shuffle_options,
            ),
        )
        for position, question in enumerate(questions, start=1)
    ]
    responses = list(attempt.responses.order_by("question_id"))
    feedback = None
    is_teacher = viewer.pk == assignment.classroom.teacher_id
    if attempt.is_graded and (is_teacher or assignment.shows_feedback(now)):
        by_question = {response.question_id: response for response in responses}
        feedback = []
        # A question also in a quiz the student has open elsewhere keeps its key hidden.
        withheld = frozenset() if is_teacher else question_ids_with_keys_withheld(user=viewer)
        for question in questions:
            if question.pk in withheld:
                continue
            response = by_question.get(question.pk)
            feedback.append(
                Feedback(
                    question=question.pk,
                    answer=response.answer if response else "",
                    is_correct=bool(response and response.is_correct),
                    correct_answer=question.answer,
                    accepted_answers=list(question.accepted_answers),
                    explanation=question.explanation,
                )
            )
    seconds_left = None
    if not attempt.is_graded:
        seconds_left = max(0.0, (attempt.deadline - now).total_seconds())
    return AttemptDetail(attempt, shown, responses, feedback, seconds_left)
