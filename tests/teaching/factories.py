from datetime import UTC, datetime

import factory

from quizzes.teaching.models import Assignment, Attempt, QuizSet, QuizSetItem, Response
from tests.factories import ClassroomFactory, DeckFactory, QuestionFactory, TeacherFactory

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


class TrueFalseQuestionFactory(QuestionFactory):
    kind = "true_false"
    prompt = "The Kronstadt sailors demanded free elections to the soviets."
    answer = "True"
    accepted_answers = factory.LazyFunction(list)
    choices = factory.LazyFunction(lambda: ["True", "False"])
    evidence_start = 75
    evidence_end = 151


class QuizSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizSet
        skip_postgeneration_save = True

    owner = factory.SubFactory(TeacherFactory)
    title = factory.Sequence(lambda n: f"Quiz set {n}")

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create and extracted:
            QuizSetItem.objects.bulk_create(
                QuizSetItem(quiz_set=obj, question=question, position=position)
                for position, question in enumerate(extracted, start=1)
            )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    quiz_set = factory.SubFactory(QuizSetFactory)
    title = "Kronstadt quiz"
    opens_at = OPENS
    due_at = DUE
    attempts_allowed = 1
    feedback = Assignment.Feedback.IMMEDIATELY


class StudyTargetFactory(AssignmentFactory):
    quiz_set = None
    deck = factory.SubFactory(DeckFactory)
    target_mastery = 0.8
    title = "Study Kronstadt"


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    assignment = factory.SubFactory(AssignmentFactory)
    number = 1
    started_at = OPENS
    deadline = DUE


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    saved_at = OPENS
