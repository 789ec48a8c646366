from celery import shared_task

from studyapp.health import worker_seen


@shared_task(name="quizzes.tasks.deck_generate_task", acks_late=True)
def deck_generate_task(job_id: int) -> dict:
    """Generate questions for a job; any number of deliveries run it once."""
    from quizzes.content.services.generation import job_run_generation

    job = job_run_generation(job_id=job_id)
    return {"state": job.state, **job.result} if job is not None else {"state": "gone"}


@shared_task(name="quizzes.tasks.jobs_recover_task", ignore_result=True)
def jobs_recover_task() -> dict:
    """Requeue jobs whose worker died or whose message was lost (run by beat)."""
    from quizzes.content.services.jobs import jobs_recover

    worker_seen()
    return jobs_recover()


# The name beat used before job recovery covered running jobs too.
jobs_requeue_pending_task = shared_task(name="quizzes.tasks.jobs_requeue_pending_task")(
    jobs_recover_task.run
)
