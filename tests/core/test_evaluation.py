"""Tests for quizzes.core.evaluation.

The golden log fixtures/golden/revlog_small.csv has three cards (rows shuffled):

* card 101: Good, Good (+10 min), Good (+3 d), Again (+10 d), Good (+10 min), Good (+2 d)
* card 202: Again, Good (+1 min), Hard (+1 d), Good (+5 d 14.5 h, at 23:30), Easy
  (+1 h, after midnight, so +1 calendar day though less than 24 hours)
* card 303: a single review

so six items (reviews at least one UTC day after the previous one). Expected
predictions come from py-fsrs itself (an independent implementation): we replay each
card with ``fsrs.Scheduler`` and read ``get_card_retrievability`` before each item.
Each review is timed so that py-fsrs's whole 24-hour periods since the previous
review equal the calendar-day difference, except 202's last one; for that item we ask
py-fsrs for R one calendar day later, which is what the calendar-day rule means.
"""

from __future__ import annotations

import io
import math
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler

from quizzes.core.evaluation import (
    DEFAULT_PARAMETERS,
    bin_key,
    build_dataset,
    evaluate,
    evaluate_time_series_splits,
    fit_parameters,
    parse_revlog_csv,
    predict,
    recency_weights,
    score,
)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "fixtures" / "golden" / "revlog_small.csv"
SHARED = Path(
    "/work/shared/data/revlogs/py-fsrs_review_logs_josh_1711744352250_to_1728234780857.csv"
)


def _records():  # type: ignore[no-untyped-def]
    with GOLDEN.open(encoding="utf-8") as handle:
        return parse_revlog_csv(handle)


def _py_fsrs_predictions() -> dict[tuple[int, int], float]:
    """(card_id, review index) -> R predicted by py-fsrs before that review."""
    scheduler = Scheduler(enable_fuzzing=False)
    by_card: dict[int, list[tuple[int, object]]] = {}
    for record in _records():
        by_card.setdefault(record.card_id, []).append((record.rating, record.reviewed_at))
    predictions: dict[tuple[int, int], float] = {}
    for card_id, history in by_card.items():
        history.sort(key=lambda pair: pair[1])  # type: ignore[arg-type,return-value]
        card = Card(card_id=card_id, due=history[0][1])  # type: ignore[arg-type]
        for index, (rating, at) in enumerate(history):
            if card.last_review is not None:
                days = (at.date() - card.last_review.date()).days  # type: ignore[attr-defined]
                if days >= 1:
                    query_time = card.last_review + timedelta(days=days)
                    predictions[(card_id, index)] = scheduler.get_card_retrievability(
                        card, query_time
                    )
            card, _ = scheduler.review_card(card, Rating(rating), at)  # type: ignore[arg-type]
    return predictions


def test_csv_is_parsed_into_utc_records_in_file_order() -> None:
    records = _records()

    assert len(records) == 12
    assert records[0].card_id == 101
    assert records[0].rating == 3
    assert records[0].reviewed_at.isoformat() == "2024-01-01T10:00:00+00:00"
    assert records[0].duration_ms == 8000
    assert records[4].duration_ms is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("card_id,review_rating\n1,3\n", "missing columns: review_time"),
        ("card_id,review_rating,review_time\n1,5,2024-01-01T00:00:00+00:00\n", "rating"),
        ("card_id,review_rating,review_time\n1,3,2024-01-01T00:00:00\n", "timezone-aware"),
    ],
)
def test_bad_csv_is_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_revlog_csv(io.StringIO(text))


def test_items_are_reviews_at_least_one_utc_day_later_sorted_by_time() -> None:
    dataset = build_dataset(_records())

    assert dataset.n_items == 6
    card_of_item = [int(dataset.card_ids[c]) for c in dataset.item_card]
    assert list(zip(card_of_item, dataset.item_step.tolist(), strict=True)) == [
        (202, 2),
        (101, 2),
        (202, 3),
        (202, 4),  # 23:30 -> 00:30 crosses UTC midnight: delta_t = 1
        (101, 3),
        (101, 5),
    ]
    assert dataset.item_label.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0, 1.0]


def test_bins_follow_fsrs_rs_r_matrix_index() -> None:
    # worked by hand: delta_t 1..3 -> 248, 4..13 -> round(2.48*3.62*100) = 898;
    # length 2..3 -> round(1.99*1.89) = 4, 4..6 -> round(1.99*1.89^2) = 7;
    # one lapse -> round(1.65) = 2
    assert bin_key(1, 1, 0) == (248, 4, 0)
    assert bin_key(3, 2, 0) == (248, 4, 0)
    assert bin_key(10, 2, 0) == (898, 4, 0)
    assert bin_key(2, 3, 1) == (248, 7, 2)
    assert bin_key(14, 1, 3) == (3250, 4, 5)
    with pytest.raises(ValueError, match="delta_t"):
        bin_key(0, 1, 0)

    dataset = build_dataset(_records())
    assert dataset.item_bin == (
        (248, 4, 0),
        (248, 4, 0),
        (898, 4, 0),
        (248, 7, 0),
        (898, 4, 0),
        (248, 7, 2),
    )


def test_predictions_match_py_fsrs_replay() -> None:
    dataset = build_dataset(_records())
    expected = _py_fsrs_predictions()

    predictions = predict(dataset, DEFAULT_PARAMETERS)

    keys = [
        (int(dataset.card_ids[c]), int(s))
        for c, s in zip(dataset.item_card, dataset.item_step, strict=True)
    ]
    assert predictions.tolist() == pytest.approx([expected[k] for k in keys], abs=1e-12)
    # and the first item by hand: after Good, Good (same day) S stays w2 = 2.3065,
    # so three days later R = (1 + F * 3 / 2.3065)^-w20
    decay = DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (-1 / decay) - 1
    assert predictions[1] == pytest.approx((1 + factor * 3 / 2.3065) ** -decay, abs=1e-12)


def test_metrics_match_hand_computation() -> None:
    dataset = build_dataset(_records())
    p = predict(dataset, DEFAULT_PARAMETERS).tolist()
    y = [1.0, 1.0, 1.0, 1.0, 0.0, 1.0]
    losses = [-math.log(pi) if yi else -math.log(1 - pi) for pi, yi in zip(p, y, strict=True)]
    # bins: {0,1}, {2,4}, {3}, {5}
    bins = [(0, 1), (2, 4), (3,), (5,)]

    def gap(members: tuple[int, ...]) -> float:
        return sum(p[i] for i in members) / len(members) - sum(y[i] for i in members) / len(members)

    unweighted = evaluate(dataset, recency_weighted=False)
    assert unweighted.n_reviews == 6
    assert unweighted.log_loss == pytest.approx(sum(losses) / 6, abs=1e-12)
    assert unweighted.rmse_bins == pytest.approx(
        math.sqrt(sum(len(b) * gap(b) ** 2 for b in bins) / 6), abs=1e-12
    )

    w = [0.25 + 0.75 * (k / 5) ** 3 for k in range(6)]
    weighted = evaluate(dataset)
    assert weighted.log_loss == pytest.approx(
        sum(wi * li for wi, li in zip(w, losses, strict=True)) / sum(w), abs=1e-12
    )
    assert weighted.rmse_bins == pytest.approx(
        math.sqrt(sum(sum(w[i] for i in b) * gap(b) ** 2 for b in bins) / sum(w)), abs=1e-12
    )


def test_recency_weights_are_fsrs_rs_cubic_ramp() -> None:
    assert recency_weights(5).tolist() == pytest.approx([0.25, 0.261719, 0.34375, 0.566406, 1.0])
    assert recency_weights(1).tolist() == [0.25]


def test_score_rejects_mismatched_inputs() -> None:
    with pytest.raises(ValueError, match="same length"):
        score(np.array([0.5]), np.array([1.0, 0.0]), [(1, 1, 0)])


def test_optimiser_keeps_old_parameters_when_data_is_too_small() -> None:
    dataset = build_dataset(_records())
    initial = tuple(DEFAULT_PARAMETERS[:20]) + (0.2,)

    result = fit_parameters(dataset, initial=initial)

    assert result.fitted is False
    assert result.parameters == initial
    assert result.n_reviews == 6
    assert result.reason == "only 6 qualifying reviews (< 100)"


def test_optimiser_rejects_invalid_starting_parameters() -> None:
    dataset = build_dataset(_records())
    with pytest.raises(ValueError, match="parameters"):
        fit_parameters(dataset, initial=(1.0,) * 21)


def test_time_series_splits_keep_defaults_on_tiny_logs() -> None:
    dataset = build_dataset(_records())

    result = evaluate_time_series_splits(dataset, n_splits=2)

    # segments of 2 items: fold 0 trains on items 0-1, tests 2-3; fold 1 tests 4-5
    assert result.fitted == result.baseline
    assert result.fitted.n_reviews == 4
    assert [fold.n_reviews for fold in result.folds] == [2, 4]
    assert all(not fold.fitted for fold in result.folds)
    with pytest.raises(ValueError, match="need at least"):
        evaluate_time_series_splits(dataset, n_splits=6)


def test_an_empty_log_is_rejected() -> None:
    with pytest.raises(ValueError, match="no reviews"):
        build_dataset([])


@pytest.mark.skipif(not SHARED.exists(), reason="shared review log not available")
def test_shared_log_default_metrics_and_a_short_fit_improves_the_loss() -> None:
    # slow-ish (~5 s): the 12,580-review log from py-fsrs's test suite
    with SHARED.open(encoding="utf-8") as handle:
        dataset = build_dataset(parse_revlog_csv(handle))
    assert dataset.n_items == 6032  # as counted in the data README

    unweighted = evaluate(dataset, recency_weighted=False)
    assert unweighted.log_loss == pytest.approx(0.46666, abs=1e-4)
    assert unweighted.rmse_bins == pytest.approx(0.08549, abs=1e-4)
    weighted = evaluate(dataset)
    assert weighted.log_loss == pytest.approx(0.45392, abs=1e-4)
    assert weighted.rmse_bins == pytest.approx(0.07850, abs=1e-4)

    result = fit_parameters(dataset, max_iterations=25)
    assert result.fitted is True
    assert result.loss_after < result.loss_before - 0.005
    assert evaluate(dataset, result.parameters).log_loss == pytest.approx(result.loss_after)
