"""Curation of passages by teachers: edit, hide, split and merge.

A passage's text is never changed in place: questions point at character
spans of it, and students' review history at its questions. Editing, splitting
and merging create new current passages and keep the old ones (not current,
`replaced_by` the new one), so nothing a student did is lost.
"""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.db.models import F

from accounts.models import User
from quizzes.content.models import Deck, Passage
from quizzes.content.selectors import source_may_edit
from quizzes.core.text import count_words, normalise_text
from studyapp.errors import ApplicationError

_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*$")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean(text: str, field: str) -> str:
    cleaned = normalise_text(text).strip()
    if not cleaned:
        raise ApplicationError("A passage cannot be empty.", fields={field: ["Enter some text."]})
    return cleaned


def _check_may_curate(user: User, deck: Deck) -> None:
    if not source_may_edit(user=user, source=deck.source):
        raise ApplicationError(
            "You may not change this source's passages.", code="permission_denied", status=403
        )


def _shift_orders(deck: Deck, *, after: int, by: int) -> None:
    """Move current passages after `after` by `by` places, without breaking uniqueness."""
    later = Passage.objects.filter(deck=deck, is_current=True, order__gt=after)
    later.update(order=F("order") + 1_000_000)
    Passage.objects.filter(deck=deck, is_current=True, order__gt=1_000_000).update(
        order=F("order") - 1_000_000 + by
    )


def _retire(passage: Passage, replacement: Passage) -> None:
    passage.is_current = False
    passage.replaced_by = replacement
    passage.save(update_fields=["is_current", "replaced_by", "updated_at"])


def _new_version(old: Passage, *, text: str, heading: str, order: int) -> Passage:
    return Passage.objects.create(
        deck=old.deck,
        order=order,
        heading=heading,
        text=text,
        word_count=count_words(text),
        content_hash=_hash(text),
        version=old.version + 1,
        is_hidden=old.is_hidden,
    )


def _lock_current(passage_id: int) -> Passage:
    passage = Passage.objects.select_for_update().select_related("deck__source").get(pk=passage_id)
    if not passage.is_current:
        raise ApplicationError(
            "This passage has been replaced by a newer version; edit that one.",
            code="not_current",
            status=409,
        )
    return passage


@transaction.atomic
def passage_edit(
    *, user: User, passage_id: int, text: str | None = None, heading: str | None = None
) -> Passage:
    """Change a passage's text or heading. A new text makes a new version.

    A heading-only change is made in place (no span depends on it).
    Raises ApplicationError: 403 for someone who may not curate, 409 for a
    passage that is no longer current, 400 for empty text.
    """
    passage = _lock_current(passage_id)
    _check_may_curate(user, passage.deck)
    new_heading = passage.heading if heading is None else heading.strip()[:300]
    if text is None or _clean(text, "text") == passage.text:
        if new_heading != passage.heading:
            passage.heading = new_heading
            passage.save(update_fields=["heading", "updated_at"])
        return passage
    cleaned = _clean(text, "text")
    order = passage.order
    passage.is_current = False
    passage.save(update_fields=["is_current", "updated_at"])
    replacement = _new_version(passage, text=cleaned, heading=new_heading, order=order)
    _retire(passage, replacement)
    return replacement


@transaction.atomic
def passage_hide(*, user: User, passage_id: int, hidden: bool) -> Passage:
    """Hide a passage from students (its questions leave their queues) or show it again."""
    passage = Passage.objects.select_for_update().select_related("deck__source").get(pk=passage_id)
    _check_may_curate(user, passage.deck)
    if passage.is_hidden != hidden:
        passage.is_hidden = hidden
        passage.save(update_fields=["is_hidden", "updated_at"])
    return passage


@transaction.atomic
def passage_split(*, user: User, passage_id: int, at: int) -> tuple[Passage, Passage]:
    """Split a passage in two at character offset `at` (moved back to a word boundary).

    Raises ApplicationError (400) when either half would be empty.
    """
    passage = _lock_current(passage_id)
    _check_may_curate(user, passage.deck)
    if not 0 < at < len(passage.text):
        raise ApplicationError(
            f"Split inside the text: 'at' must be between 1 and {len(passage.text) - 1}.",
            fields={"at": ["Out of range."]},
        )
    first_text = passage.text[:at].strip()
    second_text = passage.text[at:].strip()
    if not first_text or not second_text:
        raise ApplicationError("Both halves need some text.", fields={"at": ["Empty half."]})
    order = passage.order
    passage.is_current = False
    passage.save(update_fields=["is_current", "updated_at"])
    _shift_orders(passage.deck, after=order, by=1)
    first = _new_version(passage, text=first_text, heading=passage.heading, order=order)
    second = _new_version(passage, text=second_text, heading=passage.heading, order=order + 1)
    _retire(passage, first)
    return first, second


@transaction.atomic
def passages_merge(*, user: User, passage_ids: list[int]) -> Passage:
    """Merge two or more consecutive current passages of one deck into one.

    Raises ApplicationError (400) unless the passages are current, in the same
    deck and next to each other.
    """
    if len(set(passage_ids)) < 2:
        raise ApplicationError(
            "Choose at least two passages to merge.", fields={"passages": ["Too few."]}
        )
    passages = list(
        Passage.objects.select_for_update()
        .select_related("deck__source")
        .filter(pk__in=passage_ids)
        .order_by("order")
    )
    if len(passages) != len(set(passage_ids)):
        raise ApplicationError("Some passages do not exist.", code="not_found", status=404)
    deck = passages[0].deck
    _check_may_curate(user, deck)
    if any(p.deck_id != deck.pk or not p.is_current for p in passages):
        raise ApplicationError(
            "Only current passages of one deck can be merged.",
            fields={"passages": ["Passages are from different decks or not current."]},
        )
    orders = [p.order for p in passages]
    if orders != list(range(orders[0], orders[0] + len(orders))):
        raise ApplicationError(
            "Only consecutive passages can be merged.",
            fields={"passages": ["Passages are not next to each other."]},
        )
    text = "\n\n".join(p.text for p in passages)
    first = passages[0]
    for passage in passages:
        passage.is_current = False
        passage.save(update_fields=["is_current", "updated_at"])
    merged = Passage.objects.create(
        deck=deck,
        order=first.order,
        heading=first.heading,
        text=text,
        word_count=count_words(text),
        content_hash=_hash(text),
        version=max(p.version for p in passages) + 1,
    )
    for passage in passages:
        _retire(passage, merged)
    _shift_orders(deck, after=orders[-1], by=-(len(passages) - 1))
    return merged
