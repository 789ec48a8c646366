import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from quizzes.study.models import ParameterImport, StudySettings
from tests.conftest import authenticated

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/study/parameters/import"


def revlog_csv(cards=15, reviews_per_card=7, seed=3) -> bytes:
    """An Anki-style review log in the shared format, with a plausible forgetting pattern."""
    rng = random.Random(seed)
    lines = ["card_id,review_rating,review_time,review_duration"]
    start = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)
    for card in range(cards):
        at = start + timedelta(hours=card)
        for step in range(reviews_per_card):
            rating = 1 if rng.random() < 0.15 + 0.02 * step else 3
            duration = rng.randint(2000, 60000)
            lines.append(f"{1711744352250 + card},{rating},{at.isoformat()},{duration}")
            at += timedelta(days=rng.randint(1, 3 + 2 * step), minutes=rng.randint(0, 300))
    return ("\n".join(lines) + "\n").encode()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("revlog.csv", content, content_type="text/csv")


def test_a_student_imports_a_review_log_and_gets_personal_parameters(
    student, now, settings, django_capture_on_commit_callbacks
):
    settings.STUDY_OPTIMISE_MIN_REVIEWS = 30
    client = authenticated(APIClient(), student)

    # when she uploads her Anki log
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload(revlog_csv())}, format="multipart")

    # then the fit runs in the background and her parameters are replaced
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    detail = client.get(f"/api/v1/study/parameters/imports/{response.json()['id']}").json()
    assert detail["status"] == "succeeded"
    assert detail["result"]["fitted"] is True
    assert detail["result"]["n_reviews"] == 90
    study_settings = StudySettings.objects.get(user=student)
    assert study_settings.parameters == detail["result"]["parameters"]
    assert study_settings.parameters_source == "imported"


def test_a_log_too_short_to_fit_leaves_the_parameters_alone(
    student, now, django_capture_on_commit_callbacks
):
    client = authenticated(APIClient(), student)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload(revlog_csv(cards=2))}, format="multipart")

    job = ParameterImport.objects.get(pk=response.json()["id"])
    assert job.status == "failed"
    assert job.message == (
        "Parameters unchanged: only 12 qualifying reviews (< 20 to fit and check)."
    )
    assert not StudySettings.objects.filter(user=student, parameters__isnull=False).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (
            b"card_id,review_rating\n1,3\n",
            "Not a review log: review log is missing columns: review_time",
        ),
        (
            b"card_id,review_rating,review_time\n1,9,2024-01-01T00:00:00+00:00\n",
            "Not a review log: line 2: rating must be 1..4, got 9",
        ),
        (
            b"\xff\xfe\x00",
            "Not a review log: 'utf-8' codec can't decode byte 0xff in position "
            "0: invalid start byte",
        ),
    ],
)
def test_a_bad_file_is_refused_at_once(student, content, message):
    client = authenticated(APIClient(), student)

    response = client.post(IMPORT, {"file": upload(content)}, format="multipart")

    assert response.status_code == 400
    assert response.json()["fields"]["file"] == [message]
    assert ParameterImport.objects.count() == 0


def test_imports_are_private_and_need_authentication(student, other_student, api_client):
    job = ParameterImport.objects.create(user=other_student, content="x")

    assert api_client.post(IMPORT, {}, format="multipart").status_code == 401
    client = authenticated(APIClient(), student)
    response = client.get(f"/api/v1/study/parameters/imports/{job.pk}")
    assert response.status_code == 404


def test_evaluate_scheduler_prints_default_and_optimised_metrics_out_of_sample(tmp_path):
    path = tmp_path / "revlog.csv"
    path.write_bytes(revlog_csv(cards=30))
    out = io.StringIO()

    call_command(
        "evaluate_scheduler", str(path), "--splits", "2", "--min-reviews", "40", stdout=out
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "revlog.csv: 210 reviews of 30 cards; 180 reviews at least a day "
        "after the previous one are scored"
    )
    assert lines[1].startswith("Out of sample, fsrs-rs's protocol (2 time-series splits")
    assert lines[2].startswith("  FSRS-6 default parameters") and "n=120" in lines[2]
    assert lines[3].startswith("  FSRS-6 optimised parameters") and "n=120" in lines[3]
    assert "log loss" in lines[3] and "RMSE(bins)" in lines[3]
    # beside it, srs-benchmark's: local days, its outlier filter, TimeSeriesSplit
    # (gaps of 1-3 days, each on fewer than 6 cards: the filter drops those cards)
    assert lines[5] == (
        "Out of sample, srs-benchmark's protocol (days from 4 h in UTC, 108 of "
        "180 reviews dropped by the outlier filter, TimeSeriesSplit):"
    )
    assert lines[6].startswith("  FSRS-6 default parameters") and "n=48" in lines[6]
    assert lines[7].startswith("  FSRS-6 optimised parameters") and "n=48" in lines[7]


def test_evaluate_scheduler_refuses_a_file_that_is_not_a_review_log(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")

    with pytest.raises(CommandError, match="missing columns"):
        call_command("evaluate_scheduler", str(path))


def test_import_revlog_command_sets_a_users_parameters(student, tmp_path, settings):
    settings.STUDY_OPTIMISE_MIN_REVIEWS = 30
    path = tmp_path / "revlog.csv"
    path.write_bytes(revlog_csv())
    out = io.StringIO()

    call_command("import_revlog", "sam", str(path), stdout=out)

    assert out.getvalue() == "succeeded: Your personal parameters are in use.\n"
    assert len(StudySettings.objects.get(user=student).parameters) == 21
