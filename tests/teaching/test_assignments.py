from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from quizzes.teaching.models import Assignment, Attempt
from quizzes.teaching.selectors import quiz_status, study_status
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from tests.conftest import authenticated
from tests.factories import ClassroomFactory, DeckFactory
from tests.teaching.factories import DUE, OPENS, AssignmentFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments"
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_the_database_refuses_a_due_time_not_after_the_opening(classroom, quiz_set):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(classroom=classroom, quiz_set=quiz_set, opens_at=DUE, due_at=DUE)
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("both", [True, False])
def test_the_database_refuses_neither_or_both_of_quiz_set_and_deck(classroom, quiz_set, both):
    deck = DeckFactory() if both else None
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            classroom=classroom,
            quiz_set=quiz_set if both else None,
            deck=deck,
            target_mastery=0.8,
            opens_at=OPENS,
            due_at=DUE,
        )
    assert Assignment.objects.count() == 0


def test_a_teacher_assigns_a_quiz_set_with_a_time_limit(api_client, teacher, classroom, quiz_set):
    response = authenticated(api_client, teacher).post(
        ASSIGNMENTS,
        {
            "classroom": classroom.pk,
            "quiz_set": quiz_set.pk,
            "opens_at": "2026-03-02T09:00:00+00:00",
            "due_at": "2026-03-09T09:00:00+01:00",
            "time_limit_seconds": 900,
            "attempts_allowed": 3,
            "grading_method": "average",
            "shuffle_questions": True,
            "feedback": "immediately",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert {
        key: body[key]
        for key in (
            "classroom",
            "title",
            "kind",
            "quiz_set",
            "deck",
            "target_mastery",
            "opens_at",
            "due_at",
            "time_limit_seconds",
            "attempts_allowed",
            "grading_method",
            "shuffle_questions",
            "shuffle_options",
            "feedback",
        )
    } == {
        "classroom": classroom.pk,
        "title": "Kronstadt quiz",
        "kind": "quiz",
        "quiz_set": quiz_set.pk,
        "deck": None,
        "target_mastery": None,
        "opens_at": "2026-03-02T09:00:00Z",
        "due_at": "2026-03-09T08:00:00Z",
        "time_limit_seconds": 900,
        "attempts_allowed": 3,
        "grading_method": "average",
        "shuffle_questions": True,
        "shuffle_options": False,
        "feedback": "immediately",
    }


def test_a_teacher_sets_a_study_target(api_client, teacher, classroom, deck):
    response = authenticated(api_client, teacher).post(
        ASSIGNMENTS,
        {
            "classroom": classroom.pk,
            "deck": deck.pk,
            "target_mastery": 0.9,
            "opens_at": "2026-03-02T09:00:00Z",
            "due_at": "2026-03-09T09:00:00Z",
        },
    )

    assert response.status_code == 201
    assert (
        response.json()["kind"],
        response.json()["deck"],
        response.json()["target_mastery"],
        response.json()["title"],
    ) == ("study_target", deck.pk, 0.9, "Kronstadt 1921")


@pytest.mark.parametrize(
    ("change", "status", "fields"),
    [
        (
            {"due_at": "2026-03-02T09:00:00Z"},
            400,
            {"__all__": ["The due time must be after the opening time."]},
        ),
        (
            {"deck": "DECK"},
            400,
            {"non_field_errors": ["Give either a quiz set or a deck, not both."]},
        ),
        ({"classroom": "OTHER_CLASS"}, 403, {"classroom": ["You do not teach this class."]}),
        ({"quiz_set": "OTHER_SET"}, 403, {"quiz_set": ["This quiz set is not yours."]}),
        ({"quiz_set": 999999}, 400, {"quiz_set": ["This does not exist."]}),
    ],
)
def test_bad_assignments_are_refused_and_nothing_is_saved(
    api_client, teacher, other_teacher, classroom, quiz_set, deck, change, status, fields
):
    values = {
        "DECK": deck.pk,
        "OTHER_CLASS": ClassroomFactory(teacher=other_teacher).pk,
        "OTHER_SET": QuizSetFactory(owner=other_teacher).pk,
    }
    payload = {
        "classroom": classroom.pk,
        "quiz_set": quiz_set.pk,
        "opens_at": "2026-03-02T09:00:00Z",
        "due_at": "2026-03-09T09:00:00Z",
    }
    payload.update({key: values.get(value, value) for key, value in change.items()})

    response = authenticated(api_client, teacher).post(ASSIGNMENTS, payload)

    assert response.status_code == status
    assert response.json()["fields"] == fields
    assert Assignment.objects.count() == 0


def test_students_see_their_assignments_with_each_status(
    api_client, teacher, classroom, student, questions
):
    # given five quizzes: untouched, running, submitted, timed out, and one past due
    def quiz(title, **kwargs):
        return AssignmentFactory(
            classroom=classroom,
            title=title,
            time_limit_seconds=600,
            quiz_set=QuizSetFactory(owner=teacher, questions=questions),
            **kwargs,
        )

    quiz("untouched")
    running = quiz("running")
    submitted = quiz("submitted")
    timed_out = quiz("timed out")
    quiz("missed", opens_at=OPENS - timedelta(days=7), due_at=OPENS)
    AssignmentFactory(quiz_set=QuizSetFactory(owner=teacher, questions=questions))  # other class
    attempt_start(student=student, assignment=running, now=MONDAY)
    attempt_submit(
        attempt=attempt_start(student=student, assignment=submitted, now=MONDAY)[0], now=MONDAY
    )
    attempt_start(student=student, assignment=timed_out, now=MONDAY - timedelta(minutes=30))

    # when the student lists them at 10:05
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        body = authenticated(api_client, student).get(ASSIGNMENTS).json()

    # then each has its status, soonest due first
    assert body["count"] == 5
    assert [(row["title"], row["status"], row["attempts_used"]) for row in body["results"]] == [
        ("missed", "missed", 0),
        ("untouched", "not_started", 0),
        ("running", "in_progress", 1),
        ("submitted", "submitted", 1),
        ("timed out", "late", 1),
    ]
    assert Attempt.objects.get(assignment=timed_out).state == "in_progress"


def test_the_student_list_takes_a_fixed_number_of_queries(
    api_client, teacher, classroom, student, questions, django_assert_num_queries
):
    for _ in range(4):
        AssignmentFactory(
            classroom=classroom, quiz_set=QuizSetFactory(owner=teacher, questions=questions)
        )
    client = authenticated(api_client, student)

    # count, page, the student's attempts
    with django_assert_num_queries(3):
        response = client.get(ASSIGNMENTS)

    assert response.json()["count"] == 4


def test_the_teacher_list_filters_by_class(
    api_client, teacher, classroom, quiz_set, django_assert_num_queries
):
    AssignmentFactory(classroom=classroom, quiz_set=quiz_set, title="mine")
    other_class = ClassroomFactory(teacher=teacher)
    AssignmentFactory(classroom=other_class, quiz_set=quiz_set, title="other class")
    client = authenticated(api_client, teacher)

    with django_assert_num_queries(2):
        response = client.get(ASSIGNMENTS, {"classroom": classroom.pk})

    assert [row["title"] for row in response.json()["results"]] == ["mine"]
    assert client.get(ASSIGNMENTS).json()["count"] == 2


@pytest.mark.parametrize(
    ("progress", "now", "expected"),
    [
        (None, MONDAY, "not_started"),
        (None, DUE, "missed"),
        ({"mastery": 0.0, "seen": 0.0}, MONDAY, "not_started"),
        ({"mastery": 0.95, "seen": 0.5}, MONDAY, "in_progress"),
        ({"mastery": 0.95, "seen": 0.5}, DUE, "late"),
        ({"mastery": 0.9, "seen": 1.0}, DUE, "submitted"),
    ],
)
def test_study_target_status_comes_from_deck_wide_mastery(progress, now, expected):
    assert study_status(progress=progress, target=0.8, due_at=DUE, now=now) == expected


def test_quiz_status_counts_an_expired_attempt_as_late_before_the_task_runs():
    attempt = Attempt(state="in_progress", started_at=MONDAY, deadline=MONDAY + timedelta(1))
    assert quiz_status(attempts=[attempt], due_at=DUE, now=MONDAY) == "in_progress"
    assert quiz_status(attempts=[attempt], due_at=DUE, now=DUE) == "late"
    assert quiz_status(attempts=[], due_at=DUE, now=DUE) == "missed"


def test_a_study_target_shows_the_students_progress(api_client, classroom, student, deck):
    AssignmentFactory(classroom=classroom, quiz_set=None, deck=deck, target_mastery=0.8)

    with time_machine.travel(MONDAY, tick=False):
        row = authenticated(api_client, student).get(ASSIGNMENTS).json()["results"][0]

    assert (row["kind"], row["status"]) == ("study_target", "not_started")
    assert row["progress"] == {"mastery": 0.0, "seen": 0.0}


def test_a_study_target_cannot_be_started_as_a_quiz(api_client, classroom, student, deck):
    assignment = AssignmentFactory(
        classroom=classroom, quiz_set=None, deck=deck, target_mastery=0.8
    )

    with time_machine.travel(MONDAY, tick=False):
        response = authenticated(api_client, student).post(
            f"/api/v1/assignments/{assignment.pk}/attempts"
        )

    assert (response.status_code, response.json()["code"]) == (400, "not_a_quiz")
    assert Attempt.objects.count() == 0


def test_the_database_allows_one_attempt_in_progress_per_student(student, assignment):
    attempt_start(student=student, assignment=assignment, now=MONDAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            assignment=assignment, student=student, number=2, started_at=MONDAY, deadline=DUE
        )
    assert Attempt.objects.count() == 1


def test_results_of_a_study_target_list_students_without_item_statistics(
    api_client, teacher, classroom, student, deck
):
    assignment = AssignmentFactory(
        classroom=classroom, quiz_set=None, deck=deck, target_mastery=0.8
    )

    with time_machine.travel(DUE, tick=False):
        body = (
            authenticated(api_client, teacher)
            .get(f"/api/v1/assignments/{assignment.pk}/results")
            .json()
        )

    assert body["questions"] == []
    assert [
        (row["student"]["username"], row["status"], row["score"]) for row in body["students"]
    ] == [("sam", "missed", None)]


def test_a_student_sees_the_latest_attempt_and_its_score(
    api_client, student, assignment, questions
):
    # given a submitted first attempt with one right answer out of three
    first, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(
        attempt=first,
        question_id=questions[0].pk,
        answer="March 1921",
        now=MONDAY + timedelta(minutes=1),
    )
    attempt_submit(attempt=first, now=MONDAY + timedelta(minutes=2))

    # when the student lists the assignments
    with time_machine.travel(MONDAY + timedelta(minutes=3), tick=False):
        row = authenticated(api_client, student).get(ASSIGNMENTS).json()["results"][0]

    # then the row says how the last attempt went
    assert row["attempts_used"] == 1
    latest = row["latest_attempt"]
    assert (latest["id"], latest["number"], latest["state"]) == (first.pk, 1, "submitted")
    assert (latest["score"], latest["max_score"]) == (1.0, 3.0)


def test_a_student_with_no_attempt_has_no_latest_attempt(api_client, student, assignment):
    with time_machine.travel(MONDAY, tick=False):
        row = authenticated(api_client, student).get(ASSIGNMENTS).json()["results"][0]

    assert row["latest_attempt"] is None
