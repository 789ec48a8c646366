"""Tests for quizzes.core.scheduling (pure, no database).

Known values with FSRS-6 default parameters, desired retention 0.9, learning steps
(1 min, 10 min), relearning step 10 min, fuzz off:

* new card: Again -> 60 s (step 0), Hard -> 330 s (mean of the first two steps),
  Good -> 600 s (step 1), Easy -> 8 days (initial stability w3 = 8.2956, and at
  R = 0.9 the interval equals the stability, rounded to whole days).
* the first Good sets stability w2 = 2.3065 and difficulty w4 - e^(2 w5) + 1 clamped.
"""

from __future__ import annotations

import dataclasses
import math
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.core.scheduling import (
    DEFAULT_PARAMETERS,
    CardSnapshot,
    CardState,
    SchedulerSettings,
    is_leech_event,
    preview_intervals,
    replay,
    retrievability,
    review,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NO_FUZZ = SchedulerSettings(enable_fuzzing=False)
DEFAULT = SchedulerSettings()


def _graduated_card(*, card_key: int = 7, settings_: SchedulerSettings = NO_FUZZ) -> CardSnapshot:
    first = review(CardSnapshot(), 3, now=NOW, settings=settings_, card_key=card_key)
    second = review(
        first.snapshot, 3, now=NOW + timedelta(minutes=10), settings=settings_, card_key=card_key
    )
    return second.snapshot


def test_new_card_button_intervals_match_fsrs6_defaults() -> None:
    # given a new card and default settings without fuzz
    # when we preview the four buttons
    intervals = preview_intervals(CardSnapshot(), now=NOW, settings=NO_FUZZ, card_key=1)
    # then they are the learning steps and the Easy initial stability (8 days)
    assert intervals == {1: 60, 2: 330, 3: 600, 4: 8 * 86400}


def test_first_good_review_enters_learning_step_one_due_in_ten_minutes() -> None:
    outcome = review(CardSnapshot(), 3, now=NOW, settings=NO_FUZZ, card_key=1)

    # written as py-fsrs computes it (math.e ** x, not math.exp) so floats match exactly
    expected_difficulty = DEFAULT_PARAMETERS[4] - (math.e ** (DEFAULT_PARAMETERS[5] * 2)) + 1
    assert outcome.snapshot == CardSnapshot(
        state=CardState.LEARNING,
        step=1,
        stability=DEFAULT_PARAMETERS[2],
        difficulty=expected_difficulty,
        due=NOW + timedelta(minutes=10),
        last_review=NOW,
        reps=1,
        lapses=0,
        suspended=False,
    )
    assert outcome.log.state_before is CardState.NEW
    assert outcome.log.state_after is CardState.LEARNING
    assert outcome.log.elapsed_days is None
    assert outcome.log.scheduled_seconds == 600
    assert outcome.log.retrievability_before == 0.0
    assert outcome.leech is False


def test_review_matches_py_fsrs_step_by_step_without_fuzz() -> None:
    # given the same ratings fed to py-fsrs directly and to our wrapper
    ratings_and_offsets = [
        (3, timedelta(0)),
        (3, timedelta(minutes=10)),
        (3, timedelta(days=3)),
        (1, timedelta(days=12)),
        (3, timedelta(days=12, minutes=10)),
        (2, timedelta(days=15)),
        (4, timedelta(days=30)),
    ]
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=5, due=NOW)
    snapshot = CardSnapshot()
    for rating, offset in ratings_and_offsets:
        at = NOW + offset
        card, _ = scheduler.review_card(card, Rating(rating), at)
        snapshot = review(snapshot, rating, now=at, settings=NO_FUZZ, card_key=5).snapshot
        # then every intermediate state is identical
        assert snapshot.stability == card.stability
        assert snapshot.difficulty == card.difficulty
        assert snapshot.due == card.due
        assert snapshot.step == card.step
    assert snapshot.reps == 7
    assert snapshot.lapses == 1


def test_review_log_records_elapsed_days_and_retrievability() -> None:
    card = _graduated_card()
    at = NOW + timedelta(days=3, hours=1)
    outcome = review(card, 3, now=at, settings=NO_FUZZ, card_key=7)

    assert outcome.log.elapsed_days == 3
    assert outcome.log.state_before is CardState.REVIEW
    assert outcome.log.retrievability_before == pytest.approx(
        retrievability(card, now=at, settings=NO_FUZZ)
    )
    assert outcome.log.stability_before == card.stability


def test_fuzz_is_deterministic_per_card_and_repetition() -> None:
    card = _graduated_card(settings_=DEFAULT)
    at = NOW + timedelta(days=3)

    first = review(card, 3, now=at, settings=DEFAULT, card_key=7)
    again = review(card, 3, now=at, settings=DEFAULT, card_key=7)

    assert first.snapshot.due == again.snapshot.due
    assert first == again


def test_fuzz_differs_between_cards_and_stays_within_py_fsrs_range() -> None:
    card = _graduated_card(settings_=NO_FUZZ)
    at = NOW + timedelta(days=20)
    unfuzzed = review(card, 4, now=at, settings=NO_FUZZ, card_key=1).log.scheduled_seconds
    assert unfuzzed == 58 * 86400

    fuzzed_days = {
        review(card, 4, now=at, settings=DEFAULT, card_key=key).log.scheduled_seconds // 86400
        for key in range(40)
    }
    # py-fsrs's fuzz range for 58 days: delta = 1 + 0.15*4.5 + 0.1*13 + 0.05*38 = 4.875,
    # so [round(53.125), round(62.875)] = [53, 63]
    assert len(fuzzed_days) > 5
    assert min(fuzzed_days) >= 53
    assert max(fuzzed_days) <= 63


def test_review_does_not_touch_the_global_random_state() -> None:
    card = _graduated_card(settings_=DEFAULT)
    random.seed(1234)
    state_before = random.getstate()

    for key in range(20):
        review(card, 3, now=NOW + timedelta(days=5), settings=DEFAULT, card_key=key)
    preview_intervals(card, now=NOW + timedelta(days=5), settings=DEFAULT, card_key=3)

    assert random.getstate() == state_before


def test_preview_equals_what_review_schedules() -> None:
    card = _graduated_card(settings_=DEFAULT)
    at = NOW + timedelta(days=4)

    preview = preview_intervals(card, now=at, settings=DEFAULT, card_key=7)

    for rating, seconds in preview.items():
        outcome = review(card, rating, now=at, settings=DEFAULT, card_key=7)
        assert outcome.snapshot.due == at + timedelta(seconds=seconds)


def test_card_is_suspended_as_a_leech_at_eight_lapses() -> None:
    # given a review card that lapses over and over
    snapshot = _graduated_card()
    at = NOW
    leech_lapses = []
    for _ in range(12):
        at = at + timedelta(days=2)
        outcome = review(snapshot, 1, now=at, settings=NO_FUZZ, card_key=7)  # lapse
        if outcome.leech:
            leech_lapses.append(outcome.snapshot.lapses)
        snapshot = outcome.snapshot
        if snapshot.lapses == 7:
            assert snapshot.suspended is False
        at = at + timedelta(minutes=10)
        snapshot = review(snapshot, 3, now=at, settings=NO_FUZZ, card_key=7).snapshot  # relearn

    # then it became a leech at 8 lapses and again at 12 (Anki: every half threshold)
    assert leech_lapses == [8, 12]
    assert snapshot.lapses == 12
    assert snapshot.suspended is True


@pytest.mark.parametrize(
    ("lapses", "threshold", "expected"),
    [
        (7, 8, False),
        (8, 8, True),
        (9, 8, False),
        (12, 8, True),
        (16, 8, True),
        (3, 3, True),
        (4, 3, False),
        (5, 3, True),
        (5, 5, True),
        (6, 5, False),
        (7, 5, False),
        (8, 5, True),
        (10, 5, False),
        (11, 5, True),
        (1, 1, True),
        (2, 1, True),
    ],
)
def test_leech_rule_follows_anki(lapses: int, threshold: int, expected: bool) -> None:
    assert is_leech_event(lapses, threshold) is expected


def test_again_during_learning_is_not_a_lapse() -> None:
    outcome = review(CardSnapshot(), 1, now=NOW, settings=NO_FUZZ, card_key=1)
    assert outcome.snapshot.lapses == 0
    assert outcome.log.lapse is False


def test_other_utc_tzinfo_and_offsets_are_normalised() -> None:
    # given the same instant expressed three ways
    zoneinfo_utc = NOW.astimezone(ZoneInfo("UTC"))
    paris = NOW.astimezone(ZoneInfo("Europe/Paris"))
    plus_two = NOW.astimezone(timezone(timedelta(hours=2)))

    results = [
        review(CardSnapshot(), 3, now=at, settings=NO_FUZZ, card_key=1)
        for at in (NOW, zoneinfo_utc, paris, plus_two)
    ]

    # then the outcomes are identical and stored in datetime.timezone.utc
    assert all(result == results[0] for result in results)
    assert results[0].snapshot.due is not None
    assert results[0].snapshot.due.tzinfo is UTC
    assert results[0].log.reviewed_at.tzinfo is UTC


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        review(CardSnapshot(), 3, now=datetime(2026, 1, 5, 9, 0), settings=NO_FUZZ, card_key=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        CardSnapshot(due=datetime(2026, 1, 5))
    with pytest.raises(ValueError, match="timezone-aware"):
        retrievability(_graduated_card(), now=datetime(2026, 1, 9), settings=NO_FUZZ)


@pytest.mark.parametrize("rating", [0, 5, -1, True, 3.0, "3"])
def test_rating_outside_one_to_four_is_rejected(rating: object) -> None:
    with pytest.raises(ValueError, match="rating"):
        review(CardSnapshot(), rating, now=NOW, settings=NO_FUZZ, card_key=1)  # type: ignore[arg-type]


def test_review_before_last_review_is_rejected() -> None:
    card = _graduated_card()
    with pytest.raises(ValueError, match="before the last review"):
        review(card, 3, now=NOW - timedelta(days=1), settings=NO_FUZZ, card_key=7)


def test_input_snapshot_is_not_changed() -> None:
    card = _graduated_card()
    copy = dataclasses.replace(card)
    review(card, 1, now=NOW + timedelta(days=2), settings=NO_FUZZ, card_key=7)
    assert card == copy


def test_retrievability_follows_the_fsrs6_forgetting_curve() -> None:
    card = _graduated_card()
    assert card.stability is not None
    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1

    value = retrievability(card, now=NOW + timedelta(days=3, minutes=20), settings=NO_FUZZ)

    assert value == pytest.approx((1 + factor * 3 / card.stability) ** decay)
    assert retrievability(CardSnapshot(), now=NOW, settings=NO_FUZZ) == 0.0


def test_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="parameters"):
        SchedulerSettings(parameters=(0.1,) * 20)
    with pytest.raises(ValueError, match=r"parameters\[4\]"):
        SchedulerSettings(parameters=(*DEFAULT_PARAMETERS[:4], 50.0, *DEFAULT_PARAMETERS[5:]))
    with pytest.raises(ValueError, match="desired_retention"):
        SchedulerSettings(desired_retention=1.0)


def test_replay_sorts_an_out_of_order_log() -> None:
    log = [
        (3, NOW + timedelta(days=3)),
        (3, NOW),
        (1, NOW + timedelta(days=9)),
        (3, NOW + timedelta(minutes=10)),
    ]
    expected = CardSnapshot()
    for rating, at in sorted(log, key=lambda pair: pair[1]):
        expected = review(expected, rating, now=at, settings=DEFAULT, card_key=3).snapshot

    assert replay(log, settings=DEFAULT, card_key=3) == expected
    assert replay([], settings=DEFAULT, card_key=3) == CardSnapshot()


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=4),
            st.integers(min_value=1, max_value=40 * 86400),
        ),
        min_size=1,
        max_size=25,
    ),
    card_key=st.integers(min_value=0, max_value=2**62),
    fuzz=st.booleans(),
)
def test_replay_equals_sequential_review(
    steps: list[tuple[int, int]], card_key: int, fuzz: bool
) -> None:
    config = SchedulerSettings(enable_fuzzing=fuzz)
    at = NOW
    log: list[tuple[int, datetime]] = []
    sequential = CardSnapshot()
    for rating, gap_seconds in steps:
        at = at + timedelta(seconds=gap_seconds)
        log.append((rating, at))
        sequential = review(sequential, rating, now=at, settings=config, card_key=card_key).snapshot

    # strictly increasing times, so any input order replays to the same result
    shuffled = list(reversed(log))
    assert replay(shuffled, settings=config, card_key=card_key) == sequential
    assert sequential.reps == len(steps)


def test_core_modules_import_without_django() -> None:
    # the core must stay importable (and pure) without Django or DRF loaded
    code = (
        "import sys\n"
        "import quizzes.core.scheduling, quizzes.core.evaluation, quizzes.core.grading\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'django', 'rest_framework'})\n"
        "print(','.join(loaded))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
