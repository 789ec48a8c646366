#!/usr/bin/env python
"""Print FSRS-6 log loss and RMSE(bins) for a review-log CSV, default vs optimised.

Usage: python scripts/evaluate_scheduler_core.py PATH.csv [--rollover-hours N] [--splits K]

Plain Python (no Django). Metric definitions are in quizzes/core/evaluation.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.evaluation import (
    Metrics,
    build_dataset,
    evaluate,
    evaluate_time_series_splits,
    fit_parameters,
    parse_revlog_csv,
)


def _line(label: str, metrics: Metrics) -> str:
    return (
        f"  {label:<44} log loss {metrics.log_loss:.4f}   RMSE(bins) {metrics.rmse_bins:.4f}"
        f"   n={metrics.n_reviews}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rollover-hours", type=int, default=0, help="day boundary, UTC hours")
    parser.add_argument("--splits", type=int, default=5, help="time-series splits")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with args.path.open(encoding="utf-8") as handle:
        records = parse_revlog_csv(handle)
    dataset = build_dataset(records, rollover_hours=args.rollover_hours)
    loaded = time.perf_counter()
    print(
        f"{args.path.name}: {len(records)} reviews, {len(dataset.card_ids)} cards, "
        f"{dataset.n_items} items (>= 1 day after the previous review); "
        f"loaded in {loaded - started:.2f} s"
    )

    print("In sample (all items):")
    print(_line("default, recency-weighted (fsrs-rs evaluate)", evaluate(dataset)))
    print(_line("default, unweighted", evaluate(dataset, recency_weighted=False)))
    fit_started = time.perf_counter()
    fit = fit_parameters(dataset)
    fit_seconds = time.perf_counter() - fit_started
    print(_line("optimised, recency-weighted", evaluate(dataset, fit.parameters)))
    print(_line("optimised, unweighted", evaluate(dataset, fit.parameters, recency_weighted=False)))
    print(
        f"  fit: {fit.reason}; {fit.iterations} iterations, {fit_seconds:.1f} s; "
        f"training loss {fit.loss_before:.4f} -> {fit.loss_after:.4f}"
    )
    print("  parameters: " + ", ".join(f"{p:.4f}" for p in fit.parameters))

    split_started = time.perf_counter()
    result = evaluate_time_series_splits(dataset, n_splits=args.splits)
    split_seconds = time.perf_counter() - split_started
    print(f"Out of sample ({args.splits} time-series splits, unweighted):")
    print(_line("default parameters", result.baseline))
    print(_line("optimised per fold", result.fitted))
    for index, fold in enumerate(result.folds):
        print(
            f"  fold {index}: trained on {fold.n_reviews} items, fitted={fold.fitted}, "
            f"{fold.iterations} iterations, training loss "
            f"{fold.loss_before:.4f} -> {fold.loss_after:.4f}"
        )
    print(f"  splits took {split_seconds:.1f} s")
    print(f"Total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
