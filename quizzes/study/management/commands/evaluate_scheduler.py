"""manage.py evaluate_scheduler FILE.csv: how well FSRS predicts recall on a review log.

Prints log loss and RMSE(bins) with the default FSRS-6 parameters and with
parameters fitted out of sample (time-series splits: fit on earlier reviews,
score the next window) under two protocols: fsrs-rs's (its folds, every review a
day or more after the previous one) and srs-benchmark's (local study days, its
outlier filter, scikit-learn's TimeSeriesSplit); plus the in-sample figures for
reference. A thin wrapper around quizzes.core.evaluation; the metric definitions
are documented there.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.core.evaluation import (
    Metrics,
    build_dataset,
    evaluate,
    evaluate_time_series_splits,
    outlier_items,
    parse_revlog_csv,
)
from quizzes.core.scheduling import StudyClock


def _line(label: str, metrics: Metrics) -> str:
    return (
        f"  {label:<34} log loss {metrics.log_loss:.4f}   "
        f"RMSE(bins) {metrics.rmse_bins:.4f}   n={metrics.n_reviews}"
    )


class Command(BaseCommand):
    help = "Print FSRS log loss and RMSE(bins), default and optimised, on a review-log CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV: card_id,review_rating,review_time,...")
        parser.add_argument("--splits", type=int, default=5, help="time-series splits (5)")
        parser.add_argument(
            "--rollover-hours",
            type=int,
            default=0,
            help="hour (UTC) at which a new day starts for the fsrs-rs protocol (0)",
        )
        parser.add_argument(
            "--time-zone",
            default=settings.TIME_ZONE,
            help="IANA zone of the local study day for srs-benchmark's protocol (TIME_ZONE)",
        )
        parser.add_argument(
            "--rollover-hour",
            type=int,
            default=4,
            help="local hour at which a study day starts (4)",
        )
        parser.add_argument(
            "--min-reviews",
            type=int,
            default=100,
            help="fewest training reviews for a full fit (100)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        started = time.perf_counter()
        try:
            clock = StudyClock(options["time_zone"], options["rollover_hour"])
            with path.open(encoding="utf-8-sig") as handle:
                records = parse_revlog_csv(handle)
            dataset = build_dataset(records, rollover_hours=options["rollover_hours"])
            local = build_dataset(records, clock=clock)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        if dataset.n_items < options["splits"] + 1:
            raise CommandError(
                f"{path} has only {dataset.n_items} reviews a day or more after "
                "the previous one; too few to evaluate"
            )
        out = self.stdout
        out.write(
            f"{path.name}: {len(records)} reviews of {len(dataset.card_ids)} cards; "
            f"{dataset.n_items} reviews at least a day after the previous one are scored"
        )
        result = evaluate_time_series_splits(
            dataset, n_splits=options["splits"], min_reviews=options["min_reviews"]
        )
        fitted_folds = sum(1 for fold in result.folds if fold.fitted)
        out.write(
            f"Out of sample, fsrs-rs's protocol ({options['splits']} time-series splits: "
            "fit on the earlier reviews, score the next window):"
        )
        out.write(_line("FSRS-6 default parameters", result.baseline))
        out.write(_line("FSRS-6 optimised parameters", result.fitted))
        out.write(
            f"  ({fitted_folds} of {len(result.folds)} folds fitted; the others kept the defaults)"
        )
        everything = np.arange(local.n_items, dtype=np.int64)
        kept = np.setdiff1d(everything, outlier_items(local, everything))
        benchmark = evaluate_time_series_splits(
            local,
            n_splits=options["splits"],
            min_reviews=options["min_reviews"],
            splitter="sklearn",
            item_indices=kept,
        )
        out.write(
            f"Out of sample, srs-benchmark's protocol (days from {options['rollover_hour']} "
            f"h in {options['time_zone']}, {local.n_items - kept.shape[0]} of "
            f"{local.n_items} reviews dropped by the outlier filter, TimeSeriesSplit):"
        )
        out.write(_line("FSRS-6 default parameters", benchmark.baseline))
        out.write(_line("FSRS-6 optimised parameters", benchmark.fitted))
        out.write("In sample, default parameters (fsrs-rs evaluate, recency-weighted):")
        out.write(_line("FSRS-6 default parameters", evaluate(dataset)))
        out.write(f"Took {time.perf_counter() - started:.1f} s")
