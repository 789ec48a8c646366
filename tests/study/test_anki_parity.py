"""Anki parity of the study service: unsuspend survives replay, leech action, study days."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from rest_framework.test import APIClient

from quizzes.study.models import CardEvent, CardState, StudySettings
from quizzes.study.services import ReviewInput, due_reminder_send, review_record
from tests.factories import UserFactory
from tests.study.conftest import review_body

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/study/sync"


def _make_leech(student, question, now) -> list[datetime]:
    """Five reviews over three days; the last is the second lapse (a leech at threshold 2)."""
    StudySettings.objects.update_or_create(user=student, defaults={"leech_threshold": 2})
    day0 = now - timedelta(days=20)
    plan = [
        (3, day0),
        (3, day0 + timedelta(minutes=10)),  # graduates to review
        (1, day0 + timedelta(days=1)),  # lapse 1
        (3, day0 + timedelta(days=1, minutes=10)),  # back to review
        (1, day0 + timedelta(days=3)),  # lapse 2: leech
    ]
    for rating, at in plan:
        review_record(
            user=student,
            now=now,
            data=ReviewInput(
                client_id=uuid.uuid4(), question_id=question.pk, rating=rating, reviewed_at=at
            ),
        )
    card = CardState.objects.get(user=student, question=question)
    assert (card.lapses, card.suspended, card.leech) == (2, True, True)
    return [at for _, at in plan]


def test_unsuspend_survives_a_sync_of_an_older_review(student, student_client, question, now):
    times = _make_leech(student, question, now)
    response = student_client.post(f"/api/v1/study/cards/{question.pk}/unsuspend")
    assert response.status_code == 200
    assert response.json()["suspended"] is False
    assert (
        CardEvent.objects.filter(user=student, question=question)
        .values_list("kind", flat=True)
        .get()
        == "unsuspend"
    )

    # a phone syncs a review made offline between the first lapse and the leech
    older = review_body(question, rating=3, at=times[3] + timedelta(days=1))
    response = student_client.post(SYNC, {"reviews": [older]}, format="json")

    assert response.status_code == 200
    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.lapses, card.suspended, card.leech) == (6, 2, False, True)


def test_unsuspend_survives_an_out_of_order_review(student, student_client, question, now):
    times = _make_leech(student, question, now)
    student_client.post(f"/api/v1/study/cards/{question.pk}/unsuspend")

    older = review_body(question, rating=3, at=times[3] + timedelta(days=1))
    response = student_client.post("/api/v1/study/reviews", older, format="json")

    assert response.status_code == 201
    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.suspended) == (6, False)


def test_reviews_made_before_an_unsuspend_but_sent_after_it_keep_the_unsuspend(
    student, student_client, question, now
):
    # given a leech the student unsuspended just now
    times = _make_leech(student, question, now)
    student_client.post(f"/api/v1/study/cards/{question.pk}/unsuspend")

    # when a phone sends two reviews made offline between the leech and the unsuspend,
    # later than every review the card has seen: back to review, then a third lapse
    for rating, days in ((3, 5), (1, 8)):
        body = review_body(question, rating=rating, at=times[-1] + timedelta(days=days))
        assert student_client.post("/api/v1/study/reviews", body, format="json").status_code == 201

    # then the third lapse suspended the leech again before the unsuspend, which still
    # stands: the card is the replay of the log and the events in time order
    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.lapses, card.suspended, card.leech) == (7, 3, False, True)


def test_unsuspend_survives_an_undo_after_a_sync(student, student_client, question, now):
    _make_leech(student, question, now)
    student_client.post(f"/api/v1/study/cards/{question.pk}/unsuspend")
    later = review_body(question, rating=3, at=now - timedelta(hours=1))
    student_client.post(SYNC, {"reviews": [later]}, format="json")
    assert CardState.objects.get(user=student, question=question).reps == 6

    response = student_client.post(f"/api/v1/study/reviews/{later['id']}/undo")

    assert response.status_code == 200
    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.lapses, card.suspended) == (5, 2, False)


def test_a_manual_suspend_survives_a_sync(student, student_client, question, now):
    student_client.post(
        "/api/v1/study/reviews", review_body(question, at=now - timedelta(days=2)), format="json"
    )
    response = student_client.post(f"/api/v1/study/cards/{question.pk}/suspend")
    assert response.json()["suspended"] is True

    student_client.post(
        SYNC, {"reviews": [review_body(question, at=now - timedelta(days=3))]}, format="json"
    )

    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.suspended) == (2, True)


def test_tag_only_leech_action_keeps_the_card_in_the_queue(student, student_client, question, now):
    StudySettings.objects.create(user=student, leech_threshold=2, leech_action="tag")
    day0 = now - timedelta(days=20)
    for rating, at in [
        (3, day0),
        (3, day0 + timedelta(minutes=10)),
        (1, day0 + timedelta(days=1)),
        (3, day0 + timedelta(days=1, minutes=10)),
        (1, day0 + timedelta(days=3)),
    ]:
        student_client.post(
            "/api/v1/study/reviews", review_body(question, rating=rating, at=at), format="json"
        )

    card = CardState.objects.get(user=student, question=question)
    assert (card.lapses, card.leech, card.suspended) == (2, True, False)
    leeches = student_client.get("/api/v1/study/leeches").json()["results"]
    assert [(c["question"]["id"], c["leech"], c["suspended"]) for c in leeches] == [
        (question.pk, True, False)
    ]
    queue = student_client.get("/api/v1/study/queue").json()
    assert question.pk in [c["question"]["id"] for c in queue["cards"]]


def test_registration_keeps_the_browsers_time_zone(db):
    client = APIClient()
    body = {
        "username": "nadia",
        "email": "nadia@example.org",
        "password": "a-long-Pass-2026",
        "role": "student",
        "time_zone": "Asia/Kolkata",
    }
    assert client.post("/api/v1/auth/register", body, format="json").status_code == 201
    unknown = {**body, "username": "ivan", "email": "ivan@example.org", "time_zone": "Mars/Base"}
    assert client.post("/api/v1/auth/register", unknown, format="json").status_code == 201

    from accounts.models import User

    assert User.objects.get(username="nadia").time_zone == "Asia/Kolkata"
    assert User.objects.get(username="ivan").time_zone == ""


def test_time_zone_and_rollover_are_study_settings(student, student_client):
    body = student_client.get("/api/v1/study/settings").json()
    assert (body["time_zone"], body["rollover_hour"], body["leech_action"]) == ("UTC", 4, "suspend")

    response = student_client.patch(
        "/api/v1/study/settings",
        {"time_zone": "America/Los_Angeles", "rollover_hour": 2},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["time_zone"], response.json()["rollover_hour"]) == (
        "America/Los_Angeles",
        2,
    )

    bad = student_client.patch(
        "/api/v1/study/settings", {"time_zone": "Nowhere/City", "rollover_hour": 3}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert list(bad.json()["fields"]) == ["time_zone"]
    hour = student_client.patch("/api/v1/study/settings", {"rollover_hour": 24}, format="json")
    assert hour.status_code == 400
    assert list(hour.json()["fields"]) == ["rollover_hour"]
    student.refresh_from_db()
    assert student.time_zone == "America/Los_Angeles"
    assert StudySettings.objects.get(user=student).rollover_hour == 2


def test_heatmap_and_streak_count_the_learners_study_days(
    student, student_client, passage, time_machine
):
    from tests.factories import QuestionFactory

    time_machine.move_to(datetime(2026, 1, 11, 20, 0, tzinfo=UTC), tick=False)
    student.time_zone = "America/Los_Angeles"
    student.save()
    questions = QuestionFactory.create_batch(3, passage=passage)
    # Los Angeles, 10 January: 10:00, 20:00 and 03:00 the next night (before 4 am)
    moments = [
        datetime(2026, 1, 10, 18, 0, tzinfo=UTC),
        datetime(2026, 1, 11, 4, 0, tzinfo=UTC),
        datetime(2026, 1, 11, 11, 0, tzinfo=UTC),
    ]
    for question, at in zip(questions, moments, strict=True):
        student_client.post("/api/v1/study/reviews", review_body(question, at=at), format="json")

    body = student_client.get("/api/v1/study/progress").json()

    assert body["today"] == "2026-01-11"
    assert body["reviews_per_day"] == [{"date": "2026-01-10", "count": 3}]
    assert body["streak_days"] == 1


def test_new_cards_a_day_count_from_the_rollover(student, student_client, passage, time_machine):
    from tests.factories import QuestionFactory

    StudySettings.objects.create(user=student, new_per_day=2)
    questions = QuestionFactory.create_batch(3, passage=passage)
    # 02:00 UTC: still the study day that began at 04:00 the day before
    time_machine.move_to(datetime(2026, 1, 11, 2, 0, tzinfo=UTC), tick=False)
    student_client.post(
        "/api/v1/study/reviews",
        review_body(questions[0], at=datetime(2026, 1, 10, 23, 0, tzinfo=UTC)),
        format="json",
    )
    assert student_client.get("/api/v1/study/queue").json()["new_limit_left"] == 1
    time_machine.move_to(datetime(2026, 1, 11, 4, 0, tzinfo=UTC), tick=False)
    assert student_client.get("/api/v1/study/queue").json()["new_limit_left"] == 2


def test_review_interval_falls_due_at_the_learners_rollover(
    student, student_client, question, time_machine
):
    time_machine.move_to(datetime(2026, 1, 10, 22, 0, tzinfo=UTC), tick=False)
    student.time_zone = "Europe/Berlin"
    student.save()
    evening = datetime(2026, 1, 10, 21, 0, tzinfo=UTC)  # 22:00 in Berlin
    student_client.post("/api/v1/study/reviews", review_body(question, at=evening), format="json")
    response = student_client.post(
        "/api/v1/study/reviews",
        review_body(question, at=evening + timedelta(minutes=10)),
        format="json",
    )
    card = response.json()
    assert card["state"] == "review"
    due = datetime.fromisoformat(card["due"])
    # 04:00 in Berlin is 03:00 UTC in winter, whatever the interval
    assert (due.hour, due.minute) == (3, 0)
    assert due.date() > date(2026, 1, 11)


def test_reminders_are_once_per_study_day(student, question, time_machine):
    student.email = "s@example.org"
    student.time_zone = "Asia/Tokyo"
    student.save()
    CardState.objects.create(
        user=student,
        question=question,
        state="review",
        stability=3.0,
        difficulty=5.0,
        last_review=datetime(2026, 1, 1, tzinfo=UTC),
        due=datetime(2026, 1, 5, tzinfo=UTC),
        reps=2,
    )
    # 03:00 in Tokyo on 10 January, then 05:00: two study days
    first = due_reminder_send(user=student, now=datetime(2026, 1, 9, 18, 0, tzinfo=UTC))
    second = due_reminder_send(user=student, now=datetime(2026, 1, 9, 20, 0, tzinfo=UTC))
    assert (first.date, second.date) == (date(2026, 1, 9), date(2026, 1, 10))
    assert len(mail.outbox) == 2


def test_other_learners_events_do_not_change_a_card(student, question, now):
    _make_leech(student, question, now)
    other = UserFactory(username="lev")
    CardEvent.objects.create(user=other, question=question, kind="unsuspend", at=now)
    from quizzes.study.services import review_sync

    review_sync(user=student, now=now, items=[review_body(question, at=now - timedelta(days=5))])
    assert CardState.objects.get(user=student, question=question).suspended is True


def test_undo_keeps_a_suspend_made_after_the_review(student, student_client, question, now):
    body = review_body(question, at=now - timedelta(hours=3))
    student_client.post("/api/v1/study/reviews", body, format="json")
    student_client.post(f"/api/v1/study/cards/{question.pk}/suspend")

    response = student_client.post(f"/api/v1/study/reviews/{body['id']}/undo")

    assert response.status_code == 200
    card = CardState.objects.get(user=student, question=question)
    assert (card.reps, card.state, card.suspended) == (0, "new", True)


def test_the_nightly_rollup_covers_each_learners_previous_study_day(
    student, question, time_machine
):
    from quizzes.study.models import ReviewLog, StudyDay
    from quizzes.study.tasks import study_rollup_all_task
    from tests.study.factories import ReviewLogFactory

    student.time_zone = "Asia/Tokyo"
    student.save()
    # 9 March 02:00 in Tokyo still belongs to 8 March; 04:30 starts 9 March
    ReviewLogFactory(
        user=student,
        question=question,
        rating=3,
        reviewed_at=datetime(2026, 3, 8, 17, 0, tzinfo=UTC),
    )
    ReviewLogFactory(
        user=student,
        question=question,
        rating=3,
        reviewed_at=datetime(2026, 3, 8, 19, 30, tzinfo=UTC),
    )
    CardState.objects.create(user=student, question=question)
    assert ReviewLog.objects.count() == 2
    # the task runs at 07:00 in Tokyo on 10 March (22:00 UTC on 9 March)
    time_machine.move_to(datetime(2026, 3, 9, 22, 0, tzinfo=UTC), tick=False)

    study_rollup_all_task()

    day = StudyDay.objects.get(user=student)
    assert (day.date, day.reviews) == (date(2026, 3, 9), 1)
