"""Question generation: jobs with progress, and storing what the generator makes.

Regeneration never touches a question a teacher approved, rejected or edited;
it refreshes unedited drafts and replaces drafts the generator no longer makes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from quizzes.content.models import Deck, Job, Passage, PassageAnalysis, Question, Source
from quizzes.content.services.jobs import job_enqueue, job_run
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
                PassageAnalysis(
                    passage=p,
                    pipeline_version=version,
                    content_hash=p.content_hash,
                    doc=nlp.to_bytes(doc),
                )
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
        passage_id=passage.pk,
        text=passage.text,
        heading=passage.heading,
        source_title=deck.source.title,
        author=deck.source.author,
        deck_title=deck.title,
    )


def llm_budget(word_count: int) -> int:
    """How many questions the LLM backend is asked for (one per 40 words, 3 to 8)."""
    return max(3, min(8, word_count // 40))


def _candidates(
    passage: Passage, doc, inventory: DeckInventory | None, position: int
) -> list[Candidate]:
    from quizzes.content.services.llm import llm_candidates, llm_enabled

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
    Concurrent runs on one passage take turns on the passage's row lock, so a
    question is stored once however many runs race.
    """
    list(Passage.objects.select_for_update().filter(pk=passage.pk).values_list("pk"))
    existing = {q.fingerprint: q for q in passage.questions.all()}
    wanted: set[str] = set()
    created = 0
    for candidate in candidates:
        fingerprint = _fingerprint(candidate)
        if fingerprint in wanted:
            continue  # the same question twice: stored once
        wanted.add(fingerprint)
        status = (
            Question.Status.APPROVED
            if approve_above is not None and candidate.score >= approve_above
            else Question.Status.DRAFT
        )
        fields = {
            "kind": candidate.kind,
            "prompt": candidate.prompt,
            "answer": candidate.answer,
            "accepted_answers": list(candidate.accepted_answers),
            "choices": list(candidate.choices),
            "explanation": candidate.explanation,
            "evidence_start": candidate.evidence_start,
            "evidence_end": candidate.evidence_end,
            "score": round(min(1.0, max(0.0, candidate.score)), 4),
            "reasons": list(candidate.reasons),
            "generator_version": _version(candidate),
        }
        question = existing.get(fingerprint)
        if question is None:
            Question.objects.create(
                passage=passage, fingerprint=fingerprint, status=status, **fields
            )
            created += 1
        elif question.status == Question.Status.DRAFT and not question.is_edited:
            for name, value in fields.items():
                setattr(question, name, value)
            question.status = status
            question.save()
    stale = [
        q.pk
        for fp, q in existing.items()
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
    passages: QuerySet[Passage] = (
        deck.passages.filter(is_current=True, is_hidden=False)
        .select_related("deck__source")
        .order_by("order")
    )
    wanted = list(passages)
    total = len(wanted)
    created = 0
    for index, (passage, candidates) in enumerate(source_candidates(deck.source, wanted), start=1):
        created += passage_questions_store(
            passage=passage,
            candidates=candidates,
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
        passages = (
            Passage.objects.filter(deck__source=source, is_current=True, is_hidden=False)
            .select_related("deck__source")
            .order_by("deck__order", "order")
        )
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
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate questions for sources' current passages (what `generate_questions` does).

    Passages whose questions come from the current generator are skipped unless
    ``force``; with ``approve`` questions scoring at least the approval threshold
    are approved at once. Passages never parsed are parsed in ``processes``
    processes (1 inside a worker, whose pool processes may not start others).
    """
    approve_above = auto_approve_threshold() if approve else None
    work = _sources_work(source_ids=source_ids, curated=curated, force=force)
    total = sum(len(passages) for _, passages in work)
    done_count = created = 0
    for source, passages in work:
        for passage, candidates in source_candidates(source, passages, processes=processes):
            created += passage_questions_store(
                passage=passage,
                candidates=candidates,
                approve_above=approve_above,
            )
            done_count += 1
            if progress is not None:
                progress(done_count, total)
    return {
        "sources": len(work),
        "passages": total,
        "created": created,
        "questions": Question.objects.count(),
    }


def generation_start(*, user: User, deck: Deck) -> Job:
    """Start generating a deck's questions in the background; returns the job to watch.

    The task is sent after the transaction commits. If the broker is down the
    job stays pending and the beat task that recovers jobs sends it later.
    Raises ApplicationError (403) for anyone but a teacher who may curate it.
    """
    from quizzes.content.selectors import source_may_edit

    if not source_may_edit(user=user, source=deck.source):
        raise ApplicationError(
            "Only a teacher who may edit this source can generate its questions.",
            code="permission_denied",
            status=403,
        )
    job = Job.objects.create(
        kind=Job.Kind.GENERATE,
        deck=deck,
        source=deck.source,
        created_by=user,
        message="Waiting for a worker.",
    )
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
    params = {
        "sources": sorted(source_ids) if source_ids else None,
        "curated": curated,
        "approve": approve,
        "force": force,
    }
    unfinished = (
        Job.objects.filter(
            kind=Job.Kind.GENERATE,
            deck__isnull=True,
            params=params,
            state__in=[Job.State.PENDING, Job.State.RUNNING],
        )
        .order_by("id")
        .first()
    )
    if unfinished is not None:
        return unfinished, False
    job = Job.objects.create(kind=Job.Kind.GENERATE, params=params, message="Waiting for a worker.")
    job_enqueue(job_id=job.pk)
    return job, True


def _generation_work(job: Job, progress: Callable[[int, int], None]) -> tuple[dict, str]:
    if job.deck is not None:
        result = deck_generate(deck=job.deck, progress=progress)
    elif "sources" in job.params:
        params = job.params
        result = sources_generate(
            source_ids=params.get("sources"),
            curated=bool(params.get("curated")),
            approve=bool(params.get("approve")),
            force=bool(params.get("force")),
            progress=progress,
        )
    else:
        raise ApplicationError("The job names no deck and no sources to generate for.")
    return result, f"{result['questions']} questions for {result['passages']} passages."


def job_run_generation(*, job_id: int) -> Job | None:
    """The task's work: generate questions for a job, recording progress on it.

    Safe to deliver any number of times: only the delivery that claims the job
    runs it (see ``quizzes.content.services.jobs``), and generating twice on the same
    text stores the same questions.
    """
    return job_run(job_id=job_id, work=_generation_work)


def auto_approve_threshold() -> float:
    """QGEN_AUTO_APPROVE_SCORE when set, else the ranker's held-out precision threshold."""
    from quizzes.core.generation import ranking

    if settings.QGEN_AUTO_APPROVE_SCORE is not None:
        return float(settings.QGEN_AUTO_APPROVE_SCORE)
    chosen = ranking.approve_threshold()
    return chosen if chosen is not None else DEFAULT_APPROVE_SCORE


# Without a fitted threshold (the hand-set prior model), approve this score and above.
DEFAULT_APPROVE_SCORE = 0.6
