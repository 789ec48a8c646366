import factory

from accounts.models import Classroom, Membership, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = User.Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherFactory(UserFactory):
    role = User.Role.TEACHER


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    teacher = factory.SubFactory(TeacherFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    join_code = factory.Sequence(lambda n: f"C{n:05d}"[:6])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Source"

    title = factory.Sequence(lambda n: f"Source {n}")
    author = "Simon Pirani"
    checksum = factory.Sequence(lambda n: f"{n:064x}")


class DeckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Deck"

    source = factory.SubFactory(SourceFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Deck {n}")


PASSAGE_TEXT = (
    "The Kronstadt sailors rose against the Bolshevik government in March 1921. "
    "Their demands included free elections to the soviets and freedom of speech. "
    "The Tenth Party Congress adopted the New Economic Policy in the same month."
)


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Passage"

    deck = factory.SubFactory(DeckFactory)
    order = factory.Sequence(lambda n: n)
    heading = "Kronstadt"
    text = PASSAGE_TEXT
    word_count = factory.LazyAttribute(lambda p: len(p.text.split()))
    content_hash = factory.Sequence(lambda n: f"{n:064x}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Question"

    passage = factory.SubFactory(PassageFactory)
    kind = "cloze"
    prompt = "The Kronstadt sailors rose against the Bolshevik government in _____."
    answer = "March 1921"
    accepted_answers = factory.LazyFunction(lambda: ["1921"])
    choices = factory.LazyFunction(list)
    evidence_start = 0
    evidence_end = 75
    explanation = "The passage dates the rising to March 1921."
    score = 0.9
    status = "approved"
    generator_version = "test"


class MultipleChoiceQuestionFactory(QuestionFactory):
    kind = "multiple_choice"
    prompt = "Which party congress adopted the New Economic Policy?"
    answer = "The Tenth Party Congress"
    accepted_answers = factory.LazyFunction(list)
    choices = factory.LazyFunction(
        lambda: [
            "The Ninth Party Congress",
            "The Tenth Party Congress",
            "The Eleventh Party Congress",
            "The Twelfth Party Congress",
        ]
    )
    evidence_start = 151
    evidence_end = 226
