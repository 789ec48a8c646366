"""Import source texts: the curated fixtures by default, or the files named.

    manage.py import_sources                         # fixtures/sources/manifest.json
    manage.py import_sources notes.txt chapter.md    # plain files (title from the text)
    manage.py import_sources other/manifest.json     # a manifest of files with metadata

Idempotent: unchanged texts change nothing; a changed text keeps the passages
that did not change and adds new versions of those that did.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quizzes.content.services import source_import
from studyapp.errors import ApplicationError

DEFAULT_MANIFEST = Path(settings.BASE_DIR) / "fixtures" / "sources" / "manifest.json"


def _entries(paths: list[str]) -> list[dict[str, Any]]:
    if not paths:
        paths = [str(DEFAULT_MANIFEST)]
    entries: list[dict[str, Any]] = []
    for name in paths:
        path = Path(name).resolve()
        if not path.exists():
            raise CommandError(f"{name}: no such file")
        if path.suffix == ".json":
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise CommandError(f"{name}: not a JSON manifest ({exc})") from exc
            for item in manifest:
                entries.append({**item, "path": path.parent / item["file"]})
        else:
            entries.append({"path": path})
    return entries


def _key(path: Path) -> str:
    base = Path(settings.BASE_DIR).resolve()
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


class Command(BaseCommand):
    help = "Import source texts into decks and passages (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="text files or JSON manifests")

    def handle(self, *args: Any, paths: list[str], **options: Any) -> None:
        entries = _entries(paths)
        bar = tqdm(
            entries,
            desc="Importing",
            unit="source",
            file=self.stderr._out,
            disable=options.get("verbosity", 1) == 0,
        )
        summary: list[str] = []
        for entry in bar:
            path: Path = entry["path"]
            bar.set_postfix_str(path.name)
            try:
                raw = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not UTF-8 text") from exc
            try:
                result = source_import(
                    raw=raw,
                    title=entry.get("title", ""),
                    author=entry.get("author", ""),
                    import_key=_key(path),
                    kind=entry.get("kind", ""),
                    origin=entry.get("origin", ""),
                    licence_note=entry.get("licence_note", ""),
                )
            except ApplicationError as exc:
                raise CommandError(f"{path}: {exc.message}") from exc
            source = result.source
            if not result.changed:
                state = "unchanged"
            elif result.created:
                state = "created"
            else:
                state = "updated"
            report = source.report
            summary.append(
                f"{state:9} {source.title[:60]:60} decks={source.decks.count():3} "
                f"+{result.passages_added} -{result.passages_retired} ={result.passages_kept} "
                f"words kept {report.get('words_kept', 0)}/{report.get('words_in', 0)}"
            )
        for line in summary:
            self.stdout.write(line)
