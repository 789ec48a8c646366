"""Importing a text: clean it, split it into decks and passages, store it idempotently."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from accounts.models import User
from quizzes.content.models import Deck, Passage, Source
from quizzes.core.text import (
    PreparedDeck,
    PreparedSource,
    looks_like_html,
    prepare_source,
    strip_html,
)
from studyapp.errors import ApplicationError


@dataclass
class SourceImportResult:
    source: Source
    created: bool
    changed: bool
    passages_added: int = 0
    passages_retired: int = 0
    passages_kept: int = 0
    warnings: list[str] = field(default_factory=list)


def _checksum(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _check_size(size: int, field: str) -> None:
    limit = settings.SOURCE_MAX_BYTES
    if size > limit:
        raise ApplicationError(
            f"The text is {size:,} bytes; the limit is {limit:,} bytes.",
            code="too_large",
            status=413,
            fields={field: ["Too large."]},
        )


def text_from_paste(text: str, *, field: str = "text") -> str:
    """Pasted text, refused with 413 over the size limit, its HTML tags stripped
    (as an uploaded file's are), so markup never reaches a passage."""
    _check_size(len(text.encode("utf-8", "surrogatepass")), field)
    return strip_html(text) if looks_like_html(text) else text


def text_from_upload(data: bytes, *, filename: str) -> str:
    """Decode an uploaded .txt, .md or .html file, refusing what is not UTF-8 text.

    Raises ApplicationError: 413 over the size limit, 400 for another file type,
    bytes that are not UTF-8, or binary content.
    """
    _check_size(len(data), "file")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ("txt", "md", "markdown", "text", "htm", "html"):
        raise ApplicationError(
            "Upload a .txt, .md or .html file.",
            code="unsupported_file",
            fields={"file": [f"'{filename}' is not a .txt, .md or .html file."]},
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"The file is not UTF-8 text (byte {exc.start} cannot be decoded).",
            code="not_utf8",
            fields={"file": ["The file is not UTF-8 text."]},
        ) from exc
    if "\x00" in text:
        raise ApplicationError(
            "The file contains binary data, not text.",
            code="not_text",
            fields={"file": ["The file contains binary data, not text."]},
        )
    return text


def _prepare(raw: str, *, title: str, author: str) -> PreparedSource:
    text = strip_html(raw) if looks_like_html(raw) else raw
    if not text.strip():
        raise ApplicationError("The text is empty.", fields={"text": ["The text is empty."]})
    try:
        return prepare_source(text, title=title, author=author)
    except ValueError as exc:
        raise ApplicationError(str(exc), fields={"text": [str(exc)]}) from exc


def _report(prepared: PreparedSource) -> dict[str, object]:
    return {
        "words_in": prepared.words_in,
        "words_kept": prepared.words_kept,
        "dropped": [
            {"reason": d.reason, "words": d.words, "count": d.count, "sample": d.sample}
            for d in prepared.dropped
        ],
        "warnings": list(prepared.warnings),
    }


def _sync_deck_passages(deck: Deck, prepared: PreparedDeck, result: SourceImportResult) -> None:
    """Make the deck's current passages those of `prepared`, in order.

    A passage whose text is unchanged keeps its row (and so its questions and
    review history); a new text becomes a new version; a passage that is gone
    stops being current but is never deleted.
    """
    current = {p.content_hash: p for p in deck.passages.filter(is_current=True)}
    wanted_hashes = {p.content_hash for p in prepared.passages}
    retired = [p for h, p in current.items() if h not in wanted_hashes]
    for passage in retired:
        passage.is_current = False
        passage.save(update_fields=["is_current", "updated_at"])
    # Move kept passages out of the way first: current orders are unique.
    kept = [current[p.content_hash] for p in prepared.passages if p.content_hash in current]
    for passage in kept:
        Passage.objects.filter(pk=passage.pk).update(order=passage.order + 1_000_000)
    retired_by_order = {p.order: p for p in retired}
    for item in prepared.passages:
        existing = current.get(item.content_hash)
        if existing is not None:
            Passage.objects.filter(pk=existing.pk).update(order=item.order, heading=item.heading)
            result.passages_kept += 1
            continue
        old = retired_by_order.get(item.order)
        passage = Passage.objects.create(
            deck=deck,
            order=item.order,
            heading=item.heading,
            text=item.text,
            word_count=item.word_count,
            content_hash=item.content_hash,
            version=(old.version + 1) if old else 1,
        )
        if old is not None:
            old.replaced_by = passage
            old.save(update_fields=["replaced_by", "updated_at"])
        result.passages_added += 1
    result.passages_retired += len(retired)


@transaction.atomic
def source_import(
    *,
    raw: str,
    title: str = "",
    author: str = "",
    import_key: str = "",
    kind: str = "",
    origin: str = "",
    licence_note: str = "",
    created_by: User | None = None,
) -> SourceImportResult:
    """Import or re-import a text.

    Importing the same text again changes nothing. With the same `import_key`
    and a changed text, unchanged passages are kept, changed ones become new
    versions and the old versions stay (not current) with their questions and
    review history. Without an import key, an identical text already imported
    by the same person is returned as it is.

    Raises ApplicationError (400) when the text is empty after cleaning.
    """
    checksum = _checksum(raw)
    if import_key:
        existing = Source.objects.select_for_update().filter(import_key=import_key).first()
    else:
        existing = Source.objects.filter(
            checksum=checksum, import_key="", created_by=created_by
        ).first()
    if existing is not None and existing.checksum == checksum:
        return SourceImportResult(source=existing, created=False, changed=False)

    prepared = _prepare(raw, title=title, author=author)
    if not prepared.decks or not any(deck.passages for deck in prepared.decks):
        raise ApplicationError(
            "No passages could be made from this text.",
            fields={"text": ["No passages could be made from this text."]},
        )
    source = existing or Source(import_key=import_key, created_by=created_by)
    source.title = (title or prepared.title or "Untitled")[:300]
    source.author = (author or prepared.author)[:200]
    source.kind = kind or source.kind
    source.origin = origin or source.origin
    source.licence_note = licence_note or source.licence_note
    source.checksum = checksum
    source.metadata = dict(prepared.metadata)
    source.report = _report(prepared)
    source.full_clean()
    source.save()

    result = SourceImportResult(
        source=source, created=existing is None, changed=True, warnings=list(prepared.warnings)
    )
    decks = {deck.order: deck for deck in source.decks.all()}
    for item in prepared.decks:
        deck = decks.get(item.order)
        if deck is None:
            deck = Deck.objects.create(source=source, order=item.order, title=item.title[:300])
        elif deck.title != item.title:
            deck.title = item.title[:300]
            deck.save(update_fields=["title"])
        _sync_deck_passages(deck, item, result)
    wanted_orders = {item.order for item in prepared.decks}
    for order, deck in decks.items():
        if order not in wanted_orders:
            gone = deck.passages.filter(is_current=True).update(is_current=False)
            result.passages_retired += gone
    return result
