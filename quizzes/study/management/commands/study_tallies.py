"""manage.py study_tallies [--rebuild] [--user ID ...]: check or rebuild the review tallies.

Without --rebuild, compares the stored tallies (``quizzes.study.tallies``) with a
recount of the effective review log and exits with status 1 naming the learners
whose tallies differ. With --rebuild, computes them again from the log (for
reviews written around the review path, e.g. by a bulk import).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.study.tallies import tallies_from_log, tallies_rebuild, tallies_stored


class Command(BaseCommand):
    help = "Check the review tallies against the log, or rebuild them from it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--user", type=int, action="append", dest="users")

    def handle(self, *args: Any, rebuild: bool, users: list[int] | None, **options: Any) -> None:
        if rebuild:
            rows = tallies_rebuild(users)
            self.stdout.write(f"{rows} tally rows written")
            return
        stored, expected = tallies_stored(users), tallies_from_log(users)
        differing = sorted({key[0] for key, _ in set(stored.items()) ^ set(expected.items())})
        if differing:
            raise CommandError(
                f"tallies differ from the log for users {differing}; run with --rebuild"
            )
        self.stdout.write(f"{len(stored)} tally rows match the log")
