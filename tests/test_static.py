"""Static files as production serves them: hashed names, module imports rewritten,
cached for a year; pages announce the shared modules so they load in one round."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from tests.factories import UserFactory

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "studyapp.storage.StaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_AUTOREFRESH=False,
        DEBUG=False,
    ):
        # only this project's files: the vendored ones (admin, API docs) take minutes
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "rest_framework", "drf_spectacular_sidecar"],
        )
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        yield tmp_path, manifest


def test_modules_import_each_other_by_their_hashed_names(collected):
    root, manifest = collected
    study = (root / manifest["web/js/study.js"]).read_text()

    imported = re.findall(r'from "\./([^"]+)"', study)
    assert sorted(imported) == sorted(
        [
            manifest["web/js/api.js"].split("/")[-1],
            manifest["web/js/dom.js"].split("/")[-1],
            manifest["web/js/exams.js"].split("/")[-1],
        ]
    )
    assert all(re.fullmatch(r"\w+\.[0-9a-f]{12}\.js", name) for name in imported)


def test_hashed_files_are_cached_for_a_year_and_immutable(collected):
    from whitenoise.middleware import WhiteNoiseMiddleware

    _, manifest = collected
    middleware = WhiteNoiseMiddleware(lambda request: None)
    response = middleware(RequestFactory().get("/static/" + manifest["web/js/api.js"]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"


@pytest.mark.django_db
def test_every_page_preloads_the_shared_modules(client):
    client.force_login(UserFactory())

    html = client.get("/study").content.decode()

    assert re.findall(r'<link rel="modulepreload" href="([^"]+)">', html) == [
        "/static/web/js/api.js",
        "/static/web/js/charts.js",
        "/static/web/js/dom.js",
        "/static/web/js/exams.js",
        "/static/web/js/quizview.js",
    ]
