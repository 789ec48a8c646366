"""Content API: sources, decks, passages, questions and background jobs."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes import selectors, services
from quizzes.models import Deck, Job, Passage, Question, Source
from quizzes.services.generation import generation_start
from quizzes.services.questions import question_update
from studyapp.api.parsers import JSONParser
from studyapp.api.permissions import IsTeacherOrStaff, WritePermissionsMixin
from studyapp.errors import ApplicationError

from . import serializers as s


def _is_reviewer(user) -> bool:
    return user.is_teacher or user.is_staff


def _question_serializer(user) -> type:
    return s.QuestionOutputSerializer if _is_reviewer(user) else s.StudentQuestionOutputSerializer


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ApplicationError(
            f"'{name}' must be a whole number.", fields={name: ["Must be a whole number."]}
        ) from exc


class SourceListCreateApi(WritePermissionsMixin, generics.ListAPIView):
    """Sources the user may see; teachers create one from pasted text or a .txt/.md file."""

    write_permission_classes = [IsTeacherOrStaff]

    queryset = Source.objects.none()  # for the schema; get_queryset filters per user
    serializer_class = s.SourceOutputSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.source_list(user=self.request.user).select_related("created_by")

    @extend_schema(request=s.SourceCreateInputSerializer, responses={201: s.SourceOutputSerializer})
    def post(self, request: Request) -> Response:
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
            raw=raw, title=title, author=data.validated_data["author"],
            created_by=request.user, kind="upload" if upload is not None else "pasted",
        )
        source = selectors.source_list(user=request.user).get(pk=result.source.pk)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.SourceOutputSerializer(source).data, status=code)


class SourceDetailApi(generics.RetrieveAPIView):
    queryset = Source.objects.none()
    serializer_class = s.SourceOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.source_list(user=self.request.user)


class DeckListApi(generics.ListAPIView):
    queryset = Deck.objects.none()
    serializer_class = s.DeckOutputSerializer

    @extend_schema(parameters=[OpenApiParameter("source", int)])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.deck_list(
            user=self.request.user, source_id=_int_param(self.request, "source")
        )


class DeckDetailApi(generics.RetrieveAPIView):
    queryset = Deck.objects.none()
    serializer_class = s.DeckOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.deck_list(user=self.request.user)


class PassageListApi(generics.ListAPIView):
    queryset = Passage.objects.none()
    serializer_class = s.PassageOutputSerializer

    @extend_schema(parameters=[OpenApiParameter("deck", int)])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.passage_list(
            user=self.request.user, deck_id=_int_param(self.request, "deck")
        ).select_related("deck")


class PassageDetailApi(WritePermissionsMixin, APIView):
    """One passage with its questions (students: approved only); teachers edit or hide it."""

    write_permission_classes = [IsTeacherOrStaff]

    def _get(self, request: Request, pk: int):
        return get_object_or_404(
            selectors.passages_visible_to(user=request.user).select_related("deck"), pk=pk
        )

    @extend_schema(responses=s.PassageDetailOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        passage = self._get(request, pk)
        questions = selectors.questions_visible_to(user=request.user).filter(passage=passage)
        context = {"questions": questions,
                   "question_serializer": _question_serializer(request.user),
                   s.WITHHELD_CONTEXT: selectors.question_ids_with_keys_withheld(
                       user=request.user)}
        return Response(s.PassageDetailOutputSerializer(passage, context=context).data)

    @extend_schema(request=s.PassageUpdateInputSerializer, responses=s.PassageOutputSerializer)
    def patch(self, request: Request, pk: int) -> Response:
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
                    user=request.user, passage_id=passage.pk, text=values.get("text"),
                    heading=values.get("heading"),
                )
        return Response(s.PassageOutputSerializer(passage).data)


class PassageSplitApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(request=s.PassageSplitInputSerializer,
                   responses={201: s.PassageOutputSerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        get_object_or_404(selectors.passages_visible_to(user=request.user), pk=pk)
        data = s.PassageSplitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        halves = services.passage_split(user=request.user, passage_id=pk,
                                        at=data.validated_data["at"])
        return Response(s.PassageOutputSerializer(halves, many=True).data,
                        status=status.HTTP_201_CREATED)


class PassageMergeApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(request=s.PassageMergeInputSerializer,
                   responses={201: s.PassageOutputSerializer})
    def post(self, request: Request) -> Response:
        data = s.PassageMergeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["passages"]
        visible = selectors.passages_visible_to(user=request.user).filter(pk__in=ids).count()
        if visible != len(set(ids)):
            raise ApplicationError("Some passages do not exist.", code="not_found", status=404)
        merged = services.passages_merge(user=request.user, passage_ids=ids)
        return Response(s.PassageOutputSerializer(merged).data, status=status.HTTP_201_CREATED)


_QUESTION_ORDERINGS = {
    "passage": ("passage__deck_id", "passage__order", "-score", "id"),
    "score": ("score", "id"),
    "-score": ("-score", "id"),
}


class QuestionListApi(generics.ListAPIView):
    queryset = Question.objects.none()
    serializer_class = s.QuestionOutputSerializer

    @extend_schema(parameters=[
        OpenApiParameter("deck", int), OpenApiParameter("passage", int),
        OpenApiParameter("kind", str, enum=Question.Kind.values),
        OpenApiParameter("status", str, enum=Question.Status.values),
        OpenApiParameter("min_score", float, description="only questions scoring at least this"),
        OpenApiParameter("ordering", str, enum=list(_QUESTION_ORDERINGS),
                         description="default: passage order, best first within a passage"),
    ])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class
        return _question_serializer(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context[s.WITHHELD_CONTEXT] = selectors.question_ids_with_keys_withheld(
                user=self.request.user)
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        request = self.request
        reviewer = _is_reviewer(request.user)
        questions = selectors.questions_visible_to(user=request.user)
        deck, passage = _int_param(request, "deck"), _int_param(request, "passage")
        if deck is not None:
            questions = questions.filter(passage__deck_id=deck, passage__is_current=True)
        if passage is not None:
            questions = questions.filter(passage_id=passage)
        for name, allowed in (("kind", Question.Kind.values),
                              ("status", Question.Status.values)):
            value = request.query_params.get(name)
            if value:
                if value not in allowed:
                    raise ApplicationError(
                        f"Unknown {name} '{value}'.",
                        fields={name: [f"Choose one of: {', '.join(allowed)}."]},
                    )
                questions = questions.filter(**{name: value})
        min_score = request.query_params.get("min_score")
        if min_score not in (None, "") and not reviewer:
            raise ApplicationError(
                "Only teachers can filter by score.",
                fields={"min_score": ["Only teachers can filter by score."]},
            )
        if min_score not in (None, ""):
            try:
                questions = questions.filter(score__gte=float(min_score))
            except ValueError as exc:
                raise ApplicationError(
                    "'min_score' must be a number.", fields={"min_score": ["Must be a number."]}
                ) from exc
        ordering = request.query_params.get("ordering") or "passage"
        if ordering not in _QUESTION_ORDERINGS:
            raise ApplicationError(
                f"Unknown ordering '{ordering}'.",
                fields={"ordering": [f"Choose one of: {', '.join(_QUESTION_ORDERINGS)}."]},
            )
        if ordering != "passage" and not reviewer:
            raise ApplicationError(
                "Only teachers can order by score.",
                fields={"ordering": ["Only teachers can order by score."]},
            )
        return questions.order_by(*_QUESTION_ORDERINGS[ordering])


class QuestionDetailApi(WritePermissionsMixin, APIView):
    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(responses=s.QuestionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        question = get_object_or_404(selectors.questions_visible_to(user=request.user), pk=pk)
        context = {s.WITHHELD_CONTEXT: selectors.question_ids_with_keys_withheld(
            user=request.user)}
        return Response(_question_serializer(request.user)(question, context=context).data)

    @extend_schema(request=s.QuestionUpdateInputSerializer, responses=s.QuestionOutputSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        get_object_or_404(selectors.questions_visible_to(user=request.user), pk=pk)
        data = s.QuestionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = question_update(user=request.user, question_id=pk, data=data.validated_data)
        return Response(s.QuestionOutputSerializer(question).data)


class DeckGenerateApi(WritePermissionsMixin, APIView):
    """Start generating a deck's questions; watch the job at /api/v1/jobs/{id}."""

    write_permission_classes = [IsTeacherOrStaff]

    @extend_schema(request=None, responses={202: s.JobOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        deck = get_object_or_404(selectors.deck_list(user=request.user), pk=pk)
        job = generation_start(user=request.user, deck=deck)
        body = {"job": job.pk, **s.JobOutputSerializer(job).data}
        return Response(body, status=status.HTTP_202_ACCEPTED)


def _jobs_for(user):
    return Job.objects.all() if user.is_staff else Job.objects.filter(created_by=user)


class JobListApi(generics.ListAPIView):
    """The user's own background jobs, newest first; filter by deck or state."""

    queryset = Job.objects.none()
    serializer_class = s.JobOutputSerializer

    @extend_schema(parameters=[OpenApiParameter("deck", int),
                               OpenApiParameter("state", str, enum=Job.State.values)])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        jobs = _jobs_for(self.request.user)
        deck = _int_param(self.request, "deck")
        if deck is not None:
            jobs = jobs.filter(deck_id=deck)
        state = self.request.query_params.get("state")
        if state:
            if state not in Job.State.values:
                raise ApplicationError(
                    f"Unknown state '{state}'.",
                    fields={"state": [f"Choose one of: {', '.join(Job.State.values)}."]},
                )
            jobs = jobs.filter(state=state)
        return jobs.order_by("-created_at", "-id")


class JobDetailApi(APIView):
    """A background job's state and progress; only the person who started it sees it."""

    @extend_schema(responses=s.JobOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(_jobs_for(request.user), pk=pk)
        return Response(s.JobOutputSerializer(job).data)
