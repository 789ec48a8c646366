"""Classes, quiz sets, assignments, attempts and results.

Views parse input, call one selector or service, and serialize. Who may do what
is checked in the selectors (`*_get_for_user`: 404 when the user has no link to
the object, 403 when they may see it but not change it) and the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Count, Model
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Classroom, User
from accounts.selectors import (
    classroom_get_for_user,
    classroom_memberships_list,
    classrooms_for_user,
)
from accounts.services import (
    classroom_create,
    classroom_join,
    classroom_join_code_regenerate,
    classroom_student_remove,
    classroom_update,
)
from quizzes.content.models import Deck, Question
from studyapp.api.pagination import paginate, paginated
from studyapp.api.permissions import (
    AuthenticatedRequest,
    IsAttemptStudent,
    IsTeacher,
    WritePermissionsMixin,
)
from studyapp.api.throttling import JoinAddressThrottle, JoinUserThrottle
from studyapp.errors import ApplicationError

from .. import selectors, services
from ..models import Assignment, QuizSet
from .serializers import (
    CLASSROOM_SCHEMA,
    AssignmentOutputSerializer,
    AttemptBriefSerializer,
    AttemptDetailOutputSerializer,
    MembershipOutputSerializer,
    QuizSetOutputSerializer,
    ResponseOutputSerializer,
    ResultsOutputSerializer,
    RosterEntryOutputSerializer,
    StudentAssignmentOutputSerializer,
    StudentClassroomOutputSerializer,
    TeacherClassroomOutputSerializer,
)

#: Assignments open and fall due within about five years of the day they are made.
ASSIGNMENT_DATE_WINDOW_DAYS = 1830


# --- Classes -----------------------------------------------------------------


def _classroom_data(user: User, classroom: Classroom) -> dict[str, Any]:
    if classroom.teacher_id == user.pk:
        return TeacherClassroomOutputSerializer(classroom).data
    return StudentClassroomOutputSerializer(classroom).data


class ClassroomListApi(APIView):
    @extend_schema_serializer(component_name="ClassroomCreateInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)

    @extend_schema(
        summary="A teacher's classes, or the classes a student belongs to",
        operation_id="v1_classrooms_list",
        responses=paginated(
            PolymorphicProxySerializer(
                component_name="Classroom",
                serializers=[TeacherClassroomOutputSerializer, StudentClassroomOutputSerializer],
                resource_type_field_name=None,
                many=True,
            ),
            "Classroom",
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        classrooms = (
            classrooms_for_user(user=request.user)
            .select_related("teacher")
            .annotate(student_count=Count("memberships", distinct=True))
            .order_by("name", "id")
        )
        serializer = (
            TeacherClassroomOutputSerializer
            if request.user.is_teacher
            else StudentClassroomOutputSerializer
        )
        return paginate(request, self, classrooms, serializer)

    @extend_schema(
        summary="Create a class (teacher) with a fresh join code",
        request=InputSerializer,
        responses={201: TeacherClassroomOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        classroom = classroom_create(teacher=request.user, **data.validated_data)
        return Response(
            TeacherClassroomOutputSerializer(classroom).data, status=status.HTTP_201_CREATED
        )


class ClassroomDetailApi(APIView):
    @extend_schema_serializer(component_name="ClassroomUpdateInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200, required=False)
        is_open = serializers.BooleanField(required=False)

    @extend_schema(summary="One class", responses=CLASSROOM_SCHEMA)
    def get(self, request: AuthenticatedRequest, classroom_id: int) -> Response:
        classroom = classroom_get_for_user(user=request.user, classroom_id=classroom_id)
        return Response(_classroom_data(request.user, classroom))

    @extend_schema(
        summary="Rename a class, or close it to new members (`is_open: false`)",
        request=InputSerializer,
        responses=TeacherClassroomOutputSerializer,
    )
    def patch(self, request: AuthenticatedRequest, classroom_id: int) -> Response:
        classroom = classroom_get_for_user(
            user=request.user, classroom_id=classroom_id, manage=True
        )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        classroom = classroom_update(classroom=classroom, **data.validated_data)
        return Response(TeacherClassroomOutputSerializer(classroom).data)


class ClassroomJoinCodeRegenerateApi(APIView):
    @extend_schema(
        summary="Give the class a new join code; the old one stops working",
        request=None,
        responses=TeacherClassroomOutputSerializer,
    )
    def post(self, request: AuthenticatedRequest, classroom_id: int) -> Response:
        classroom = classroom_get_for_user(
            user=request.user, classroom_id=classroom_id, manage=True
        )
        classroom = classroom_join_code_regenerate(classroom=classroom)
        return Response(TeacherClassroomOutputSerializer(classroom).data)


class ClassroomJoinApi(APIView):
    """Limited per user and per client address, so codes cannot be guessed."""

    throttle_classes = [JoinAddressThrottle, JoinUserThrottle]

    @extend_schema_serializer(component_name="ClassroomJoinInput")
    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=20)

    @extend_schema(
        summary="Join a class with its code (students); joining twice is harmless",
        request=InputSerializer,
        responses=MembershipOutputSerializer,
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = classroom_join(student=request.user, code=data.validated_data["code"])
        return Response(MembershipOutputSerializer(membership).data)


class ClassroomStudentsApi(APIView):
    @extend_schema(
        summary="The roster, with each student's study progress (teacher)",
        responses=paginated(RosterEntryOutputSerializer, "RosterEntry"),
    )
    def get(self, request: AuthenticatedRequest, classroom_id: int) -> Response:
        classroom = classroom_get_for_user(
            user=request.user, classroom_id=classroom_id, manage=True
        )
        return paginate(
            request,
            self,
            classroom_memberships_list(classroom=classroom),
            lambda page: (
                RosterEntryOutputSerializer(
                    selectors.classroom_roster(
                        memberships=page, now=timezone.now(), viewer=request.user
                    ),
                    many=True,
                ).data
            ),
        )


class ClassroomStudentRemoveApi(APIView):
    @extend_schema(summary="Remove a student from the class (teacher)", responses={204: None})
    def delete(self, request: AuthenticatedRequest, classroom_id: int, student_id: int) -> Response:
        classroom = classroom_get_for_user(
            user=request.user, classroom_id=classroom_id, manage=True
        )
        student = User.objects.filter(pk=student_id).first()
        if student is None:
            raise Http404("No such student.")
        classroom_student_remove(classroom=classroom, student=student)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Quiz sets ---------------------------------------------------------------


class QuizSetListApi(APIView):
    @extend_schema_serializer(component_name="QuizSetCreateInput")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        questions = serializers.ListField(
            child=serializers.IntegerField(min_value=1),
            required=False,
            help_text="Question ids in order (by hand).",
        )
        deck = serializers.IntegerField(
            min_value=1, required=False, help_text="Draw from this deck."
        )
        decks = serializers.ListField(
            child=serializers.IntegerField(min_value=1),
            required=False,
            help_text="Draw from these decks.",
        )
        count = serializers.IntegerField(min_value=1, required=False)
        kinds = serializers.ListField(
            child=serializers.ChoiceField(choices=Question.Kind.choices), required=False
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            by_hand = "questions" in attrs
            drawn = "deck" in attrs or "decks" in attrs
            if by_hand == drawn:
                raise serializers.ValidationError(
                    "Send either `questions` or `deck`/`decks` with `count`."
                )
            if drawn and "count" not in attrs:
                raise serializers.ValidationError({"count": ["Say how many questions to draw."]})
            return attrs

    @extend_schema(
        summary="The teacher's quiz sets",
        operation_id="v1_quiz_sets_list",
        responses=paginated(QuizSetOutputSerializer, "QuizSet"),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        quiz_sets = selectors.quiz_sets_list(user=request.user)
        return paginate(request, self, quiz_sets, QuizSetOutputSerializer)

    @extend_schema(
        summary="Create a quiz set by hand (`questions`) or drawn (`deck`/`decks`, `count`, "
        "`kinds`)",
        request=InputSerializer,
        responses={201: QuizSetOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "questions" in values:
            quiz_set = services.quiz_set_create(
                owner=request.user, title=values["title"], question_ids=values["questions"]
            )
        else:
            deck_ids = list(values.get("decks", []))
            if "deck" in values:
                deck_ids.insert(0, values["deck"])
            quiz_set = services.quiz_set_draw(
                owner=request.user,
                title=values["title"],
                deck_ids=deck_ids,
                count=values["count"],
                kinds=values.get("kinds"),
            )
        quiz_set = selectors.quiz_set_get_for_user(user=request.user, quiz_set_id=quiz_set.pk)
        return Response(QuizSetOutputSerializer(quiz_set).data, status=status.HTTP_201_CREATED)


class QuizSetDetailApi(APIView):
    @extend_schema(summary="One of the teacher's quiz sets", responses=QuizSetOutputSerializer)
    def get(self, request: AuthenticatedRequest, quiz_set_id: int) -> Response:
        quiz_set = selectors.quiz_set_get_for_user(user=request.user, quiz_set_id=quiz_set_id)
        return Response(QuizSetOutputSerializer(quiz_set).data)


# --- Assignments ---------------------------------------------------------------


def _existing(model: type[Model], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(
            f"No such {field.replace('_', ' ')}.", fields={field: ["This does not exist."]}
        )
    return found


class AssignmentListApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacher]

    @extend_schema_serializer(component_name="AssignmentListFilter")
    class FilterSerializer(serializers.Serializer):
        classroom = serializers.IntegerField(min_value=1, required=False)

    @extend_schema_serializer(component_name="AssignmentCreateInput")
    class InputSerializer(serializers.Serializer):
        classroom = serializers.IntegerField(min_value=1)
        quiz_set = serializers.IntegerField(min_value=1, required=False, allow_null=True)
        deck = serializers.IntegerField(min_value=1, required=False, allow_null=True)
        target_mastery = serializers.FloatField(
            required=False, allow_null=True, min_value=0.01, max_value=1.0
        )
        title = serializers.CharField(max_length=200, required=False, allow_blank=True)
        opens_at = serializers.DateTimeField()
        due_at = serializers.DateTimeField()
        time_limit_seconds = serializers.IntegerField(min_value=1, required=False, allow_null=True)
        attempts_allowed = serializers.IntegerField(min_value=1, max_value=100, required=False)
        grading_method = serializers.ChoiceField(
            choices=Assignment.GradingMethod.choices, required=False
        )
        shuffle_questions = serializers.BooleanField(required=False)
        shuffle_options = serializers.BooleanField(required=False)
        feedback = serializers.ChoiceField(choices=Assignment.Feedback.choices, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            now = timezone.now()
            window = timedelta(days=ASSIGNMENT_DATE_WINDOW_DAYS)
            errors = {}
            for name in ("opens_at", "due_at"):
                try:
                    inside = now - window <= attrs[name] <= now + window
                except OverflowError:
                    inside = False
                if not inside:
                    errors[name] = [
                        f"Give a time within {ASSIGNMENT_DATE_WINDOW_DAYS} days "
                        "of today, before or after."
                    ]
            if errors:
                raise serializers.ValidationError(errors)
            return attrs

    @extend_schema(
        summary="A teacher's assignments, or a student's with their `status`",
        operation_id="v1_assignments_list",
        parameters=[OpenApiParameter("classroom", OpenApiTypes.INT, required=False)],
        responses=paginated(
            PolymorphicProxySerializer(
                component_name="Assignment",
                serializers=[AssignmentOutputSerializer, StudentAssignmentOutputSerializer],
                resource_type_field_name=None,
                many=True,
            ),
            "Assignment",
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        assignments = selectors.assignments_list(
            user=request.user, classroom_id=filters.validated_data.get("classroom")
        )
        if request.user.is_teacher:
            return paginate(request, self, assignments, AssignmentOutputSerializer)
        return paginate(
            request,
            self,
            assignments,
            lambda page: (
                StudentAssignmentOutputSerializer(
                    selectors.student_assignments_list(
                        student=request.user, assignments=page, now=timezone.now()
                    ),
                    many=True,
                ).data
            ),
        )

    @extend_schema(
        summary="Assign a quiz set, or a deck as a study target, to a class (teacher)",
        request=InputSerializer,
        responses={201: AssignmentOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {key: value for key, value in data.validated_data.items() if value is not None}
        values["classroom"] = _existing(Classroom, values["classroom"], "classroom")
        values["quiz_set"] = _existing(QuizSet, values.get("quiz_set"), "quiz_set")
        values["deck"] = _existing(Deck, values.get("deck"), "deck")
        assignment = services.assignment_create(teacher=request.user, **values)
        return Response(AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentDetailApi(APIView):
    @extend_schema(
        summary="One assignment",
        responses=PolymorphicProxySerializer(
            component_name="Assignment",
            serializers=[AssignmentOutputSerializer, StudentAssignmentOutputSerializer],
            resource_type_field_name=None,
        ),
    )
    def get(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(
            user=request.user, assignment_id=assignment_id
        )
        if assignment.classroom.teacher_id == request.user.pk:
            return Response(AssignmentOutputSerializer(assignment).data)
        [entry] = selectors.student_assignments_list(
            student=request.user, assignments=[assignment], now=timezone.now()
        )
        return Response(StudentAssignmentOutputSerializer(entry).data)


class AssignmentAttemptsApi(APIView):
    @extend_schema(
        summary="A student's own attempts at the assignment; all of them for its teacher",
        responses=paginated(AttemptBriefSerializer, "AttemptBrief"),
    )
    def get(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(
            user=request.user, assignment_id=assignment_id
        )
        attempts = selectors.attempts_list(user=request.user, assignment=assignment)
        return paginate(request, self, attempts, AttemptBriefSerializer)

    @extend_schema(
        summary="Start an attempt (student); returns the one in progress if there is one",
        request=None,
        responses={201: AttemptDetailOutputSerializer, 200: AttemptDetailOutputSerializer},
    )
    def post(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(
            user=request.user, assignment_id=assignment_id
        )
        now = timezone.now()
        attempt, created = services.attempt_start(
            student=request.user, assignment=assignment, now=now
        )
        detail = selectors.attempt_detail(attempt=attempt, viewer=request.user, now=now)
        return Response(
            AttemptDetailOutputSerializer(detail).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CsvRenderer(BaseRenderer):
    """Passes text through as CSV; used when a view is asked for `?format=csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, str):
            return data.encode(self.charset)
        return JSONRenderer().render(data)


class AssignmentResultsApi(APIView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CsvRenderer]

    @extend_schema(
        summary="Results per student and per question (teacher); `?format=csv` is the gradebook",
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], required=False)
        ],
        responses=ResultsOutputSerializer,
    )
    def get(
        self, request: AuthenticatedRequest, assignment_id: int, format: str | None = None
    ) -> Response:
        assignment = selectors.assignment_get_for_user(
            user=request.user, assignment_id=assignment_id, manage=True
        )
        results = selectors.assignment_results(assignment=assignment, now=timezone.now())
        if request.accepted_renderer.format == "csv":
            filename = f"assignment-{assignment.pk}-grades.csv"
            return Response(
                selectors.results_csv(results),
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        return Response(ResultsOutputSerializer(results).data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors stay JSON even when the gradebook was asked for.
        if (
            response.status_code >= 400
            and getattr(response, "accepted_renderer", None)
            and response.accepted_renderer.format == "csv"
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


# --- Attempts --------------------------------------------------------------------


class AttemptDetailApi(APIView):
    @extend_schema(
        summary="An attempt with its saved answers (resume); feedback when allowed",
        responses=AttemptDetailOutputSerializer,
    )
    def get(self, request: AuthenticatedRequest, attempt_id: int) -> Response:
        attempt = selectors.attempt_get_for_user(user=request.user, attempt_id=attempt_id)
        now = timezone.now()
        if not attempt.is_graded and attempt.is_past_deadline(now):
            services.attempt_close(attempt_id=attempt.pk, now=now)
            attempt = selectors.attempt_get_for_user(user=request.user, attempt_id=attempt_id)
        detail = selectors.attempt_detail(attempt=attempt, viewer=request.user, now=now)
        return Response(AttemptDetailOutputSerializer(detail).data)


def _own_attempt(request: AuthenticatedRequest, view: APIView, attempt_id: int) -> Any:
    attempt = selectors.attempt_get_for_user(user=request.user, attempt_id=attempt_id)
    view.check_object_permissions(request, attempt)
    return attempt


class ResponseSaveApi(APIView):
    permission_classes = [IsAuthenticated, IsAttemptStudent]

    @extend_schema_serializer(component_name="ResponseSaveInput")
    class InputSerializer(serializers.Serializer):
        answer = serializers.JSONField(
            help_text="Text; for multiple choice the option's text or its index as shown; "
            "for true/false true or false."
        )

    @extend_schema(
        summary="Autosave the answer to one question; refused after the deadline",
        request=InputSerializer,
        responses=ResponseOutputSerializer,
    )
    def put(self, request: AuthenticatedRequest, attempt_id: int, question_id: int) -> Response:
        attempt = _own_attempt(request, self, attempt_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.response_save(
            attempt=attempt,
            question_id=question_id,
            answer=data.validated_data["answer"],
            now=timezone.now(),
        )
        return Response(ResponseOutputSerializer(response).data)


class AttemptSubmitApi(APIView):
    permission_classes = [IsAuthenticated, IsAttemptStudent]

    @extend_schema(
        summary="Submit and grade; submitting again returns the same result",
        request=None,
        responses=AttemptDetailOutputSerializer,
    )
    def post(self, request: AuthenticatedRequest, attempt_id: int) -> Response:
        attempt = _own_attempt(request, self, attempt_id)
        now = timezone.now()
        attempt = services.attempt_submit(attempt=attempt, now=now)
        attempt = selectors.attempt_get_for_user(user=request.user, attempt_id=attempt.pk)
        detail = selectors.attempt_detail(attempt=attempt, viewer=request.user, now=now)
        return Response(AttemptDetailOutputSerializer(detail).data)
