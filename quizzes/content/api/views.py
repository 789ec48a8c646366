"""Content API: sources, decks, passages, questions and background jobs.

Every signed-in user reads what the selectors let them see (students: approved
questions of shown passages); teachers and staff change content
(``IsTeacherOrStaff`` on writes).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from quizzes.content import selectors, services
from quizzes.content.models import Job, Question
from quizzes.content.services.generation import generation_start
from quizzes.content.services.questions import question_update
from studyapp.api.pagination import PageNumberPagination, paginate
from studyapp.api.parsers import JSONParser
from studyapp.api.permissions import AuthenticatedRequest, IsTeacherOrStaff, WritePermissionsMixin
from studyapp.errors import ApplicationError

from . import serializers as s


def _is_reviewer(user: Any) -> bool:
    return bool(user.is_teacher or user.is_staff)


def _question_serializer(user: Any) -> type[serializers.Serializer]:
    return s.QuestionOutputSerializer if _is_reviewer(user) else s.StudentQuestionOutputSerializer


def _filters(
    serializer: type[serializers.Serializer], request: AuthenticatedRequest, **context: Any
) -> dict[str, Any]:
    filters = serializer(data=request.query_params, context=context)
    filters.is_valid(raise_exception=True)
    return dict(filters.validated_data)


class SourceListCreateApi(WritePermissionsMixin, APIView):
    """Sources the user may see; teachers create one from pasted text or a .txt/.md file."""

    pagination_class = PageNumberPagination

    write_permission_classes = [IsTeacherOrStaff]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(operation_id="v1_sources_list", responses=s.SourceOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        sources = selectors.source_list(user=request.user).select_related("created_by")
        return paginate(request, self, sources, s.SourceOutputSerializer)

    @extend_schema(request=s.SourceCreateInputSerializer, responses={201: s.SourceOutputSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = s.SourceCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("file")
        if upload is not None:
            raw = services.text_from_upload(upload.read(), filename=upload.name)
        else:
            raw = services.text_from_paste(data.validated_data["text"])
        title = data.validated_data["title"] or (
            upload.name.rsplit(".", 1)[0] if upload is not None else ""
        )
        result = services.source_import(
            raw=raw,
            title=title,
            author=data.validated_data["author"],
            created_by=request.user,
            kind="upload" if upload is not None else "pasted",
        )
        source = selectors.source_list(user=request.user).get(pk=result.source.pk)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.SourceOutputSerializer(source).data, status=code)


class SourceDetailApi(APIView):
    @extend_schema(operation_id="v1_sources_retrieve", responses=s.SourceOutputSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        source = get_object_or_404(selectors.source_list(user=request.user), pk=pk)
        return Response(s.SourceOutputSerializer(source).data)


class DeckListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="v1_decks_list",
        parameters=[OpenApiParameter("source", int)],
        responses=s.DeckOutputSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = _filters(s.DeckFilterSerializer, request)
        decks = selectors.deck_list(user=request.user, source_id=filters.get("source"))
        return paginate(request, self, decks, s.DeckOutputSerializer)


class DeckDetailApi(APIView):
    @extend_schema(operation_id="v1_decks_retrieve", responses=s.DeckOutputSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        deck = get_object_or_404(selectors.deck_list(user=request.user), pk=pk)
        return Response(s.DeckOutputSerializer(deck).data)


class PassageListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="v1_passages_list",
        parameters=[OpenApiParameter("deck", int)],
        responses=s.PassageOutputSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = _filters(s.PassageFilterSerializer, request)
        passages = selectors.passage_list(
            user=request.user, deck_id=filters.get("deck")
        ).select_related("deck")
        return paginate(request, self, passages, s.PassageOutputSerializer)


class PassageDetailApi(WritePermissionsMixin, APIView):
    """One passage with its questions (students: approved only); teachers edit or hide it."""

    write_permission_classes = [IsTeacherOrStaff]

    def _get(self, request: AuthenticatedRequest, pk: int) -> Any:
        return get_object_or_404(
            selectors.passages_visible_to(user=request.user).select_related("deck"), pk=pk
        )

    @extend_schema(responses=s.PassageDetailOutputSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        passage = self._get(request, pk)
        questions = selectors.questions_visible_to(user=request.user).filter(
            selectors.CURRENT_VERSION, passage=passage
        )
        context = {
            "questions": questions,
            "question_serializer": _question_serializer(request.user),
            s.WITHHELD_CONTEXT: selectors.question_ids_with_keys_withheld(user=request.user),
        }
        return Response(s.PassageDetailOutputSerializer(passage, context=context).data)

    @extend_schema(request=s.PassageUpdateInputSerializer, responses=s.PassageOutputSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        passage = self._get(request, pk)
        data = s.PassageUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "text" in values:
            values["text"] = services.text_from_paste(values["text"])
        with transaction.atomic():
            if "is_hidden" in values:
                passage = services.passage_hide(
                    user=request.user, passage_id=passage.pk, hidden=values["is_hidden"]
                )
            if "text" in values or "heading" in values:
                passage = services.passage_edit(
                    user=request.user,
                    passage_id=passage.pk,
                    text=values.get("text"),
                    heading=values.get("heading"),
                )
        return Response(s.PassageOutputSerializer(passage).data)


class PassageSplitApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(
        request=s.PassageSplitInputSerializer, responses={201: s.PassageOutputSerializer(many=True)}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        get_object_or_404(selectors.passages_visible_to(user=request.user), pk=pk)
        data = s.PassageSplitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        halves = services.passage_split(
            user=request.user, passage_id=pk, at=data.validated_data["at"]
        )
        return Response(
            s.PassageOutputSerializer(halves, many=True).data, status=status.HTTP_201_CREATED
        )


class PassageMergeApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(
        request=s.PassageMergeInputSerializer, responses={201: s.PassageOutputSerializer}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = s.PassageMergeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["passages"]
        visible = selectors.passages_visible_to(user=request.user).filter(pk__in=ids).count()
        if visible != len(set(ids)):
            raise ApplicationError("Some passages do not exist.", code="not_found", status=404)
        merged = services.passages_merge(user=request.user, passage_ids=ids)
        return Response(s.PassageOutputSerializer(merged).data, status=status.HTTP_201_CREATED)


def _questions_filtered(user: User, filters: dict[str, Any]) -> QuerySet[Question]:
    questions = selectors.questions_visible_to(user=user).filter(selectors.CURRENT_VERSION)
    if "deck" in filters:
        questions = questions.filter(passage__deck_id=filters["deck"], passage__is_current=True)
    if "passage" in filters:
        questions = questions.filter(passage_id=filters["passage"])
    for name in ("kind", "status"):
        if name in filters:
            questions = questions.filter(**{name: filters[name]})
    if "min_score" in filters:
        questions = questions.filter(score__gte=filters["min_score"])
    return questions.order_by(*s.QUESTION_ORDERINGS[filters.get("ordering", "passage")])


class QuestionListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="v1_questions_list",
        parameters=[
            OpenApiParameter("deck", int),
            OpenApiParameter("passage", int),
            OpenApiParameter("kind", str, enum=Question.Kind.values),
            OpenApiParameter("status", str, enum=Question.Status.values),
            OpenApiParameter(
                "min_score", float, description="only questions scoring at least this"
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=list(s.QUESTION_ORDERINGS),
                description="default: passage order, best first within a passage",
            ),
        ],
        responses=s.QuestionOutputSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = _filters(s.QuestionFilterSerializer, request, reviewer=_is_reviewer(request.user))
        context = {s.WITHHELD_CONTEXT: selectors.question_ids_with_keys_withheld(user=request.user)}
        serializer = _question_serializer(request.user)
        return paginate(
            request,
            self,
            _questions_filtered(request.user, filters),
            lambda page: serializer(page, many=True, context=context).data,
        )


class QuestionDetailApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(responses=s.QuestionOutputSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        question = get_object_or_404(selectors.questions_visible_to(user=request.user), pk=pk)
        context = {s.WITHHELD_CONTEXT: selectors.question_ids_with_keys_withheld(user=request.user)}
        return Response(_question_serializer(request.user)(question, context=context).data)

    @extend_schema(
        request=s.QuestionUpdateInputSerializer,
        responses=s.QuestionOutputSerializer,
        description=(
            "Edit a question's text, key, evidence or status; answers with the question as "
            "edited. When a quiz set of another teacher uses the question, a change of its "
            "text, key or evidence is copied on write: the answer is a new question (another "
            "`id`) and the old one keeps its content, with `replaced_by` set. Editing a "
            "replaced question edits its current version."
        ),
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        get_object_or_404(selectors.questions_visible_to(user=request.user), pk=pk)
        data = s.QuestionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = question_update(user=request.user, question_id=pk, data=data.validated_data)
        return Response(s.QuestionOutputSerializer(question).data)


class DeckGenerateApi(WritePermissionsMixin, APIView):
    """Start generating a deck's questions; watch the job at /api/v1/jobs/{id}."""

    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(request=None, responses={202: s.JobOutputSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        deck = get_object_or_404(selectors.deck_list(user=request.user), pk=pk)
        job = generation_start(user=request.user, deck=deck)
        body = {"job": job.pk, **s.JobOutputSerializer(job).data}
        return Response(body, status=status.HTTP_202_ACCEPTED)


def _jobs_for(user: Any) -> QuerySet[Job]:
    return Job.objects.all() if user.is_staff else Job.objects.filter(created_by=user)


class JobListApi(APIView):
    """The user's own background jobs, newest first; filter by deck or state."""

    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="v1_jobs_list",
        parameters=[
            OpenApiParameter("deck", int),
            OpenApiParameter("state", str, enum=Job.State.values),
        ],
        responses=s.JobOutputSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = _filters(s.JobFilterSerializer, request)
        jobs = _jobs_for(request.user)
        if "deck" in filters:
            jobs = jobs.filter(deck_id=filters["deck"])
        if "state" in filters:
            jobs = jobs.filter(state=filters["state"])
        return paginate(request, self, jobs.order_by("-created_at", "-id"), s.JobOutputSerializer)


class JobDetailApi(APIView):
    """A background job's state and progress; only the person who started it sees it."""

    @extend_schema(responses=s.JobOutputSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        job = get_object_or_404(_jobs_for(request.user), pk=pk)
        return Response(s.JobOutputSerializer(job).data)
