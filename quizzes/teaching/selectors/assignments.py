"""Reads for assignments: who may see them, and each student's status."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership, User
from quizzes.content.selectors import versions_of
from quizzes.study.selectors import deck_mastery

from ..models import Assignment, Attempt, QuizSetItem


class Status(enum.StrEnum):
    """A student's standing on an assignment.

    For a quiz: `in_progress` while an attempt is open, `submitted` once the
    student submitted an attempt, `late` when their time ran out before they
    submitted (the server closed and graded the attempt), `missed` when the due
    time passed with no attempt, else `not_started`. For a study target:
    `submitted` once the deck's mastery reaches the target, `in_progress` after
    the first review, `late` if the due time passes before the target is
    reached, `missed` if it passes before any review. Mastery is deck-wide
    (see `deck_wide_mastery`).
    """

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    LATE = "late"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class StudentAssignment:
    assignment: Assignment
    status: Status
    attempts_used: int
    progress: dict[str, float] | None  # study target: {"mastery", "seen"}
    latest_attempt: Attempt | None = None


def _visible_to(user: User) -> QuerySet[Assignment]:
    base = Assignment.objects.select_related("classroom", "quiz_set", "deck")
    if user.is_teacher:
        return base.filter(classroom__teacher=user)
    return base.filter(classroom__memberships__student=user)


def assignment_get_for_user(*, user: User, assignment_id: int, manage: bool = False) -> Assignment:
    """The assignment if the user teaches its class or (unless `manage`) is in it.

    Raises Http404 with no link to the class, PermissionDenied when a student
    asks to manage it.
    """
    assignment = (
        Assignment.objects.select_related("classroom", "quiz_set", "deck")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    if assignment.classroom.teacher_id == user.pk:
        return assignment
    if Membership.objects.filter(classroom_id=assignment.classroom_id, student=user).exists():
        if manage:
            raise PermissionDenied("Only the class's teacher can do that.")
        return assignment
    raise Http404("No such assignment.")


def quiz_status(*, attempts: Iterable[Attempt], due_at: datetime, now: datetime) -> Status:
    """The status of a quiz from the student's attempts (see `Status`)."""
    states = set()
    for attempt in attempts:
        if attempt.state == Attempt.State.IN_PROGRESS and attempt.is_past_deadline(now):
            states.add(Attempt.State.TIMED_OUT)  # the closing task has not run yet
        else:
            states.add(attempt.state)
    if Attempt.State.IN_PROGRESS in states:
        return Status.IN_PROGRESS
    if Attempt.State.SUBMITTED in states:
        return Status.SUBMITTED
    if Attempt.State.TIMED_OUT in states:
        return Status.LATE
    return Status.MISSED if now >= due_at else Status.NOT_STARTED


def deck_wide_mastery(progress: dict[str, float]) -> float:
    """Mastery over the whole deck: unseen cards count as not known.

    `mastery` is the mean recall probability of the cards seen and `seen` the
    share of the deck seen, so reviewing two easy cards does not meet a target.
    """
    return float(progress.get("mastery", 0.0)) * float(progress.get("seen", 0.0))


def study_status(
    *, progress: dict[str, float] | None, target: float, due_at: datetime, now: datetime
) -> Status:
    """The status of a study target from the deck's mastery (see `Status`)."""
    overdue = now >= due_at
    if progress is not None and deck_wide_mastery(progress) >= target:
        return Status.SUBMITTED
    if progress is not None and progress.get("seen", 0.0) > 0:
        return Status.LATE if overdue else Status.IN_PROGRESS
    return Status.MISSED if overdue else Status.NOT_STARTED


def assignments_list(*, user: User, classroom_id: int | None = None) -> QuerySet[Assignment]:
    """A teacher's assignments in their classes, or a student's in the classes they are in."""
    assignments = _visible_to(user)
    if classroom_id is not None:
        assignments = assignments.filter(classroom_id=classroom_id)
    return assignments.order_by("due_at", "id")


def student_assignments_list(
    *, student: User, assignments: Iterable[Assignment], now: datetime
) -> list[StudentAssignment]:
    """The given assignments with this student's status, in two or three queries."""
    assignments = list(assignments)
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(
        student=student, assignment_id__in=[a.pk for a in assignments]
    ):
        attempts.setdefault(attempt.assignment_id, []).append(attempt)
    deck_ids = sorted({a.deck_id for a in assignments if a.deck_id is not None})
    mastery = deck_mastery(user=student, deck_ids=deck_ids, now=now) if deck_ids else {}
    out = []
    for assignment in assignments:
        mine = attempts.get(assignment.pk, [])
        progress = None
        if assignment.deck_id is not None:
            progress = mastery.get(assignment.deck_id)
            status = study_status(
                progress=progress,
                target=assignment.target_mastery or 1.0,
                due_at=assignment.due_at,
                now=now,
            )
        else:
            status = quiz_status(attempts=mine, due_at=assignment.due_at, now=now)
        latest = max(mine, key=lambda attempt: attempt.number, default=None)
        out.append(StudentAssignment(assignment, status, len(mine), progress, latest))
    return out


def attempts_list(*, user: User, assignment: Assignment) -> QuerySet[Attempt]:
    """A student's own attempts at the assignment; all of them for its teacher."""
    attempts = Attempt.objects.filter(assignment=assignment).select_related("student")
    if assignment.classroom.teacher_id != user.pk:
        attempts = attempts.filter(student=user)
    return attempts.order_by("student__username", "number")


__all__ = [
    "Status",
    "StudentAssignment",
    "assignment_get_for_user",
    "assignments_list",
    "attempts_list",
    "quiz_status",
    "student_assignments_list",
    "study_status",
]


def assignment_question_filter(user: User, assignment_id: int) -> Q:
    """The questions of an assignment that ``user`` is given (as a member of its class)
    or teaches, as a filter over questions: a study target's deck, or a quiz's set.
    The study queue uses it for ``?assignment=``.

    Raises Http404 for an assignment the user has no link to.
    """
    visible = Q(classroom__memberships__student=user) | Q(classroom__teacher=user)
    assignment = (
        Assignment.objects.filter(visible, pk=assignment_id)
        .values("id", "deck_id", "quiz_set_id")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    if assignment["deck_id"] is not None:
        return Q(passage__deck_id=assignment["deck_id"])
    if assignment["quiz_set_id"] is not None:
        # The current version of each (a question edited since is studied as edited).
        return versions_of(
            QuizSetItem.objects.filter(quiz_set_id=assignment["quiz_set_id"]).values("question_id")
        )
    return Q(pk__in=[])
