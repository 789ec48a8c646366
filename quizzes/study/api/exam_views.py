"""Exam plans over the API: a learner's own (per deck) and a teacher's on an assignment."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from quizzes.teaching.selectors import assignment_get_for_user
from studyapp.errors import ApplicationError

from .. import bounds
from ..exams import (
    DEFAULT_TARGET,
    TARGET,
    assignment_exam_plan_delete,
    assignment_exam_plan_set,
    assignment_exam_predictions,
    exam_plan_delete,
    exam_plan_set,
    exam_plans_progress,
)
from ..models import ExamPlan


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
        help_text="Reviews due before the exam, over the days left.")
    predicted_recall = serializers.FloatField(
        allow_null=True,
        help_text="Mean retrievability on the exam day without further review (new: 0).")
    cards_at_risk = serializers.IntegerField(
        help_text="Cards whose retrievability on the exam day would be below the target.")
    days = ExamDaySerializer(many=True)


class ExamPlanListApi(APIView):
    """The learner's exam plans still to come (their own and their assignments'), with
    what each plans; POST sets (or changes) their own plan for a deck."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ExamPlanInput"

        deck = serializers.IntegerField(min_value=1, max_value=bounds.MAX_ID)
        exam_date = serializers.DateField(help_text="A study day after today.")
        target = serializers.FloatField(min_value=TARGET[0], max_value=TARGET[1],
                                        default=DEFAULT_TARGET)

    @extend_schema(responses=ExamPlanOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        plans = exam_plans_progress(user=request.user, now=timezone.now())
        return Response(ExamPlanOutputSerializer(plans, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ExamPlanOutputSerializer,
                                                       200: ExamPlanOutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        now = timezone.now()
        plan, created = exam_plan_set(user=request.user, deck_id=values["deck"],
                                      exam_date=values["exam_date"], target=values["target"],
                                      now=now)
        summary = next(p for p in exam_plans_progress(user=request.user, now=now)
                       if p["id"] == plan.pk)
        return Response(ExamPlanOutputSerializer(summary).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ExamPlanDetailApi(APIView):
    """Delete the learner's own exam plan; its cards return to FSRS's dates."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, plan_id: int) -> Response:
        exam_plan_delete(user=request.user, plan_id=plan_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StudentPredictionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ExamStudentPrediction"

    student = serializers.IntegerField()
    username = serializers.CharField()
    predicted_recall = serializers.FloatField(allow_null=True)
    at_risk = serializers.BooleanField(allow_null=True)


class AssignmentExamPlanOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AssignmentExamPlan"

    assignment = serializers.IntegerField()
    exam_at = serializers.DateTimeField(help_text="The assignment's due time.")
    target = serializers.FloatField()
    predicted_recall = serializers.FloatField(
        allow_null=True, help_text="The class's mean recall predicted on the due date.")
    at_risk = serializers.IntegerField(help_text="Students predicted below the target.")
    students = StudentPredictionSerializer(many=True)


def _assignment_plan_body(assignment: Any) -> dict[str, Any]:
    plan = ExamPlan.objects.filter(assignment=assignment).first()
    if plan is None:
        raise Http404("This assignment has no exam plan.")
    students = sorted(User.objects.filter(memberships__classroom_id=assignment.classroom_id),
                      key=lambda user: (user.username, user.pk))
    _, predictions, mean = assignment_exam_predictions(
        assignment=assignment, students=students, now=timezone.now())
    rows = [{"student": s.pk, "username": s.username,
             "predicted_recall": predictions[s.pk].predicted_recall,
             "at_risk": predictions[s.pk].at_risk} for s in students]
    return {"assignment": assignment.pk, "exam_at": assignment.due_at, "target": plan.target,
            "predicted_recall": mean, "at_risk": sum(1 for row in rows if row["at_risk"]),
            "students": rows}


class AssignmentExamPlanApi(APIView):
    """The teacher's exam plan on an assignment: its due date is the exam date and
    every student of the class gets the plan for its questions."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AssignmentExamPlanInput"

        target = serializers.FloatField(min_value=TARGET[0], max_value=TARGET[1],
                                        default=DEFAULT_TARGET)

    @extend_schema(responses=AssignmentExamPlanOutputSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(user=request.user, assignment_id=assignment_id,
                                             manage=True)
        return Response(AssignmentExamPlanOutputSerializer(
            _assignment_plan_body(assignment)).data)

    @extend_schema(request=InputSerializer,
                   responses={201: AssignmentExamPlanOutputSerializer,
                              200: AssignmentExamPlanOutputSerializer})
    def put(self, request: Request, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(user=request.user, assignment_id=assignment_id,
                                             manage=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if assignment.due_at <= timezone.now():
            message = "The assignment's due date has passed."
            raise ApplicationError(message, fields={"due_at": [message]})
        _, created = assignment_exam_plan_set(teacher=request.user, assignment_id=assignment.pk,
                                              target=data.validated_data["target"])
        return Response(AssignmentExamPlanOutputSerializer(
            _assignment_plan_body(assignment)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(user=request.user, assignment_id=assignment_id,
                                             manage=True)
        assignment_exam_plan_delete(teacher=request.user, assignment_id=assignment.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
