from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from quizzes.models import Question
from quizzes.services import source_import

pytestmark = pytest.mark.django_db


def test_generate_questions_approves_only_above_the_threshold_and_is_idempotent(
    green_revolution,
):
    source_import(raw=green_revolution, import_key="notes/green.txt")

    with override_settings(QGEN_AUTO_APPROVE_SCORE=0.8):
        call_command("generate_questions", "--curated", "--approve", verbosity=0,
                     stdout=StringIO())
        first = dict(Question.objects.values_list("id", "status"))
        call_command("generate_questions", "--curated", "--approve", verbosity=0,
                     stdout=StringIO())

    assert first
    assert dict(Question.objects.values_list("id", "status")) == first
    for question in Question.objects.all():
        assert question.status == ("approved" if question.score >= 0.8 else "draft")


def test_qgen_report_counts_kinds_and_prints_a_sample(green_revolution):
    source_import(raw=green_revolution, import_key="notes/green.txt")
    call_command("generate_questions", verbosity=0, stdout=StringIO())
    out = StringIO()

    call_command("qgen_report", "--sample", "2", stdout=out)

    text = out.getvalue()
    total = Question.objects.count()
    assert text.startswith(f"{total} questions on current passages")
    cloze_drafts = Question.objects.filter(kind="cloze", status="draft").count()
    assert f"cloze            {cloze_drafts:6}" in text
    assert "A random sample of 2 (seed 1):" in text


def test_generate_questions_enqueue_runs_the_same_work_as_a_job(green_revolution):
    from quizzes.models import Job

    source_import(raw=green_revolution, import_key="notes/green.txt")
    source_import(raw="A pasted text that is not curated. " * 40)  # no import key

    with override_settings(QGEN_AUTO_APPROVE_SCORE=0.8):
        first = StringIO()
        call_command("generate_questions", "--curated", "--approve", "--enqueue", stdout=first)
        again = StringIO()
        call_command("generate_questions", "--curated", "--approve", "--enqueue", stdout=again)

    job = Job.objects.get()
    questions = Question.objects.all()
    assert first.getvalue().startswith(f"Queued job {job.pk} (pending): a worker generates")
    assert again.getvalue() == "Every passage already has questions from this generator.\n"
    assert job.state == "succeeded"
    assert job.params == {"sources": None, "curated": True, "approve": True, "force": False}
    assert job.result == {"sources": 1, "passages": 1, "created": questions.count(),
                          "questions": questions.count()}
    assert set(questions.values_list("passage__deck__source__import_key", flat=True)) == {
        "notes/green.txt"}
    for question in questions:
        assert question.status == ("approved" if question.score >= 0.8 else "draft")
