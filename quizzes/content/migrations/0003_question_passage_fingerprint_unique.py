import hashlib

from django.db import migrations, models


def deduplicate(apps, schema_editor):
    """Keep one question per (passage, fingerprint) before the constraint applies.

    The oldest row stays as it is. A later copy that is an unedited draft is
    deleted (students never see drafts); any other copy keeps its row, its
    reviews and its place in quiz sets, under a fingerprint of its own.
    """
    Question = apps.get_model("quizzes", "Question")
    duplicates = (
        Question.objects.exclude(fingerprint="")
        .values("passage_id", "fingerprint")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
    )
    for group in duplicates:
        rows = list(
            Question.objects.filter(
                passage_id=group["passage_id"], fingerprint=group["fingerprint"]
            ).order_by("id")
        )
        for question in rows[1:]:
            if question.status == "draft" and not question.is_edited:
                question.delete()
            else:
                key = f"{question.fingerprint}:{question.pk}".encode()
                question.fingerprint = hashlib.sha256(key).hexdigest()
                question.save(update_fields=["fingerprint"])


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0002_job_attempts_heartbeat_claim"),
    ]

    operations = [
        migrations.RunPython(deduplicate, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("fingerprint", ""), _negated=True),
                fields=("passage", "fingerprint"),
                name="quizzes_question_passage_fingerprint_unique",
            ),
        ),
    ]
