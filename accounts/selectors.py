"""Reads for accounts and classes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Classroom, Membership, User


def classrooms_for_user(*, user: User) -> QuerySet[Classroom]:
    """A teacher's own classes, or the classes a student belongs to."""
    if user.is_teacher:
        return Classroom.objects.filter(teacher=user)
    return Classroom.objects.filter(memberships__student=user)


def classroom_get_for_user(*, user: User, classroom_id: int, manage: bool = False) -> Classroom:
    """The class, if `user` teaches it or (when not `manage`) belongs to it.

    Raises Http404 when the user has no link to the class (so its existence is not
    revealed), and PermissionDenied when a member asks to manage it.
    """
    classroom = Classroom.objects.select_related("teacher").filter(pk=classroom_id).first()
    if classroom is None:
        raise Http404("No such class.")
    if classroom.teacher_id == user.pk:
        return classroom
    if Membership.objects.filter(classroom=classroom, student=user).exists():
        if manage:
            raise PermissionDenied("Only the class's teacher can do that.")
        return classroom
    raise Http404("No such class.")


def classroom_memberships_list(*, classroom: Classroom) -> QuerySet[Membership]:
    """The class's members, by username."""
    return (
        Membership.objects.filter(classroom=classroom)
        .select_related("student")
        .order_by("student__username", "id")
    )
