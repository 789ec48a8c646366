"""Writes for content: importing sources, curating passages, reviewing questions."""

from .passages import passage_edit, passage_hide, passage_split, passages_merge
from .questions import question_update
from .sources import SourceImportResult, source_import, text_from_paste, text_from_upload

__all__ = [
    "SourceImportResult",
    "passage_edit",
    "passage_hide",
    "passage_split",
    "passages_merge",
    "question_update",
    "source_import",
    "text_from_paste",
    "text_from_upload",
]
