from django.apps import AppConfig


class StudyConfig(AppConfig):
    """Spaced repetition: card states, the review log, the queue and progress."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.study"
    label = "study"
    verbose_name = "Spaced repetition"

    def ready(self) -> None:
        from quizzes.content.services.questions import (
            QuestionVersionHooks,
            question_version_hooks_register,
        )

        from . import tallies
        from .services.question_versions import question_version_follow_cards

        tallies.connect()
        # Content sits below study: cards follow an edited question to its new version.
        question_version_hooks_register(
            "study", QuestionVersionHooks(follow=question_version_follow_cards)
        )
