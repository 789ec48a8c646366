"""Question generation: jobs with progress, and storing what the generator makes.

Regeneration never touches a question a teacher approved, rejected or edited;
it refreshes unedited drafts and replaces drafts the generator no longer makes.
"""

from __future__ import annotations

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
    PassageInput,
    generate,
    nlp,
)
from quizzes.core.generation.deck import DeckInventory, build_deck_inventory
from quizzes.core.generation.llm import LLM_PROMPT_VERSION
from quizzes.core.generation.pipeline import fingerprint
from quizzes.models import Deck, Job, Passage, PassageAnalysis, Question, Source
from studyapp.errors import ApplicationError

logger = logging.getLogger(__name__)


def _fingerprint(candidate: Candidate) -> str:
    return fingerprint(candidate.kind, candidate.prompt, candidate.answer)


def passage_docs(passages: list[Passage], processes: int = 1) -> dict[int, object]:
    """spaCy analyses of ``passages`` by passage id, parsing only those never parsed.

    Parsed in batches (``nlp.pipe``) and stored per passage and pipeline version, so
    a passage version is parsed once: regeneration and ranking read it back.
    """
    version = nlp.pipeline_version()
    stored = {
        a.passage_id: a
        for a in PassageAnalysis.objects.filter(
            passage__in=[p.pk for p in passages], pipeline_version=version
        )
    }
    docs: dict[int, object] = {}
    missing: list[Passage] = []
    for passage in passages:
        analysis = stored.get(passage.pk)
        if analysis is not None and analysis.content_hash == passage.content_hash:
            docs[passage.pk] = nlp.from_bytes(analysis.doc)
        else:
            missing.append(passage)
    if missing:
        parsed = nlp.parse([p.text for p in missing], processes=processes)
        stale = [p.pk for p in missing if p.pk in stored]
        PassageAnalysis.objects.filter(passage__in=stale, pipeline_version=version).delete()
        PassageAnalysis.objects.bulk_create(
            [
                PassageAnalysis(passage=p, pipeline_version=version,
                                content_hash=p.content_hash, doc=nlp.to_bytes(doc))
                for p, doc in zip(missing, parsed, strict=True)
            ],
            ignore_conflicts=True,
        )
        docs.update({p.pk: doc for p, doc in zip(missing, parsed, strict=True)})
    return docs


def source_passages(source: Source) -> list[Passage]:
    """The current passages of a source, in reading order (the deck inventory's order)."""
    return list(
        Passage.objects.filter(deck__source=source, is_current=True)
        .select_related("deck__source")
        .order_by("deck__order", "order")
    )


def deck_inventory(passages: list[Passage], docs: dict[int, object]) -> DeckInventory:
    """What a source's passages name (distractors and accepted answers), in order."""
    return build_deck_inventory([docs[p.pk] for p in passages])


def _passage_input(passage: Passage) -> PassageInput:
    deck = passage.deck
    return PassageInput(
        passage_id=passage.pk, text=passage.text, heading=passage.heading,
        source_title=deck.source.title, author=deck.source.author, deck_title=deck.title,
    )


def llm_budget(word_count: int) -> int:
    """How many questions the LLM backend is asked for (one per 40 words, 3 to 8)."""
    return max(3, min(8, word_count // 40))


def _candidates(passage: Passage, doc, inventory: DeckInventory | None,
                position: int) -> list[Candidate]:
    from quizzes.services.llm import llm_candidates, llm_enabled

    data = _passage_input(passage)
    if llm_enabled():
        drafted = llm_candidates(data, max_questions=llm_budget(passage.word_count))
        if drafted is not None:
            return drafted
    return generate(data, doc, inventory, position)


def source_candidates(source: Source, passages: list[Passage] | None = None, processes: int = 1):
    """(passage, candidates) for the given (default: every current visible) passages."""
    ordered = source_passages(source)
    docs = passage_docs(ordered, processes=processes)
    inventory = deck_inventory(ordered, docs)
    position = {p.pk: i for i, p in enumerate(ordered)}
    wanted = passages if passages is not None else [p for p in ordered if not p.is_hidden]
    for passage in wanted:
        yield passage, _candidates(passage, docs[passage.pk], inventory, position[passage.pk])


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
    approve_above: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate questions for every current, visible passage of a deck."""
    passages: QuerySet[Passage] = deck.passages.filter(
        is_current=True, is_hidden=False
    ).select_related("deck__source").order_by("order")
    wanted = list(passages)
    total = len(wanted)
    created = 0
    for index, (passage, candidates) in enumerate(
        source_candidates(deck.source, wanted), start=1
    ):
        created += passage_questions_store(
            passage=passage, candidates=candidates, approve_above=approve_above,
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
    """QGEN_AUTO_APPROVE_SCORE when set, else the ranker's held-out precision threshold."""
    from quizzes.core.generation import ranking

    if settings.QGEN_AUTO_APPROVE_SCORE is not None:
        return float(settings.QGEN_AUTO_APPROVE_SCORE)
    chosen = ranking.approve_threshold()
    return chosen if chosen is not None else DEFAULT_APPROVE_SCORE


# Without a fitted threshold (the hand-set prior model), approve this score and above.
DEFAULT_APPROVE_SCORE = 0.6
