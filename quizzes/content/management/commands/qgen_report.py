"""Report on stored questions: counts per kind and status, score distribution, a sample to read."""

from __future__ import annotations

import random
import textwrap
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from quizzes.content.models import Question


class Command(BaseCommand):
    help = "Counts per kind, the score distribution and a random sample of questions."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sample", type=int, default=20, help="questions to print")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random sample")
        parser.add_argument("--status", choices=["draft", "approved", "rejected"])

    def handle(self, *args: Any, **options: Any) -> None:
        questions = Question.objects.filter(passage__is_current=True).select_related(
            "passage__deck__source"
        )
        if options["status"]:
            questions = questions.filter(status=options["status"])
        rows = list(questions)
        self.stdout.write(f"{len(rows)} questions on current passages")
        kinds = Counter((q.kind, q.status) for q in rows)
        self.stdout.write("\nkind              draft  approved  rejected")
        for kind in Question.Kind.values:
            counts = [kinds.get((kind, status), 0) for status in Question.Status.values]
            self.stdout.write(f"{kind:16} {counts[0]:6} {counts[1]:9} {counts[2]:9}")
        self.stdout.write("\nscore        count")
        buckets = Counter(min(9, int(q.score * 10)) for q in rows)
        for bucket in range(10):
            share = buckets.get(bucket, 0)
            bar = "#" * round(60 * share / max(1, len(rows)))
            self.stdout.write(f"{bucket / 10:.1f}-{(bucket + 1) / 10:.1f}  {share:6}  {bar}")
        self._per_source(rows)
        sample = random.Random(options["seed"]).sample(rows, min(options["sample"], len(rows)))
        self.stdout.write(f"\nA random sample of {len(sample)} (seed {options['seed']}):")
        for number, q in enumerate(sample, start=1):
            evidence = q.passage.text[q.evidence_start : q.evidence_end]
            self.stdout.write(
                f"\n{number}. [{q.kind}, {q.status}, score {q.score:.2f}] "
                f"{q.passage.deck.source.title[:50]} / {q.passage.deck.title[:40]}"
            )
            self.stdout.write(textwrap.fill(f"Q: {q.prompt}", 100, subsequent_indent="   "))
            if q.choices:
                self.stdout.write(f"   choices: {' | '.join(q.choices)}")
            self.stdout.write(f"   A: {q.answer}")
            self.stdout.write(
                textwrap.fill(
                    f"evidence: {evidence}", 100, initial_indent="   ", subsequent_indent="   "
                )
            )

    def _per_source(self, rows: list[Question]) -> None:
        """Approved questions per source and kind, and how many of its passages of 150 or
        more words have one (with the mean per such passage)."""
        from quizzes.content.models import Passage

        approved = [q for q in rows if q.status == Question.Status.APPROVED]
        per_passage = Counter(q.passage_id for q in approved)
        by_source: dict[int, list[Question]] = {}
        for q in approved:
            by_source.setdefault(q.passage.deck.source_id, []).append(q)
        sources = {q.passage.deck.source_id: q.passage.deck.source for q in rows}
        self.stdout.write("\napproved per source: kinds; passages of 150+ words with one")
        for source_id, source in sorted(sources.items()):
            kinds = Counter(q.kind for q in by_source.get(source_id, []))
            long_ones = list(
                Passage.objects.filter(
                    deck__source_id=source_id, is_current=True, word_count__gte=150
                ).values_list("pk", flat=True)
            )
            served = sum(1 for pk in long_ones if per_passage.get(pk))
            mean = sum(per_passage.get(pk, 0) for pk in long_ones) / max(1, len(long_ones))
            self.stdout.write(
                f"{source_id:3} {source.title[:45]:45} "
                + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
                + f"; {served}/{len(long_ones)} passages, mean {mean:.2f}"
            )
