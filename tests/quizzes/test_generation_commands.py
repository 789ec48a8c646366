from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from quizzes.content.models import Question
from quizzes.content.services import source_import

pytestmark = pytest.mark.django_db


def test_generate_questions_approves_only_above_the_threshold_and_is_idempotent(
    green_revolution,
):
    source_import(raw=green_revolution, import_key="notes/green.txt")

    with override_settings(QGEN_AUTO_APPROVE_SCORE=0.8):
        call_command("generate_questions", "--curated", "--approve", verbosity=0, stdout=StringIO())
        first = dict(Question.objects.values_list("id", "status"))
        call_command("generate_questions", "--curated", "--approve", verbosity=0, stdout=StringIO())

    assert first
    assert dict(Question.objects.values_list("id", "status")) == first
    for question in Question.objects.all():
        assert question.status == ("approved" if question.score >= 0.8 else "draft")


def test_qgen_report_counts_kinds_and_prints_a_sample(green_revolution):
    source_import(raw=green_revolution, import_key="notes/green.txt")
    call_command("generate_questions", verbosity=0, stdout=StringIO())
    out = StringIO()

    call_command("qgen_report", "--sample", "2", stdout=out)

    text = out.getvalue()
    total = Question.objects.count()
    assert text.startswith(f"{total} questions on current passages")
    cloze_drafts = Question.objects.filter(kind="cloze", status="draft").count()
    assert f"cloze            {cloze_drafts:6}" in text
    assert "A random sample of 2 (seed 1):" in text


@override_settings(QGEN_AUTO_APPROVE_SCORE=0.0)
def test_qgen_report_gives_approved_kinds_and_passage_coverage_per_source(green_revolution):
    from quizzes.content.models import Passage

    longer = green_revolution.rstrip() + (
        " Wheat yields in the Punjab rose again in the 1980s, when new varieties arrived"
        " from the research stations of Ludhiana.\n"
    )
    source = source_import(raw=longer, import_key="notes/green.txt").source
    call_command("generate_questions", "--approve", verbosity=0, stdout=StringIO())
    out = StringIO()

    call_command("qgen_report", "--sample", "0", stdout=out)

    approved = Question.objects.filter(status="approved")
    kinds = ", ".join(
        f"{k} {approved.filter(kind=k).count()}"
        for k in sorted(set(approved.values_list("kind", flat=True)))
    )
    passage = Passage.objects.get()
    assert passage.word_count >= 150 and approved.count() >= 2
    assert (
        f"{source.pk:3} {'The Green Revolution':45} {kinds}; 1/1 passages, "
        f"mean {approved.count():.2f}"
    ) in out.getvalue()


def test_generate_questions_enqueue_runs_the_same_work_as_a_job(green_revolution):
    from quizzes.content.models import Job

    source_import(raw=green_revolution, import_key="notes/green.txt")
    source_import(raw="A pasted text that is not curated. " * 40)  # no import key

    with override_settings(QGEN_AUTO_APPROVE_SCORE=0.8):
        first = StringIO()
        call_command("generate_questions", "--curated", "--approve", "--enqueue", stdout=first)
        again = StringIO()
        call_command("generate_questions", "--curated", "--approve", "--enqueue", stdout=again)

    job = Job.objects.get()
    questions = Question.objects.all()
    assert first.getvalue().startswith(f"Queued job {job.pk} (pending): a worker generates")
    assert again.getvalue() == "Every passage already has questions from this generator.\n"
    assert job.state == "succeeded"
    assert job.params == {"sources": None, "curated": True, "approve": True, "force": False}
    assert job.result == {
        "sources": 1,
        "passages": 1,
        "created": questions.count(),
        "questions": questions.count(),
    }
    assert set(questions.values_list("passage__deck__source__import_key", flat=True)) == {
        "notes/green.txt"
    }
    for question in questions:
        assert question.status == ("approved" if question.score >= 0.8 else "draft")


def test_generation_parses_each_passage_once_and_regenerates_from_the_stored_analysis(
    green_revolution, monkeypatch
):
    from quizzes.content.models import PassageAnalysis
    from quizzes.core.generation import nlp

    source_import(raw=green_revolution, import_key="notes/green.txt")
    calls: list[int] = []
    real_parse = nlp.parse
    monkeypatch.setattr(
        nlp,
        "parse",
        lambda texts, processes=1: calls.append(len(texts)) or real_parse(texts, processes),
    )

    call_command("generate_questions", verbosity=0, stdout=StringIO())
    first = sorted(Question.objects.values_list("fingerprint", flat=True))
    call_command("generate_questions", "--force", verbosity=0, stdout=StringIO())

    assert calls == [1]  # one batch, one passage; --force read the stored analysis
    assert PassageAnalysis.objects.count() == 1
    assert sorted(Question.objects.values_list("fingerprint", flat=True)) == first


def test_qgen_sample_writes_only_what_a_learner_sees_and_a_separate_key(
    green_revolution, teacher, tmp_path
):
    import json

    source = source_import(raw=green_revolution, created_by=teacher).source  # a private text
    call_command("generate_questions", verbosity=0, stdout=StringIO())
    Question.objects.update(status="approved")
    out, key = tmp_path / "sample.jsonl", tmp_path / "key.jsonl"

    call_command(
        "qgen_sample",
        "--source",
        str(source.pk),
        "--sample",
        "3",
        "--seed",
        "5",
        "--out",
        str(out),
        "--key-out",
        str(key),
        stdout=StringIO(),
    )

    items = [json.loads(line) for line in out.read_text().splitlines()]
    keys = [json.loads(line) for line in key.read_text().splitlines()]
    assert len(items) == 3 and [i["item"] for i in items] == [k["item"] for k in keys]
    for item, mapping in zip(items, keys, strict=True):
        assert set(item) == {
            "item",
            "kind",
            "prompt",
            "answer",
            "accepted_answers",
            "choices",
            "evidence",
            "passage",
            "source",
        }
        question = Question.objects.get(pk=mapping["question"])
        assert item["prompt"] == question.prompt and item["answer"] == question.answer
        assert (
            item["evidence"]
            == question.passage.text[question.evidence_start : question.evidence_end]
        )
        assert item["source"] == source.title
        assert mapping["score"] == question.score
    # the same seed draws the same sample
    again = tmp_path / "again.jsonl"
    call_command(
        "qgen_sample",
        "--source",
        str(source.pk),
        "--sample",
        "3",
        "--seed",
        "5",
        "--out",
        str(again),
        "--key-out",
        str(tmp_path / "k2.jsonl"),
        stdout=StringIO(),
    )
    assert again.read_text() == out.read_text()


def test_qgen_sample_refuses_an_empty_selection(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No questions match"):
        call_command(
            "qgen_sample",
            "--curated",
            "--sample",
            "5",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "a"),
            "--key-out",
            str(tmp_path / "b"),
        )


def _labelled(index: int, good: bool) -> dict:
    prompt = (
        f"In what year did Lenin found party {index}?" if good else f"What did Lenin do {index}?"
    )
    return {
        "item": f"i{index}",
        "group": f"p{index // 2}",
        "prompt": prompt,
        "answer": "1903" if good else "it",
        "evidence": prompt,
        "features": {
            "rule": "when" if good else "object_what",
            "kind": "short_answer",
            "label": "DATE" if good else "NONE",
        },
        "verdicts": ["ACCEPT"] if good else ["REJECT"],
    }


def test_qgen_fit_ranker_fits_on_labels_and_chooses_a_held_out_threshold(tmp_path):
    import json

    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(_labelled(i, i % 3 == 0)) + "\n" for i in range(240)))
    model_path = tmp_path / "ranker.json"

    out = StringIO()
    call_command(
        "qgen_fit_ranker",
        "--labels",
        str(labels),
        "--target",
        "0.9",
        "--out",
        str(model_path),
        stdout=out,
    )

    model = json.loads(model_path.read_text())
    report = model["report"]
    assert report["judgements"] == 240 and report["accepted"] == 80
    assert report["passages"] == 120 and report["folds"] == 5
    assert report["held_out_precision_at_threshold"] >= 0.9
    assert report["held_out_auc"] == 1.0
    assert model["coefficients"]["rule=when"] > 0 > model["coefficients"]["rule=object_what"]
    assert 0 < model["approve_threshold"] < 1
    assert "held_out_auc" in out.getvalue()


def test_qgen_fit_ranker_fits_only_on_items_the_generator_may_serve(tmp_path):
    import json

    rows = [_labelled(i, i % 3 == 0) for i in range(240)]
    for row in rows[:60]:
        row["rule"] = "how_many"  # never served
    rows[60]["prompt"] = "What did the thing do?"  # names nothing: not served
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(row) + "\n" for row in rows))

    out = StringIO()
    call_command("qgen_fit_ranker", "--labels", str(labels), "--dry-run", stdout=out)
    assert "judgements                         179" in out.getvalue()

    out = StringIO()
    call_command("qgen_fit_ranker", "--labels", str(labels), "--dry-run", "--all-rules", stdout=out)
    assert "judgements                         240" in out.getvalue()


def test_qgen_fit_ranker_refuses_a_malformed_labels_file(tmp_path):
    from django.core.management.base import CommandError

    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"item": "x", "prompt": "p", "answer": "a", "verdicts": ["MAYBE"], '
        '"features": {}, "group": "g"}\n'
    )

    with pytest.raises(CommandError, match="verdict 'MAYBE' is not ACCEPT/REJECT"):
        call_command("qgen_fit_ranker", "--labels", str(labels), "--dry-run")
