"""manage.py evaluate_scheduler FILE.csv: how well FSRS predicts recall on a review log.

Prints log loss and RMSE(bins) with the default FSRS-6 parameters and with
parameters fitted out of sample (time-series splits: fit on earlier reviews,
score the next window), plus the in-sample figures for reference. A thin wrapper
around quizzes.core.evaluation; the metric definitions are documented there.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.core.evaluation import (
    Metrics,
    build_dataset,
    evaluate,
    evaluate_time_series_splits,
    parse_revlog_csv,
)


def _line(label: str, metrics: Metrics) -> str:
    return (f"  {label:<34} log loss {metrics.log_loss:.4f}   "
            f"RMSE(bins) {metrics.rmse_bins:.4f}   n={metrics.n_reviews}")


class Command(BaseCommand):
    help = "Print FSRS log loss and RMSE(bins), default and optimised, on a review-log CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV: card_id,review_rating,review_time,...")
        parser.add_argument("--splits", type=int, default=5, help="time-series splits (5)")
        parser.add_argument("--rollover-hours", type=int, default=0,
                            help="hour (UTC) at which a new day starts (0)")
        parser.add_argument("--min-reviews", type=int, default=400,
                            help="fewest training reviews for a fit (400)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        started = time.perf_counter()
        try:
            with path.open(encoding="utf-8-sig") as handle:
                records = parse_revlog_csv(handle)
            dataset = build_dataset(records, rollover_hours=options["rollover_hours"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        if dataset.n_items < options["splits"] + 1:
            raise CommandError(f"{path} has only {dataset.n_items} reviews a day or more after "
                               "the previous one; too few to evaluate")
        out = self.stdout
        out.write(f"{path.name}: {len(records)} reviews of {len(dataset.card_ids)} cards; "
                  f"{dataset.n_items} reviews at least a day after the previous one are scored")
        result = evaluate_time_series_splits(dataset, n_splits=options["splits"],
                                             min_reviews=options["min_reviews"])
        fitted_folds = sum(1 for fold in result.folds if fold.fitted)
        out.write(f"Out of sample ({options['splits']} time-series splits: fit on the earlier "
                  "reviews, score the next window):")
        out.write(_line("FSRS-6 default parameters", result.baseline))
        out.write(_line("FSRS-6 optimised parameters", result.fitted))
        out.write(f"  ({fitted_folds} of {len(result.folds)} folds fitted; the others kept "
                  "the defaults)")
        out.write("In sample, default parameters (fsrs-rs evaluate, recency-weighted):")
        out.write(_line("FSRS-6 default parameters", evaluate(dataset)))
        out.write(f"Took {time.perf_counter() - started:.1f} s")
