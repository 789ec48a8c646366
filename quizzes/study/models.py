"""Spaced repetition: per-user settings, card states, the review log and roll-ups.

The review log is append-only. A review is never edited or deleted: undoing one
appends a :class:`ReviewUndo` row, and every read of "the log" means the reviews
without an undo (``ReviewLog.objects.effective()``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from quizzes.core.scheduling import CardState as CoreState


def default_learning_steps() -> list[int]:
    return [60, 600]


def default_relearning_steps() -> list[int]:
    return [600]


class StudySettings(models.Model):
    """One learner's scheduler settings and FSRS parameters."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_settings"
    )
    desired_retention = models.FloatField(default=0.9)
    new_per_day = models.PositiveIntegerField(default=20)
    maximum_interval_days = models.PositiveIntegerField(default=36500)
    learning_steps = models.JSONField(
        default=default_learning_steps, help_text="Seconds, e.g. [60, 600]."
    )
    relearning_steps = models.JSONField(
        default=default_relearning_steps, help_text="Seconds, e.g. [600]."
    )
    leech_threshold = models.PositiveIntegerField(default=8)
    leech_action = models.CharField(
        max_length=10,
        choices=[("suspend", "Suspend card"), ("tag", "Tag only")],
        default="suspend",
    )
    rollover_hour = models.PositiveSmallIntegerField(
        default=4, help_text="Local hour (0-23) at which a new study day starts."
    )
    parameters = models.JSONField(
        null=True, blank=True, help_text="21 FSRS-6 weights; empty means the defaults."
    )
    parameters_source = models.CharField(max_length=20, blank=True)
    parameters_updated_at = models.DateTimeField(null=True, blank=True)
    optimisation_note = models.TextField(blank=True)
    reviews_since_optimisation = models.PositiveIntegerField(default=0)
    # Set in the transaction of the review that makes an optimisation due, so
    # the request survives a broker outage or a web worker dying after commit;
    # cleared by the optimisation that serves it.
    optimisation_requested_at = models.DateTimeField(null=True, blank=True)
    optimisation_sent_at = models.DateTimeField(null=True, blank=True)
    reminders_enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "study settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_retention__gt=0) & Q(desired_retention__lt=1),
                name="study_settings_retention_range",
            ),
            models.CheckConstraint(
                condition=Q(maximum_interval_days__gte=1), name="study_settings_max_interval_min"
            ),
            models.CheckConstraint(
                condition=Q(rollover_hour__lte=23), name="study_settings_rollover_hour_range"
            ),
            models.CheckConstraint(
                condition=Q(leech_action__in=["suspend", "tag"]),
                name="study_settings_leech_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"study settings of {self.user}"


class CardState(models.Model):
    """The FSRS state of one question for one learner (a row exists once reviewed)."""

    State = models.TextChoices("State", [(s.value, s.value.title()) for s in CoreState])

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="card_states"
    )
    state = models.CharField(max_length=10, choices=State.choices, default="new")
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    suspended = models.BooleanField(default=False)
    leech = models.BooleanField(default=False, help_text="Marked a leech (Anki's leech tag).")
    # The log entry whose state_after this row holds, when the row was last set by
    # one review (not by a replay); undo can then restore its state_before as is.
    last_log = models.ForeignKey(
        "ReviewLog", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The question's class offset (QuestionClassOffset) taken by the card's first
    # review, kept so that every replay of the card starts it the same way; null
    # until the first review (and on cards reviewed before class offsets existed).
    initial_stability_offset = models.FloatField(null=True, blank=True)
    initial_difficulty_offset = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="study_cardstate_unique"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in CoreState]),
                name="study_cardstate_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "state", "due"], name="study_card_user_state_due"),
            models.Index(fields=["user", "due"], name="study_card_user_due"),
            # The queue: due learning cards in (due, id) order, due reviews with
            # what their retrievability ordering needs.
            models.Index(
                fields=["user", "due", "id"],
                name="study_card_learning_due",
                condition=Q(state__in=["learning", "relearning"], suspended=False),
            ),
            models.Index(
                fields=["user", "due"],
                name="study_card_review_due",
                include=["last_review", "stability", "question"],
                condition=Q(state="review", suspended=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / question {self.question_id}: {self.state}"


class ReviewLogQuerySet(models.QuerySet["ReviewLog"]):
    def effective(self) -> ReviewLogQuerySet:
        """Reviews that have not been undone."""
        return self.filter(undo__isnull=True)


class ReviewLog(models.Model):
    """One answer to a flashcard, as the client made it. Append-only.

    ``state_before`` and ``state_after`` are the card's snapshot (see
    ``quizzes.study.services.snapshots``) just before and after this review was
    applied in time order.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="review_logs"
    )
    client_id = models.UUIDField(help_text="Made by the client; a resend is recognised by it.")
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    state_before = models.JSONField()
    state_after = models.JSONField()
    via_sync = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="study_reviewlog_client_id"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=4), name="study_reviewlog_rating_range"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "question", "reviewed_at"], name="study_log_user_q_time"),
            models.Index(fields=["user", "reviewed_at"], name="study_log_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated question {self.question_id} {self.rating}"


class CardEvent(models.Model):
    """A learner's explicit suspend or unsuspend of a card. Append-only.

    Rebuilding a card from its log (a sync, an out-of-order review, an undo after a
    sync) applies these at their moments, so an unsuspended leech stays unsuspended.
    """

    class Kind(models.TextChoices):
        SUSPEND = "suspend", "Suspend"
        UNSUSPEND = "unsuspend", "Unsuspend"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_events"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="card_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["suspend", "unsuspend"]), name="study_cardevent_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "question", "at"], name="study_event_user_q_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} question {self.question_id}"


class ReviewUndo(models.Model):
    """An undo of one review; the review stays in the log but no longer counts."""

    review = models.OneToOneField(ReviewLog, on_delete=models.CASCADE, related_name="undo")
    state_restored = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"undo of review {self.review_id}"


class ReviewTally(models.Model):
    """The effective reviews of one learner in one UTC quarter hour, summed
    (kept as reviews are written and undone; see ``quizzes.study.tallies``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_tallies"
    )
    bucket = models.DateTimeField(help_text="Start of the UTC quarter hour.")
    reviews = models.IntegerField(default=0)
    duration_ms = models.BigIntegerField(default=0)
    in_review = models.IntegerField(default=0, help_text="Reviews of cards in the review state.")
    in_review_passed = models.IntegerField(default=0, help_text="Of those, rated Hard or better.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "bucket"], name="study_tally_user_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.reviews} reviews from {self.bucket}"


class StudyDay(models.Model):
    """Nightly roll-up of one learner's study day (their time zone and rollover hour),
    with the due forecast then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_days"
    )
    date = models.DateField()
    reviews = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    new_cards = models.PositiveIntegerField(default=0)
    time_ms = models.PositiveBigIntegerField(default=0)
    forecast = models.JSONField(default=list, help_text="[{date, count}] for 30 days.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="study_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.date}"


class DueReminder(models.Model):
    """A due-cards reminder e-mail, recorded so each user gets at most one a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_reminders"
    )
    date = models.DateField()
    due_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="study_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"reminder to {self.user} on {self.date}"


class ParameterImport(models.Model):
    """A review-log CSV a learner uploaded to start with personal FSRS parameters."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parameter_imports"
    )
    content = models.TextField(help_text="The uploaded CSV.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"parameter import {self.pk} ({self.status})"


class QuestionClassOffset(models.Model):
    """What the learners of a question tell about it: offsets to a new card's initial
    stability (log of a factor) and difficulty (added), fitted nightly from their
    first reviews by ``quizzes.core.class_model`` (see ``quizzes.study.class_model``).
    A row exists only for a question with enough learners."""

    question = models.OneToOneField(
        "quizzes.Question",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="class_offset",
    )
    stability_offset = models.FloatField()
    difficulty_offset = models.FloatField()
    learners = models.PositiveIntegerField(help_text="Learners with a long-term review of it.")
    reviews = models.PositiveIntegerField(help_text="Their long-term reviews the fit used.")
    fitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"class offset of question {self.question_id}"


class ExamPlan(models.Model):
    """An exam date and the recall to reach on it, for the queue to plan towards.

    Either a learner's own plan for a deck (``user``, ``deck``, ``exam_date``: a study
    day of theirs) or a teacher's on an assignment (``assignment``): its questions, for
    every student of its class, with the assignment's due date as the exam date.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exam_plans",
    )
    deck = models.ForeignKey(
        "quizzes.Deck", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    exam_date = models.DateField(null=True, blank=True)
    assignment = models.OneToOneField(
        "teaching.Assignment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exam_plan",
    )
    target = models.FloatField(default=0.9, help_text="Recall (0-1) to reach on the day.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        assignment__isnull=True,
                        user__isnull=False,
                        deck__isnull=False,
                        exam_date__isnull=False,
                    )
                    | Q(
                        assignment__isnull=False,
                        user__isnull=True,
                        deck__isnull=True,
                        exam_date__isnull=True,
                    )
                ),
                name="study_examplan_own_xor_assignment",
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0) & Q(target__lt=1), name="study_examplan_target_range"
            ),
            models.UniqueConstraint(fields=["user", "deck"], name="study_examplan_user_deck"),
        ]

    def __str__(self) -> str:
        if self.assignment_id is not None:
            return f"exam plan of assignment {self.assignment_id}"
        return f"exam plan of {self.user} for deck {self.deck_id} on {self.exam_date}"


class ExamCardDue(models.Model):
    """Where an exam plan brings a card's next review forward.

    The card's own row keeps FSRS's state and due date; this row holds the capped
    date, computed from the card as it was after ``last_review`` (with FSRS's due date
    ``natural_due``) for the exam starting at ``exam_at`` and ``target``. A row that no
    longer matches the card or the plan is stale and is computed again; from
    ``exam_at`` on it no longer counts.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="+")
    exam_at = models.DateTimeField()
    target = models.FloatField()
    last_review = models.DateTimeField()
    natural_due = models.DateTimeField()
    due = models.DateTimeField(
        null=True, blank=True, help_text="The capped due date; empty when no cap is needed."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="study_examcarddue_unique"),
        ]
        indexes = [models.Index(fields=["user", "due"], name="study_examdue_user_due")]

    def __str__(self) -> str:
        return f"{self.user} / question {self.question_id}: exam due {self.due}"
