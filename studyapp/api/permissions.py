"""Who may call what: one permission class per rule.

Every endpoint is behind ``IsAuthenticated`` (the default); these add the rules
that depend on the user's role or on the object. A refusal is a 403 with the code
``permission_denied`` and the class's message. Whether a user may see an object
at all (a class they teach or belong to, its assignments and attempts) is decided
where it is fetched, by the ``*_get_for_user`` selectors: 404 when they have no
link to it, 403 when they may see it but not change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User


def _user(request: Request) -> Any:
    return request.user if request.user and request.user.is_authenticated else None


class IsTeacher(BasePermission):
    """Users with the teacher role."""

    message = "Only teachers can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _user(request)
        return bool(user and user.is_teacher)


class IsTeacherOrStaff(BasePermission):
    """Teachers and staff: they see draft questions and review the texts' content."""

    message = "Only teachers can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _user(request)
        return bool(user and (user.is_teacher or user.is_staff))


class IsOwner(BasePermission):
    """The object is the user's own: its ``owner_field`` (``owner_id`` unless the view
    names another) is the user's id. Checked with ``view.check_object_permissions``."""

    message = "Only the owner can do that."
    owner_field = "owner_id"

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        user = _user(request)
        return bool(user and getattr(obj, self.owner_field) == user.pk)


class IsAttemptStudent(IsOwner):
    """The attempt is the user's own: only the student taking a quiz answers and submits."""

    message = "Only the student taking the quiz can do that."
    owner_field = "student_id"


class WritePermissionsMixin:
    """For an APIView whose reads are open to every signed-in user: a write (POST,
    PUT, PATCH, DELETE) must also pass ``write_permission_classes``."""

    write_permission_classes: Sequence[type[BasePermission]] = ()

    def get_permissions(self) -> list[BasePermission]:
        permissions: list[BasePermission] = super().get_permissions()  # type: ignore[misc]
        if self.request.method not in SAFE_METHODS:  # type: ignore[attr-defined]
            permissions += [permission() for permission in self.write_permission_classes]
        return permissions


class AuthenticatedRequest(Request):
    """A request that passed ``IsAuthenticated`` (every endpoint's default): its user is
    a ``User``, never the anonymous user. For annotating views."""

    user: User
