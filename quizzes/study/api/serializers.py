"""Shapes of the study API's output (inputs are nested in each view)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from quizzes.api.serializers import WITHHELD_CONTEXT, KeyWithholdingMixin
from quizzes.models import Question


class StudyQuestionSerializer(KeyWithholdingMixin, serializers.ModelSerializer):
    """A flashcard's question with its answer (flashcards show the answer on the back),
    except while the learner has a quiz attempt open on it (`key_withheld`)."""

    deck = serializers.IntegerField(source="passage.deck_id", read_only=True)
    answer = serializers.CharField(allow_null=True, read_only=True)
    accepted_answers = serializers.ListField(child=serializers.CharField(), allow_null=True,
                                             read_only=True)
    explanation = serializers.CharField(allow_null=True, read_only=True)
    evidence = serializers.SerializerMethodField()
    key_withheld = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "passage", "deck", "kind", "prompt", "answer", "accepted_answers",
                  "choices", "explanation", "evidence", "key_withheld", "status"]
        read_only_fields = fields

    def get_key_withheld(self, question: Question) -> bool:
        return question.pk in self.context.get(WITHHELD_CONTEXT, ())

    @extend_schema_field(inline_serializer("StudyEvidence", {
        "start": serializers.IntegerField(), "end": serializers.IntegerField()}, allow_null=True))
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


def snapshot_data(snapshot: Any) -> dict[str, Any]:
    return dict(SnapshotSerializer(snapshot).data)
