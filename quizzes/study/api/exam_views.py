"""Exam plans over the API: a learner's own (per deck) and a teacher's on an assignment."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from studyapp.api.permissions import AuthenticatedRequest

from .. import bounds
from ..exams import (
    DEFAULT_TARGET,
    TARGET,
    exam_plan_delete,
    exam_plan_set,
    exam_plans_progress,
)


class ExamDaySerializer(serializers.Serializer):
    class Meta:
        ref_name = "ExamPlanDay"

    date = serializers.DateField()
    new = serializers.IntegerField(help_text="New cards the plan introduces that day.")
    reviews = serializers.IntegerField(help_text="Reviews due that day (capped dates included).")


class ExamPlanOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ExamPlan"

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["own", "assignment"])
    assignment = serializers.IntegerField(allow_null=True)
    deck = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    exam_date = serializers.DateField(help_text="A study day of the learner.")
    target = serializers.FloatField()
    days_left = serializers.IntegerField()
    cards = serializers.IntegerField()
    new_cards_left = serializers.IntegerField()
    new_per_day = serializers.IntegerField(help_text="New cards to introduce today.")
    reviews_per_day = serializers.FloatField(
        help_text="Reviews due before the exam, over the days left."
    )
    predicted_recall = serializers.FloatField(
        allow_null=True,
        help_text="Mean retrievability on the exam day without further review (new: 0).",
    )
    cards_at_risk = serializers.IntegerField(
        help_text="Cards whose retrievability on the exam day would be below the target."
    )
    days = ExamDaySerializer(many=True)


class ExamPlanListApi(APIView):
    """The learner's exam plans still to come (their own and their assignments'), with
    what each plans; POST sets (or changes) their own plan for a deck."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ExamPlanInput"

        deck = serializers.IntegerField(min_value=1, max_value=bounds.MAX_ID)
        exam_date = serializers.DateField(help_text="A study day after today.")
        target = serializers.FloatField(
            min_value=TARGET[0], max_value=TARGET[1], default=DEFAULT_TARGET
        )

    @extend_schema(responses=ExamPlanOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        plans = exam_plans_progress(user=request.user, now=timezone.now())
        return Response(ExamPlanOutputSerializer(plans, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ExamPlanOutputSerializer, 200: ExamPlanOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        now = timezone.now()
        plan, created = exam_plan_set(
            user=request.user,
            deck_id=values["deck"],
            exam_date=values["exam_date"],
            target=values["target"],
            now=now,
        )
        summary = next(
            p for p in exam_plans_progress(user=request.user, now=now) if p["id"] == plan.pk
        )
        return Response(
            ExamPlanOutputSerializer(summary).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ExamPlanDetailApi(APIView):
    """Delete the learner's own exam plan; its cards return to FSRS's dates."""

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        exam_plan_delete(user=request.user, plan_id=plan_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
