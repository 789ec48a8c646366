from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Sources, decks, passages, questions and generation jobs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.content"
    label = "quizzes"  # kept: the migrations and tables are named by it
    verbose_name = "Content"
