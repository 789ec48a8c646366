"""A query compiled once per thread and user kind gives what the ORM gives each time."""

import uuid

import pytest

from quizzes.study.compiled import CompiledRow
from quizzes.study.services.reviews import _context_query
from tests.factories import QuestionFactory, SourceFactory
from tests.study.factories import CardStateFactory

pytestmark = pytest.mark.django_db


def test_each_user_kind_gets_its_own_visibility_and_its_own_rows(
    student, outsider, teacher, question, now
):
    context = CompiledRow(_context_query, question_id="int", client_id="uuid")
    draft = QuestionFactory(passage=question.passage, status="draft")
    private = QuestionFactory(passage__deck__source=SourceFactory(created_by=teacher))
    card = CardStateFactory(user=student, question=question, reps=3)

    cases = [
        (student, question, True),
        (student, draft, False),
        (teacher, draft, True),
        (student, private, True),
        (outsider, private, False),
        (outsider, question, True),
    ]
    for user, asked, visible in cases:
        client_id = uuid.uuid4()
        row = context.row(user=user, question_id=asked.pk, client_id=client_id)
        expected = _context_query(user, question_id=asked.pk, client_id=client_id).get()
        assert row == expected
        assert bool(row["visible"]) is visible
    row = context.row(user=student, question_id=question.pk, client_id=uuid.uuid4())
    assert (row["card__id"], row["card__reps"]) == (card.pk, 3)
