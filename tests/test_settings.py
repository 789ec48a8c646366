import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from studyapp.settings import env_bool, env_int, env_secret

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_LIKE = {
    "DJANGO_SETTINGS_MODULE": "studyapp.settings",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "study.example.org",
    "HTTPS": "1",
    "BEHIND_PROXY": "1",
    "DEBUG": "0",
}


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TEST_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_under_production_like_variables(tmp_path):
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_LIKE, "VAR_DIR": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_tls_settings_are_off(tmp_path):
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_LIKE, "HTTPS": "0", "VAR_DIR": str(tmp_path)},
    )

    assert result.returncode == 1
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


def test_debug_is_off_unless_asked(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = {
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "SECRET_KEY": "k" * 50,
    }
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}

    off = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    on = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**base, **env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert off.stdout.strip() == "False"
    assert on.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("", False),
    ],
)
def test_env_bool_reads_clear_values(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("SIZE", "ten")
    with pytest.raises(ImproperlyConfigured, match="SIZE='ten' is not a whole number"):
        env_int("SIZE", 3)


def test_env_secret_prefers_the_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("TOKEN", "from-env")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_secret("TOKEN") == "from-file"


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "studyapp" / "settings.py").read_text()
    helpers = r"env_(?:str|bool|int|float_or_none|hops|list|secret)"
    read = set(re.findall(helpers + r'\("([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert read - listed == set()


def test_loading_the_settings_writes_nothing(tmp_path):
    # Given an empty VAR_DIR (a file broker, SQLite, a file cache)
    var = tmp_path / "var"
    env = {
        "VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "SECRET_KEY": "k" * 50,
    }
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}

    # When Django loads the settings and the apps
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )

    # Then no folder and no key file was made
    assert not var.exists()


def test_the_key_make_run_keeps_in_var_is_the_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text("kept-by-make-run-" + "x" * 40)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "studyapp.settings"}
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "kept-by-make-run-" + "x" * 40


def test_without_a_key_the_settings_say_how_to_get_one(tmp_path):
    env = {"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "studyapp.settings"}
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []
