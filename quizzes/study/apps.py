from django.apps import AppConfig


class StudyConfig(AppConfig):
    """Spaced repetition: card states, the review log, the queue and progress."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.study"
    label = "study"
    verbose_name = "Spaced repetition"

    def ready(self) -> None:
        from . import tallies

        tallies.connect()
