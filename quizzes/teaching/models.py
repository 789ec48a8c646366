"""Teaching: quiz sets, assignments to classes, attempts and their responses.

The database holds the invariants as well as the services: an assignment is due
after it opens and targets exactly one of a quiz set or a deck; a student has at
most one attempt in progress per assignment and one response per question.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q

if TYPE_CHECKING:
    from quizzes.content.models import Question


class QuizSet(models.Model):
    """An ordered list of approved questions that a teacher can assign."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_sets"
    )
    title = models.CharField(max_length=200)
    questions: models.ManyToManyField[Question, QuizSetItem] = models.ManyToManyField(
        "quizzes.Question", through="QuizSetItem", related_name="quiz_sets"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class QuizSetItem(models.Model):
    quiz_set = models.ForeignKey(QuizSet, on_delete=models.CASCADE, related_name="items")
    # PROTECT: deleting a question that students answered would rewrite their grades.
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.PROTECT, related_name="quiz_set_items"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["quiz_set_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz_set", "position"], name="teaching_quizsetitem_position_unique"
            ),
            models.UniqueConstraint(
                fields=["quiz_set", "question"], name="teaching_quizsetitem_question_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_set} #{self.position}"


class Assignment(models.Model):
    """A quiz set, or a study target on a deck, given to a class between two times."""

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LAST = "last", "Last attempt"
        AVERAGE = "average", "Average of attempts"

    class Feedback(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately after submitting"
        AFTER_DUE = "after_due", "After the due time"
        NEVER = "never", "Never"

    classroom = models.ForeignKey(
        "accounts.Classroom", on_delete=models.CASCADE, related_name="assignments"
    )
    title = models.CharField(max_length=200, blank=True)
    quiz_set = models.ForeignKey(
        QuizSet, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    deck = models.ForeignKey(
        "quizzes.Deck",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    target_mastery = models.FloatField(
        null=True, blank=True, help_text="For a study target: the mastery (0-1) to reach."
    )
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    grading_method = models.CharField(
        max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=False)
    feedback = models.CharField(max_length=12, choices=Feedback.choices, default=Feedback.AFTER_DUE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("opens_at")),
                name="teaching_assignment_due_after_open",
                violation_error_message="The due time must be after the opening time.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(quiz_set__isnull=False, deck__isnull=True)
                    | Q(quiz_set__isnull=True, deck__isnull=False)
                ),
                name="teaching_assignment_quiz_set_xor_deck",
                violation_error_message="Give either a quiz set or a deck, not both.",
            ),
            models.CheckConstraint(
                condition=Q(deck__isnull=True) | Q(target_mastery__isnull=False),
                name="teaching_assignment_study_target_has_mastery",
            ),
            models.CheckConstraint(
                condition=Q(target_mastery__isnull=True)
                | (Q(target_mastery__gt=0) & Q(target_mastery__lte=1)),
                name="teaching_assignment_target_mastery_range",
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1), name="teaching_assignment_attempts_positive"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_seconds__isnull=True) | Q(time_limit_seconds__gt=0),
                name="teaching_assignment_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(grading_method__in=["highest", "last", "average"]),
                name="teaching_assignment_grading_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(feedback__in=["immediately", "after_due", "never"]),
                name="teaching_assignment_feedback_valid",
            ),
        ]
        indexes = [models.Index(fields=["classroom", "due_at"])]

    def __str__(self) -> str:
        return self.title or f"Assignment {self.pk}"

    @property
    def is_study_target(self) -> bool:
        return self.deck_id is not None

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.due_at

    def is_overdue(self, now: datetime) -> bool:
        return now >= self.due_at

    def shows_feedback(self, now: datetime) -> bool:
        """Whether a student may see per-question feedback on a graded attempt at `now`."""
        if self.feedback == self.Feedback.IMMEDIATELY:
            return True
        if self.feedback == self.Feedback.AFTER_DUE:
            return now >= self.due_at
        return False


class Attempt(models.Model):
    """One student's go at a quiz-set assignment, timed by the server."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted by the student"
        TIMED_OUT = "timed_out", "Closed by the server when the deadline passed"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(help_text="1 for the first attempt, and so on.")
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["assignment_id", "student_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student", "number"], name="teaching_attempt_number_unique"
            ),
            # Two simultaneous "start" requests cannot both open an attempt.
            models.UniqueConstraint(
                fields=["assignment", "student"],
                condition=Q(state="in_progress"),
                name="teaching_attempt_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("started_at")),
                name="teaching_attempt_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["in_progress", "submitted", "timed_out"]),
                name="teaching_attempt_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="in_progress")
                | (
                    Q(submitted_at__isnull=False)
                    & Q(score__isnull=False)
                    & Q(max_score__isnull=False)
                ),
                name="teaching_attempt_graded_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.student} on {self.assignment} #{self.number}"

    @property
    def is_graded(self) -> bool:
        return self.state != self.State.IN_PROGRESS

    def is_past_deadline(self, now: datetime) -> bool:
        return now >= self.deadline

    @property
    def time_taken_seconds(self) -> float | None:
        if self.submitted_at is None:
            return None
        return (self.submitted_at - self.started_at).total_seconds()


class Response(models.Model):
    """A student's answer to one question of an attempt, saved as they type."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.PROTECT, related_name="attempt_responses"
    )
    answer = models.TextField(blank=True)
    is_correct = models.BooleanField(null=True, blank=True, help_text="Set when graded.")
    reason = models.CharField(max_length=20, blank=True, help_text="The grader's reason.")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt_id", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="teaching_response_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} / {self.question_id}"
