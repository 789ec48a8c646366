"""Exam dates: plans, the queue's part in them and what they predict.

A plan (:class:`~quizzes.study.models.ExamPlan`) is a learner's own, for a deck and an
exam date, or a teacher's, on an assignment (its deck or quiz set; the exam day is the
study day, in each student's clock, of the assignment's due time). A plan is active
from the moment it exists (an assignment's: from its opening) until its exam day
starts; from then on the cards are scheduled as before.

While a plan is active the queue

* shows a card when FSRS's due date or the plan's capped date has come. The capped
  date (:func:`quizzes.core.exam.exam_capped_due`) is the latest study day before the
  exam after which a Good review keeps the card at the target on the exam day. It is
  kept beside the card (:class:`~quizzes.study.models.ExamCardDue`), computed from the
  card's state after its last review: the card's stability, difficulty, due date and
  review log stay exactly as FSRS made them, and the review on the capped day is an
  ordinary (early) review. Capped dates are not fuzzed; FSRS's date, fuzz included,
  stands whenever it is earlier;
* introduces the plan's new cards first, at least as many a day as
  :func:`quizzes.core.exam.new_cards_today` asks (even beyond the learner's own
  new-cards-a-day limit).

Predicted recall on the day is a card's retrievability on the exam day if it got no
further review (new cards count 0): where the learner stands now. A card is at risk
when that is below the target; the plan's reviews and new cards before the day are
what bring it up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, User
from quizzes.content.models import Deck, Question
from quizzes.content.selectors import sources_visible_to
from quizzes.core.exam import exam_capped_due, exam_recall, introduction_end, introduction_schedule
from quizzes.core.scheduling import SchedulerSettings, StudyClock
from studyapp.errors import ApplicationError

from .models import CardState, ExamCardDue, ExamPlan, ReviewLog, StudySettings
from .snapshots import scheduler_settings_for, snapshot_from_card

#: Targets a plan may ask for (as the desired retention's bounds).
TARGET = (0.7, 0.99)
DEFAULT_TARGET = 0.9
#: How far ahead an exam date may be.
MAX_DAYS_AHEAD = 1830

STUDYABLE = Q(status=Question.Status.APPROVED, passage__is_current=True, passage__is_hidden=False)


# --- Which plans apply -------------------------------------------------------


@dataclass
class ActivePlan:
    plan: ExamPlan
    exam_day: date
    exam_at: datetime  # the start of the exam's study day
    days_left: int
    deck_id: int | None = None  # the plan's questions: a deck's ...
    question_ids: set[int] | None = None  # ... or a quiz set's
    title: str = ""

    @property
    def target(self) -> float:
        return self.plan.target

    def contains(self, question_id: int, deck_id: int) -> bool:
        if self.question_ids is not None:
            return question_id in self.question_ids
        return deck_id == self.deck_id

    def question_q(self) -> Q:
        if self.question_ids is not None:
            return Q(pk__in=sorted(self.question_ids))
        return Q(passage__deck_id=self.deck_id)


def _assignment_model() -> Any:
    return apps.get_model("teaching", "Assignment")


def active_exam_plans(*, user: User, now: datetime, clock: StudyClock) -> list[ActivePlan]:
    """The learner's plans whose exam day is still to come: their own and those of
    the (opened) assignments of their classes, nearest exam first. One query, and one
    more when a quiz-set assignment has a plan."""
    today = clock.day(now)
    tomorrow = clock.day_start(today + timedelta(days=1))
    classes = Membership.objects.filter(student=user).values("classroom_id")
    rows = (
        ExamPlan.objects.filter(
            Q(user=user, exam_date__gt=today)
            | Q(
                assignment__classroom_id__in=classes,
                assignment__opens_at__lte=now,
                assignment__due_at__gte=tomorrow,
            )
        )
        .select_related("deck", "assignment__deck", "assignment__quiz_set")
        .order_by("id")
    )
    plans: list[ActivePlan] = []
    quiz_sets: dict[int, list[ActivePlan]] = defaultdict(list)
    for plan in rows:
        if plan.assignment is None:
            exam_day = plan.exam_date
            assert exam_day is not None and plan.deck is not None  # the model's constraint
            active = ActivePlan(
                plan=plan,
                exam_day=exam_day,
                exam_at=clock.day_start(exam_day),
                days_left=(exam_day - today).days,
                deck_id=plan.deck_id,
                title=plan.deck.title,
            )
        else:
            assignment = plan.assignment
            exam_day = clock.day(assignment.due_at)
            if exam_day <= today:
                continue
            active = ActivePlan(
                plan=plan,
                exam_day=exam_day,
                exam_at=clock.day_start(exam_day),
                days_left=(exam_day - today).days,
                deck_id=assignment.deck_id,
                title=assignment.title or _assignment_subject(assignment),
            )
            if assignment.quiz_set_id is not None:
                active.question_ids = set()
                quiz_sets[assignment.quiz_set_id].append(active)
        plans.append(active)
    if quiz_sets:
        items = (
            apps.get_model("teaching", "QuizSetItem")
            .objects.filter(quiz_set_id__in=list(quiz_sets))
            .values_list("quiz_set_id", "question_id")
        )
        for quiz_set_id, question_id in items:
            for active in quiz_sets[quiz_set_id]:
                assert active.question_ids is not None
                active.question_ids.add(question_id)
    plans.sort(key=lambda p: (p.exam_at, -p.target, p.plan.pk))
    return plans


def _visible(user: User) -> Q:
    return STUDYABLE & Q(passage__deck__source__in=sources_visible_to(user=user))


def _plans_q(plans: list[ActivePlan]) -> Q:
    condition = Q(pk__in=[])
    for active in plans:
        condition |= active.question_q()
    return condition


# --- Capped due dates ----------------------------------------------------------


@dataclass
class _Gathered:
    plans: list[ActivePlan]
    questions: dict[int, int] = field(default_factory=dict)  # question -> deck
    cards: dict[int, CardState] = field(default_factory=dict)  # question -> card
    rows: dict[int, ExamCardDue] = field(default_factory=dict)  # question -> capped date
    introduced: set[int] | None = None  # questions first reviewed today

    def governing(self, question_id: int) -> ActivePlan | None:
        """The plan with the nearest exam among those holding the question."""
        deck_id = self.questions.get(question_id)
        if deck_id is None:
            return None
        return next((p for p in self.plans if p.contains(question_id, deck_id)), None)


def _gather(user: User, plans: list[ActivePlan], scheduler: SchedulerSettings) -> _Gathered:
    """The plans' questions and cards, with the capped dates brought up to date: a
    row is computed again when the card was reviewed (or rebuilt) since, or when the
    plan that governs it changed; rows of cards no plan holds any more are deleted."""
    gathered = _Gathered(plans=plans)
    if not plans:
        return gathered
    condition = _visible(user) & _plans_q(plans)
    gathered.questions = dict(
        Question.objects.filter(condition).values_list("pk", "passage__deck_id")
    )
    gathered.cards = {
        card.question_id: card
        for card in CardState.objects.filter(user=user, question_id__in=list(gathered.questions))
    }
    gathered.rows = {row.question_id: row for row in ExamCardDue.objects.filter(user=user)}
    stale: list[ExamCardDue] = []
    keep: set[int] = set()
    for question_id, card in gathered.cards.items():
        plan = gathered.governing(question_id)
        if plan is None or card.state != "review" or card.due is None:
            continue
        keep.add(question_id)
        row = gathered.rows.get(question_id)
        if row is not None and (row.exam_at, row.target, row.last_review, row.natural_due) == (
            plan.exam_at,
            plan.target,
            card.last_review,
            card.due,
        ):
            continue
        capped = exam_capped_due(
            snapshot_from_card(card),
            exam_at=plan.exam_at,
            target=plan.target,
            settings=scheduler,
            card_key=question_id,
        )
        assert card.last_review is not None  # only reviewed cards are capped
        row = ExamCardDue(
            user=user,
            question_id=question_id,
            exam_at=plan.exam_at,
            target=plan.target,
            last_review=card.last_review,
            natural_due=card.due,
            due=capped if capped is not None and capped < card.due else None,
        )
        gathered.rows[question_id] = row
        stale.append(row)
    gone = [q for q in gathered.rows if q not in keep]
    if gone or stale:
        with transaction.atomic():
            if gone:
                ExamCardDue.objects.filter(user=user, question_id__in=sorted(gone)).delete()
                for question_id in gone:
                    del gathered.rows[question_id]
            if stale:
                # in question order, so that concurrent refreshes lock rows alike
                stale.sort(key=lambda row: row.question_id)
                ExamCardDue.objects.bulk_create(
                    stale,
                    update_conflicts=True,
                    unique_fields=["user", "question"],
                    update_fields=["exam_at", "target", "last_review", "natural_due", "due"],
                )
    return gathered


def _effective_due(card: CardState, row: ExamCardDue | None) -> datetime | None:
    if row is not None and row.due is not None and row.last_review == card.last_review:
        return min(row.due, card.due) if card.due else row.due
    return card.due


# --- The queue's part ------------------------------------------------------------


@dataclass(frozen=True)
class ExamQueue:
    """What the active plans change in the queue (nothing without a plan)."""

    due_condition: Q  # on CardState: due now, by FSRS's date or a plan's capped date
    new_left: int  # the plans' new cards still to introduce today
    planned: Q | None = None  # on Question: the plans' questions, introduced first


def _assignment_subject(assignment: Any) -> str:
    """The title of what an assignment is on: its deck's, or its quiz set's."""
    return str(assignment.deck.title if assignment.deck_id else assignment.quiz_set.title)


def exam_queue(
    *,
    user: User,
    now: datetime,
    scheduler: SchedulerSettings,
    clock: StudyClock,
    deck_id: int | None = None,
    assignment_id: int | None = None,
) -> ExamQueue:
    """The queue's view of the learner's active plans. One query without a plan.

    The plans' new cards count towards a queue of one deck or one assignment only
    when the plan has questions in that deck, or is that assignment's."""
    plans = active_exam_plans(user=user, now=now, clock=clock)
    if not plans:
        return ExamQueue(due_condition=Q(due__lte=now), new_left=0)
    gathered = _gather(user, plans, scheduler)
    capped = ExamCardDue.objects.filter(
        user=user,
        question=OuterRef("question_id"),
        last_review=OuterRef("last_review"),
        due__lte=now,
        exam_at__gt=now,
    )

    def serves(plan: ActivePlan) -> bool:
        if assignment_id is not None and plan.plan.assignment_id != assignment_id:
            return False
        return deck_id is None or any(
            deck == deck_id and plan.contains(question, deck)
            for question, deck in gathered.questions.items()
        )

    new_left = sum(
        _new_today(gathered, plan, user, now, clock)[1] for plan in plans if serves(plan)
    )
    return ExamQueue(
        due_condition=Q(due__lte=now) | Q(Exists(capped), state="review"),
        new_left=new_left,
        planned=_plans_q(plans),
    )


def _introduced_today(
    gathered: _Gathered, user: User, now: datetime, clock: StudyClock
) -> set[int]:
    if gathered.introduced is None:
        start = clock.day_start(clock.day(now))
        gathered.introduced = set(
            ReviewLog.objects.effective()
            .filter(
                user=user,
                reviewed_at__gte=start,
                state_before__state="new",
                question_id__in=list(gathered.questions),
            )
            .values_list("question_id", flat=True)
        )
    return gathered.introduced


def _new_today(
    gathered: _Gathered, plan: ActivePlan, user: User, now: datetime, clock: StudyClock
) -> tuple[int, int, int, int]:
    """(planned new cards today, still to introduce today, new cards left, new cards
    introduced today) of a plan."""
    introduced = _introduced_today(gathered, user, now, clock)
    unseen = 0
    today = 0
    for question_id, deck_id in gathered.questions.items():
        if not plan.contains(question_id, deck_id):
            continue
        card = gathered.cards.get(question_id)
        if card is None or card.state == "new":
            unseen += 1
        elif question_id in introduced:
            today += 1
    planned = introduction_schedule(unseen + today, introduction_end(plan.days_left))[0]
    return planned, max(0, planned - today), unseen, today


# --- What a plan shows -------------------------------------------------------------


def _plan_summary(
    gathered: _Gathered,
    plan: ActivePlan,
    user: User,
    now: datetime,
    scheduler: SchedulerSettings,
    clock: StudyClock,
) -> dict[str, Any]:
    today = clock.day(now)
    planned, _, unseen, introduced = _new_today(gathered, plan, user, now, clock)
    recalls: list[float] = []
    reviews: dict[date, int] = defaultdict(int)
    for question_id, deck_id in gathered.questions.items():
        if not plan.contains(question_id, deck_id):
            continue
        card = gathered.cards.get(question_id)
        if card is None or card.state == "new":
            recalls.append(0.0)
            continue
        recalls.append(
            exam_recall(snapshot_from_card(card), exam_at=plan.exam_at, settings=scheduler)
        )
        due = _effective_due(card, gathered.rows.get(question_id))
        if due is not None and due < plan.exam_at and not card.suspended:
            reviews[max(today, clock.day(due))] += 1
    intro = introduction_schedule(unseen + introduced, introduction_end(plan.days_left))
    days = [
        {
            "date": (today + timedelta(days=i)).isoformat(),
            "new": intro[i] if i < len(intro) else 0,
            "reviews": reviews.get(today + timedelta(days=i), 0),
        }
        for i in range(plan.days_left)
    ]
    total = len(recalls)
    assignment = plan.plan.assignment if plan.plan.assignment_id else None
    return {
        "id": plan.plan.pk,
        "kind": "assignment" if assignment else "own",
        "assignment": assignment.pk if assignment else None,
        "deck": plan.deck_id,
        "title": plan.title,
        "exam_date": plan.exam_day.isoformat(),
        "target": plan.target,
        "days_left": plan.days_left,
        "cards": total,
        "new_cards_left": unseen,
        "new_per_day": planned,
        "reviews_per_day": round(sum(reviews.values()) / plan.days_left, 1),
        "predicted_recall": round(sum(recalls) / total, 4) if total else None,
        "cards_at_risk": sum(1 for r in recalls if r < plan.target),
        "days": days,
    }


def exam_plans_progress(*, user: User, now: datetime) -> list[dict[str, Any]]:
    """Each active plan of the learner, nearest exam first: its exam date and target,
    new cards a day (today's), reviews a day (the next review of each card that falls
    before the exam, capped dates included, over the days left), predicted recall on
    the day, cards at risk, and a day-by-day ``days`` list of new cards and reviews."""
    scheduler = scheduler_settings_for(StudySettings.objects.filter(user=user).first(), user=user)
    clock = scheduler.clock
    assert clock is not None
    plans = active_exam_plans(user=user, now=now, clock=clock)
    gathered = _gather(user, plans, scheduler)
    return [_plan_summary(gathered, plan, user, now, scheduler, clock) for plan in plans]


# --- Setting plans -------------------------------------------------------------------


def _target(value: Any) -> float:
    low, high = TARGET
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and low <= value <= high)
    ):
        message = f"target must be a number from {low} to {high}."
        raise ApplicationError(message, fields={"target": [message]})
    return float(value)


def _forget_capped(users: QuerySet[Any] | list[int]) -> None:
    """Drop capped dates so they are computed again under the changed plans."""
    ExamCardDue.objects.filter(user__in=users).delete()


def exam_plan_list(*, user: User) -> QuerySet[ExamPlan]:
    return ExamPlan.objects.filter(user=user).select_related("deck").order_by("exam_date", "id")


def exam_plan_set(
    *, user: User, deck_id: Any, exam_date: Any, target: Any, now: datetime
) -> tuple[ExamPlan, bool]:
    """Create or change the learner's plan for a deck they may see; returns the plan
    and whether it was created. Raises ApplicationError (400, naming the field) for
    an exam date that is not after today (the learner's study day) or more than
    MAX_DAYS_AHEAD days ahead, or a target outside TARGET; Http404 for a deck the
    learner cannot see."""
    if isinstance(deck_id, bool) or not isinstance(deck_id, int):
        raise ApplicationError("deck must be a deck id.", fields={"deck": ["A deck id."]})
    if not Deck.objects.filter(pk=deck_id, source__in=sources_visible_to(user=user)).exists():
        raise Http404("No such deck.")
    target = _target(DEFAULT_TARGET if target is None else target)
    scheduler = scheduler_settings_for(StudySettings.objects.filter(user=user).first(), user=user)
    assert scheduler.clock is not None
    today = scheduler.clock.day(now)
    if not isinstance(exam_date, date) or isinstance(exam_date, datetime):
        raise ApplicationError(
            "exam_date must be a date (YYYY-MM-DD).", fields={"exam_date": ["A date, YYYY-MM-DD."]}
        )
    if exam_date <= today:
        message = f"exam_date must be after today ({today.isoformat()})."
        raise ApplicationError(message, fields={"exam_date": [message]})
    if (exam_date - today).days > MAX_DAYS_AHEAD:
        message = f"exam_date must be within {MAX_DAYS_AHEAD} days."
        raise ApplicationError(message, fields={"exam_date": [message]})
    with transaction.atomic():
        plan, created = ExamPlan.objects.update_or_create(
            user=user, deck_id=deck_id, defaults={"exam_date": exam_date, "target": target}
        )
        _forget_capped([user.pk])
    return plan, created


def exam_plan_delete(*, user: User, plan_id: int) -> None:
    """Delete the learner's own plan (Http404 for any other)."""
    with transaction.atomic():
        deleted, _ = ExamPlan.objects.filter(user=user, pk=plan_id).delete()
        if not deleted:
            raise Http404("No such exam plan.")
        _forget_capped([user.pk])


def _taught_assignment(teacher: User, assignment_id: int) -> Any:
    assignment = (
        _assignment_model().objects.filter(pk=assignment_id, classroom__teacher=teacher).first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def assignment_exam_plan_get(*, teacher: User, assignment_id: int) -> ExamPlan:
    """The plan on an assignment of the teacher's class (Http404 otherwise or none)."""
    assignment = _taught_assignment(teacher, assignment_id)
    plan = ExamPlan.objects.filter(assignment=assignment).first()
    if plan is None:
        raise Http404("This assignment has no exam plan.")
    return plan


def assignment_exam_plan_set(
    *, teacher: User, assignment_id: int, target: Any
) -> tuple[ExamPlan, bool]:
    """Make the assignment's due date an exam date with ``target`` for every student
    of its class; returns the plan and whether it was created. Raises Http404 for an
    assignment of another teacher's class, ApplicationError (400) for a bad target."""
    assignment = _taught_assignment(teacher, assignment_id)
    target = _target(DEFAULT_TARGET if target is None else target)
    with transaction.atomic():
        plan, created = ExamPlan.objects.update_or_create(
            assignment=assignment, defaults={"target": target}
        )
        _forget_capped(_class_students(assignment))
    return plan, created


def assignment_exam_plan_delete(*, teacher: User, assignment_id: int) -> None:
    assignment = _taught_assignment(teacher, assignment_id)
    with transaction.atomic():
        deleted, _ = ExamPlan.objects.filter(assignment=assignment).delete()
        if not deleted:
            raise Http404("This assignment has no exam plan.")
        _forget_capped(_class_students(assignment))


def _class_students(assignment: Any) -> list[int]:
    return list(
        Membership.objects.filter(classroom_id=assignment.classroom_id).values_list(
            "student_id", flat=True
        )
    )


# --- The teacher's view ----------------------------------------------------------------


@dataclass(frozen=True)
class StudentExamPrediction:
    predicted_recall: float | None
    at_risk: bool | None


def assignment_exam_predictions(
    *,
    assignment: Any,
    students: list[User],
    now: datetime,
) -> tuple[float | None, dict[int, StudentExamPrediction], float | None]:
    """For an assignment with a plan: each student's predicted recall on its due date
    (the mean, over the assignment's studyable questions, of their cards'
    retrievability on the due date's study day in the student's clock, if they got no
    further review; unseen questions count 0) and whether it is below the target; and
    the class's mean. ``(target, by student id, mean)``; ``(None, {}, None)`` without a
    plan. Four queries whatever the class size."""
    plan = ExamPlan.objects.filter(assignment_id=assignment.pk).first()
    if plan is None or not students:
        return None, {}, None
    if assignment.quiz_set_id is not None:
        items = (
            apps.get_model("teaching", "QuizSetItem")
            .objects.filter(quiz_set_id=assignment.quiz_set_id)
            .values("question_id")
        )
        questions = Question.objects.filter(STUDYABLE, pk__in=items)
    else:
        questions = Question.objects.filter(STUDYABLE, passage__deck_id=assignment.deck_id)
    question_ids = list(questions.values_list("pk", flat=True))
    settings_rows = {
        row.user_id: row for row in StudySettings.objects.filter(user__in=[s.pk for s in students])
    }
    cards: dict[int, list[CardState]] = defaultdict(list)
    for card in CardState.objects.filter(
        user__in=[s.pk for s in students], question_id__in=question_ids
    ):
        cards[card.user_id].append(card)
    out: dict[int, StudentExamPrediction] = {}
    for student in students:
        if not question_ids:
            out[student.pk] = StudentExamPrediction(None, None)
            continue
        scheduler = scheduler_settings_for(settings_rows.get(student.pk), user=student)
        clock = scheduler.clock
        assert clock is not None
        exam_at = clock.day_start(clock.day(assignment.due_at))
        total = sum(
            exam_recall(snapshot_from_card(card), exam_at=exam_at, settings=scheduler)
            for card in cards.get(student.pk, [])
        )
        recall = round(total / len(question_ids), 4)
        out[student.pk] = StudentExamPrediction(recall, recall < plan.target)
    values = [p.predicted_recall for p in out.values() if p.predicted_recall is not None]
    mean = round(sum(values) / len(values), 4) if values else None
    return plan.target, out, mean
