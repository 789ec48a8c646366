"""Refit the question ranker from judged labels and store it as JSON (no pickles).

    manage.py qgen_fit_ranker                       # fixtures/qgen_labels.jsonl, target 0.8
    manage.py qgen_fit_ranker --target 0.9 --dry-run

Each line of the labels file is one judged item: its ``features`` (as the generator
computed them), ``group`` (its passage), and ``verdicts`` (one ACCEPT/REJECT per blind
judge). Every judgement is a training row, so the score estimates the probability that
a judge accepts the item. Only items the current generator may serve are used
(``--all-rules`` to use every one). Each judgement is scored once by a model fitted on
the other passages (five folds by passage); those held-out scores choose the approve
threshold (the lowest score at which held-out precision reaches ``--target``) and give
the reported precision and AUC. The stored model is then refitted on every judgement.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.core.generation import ranking
from quizzes.core.generation.pipeline import NEVER_SERVED, SELF_ANCHORED, anchored

DEFAULT_LABELS = Path(settings.BASE_DIR) / "fixtures" / "qgen_labels.jsonl"


def servable_row(item: dict) -> bool:
    """Whether the current generator could serve the labelled item (its rule and prompt
    pass ``pipeline.servable``): the ranker is fitted on what it will have to rank."""
    rule = item.get("rule") or item.get("features", {}).get("rule", "")
    if rule in NEVER_SERVED:
        return False
    return rule in SELF_ANCHORED or anchored(item.get("prompt", ""))


def judged_rows(path: Path, *, servable_only: bool = True) -> list[dict]:
    """One training row per judgement of the labels file (only items the generator
    may serve, unless ``servable_only`` is false)."""
    rows: list[dict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            features, group = dict(item["features"]), item["group"]
            # text features are recomputed from the item as the judges saw it
            features.update(
                prompt=item["prompt"], answer=item["answer"], evidence=item.get("evidence", "")
            )
            verdicts = item["verdicts"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}:{number}: not a labelled item ({exc})") from exc
        for verdict in verdicts:
            if verdict not in {"ACCEPT", "REJECT"}:
                raise CommandError(f"{path}:{number}: verdict {verdict!r} is not ACCEPT/REJECT")
        if servable_only and not servable_row(item):
            continue
        for verdict in verdicts:
            rows.append(
                {"features": features, "group": group, "label": 1 if verdict == "ACCEPT" else 0}
            )
    return rows


class Command(BaseCommand):
    help = "Refit the question ranker (logistic regression) from judged labels."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
        parser.add_argument(
            "--target",
            type=float,
            default=0.8,
            help="held-out precision the approve threshold must reach",
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
        parser.add_argument("--out", type=Path, default=ranking.MODEL_PATH)
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--all-rules",
            action="store_true",
            help="fit on every labelled item, also those the generator never serves",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["labels"]
        if not path.exists():
            raise CommandError(f"{path}: no such labels file.")
        rows = judged_rows(path, servable_only=not options["all_rules"])
        if len({r["label"] for r in rows}) < 2:
            raise CommandError("The labels need both accepted and rejected items.")
        model, report = ranking.fit(rows, target=options["target"], seed=options["seed"])
        for name, value in report.items():
            self.stdout.write(f"{name:34} {value}")
        if options["dry_run"]:
            return
        options["out"].write_text(
            json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        ranking.model.cache_clear()
        self.stdout.write(f"wrote {options['out']}")
