"""Question generation: jobs with progress, and storing what the generator makes.

Regeneration never touches a question a teacher approved, rejected or edited;
it refreshes unedited drafts and replaces drafts the generator no longer makes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from quizzes.core.generation import (
    GENERATOR_VERSION,
    Candidate,
    Inventory,
    PassageInput,
    build_inventory,
    generate,
)
from quizzes.core.generation.llm import LLM_PROMPT_VERSION
from quizzes.core.generation.pipeline import default_budget
from quizzes.models import Deck, Job, Passage, Question, Source
from studyapp.errors import ApplicationError

logger = logging.getLogger(__name__)


def _fingerprint(candidate: Candidate) -> str:
    key = f"{candidate.kind}\x1f{candidate.prompt}\x1f{candidate.answer}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def inventory_for_source(source: Source) -> Inventory:
    """The entity inventory of a source's current text (for distractors and swaps)."""
    texts = Passage.objects.filter(deck__source=source, is_current=True).order_by(
        "deck__order", "order"
    ).values_list("text", flat=True)
    return build_inventory(list(texts))


def _passage_input(passage: Passage) -> PassageInput:
    deck = passage.deck
    return PassageInput(
        passage_id=passage.pk, text=passage.text, heading=passage.heading,
        source_title=deck.source.title, author=deck.source.author, deck_title=deck.title,
    )


def _candidates(passage: Passage, inventory: Inventory) -> list[Candidate]:
    from quizzes.services.llm import llm_candidates, llm_enabled

    data = _passage_input(passage)
    if llm_enabled():
        drafted = llm_candidates(data, max_questions=default_budget(passage.word_count))
        if drafted is not None:
            return drafted
    return generate(data, inventory)


def _version(candidate: Candidate) -> str:
    if getattr(candidate, "template", "") == "llm":
        return f"{LLM_PROMPT_VERSION}:{settings.QGEN_LLM_MODEL}"[:40]
    return GENERATOR_VERSION


@transaction.atomic
def passage_questions_store(
    *, passage: Passage, candidates: Iterable[Candidate], approve_above: float | None = None
) -> int:
    """Store generated candidates for a passage; returns how many are new.

    Approved, rejected and edited questions are left exactly as they are; the
    same question generated again refreshes an unedited draft; unedited drafts
    the generator no longer makes are removed (no student has seen a draft).
    """
    existing = {q.fingerprint: q for q in passage.questions.all()}
    wanted: set[str] = set()
    created = 0
    for candidate in candidates:
        fingerprint = _fingerprint(candidate)
        wanted.add(fingerprint)
        status = (
            Question.Status.APPROVED
            if approve_above is not None and candidate.score >= approve_above
            else Question.Status.DRAFT
        )
        fields = {
            "kind": candidate.kind, "prompt": candidate.prompt, "answer": candidate.answer,
            "accepted_answers": list(candidate.accepted_answers),
            "choices": list(candidate.choices), "explanation": candidate.explanation,
            "evidence_start": candidate.evidence_start, "evidence_end": candidate.evidence_end,
            "score": round(min(1.0, max(0.0, candidate.score)), 4),
            "reasons": list(candidate.reasons), "generator_version": _version(candidate),
        }
        question = existing.get(fingerprint)
        if question is None:
            Question.objects.create(passage=passage, fingerprint=fingerprint, status=status,
                                    **fields)
            created += 1
        elif question.status == Question.Status.DRAFT and not question.is_edited:
            for name, value in fields.items():
                setattr(question, name, value)
            question.status = status
            question.save()
    stale = [
        q.pk for fp, q in existing.items()
        if fp not in wanted and q.status == Question.Status.DRAFT and not q.is_edited
    ]
    Question.objects.filter(pk__in=stale).delete()
    return created


def deck_generate(
    *,
    deck: Deck,
    inventory: Inventory | None = None,
    approve_above: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate questions for every current, visible passage of a deck."""
    inventory = inventory or inventory_for_source(deck.source)
    passages: QuerySet[Passage] = deck.passages.filter(
        is_current=True, is_hidden=False
    ).select_related("deck__source").order_by("order")
    total = passages.count()
    created = 0
    for index, passage in enumerate(passages, start=1):
        created += passage_questions_store(
            passage=passage, candidates=_candidates(passage, inventory),
            approve_above=approve_above,
        )
        if progress is not None:
            progress(index, total)
    questions = Question.objects.filter(passage__deck=deck, passage__is_current=True).count()
    return {"passages": total, "created": created, "questions": questions}


def generation_start(*, user: User, deck: Deck) -> Job:
    """Start generating a deck's questions in the background; returns the job to watch.

    The task is sent after the transaction commits. If the broker is down the
    job stays pending and the beat task that re-sends pending jobs picks it up.
    Raises ApplicationError (403) for anyone but a teacher who may curate it.
    """
    from quizzes.selectors import source_may_edit

    if not source_may_edit(user=user, source=deck.source):
        raise ApplicationError(
            "Only a teacher who may edit this source can generate its questions.",
            code="permission_denied", status=403,
        )
    job = Job.objects.create(kind=Job.Kind.GENERATE, deck=deck, source=deck.source,
                             created_by=user, message="Waiting for a worker.")
    transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def job_enqueue(*, job_id: int) -> bool:
    """Send a job's task; a broker failure is logged and the job stays pending."""
    from quizzes.tasks import deck_generate_task
    from studyapp.celery import app

    try:
        with app.connection_for_write() as connection:
            # Fail fast: a request must not hang while the broker is away.
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                         timeout=2)
            deck_generate_task.apply_async(args=[job_id], connection=connection, retry=False)
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("Could not enqueue job %s (kept pending): %s", job_id, exc)
        return False
    return True


def job_run_generation(*, job_id: int) -> Job:
    """The task's work: generate a deck's questions, recording progress on the job.

    Idempotent: a job that already succeeded is not run again, and running the
    generator twice on the same text stores the same questions.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("deck__source").get(pk=job_id)
        if job.state == Job.State.SUCCEEDED:
            return job
        job.state = Job.State.RUNNING
        job.started_at = timezone.now()
        job.message = "Generating questions."
        job.save(update_fields=["state", "started_at", "message"])

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(
            progress=round(done / total, 4) if total else 1.0,
            message=f"Generated questions for {done} of {total} passages.",
        )

    try:
        result = deck_generate(deck=job.deck, progress=progress)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, finished_at=timezone.now(),
            message=f"Generation failed: {exc.__class__.__name__}: {exc}",
        )
        raise
    Job.objects.filter(pk=job_id).update(
        state=Job.State.SUCCEEDED, progress=1.0, finished_at=timezone.now(), result=result,
        message=f"{result['questions']} questions for {result['passages']} passages.",
    )
    job.refresh_from_db()
    return job


def jobs_requeue_pending(*, older_than_seconds: int = 120) -> int:
    """Re-send jobs still pending after a while (their first send may have failed)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        Job.objects.filter(state=Job.State.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    return sum(1 for job_id in pending if job_enqueue(job_id=job_id))


def auto_approve_threshold() -> float:
    return settings.QGEN_AUTO_APPROVE_SCORE
