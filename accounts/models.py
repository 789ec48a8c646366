from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person using the service: a student or a teacher."""

    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        TEACHER = "teacher", "Teacher"

    email = models.EmailField("email address")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="IANA time zone name, e.g. Europe/Berlin; empty means the site's TIME_ZONE.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["student", "teacher"]),
                name="accounts_user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER

    @property
    def effective_time_zone(self) -> str:
        """The user's IANA time zone, or the site's TIME_ZONE when they have none."""
        return self.time_zone or settings.TIME_ZONE

    @property
    def may_curate(self) -> bool:
        """Staff edit the curated texts (the ones the service imports) and their questions."""
        return self.is_active and (self.is_staff or self.is_superuser)


# Join codes avoid characters that look alike (0/O, 1/I/L) when read aloud or copied.
# Eight of 31 characters: about 8.5e11 codes, so guessing one (joins are rate
# limited per user and per address) is hopeless. Codes made when they had six
# characters keep working.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
JOIN_CODE_MAX_LENGTH = 16


class Classroom(models.Model):
    """A teacher's class, which students join with a short code."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=200)
    join_code = models.CharField(max_length=JOIN_CODE_MAX_LENGTH, unique=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    students: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"
