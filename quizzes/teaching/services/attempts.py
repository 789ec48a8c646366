"""Writes for attempts: start, autosave, submit, and closing overdue attempts.

Timing is the server's: an attempt's deadline is fixed when it starts (the
earlier of start + time limit and the due time), saves after it are refused,
and an attempt still open after it is graded with what was saved.

Every write that changes an attempt locks its row first (`select_for_update`),
so a submit and a save, or two submits, or a submit and the closing task, run
one after the other and the attempt is graded once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from accounts.models import User
from quizzes.content.models import Question
from quizzes.core.grading import grade_answer
from quizzes.core.ordering import option_order
from studyapp.errors import ApplicationError

from ..models import Assignment, Attempt, QuizSetItem, Response

logger = logging.getLogger(__name__)

FREE_TEXT_KINDS = frozenset({Question.Kind.CLOZE, Question.Kind.SHORT_ANSWER})
MAX_ANSWER_LENGTH = 2000
_TRUE_FALSE = {"true": "true", "t": "true", "false": "false", "f": "false"}


def attempt_start(*, student: User, assignment: Assignment, now: datetime) -> tuple[Attempt, bool]:
    """Start an attempt, or return the one in progress: `(attempt, created)`.

    An attempt in progress whose deadline has passed is graded first, and then a
    new one starts if attempts remain. Raises ApplicationError: 403 for a
    teacher, 400 for a study target, 409 before opening, after the due time or
    when no attempts are left.
    """
    if student.is_teacher:
        raise ApplicationError("Only students take quizzes.", code="permission_denied", status=403)
    if assignment.is_study_target:
        raise ApplicationError(
            "This assignment is a study target: study the deck instead.", code="not_a_quiz"
        )
    current = Attempt.objects.filter(
        assignment=assignment, student=student, state=Attempt.State.IN_PROGRESS
    ).first()
    if current is not None:
        if not current.is_past_deadline(now):
            return current, False
        attempt_close(attempt_id=current.pk, now=now)
    if now < assignment.opens_at:
        raise ApplicationError("This assignment is not open yet.", code="not_open", status=409)
    if now >= assignment.due_at:
        raise ApplicationError("This assignment is past its due time.", code="past_due", status=409)
    used = Attempt.objects.filter(assignment=assignment, student=student).count()
    if used >= assignment.attempts_allowed:
        raise ApplicationError(
            f"You have used all {assignment.attempts_allowed} attempts allowed.",
            code="no_attempts_left",
            status=409,
        )
    deadline = assignment.due_at
    if assignment.time_limit_seconds is not None:
        deadline = min(deadline, now + timedelta(seconds=assignment.time_limit_seconds))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                assignment=assignment,
                student=student,
                number=used + 1,
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError:
        # A simultaneous start won (one attempt in progress; numbers unique): use its attempt.
        winner = Attempt.objects.filter(
            assignment=assignment, student=student, state=Attempt.State.IN_PROGRESS
        ).first()
        if winner is None:
            raise ApplicationError(
                "Another start is in progress; try again.", code="conflict", status=409
            ) from None
        return winner, False
    return attempt, True


def _clean_answer(*, attempt: Attempt, question: Question, answer: object) -> str:
    """The answer as stored: an option's text for choices, text otherwise.

    A multiple-choice answer may be the option's text or its index in the order
    this attempt shows (after shuffling), so the index means what the student saw.
    """
    if answer is None or answer == "":
        return ""
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        shown = option_order(
            attempt_id=attempt.pk,
            question_id=question.pk,
            kind=question.kind,
            choices=question.choices,
            shuffle=attempt.assignment.shuffle_options,
        )
        if isinstance(answer, int) and not isinstance(answer, bool):
            if 0 <= answer < len(shown):
                return shown[answer]
        elif isinstance(answer, str):
            wanted = " ".join(answer.split()).casefold()
            for option in shown:
                if " ".join(option.split()).casefold() == wanted:
                    return option
        raise ApplicationError(
            "That is not one of the options.", fields={"answer": ["Choose one of the options."]}
        )
    if question.kind == Question.Kind.TRUE_FALSE:
        if isinstance(answer, bool):
            return "true" if answer else "false"
        if isinstance(answer, str) and answer.strip().casefold() in _TRUE_FALSE:
            return _TRUE_FALSE[answer.strip().casefold()]
        raise ApplicationError(
            "Answer true or false.", fields={"answer": ["Answer true or false."]}
        )
    if isinstance(answer, bool) or not isinstance(answer, str | int | float):
        raise ApplicationError("Send the answer as text.", fields={"answer": ["Send text."]})
    text = str(answer)
    if len(text) > MAX_ANSWER_LENGTH:
        raise ApplicationError(
            "That answer is too long.",
            fields={"answer": [f"At most {MAX_ANSWER_LENGTH} characters."]},
        )
    return text


@transaction.atomic
def response_save(*, attempt: Attempt, question_id: int, answer: object, now: datetime) -> Response:
    """Save (or replace) the answer to one question while the attempt is open.

    Raises ApplicationError: 404 if the question is not in the quiz, 409 once the
    attempt is graded or its deadline has passed (nothing is saved), 400 for an
    answer that is not one of the options.
    """
    locked = Attempt.objects.select_for_update().select_related("assignment").get(pk=attempt.pk)
    if locked.state != Attempt.State.IN_PROGRESS:
        raise ApplicationError(
            "This attempt has been submitted.", code="attempt_closed", status=409
        )
    if locked.is_past_deadline(now):
        raise ApplicationError(
            "The deadline has passed; the answer was not saved.", code="deadline_passed", status=409
        )
    item = (
        QuizSetItem.objects.select_related("question")
        .filter(quiz_set_id=locked.assignment.quiz_set_id, question_id=question_id)
        .first()
    )
    if item is None:
        raise ApplicationError("That question is not in this quiz.", code="not_found", status=404)
    text = _clean_answer(attempt=locked, question=item.question, answer=answer)
    response, _ = Response.objects.update_or_create(
        attempt=locked, question=item.question, defaults={"answer": text, "saved_at": now}
    )
    return response


def _name_like(text: str) -> bool:
    words = text.split()
    return bool(words) and all(
        word[:1].isupper() and not any(ch.isdigit() for ch in word) for word in words
    )


def _names_for(questions: Iterable[Question]) -> set[str]:
    """Answers in the quiz that look like names (capitalised, no digits).

    Passed to the grader so that, in a quiz asking about both Lenin and
    Lenina, one is never accepted as a typo of the other.
    """
    names: set[str] = set()
    for question in questions:
        if question.kind in FREE_TEXT_KINDS:
            names.update(
                text for text in [question.answer, *question.accepted_answers] if _name_like(text)
            )
    return names


def _grade(attempt: Attempt) -> tuple[float, float]:
    """Mark every saved response and return (score, max score); one point a question."""
    questions = [
        item.question
        for item in QuizSetItem.objects.select_related("question")
        .filter(quiz_set_id=attempt.assignment.quiz_set_id)
        .order_by("position")
    ]
    names = _names_for(questions)
    responses = {response.question_id: response for response in attempt.responses.all()}
    score = 0
    for question in questions:
        response = responses.get(question.pk)
        if response is None:
            continue
        try:
            verdict = grade_answer(
                question.kind,
                question.answer,
                response.answer,
                accepted=question.accepted_answers,
                choices=question.choices,
                names=names if question.kind in FREE_TEXT_KINDS else (),
            )
            response.is_correct, response.reason = verdict.correct, str(verdict.reason)
        except ValueError:
            # A broken key (not among the choices) must not block the whole quiz.
            logger.exception("Question %s has a key the grader refuses", question.pk)
            response.is_correct, response.reason = False, "invalid_key"
        score += int(response.is_correct)
    Response.objects.bulk_update(list(responses.values()), ["is_correct", "reason"])
    return float(score), float(len(questions))


def _finish(attempt: Attempt, *, state: str, submitted_at: datetime) -> None:
    attempt.score, attempt.max_score = _grade(attempt)
    attempt.state = state
    attempt.submitted_at = submitted_at
    attempt.save(update_fields=["score", "max_score", "state", "submitted_at"])


@transaction.atomic
def attempt_submit(*, attempt: Attempt, now: datetime) -> Attempt:
    """Grade the attempt and close it; submitting a graded attempt changes nothing.

    Submitting after the deadline still closes it, as timed out, at the deadline,
    with the answers saved before it. Returns the graded attempt.
    """
    locked = Attempt.objects.select_for_update().select_related("assignment").get(pk=attempt.pk)
    if locked.state != Attempt.State.IN_PROGRESS:
        return locked
    if locked.is_past_deadline(now):
        _finish(locked, state=Attempt.State.TIMED_OUT, submitted_at=locked.deadline)
    else:
        _finish(locked, state=Attempt.State.SUBMITTED, submitted_at=now)
    return locked


@transaction.atomic
def attempt_close(*, attempt_id: int, now: datetime) -> bool:
    """Grade an attempt still open after its deadline; True if this call closed it.

    Idempotent: an attempt already graded, or not yet due, is left alone.
    """
    locked = (
        Attempt.objects.select_for_update()
        .select_related("assignment")
        .filter(pk=attempt_id)
        .first()
    )
    if locked is None or locked.state != Attempt.State.IN_PROGRESS:
        return False
    if not locked.is_past_deadline(now):
        return False
    _finish(locked, state=Attempt.State.TIMED_OUT, submitted_at=locked.deadline)
    return True


def attempts_close_overdue(*, now: datetime) -> int:
    """Close and grade every attempt whose deadline has passed; returns how many.

    Each attempt is closed in its own transaction, so one failure does not undo
    the others, and running this twice closes nothing more.
    """
    overdue = Attempt.objects.filter(
        state=Attempt.State.IN_PROGRESS, deadline__lte=now
    ).values_list("pk", flat=True)
    return sum(attempt_close(attempt_id=pk, now=now) for pk in list(overdue))
