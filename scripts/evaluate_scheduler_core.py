#!/usr/bin/env python
"""FSRS-6 log loss and RMSE(bins) on a review-log CSV, per evaluation protocol.

Usage: python scripts/evaluate_scheduler_core.py PATH.csv [--time-zone ZONE]
       [--rollover-hour H] [--splits K] [--first N] [--no-fsrs-rs]

Protocols (all out of sample, over time-series folds):

* ``fsrs-rs, UTC days``: days are UTC dates; fsrs-rs's ``evaluate_with_time_series_splits``
  folds (``K + 1`` equal segments); every review a day or more after the previous one.
* ``fsrs-rs, local days``: the same with study days in ``--time-zone`` from
  ``--rollover-hour`` (Anki's day).
* ``srs-benchmark``: local days, srs-benchmark's outlier filter (fsrs-rs's rule on
  the first long-term reviews, and every later review of a dropped card), and
  scikit-learn's ``TimeSeriesSplit(K)``.

Rows: FSRS-6 defaults; fsrs-rs-python's ``compute_parameters`` fitted on each fold's
training reviews (skip with --no-fsrs-rs); this project's optimiser as a learner's
optimisation runs it (pre-training, fit, adopted only when it beats the current
parameters on the latest fifth of the training reviews); the plain fit without
that check. ``--first N`` keeps only the first N reviews of the log (cold start).
Plain Python (no Django). Metric definitions are in quizzes/core/evaluation.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.evaluation import (
    DEFAULT_PARAMETERS,
    FitResult,
    IntArray,
    Metrics,
    ReviewDataset,
    build_dataset,
    evaluate_time_series_splits,
    fit_parameters,
    optimise_parameters,
    outlier_items,
    parse_revlog_csv,
)
from quizzes.core.scheduling import StudyClock


def fsrs_rs_fitter(dataset: ReviewDataset, train: IntArray, start: tuple[float, ...]) -> FitResult:
    """fsrs-rs-python's optimiser on the training items (its own filter and pre-training)."""
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

    items = []
    for index in train.tolist():
        card, step = int(dataset.item_card[index]), int(dataset.item_step[index])
        items.append(
            FSRSItem(
                [
                    FSRSReview(int(dataset.ratings[card, j]), int(dataset.delta_t[card, j]))
                    for j in range(step + 1)
                ]
            )
        )
    parameters = tuple(float(p) for p in FSRS(list(start)).compute_parameters(items))
    return FitResult(parameters, True, "fsrs-rs", len(items), float("nan"), float("nan"), 0)


def _cell(metrics: Metrics) -> str:
    return f"{metrics.log_loss:.4f} / {metrics.rmse_bins:.4f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--time-zone",
        default="America/New_York",
        help="IANA zone of the local study day (default America/New_York)",
    )
    parser.add_argument("--rollover-hour", type=int, default=4, help="local day starts (4)")
    parser.add_argument("--splits", type=int, default=5, help="time-series splits (5)")
    parser.add_argument("--first", type=int, default=0, help="keep only the first N reviews")
    parser.add_argument("--no-fsrs-rs", action="store_true", help="skip the fsrs-rs rows")
    args = parser.parse_args(argv)

    with args.path.open(encoding="utf-8") as handle:
        records = parse_revlog_csv(handle)
    records.sort(key=lambda record: record.reviewed_at)
    if args.first:
        records = records[: args.first]
    clock = StudyClock(args.time_zone, args.rollover_hour)
    utc = build_dataset(records)
    local = build_dataset(records, clock=clock)
    everything = np.arange(local.n_items, dtype=np.int64)
    kept = np.setdiff1d(everything, outlier_items(local, everything))
    protocols = [
        ("fsrs-rs split, UTC days", utc, None, "fsrs-rs"),
        (
            f"fsrs-rs split, local days ({args.time_zone}, {args.rollover_hour} h)",
            local,
            None,
            "fsrs-rs",
        ),
        ("srs-benchmark (local days, outlier filter, TimeSeriesSplit)", local, kept, "sklearn"),
    ]
    print(
        f"{args.path.name}: {len(records)} reviews, {len(local.card_ids)} cards; "
        f"items: {utc.n_items} (UTC days), {local.n_items} (local days), "
        f"{kept.shape[0]} after the outlier filter"
    )

    def ours(dataset: ReviewDataset, train: IntArray, start: tuple[float, ...]) -> FitResult:
        return optimise_parameters(dataset, current=start, item_indices=train)

    def plain(dataset: ReviewDataset, train: IntArray, start: tuple[float, ...]) -> FitResult:
        return fit_parameters(dataset, initial=start, item_indices=train)

    fitters = [
        ("this optimiser (adopt only if it beats the current)", ours),
        ("this optimiser, plain fit (no check)", plain),
    ]
    if not args.no_fsrs_rs:
        fitters.insert(0, ("fsrs-rs-python 0.9.3 compute_parameters", fsrs_rs_fitter))
    print("\nLog loss / RMSE(bins), out of sample; CPU seconds for all folds' fits\n")
    print(f"| protocol | n | FSRS-6 defaults | {' | '.join(name for name, _ in fitters)} |")
    print("|---" * (3 + len(fitters)) + "|")
    for label, dataset, universe, splitter in protocols:
        cells: list[str] = []
        baseline: Metrics | None = None
        for _, fitter in fitters:
            started = time.process_time()
            result = evaluate_time_series_splits(
                dataset,
                n_splits=args.splits,
                splitter=splitter,
                item_indices=universe,
                fitter=fitter,
            )
            seconds = time.process_time() - started
            baseline = result.baseline
            adopted = sum(fold.fitted for fold in result.folds)
            cells.append(
                f"{_cell(result.fitted)} ({seconds:.1f} s, {adopted}/{args.splits} folds fitted)"
            )
        assert baseline is not None
        print(f"| {label} | {baseline.n_reviews} | {_cell(baseline)} | {' | '.join(cells)} |")

    print("\nFull fit of the whole log (local days), CPU seconds:")
    for name, run in [
        ("fit_parameters", lambda: fit_parameters(local)),
        ("optimise_parameters (fit, check, refit)", lambda: optimise_parameters(local)),
    ]:
        started = time.process_time()
        wall = time.perf_counter()
        fit = run()
        print(
            f"  {name}: {time.process_time() - started:.2f} s CPU "
            f"({time.perf_counter() - wall:.2f} s wall); {fit.reason}"
        )
    if not args.no_fsrs_rs:
        started = time.process_time()
        fsrs_rs_fitter(local, everything, tuple(DEFAULT_PARAMETERS))
        print(f"  fsrs-rs compute_parameters: {time.process_time() - started:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
