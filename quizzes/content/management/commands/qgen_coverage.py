"""Gold coverage of the served questions: which gold facts some question asks and keys.

    manage.py qgen_coverage                                  # fixtures/qgen_gold_v2.json, approved
    manage.py qgen_coverage --gold other.json --status draft
    manage.py qgen_coverage --facts                          # also list every fact's verdict

The matching rules are in ``quizzes.core.coverage``. A gold passage is looked up by
its source's import key, its deck order and its order in the deck, among current
passages; if its content hash differs (the text preparation changed), the current
passage of that source whose text begins with the gold ``first_words`` is used, and
the row is marked ``~``. A passage not found is marked ``missing`` and its facts
count as not covered.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.content.models import Passage, Question
from quizzes.core.coverage import GoldFact, ServedQuestion, covering_question, share

DEFAULT_GOLD = Path(settings.BASE_DIR) / "fixtures" / "qgen_gold_v2.json"


def _find_passage(entry: dict[str, Any]) -> tuple[Passage | None, str]:
    current = Passage.objects.filter(
        deck__source__import_key=entry["source"], is_current=True
    ).select_related("deck")
    passage = current.filter(deck__order=entry["deck_order"], order=entry["passage_order"]).first()
    if passage is not None and passage.content_hash == entry["content_hash"]:
        return passage, ""
    by_hash = current.filter(content_hash=entry["content_hash"]).first()
    if by_hash is not None:
        return by_hash, "~"
    words = entry.get("first_words", "")
    if words:
        for candidate in current.filter(text__startswith=words.split()[0]):
            if " ".join(candidate.text.split()[: len(words.split())]) == words:
                return candidate, "~"
    return None, "missing"


class Command(BaseCommand):
    help = "Share of gold facts asked and keyed by a served question of their passage."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="gold file (JSON)")
        parser.add_argument(
            "--status",
            default="approved",
            choices=[*Question.Status.values, "any"],
            help="questions to count (default: approved, i.e. served)",
        )
        parser.add_argument("--facts", action="store_true", help="print each fact's verdict")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["gold"])
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
            entries = gold["passages"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}: not a gold file ({exc})") from exc

        by_type: dict[str, Counter[str]] = defaultdict(Counter)
        by_source: dict[str, Counter[str]] = defaultdict(Counter)
        zero_passages: list[str] = []
        missing = 0
        covered_total = facts_total = 0
        self.stdout.write(
            f"Gold coverage of {options['status']} questions: {path.name}, "
            f"{len(entries)} passages, {sum(len(e['facts']) for e in entries)} facts\n"
        )
        self.stdout.write(f"{'passage':40} {'questions':>9}  covered")
        for entry in entries:
            passage, mark = _find_passage(entry)
            questions: list[ServedQuestion] = []
            if passage is not None:
                rows = passage.questions.all()
                if options["status"] != "any":
                    rows = rows.filter(status=options["status"])
                questions = [
                    ServedQuestion(q.id, q.kind, q.prompt, q.answer, tuple(q.accepted_answers))
                    for q in rows.order_by("id")
                ]
            else:
                missing += 1
            covered = 0
            verdicts: list[str] = []
            for raw in entry["facts"]:
                fact = GoldFact(
                    raw["id"],
                    raw["type"],
                    raw["question"],
                    raw["answer"],
                    tuple(raw.get("accepted", ())),
                )
                match = covering_question(fact, questions, passage=passage.text if passage else "")
                hit = match is not None
                covered += hit
                by_type[fact.type]["facts"] += 1
                by_type[fact.type]["covered"] += hit
                by_source[entry["source"]]["facts"] += 1
                by_source[entry["source"]]["covered"] += hit
                if options["facts"]:
                    how = (
                        f"question {match.question_id} ({match.matched_answer!r})" if match else "-"
                    )
                    verdicts.append(
                        f"    {'+' if hit else ' '} {fact.id} [{fact.type}] "
                        f"{fact.question} -> {how}"
                    )
            covered_total += covered
            facts_total += len(entry["facts"])
            if not covered:
                zero_passages.append(entry["id"])
            label = f"{entry['id']} {mark}".strip()
            self.stdout.write(
                f"{label:40} {len(questions):9}  {share(covered, len(entry['facts']))}"
            )
            for line in verdicts:
                self.stdout.write(line)

        self.stdout.write("\nBy type")
        for fact_type in gold.get("types") or sorted(by_type):
            counts = by_type.get(fact_type)
            if counts:
                self.stdout.write(f"  {fact_type:12} {share(counts['covered'], counts['facts'])}")
        self.stdout.write("\nBy source")
        for source, counts in by_source.items():
            self.stdout.write(f"  {source:50} {share(counts['covered'], counts['facts'])}")
        self.stdout.write(
            f"\nOverall: {share(covered_total, facts_total)} of gold facts covered; "
            f"{len(zero_passages)} of {len(entries)} passages with none"
            + (f" ({', '.join(zero_passages)})" if zero_passages else "")
            + (f"; {missing} passages missing" if missing else "")
        )
