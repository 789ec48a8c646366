"""Shapes of the study API's output (inputs are nested in each view)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from quizzes.content.api.serializers import WITHHELD_CONTEXT, KeyWithholdingMixin
from quizzes.content.models import Question

from .. import bounds


class ReviewItemSerializer(serializers.Serializer):
    """One review as a client sends it, alone or in a sync batch, with every field bounded."""

    class Meta:
        ref_name = "ReviewCreateInput"

    id = serializers.UUIDField()
    question = serializers.IntegerField(min_value=1, max_value=bounds.MAX_ID)
    rating = serializers.IntegerField(min_value=1, max_value=4)
    reviewed_at = serializers.DateTimeField(
        help_text=f"With a time zone; at most {bounds.REVIEW_MAX_AGE_DAYS} days old."
    )
    duration_ms = serializers.IntegerField(
        min_value=bounds.DURATION_MS[0], max_value=bounds.DURATION_MS[1], required=False, default=0
    )

    def validate_reviewed_at(self, value: datetime) -> datetime:
        earliest = timezone.now() - timedelta(days=bounds.REVIEW_MAX_AGE_DAYS)
        try:
            too_old = value < earliest
        except OverflowError:
            too_old = True
        if too_old:
            raise serializers.ValidationError(
                f"A review may be at most {bounds.REVIEW_MAX_AGE_DAYS} days old "
                f"(not before {earliest.date().isoformat()})."
            )
        return value


def review_item_problem(item: Any, now: datetime) -> str | None:
    """Why one sync item is out of bounds, or None.

    The bounds of ReviewItemSerializer that the sync service does not check
    itself: the question id's size, the duration's maximum and the review's
    age. Other faults (types, ratings, ids, future times) are the service's to
    name; items that are not objects too.
    """
    if not isinstance(item, dict):
        return None
    question = item.get("question")
    if isinstance(question, int) and not isinstance(question, bool) and (question > bounds.MAX_ID):
        return "question must be an integer id."
    duration = item.get("duration_ms")
    if (
        isinstance(duration, int)
        and not isinstance(duration, bool)
        and (duration > bounds.DURATION_MS[1])
    ):
        return f"duration_ms must be at most {bounds.DURATION_MS[1]} (a day)."
    raw_time = item.get("reviewed_at")
    reviewed_at = parse_datetime(raw_time) if isinstance(raw_time, str) else None
    if reviewed_at is not None and timezone.is_aware(reviewed_at):
        try:
            too_old = reviewed_at < now - timedelta(days=bounds.REVIEW_MAX_AGE_DAYS)
        except OverflowError:
            too_old = True
        if too_old:
            return f"reviewed_at is more than {bounds.REVIEW_MAX_AGE_DAYS} days ago."
    return None


class StudyQuestionSerializer(KeyWithholdingMixin, serializers.ModelSerializer):
    """A flashcard's question with its answer (flashcards show the answer on the back),
    except while the learner has a quiz attempt open on it (`key_withheld`)."""

    deck = serializers.IntegerField(source="passage.deck_id", read_only=True)
    answer = serializers.CharField(allow_null=True, read_only=True)
    accepted_answers = serializers.ListField(
        child=serializers.CharField(), allow_null=True, read_only=True
    )
    explanation = serializers.CharField(allow_null=True, read_only=True)
    evidence = serializers.SerializerMethodField()
    key_withheld = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "id",
            "passage",
            "deck",
            "kind",
            "prompt",
            "answer",
            "accepted_answers",
            "choices",
            "explanation",
            "evidence",
            "key_withheld",
            "status",
        ]
        read_only_fields = fields

    def get_key_withheld(self, question: Question) -> bool:
        return question.pk in self.context.get(WITHHELD_CONTEXT, ())

    @extend_schema_field(
        inline_serializer(
            "StudyEvidence",
            {"start": serializers.IntegerField(), "end": serializers.IntegerField()},
            allow_null=True,
        )
    )
    def get_evidence(self, question: Question) -> dict[str, int]:
        return {"start": question.evidence_start, "end": question.evidence_end}


class SnapshotSerializer(serializers.Serializer):
    """A card's scheduling state."""

    state = serializers.CharField()
    step = serializers.IntegerField(allow_null=True)
    stability = serializers.FloatField(allow_null=True)
    difficulty = serializers.FloatField(allow_null=True)
    due = serializers.DateTimeField(allow_null=True)
    last_review = serializers.DateTimeField(allow_null=True)
    reps = serializers.IntegerField()
    lapses = serializers.IntegerField()
    suspended = serializers.BooleanField()
    leech = serializers.BooleanField(help_text="Marked a leech (forgotten again and again).")


def snapshot_data(snapshot: Any) -> dict[str, Any]:
    return dict(SnapshotSerializer(snapshot).data)
