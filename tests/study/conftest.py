import uuid
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from tests.conftest import authenticated
from tests.factories import DeckFactory, PassageFactory, QuestionFactory, UserFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def review_body(question, rating=3, at=NOW, duration_ms=4000, client_id=None) -> dict:
    return {
        "id": str(client_id or uuid.uuid4()),
        "question": question.pk,
        "rating": rating,
        "reviewed_at": at.isoformat(),
        "duration_ms": duration_ms,
    }


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def deck(db):
    return DeckFactory(title="Kronstadt 1921")


@pytest.fixture
def passage(deck):
    return PassageFactory(deck=deck, order=10_000)


@pytest.fixture
def question(passage):
    return QuestionFactory(passage=passage)


@pytest.fixture
def student_client(student) -> APIClient:
    return authenticated(APIClient(), student)


@pytest.fixture
def other_student(db):
    return UserFactory(username="rosa")
