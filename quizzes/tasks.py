from celery import shared_task


@shared_task(name="quizzes.tasks.deck_generate_task", acks_late=True)
def deck_generate_task(job_id: int) -> dict:
    """Generate a deck's questions for a job; safe to deliver twice."""
    from quizzes.services.generation import job_run_generation

    return job_run_generation(job_id=job_id).result


@shared_task(name="quizzes.tasks.jobs_requeue_pending_task")
def jobs_requeue_pending_task() -> int:
    from quizzes.services.generation import jobs_requeue_pending

    return jobs_requeue_pending()
