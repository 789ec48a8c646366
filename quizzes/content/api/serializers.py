from __future__ import annotations

from typing import Any

from rest_framework import serializers

from quizzes.content.models import Deck, Job, Passage, Question, Source


class TextField(serializers.CharField):
    """A CharField that takes only a JSON string: `{"text": 12345}` is refused, not stored."""

    default_error_messages = {"not_text": "Must be text (a JSON string)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class SourceOutputSerializer(serializers.ModelSerializer):
    deck_count = serializers.IntegerField(read_only=True)
    passage_count = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(
        source="created_by.username",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The teacher who imported it; null for a curated text.",
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "author",
            "kind",
            "origin",
            "licence_note",
            "metadata",
            "report",
            "deck_count",
            "passage_count",
            "created_by",
            "created_at",
            "updated_at",
        ]


class SourceCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = TextField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_text = bool(attrs.get("text", "").strip())
        if not has_text and not attrs.get("file"):
            raise serializers.ValidationError(
                {"text": ["Paste some text or upload a .txt or .md file."]}
            )
        if has_text and attrs.get("file"):
            raise serializers.ValidationError({"file": ["Send either text or a file, not both."]})
        return attrs


class DeckOutputSerializer(serializers.ModelSerializer):
    passage_count = serializers.IntegerField(read_only=True)
    approved_question_count = serializers.IntegerField(read_only=True)
    source_title = serializers.CharField(source="source.title", read_only=True)

    class Meta:
        model = Deck
        fields = [
            "id",
            "source",
            "source_title",
            "order",
            "title",
            "passage_count",
            "approved_question_count",
        ]


class EvidenceSerializer(serializers.Serializer):
    start = serializers.IntegerField(source="evidence_start")
    end = serializers.IntegerField(source="evidence_end")


#: What gives a question's answer away; never served while its key is withheld.
KEY_FIELDS = ("answer", "accepted_answers", "explanation", "evidence")
WITHHELD_CONTEXT = "withheld_keys"


class KeyWithholdingMixin:
    """Blanks the key fields (to null) of the questions in the context's `withheld_keys`,
    the ids from `quizzes.content.selectors.question_ids_with_keys_withheld`, and says so in
    `key_withheld`."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)  # type: ignore[misc]
        withheld = instance.pk in self.context.get(WITHHELD_CONTEXT, ())  # type: ignore[attr-defined]
        data["key_withheld"] = withheld
        if withheld:
            for name in KEY_FIELDS:
                if name in data:
                    data[name] = None
        return data


class QuestionOutputSerializer(KeyWithholdingMixin, serializers.ModelSerializer):
    answer = serializers.CharField(allow_null=True, read_only=True)
    accepted_answers = serializers.ListField(
        child=serializers.CharField(), allow_null=True, read_only=True
    )
    explanation = serializers.CharField(allow_null=True, read_only=True)
    evidence = EvidenceSerializer(source="*", allow_null=True, read_only=True)
    key_withheld = serializers.SerializerMethodField(
        help_text="True while the user has a quiz attempt open on this question: "
        "answer, accepted_answers, explanation and evidence are null then."
    )
    replaced_by = serializers.IntegerField(
        source="replaced_by_id",
        read_only=True,
        allow_null=True,
        help_text="The edited version that took this question's place (an edit copied on "
        "write because another teacher's quiz set uses this one); null if current.",
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "passage",
            "kind",
            "prompt",
            "answer",
            "accepted_answers",
            "choices",
            "evidence",
            "explanation",
            "key_withheld",
            "score",
            "reasons",
            "status",
            "generator_version",
            "is_edited",
            "replaced_by",
            "created_at",
            "updated_at",
        ]

    def get_key_withheld(self, question: Question) -> bool:
        return question.pk in self.context.get(WITHHELD_CONTEXT, ())


class StudentQuestionOutputSerializer(QuestionOutputSerializer):
    """A question as a student sees it: no review fields (score, reasons, status)."""

    class Meta(QuestionOutputSerializer.Meta):
        fields = [
            "id",
            "passage",
            "kind",
            "prompt",
            "answer",
            "accepted_answers",
            "choices",
            "evidence",
            "explanation",
            "key_withheld",
            "replaced_by",
            "created_at",
            "updated_at",
        ]


class QuestionUpdateInputSerializer(serializers.Serializer):
    prompt = serializers.CharField(required=False, max_length=2000)
    answer = serializers.CharField(required=False, max_length=500)
    accepted_answers = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=20
    )
    choices = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=8
    )
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    status = serializers.ChoiceField(choices=Question.Status.choices, required=False)
    evidence = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)


class PassageOutputSerializer(serializers.ModelSerializer):
    deck_title = serializers.CharField(source="deck.title", read_only=True)
    source = serializers.IntegerField(  # type: ignore[assignment]  # the API names it "source"
        source="deck.source_id", read_only=True
    )

    class Meta:
        model = Passage
        fields = [
            "id",
            "deck",
            "deck_title",
            "source",
            "order",
            "heading",
            "text",
            "word_count",
            "version",
            "is_current",
            "is_hidden",
            "replaced_by",
            "content_hash",
        ]


class PassageDetailOutputSerializer(PassageOutputSerializer):
    questions = serializers.SerializerMethodField()

    class Meta(PassageOutputSerializer.Meta):
        fields = [*PassageOutputSerializer.Meta.fields, "questions"]

    def get_questions(self, passage: Passage) -> list[dict[str, Any]]:
        questions = self.context["questions"]
        serializer = self.context.get("question_serializer", QuestionOutputSerializer)
        return serializer(questions, many=True, context=self.context).data


class PassageUpdateInputSerializer(serializers.Serializer):
    text = TextField(
        required=False,
        trim_whitespace=False,
        help_text="At most SOURCE_MAX_BYTES bytes (413 above); HTML tags are "
        "stripped as on import.",
    )
    heading = TextField(required=False, allow_blank=True, max_length=300)
    is_hidden = serializers.BooleanField(required=False)


class PassageSplitInputSerializer(serializers.Serializer):
    at = serializers.IntegerField(min_value=1)


class PassageMergeInputSerializer(serializers.Serializer):
    passages = serializers.ListField(child=serializers.IntegerField(), min_length=2)


class JobOutputSerializer(serializers.ModelSerializer):
    message = serializers.CharField(
        read_only=True,
        help_text="What the job is doing; when it has failed, the reason.",
    )
    attempts = serializers.IntegerField(
        read_only=True,
        help_text="Runs started so far: more than 1 when a worker died and the job was "
        "run again; a job whose worker keeps dying fails after JOB_MAX_ATTEMPTS.",
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "state",
            "progress",
            "message",
            "attempts",
            "result",
            "deck",
            "source",
            "created_at",
            "started_at",
            "finished_at",
        ]


# --- Filters (query parameters of the lists) ---------------------------------------

_WHOLE_NUMBER: dict[str, Any] = {"invalid": "Must be a whole number."}

#: How /questions may be ordered; anything but "passage" is for teachers.
QUESTION_ORDERINGS = {
    "passage": ("passage__deck_id", "passage__order", "-score", "id"),
    "score": ("score", "id"),
    "-score": ("-score", "id"),
}


_NUMBER: dict[str, Any] = {"invalid": "Must be a number."}


def _choose_one_of(values: Any) -> dict[str, Any]:
    return {"invalid_choice": f"Choose one of: {', '.join(values)}."}


class DeckFilterSerializer(serializers.Serializer):
    source = serializers.IntegerField(  # type: ignore[assignment]  # the parameter's name
        required=False, error_messages=_WHOLE_NUMBER
    )


class PassageFilterSerializer(serializers.Serializer):
    deck = serializers.IntegerField(required=False, error_messages=_WHOLE_NUMBER)


class QuestionFilterSerializer(serializers.Serializer):
    """Filters of /questions; ``context["reviewer"]`` says whether the user is a teacher
    or staff, who alone may filter and order by score."""

    deck = serializers.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    passage = serializers.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    kind = serializers.ChoiceField(
        choices=Question.Kind.values,
        required=False,
        error_messages=_choose_one_of(Question.Kind.values),
    )
    status = serializers.ChoiceField(
        choices=Question.Status.values,
        required=False,
        error_messages=_choose_one_of(Question.Status.values),
    )
    min_score = serializers.FloatField(required=False, error_messages=_NUMBER)
    ordering = serializers.ChoiceField(
        choices=list(QUESTION_ORDERINGS),
        required=False,
        error_messages=_choose_one_of(QUESTION_ORDERINGS),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context["reviewer"]:
            return attrs
        errors = {}
        if "min_score" in attrs:
            errors["min_score"] = ["Only teachers can filter by score."]
        if attrs.get("ordering", "passage") != "passage":
            errors["ordering"] = ["Only teachers can order by score."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class JobFilterSerializer(serializers.Serializer):
    deck = serializers.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    state = serializers.ChoiceField(
        choices=Job.State.values, required=False, error_messages=_choose_one_of(Job.State.values)
    )
