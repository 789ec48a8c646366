from django.apps import AppConfig


class TeachingConfig(AppConfig):
    """Quiz sets, assignments to classes, attempts and results."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.teaching"
    label = "teaching"
    verbose_name = "Quiz sets and assignments"

    def ready(self) -> None:
        # Study sits below teaching and never imports it: the queue's ?assignment=
        # filter is handed to it here. Imported here, once the models are loaded.
        from quizzes.study.selectors import assignment_questions_register

        from .selectors import assignment_question_filter

        assignment_questions_register(assignment_question_filter)
