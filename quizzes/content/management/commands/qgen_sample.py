"""Write a blind sample of served questions for judging against eval/RUBRIC.md.

    manage.py qgen_sample --curated --sample 60 --seed 7 --out sample.jsonl --key-out key.jsonl
    manage.py qgen_sample --source 12 --status approved --sample 40 --seed 1 --out s.jsonl \
        --key-out k.jsonl

``--out`` holds only what a learner sees, one JSON object per line: ``item`` (an id
local to the sample), ``kind``, ``prompt``, ``answer``, ``accepted_answers``,
``choices``, ``evidence`` (the text of the evidence span), ``passage`` (the passage
text) and ``source`` (its title). ``--key-out`` maps each item to its question id,
score, fingerprint and generator version; it is never shown to judges. Any source may
be sampled, a teacher's private one included. The sample is drawn at random with the
stated seed from current passages' questions of the given status.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from quizzes.content.models import Question


class Command(BaseCommand):
    help = "Write a blind, seeded random sample of served questions (and a separate key)."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", type=int, action="append", help="source id(s)")
        which.add_argument(
            "--curated", action="store_true", help="every source imported from files"
        )
        parser.add_argument(
            "--status",
            default="approved",
            choices=[s.value for s in Question.Status],
            help="questions of this status (default: approved, i.e. served)",
        )
        parser.add_argument("--sample", type=int, required=True, help="how many items")
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--key-out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sample"] < 1:
            raise CommandError("--sample must be at least 1.")
        if options["out"].resolve() == options["key_out"].resolve():
            raise CommandError("--out and --key-out must be different files.")
        questions = Question.objects.filter(
            status=options["status"], passage__is_current=True, passage__is_hidden=False
        ).select_related("passage__deck__source")
        if options["curated"]:
            questions = questions.exclude(passage__deck__source__import_key="")
        else:
            questions = questions.filter(passage__deck__source__in=options["source"])
        pool = sorted(questions, key=lambda q: q.pk)
        if not pool:
            raise CommandError("No questions match; nothing written.")
        rng = random.Random(options["seed"])
        chosen = rng.sample(pool, min(options["sample"], len(pool)))
        width = len(str(len(chosen)))
        with (
            options["out"].open("w", encoding="utf-8") as out,
            options["key_out"].open("w", encoding="utf-8") as key,
        ):
            for index, question in enumerate(chosen, start=1):
                item = f"s{options['seed']}-{index:0{width}d}"
                passage = question.passage
                out.write(
                    json.dumps(
                        {
                            "item": item,
                            "kind": question.kind,
                            "prompt": question.prompt,
                            "answer": question.answer,
                            "accepted_answers": list(question.accepted_answers),
                            "choices": list(question.choices),
                            "evidence": passage.text[
                                question.evidence_start : question.evidence_end
                            ],
                            "passage": passage.text,
                            "source": passage.deck.source.title,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                key.write(
                    json.dumps(
                        {
                            "item": item,
                            "question": question.pk,
                            "score": question.score,
                            "fingerprint": question.fingerprint,
                            "rule": list(question.reasons),
                            "generator_version": question.generator_version,
                            "source": passage.deck.source_id,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        self.stdout.write(
            f"{len(chosen)} of {len(pool)} questions written to {options['out']} "
            f"(key: {options['key_out']}, seed {options['seed']})."
        )
