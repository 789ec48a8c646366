"""Reads for content, each with who may see it built in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import User
from quizzes.content.models import Deck, Passage, Question, Source


def sources_visible_to(*, user: User) -> QuerySet[Source]:
    """Curated sources (imported by the service) are visible to everyone signed in.

    A source a teacher created is visible to that teacher and to the students of
    that teacher's classes; other teachers do not see it.
    """
    if user.is_staff:
        return Source.objects.all()
    if user.is_teacher:
        return Source.objects.filter(Q(created_by__isnull=True) | Q(created_by=user))
    teachers = User.objects.filter(classrooms_taught__memberships__student=user)
    return Source.objects.filter(Q(created_by__isnull=True) | Q(created_by__in=teachers))


def source_may_edit(*, user: User, source: Source) -> bool:
    """Staff (`may_curate`) edit every text, curated ones included; a teacher only their own."""
    if user.may_curate:
        return True
    return (
        user.is_teacher and source.created_by_id is not None and (source.created_by_id == user.pk)
    )


def source_list(*, user: User) -> QuerySet[Source]:
    return (
        sources_visible_to(user=user)
        .annotate(
            deck_count=Count("decks", distinct=True),
            passage_count=Count(
                "decks__passages", filter=Q(decks__passages__is_current=True), distinct=True
            ),
        )
        .order_by("id")
    )


def deck_list(*, user: User, source_id: int | None = None) -> QuerySet[Deck]:
    student = not (user.is_teacher or user.is_staff)
    passage_filter = Q(passages__is_current=True)
    question_filter = Q(
        passages__is_current=True,
        passages__questions__status="approved",
        passages__questions__replaced_by__isnull=True,
    )
    if student:
        passage_filter &= Q(passages__is_hidden=False)
        question_filter &= Q(passages__is_hidden=False)
    decks = Deck.objects.filter(source__in=sources_visible_to(user=user)).select_related("source")
    if source_id is not None:
        decks = decks.filter(source_id=source_id)
    return decks.annotate(
        passage_count=Count("passages", filter=passage_filter, distinct=True),
        approved_question_count=Count("passages__questions", filter=question_filter, distinct=True),
    ).order_by("source_id", "order")


def passages_visible_to(*, user: User) -> QuerySet[Passage]:
    """Passages of visible sources; students never see hidden ones."""
    passages = Passage.objects.filter(deck__source__in=sources_visible_to(user=user))
    if not (user.is_teacher or user.is_staff):
        passages = passages.filter(is_hidden=False)
    return passages


def passage_list(
    *, user: User, deck_id: int | None = None, include_old: bool = False
) -> QuerySet[Passage]:
    passages = passages_visible_to(user=user)
    if not include_old:
        passages = passages.filter(is_current=True)
    if deck_id is not None:
        passages = passages.filter(deck_id=deck_id)
    return passages.order_by("deck_id", "order", "id")


#: Questions that have not been replaced by an edited version (see
#: `quizzes.content.services.questions.question_update`): what lists, the study queue
#: and new quiz sets serve. A replaced question stays readable by its id.
CURRENT_VERSION = Q(replaced_by__isnull=True)


def versions_of(question_ids: Any) -> Q:
    """Every version (first, replaced and current) of the questions `question_ids`
    (ids or a subquery of ids)."""
    roots = (
        Question.objects.filter(pk__in=question_ids)
        .annotate(root=Coalesce("original_id", "id"))
        .values("root")
    )
    return Q(pk__in=roots) | Q(original_id__in=roots)


def current_versions(question_ids: Iterable[int]) -> dict[int, int]:
    """The current version of each replaced question among `question_ids` (those
    not replaced are left out)."""
    roots = {
        pk: original or pk
        for pk, original in Question.objects.filter(
            pk__in=set(question_ids), replaced_by__isnull=False
        ).values_list("pk", "original_id")
    }
    if not roots:
        return {}
    current = dict(
        Question.objects.filter(CURRENT_VERSION, original_id__in=set(roots.values())).values_list(
            "original_id", "pk"
        )
    )
    return {pk: current[root] for pk, root in roots.items() if root in current}


def questions_visible_to(*, user: User) -> QuerySet[Question]:
    """Teachers see every question of the passages they see; students only approved ones."""
    questions = Question.objects.filter(passage__in=passages_visible_to(user=user))
    if not (user.is_teacher or user.is_staff):
        questions = questions.filter(status=Question.Status.APPROVED)
    return questions


def question_ids_with_keys_withheld(*, user: User) -> frozenset[int]:
    """The questions whose keys `user` must not be given now, by any endpoint.

    These are the questions of every quiz the user has an attempt in progress
    on, with their other versions (an edit copied on write does not give the
    key away): while it is open, no answer, accepted answer, explanation or
    evidence span of those questions is served to them (the attempt shows
    prompts and choices only). Teachers take no attempts, so for them this is
    empty.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    item_model = apps.get_model("teaching", "QuizSetItem")
    attempt_model = apps.get_model("teaching", "Attempt")
    open_quiz_sets = attempt_model.objects.filter(
        student=user, state=attempt_model.State.IN_PROGRESS
    ).values("assignment__quiz_set_id")
    in_open_quizzes = item_model.objects.filter(quiz_set_id__in=open_quiz_sets).values(
        "question_id"
    )
    return frozenset(
        Question.objects.filter(versions_of(in_open_quizzes)).values_list("pk", flat=True)
    )
