"""A teacher's exam plan on an assignment: its due date is the exam date, and every
student of the class gets the plan for the assignment's questions."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from quizzes.study.exams import (
    DEFAULT_TARGET,
    TARGET,
    assignment_exam_plan_delete,
    assignment_exam_plan_set,
    assignment_exam_predictions,
)
from quizzes.study.models import ExamPlan
from studyapp.api.permissions import AuthenticatedRequest
from studyapp.errors import ApplicationError

from ..selectors import assignment_get_for_user


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
        allow_null=True, help_text="The class's mean recall predicted on the due date."
    )
    at_risk = serializers.IntegerField(help_text="Students predicted below the target.")
    students = StudentPredictionSerializer(many=True)


def _assignment_plan_body(assignment: Any) -> dict[str, Any]:
    plan = ExamPlan.objects.filter(assignment=assignment).first()
    if plan is None:
        raise Http404("This assignment has no exam plan.")
    students = sorted(
        User.objects.filter(memberships__classroom_id=assignment.classroom_id),
        key=lambda user: (user.username, user.pk),
    )
    _, predictions, mean = assignment_exam_predictions(
        assignment=assignment, students=students, now=timezone.now()
    )
    rows = [
        {
            "student": s.pk,
            "username": s.username,
            "predicted_recall": predictions[s.pk].predicted_recall,
            "at_risk": predictions[s.pk].at_risk,
        }
        for s in students
    ]
    return {
        "assignment": assignment.pk,
        "exam_at": assignment.due_at,
        "target": plan.target,
        "predicted_recall": mean,
        "at_risk": sum(1 for row in rows if row["at_risk"]),
        "students": rows,
    }


class AssignmentExamPlanApi(APIView):
    """The teacher's exam plan on an assignment: its due date is the exam date and
    every student of the class gets the plan for its questions."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AssignmentExamPlanInput"

        target = serializers.FloatField(
            min_value=TARGET[0], max_value=TARGET[1], default=DEFAULT_TARGET
        )

    @extend_schema(responses=AssignmentExamPlanOutputSerializer)
    def get(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(
            user=request.user, assignment_id=assignment_id, manage=True
        )
        return Response(AssignmentExamPlanOutputSerializer(_assignment_plan_body(assignment)).data)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: AssignmentExamPlanOutputSerializer,
            200: AssignmentExamPlanOutputSerializer,
        },
    )
    def put(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(
            user=request.user, assignment_id=assignment_id, manage=True
        )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if assignment.due_at <= timezone.now():
            message = "The assignment's due date has passed."
            raise ApplicationError(message, fields={"due_at": [message]})
        _, created = assignment_exam_plan_set(
            teacher=request.user, assignment_id=assignment.pk, target=data.validated_data["target"]
        )
        return Response(
            AssignmentExamPlanOutputSerializer(_assignment_plan_body(assignment)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = assignment_get_for_user(
            user=request.user, assignment_id=assignment_id, manage=True
        )
        assignment_exam_plan_delete(teacher=request.user, assignment_id=assignment.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
