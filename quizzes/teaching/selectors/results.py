"""Results of an assignment: a grade per student and statistics per question.

The grade follows the assignment's method (highest, last or average of graded
attempts). Item statistics use one attempt per student, the one that counts:
the highest for "highest", the last for "last" and "average".
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, replace
from datetime import datetime

from accounts.models import User
from quizzes.study.exams import assignment_exam_predictions
from quizzes.study.selectors import deck_mastery

from ..models import Assignment, Attempt, QuizSetItem, Response
from .assignments import Status, quiz_status, study_status

TOP_BOTTOM_SHARE = 0.27


@dataclass(frozen=True, slots=True)
class StudentResult:
    student: User
    status: Status
    attempts: int
    graded_attempts: int
    score: float | None
    max_score: float | None
    percent: float | None
    time_taken_seconds: float | None
    last_submitted_at: datetime | None
    progress: dict[str, float] | None
    # With an exam plan on the assignment: recall predicted on its due date, and
    # whether that is below the plan's target.
    predicted_recall: float | None = None
    at_risk: bool | None = None


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: int
    position: int
    kind: str
    prompt: str
    answered: int
    correct: int
    facility: float | None
    discrimination: float | None
    option_counts: dict[str, int] | None


@dataclass(frozen=True, slots=True)
class ExamSummary:
    """The assignment's exam plan: its target and the class's predicted recall."""

    target: float
    predicted_recall: float | None  # the mean over the students
    at_risk: int  # students below the target


@dataclass(frozen=True, slots=True)
class Results:
    assignment: Assignment
    students: list[StudentResult]
    questions: list[QuestionResult]
    exam: ExamSummary | None = None


def _counted_attempt(graded: list[Attempt], method: str) -> Attempt | None:
    if not graded:
        return None
    if method == Assignment.GradingMethod.HIGHEST:
        best = max(attempt.score or 0.0 for attempt in graded)
        return next(attempt for attempt in graded if attempt.score == best)
    return graded[-1]


def _grade(graded: list[Attempt], method: str) -> tuple[float | None, float | None]:
    """(grade, time taken in seconds) under the grading method."""
    if not graded:
        return None, None
    if method == Assignment.GradingMethod.AVERAGE:
        score = sum(attempt.score or 0.0 for attempt in graded) / len(graded)
        times = [attempt.time_taken_seconds or 0.0 for attempt in graded]
        return round(score, 4), round(sum(times) / len(times), 1)
    counted = _counted_attempt(graded, method)
    assert counted is not None
    return counted.score, counted.time_taken_seconds


def _students(assignment: Assignment, attempts: list[Attempt]) -> list[User]:
    """Current members, plus anyone removed from the class who has attempts."""
    members = {
        user.pk: user
        for user in User.objects.filter(memberships__classroom_id=assignment.classroom_id)
    }
    for attempt in attempts:
        members.setdefault(attempt.student_id, attempt.student)
    return sorted(members.values(), key=lambda user: (user.username, user.pk))


def _discrimination(ranked: list[tuple[Attempt, bool]]) -> float | None:
    """Share correct among the top 27% of scorers minus the share among the bottom 27%."""
    if len(ranked) < 2:
        return None
    size = max(1, math.floor(TOP_BOTTOM_SHARE * len(ranked) + 0.5))
    top = sum(correct for _, correct in ranked[:size])
    bottom = sum(correct for _, correct in ranked[-size:])
    return round((top - bottom) / size, 4)


def _option_key(kind: str, choices: list[str], answer: str) -> str | None:
    if kind == "true_false":
        return {"true": "True", "false": "False"}.get(answer.strip().casefold())
    wanted = " ".join(answer.split()).casefold()
    return next((c for c in choices if " ".join(c.split()).casefold() == wanted), None)


def _question_results(assignment: Assignment, counted: list[Attempt]) -> list[QuestionResult]:
    items = list(
        QuizSetItem.objects.select_related("question")
        .filter(quiz_set_id=assignment.quiz_set_id)
        .order_by("position")
    )
    responses: dict[tuple[int, int], Response] = {
        (response.attempt_id, response.question_id): response
        for response in Response.objects.filter(attempt__in=counted)
    }
    # best first; among equal scores the earlier attempt ranks higher, so ranking is stable
    ranked_attempts = sorted(counted, key=lambda attempt: (-(attempt.score or 0.0), attempt.pk))
    out = []
    for item in items:
        question = item.question
        marks = []
        answered = 0
        counts: dict[str, int] | None = None
        if question.kind in ("multiple_choice", "true_false"):
            options = question.choices if question.kind == "multiple_choice" else ["True", "False"]
            counts = dict.fromkeys(options, 0)
        for attempt in ranked_attempts:
            response = responses.get((attempt.pk, question.pk))
            correct = bool(response and response.is_correct)
            marks.append((attempt, correct))
            if response and response.answer:
                answered += 1
                if counts is not None:
                    key = _option_key(question.kind, question.choices, response.answer)
                    if key is not None:
                        counts[key] = counts.get(key, 0) + 1
        correct_count = sum(correct for _, correct in marks)
        out.append(
            QuestionResult(
                question=question.pk,
                position=item.position,
                kind=question.kind,
                prompt=question.prompt,
                answered=answered,
                correct=correct_count,
                facility=round(correct_count / len(marks), 4) if marks else None,
                discrimination=_discrimination(marks),
                option_counts=counts,
            )
        )
    return out


def assignment_results(*, assignment: Assignment, now: datetime) -> Results:
    """Every student's grade and status, and each question's statistics."""
    attempts = list(
        Attempt.objects.filter(assignment=assignment)
        .select_related("student")
        .order_by("student_id", "number")
    )
    by_student: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_student.setdefault(attempt.student_id, []).append(attempt)

    students = []
    counted: list[Attempt] = []
    for student in _students(assignment, attempts):
        mine = by_student.get(student.pk, [])
        graded = [attempt for attempt in mine if attempt.is_graded]
        progress = None
        if assignment.is_study_target:
            mastery = deck_mastery(user=student, deck_ids=[assignment.deck_id], now=now)
            progress = mastery.get(assignment.deck_id)
            status = study_status(
                progress=progress,
                target=assignment.target_mastery or 1.0,
                due_at=assignment.due_at,
                now=now,
            )
        else:
            status = quiz_status(attempts=mine, due_at=assignment.due_at, now=now)
        score, time_taken = _grade(graded, assignment.grading_method)
        max_score = graded[-1].max_score if graded else None
        chosen = _counted_attempt(graded, assignment.grading_method)
        if chosen is not None:
            counted.append(chosen)
        students.append(
            StudentResult(
                student=student,
                status=status,
                attempts=len(mine),
                graded_attempts=len(graded),
                score=score,
                max_score=max_score,
                percent=(
                    round(100 * score / max_score, 1) if score is not None and max_score else None
                ),
                time_taken_seconds=time_taken,
                last_submitted_at=graded[-1].submitted_at if graded else None,
                progress=progress,
            )
        )
    questions = [] if assignment.is_study_target else _question_results(assignment, counted)
    target, predictions, mean = assignment_exam_predictions(
        assignment=assignment, students=[row.student for row in students], now=now
    )
    if target is None:
        return Results(assignment, students, questions)
    students = [
        replace(
            row,
            predicted_recall=predictions[row.student.pk].predicted_recall,
            at_risk=predictions[row.student.pk].at_risk,
        )
        for row in students
    ]
    exam = ExamSummary(
        target=target, predicted_recall=mean, at_risk=sum(1 for row in students if row.at_risk)
    )
    return Results(assignment, students, questions, exam)


CSV_COLUMNS = [
    "student_id",
    "username",
    "email",
    "status",
    "attempts",
    "score",
    "max_score",
    "percent",
    "time_taken_seconds",
    "last_submitted_at",
]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


#: Added when the assignment has an exam plan.
EXAM_CSV_COLUMNS = ["predicted_recall_on_due", "at_risk"]


def results_csv(results: Results) -> str:
    """The gradebook: one row per student, in the order of `results.students`; with
    an exam plan, each student's predicted recall on the due date and whether it is
    below the target (1 or 0)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    exam = results.exam is not None
    writer.writerow(CSV_COLUMNS + (EXAM_CSV_COLUMNS if exam else []))
    for row in results.students:
        values: list[object] = [
            row.student.pk,
            row.student.username,
            row.student.email,
            row.status.value,
            row.attempts,
            row.score,
            row.max_score,
            row.percent,
            row.time_taken_seconds,
            row.last_submitted_at.isoformat() if row.last_submitted_at else None,
        ]
        if exam:
            values += [row.predicted_recall, None if row.at_risk is None else int(row.at_risk)]
        writer.writerow([_cell(value) for value in values])
    return buffer.getvalue()
