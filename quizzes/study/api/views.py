"""Spaced-repetition API: the queue, reviews, undo, offline sync, progress, parameters."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.content.api.serializers import WITHHELD_CONTEXT
from quizzes.content.selectors import question_ids_with_keys_withheld
from studyapp.api.pagination import paginate, paginated

from .. import bounds
from ..exams import exam_plans_progress
from ..models import ParameterImport, ReviewLog, StudySettings
from ..selectors import (
    QUEUE_DEFAULT_LIMIT,
    QUEUE_MAX_LIMIT,
    leeches_list,
    progress_summary,
    questions_visible_for_study,
    study_queue,
)
from ..services import (
    ReviewInput,
    card_suspend,
    card_unsuspend,
    parameter_import_create,
    review_record,
    review_sync,
    review_undo,
    study_settings_get_or_create,
    study_settings_update,
)
from ..services.reviews import SYNC_MAX_REVIEWS
from ..snapshots import snapshot_from_card, snapshot_from_json
from .exam_views import ExamPlanOutputSerializer
from .serializers import (
    ReviewItemSerializer,
    SnapshotSerializer,
    StudyQuestionSerializer,
    review_item_problem,
    snapshot_data,
)


def _intervals_field() -> serializers.Field:
    return serializers.DictField(
        child=serializers.IntegerField(), help_text='Seconds until due for ratings "1".."4".'
    )


class StudyQueueApi(APIView):
    """The cards to study now: due learning cards, due reviews, then new cards."""

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudyQueueFilter"

        deck = serializers.IntegerField(required=False, min_value=1)
        assignment = serializers.IntegerField(required=False, min_value=1)
        limit = serializers.IntegerField(
            required=False, min_value=1, max_value=QUEUE_MAX_LIMIT, default=QUEUE_DEFAULT_LIMIT
        )

    class OutputSerializer(serializers.Serializer):
        class CardSerializer(SnapshotSerializer):
            class Meta:
                ref_name = "StudyQueueCard"

            question = StudyQuestionSerializer()
            kind = serializers.CharField(help_text="learning, review or new")
            retrievability = serializers.FloatField()
            intervals = _intervals_field()

        class Meta:
            ref_name = "StudyQueue"

        cards = CardSerializer(many=True)
        due_count = serializers.IntegerField()
        new_count = serializers.IntegerField()
        new_limit_left = serializers.IntegerField()

    @extend_schema(
        parameters=[
            OpenApiParameter("deck", int),
            OpenApiParameter("assignment", int),
            OpenApiParameter("limit", int),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queue = study_queue(
            user=request.user,
            now=timezone.now(),
            deck_id=filters.validated_data.get("deck"),
            assignment_id=filters.validated_data.get("assignment"),
            limit=filters.validated_data["limit"],
        )
        # A flashcard shows its answer, so a card whose key is withheld (a quiz
        # on it is in progress) is left out until the attempt is closed.
        withheld = question_ids_with_keys_withheld(user=request.user)
        cards = [
            {
                **snapshot_data(card.snapshot),
                "question": card.question,
                "kind": card.kind,
                "retrievability": round(card.retrievability, 4),
                "intervals": {str(rating): seconds for rating, seconds in card.intervals.items()},
            }
            for card in queue.cards
            if card.question.pk not in withheld
        ]
        return Response(
            self.OutputSerializer(
                {
                    "cards": cards,
                    "due_count": queue.due_count,
                    "new_count": queue.new_count,
                    "new_limit_left": queue.new_limit_left,
                },
                context={WITHHELD_CONTEXT: withheld},
            ).data
        )


class ReviewOutputSerializer(SnapshotSerializer):
    """A review and the card state it produced."""

    id = serializers.UUIDField()
    question = serializers.IntegerField()
    rating = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()


def review_output(log: ReviewLog) -> dict[str, Any]:
    return dict(
        ReviewOutputSerializer(
            {
                **snapshot_data(snapshot_from_json(log.state_after)),
                "id": log.client_id,
                "question": log.question_id,
                "rating": log.rating,
                "reviewed_at": log.reviewed_at,
                "duration_ms": log.duration_ms,
            }
        ).data
    )


class ReviewCreateApi(APIView):
    """Answer a card. Sending the same `id` again changes nothing and returns the
    same body (200 instead of 201)."""

    InputSerializer = ReviewItemSerializer

    @extend_schema(
        request=InputSerializer,
        responses={201: ReviewOutputSerializer, 200: ReviewOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = review_record(
            user=request.user,
            data=ReviewInput(
                client_id=values["id"],
                question_id=values["question"],
                rating=values["rating"],
                reviewed_at=values["reviewed_at"],
                duration_ms=values["duration_ms"],
            ),
            now=timezone.now(),
        )
        return Response(
            review_output(result.log),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class ReviewUndoApi(APIView):
    """Undo the latest review of a card; the card returns to its earlier state exactly.

    The review stays in the append-only log, marked as undone.
    """

    class OutputSerializer(SnapshotSerializer):
        id = serializers.UUIDField()
        question = serializers.IntegerField()
        undone = serializers.BooleanField()

        class Meta:
            ref_name = "ReviewUndoOutput"

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request: Request, client_id: Any) -> Response:
        result = review_undo(user=request.user, client_id=client_id)
        return Response(
            self.OutputSerializer(
                {
                    **snapshot_data(snapshot_from_json(result.state)),
                    "id": result.log.client_id,
                    "question": result.log.question_id,
                    "undone": True,
                }
            ).data
        )

    @extend_schema(request=None, responses=OutputSerializer)
    def delete(self, request: Request, client_id: Any) -> Response:
        return self.post(request, client_id)


class ReviewSyncApi(APIView):
    """Upload reviews made offline, in any order; each is applied once."""

    class InputSerializer(serializers.Serializer):
        reviews = serializers.ListField(
            child=serializers.JSONField(),
            allow_empty=True,
            max_length=SYNC_MAX_REVIEWS,
            help_text="Each {id, question, rating, reviewed_at, duration_ms}.",
        )

        class Meta:
            ref_name = "ReviewSyncInput"

    class OutputSerializer(serializers.Serializer):
        class CardSerializer(SnapshotSerializer):
            question = serializers.IntegerField(source="question_id")

            class Meta:
                ref_name = "ReviewSyncCard"

        applied = serializers.IntegerField()
        duplicates = serializers.IntegerField()
        rejected = serializers.ListField(
            child=inline_serializer(
                "SyncRejection",
                {"id": serializers.CharField(allow_null=True), "error": serializers.CharField()},
            )
        )
        cards = CardSerializer(many=True)

        class Meta:
            ref_name = "ReviewSyncOutput"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Each item's fields are checked here, against the same bounds as a single
        # review; a bad item is rejected with its reason and the rest still apply.
        items, refused = [], []
        now = timezone.now()
        for item in data.validated_data["reviews"]:
            problem = review_item_problem(item, now)
            if problem is None:
                items.append(item)
            else:
                raw_id = item.get("id")
                refused.append({"id": None if raw_id is None else str(raw_id), "error": problem})
        result = review_sync(user=request.user, items=items, now=now)
        return Response(
            self.OutputSerializer(
                {
                    "applied": result.applied,
                    "duplicates": result.duplicates,
                    "rejected": [*refused, *result.rejected],
                    "cards": result.cards,
                }
            ).data
        )


class StudyProgressApi(APIView):
    """Streak, heatmap, true retention, due forecast, mastery per deck, time studied,
    and the exam plans still to come."""

    class OutputSerializer(serializers.Serializer):
        class DayCountSerializer(serializers.Serializer):
            class Meta:
                ref_name = "StudyDayCount"

            date = serializers.DateField()
            count = serializers.IntegerField()

        class DeckSerializer(serializers.Serializer):
            class Meta:
                ref_name = "StudyDeckMastery"

            deck = serializers.IntegerField()
            title = serializers.CharField()
            mastery = serializers.FloatField()
            seen = serializers.FloatField()

        today = serializers.DateField(help_text="The user's today, that the days count from.")
        streak_days = serializers.IntegerField()
        reviews_per_day = DayCountSerializer(many=True)
        true_retention = serializers.DictField(child=serializers.FloatField(allow_null=True))
        forecast = DayCountSerializer(many=True)
        decks = DeckSerializer(many=True)
        time_studied_seconds = serializers.IntegerField()
        exams = ExamPlanOutputSerializer(many=True, help_text="Exam plans still to come.")

        class Meta:
            ref_name = "StudyProgress"

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        now = timezone.now()
        summary = progress_summary(user=request.user, now=now)
        summary["exams"] = ExamPlanOutputSerializer(
            exam_plans_progress(user=request.user, now=now), many=True
        ).data
        return Response(summary)


class ParameterImportOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParameterImport
        fields = ["id", "status", "message", "result", "created_at", "finished_at"]
        read_only_fields = fields


class ParameterImportCreateApi(APIView):
    """Upload an Anki-style review log (CSV) to fit personal FSRS parameters.

    Fitting runs in the background: poll GET /study/parameters/imports/{id}.
    """

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

        class Meta:
            ref_name = "ParameterImportUpload"

    @extend_schema(request=InputSerializer, responses={202: ParameterImportOutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        parameter_import = parameter_import_create(user=request.user, content=upload.read())
        parameter_import.refresh_from_db()
        return Response(
            ParameterImportOutputSerializer(parameter_import).data, status=status.HTTP_202_ACCEPTED
        )


class ParameterImportDetailApi(APIView):
    @extend_schema(responses=ParameterImportOutputSerializer)
    def get(self, request: Request, import_id: int) -> Response:
        parameter_import = ParameterImport.objects.filter(pk=import_id, user=request.user).first()
        if parameter_import is None:
            raise Http404("No such import.")
        return Response(ParameterImportOutputSerializer(parameter_import).data)


class StudySettingsApi(APIView):
    """The learner's scheduler settings; PATCH changes them (FSRS parameters come
    from optimisation or an import, so they are read-only here)."""

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = StudySettings
            ref_name = "StudySettings"
            fields = [
                "desired_retention",
                "new_per_day",
                "maximum_interval_days",
                "learning_steps",
                "relearning_steps",
                "leech_threshold",
                "leech_action",
                "rollover_hour",
                "time_zone",
                "reminders_enabled",
                "parameters",
                "parameters_source",
                "parameters_updated_at",
                "optimisation_note",
            ]
            read_only_fields = fields

        time_zone = serializers.SerializerMethodField(
            help_text="IANA time zone of the learner's study days."
        )

        def get_time_zone(self, obj: StudySettings) -> str:
            return str(obj.user.effective_time_zone)

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudySettingsUpdate"

        desired_retention = serializers.FloatField(
            required=False,
            min_value=bounds.DESIRED_RETENTION[0],
            max_value=bounds.DESIRED_RETENTION[1],
        )
        new_per_day = serializers.IntegerField(
            required=False, min_value=bounds.NEW_PER_DAY[0], max_value=bounds.NEW_PER_DAY[1]
        )
        maximum_interval_days = serializers.IntegerField(
            required=False,
            min_value=bounds.MAXIMUM_INTERVAL_DAYS[0],
            max_value=bounds.MAXIMUM_INTERVAL_DAYS[1],
        )
        learning_steps = serializers.ListField(
            child=serializers.IntegerField(
                min_value=bounds.STEP_SECONDS[0], max_value=bounds.STEP_SECONDS[1]
            ),
            required=False,
            max_length=bounds.MAX_STEPS,
            help_text="Seconds, each from 1 to 2592000 (30 days); at most 10 steps.",
        )
        relearning_steps = serializers.ListField(
            child=serializers.IntegerField(
                min_value=bounds.STEP_SECONDS[0], max_value=bounds.STEP_SECONDS[1]
            ),
            required=False,
            max_length=bounds.MAX_STEPS,
            help_text="Seconds, each from 1 to 2592000 (30 days); at most 10 steps.",
        )
        leech_threshold = serializers.IntegerField(
            required=False, min_value=bounds.LEECH_THRESHOLD[0], max_value=bounds.LEECH_THRESHOLD[1]
        )
        leech_action = serializers.ChoiceField(choices=["suspend", "tag"], required=False)
        rollover_hour = serializers.IntegerField(required=False, min_value=0, max_value=23)
        time_zone = serializers.CharField(required=False, max_length=64)
        reminders_enabled = serializers.BooleanField(required=False)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        study_settings = study_settings_get_or_create(user=request.user)
        return Response(self.OutputSerializer(study_settings).data)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        study_settings = study_settings_update(user=request.user, data=data.validated_data)
        return Response(self.OutputSerializer(study_settings).data)


class CardOutputSerializer(SnapshotSerializer):
    question = StudyQuestionSerializer()

    class Meta:
        ref_name = "StudyCard"


def card_output(card: Any, withheld: frozenset[int] = frozenset()) -> dict[str, Any]:
    return dict(
        CardOutputSerializer(
            {**snapshot_data(snapshot_from_card(card)), "question": card.question},
            context={WITHHELD_CONTEXT: withheld},
        ).data
    )


class LeechListApi(APIView):
    """Cards suspended as leeches (forgotten again and again), to rewrite or unsuspend."""

    @extend_schema(responses=paginated(CardOutputSerializer, "StudyCard"))
    def get(self, request: Request) -> Response:
        withheld = question_ids_with_keys_withheld(user=request.user)
        return paginate(
            request,
            self,
            leeches_list(user=request.user),
            lambda page: [card_output(card, withheld) for card in page],
        )


class CardUnsuspendApi(APIView):
    """Put a suspended card back in the queue, keeping its schedule."""

    @extend_schema(request=None, responses=CardOutputSerializer)
    def post(self, request: Request, question_id: int) -> Response:
        if not questions_visible_for_study(user=request.user).filter(pk=question_id).exists():
            raise Http404("No such card.")
        card = card_unsuspend(user=request.user, question_id=question_id)
        return Response(card_output(card, question_ids_with_keys_withheld(user=request.user)))


class CardSuspendApi(APIView):
    """Take a card out of the queue until it is unsuspended."""

    @extend_schema(request=None, responses=CardOutputSerializer)
    def post(self, request: Request, question_id: int) -> Response:
        if not questions_visible_for_study(user=request.user).filter(pk=question_id).exists():
            raise Http404("No such card.")
        card = card_suspend(user=request.user, question_id=question_id)
        return Response(card_output(card, question_ids_with_keys_withheld(user=request.user)))
