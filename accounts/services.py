"""Writes for accounts and classes."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from studyapp.errors import ApplicationError

from .models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Classroom, Membership, User


def user_time_zone_set(*, user: User, time_zone: str, save: bool = True) -> User:
    """Set the user's IANA time zone (their study days and reminders follow it).

    Raises ApplicationError (400) naming ``time_zone`` for a name this system does
    not know; nothing changes then.
    """
    name = time_zone.strip()
    message = f"Unknown time zone {name!r}; use an IANA name such as Europe/Berlin."
    try:
        if not name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ApplicationError(message, fields={"time_zone": [message]}) from exc
    user.time_zone = name
    if save:
        user.save(update_fields=["time_zone"])
    return user


def user_create(
    *, username: str, email: str, password: str, role: str, time_zone: str = ""
) -> User:
    """Create a user after Django's password validators and model validation.

    ``time_zone`` (an IANA name, as browsers report it) is kept when it is known;
    an unknown or empty one leaves the site's TIME_ZONE in use.
    Raises ValidationError naming each field that is wrong (taken username or
    e-mail, weak password, unknown role).
    """
    user = User(username=username, email=email.strip(), role=role)
    if time_zone:
        try:
            user_time_zone_set(user=user, time_zone=time_zone, save=False)
        except ApplicationError:
            user.time_zone = ""
    errors: dict[str, list[str]] = {}
    try:
        # The constraints are checked below by name of field, so that no message
        # names a database constraint.
        user.full_clean(exclude=["password"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if email and User.objects.filter(email__iexact=email.strip()).exists():
        errors.setdefault("email", []).append("A user with that email already exists.")
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        user.save()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ValidationError({"username": ["That username or email is already taken."]}) from exc
    return user


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def classroom_create(*, teacher: User, name: str) -> Classroom:
    """Create a class with a fresh unique join code. Only teachers may."""
    if not teacher.is_teacher:
        raise ApplicationError(
            "Only teachers can create classes.", code="permission_denied", status=403
        )
    classroom = Classroom(teacher=teacher, name=name.strip(), join_code=_new_join_code())
    classroom.full_clean(exclude=["join_code"])
    for _ in range(10):
        try:
            with transaction.atomic():
                classroom.save()
            return classroom
        except IntegrityError:
            classroom.join_code = _new_join_code()
    raise ApplicationError("Could not allocate a join code; try again.", status=503)


def classroom_join(*, student: User, code: str) -> Membership:
    """Add a student to the open class with this code; joining twice is harmless."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    classroom = Classroom.objects.filter(join_code=normalised).first()
    if classroom is None:
        raise ApplicationError(
            "No class has that join code.",
            code="not_found",
            status=404,
            fields={"code": ["No class has that join code."]},
        )
    if not classroom.is_open:
        raise ApplicationError(
            "This class is closed to new members.",
            code="closed",
            fields={"code": ["This class is closed to new members."]},
        )
    if student.is_teacher:
        raise ApplicationError(
            "Teachers cannot join a class as students.", code="permission_denied", status=403
        )
    membership, _ = Membership.objects.get_or_create(classroom=classroom, student=student)
    return membership


def classroom_update(
    *, classroom: Classroom, name: str | None = None, is_open: bool | None = None
) -> Classroom:
    """Rename a class, or open or close it to new members.

    Closing stops new joins only: members stay. Raises ValidationError for a blank name.
    """
    fields: list[str] = []
    if name is not None:
        classroom.name = name.strip()
        fields.append("name")
    if is_open is not None:
        classroom.is_open = is_open
        fields.append("is_open")
    if fields:
        classroom.full_clean(exclude=["join_code", "teacher"])
        classroom.save(update_fields=fields)
    return classroom


def classroom_join_code_regenerate(*, classroom: Classroom) -> Classroom:
    """Give the class a new unique join code; the old one stops working at once.

    The open or closed state is kept. Raises ApplicationError (503) if no free
    code is found after a few tries, which only a nearly full code space causes.
    """
    old = classroom.join_code
    for _ in range(10):
        code = _new_join_code()
        if code == old:
            continue
        try:
            with transaction.atomic():
                updated = Classroom.objects.filter(pk=classroom.pk).update(join_code=code)
        except IntegrityError:
            continue
        if updated:
            classroom.join_code = code
        return classroom
    raise ApplicationError("Could not allocate a join code; try again.", status=503)


def classroom_student_remove(*, classroom: Classroom, student: User) -> None:
    """Take a student out of a class. Their past attempts are kept for the gradebook.

    Raises ApplicationError (404) if the student is not a member.
    """
    deleted, _ = Membership.objects.filter(classroom=classroom, student=student).delete()
    if not deleted:
        raise ApplicationError("That student is not in this class.", code="not_found", status=404)


def tokens_flush_expired() -> int:
    """Delete refresh tokens past their expiry (their blacklist rows go with them).

    Returns how many were deleted. An expired token is refused anyway, so this
    only keeps the tables small; running it twice deletes nothing more.
    """
    deleted, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
