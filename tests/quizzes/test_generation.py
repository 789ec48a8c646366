import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings

from quizzes.content.models import Job, Passage, Question
from quizzes.content.services import source_import
from quizzes.content.services.generation import deck_generate
from quizzes.content.services.jobs import job_enqueue
from quizzes.core.generation import GENERATOR_VERSION
from studyapp.celery import app
from tests.conftest import authenticated

pytestmark = pytest.mark.django_db


@pytest.fixture
def green_deck(teacher, green_revolution):
    return source_import(raw=green_revolution, created_by=teacher).source.decks.get()


def test_teacher_generates_a_deck_and_watches_the_job(
    api_client, teacher, green_deck, django_capture_on_commit_callbacks
):
    client = authenticated(api_client, teacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/decks/{green_deck.pk}/generate")

    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['job']}").json()
    assert job["state"] == "succeeded"
    assert job["progress"] == 1.0
    questions = Question.objects.filter(passage__deck=green_deck)
    assert job["result"] == {
        "passages": 1,
        "created": questions.count(),
        "questions": questions.count(),
    }
    assert questions.count() >= 2
    assert set(questions.values_list("status", flat=True)) == {"draft"}
    assert set(questions.values_list("generator_version", flat=True)) == {GENERATOR_VERSION}
    passage = Passage.objects.get(deck=green_deck)
    for question in questions:
        assert 0 <= question.evidence_start < question.evidence_end <= len(passage.text)


def test_a_student_cannot_start_generation(api_client, student, green_deck):
    response = authenticated(api_client, student).post(f"/api/v1/decks/{green_deck.pk}/generate")

    assert response.status_code == 403
    assert Job.objects.count() == 0


def test_jobs_are_visible_only_to_who_started_them(api_client, teacher, other_teacher):
    job = Job.objects.create(kind="generate", created_by=teacher)

    response = authenticated(api_client, other_teacher).get(f"/api/v1/jobs/{job.pk}")

    assert response.status_code == 404


def test_regeneration_keeps_what_a_teacher_approved_edited_or_rejected(green_deck):
    deck_generate(deck=green_deck)
    questions = list(Question.objects.filter(passage__deck=green_deck).order_by("id"))
    approved, edited = questions[0], questions[1]
    approved.status = "approved"
    approved.save()
    edited.prompt = "A teacher's own wording?"
    edited.is_edited = True
    edited.save()

    deck_generate(deck=green_deck)

    approved_after = Question.objects.get(pk=approved.pk)
    edited_after = Question.objects.get(pk=edited.pk)
    assert approved_after.status == "approved"
    assert edited_after.prompt == "A teacher's own wording?"
    assert Question.objects.filter(passage__deck=green_deck).count() == len(questions)


def test_a_broker_outage_leaves_the_job_pending_and_the_request_succeeds(
    api_client, teacher, green_deck, django_capture_on_commit_callbacks
):
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = authenticated(api_client, teacher).post(
                f"/api/v1/decks/{green_deck.pk}/generate"
            )
        sent = job_enqueue(job_id=response.json()["job"])
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, broker

    assert response.status_code == 202
    assert sent is False
    assert Job.objects.get().state == "pending"


class _ChatServer:
    """A small real OpenAI-compatible endpoint that answers with a fixed reply."""

    def __init__(self, status: int, reply: dict):
        outer = self
        self.requests: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                outer.requests.append(json.loads(self.rfile.read(length)))
                body = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/chat/completions"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _completion(questions: list[dict]) -> dict:
    return {
        "choices": [
            {"message": {"role": "assistant", "content": json.dumps({"questions": questions})}}
        ]
    }


GOOD_ITEM = {
    "kind": "short_answer",
    "prompt": "Who bred dwarf wheat in Mexico?",
    "answer": "Norman Borlaug",
    "accepted_answers": ["Borlaug"],
    "choices": [],
    "evidence": "Norman Borlaug, working in Mexico, bred dwarf wheat",
    "explanation": "The passage names Borlaug as the breeder.",
}
INVENTED_ITEM = {
    **GOOD_ITEM,
    "prompt": "Who invented the tractor?",
    "answer": "Henry Ford",
    "evidence": "Henry Ford invented the tractor",
}


def test_llm_backend_drafts_validated_questions(green_deck):
    with (
        _ChatServer(200, _completion([GOOD_ITEM, INVENTED_ITEM])) as server,
        override_settings(
            QGEN_LLM_URL=server.url, QGEN_LLM_MODEL="test-model", QGEN_LLM_API_KEY="k"
        ),
    ):
        deck_generate(deck=green_deck)

    assert server.requests[0]["model"] == "test-model"
    assert server.requests[0]["response_format"]["type"] == "json_schema"
    questions = list(Question.objects.filter(passage__deck=green_deck))
    assert [(q.prompt, q.answer) for q in questions] == [
        ("Who bred dwarf wheat in Mexico?", "Norman Borlaug")
    ]
    passage = Passage.objects.get(deck=green_deck)
    span = passage.text[questions[0].evidence_start : questions[0].evidence_end]
    assert span == "Norman Borlaug, working in Mexico, bred dwarf wheat"


def test_llm_errors_fall_back_to_the_rules(green_deck):
    with (
        _ChatServer(500, {"error": "overloaded"}) as server,
        override_settings(QGEN_LLM_URL=server.url, QGEN_LLM_MODEL="test-model"),
    ):
        deck_generate(deck=green_deck)

    assert len(server.requests) == 1
    versions = set(
        Question.objects.filter(passage__deck=green_deck).values_list(
            "generator_version", flat=True
        )
    )
    assert versions == {GENERATOR_VERSION}
    assert Question.objects.filter(passage__deck=green_deck).count() >= 2
