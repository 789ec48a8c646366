"""Demo accounts for a first look: a teacher and two students in one class.

Safe to run again: existing accounts and the class are kept as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Classroom, Membership, User
from accounts.services import classroom_create

DEMO_PASSWORD = "study-demo-2026"
DEMO_USERS = [
    ("teacher", "teacher@example.com", User.Role.TEACHER),
    ("alice", "alice@example.com", User.Role.STUDENT),
    ("bob", "bob@example.com", User.Role.STUDENT),
]
DEMO_CLASS = "Early Soviet history"


class Command(BaseCommand):
    help = "Create the demo teacher, two students and their class (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        users: dict[str, User] = {}
        for username, email, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=email, role=role)
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        teacher = users["teacher"]
        classroom = Classroom.objects.filter(teacher=teacher, name=DEMO_CLASS).first()
        if classroom is None:
            classroom = classroom_create(teacher=teacher, name=DEMO_CLASS)
        for name in ("alice", "bob"):
            Membership.objects.get_or_create(classroom=classroom, student=users[name])
        self.stdout.write(f"Demo logins (password for each: {DEMO_PASSWORD}):")
        for username, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write(f"Class '{classroom.name}' join code: {classroom.join_code}")
