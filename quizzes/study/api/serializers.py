"""Shapes of the study API's output (inputs are nested in each view)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from quizzes.models import Question


class StudyQuestionSerializer(serializers.ModelSerializer):
    """A flashcard's question with its answer (flashcards show the answer on the back)."""

    deck = serializers.IntegerField(source="passage.deck_id", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "passage", "deck", "kind", "prompt", "answer", "accepted_answers",
                  "choices", "explanation", "evidence", "status"]
        read_only_fields = fields

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
