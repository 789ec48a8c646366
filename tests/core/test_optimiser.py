"""The optimiser: pre-training, outlier filter, the held-out check, folds, speed, study days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit

from quizzes.core.evaluation import (
    DEFAULT_PARAMETERS,
    RevlogRecord,
    build_dataset,
    evaluate_time_series_splits,
    fit_parameters,
    optimise_parameters,
    outlier_items,
    parse_revlog_csv,
    pretrain_initial_stability,
    time_series_folds,
)
from quizzes.core.scheduling import StudyClock

SHARED = Path(
    "/work/shared/data/revlogs/py-fsrs_review_logs_josh_1711744352250_to_1728234780857.csv"
)
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _log(cards: list[tuple[int, list[tuple[int, int]]]]) -> list[RevlogRecord]:
    """Records from ``[(first rating, [(days after the previous review, rating), ...])]``."""
    records = []
    for card_id, (first, later) in enumerate(cards, start=1):
        at = T0 + timedelta(minutes=card_id)
        records.append(RevlogRecord(card_id, first, at, None))
        for days, rating in later:
            at += timedelta(days=days)
            records.append(RevlogRecord(card_id, rating, at, None))
    return records


def _forgetting_curve_s(days: float, recall: float, prior: float, count: int) -> float:
    """The S that the pre-training's objective picks, found independently."""
    from scipy.optimize import minimize_scalar

    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1.0 / decay) - 1.0

    def loss(s: float) -> float:
        p = (1.0 + factor * days / s) ** decay
        return count * -(recall * np.log(p) + (1 - recall) * np.log(1 - p)) + abs(s - prior) / 16

    return float(
        minimize_scalar(loss, bounds=(0.001, 100), method="bounded", options={"xatol": 1e-9}).x
    )


def test_pretraining_fits_the_first_again_stability_and_scales_the_others() -> None:
    # 30 cards first rated Again, reviewed 2 days later: 24 recalled (80%), spread in time
    cards = [(1, [(2, 1 if i % 5 == 2 else 3)]) for i in range(30)]
    dataset = build_dataset(_log(cards))
    result = pretrain_initial_stability(dataset, np.arange(dataset.n_items), DEFAULT_PARAMETERS)
    assert result is not None
    stabilities, counts = result
    assert counts == {1: 30}
    # Laplace smoothing towards the overall recall (also 0.8) leaves 0.8
    expected = _forgetting_curve_s(2.0, 0.8, DEFAULT_PARAMETERS[0], 30)
    assert stabilities[0] == pytest.approx(expected, rel=1e-4)
    # the three other ratings keep the defaults' ratios to S(Again)
    scale = expected / DEFAULT_PARAMETERS[0]
    assert stabilities[1:] == pytest.approx(
        [DEFAULT_PARAMETERS[r] * scale for r in (1, 2, 3)], rel=1e-4
    )


def test_pretraining_alone_is_used_below_the_full_fit_threshold() -> None:
    cards = [(1, [(2, 1 if i % 5 == 2 else 3)]) for i in range(30)]
    dataset = build_dataset(_log(cards))
    fit = fit_parameters(dataset, min_reviews=100)
    assert fit.fitted is True
    assert fit.reason == "initial stabilities pre-trained (30 reviews < 100 for a full fit)"
    assert fit.parameters[4:] == tuple(DEFAULT_PARAMETERS[4:])
    assert fit.parameters[0] == pytest.approx(
        _forgetting_curve_s(2.0, 0.8, DEFAULT_PARAMETERS[0], 30), rel=1e-4
    )
    assert fit.loss_after < fit.loss_before


def test_outlier_filter_drops_rare_long_first_gaps_and_the_cards_later_reviews() -> None:
    # 25 cards first seen again after 1 day, one after 50 days, one after 200 days;
    # each has one more review after that
    cards = [(3, [(1, 3), (3, 3)]) for _ in range(25)]
    cards += [(3, [(50, 3), (3, 3)]), (3, [(200, 3), (3, 3)])]
    dataset = build_dataset(_log(cards))
    dropped = outlier_items(dataset, np.arange(dataset.n_items))
    dropped_cards = sorted(set(dataset.card_ids[dataset.item_card[dropped]].tolist()))
    assert dropped_cards == [26, 27]
    assert dropped.shape[0] == 4  # both reviews of each of the two cards


def test_a_fit_that_loses_on_the_latest_reviews_is_not_adopted() -> None:
    # early cards are always recalled; in the latest fifth everything is forgotten
    cards = [(3, [(1, 3), (3, 3), (7, 3)]) for _ in range(80)]
    cards += [(3, [(1, 1), (1, 1), (1, 1)]) for _ in range(20)]
    records = _log(cards)
    # make the forgotten cards the most recent ones
    late = T0 + timedelta(days=60)
    records = [
        r if r.card_id <= 80 else RevlogRecord(r.card_id, r.rating, r.reviewed_at - T0 + late, None)
        for r in records
    ]
    dataset = build_dataset(records)

    result = optimise_parameters(dataset, min_reviews=50)

    assert result.fitted is False
    assert result.parameters == tuple(DEFAULT_PARAMETERS)
    assert result.reason.startswith(
        "the fit did not beat the current parameters on the latest 60 reviews (log loss "
    )


@pytest.mark.skipif(not SHARED.exists(), reason="shared review log not available")
def test_a_fit_that_wins_on_the_latest_reviews_is_adopted_and_refitted_on_all() -> None:
    # the first 1,000 reviews of the shared log, in local days
    with SHARED.open(encoding="utf-8") as handle:
        records = sorted(parse_revlog_csv(handle), key=lambda r: r.reviewed_at)[:1000]
    dataset = build_dataset(records, clock=StudyClock("America/New_York", 4))
    assert dataset.n_items == 292
    result = optimise_parameters(dataset)
    assert result.fitted is True
    assert "beat the current parameters on the latest 59 reviews (log loss 0.6798 < 0.7961)" in (
        result.reason
    )
    assert result.n_reviews == 292
    # what is adopted is refitted on every review, not the candidate fitted without
    # the latest 59
    candidate = fit_parameters(dataset, item_indices=np.arange(292 - 59))
    assert candidate.fitted is True
    assert result.parameters != candidate.parameters


@pytest.mark.parametrize("n", [13, 40])
def test_sklearn_folds_are_time_series_split(n: int) -> None:
    folds = time_series_folds(n, 3, "sklearn")
    expected = list(TimeSeriesSplit(n_splits=3).split(np.zeros(n)))
    assert [(list(a), list(b)) for a, b in folds] == [(list(a), list(b)) for a, b in expected]


def test_fsrs_rs_folds_are_equal_segments_with_the_remainder_last() -> None:
    folds = time_series_folds(13, 3, "fsrs-rs")
    assert [(len(train), list(test)) for train, test in folds] == [
        (3, [3, 4, 5]),
        (6, [6, 7, 8]),
        (9, [9, 10, 11, 12]),
    ]
    with pytest.raises(ValueError, match="unknown splitter"):
        time_series_folds(13, 3, "random")


@pytest.mark.skipif(not SHARED.exists(), reason="shared review log not available")
def test_study_days_and_the_srs_benchmark_filter_on_the_shared_log() -> None:
    with SHARED.open(encoding="utf-8") as handle:
        records = parse_revlog_csv(handle)
    local = build_dataset(records, clock=StudyClock("America/New_York", 4))
    assert local.n_items == 6372
    assert build_dataset(records, clock=StudyClock("UTC", 4)).n_items == 6276
    everything = np.arange(local.n_items)
    assert local.n_items - outlier_items(local, everything).shape[0] == KEPT_AFTER_FILTER


KEPT_AFTER_FILTER = 6027


@pytest.mark.skipif(not SHARED.exists(), reason="shared review log not available")
def test_a_full_fit_of_the_shared_log_beats_the_defaults() -> None:
    with SHARED.open(encoding="utf-8") as handle:
        dataset = build_dataset(parse_revlog_csv(handle))
    fit = fit_parameters(dataset)
    assert fit.fitted is True
    assert fit.loss_after < 0.4425


def test_sequential_folds_start_from_the_previous_folds_parameters() -> None:
    cards = [(1, [(2, 3 if i % 5 else 1), (4, 3)]) for i in range(60)]
    dataset = build_dataset(_log(cards))
    seen: list[tuple[float, ...]] = []

    def fitter(data, train, start):  # type: ignore[no-untyped-def]
        seen.append(start)
        return fit_parameters(data, initial=start, item_indices=train, min_reviews=1000)

    result = evaluate_time_series_splits(dataset, n_splits=2, fitter=fitter, sequential=True)
    assert seen[0] == tuple(DEFAULT_PARAMETERS)
    assert seen[1] == result.folds[0].parameters
