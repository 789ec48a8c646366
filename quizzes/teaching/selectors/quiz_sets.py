"""Reads for quiz sets: only their owner sees them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User

from ..models import QuizSet, QuizSetItem


def _with_items(queryset: QuerySet[QuizSet]) -> QuerySet[QuizSet]:
    return queryset.prefetch_related(
        Prefetch(
            "items", queryset=QuizSetItem.objects.select_related("question").order_by("position")
        )
    )


def quiz_sets_list(*, user: User) -> QuerySet[QuizSet]:
    """The teacher's own quiz sets, newest first, with their questions."""
    if not user.is_teacher:
        raise PermissionDenied("Only teachers have quiz sets.")
    return _with_items(QuizSet.objects.filter(owner=user))


def quiz_set_get_for_user(*, user: User, quiz_set_id: int) -> QuizSet:
    """The quiz set if `user` owns it; Http404 otherwise (students get PermissionDenied)."""
    if not user.is_teacher:
        raise PermissionDenied("Only teachers have quiz sets.")
    quiz_set = _with_items(QuizSet.objects.filter(pk=quiz_set_id, owner=user)).first()
    if quiz_set is None:
        raise Http404("No such quiz set.")
    return quiz_set
