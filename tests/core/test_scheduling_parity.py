"""Anki parity of the core scheduler: leech rule and action, study days, unsuspend events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from quizzes.core.scheduling import (
    CardEvent,
    CardSnapshot,
    CardState,
    SchedulerSettings,
    StudyClock,
    replay,
    replay_history,
    retrievability,
    review,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _lapse_cycle(snapshot: CardSnapshot, at: datetime, settings: SchedulerSettings):
    """Bring a card to the review state if needed, then forget it once (one lapse)."""
    outcomes = []
    while snapshot.state is not CardState.REVIEW:
        outcome = review(snapshot, 3, now=at, settings=settings, card_key=3)
        snapshot, at = outcome.snapshot, at + timedelta(days=1)
    outcome = review(snapshot, 1, now=at, settings=settings, card_key=3)
    outcomes.append(outcome)
    return outcome, at + timedelta(days=1)


def _leech_lapses(settings: SchedulerSettings, lapses: int) -> tuple[list[int], CardSnapshot]:
    snapshot, at = CardSnapshot(), T0
    flagged = []
    for _ in range(lapses):
        outcome, at = _lapse_cycle(snapshot, at, settings)
        if outcome.leech:
            flagged.append(outcome.snapshot.lapses)
        snapshot = outcome.snapshot
    return flagged, snapshot


def test_threshold_five_flags_leeches_at_five_eight_and_eleven_lapses() -> None:
    settings = SchedulerSettings(enable_fuzzing=False, leech_threshold=5)
    flagged, snapshot = _leech_lapses(settings, 12)
    assert flagged == [5, 8, 11]
    assert snapshot.suspended is True
    assert snapshot.leech is True


def test_tag_only_leech_action_marks_the_card_but_keeps_it_in_the_queue() -> None:
    settings = SchedulerSettings(enable_fuzzing=False, leech_threshold=3, leech_action="tag")
    flagged, snapshot = _leech_lapses(settings, 3)
    assert flagged == [3]
    assert snapshot.leech is True
    assert snapshot.suspended is False


def test_unknown_leech_action_is_refused() -> None:
    with pytest.raises(ValueError, match="leech_action"):
        SchedulerSettings(leech_action="delete")


def _leech_log(settings: SchedulerSettings) -> list[tuple[int, datetime]]:
    """A log that makes the card a leech at its last review (threshold 2)."""
    snapshot, at, log = CardSnapshot(), T0, []
    while snapshot.lapses < 2:
        rating = 1 if snapshot.state is CardState.REVIEW else 3
        log.append((rating, at))
        snapshot = review(snapshot, rating, now=at, settings=settings, card_key=3).snapshot
        at += timedelta(days=1)
    return log


def test_replay_keeps_an_unsuspend_made_after_the_leech() -> None:
    settings = SchedulerSettings(enable_fuzzing=False, leech_threshold=2)
    log = _leech_log(settings)
    assert replay(log, settings=settings, card_key=3).suspended is True
    unsuspended_at = log[-1][1] + timedelta(hours=2)
    events = [CardEvent("unsuspend", unsuspended_at)]

    # a synced review from before the unsuspend, merged by replaying the whole log
    late = (3, log[-1][1] + timedelta(hours=1))
    rebuilt = replay([*log, late], settings=settings, card_key=3, events=events)
    assert rebuilt.suspended is False
    assert rebuilt.leech is True
    assert rebuilt.reps == len(log) + 1


def test_a_leech_after_the_unsuspend_suspends_the_card_again() -> None:
    settings = SchedulerSettings(enable_fuzzing=False, leech_threshold=2)
    log = _leech_log(settings)
    events = [CardEvent("unsuspend", log[-1][1] + timedelta(hours=2))]
    snapshot = replay(log, settings=settings, card_key=3, events=events)
    at = log[-1][1] + timedelta(days=1)
    more = []
    while snapshot.lapses < 3:  # threshold 2: leech at 2, 3, 4 ...
        rating = 1 if snapshot.state is CardState.REVIEW else 3
        more.append((rating, at))
        snapshot = review(snapshot, rating, now=at, settings=settings, card_key=3).snapshot
        at += timedelta(days=1)
    rebuilt = replay([*log, *more], settings=settings, card_key=3, events=events)
    assert rebuilt.lapses == 3
    assert rebuilt.suspended is True


def test_replay_history_applies_events_before_the_reviews_that_follow_them() -> None:
    settings = SchedulerSettings(enable_fuzzing=False)
    log = [(3, T0), (3, T0 + timedelta(minutes=10)), (3, T0 + timedelta(days=3))]
    events = [CardEvent("suspend", T0 + timedelta(days=1))]
    steps = replay_history(log, settings=settings, card_key=1, events=events)
    assert [before.suspended for before, _ in steps] == [False, False, True]
    assert steps[-1][1].suspended is True
    # events with no review at all still count
    assert replay([], settings=settings, card_key=1, events=events).suspended is True


def test_study_day_rolls_over_at_four_in_the_learners_time_zone() -> None:
    clock = StudyClock("America/New_York", 4)
    # 03:30 in New York on 3 March is still the study day of 2 March
    assert clock.day(datetime(2026, 3, 3, 8, 30, tzinfo=UTC)) == date(2026, 3, 2)
    # 04:00 starts 3 March
    assert clock.day(datetime(2026, 3, 3, 9, 0, tzinfo=UTC)) == date(2026, 3, 3)
    assert clock.day_start(date(2026, 3, 3)) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    # after the daylight-saving change (8 March) the rollover is 08:00 UTC
    assert clock.day_start(date(2026, 3, 9)) == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert StudyClock("UTC", 0).day(datetime(2026, 3, 3, 0, 0, tzinfo=UTC)) == date(2026, 3, 3)


def test_clock_refuses_unknown_zones_and_hours() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        StudyClock("Mars/Olympus", 4)
    with pytest.raises(ValueError, match="rollover_hour"):
        StudyClock("UTC", 24)


def _review_card(settings: SchedulerSettings, at: datetime) -> CardSnapshot:
    snapshot = review(CardSnapshot(), 3, now=at, settings=settings, card_key=5).snapshot
    return review(
        snapshot, 3, now=at + timedelta(minutes=10), settings=settings, card_key=5
    ).snapshot


def test_review_intervals_fall_due_at_the_rollover_of_the_study_day() -> None:
    clock = StudyClock("Europe/Berlin", 4)
    settings = SchedulerSettings(enable_fuzzing=False, clock=clock)
    # an evening session in Berlin: 22:00 local (21:00 UTC)
    evening = datetime(2026, 1, 10, 21, 0, tzinfo=UTC)
    snapshot = _review_card(settings, evening)
    assert snapshot.state is CardState.REVIEW
    plain = _review_card(SchedulerSettings(enable_fuzzing=False), evening)
    days = round((plain.due - plain.last_review).total_seconds() / 86400)
    # due at 04:00 Berlin (03:00 UTC) of the day ``days`` study days later
    assert snapshot.due == datetime(2026, 1, 10 + days, 3, 0, tzinfo=UTC)


def test_elapsed_days_count_study_days_not_24_hour_periods() -> None:
    clock = StudyClock("UTC", 4)
    with_clock = SchedulerSettings(enable_fuzzing=False, clock=clock)
    without = SchedulerSettings(enable_fuzzing=False)
    start = datetime(2026, 1, 10, 20, 0, tzinfo=UTC)
    card = _review_card(without, start)
    # next morning at 05:00: 8 h and 50 min later, but a new study day
    next_morning = datetime(2026, 1, 11, 5, 0, tzinfo=UTC)
    assert review(card, 3, now=next_morning, settings=with_clock, card_key=5).log.elapsed_days == 1
    assert review(card, 3, now=next_morning, settings=without, card_key=5).log.elapsed_days == 0
    # a long-term review on the next study day moves stability as a day-1 review
    on_day = retrievability(card, now=next_morning, settings=with_clock)
    assert on_day < 1.0
    assert retrievability(card, now=next_morning, settings=without) == 1.0
    # 03:00 the next night is still the same study day as 20:00
    same_day = datetime(2026, 1, 11, 3, 0, tzinfo=UTC)
    assert review(card, 3, now=same_day, settings=with_clock, card_key=5).log.elapsed_days == 0
