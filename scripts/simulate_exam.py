#!/usr/bin/env python
"""Simulated students before an exam: the exam plan against plain FSRS and cramming.

Usage: python scripts/simulate_exam.py PATH.csv [--users N] [--students K] [--seed S]
       [--daily]

* Truth: FSRS-6 with parameters fitted (``fit_parameters``) to N pseudo-users of the
  log (its cards dealt round-robin); the scheduler is given the same parameters.
* Each simulated student follows a 30-day stretch of the log's own pattern of study
  days (days without reviews make due cards late) and answers a new card's first
  review with a first rating drawn from the log's first ratings (``--daily``: the
  student studies every day instead); later answers are
  recalled with the true retrievability (Good) or forgotten (Again), as this
  two-button user did. Learning steps are done the same day.
* 300 new cards, exam on day 30, target 0.9. Policies: ``plan`` (the product's
  queue: on each study day the larger of the learner's 20 new cards a day and
  ``quizzes.core.exam.new_cards_today`` for the cards left, and intervals capped by
  ``quizzes.core.exam.exam_capped_due`` in study days, as ``quizzes.study.exams``
  does), ``plain`` (FSRS at desired retention 0.9, 20 new cards a day), ``cram``
  (all 300 cards in the last 7 days, plain FSRS).

Reports the share of cards at or above the target on the exam day and the reviews
spent. Plain Python (no Django).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.evaluation import build_dataset, fit_parameters, parse_revlog_csv
from quizzes.core.exam import exam_capped_due, introduction_schedule, new_cards_today
from quizzes.core.scheduling import (
    CardSnapshot,
    CardState,
    SchedulerSettings,
    StudyClock,
    retrievability,
    review,
)

CARDS = 300
EXAM_DAY = 30
NEW_PER_DAY = 20
TARGET = 0.9
DAY0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def simulate(
    policy: str,
    settings: SchedulerSettings,
    active: list[bool],
    first_ratings: list[int],
    rng: random.Random,
) -> tuple[float, int]:
    # the start of the exam's study day, as the product plans for it
    exam_at = (
        settings.clock.day_start((DAY0 + timedelta(days=EXAM_DAY)).date())
        if settings.clock
        else DAY0 + timedelta(days=EXAM_DAY)
    )
    if policy == "cram":
        intro = [0] * (EXAM_DAY - 7) + introduction_schedule(CARDS, 6)
    else:
        intro = introduction_schedule(CARDS, CARDS // NEW_PER_DAY - 1)
    cards: list[CardSnapshot] = []
    reviews = 0
    backlog = 0
    for day in range(EXAM_DAY):
        backlog += intro[day] if day < len(intro) else 0
        if not active[day]:
            continue
        if policy == "plan":
            # the queue: the plan's new cards first, at least as many as it needs today
            left = CARDS - len(cards)
            backlog = min(left, max(NEW_PER_DAY, new_cards_today(left, EXAM_DAY - day)))
        now = DAY0 + timedelta(days=day)
        for _ in range(backlog):
            cards.append(CardSnapshot())
        backlog = 0
        moment = now
        while True:
            due = [
                i
                for i, c in enumerate(cards)
                if c.state is CardState.NEW or (c.due is not None and c.due <= moment)
            ]
            if not due:
                break
            for index in due:
                card = cards[index]
                if card.state is CardState.NEW:
                    rating = rng.choice(first_ratings)
                else:
                    recalled = rng.random() < retrievability(card, now=moment, settings=settings)
                    rating = 3 if recalled else 1
                after = review(card, rating, now=moment, settings=settings, card_key=index).snapshot
                if policy == "plan":
                    capped = exam_capped_due(
                        after, exam_at=exam_at, target=TARGET, settings=settings, card_key=index
                    )
                    after = CardSnapshot(**{**_fields(after), "due": capped})
                cards[index] = after
                reviews += 1
            # learning steps are minutes apart: do them the same day
            moment += timedelta(minutes=11)
            if moment - now > timedelta(hours=6):
                break
    at_target = sum(1 for c in cards if retrievability(c, now=exam_at, settings=settings) >= TARGET)
    return at_target / CARDS, reviews


def _fields(snapshot: CardSnapshot) -> dict:
    return {name: getattr(snapshot, name) for name in snapshot.__slots__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--students", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--daily", action="store_true", help="study every day")
    args = parser.parse_args(argv)
    with args.path.open(encoding="utf-8") as handle:
        records = sorted(parse_revlog_csv(handle), key=lambda r: r.reviewed_at)
    firsts: dict[int, int] = {}
    for record in records:
        firsts.setdefault(record.card_id, record.rating)
    first_ratings = list(firsts.values())
    days = sorted({record.reviewed_at.date() for record in records})
    span = (days[-1] - days[0]).days + 1
    active_days = {(d - days[0]).days for d in days}
    pattern = [day in active_days for day in range(span)]
    card_ids = sorted(firsts)
    clock = StudyClock("UTC", 0)
    rng = random.Random(args.seed)
    results: dict[str, list[tuple[float, int]]] = {"plan": [], "plain": [], "cram": []}
    for user in range(args.users):
        mine = {card for index, card in enumerate(card_ids) if index % args.users == user}
        fit = fit_parameters(build_dataset([r for r in records if r.card_id in mine]))
        settings = SchedulerSettings(
            parameters=fit.parameters, desired_retention=0.9, clock=clock, enable_fuzzing=True
        )
        for _ in range(args.students):
            offset = rng.randrange(span)
            active = [args.daily or pattern[(offset + d) % span] for d in range(EXAM_DAY)]
            seed = rng.randrange(1 << 30)
            for policy in results:
                results[policy].append(
                    simulate(policy, settings, active, first_ratings, random.Random(seed))
                )
    counts = Counter(pattern)
    days_note = (
        "every day"
        if args.daily
        else f"the log's study days ({counts[True]} of {span} days active)"
    )
    print(
        f"{args.users} pseudo-users x {args.students} students; studying on {days_note}; "
        f"{CARDS} new cards, exam on day {EXAM_DAY}, target {TARGET}"
    )
    plain_reviews = sum(r for _, r in results["plain"]) / len(results["plain"])
    print("| policy | cards at target on exam day | reviews | reviews / plain FSRS |")
    print("|---|---|---|---|")
    for policy, rows in results.items():
        share = sum(s for s, _ in rows) / len(rows)
        spent = sum(r for _, r in rows) / len(rows)
        print(f"| {policy} | {share:.1%} | {spent:.0f} | {spent / plain_reviews:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
