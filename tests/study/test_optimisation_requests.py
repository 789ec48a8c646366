"""An optimisation made due by a review is never lost to a broker outage."""

from datetime import timedelta

import pytest
from django.test import override_settings

from quizzes.study.models import StudySettings
from quizzes.study.services.optimisation import RESEND_AFTER, SEND_GRACE
from quizzes.study.tasks import study_optimisations_requested_send_task
from studyapp.celery import app
from tests.factories import QuestionFactory
from tests.study.conftest import review_body

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/study/reviews"


class _BrokerDown:
    """Celery pointed at a port where nothing listens, not eager."""

    def __enter__(self):
        self.saved = app.conf.task_always_eager, app.conf.broker_url
        app.conf.task_always_eager = False
        app.conf.broker_url = "redis://127.0.0.1:1/0"

    def __exit__(self, *exc):
        app.conf.task_always_eager, app.conf.broker_url = self.saved


@override_settings(STUDY_OPTIMISE_EVERY=2)
def test_a_due_optimisation_is_recorded_with_the_review_and_sent_when_the_broker_returns(
    student, student_client, passage, now, time_machine, django_capture_on_commit_callbacks
):
    first, second = QuestionFactory.create_batch(2, passage=passage)

    # given the broker is down while the review that makes an optimisation due is posted
    with _BrokerDown(), django_capture_on_commit_callbacks(execute=True):
        one = student_client.post(REVIEWS, review_body(first, at=now - timedelta(minutes=2)))
        two = student_client.post(REVIEWS, review_body(second, at=now - timedelta(minutes=1)))
        study_settings = StudySettings.objects.get(user=student)
        # and the sweep runs while it is still down
        time_machine.move_to(now + SEND_GRACE + timedelta(seconds=1), tick=False)
        sent_while_down = study_optimisations_requested_send_task()

    # then the reviews were stored and the request is in the database, not sent
    assert (one.status_code, two.status_code) == (201, 201)
    assert study_settings.optimisation_requested_at == now
    assert study_settings.optimisation_sent_at is None
    assert sent_while_down == 0

    # when the broker is back (eager here) and the sweep runs
    sent = study_optimisations_requested_send_task()

    # then the optimisation ran once and the request is cleared
    after = StudySettings.objects.get(user=student)
    assert sent == 1
    assert after.optimisation_note.endswith("only 0 qualifying reviews (< 20 to fit and check)")
    assert after.optimisation_requested_at is None
    assert after.optimisation_sent_at is None
    assert study_optimisations_requested_send_task() == 0


def test_a_sent_request_is_sent_again_only_once_it_looks_lost(
    student, now, time_machine, monkeypatch
):
    from quizzes.study.services import optimisation

    StudySettings.objects.create(
        user=student,
        optimisation_requested_at=now,
        optimisation_sent_at=now,
        reviews_since_optimisation=3,
    )
    sent: list[int] = []
    monkeypatch.setattr(
        optimisation, "task_enqueue", lambda task, user_id: sent.append(user_id) or True
    )

    # while the message may still be queued, nothing is sent again
    time_machine.move_to(now + RESEND_AFTER - timedelta(seconds=1), tick=False)
    assert study_optimisations_requested_send_task() == 0
    # after RESEND_AFTER it is sent again, once however often the sweep runs
    time_machine.move_to(now + RESEND_AFTER + timedelta(seconds=1), tick=False)
    assert study_optimisations_requested_send_task() == 1
    assert study_optimisations_requested_send_task() == 0

    assert sent == [student.pk]


def test_a_second_delivery_of_a_running_parameter_import_does_not_run_it_again(
    student, now, time_machine
):
    from quizzes.study.models import ParameterImport
    from quizzes.study.tasks import study_parameter_import_task

    running = ParameterImport.objects.create(
        user=student, content="not a log", status=ParameterImport.Status.RUNNING
    )

    # while the first delivery may still be fitting, a second one leaves it alone
    time_machine.move_to(now + timedelta(minutes=10), tick=False)
    assert study_parameter_import_task(running.pk) == "running"
    running.refresh_from_db()
    assert (running.status, running.message, running.finished_at) == ("running", "", None)

    # once it has been running as long as the sweep waits, a delivery runs it
    time_machine.move_to(now + timedelta(minutes=31), tick=False)
    assert study_parameter_import_task(running.pk) == "failed"
