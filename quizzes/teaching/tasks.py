from celery import shared_task
from django.utils import timezone


@shared_task(name="quizzes.teaching.tasks.attempts_close_overdue_task", ignore_result=True)
def attempts_close_overdue_task() -> int:
    """Grade attempts whose deadline passed (beat runs it every minute); safe to rerun."""
    from .services import attempts_close_overdue

    return attempts_close_overdue(now=timezone.now())
