"""Reads for spaced repetition: what a learner may study, the queue and progress.

``progress_summary`` and ``deck_mastery`` are called by other apps (the teacher's
roster); their names and return shapes are a contract.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Ceil, Floor, Greatest, Power, TruncHour

from accounts.models import User
from quizzes.content.models import Deck, Question
from quizzes.content.selectors import questions_visible_to, sources_visible_to
from quizzes.core.scheduling import (
    CardSnapshot,
    SchedulerSettings,
    StudyClock,
    forgetting_curve,
    preview_intervals,
    retrievability,
)
from studyapp.errors import ApplicationError

from .days import clock_for_user, study_day_of_hour, study_day_start
from .exams import exam_queue
from .models import CardState, ReviewLog, StudySettings
from .snapshots import scheduler_settings_for, snapshot_from_card
from .tallies import reviews_by_study_day

LEARNING_STATES = ("learning", "relearning")
SEEN_STATES = ("learning", "review", "relearning")
QUEUE_DEFAULT_LIMIT = 50
QUEUE_MAX_LIMIT = 200
FORECAST_DAYS = 30
HEATMAP_DAYS = 365


# --- What a learner may study ------------------------------------------------

STUDYABLE = Q(
    status=Question.Status.APPROVED,
    passage__is_current=True,
    passage__is_hidden=False,
    replaced_by__isnull=True,
)


def _studyable_for(user: User) -> Q:
    """STUDYABLE, limited to the sources the user may see."""
    return STUDYABLE & Q(passage__deck__source__in=sources_visible_to(user=user))


def questions_visible_for_study(*, user: User) -> QuerySet[Question]:
    """Questions a learner may review: approved ones of current, shown passages of
    the sources they may see.

    Teachers may also review questions they can see in the editor (any status).
    """
    if user.is_teacher:
        return questions_visible_to(user=user).filter(replaced_by__isnull=True)
    return Question.objects.filter(_studyable_for(user))


def study_settings_get(*, user: User) -> StudySettings | None:
    return StudySettings.objects.filter(user=user).first()


def _prefixed(condition: Q, prefix: str) -> Q:
    """Rewrite a Q on Question fields to apply through a relation (``question__``)."""
    clone = Q()
    clone.connector = condition.connector
    clone.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            clone.children.append(_prefixed(child, prefix))
        else:
            key, value = child
            clone.children.append((f"{prefix}{key}", value))
    return clone


# --- The queue ---------------------------------------------------------------


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        extra.setdefault("template", "EXTRACT(EPOCH FROM %(expressions)s)")
        return super().as_sql(compiler, connection, **extra)


@dataclass(frozen=True)
class QueueCard:
    question: Question
    snapshot: CardSnapshot
    intervals: dict[int, int]
    retrievability: float
    kind: str  # "learning", "review" or "new"


@dataclass(frozen=True)
class Queue:
    cards: list[QueueCard]
    due_count: int
    new_count: int
    new_limit_left: int


#: ``(user, assignment_id) -> Q`` over questions: the questions of an assignment the
#: user is given or teaches, raising Http404 for any other. Assignments belong to
#: the teaching app, which sits above study and hands this in when it loads
#: (``TeachingConfig.ready``), so that study never imports teaching.
AssignmentQuestions = Callable[[User, int], Q]

_assignment_questions: list[AssignmentQuestions] = []


def assignment_questions_register(provider: AssignmentQuestions) -> None:
    """Set how the queue finds an assignment's questions (the teaching app calls this)."""
    _assignment_questions[:] = [provider]


def _assignment_filter(*, user: User, assignment_id: int) -> Q:
    """Questions of an assignment the learner may study, as the teaching app says."""
    if not _assignment_questions:
        raise ApplicationError(
            "assignment filter unavailable",
            code="unavailable",
            fields={"assignment": ["assignment filter unavailable"]},
        )
    return _assignment_questions[0](user, assignment_id)


def study_queue(
    *,
    user: User,
    now: datetime,
    deck_id: int | None = None,
    assignment_id: int | None = None,
    limit: int = QUEUE_DEFAULT_LIMIT,
) -> Queue:
    """The cards to study now, in order: learning cards whose step is due, then due
    reviews (lowest retrievability first), then new cards within today's limit in
    passage order. Suspended cards are left out. With an exam plan
    (``quizzes.study.exams``) a review is also due on the plan's capped date, and the
    plan's new cards come first, as many as it needs today even beyond the
    learner's new-cards-a-day limit.

    A fixed number of queries whatever the collection size: the ordering by
    retrievability is done in SQL (FSRS recall falls as elapsed time / stability
    grows, for every card of one learner), on the (user, state, due) index.
    Raises ApplicationError (400) if the assignment filter is unavailable and
    Http404 for an assignment the learner is not given.
    """
    limit = max(1, min(limit, QUEUE_MAX_LIMIT))
    study_settings = study_settings_get(user=user)
    scheduler = scheduler_settings_for(study_settings, user=user)
    new_per_day = study_settings.new_per_day if study_settings else 20

    # The decks the learner may see, listed first (a few rows): cards and new
    # questions are then looked up by deck, so that the questions of sources they
    # cannot see are never read, however many there are.
    decks = Deck.objects.filter(source__in=sources_visible_to(user=user))
    if deck_id is not None:
        decks = decks.filter(pk=deck_id)
    visible_decks = list(decks.order_by("source_id", "order").values_list("pk", flat=True))
    question_filter = STUDYABLE & Q(passage__deck_id__in=visible_decks)
    if assignment_id is not None:
        question_filter &= _assignment_filter(user=user, assignment_id=assignment_id)
    card_filter = _prefixed(question_filter, "question__")

    clock = scheduler.clock or clock_for_user(user)
    # Exam plans: a card is also due on its plan's capped date, and the plans' new
    # cards come first, as many as they need today.
    exam = exam_queue(
        user=user,
        now=now,
        scheduler=scheduler,
        clock=clock,
        deck_id=deck_id,
        assignment_id=assignment_id,
    )
    cards = CardState.objects.filter(card_filter, user=user, suspended=False)
    due_cards = cards.filter(exam.due_condition)
    learning = list(
        due_cards.filter(state__in=LEARNING_STATES)
        .select_related("question__passage__deck")
        .order_by("due", "id")[:limit]
    )
    reviews: list[CardState] = []
    if len(learning) < limit:
        overdue_ratio = (Value(now.timestamp()) - EpochSeconds("last_review")) / F("stability")
        reviews = list(
            due_cards.filter(state="review")
            .annotate(overdue_ratio=overdue_ratio)
            .select_related("question__passage__deck")
            .order_by(F("overdue_ratio").desc(), "due", "id")[: limit - len(learning)]
        )
    due_count = due_cards.exclude(state="new").count()

    start_of_day = study_day_start(clock, now)
    introduced_today = (
        ReviewLog.objects.effective()
        .filter(user=user, reviewed_at__gte=start_of_day, state_before__state="new")
        .count()
    )
    new_left = max(0, new_per_day - introduced_today, exam.new_left)
    seen = CardState.objects.filter(user=user, question=OuterRef("pk")).exclude(state="new")
    new_questions = (
        Question.objects.filter(question_filter)
        .exclude(Exists(seen))
        .select_related("passage__deck")
        .order_by(
            "passage__deck__source_id",
            "passage__deck__order",
            "passage__order",
            "passage_id",
            "id",
        )
    )
    # Fetched up to the limit even when due cards fill the page, so that the
    # number of queries does not depend on how many cards are due.
    room = max(0, limit - len(learning) - len(reviews))
    wanted = min(new_left, limit)
    fetched = []
    if wanted and exam.planned is not None:
        # the plans' new questions first, then the rest in deck order
        fetched = list(new_questions.filter(exam.planned)[:wanted])
    if len(fetched) < wanted:
        rest = _new_in_deck_order(question_filter, seen, visible_decks, wanted)
        taken = {question.pk for question in fetched}
        fetched += [question for question in rest if question.pk not in taken][
            : wanted - len(fetched)
        ]
    new = fetched[:room]
    if len(fetched) < wanted or new_left <= limit:
        new_count = len(fetched)
    else:
        # More new cards allowed today than a page holds: count them, up to the allowance.
        new_count = new_questions.values("pk")[:new_left].count()

    out: list[QueueCard] = []
    for kind, rows in (("learning", learning), ("review", reviews)):
        for card in rows:
            out.append(_queue_card(card.question, snapshot_from_card(card), kind, now, scheduler))
    for question in new:
        out.append(_queue_card(question, CardSnapshot(), "new", now, scheduler))
    return Queue(cards=out, due_count=due_count, new_count=new_count, new_limit_left=new_left)


def _new_in_deck_order(
    question_filter: Q,
    seen: Exists,
    deck_ids: list[int],
    count: int,
) -> list[Question]:
    """The first ``count`` new questions in deck order (``deck_ids``), then passage
    order. Each deck's are read in its passage order from the indexes and stop at
    ``count`` (one branch of a UNION ALL per deck on PostgreSQL), so no deck is read whole and
    nothing is sorted but the few rows found. Two queries.
    """
    base = (
        Question.objects.filter(question_filter)
        .exclude(Exists(seen))
        .annotate(passage_order=F("passage__order"))
        .order_by("passage_order", "id")
    )
    if not deck_ids:
        return []
    connection = connections[router.db_for_read(Question)]
    if len(deck_ids) == 1 or not connection.features.supports_slicing_ordering_in_compound:
        # one ordered query over all the decks (SQLite cannot limit a UNION's branches)
        position = Case(
            *[
                When(passage__deck_id=deck_id, then=Value(index))
                for index, deck_id in enumerate(deck_ids)
            ]
        )
        ids = list(
            base.annotate(deck_position=position)
            .order_by("deck_position", "passage_order", "id")
            .values_list("id", flat=True)[:count]
        )
    else:
        # the branch is compiled by the ORM once and repeated with each deck's id
        stand_in = -7_301_999
        sql, params = (
            base.filter(passage__deck_id=stand_in)
            .values("id", "passage_order")[:count]
            .query.sql_with_params()
        )
        if str(stand_in) in sql or stand_in not in params:
            raise AssertionError("the deck id must be a parameter of the branch")
        branches, all_params = [], []
        for position, deck_id in enumerate(deck_ids):
            branches.append(f"(SELECT %s AS deck_position, b.* FROM ({sql}) b)")
            all_params += [position, *(deck_id if p == stand_in else p for p in params)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT u.id FROM ({' UNION ALL '.join(branches)}) u "
                "ORDER BY u.deck_position, u.passage_order, u.id LIMIT %s",
                [*all_params, count],
            )
            ids = [row[0] for row in cursor.fetchall()]
    found = Question.objects.select_related("passage__deck").in_bulk(ids)
    return [found[pk] for pk in ids]


def _queue_card(
    question: Question,
    snapshot: CardSnapshot,
    kind: str,
    now: datetime,
    scheduler: SchedulerSettings,
) -> QueueCard:
    # A card can be shown a little before its last_review if clocks disagree;
    # preview from the later of the two so the core never sees time go backwards.
    at = max(now, snapshot.last_review) if snapshot.last_review else now
    return QueueCard(
        question=question,
        snapshot=snapshot,
        intervals=preview_intervals(snapshot, now=at, settings=scheduler, card_key=question.pk),
        retrievability=retrievability(snapshot, now=at, settings=scheduler),
        kind=kind,
    )


# --- Progress ----------------------------------------------------------------


def _retrievability_sql(scheduler: SchedulerSettings, now: datetime) -> Any:
    """The core's ``retrievability`` of a seen card at ``now``, as a SQL expression:
    ``(1 + factor * days / stability) ** decay`` over whole elapsed days (at least 0).

    With the learner's study clock the days are study days: a review on study day
    ``d`` is ``ceil((start of today - review) / 1 day)`` days ago. Without one, whole
    24-hour periods; half a millisecond is added before flooring, so that SQLite's
    float julian days put an exact number of days on the right side, as Python does.
    """
    factor, decay = forgetting_curve(scheduler)
    clock = scheduler.clock
    if clock is None:
        elapsed = (Value(now.timestamp() + 0.0005) - EpochSeconds("last_review")) / Value(86400.0)
        days = Greatest(Floor(elapsed), Value(0.0))
    else:
        today = clock.day_start(clock.day(now)).timestamp() - 0.0005
        elapsed = (Value(today) - EpochSeconds("last_review")) / Value(86400.0)
        days = Greatest(Ceil(elapsed), Value(0.0))
    return Power(Value(1.0) + Value(factor) * days / F("stability"), Value(decay))


def _deck_cards(
    user: User, now: datetime, scheduler: SchedulerSettings, deck_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Per deck of the learner's seen cards: its id and title, the number of seen
    cards of studyable questions and the sum of their retrievability. One query."""
    studyable = _prefixed(STUDYABLE, "question__")
    cards = CardState.objects.filter(user=user, state__in=SEEN_STATES)
    if deck_ids is not None:
        cards = cards.filter(question__passage__deck_id__in=deck_ids)
    return list(
        cards.values(
            deck_id=F("question__passage__deck_id"), title=F("question__passage__deck__title")
        )
        .annotate(
            seen=Count("id", filter=studyable),
            recall=Sum(_retrievability_sql(scheduler, now), filter=studyable),
        )
        .order_by("deck_id")
    )


def _deck_totals(deck_ids: list[int]) -> dict[int, int]:
    return dict(
        Question.objects.filter(STUDYABLE, passage__deck_id__in=deck_ids)
        .values_list("passage__deck_id")
        .annotate(total=Count("id"))
        .order_by()
    )


def _mastery(row: dict[str, Any] | None, total: int) -> dict[str, float]:
    seen = row["seen"] if row else 0
    return {
        "mastery": round(row["recall"] / seen, 4) if seen else 0.0,
        "seen": round(min(1.0, seen / total), 4) if total else 0.0,
    }


def deck_mastery(
    *,
    user: User,
    deck_ids: list[int],
    now: datetime,
    scheduler: SchedulerSettings | None = None,
) -> dict[int, dict]:
    """For each deck: ``mastery``, the mean retrievability now of the learner's seen
    cards of it (0.0 when none), and ``seen``, the share of the deck's studyable
    questions the learner has reviewed at least once. Three queries, computed in
    the database whatever the number of cards.
    """
    if not deck_ids:
        return {}
    scheduler = scheduler or scheduler_settings_for(study_settings_get(user=user), user=user)
    rows = {row["deck_id"]: row for row in _deck_cards(user, now, scheduler, deck_ids)}
    totals = _deck_totals(deck_ids)
    return {deck_id: _mastery(rows.get(deck_id), totals.get(deck_id, 0)) for deck_id in deck_ids}


def _retention(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def progress_summary(*, user: User, now: datetime) -> dict:
    """The body of GET /api/v1/study/progress for a learner at ``now``.

    ``streak_days`` counts consecutive days with a review up to today, or up to
    yesterday while today has none yet. ``reviews_per_day`` lists the days with
    reviews in the last 365 days (a calendar heatmap). ``true_retention`` is passed
    (Hard, Good or Easy) over all reviews of cards that were in the review state,
    for 7 and 30 days and all time, ``None`` without such reviews. ``forecast``
    gives for each of the next 30 days how many cards fall due (today includes the
    overdue ones). ``decks`` lists each deck the learner has seen with
    ``deck_mastery``. Days are the learner's study days (their time zone and
    rollover hour, see ``quizzes.study.days``). Six queries (settings, the review
    tallies and the log's quarter hours they leave out, the forecast, the decks and
    their sizes), none of them reading the whole log.
    """
    scheduler = scheduler_settings_for(study_settings_get(user=user), user=user)
    clock = scheduler.clock or clock_for_user(user)
    today = clock.day(now)
    windows = {"7": now - timedelta(days=7), "30": now - timedelta(days=30)}
    per_day = reviews_by_study_day(user=user, now=now, clock=clock, windows=windows)
    days = {day: per_day[day]["count"] for day in sorted(per_day)}
    time_studied_ms = sum(row["ms"] for row in per_day.values())
    heatmap_start = today - timedelta(days=HEATMAP_DAYS - 1)
    reviews_per_day = [
        {"date": day.isoformat(), "count": count}
        for day, count in days.items()
        if day >= heatmap_start
    ]
    streak = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)

    true_retention = {
        key: _retention(
            sum(row[f"{key}_passed"] for row in per_day.values()),
            sum(row[f"{key}_total"] for row in per_day.values()),
        )
        for key in ("7", "30", "all")
    }

    forecast = due_forecast(user=user, now=now, clock=clock)
    seen_decks = _deck_cards(user, now, scheduler)
    totals = _deck_totals([row["deck_id"] for row in seen_decks]) if seen_decks else {}
    decks = [
        {
            "deck": row["deck_id"],
            "title": row["title"],
            **_mastery(row, totals.get(row["deck_id"], 0)),
        }
        for row in seen_decks
    ]
    return {
        "today": today.isoformat(),
        "streak_days": streak,
        "reviews_per_day": reviews_per_day,
        "true_retention": true_retention,
        "forecast": forecast,
        "decks": decks,
        "time_studied_seconds": round(time_studied_ms / 1000),
    }


def due_forecast(
    *, user: User, now: datetime, days: int = FORECAST_DAYS, clock: StudyClock | None = None
) -> list[dict]:
    """``[{date, count}]`` of cards falling due on each of the next ``days`` study
    days, today first (overdue cards count today). Suspended and new cards are left
    out. One query (two without ``clock``).
    """
    clock = clock or clock_for_user(user)
    return due_forecasts(users=[user], now=now, days=days, clocks={user.pk: clock})[user.pk]


def due_forecasts(
    *,
    users: list[User],
    now: datetime,
    days: int = FORECAST_DAYS,
    clocks: dict[int, StudyClock] | None = None,
) -> dict[int, list[dict]]:
    """``due_forecast`` of several learners, by user id: one query for each distinct
    study clock among them (``clocks`` by user id; read from their settings when
    not given)."""
    if clocks is None:
        clocks = {user.pk: clock_for_user(user) for user in users}
    by_clock: dict[StudyClock, list[int]] = defaultdict(list)
    for user in users:
        by_clock[clocks[user.pk]].append(user.pk)
    forecasts: dict[int, list[dict]] = {}
    for clock, user_ids in by_clock.items():
        today = clock.day(now)
        end = clock.day_start(today + timedelta(days=days))
        rows = (
            CardState.objects.filter(
                user_id__in=user_ids, state__in=SEEN_STATES, suspended=False, due__lt=end
            )
            .annotate(_hour=TruncHour("due", tzinfo=clock.zone))
            .values("user_id", "_hour")
            .annotate(count=Count("id"))
            .order_by()
        )
        counts: dict[int, dict[date, int]] = {user_id: defaultdict(int) for user_id in user_ids}
        for row in rows:
            day = study_day_of_hour(row["_hour"], clock)
            counts[row["user_id"]][max(day, today)] += row["count"]
        for user_id, by_day in counts.items():
            forecasts[user_id] = [
                {
                    "date": (today + timedelta(days=i)).isoformat(),
                    "count": by_day.get(today + timedelta(days=i), 0),
                }
                for i in range(days)
            ]
    return forecasts


def due_count_now(*, user: User, now: datetime) -> int:
    """Cards due now (learning, review and relearning; suspended ones left out)."""
    return CardState.objects.filter(
        _prefixed(_studyable_for(user), "question__"),
        user=user,
        state__in=SEEN_STATES,
        suspended=False,
        due__lte=now,
    ).count()


def leeches_list(*, user: User) -> QuerySet[CardState]:
    """The learner's suspended cards and cards marked leech (with the "tag only"
    leech action) of questions they may still study, most lapses first."""
    return (
        CardState.objects.filter(
            Q(suspended=True) | Q(leech=True),
            user=user,
            question__in=questions_visible_for_study(user=user),
        )
        .select_related("question__passage__deck")
        .order_by("-lapses", "question_id")
    )
