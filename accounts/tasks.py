from celery import shared_task


@shared_task(name="accounts.tasks.tokens_flush_expired_task")
def tokens_flush_expired_task() -> int:
    """Delete expired refresh tokens and their blacklist entries; safe to run twice."""
    from .services import tokens_flush_expired

    return tokens_flush_expired()
