import uuid

import factory

from quizzes.study.models import CardState, ReviewLog, StudySettings
from tests.factories import UserFactory


class StudySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudySettings

    user = factory.SubFactory(UserFactory)


class CardStateFactory(factory.django.DjangoModelFactory):
    """A card in the review state; pass due/last_review/stability to place it."""

    class Meta:
        model = CardState

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory("tests.factories.QuestionFactory")
    state = "review"
    step = None
    stability = 10.0
    difficulty = 5.0
    reps = 3
    lapses = 0


class ReviewLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewLog

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory("tests.factories.QuestionFactory")
    client_id = factory.LazyFunction(uuid.uuid4)
    rating = 3
    duration_ms = 1000
    state_before = factory.LazyFunction(lambda: {"state": "review"})
    state_after = factory.LazyFunction(lambda: {"state": "review"})
