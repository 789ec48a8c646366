"""Reads for accounts and classes."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Classroom, User


def classrooms_for_user(*, user: User) -> QuerySet[Classroom]:
    """A teacher's own classes, or the classes a student belongs to."""
    if user.is_teacher:
        return Classroom.objects.filter(teacher=user)
    return Classroom.objects.filter(memberships__student=user)
