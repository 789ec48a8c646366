"""Settings for the study service.

One module for every environment: production differs from development only in
environment values, each listed with its default in `.env.example`. The
defaults are safe for a laptop: DEBUG off, SQLite and a broker kept in files
under `var/`, so `make run` needs no server.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean, refusing anything that is not clearly yes or no."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_float_or_none(name: str) -> float | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from exc


def env_hops(name: str) -> int:
    """How many proxies to trust: a whole number >= 0 (yes/true mean 1, no/false 0)."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in _FALSE:
        return 0
    if raw in _TRUE - {"1"}:
        return 1
    value = env_int(name, 0)
    if value < 0:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be 0 or more (the number of trusted proxies)"
        )
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read a secret from NAME_FILE (a mounted secret) first, then from NAME."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    """The random key `make run` keeps in VAR_DIR/secret_key, so that a laptop needs
    no configuration and sessions survive restarts; no key is shipped in the code.

    """
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set and {key_file} does not exist: set SECRET_KEY (or "
            "SECRET_KEY_FILE), or run `make run` once, which keeps a random key there."
        )
    return key_file.read_text(encoding="utf-8").strip()


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "accounts",
    "quizzes.content",
    "quizzes.study",
    "quizzes.teaching",
    "quizzes.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "studyapp.api.http_errors.ApiErrorMiddleware",
]

ROOT_URLCONF = "studyapp.urls"
WSGI_APPLICATION = "studyapp.wsgi.application"
ASGI_APPLICATION = "studyapp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks
    # instead of failing at once, and let readers run beside a writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
# Whether anyone may register as a teacher. Off: teacher accounts are made by
# an administrator (admin, or `manage.py demo_setup` for the demo teacher).
ALLOW_TEACHER_SIGNUP = env_bool("ALLOW_TEACHER_SIGNUP", False)

# --- Internationalisation --------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "studyapp.storage.StaticFilesStorage"},
}

# --- Security (turned on together behind TLS) ------------------------------

HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Proxies in front of the service that append to X-Forwarded-For (0: none). Only
# then is that header read, and only the address that many entries from its right.
TRUSTED_PROXY_HOPS = env_hops("BEHIND_PROXY")
if TRUSTED_PROXY_HOPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True


def _inline_style_hashes() -> list[str]:
    """CSP hashes of the two inline <style> blocks served: the bare 500 page's and
    Swagger UI's page. Computed from the templates, so an upgrade cannot drift."""
    spectacular = importlib.util.find_spec("drf_spectacular")
    templates = [BASE_DIR / "quizzes" / "web" / "templates" / "500.html"]
    if spectacular and spectacular.origin:
        templates.append(
            Path(spectacular.origin).parent / "templates" / "drf_spectacular" / "swagger_ui.html"
        )
    hashes = []
    for template in templates:
        if template.exists():
            for block in re.findall(r"<style>(.*?)</style>", template.read_text(), re.S):
                digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
                hashes.append(f"'sha256-{digest}'")
    return hashes


# Content-Security-Policy: scripts, styles, fonts and data only from this site
# (the web pages, Swagger UI and the admin have no inline script); images also
# as data: URIs (Swagger UI's icons); no plugins, no framing, no foreign forms.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *_inline_style_hashes()],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- REST API -------------------------------------------------------------

# Logins per client address: generous enough for a class behind one NAT signing
# in at the start of a lesson, typos included; guessing is stopped per account.
AUTH_THROTTLE_RATE_DEFAULT = "60/minute"
AUTH_ACCOUNT_THROTTLE_RATE_DEFAULT = "30/hour"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "studyapp.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "studyapp.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "studyapp.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("AUTH_THROTTLE_RATE", AUTH_THROTTLE_RATE_DEFAULT),
        "auth_account": env_str("AUTH_ACCOUNT_THROTTLE_RATE", AUTH_ACCOUNT_THROTTLE_RATE_DEFAULT),
        "join": env_str("JOIN_THROTTLE_RATE", "200/hour"),
        "join_user": env_str("JOIN_USER_THROTTLE_RATE", "20/hour"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_HOPS,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env_secret("JWT_SIGNING_KEY") or SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Study service API",
    "DESCRIPTION": (
        "Curated passages, generated questions, spaced-repetition study and "
        "classroom quizzes. Mobile clients use JWT; the web uses session auth with CSRF."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "QuestionKindEnum": "quizzes.content.models.Question.Kind",
        "QuestionStatusEnum": "quizzes.content.models.Question.Status",
        "JobKindEnum": "quizzes.content.models.Job.Kind",
        "JobStateEnum": "quizzes.content.models.Job.State",
        "RoleEnum": "accounts.models.User.Role",
    },
}

# --- Content ---------------------------------------------------------------

# Largest text a teacher may upload or paste, in bytes.
SOURCE_MAX_BYTES = env_int("SOURCE_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SOURCE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SOURCE_MAX_BYTES + 1024 * 1024

# Question generation. With QGEN_LLM_URL and QGEN_LLM_MODEL set, questions are
# drafted by an OpenAI-compatible chat-completions endpoint, validated, and the
# rule-based generator is the fallback on any error.
QGEN_LLM_URL = env_str("QGEN_LLM_URL", "")
QGEN_LLM_MODEL = env_str("QGEN_LLM_MODEL", "")
QGEN_LLM_API_KEY = env_secret("QGEN_LLM_API_KEY")
QGEN_LLM_TIMEOUT = env_int("QGEN_LLM_TIMEOUT", 60)
# Curated texts: generated questions scoring at least this (a predicted probability
# that a blind judge accepts the item) are approved at once. Unset: the threshold the
# ranker chose on held-out judged labels for its precision target (ranker.json).
QGEN_AUTO_APPROVE_SCORE = env_float_or_none("QGEN_AUTO_APPROVE_SCORE")

# Spaced repetition: fit a user's FSRS parameters once they have this many
# reviews, and again after every STUDY_OPTIMISE_EVERY new ones (and weekly).
STUDY_OPTIMISE_MIN_REVIEWS = env_int("STUDY_OPTIMISE_MIN_REVIEWS", 100)
STUDY_OPTIMISE_EVERY = env_int("STUDY_OPTIMISE_EVERY", 500)
# Learners per task of the nightly roll-up and the daily reminders.
STUDY_FANOUT_CHUNK = env_int("STUDY_FANOUT_CHUNK", 500)
# Learners with a long-term review of a question before its class offset is used.
STUDY_CLASS_MIN_LEARNERS = env_int("STUDY_CLASS_MIN_LEARNERS", 5)

# --- Celery ---------------------------------------------------------------

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker kept in files: the worker and the web process need no server. The
    # Celery app creates the folders once it is configured (studyapp/celery.py).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker takes at most one message per poll: poll often enough that
        # beat's periodic tasks never build a backlog in front of a job.
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = timedelta(days=7)
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool child is replaced after this many tasks or this much resident memory
# (KiB), so one leaky or runaway job cannot wedge the worker for long.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 100)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_500_000)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Jobs (question generation): a delivery bumps the job's heartbeat every
# JOB_HEARTBEAT_SECONDS while it runs; a running job silent for
# JOB_HEARTBEAT_TIMEOUT_SECONDS is taken as dead and run again, at most
# JOB_MAX_ATTEMPTS times in all; a pending job no worker took within
# JOB_RESEND_SECONDS of its message is sent again. Beat checks every
# JOB_RECOVERY_SECONDS.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_HEARTBEAT_TIMEOUT_SECONDS = env_int("JOB_HEARTBEAT_TIMEOUT_SECONDS", 60)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_RESEND_SECONDS = env_int("JOB_RESEND_SECONDS", 300)
JOB_RECOVERY_SECONDS = env_int("JOB_RECOVERY_SECONDS", 30)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "study-optimise-parameters-weekly": {
        "task": "study.tasks.study_parameters_optimise_all_task",
        "schedule": crontab(day_of_week="sunday", hour=3, minute=0),
    },
    "study-rollup-nightly": {
        "task": "study.tasks.study_rollup_all_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "study-class-offsets-nightly": {
        "task": "study.tasks.study_class_offsets_fit_all_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "study-optimise-requested": {
        "task": "study.tasks.study_optimisations_requested_send_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "study-requeue-parameter-imports": {
        "task": "study.tasks.study_parameter_imports_requeue_task",
        "schedule": timedelta(minutes=5),
    },
    "study-due-reminders-daily": {
        "task": "study.tasks.study_due_reminders_all_task",
        "schedule": crontab(hour=env_int("DUE_REMINDER_HOUR", 7), minute=0),
        "options": {"expires": 6 * 3600},
    },
    "recover-jobs": {
        "task": "quizzes.tasks.jobs_recover_task",
        "schedule": timedelta(seconds=JOB_RECOVERY_SECONDS),
        "options": {"expires": JOB_RECOVERY_SECONDS},
    },
    "flush-expired-tokens": {
        "task": "accounts.tasks.tokens_flush_expired_task",
        "schedule": timedelta(hours=6),
    },
    "close-overdue-attempts": {
        "task": "quizzes.teaching.tasks.attempts_close_overdue_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
}

# --- Mail -----------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Study service <noreply@localhost>")

# --- Logging --------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
