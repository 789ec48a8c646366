"""Content: sources, decks, passages and the questions generated from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Source(models.Model):
    """One imported text: an article, a talk, a pamphlet or a book."""

    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    import_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Names the text across re-imports (e.g. its file); blank for pasted texts.",
    )
    kind = models.CharField(max_length=40, blank=True)
    origin = models.CharField(max_length=500, blank=True, help_text="Where the text came from.")
    licence_note = models.TextField(blank=True)
    checksum = models.CharField(
        max_length=64, db_index=True, help_text="sha256 of the raw text last imported."
    )
    metadata = models.JSONField(default=dict, blank=True)
    report = models.JSONField(
        default=dict, blank=True, help_text="Words kept and dropped, and why."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="quizzes_source_import_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Deck(models.Model):
    """A unit of study: a whole article, or one chapter of a book."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="decks")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["source_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["source", "order"], name="quizzes_deck_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Passage(models.Model):
    """About 120-300 words of a deck, on paragraph and sentence boundaries.

    A passage whose text changes on re-import is not edited in place: a new
    version is created and the old one stops being current, so the questions
    and review history that point at it keep their evidence.
    """

    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    word_count = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64, db_index=True)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    is_hidden = models.BooleanField(default=False)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deck_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deck", "order"],
                condition=Q(is_current=True),
                name="quizzes_passage_current_order_unique",
            ),
        ]
        indexes = [models.Index(fields=["deck", "is_current", "order"])]

    def __str__(self) -> str:
        return f"{self.deck} #{self.order}"


class PassageAnalysis(models.Model):
    """The spaCy analysis of one passage version (DocBin bytes), parsed once.

    Keyed by passage and pipeline version: regeneration and ranking read it back
    instead of parsing again; a new pipeline version parses again. ``content_hash``
    is the passage's at parse time, so an analysis never serves another text.
    """

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="analyses")
    pipeline_version = models.CharField(max_length=60)
    content_hash = models.CharField(max_length=64)
    doc = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["passage", "pipeline_version"],
                name="quizzes_analysis_passage_pipeline_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"analysis of {self.passage_id} ({self.pipeline_version})"


class Question(models.Model):
    class Kind(models.TextChoices):
        CLOZE = "cloze", "Cloze"
        SHORT_ANSWER = "short_answer", "Short answer"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prompt = models.TextField()
    answer = models.CharField(max_length=500)
    accepted_answers = models.JSONField(default=list, blank=True)
    choices = models.JSONField(default=list, blank=True)
    explanation = models.TextField(blank=True)
    evidence_start = models.PositiveIntegerField(default=0)
    evidence_end = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    generator_version = models.CharField(max_length=40, blank=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Identifies a generated question across runs."
    )
    is_edited = models.BooleanField(default=False, help_text="A teacher changed its text.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_questions",
    )
    # Copy on write: an edit of a question that another teacher's quiz set uses
    # goes to a new version; the old one stays as it was for those quiz sets.
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="The edited version that took this question's place.",
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The first version of an edited copy (null for a first version).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["passage_id", "-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_end__gte=models.F("evidence_start")),
                name="quizzes_question_evidence_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="quizzes_question_score_range"
            ),
            # The same generated question is stored once per passage, however many
            # generation runs race (questions written by hand have no fingerprint).
            models.UniqueConstraint(
                fields=["passage", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="quizzes_question_passage_fingerprint_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["passage", "status"]),
            models.Index(fields=["status", "kind"]),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Job(models.Model):
    """A background job a person is waiting on, with its progress.

    The row, not the broker message, is the truth: a delivery claims the job
    (``claim``, ``attempts``), keeps ``heartbeat_at`` fresh while it works, and
    only the delivery holding the claim may record progress or the result. See
    ``quizzes.content.services.jobs``.
    """

    class Kind(models.TextChoices):
        GENERATE = "generate", "Generate questions"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.FloatField(default=0.0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    deck = models.ForeignKey(
        Deck, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    params = models.JSONField(
        default=dict, blank=True, help_text="What to do when the job has no deck (e.g. sources)."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Deliveries that started running this job."
    )
    claim = models.UUIDField(
        null=True, blank=True, help_text="The delivery now running the job; only it writes."
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the delivery running the job."
    )
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a message for the job was last sent."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="quizzes_job_state_beat")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="quizzes_job_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.state})"
