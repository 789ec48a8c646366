"""Exam dates: plans over the API, the queue planning towards them, what they predict."""

from __future__ import annotations

import csv
import io
import math
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from quizzes.core.scheduling import CardSnapshot, SchedulerSettings, StudyClock, review
from quizzes.study.models import ExamCardDue, ExamPlan, ReviewLog, StudySettings
from quizzes.study.snapshots import snapshot_from_card
from tests.conftest import authenticated
from tests.factories import (
    ClassroomFactory,
    DeckFactory,
    MembershipFactory,
    PassageFactory,
    QuestionFactory,
    SourceFactory,
    UserFactory,
)
from tests.study.factories import CardStateFactory
from tests.teaching.factories import AssignmentFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

EXAMS = "/api/v1/study/exams"
QUEUE = "/api/v1/study/queue"
PROGRESS = "/api/v1/study/progress"
# The site's time zone is UTC and the rollover 4 am: study day D starts at D 04:00 UTC.
CLOCK = StudyClock("UTC", 4)
SETTINGS = SchedulerSettings(clock=CLOCK)
# FSRS-6 forgetting curve with the default decay w20 = 0.1542, as a learner without
# personal parameters has it: R(t, S) = (1 + F t / S) ** -w20, R(S, S) = 0.9.
DECAY = 0.1542
FACTOR = 0.9 ** (-1 / DECAY) - 1


def recall(days: int, stability: float) -> float:
    return (1 + FACTOR * days / stability) ** -DECAY


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def plan_deck(db):
    deck = DeckFactory(title="Civil war")
    passage = PassageFactory(deck=deck, order=1)
    questions = [QuestionFactory(passage=passage, status="approved") for _ in range(10)]
    return deck, questions


def _queue(client: APIClient, **params) -> dict:
    response = client.get(QUEUE, params)
    assert response.status_code == 200, response.content
    return response.json()


# --- Setting a plan ------------------------------------------------------------------


def test_a_learner_sets_a_plan_and_sees_the_planners_numbers(
    student, student_client, plan_deck, now
):
    deck, questions = plan_deck
    # two cards seen: one reviewed yesterday with stability 10 (exam in 9 days: 10
    # study days after it), one reviewed today with stability 3 (9 days)
    CardStateFactory(
        user=student,
        question=questions[0],
        stability=10.0,
        last_review=now - timedelta(days=1),
        due=now + timedelta(days=9),
    )
    CardStateFactory(
        user=student,
        question=questions[1],
        stability=3.0,
        last_review=now - timedelta(hours=1),
        due=now + timedelta(days=3),
    )

    response = student_client.post(
        EXAMS, {"deck": deck.pk, "exam_date": "2026-03-11"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    # 8 new cards, exam 9 days away: new cards on days 0..7 (a quarter of 9 days,
    # rounded down to 2, stays free of them): 8 / 8 = 1 a day
    assert (
        body["target"],
        body["days_left"],
        body["cards"],
        body["new_cards_left"],
        body["new_per_day"],
    ) == (0.9, 9, 10, 8, 1)
    assert [d["new"] for d in body["days"]] == [1, 1, 1, 1, 1, 1, 1, 1, 0]
    expected = (recall(10, 10.0) + recall(9, 3.0)) / 10
    assert body["predicted_recall"] == round(expected, 4) == 0.1709
    # below 0.9 on the day: the 8 new cards and the second (R(9, 3) = 0.8090); the
    # first stands at exactly R(10, 10) = 0.9
    assert body["cards_at_risk"] == 9
    # the next reviews before the exam: the second card's, on day 3 (the first one's
    # FSRS date is the exam day, and it holds the target, so it is not capped)
    assert [d["reviews"] for d in body["days"]] == [0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert body["reviews_per_day"] == round(1 / 9, 1)
    plan = ExamPlan.objects.get()
    assert (plan.user, plan.deck, plan.exam_date) == (student, deck, date(2026, 3, 11))
    # and the progress page carries the same plan
    progress = student_client.get(PROGRESS).json()
    assert progress["exams"] == [body]


def test_setting_the_plan_again_changes_it(student, student_client, plan_deck, now):
    deck, _ = plan_deck
    student_client.post(EXAMS, {"deck": deck.pk, "exam_date": "2026-03-11"}, format="json")

    response = student_client.post(
        EXAMS, {"deck": deck.pk, "exam_date": "2026-03-20", "target": 0.95}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["exam_date"], response.json()["target"]) == ("2026-03-20", 0.95)
    assert ExamPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exam_date": "2026-03-01"}, "exam_date"),  # yesterday
        ({"exam_date": "2026-03-02"}, "exam_date"),  # today
        ({"exam_date": "2031-12-31"}, "exam_date"),  # beyond five years
        ({"exam_date": "next week"}, "exam_date"),
        ({"exam_date": "2026-03-11", "target": 1.2}, "target"),
        ({"exam_date": "2026-03-11", "target": 0.5}, "target"),
        ({"exam_date": "2026-03-11", "target": "high"}, "target"),
        ({"exam_date": "2026-03-11", "deck": "x"}, "deck"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(student_client, plan_deck, now, body, field):
    deck, _ = plan_deck
    response = student_client.post(EXAMS, {"deck": deck.pk, **body}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}
    assert list(response.json()["fields"]) == [field]
    assert ExamPlan.objects.count() == 0


def test_a_plan_on_a_deck_the_learner_cannot_see_is_refused(student_client, other_teacher, now):
    hidden = DeckFactory(source=SourceFactory(created_by=other_teacher))

    response = student_client.post(
        EXAMS, {"deck": hidden.pk, "exam_date": "2026-03-11"}, format="json"
    )

    assert response.status_code == 404
    assert ExamPlan.objects.count() == 0


def test_a_learner_deletes_only_their_own_plan(student, student_client, plan_deck, now):
    deck, _ = plan_deck
    theirs = ExamPlan.objects.create(user=UserFactory(), deck=deck, exam_date=date(2026, 3, 11))
    mine = ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 11))

    assert student_client.delete(f"{EXAMS}/{theirs.pk}").status_code == 404
    assert student_client.delete(f"{EXAMS}/{mine.pk}").status_code == 204
    assert list(ExamPlan.objects.all()) == [theirs]


# --- The queue -------------------------------------------------------------------------


def test_the_queue_introduces_the_planned_new_cards_first_beyond_the_daily_limit(
    student, student_client, plan_deck, now
):
    deck, questions = plan_deck
    other = QuestionFactory(passage=PassageFactory(order=0), status="approved")
    StudySettings.objects.create(user=student, new_per_day=0)
    assert _queue(student_client)["cards"] == []
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 11))

    body = _queue(student_client)

    # 10 new cards over days 0..7 of 9: 2 today (the remainder first)
    assert body["new_limit_left"] == 2
    assert [c["question"]["id"] for c in body["cards"]] == [q.pk for q in questions[:2]]
    assert other.pk not in [c["question"]["id"] for c in body["cards"]]
    # once both are studied, no more today
    for question in questions[:2]:
        student_client.post(
            "/api/v1/study/reviews",
            {
                "id": str(uuid.uuid4()),
                "question": question.pk,
                "rating": 4,
                "reviewed_at": now.isoformat(),
            },
            format="json",
        )
    assert _queue(student_client)["new_limit_left"] == 0


def test_the_plans_new_cards_do_not_raise_the_limit_of_another_decks_queue(
    student, student_client, plan_deck, now
):
    deck, questions = plan_deck
    other = QuestionFactory(passage=PassageFactory(order=0), status="approved")
    StudySettings.objects.create(user=student, new_per_day=0)
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 11))

    elsewhere = _queue(student_client, deck=other.passage.deck_id)
    here = _queue(student_client, deck=deck.pk)

    assert (elsewhere["new_limit_left"], elsewhere["cards"]) == (0, [])
    assert here["new_limit_left"] == 2


def test_plan_questions_come_before_other_new_cards(student, student_client, plan_deck, now):
    deck, questions = plan_deck
    deck.order = 5
    deck.save()
    first = QuestionFactory(
        passage=PassageFactory(order=0, deck=DeckFactory(source=deck.source, order=1)),
        status="approved",
    )
    StudySettings.objects.create(user=student, new_per_day=3)
    assert _queue(student_client)["cards"][0]["question"]["id"] == first.pk

    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 11))

    assert [c["question"]["id"] for c in _queue(student_client)["cards"]] == [
        q.pk for q in questions[:3]
    ]


@pytest.fixture
def capped_card(student, plan_deck, now):
    """A review card reviewed yesterday with stability 20: FSRS has it due on
    2026-03-21; with an exam on 2026-03-12 it would stand at 0.9357 then."""
    deck, questions = plan_deck
    card = CardStateFactory(
        user=student,
        question=questions[0],
        stability=20.0,
        difficulty=5.0,
        last_review=now - timedelta(days=1),
        due=CLOCK.day_start(date(2026, 3, 21)),
    )
    for question in questions[1:]:
        question.delete()
    return deck, card


def test_a_card_due_after_the_exam_is_due_on_the_last_day_that_holds_the_target(
    student, student_client, capped_card, time_machine
):
    deck, card = capped_card
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.95)
    natural = (card.due, card.stability, card.difficulty)

    # not due on the 10th
    time_machine.move_to(at(date(2026, 3, 10), 23), tick=False)
    assert _queue(student_client)["cards"] == []
    # due from the start of the 11th (its study day)
    time_machine.move_to(CLOCK.day_start(date(2026, 3, 11)), tick=False)
    body = _queue(student_client)
    assert [c["question"]["id"] for c in body["cards"]] == [card.question_id]
    assert body["due_count"] == 1
    # the card itself keeps FSRS's date and memory state
    card.refresh_from_db()
    assert (card.due, card.stability, card.difficulty) == natural
    assert ExamCardDue.objects.get().due == CLOCK.day_start(date(2026, 3, 11))
    # the right day: a Good review then holds 0.95 on the 12th, on the 12th it is too late
    snapshot = snapshot_from_card(card)
    exam_at = CLOCK.day_start(date(2026, 3, 12))
    after = review(
        snapshot, 3, now=at(date(2026, 3, 11)), settings=SETTINGS, card_key=card.question_id
    ).snapshot
    assert recall(1, after.stability) >= 0.95
    assert recall((exam_at.date() - date(2026, 3, 1)).days, 20.0) < 0.95


def test_a_target_the_card_already_holds_leaves_fsrs_date(
    student, student_client, capped_card, time_machine
):
    deck, card = capped_card
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.9)

    time_machine.move_to(at(date(2026, 3, 11)), tick=False)

    assert _queue(student_client)["cards"] == []


def test_the_capped_review_is_an_ordinary_fsrs_review(
    student, student_client, capped_card, time_machine
):
    deck, card = capped_card
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.95)
    moment = at(date(2026, 3, 11))
    time_machine.move_to(moment, tick=False)
    before = snapshot_from_card(card)

    response = student_client.post(
        "/api/v1/study/reviews",
        {
            "id": str(uuid.uuid4()),
            "question": card.question_id,
            "rating": 3,
            "reviewed_at": moment.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201
    expected = review(before, 3, now=moment, settings=SETTINGS, card_key=card.question_id).snapshot
    card.refresh_from_db()
    assert (card.stability, card.difficulty, card.due) == (
        expected.stability,
        expected.difficulty,
        expected.due,
    )
    assert ReviewLog.objects.get().state_after["due"] == expected.due.isoformat()
    # and it is not due again before the exam
    assert _queue(student_client)["cards"] == []


def test_after_the_exam_the_card_returns_to_fsrs_date(
    student, student_client, capped_card, time_machine
):
    deck, card = capped_card
    ExamPlan.objects.create(user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.95)
    time_machine.move_to(at(date(2026, 3, 11)), tick=False)
    assert len(_queue(student_client)["cards"]) == 1

    # skipped on the 11th: on the exam day and after, only FSRS's date counts
    for day in (date(2026, 3, 12), date(2026, 3, 20)):
        time_machine.move_to(at(day), tick=False)
        body = _queue(student_client)
        assert (body["cards"], body["due_count"]) == ([], 0)
        assert student_client.get(EXAMS).json() == []
    time_machine.move_to(CLOCK.day_start(date(2026, 3, 21)), tick=False)
    assert [c["question"]["id"] for c in _queue(student_client)["cards"]] == [card.question_id]


def test_deleting_the_plan_drops_the_cap(student, student_client, capped_card, time_machine):
    deck, card = capped_card
    plan = ExamPlan.objects.create(
        user=student, deck=deck, exam_date=date(2026, 3, 12), target=0.95
    )
    time_machine.move_to(at(date(2026, 3, 11)), tick=False)
    assert len(_queue(student_client)["cards"]) == 1

    assert student_client.delete(f"{EXAMS}/{plan.pk}").status_code == 204

    assert _queue(student_client)["cards"] == []
    assert ExamCardDue.objects.count() == 0


# --- A teacher's plan on an assignment -------------------------------------------------------


@pytest.fixture
def class_plan(teacher, classroom, student, plan_deck, now):
    deck, questions = plan_deck
    assignment = AssignmentFactory(
        classroom=classroom,
        deck=deck,
        target_mastery=0.8,
        quiz_set=None,
        opens_at=now - timedelta(days=1),
        due_at=at(date(2026, 3, 11), 17),
    )
    return assignment, deck, questions


def test_a_teacher_sets_a_plan_that_the_class_studies_by(
    teacher, student, student_client, class_plan, now
):
    assignment, deck, questions = class_plan
    client = authenticated(APIClient(), teacher)
    outsider = UserFactory(username="olga")
    StudySettings.objects.create(user=student, new_per_day=0)
    StudySettings.objects.create(user=outsider, new_per_day=0)

    response = client.put(
        f"/api/v1/assignments/{assignment.pk}/exam-plan", {"target": 0.85}, format="json"
    )

    assert response.status_code == 201, response.content
    plans = student_client.get(EXAMS).json()
    assert [
        (p["kind"], p["assignment"], p["exam_date"], p["target"], p["new_per_day"]) for p in plans
    ] == [("assignment", assignment.pk, "2026-03-11", 0.85, 2)]
    assert _queue(student_client)["new_limit_left"] == 2
    # a student outside the class gets no plan
    outsider_client = authenticated(APIClient(), outsider)
    assert outsider_client.get(EXAMS).json() == []
    assert _queue(outsider_client)["new_limit_left"] == 0


def test_a_quiz_set_assignments_plan_covers_its_questions(
    teacher, student, student_client, classroom, plan_deck, now
):
    _, questions = plan_deck
    quiz_set = QuizSetFactory(owner=teacher, questions=questions[3:6])
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz_set=quiz_set,
        opens_at=now - timedelta(days=1),
        due_at=at(date(2026, 3, 4), 17),
    )
    ExamPlan.objects.create(assignment=assignment, target=0.9)
    StudySettings.objects.create(user=student, new_per_day=0)

    body = _queue(student_client)

    # 3 cards, exam in 2 days: all introduced today... day 0 of days 0..1: 2 then 1
    assert [c["question"]["id"] for c in body["cards"]] == [q.pk for q in questions[3:5]]


def test_only_the_class_teacher_sets_an_assignment_plan(student_client, other_teacher, class_plan):
    assignment, _, _ = class_plan
    url = f"/api/v1/assignments/{assignment.pk}/exam-plan"

    assert (
        authenticated(APIClient(), other_teacher)
        .put(url, {"target": 0.9}, format="json")
        .status_code
        == 404
    )
    assert student_client.put(url, {"target": 0.9}, format="json").status_code == 403
    assert ExamPlan.objects.count() == 0


@pytest.mark.parametrize("target", [0.69, 1.0, None, "x"])
def test_an_assignment_plan_with_a_bad_target_is_refused(teacher, class_plan, target):
    assignment, _, _ = class_plan

    response = authenticated(APIClient(), teacher).put(
        f"/api/v1/assignments/{assignment.pk}/exam-plan", {"target": target}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["target"]
    assert ExamPlan.objects.count() == 0


def test_an_assignment_past_its_due_date_gets_no_plan(teacher, class_plan, time_machine):
    assignment, _, _ = class_plan
    time_machine.move_to(at(date(2026, 3, 12)), tick=False)

    response = authenticated(APIClient(), teacher).put(
        f"/api/v1/assignments/{assignment.pk}/exam-plan", {"target": 0.9}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["due_at"]
    assert ExamPlan.objects.count() == 0


def test_the_teacher_sees_predicted_recall_and_who_is_at_risk(
    teacher, student, classroom, class_plan, now
):
    assignment, deck, questions = class_plan
    rosa = UserFactory(username="rosa")
    MembershipFactory(classroom=classroom, student=rosa)
    # sam: every card reviewed today with stability 30; rosa: two cards, stability 5
    for question in questions:
        CardStateFactory(
            user=student,
            question=question,
            stability=30.0,
            last_review=now,
            due=now + timedelta(days=30),
        )
    for question in questions[:2]:
        CardStateFactory(
            user=rosa,
            question=question,
            stability=5.0,
            last_review=now,
            due=now + timedelta(days=5),
        )
    ExamPlan.objects.create(assignment=assignment, target=0.9)
    client = authenticated(APIClient(), teacher)

    body = client.get(f"/api/v1/assignments/{assignment.pk}/results").json()

    sam = round(recall(9, 30.0), 4)
    ros = round(2 * recall(9, 5.0) / 10, 4)
    assert (sam, ros) == (0.961, 0.171)
    rows = {row["student"]["username"]: row for row in body["students"]}
    assert (rows["sam"]["predicted_recall"], rows["sam"]["at_risk"]) == (sam, False)
    assert (rows["rosa"]["predicted_recall"], rows["rosa"]["at_risk"]) == (ros, True)
    assert body["exam"] == {
        "target": 0.9,
        "predicted_recall": round((sam + ros) / 2, 4),
        "at_risk": 1,
    }
    plan = client.get(f"/api/v1/assignments/{assignment.pk}/exam-plan").json()
    assert (plan["predicted_recall"], plan["at_risk"]) == (round((sam + ros) / 2, 4), 1)

    text = client.get(
        f"/api/v1/assignments/{assignment.pk}/results", {"format": "csv"}
    ).content.decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["username"], r["predicted_recall_on_due"], r["at_risk"]) for r in table] == [
        ("rosa", str(ros), "1"),
        ("sam", str(sam), "0"),
    ]


def test_results_without_a_plan_keep_the_gradebook_as_it_was(teacher, class_plan):
    assignment, _, _ = class_plan
    client = authenticated(APIClient(), teacher)

    body = client.get(f"/api/v1/assignments/{assignment.pk}/results").json()
    text = client.get(
        f"/api/v1/assignments/{assignment.pk}/results", {"format": "csv"}
    ).content.decode()

    assert body["exam"] is None
    assert "predicted_recall_on_due" not in text.splitlines()[0]


def test_the_forgetting_curve_used_here_is_the_schedulers():
    card = CardSnapshot(
        state="review",
        stability=7.0,
        difficulty=5.0,
        last_review=CLOCK.day_start(date(2026, 3, 2)),
        due=CLOCK.day_start(date(2026, 3, 9)),
    )
    from quizzes.core.scheduling import retrievability

    assert math.isclose(
        retrievability(card, now=CLOCK.day_start(date(2026, 3, 14)), settings=SETTINGS),
        recall(12, 7.0),
    )


def test_another_class_does_not_get_the_plan(teacher, class_plan, now):
    assignment, _, _ = class_plan
    ExamPlan.objects.create(assignment=assignment, target=0.9)
    other_class = ClassroomFactory(teacher=teacher)
    stranger = UserFactory(username="ivan")
    MembershipFactory(classroom=other_class, student=stranger)

    assert authenticated(APIClient(), stranger).get(EXAMS).json() == []
