from django.apps import AppConfig


class TeachingConfig(AppConfig):
    """Quiz sets, assignments to classes, attempts and results."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.teaching"
    label = "teaching"
    verbose_name = "Quiz sets and assignments"
