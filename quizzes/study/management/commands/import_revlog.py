"""manage.py import_revlog USERNAME FILE.csv: give a learner personal FSRS parameters
fitted to an Anki-style review log (the same service as POST /study/parameters/import,
run in this process instead of a worker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from quizzes.study.services import parameter_import_create, parameter_import_run
from studyapp.errors import ApplicationError


class Command(BaseCommand):
    help = "Fit a learner's FSRS parameters to a review-log CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        try:
            content = options["path"].read_bytes()
            with transaction.atomic():
                job = parameter_import_create(user=user, content=content, enqueue=False)
        except (OSError, ApplicationError) as exc:
            raise CommandError(str(exc)) from exc
        job = parameter_import_run(parameter_import_id=job.pk, now=timezone.now())
        self.stdout.write(f"{job.status}: {job.message}")
        if job.status != job.Status.SUCCEEDED:
            raise CommandError(job.message)
