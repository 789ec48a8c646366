"""Writes for assignments: a quiz set or a study target given to a class."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from accounts.models import Classroom, User
from quizzes.content.models import Deck
from quizzes.content.selectors import sources_visible_to
from studyapp.errors import ApplicationError

from ..models import Assignment, QuizSet

DEFAULT_TARGET_MASTERY = 0.8


def assignment_create(
    *,
    teacher: User,
    classroom: Classroom,
    opens_at: datetime,
    due_at: datetime,
    quiz_set: QuizSet | None = None,
    deck: Deck | None = None,
    target_mastery: float | None = None,
    title: str = "",
    time_limit_seconds: int | None = None,
    attempts_allowed: int = 1,
    grading_method: str = Assignment.GradingMethod.HIGHEST,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
    feedback: str = Assignment.Feedback.AFTER_DUE,
) -> Assignment:
    """Assign a quiz set (or a deck to study up to `target_mastery`) to the class.

    The teacher must teach the class and own the quiz set (ApplicationError 403
    naming the field). Raises ValidationError when neither or both of quiz set
    and deck are given, the deck is not one the teacher may see, the quiz set
    is empty, the due time is not after the opening time, or a study target has
    a time limit.
    """
    if not teacher.is_teacher:
        raise ApplicationError(
            "Only teachers can assign work.", code="permission_denied", status=403
        )
    if classroom.teacher_id != teacher.pk:
        raise ApplicationError(
            "You can only assign work to your own classes.",
            code="permission_denied",
            status=403,
            fields={"classroom": ["You do not teach this class."]},
        )
    if (quiz_set is None) == (deck is None):
        raise ValidationError({"non_field_errors": ["Give either a quiz set or a deck, not both."]})
    if quiz_set is not None:
        if quiz_set.owner_id != teacher.pk:
            raise ApplicationError(
                "You can only assign your own quiz sets.",
                code="permission_denied",
                status=403,
                fields={"quiz_set": ["This quiz set is not yours."]},
            )
        if not quiz_set.items.exists():
            raise ValidationError({"quiz_set": ["This quiz set has no questions."]})
        target_mastery = None
    else:
        if not sources_visible_to(user=teacher).filter(pk=deck.source_id).exists():
            raise ValidationError({"deck": ["This does not exist."]})
        if time_limit_seconds is not None:
            raise ValidationError({"time_limit_seconds": ["A study target has no time limit."]})
        if target_mastery is None:
            target_mastery = DEFAULT_TARGET_MASTERY

    assignment = Assignment(
        classroom=classroom,
        quiz_set=quiz_set,
        deck=deck,
        target_mastery=target_mastery,
        title=(title.strip() or (quiz_set.title if quiz_set else deck.title if deck else "")),
        opens_at=opens_at,
        due_at=due_at,
        time_limit_seconds=time_limit_seconds,
        attempts_allowed=attempts_allowed,
        grading_method=grading_method,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
        feedback=feedback,
        created_by=teacher,
    )
    # full_clean also checks the model's CheckConstraints (due after open, ranges).
    assignment.full_clean()
    assignment.save()
    return assignment
