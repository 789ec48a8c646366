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
        from quizzes.content.services.questions import (
            QuestionVersionHooks,
            question_version_hooks_register,
        )
        from quizzes.study.selectors import assignment_questions_register

        from .selectors import assignment_question_filter
        from .services.question_versions import (
            question_used_in_others_quiz_sets,
            question_version_follow_own_quiz_sets,
        )

        assignment_questions_register(assignment_question_filter)
        # Content sits below teaching: it learns here which questions other
        # teachers' quiz sets use, and how the editor's own follow an edit.
        question_version_hooks_register(
            "teaching",
            QuestionVersionHooks(
                used_elsewhere=question_used_in_others_quiz_sets,
                follow=question_version_follow_own_quiz_sets,
            ),
        )
