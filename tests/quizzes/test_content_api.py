import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from quizzes.content.models import Passage, Question, Source
from quizzes.content.services import source_import
from tests.conftest import authenticated
from tests.factories import DeckFactory, PassageFactory, QuestionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_teacher_creates_a_source_from_pasted_text(api_client, teacher, green_revolution):
    client = authenticated(api_client, teacher)

    response = client.post("/api/v1/sources", {"text": green_revolution, "author": "A. Teacher"})

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "The Green Revolution"
    assert body["author"] == "A. Teacher"
    assert (body["deck_count"], body["passage_count"]) == (1, 1)
    assert body["created_by"] == "tess"
    deck = client.get(f"/api/v1/decks?source={body['id']}").json()["results"][0]
    assert deck["title"] == "The Green Revolution"
    assert deck["passage_count"] == 1
    passages = client.get(f"/api/v1/passages?deck={deck['id']}").json()
    assert passages["count"] == 1
    assert passages["results"][0]["text"].startswith("From the 1940s onwards")


def test_teacher_uploads_a_markdown_file(api_client, teacher, green_revolution):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = authenticated(api_client, teacher)
    upload = SimpleUploadedFile("green.md", green_revolution.encode(), "text/markdown")

    response = client.post("/api/v1/sources", {"file": upload}, format="multipart")

    assert response.status_code == 201
    assert response.json()["kind"] == "upload"
    assert response.json()["passage_count"] == 1


def test_a_student_cannot_create_a_source(api_client, student, green_revolution):
    response = authenticated(api_client, student).post(
        "/api/v1/sources", {"text": green_revolution}
    )

    assert response.status_code == 403
    assert Source.objects.count() == 0


def test_anonymous_users_see_no_content(api_client):
    SourceFactory()

    for url in ("/api/v1/sources", "/api/v1/decks", "/api/v1/passages", "/api/v1/questions"):
        assert api_client.get(url).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"text": "   "}, "text", "validation_error"),
        ({}, "text", "validation_error"),
    ],
)
def test_empty_input_is_refused_with_the_field_named(api_client, teacher, payload, field, code):
    response = authenticated(api_client, teacher).post("/api/v1/sources", payload)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert Source.objects.count() == 0


def test_a_file_over_the_limit_gets_413(api_client, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = authenticated(api_client, teacher)
    with override_settings(SOURCE_MAX_BYTES=1000):
        upload = SimpleUploadedFile("big.txt", b"word " * 300, "text/plain")
        response = client.post("/api/v1/sources", {"file": upload}, format="multipart")

    assert response.status_code == 413
    assert response.json()["message"] == "The text is 1,500 bytes; the limit is 1,000 bytes."
    assert Source.objects.count() == 0


def test_bytes_that_are_not_utf8_are_refused(api_client, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("latin.txt", "Café société".encode("latin-1"), "text/plain")
    response = authenticated(api_client, teacher).post(
        "/api/v1/sources", {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_utf8"
    assert response.json()["message"] == "The file is not UTF-8 text (byte 3 cannot be decoded)."


def test_a_file_of_another_type_is_refused(api_client, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4", "application/pdf")
    response = authenticated(api_client, teacher).post(
        "/api/v1/sources", {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["'scan.pdf' is not a .txt, .md or .html file."]}


def test_pasted_html_is_stored_as_text(api_client, teacher, green_revolution):
    paragraphs = green_revolution.split("\n\n")[1:]
    html = "<div><b>Bold</b> <script>steal()</script></div>" + "".join(
        f"<p>{p}</p>" for p in paragraphs
    )

    response = authenticated(api_client, teacher).post(
        "/api/v1/sources", {"title": "Green", "text": html}
    )

    assert response.status_code == 201
    text = Passage.objects.get().text
    assert "<" not in text and "steal" not in text


def test_students_see_only_approved_questions_and_unhidden_passages(api_client, student):
    passage = PassageFactory()
    hidden = PassageFactory(deck=passage.deck, is_hidden=True)
    approved = QuestionFactory(passage=passage, status="approved")
    QuestionFactory(passage=passage, status="draft")
    QuestionFactory(passage=hidden, status="approved")
    client = authenticated(api_client, student)

    passages = client.get(f"/api/v1/passages?deck={passage.deck_id}").json()["results"]
    detail = client.get(f"/api/v1/passages/{passage.pk}").json()
    questions = client.get("/api/v1/questions").json()["results"]

    assert [p["id"] for p in passages] == [passage.pk]
    assert [q["id"] for q in detail["questions"]] == [approved.pk]
    assert [q["id"] for q in questions] == [approved.pk]
    assert client.get(f"/api/v1/passages/{hidden.pk}").status_code == 404
    deck = client.get(f"/api/v1/decks/{passage.deck_id}").json()
    assert (deck["passage_count"], deck["approved_question_count"]) == (1, 1)


def test_question_json_has_the_contract_fields(api_client, teacher):
    question = QuestionFactory()

    body = authenticated(api_client, teacher).get(f"/api/v1/questions/{question.pk}").json()

    assert {
        "id",
        "passage",
        "kind",
        "prompt",
        "answer",
        "accepted_answers",
        "choices",
        "evidence",
        "explanation",
        "score",
        "status",
    } <= set(body)
    assert body["evidence"] == {"start": 0, "end": 75}


def test_a_teachers_own_source_is_hidden_from_other_teachers(
    api_client, teacher, other_teacher, student, outsider, green_revolution
):
    source = source_import(raw=green_revolution, created_by=teacher).source

    def visible(user):
        client = APIClient()
        client.force_authenticate(user)
        return [s["id"] for s in client.get("/api/v1/sources").json()["results"]]

    assert visible(teacher) == [source.pk]
    assert visible(student) == [source.pk]  # in the teacher's class
    assert visible(other_teacher) == []
    assert visible(outsider) == []


def test_teacher_approves_and_edits_a_question(api_client, teacher):
    question = QuestionFactory(status="draft", passage__deck__source__created_by=teacher)
    client = authenticated(api_client, teacher)

    approved = client.patch(f"/api/v1/questions/{question.pk}", {"status": "approved"})
    edited = client.patch(
        f"/api/v1/questions/{question.pk}",
        {"prompt": "In which month and year did Kronstadt rise?"},
    )

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["is_edited"] is False
    assert edited.json()["is_edited"] is True
    question.refresh_from_db()
    assert question.reviewed_by == teacher
    assert question.prompt == "In which month and year did Kronstadt rise?"


def test_a_student_cannot_change_a_question(api_client, student):
    question = QuestionFactory(status="approved")

    response = authenticated(api_client, student).patch(
        f"/api/v1/questions/{question.pk}", {"status": "rejected"}
    )

    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).status == "approved"


def test_a_multiple_choice_key_must_stay_among_the_choices(api_client, teacher):
    from tests.factories import MultipleChoiceQuestionFactory

    question = MultipleChoiceQuestionFactory(passage__deck__source__created_by=teacher)

    response = authenticated(api_client, teacher).patch(
        f"/api/v1/questions/{question.pk}", {"answer": "The First Party Congress"}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"answer": ["The answer must be one of the choices."]}
    assert Question.objects.get(pk=question.pk).answer == "The Tenth Party Congress"


def test_unknown_filter_values_are_named(api_client, teacher):
    client = authenticated(api_client, teacher)

    assert client.get("/api/v1/questions?kind=essay").json()["fields"] == {
        "kind": ["Choose one of: cloze, short_answer, multiple_choice, true_false."]
    }
    assert client.get("/api/v1/decks?source=abc").json()["fields"] == {
        "source": ["Must be a whole number."]
    }


def test_lists_are_paginated(api_client, teacher):
    deck = DeckFactory()
    for _ in range(3):
        PassageFactory(deck=deck)

    body = (
        authenticated(api_client, teacher)
        .get(f"/api/v1/passages?deck={deck.pk}&page_size=2")
        .json()
    )

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None


def test_questions_filter_by_score_and_order_by_score(api_client, teacher):
    passage = PassageFactory()
    low = QuestionFactory(passage=passage, score=0.61)
    high = QuestionFactory(passage=passage, score=0.93)
    middle = QuestionFactory(passage=passage, score=0.8)
    client = authenticated(api_client, teacher)

    best = client.get("/api/v1/questions?min_score=0.8&ordering=-score").json()["results"]
    worst_first = client.get("/api/v1/questions?ordering=score").json()["results"]

    assert [q["id"] for q in best] == [high.pk, middle.pk]
    assert [q["id"] for q in worst_first] == [low.pk, middle.pk, high.pk]
    assert client.get("/api/v1/questions?min_score=high").json()["fields"] == {
        "min_score": ["Must be a number."]
    }


def test_a_teacher_lists_own_jobs_for_a_deck(api_client, teacher, other_teacher):
    from quizzes.content.models import Job

    deck = DeckFactory()
    mine = Job.objects.create(kind="generate", deck=deck, created_by=teacher, state="running")
    Job.objects.create(kind="generate", deck=deck, created_by=other_teacher)
    Job.objects.create(kind="generate", created_by=teacher)

    body = authenticated(api_client, teacher).get(f"/api/v1/jobs?deck={deck.pk}").json()

    assert [(j["id"], j["state"]) for j in body["results"]] == [(mine.pk, "running")]
