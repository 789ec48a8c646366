"""Question generation: jobs with progress, and storing what the generator makes.

Regeneration never touches a question a teacher approved, rejected or edited;
it refreshes unedited drafts and replaces drafts the generator no longer makes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

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
from quizzes.services.jobs import job_enqueue, job_run
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
    Concurrent runs on one passage take turns on the passage's row lock, so a
    question is stored once however many runs race.
    """
    list(Passage.objects.select_for_update().filter(pk=passage.pk).values_list("pk"))
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


def _sources_work(
    *, source_ids: list[int] | None, curated: bool, force: bool
) -> list[tuple[Source, list[Passage]]]:
    """The sources and passages `sources_generate` would generate, in order."""
    sources = Source.objects.order_by("id")
    if source_ids:
        sources = sources.filter(pk__in=source_ids)
    if curated:
        sources = sources.exclude(import_key="")
    work: list[tuple[Source, list[Passage]]] = []
    for source in sources:
        passages = Passage.objects.filter(
            deck__source=source, is_current=True, is_hidden=False
        ).select_related("deck__source").order_by("deck__order", "order")
        if not force:
            done = Question.objects.filter(
                passage__deck__source=source, generator_version=GENERATOR_VERSION
            ).values_list("passage_id", flat=True)
            passages = passages.exclude(pk__in=done)
        listed = list(passages)
        if listed:
            work.append((source, listed))
    return work


def sources_generate(
    *,
    source_ids: list[int] | None = None,
    curated: bool = False,
    approve: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate questions for sources' current passages (what `generate_questions` does).

    Passages whose questions come from the current generator are skipped unless
    ``force``; with ``approve`` questions scoring at least QGEN_AUTO_APPROVE_SCORE
    are approved at once.
    """
    approve_above = auto_approve_threshold() if approve else None
    work = _sources_work(source_ids=source_ids, curated=curated, force=force)
    total = sum(len(passages) for _, passages in work)
    done_count = created = 0
    for source, passages in work:
        inventory = inventory_for_source(source)
        for passage in passages:
            created += passage_questions_store(
                passage=passage, candidates=_candidates(passage, inventory),
                approve_above=approve_above,
            )
            done_count += 1
            if progress is not None:
                progress(done_count, total)
    return {"sources": len(work), "passages": total, "created": created,
            "questions": Question.objects.count()}


def generation_start(*, user: User, deck: Deck) -> Job:
    """Start generating a deck's questions in the background; returns the job to watch.

    The task is sent after the transaction commits. If the broker is down the
    job stays pending and the beat task that recovers jobs sends it later.
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


def sources_generation_start(
    *, source_ids: list[int] | None, curated: bool, approve: bool, force: bool
) -> tuple[Job | None, bool]:
    """Queue `sources_generate` as a job; an unfinished job asking the same is reused.

    Returns the job and whether it is new; (None, False) when there is nothing
    to generate.
    """
    if not _sources_work(source_ids=source_ids, curated=curated, force=force):
        return None, False
    params = {"sources": sorted(source_ids) if source_ids else None, "curated": curated,
              "approve": approve, "force": force}
    unfinished = Job.objects.filter(
        kind=Job.Kind.GENERATE, deck__isnull=True, params=params,
        state__in=[Job.State.PENDING, Job.State.RUNNING],
    ).order_by("id").first()
    if unfinished is not None:
        return unfinished, False
    job = Job.objects.create(kind=Job.Kind.GENERATE, params=params,
                             message="Waiting for a worker.")
    job_enqueue(job_id=job.pk)
    return job, True


def _generation_work(job: Job, progress: Callable[[int, int], None]) -> tuple[dict, str]:
    if job.deck is not None:
        result = deck_generate(deck=job.deck, progress=progress)
    elif "sources" in job.params:
        params = job.params
        result = sources_generate(
            source_ids=params.get("sources"), curated=bool(params.get("curated")),
            approve=bool(params.get("approve")), force=bool(params.get("force")),
            progress=progress,
        )
    else:
        raise ApplicationError("The job names no deck and no sources to generate for.")
    return result, f"{result['questions']} questions for {result['passages']} passages."


def job_run_generation(*, job_id: int) -> Job | None:
    """The task's work: generate questions for a job, recording progress on it.

    Safe to deliver any number of times: only the delivery that claims the job
    runs it (see ``quizzes.services.jobs``), and generating twice on the same
    text stores the same questions.
    """
    return job_run(job_id=job_id, work=_generation_work)


def auto_approve_threshold() -> float:
    return settings.QGEN_AUTO_APPROVE_SCORE
