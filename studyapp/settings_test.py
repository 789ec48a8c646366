"""Test settings: the real settings with fast hashing, eager Celery and local mail and cache.

The unit and API suites run on SQLite with no servers. The integration suite sets
TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL, and starts real worker processes.
"""

import os

import dj_database_url

# The tests need no key of the developer's: a fixed one, set before the settings load.
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)

from .settings import *  # noqa: F403
from .settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["TEST_DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

if os.environ.get("TEST_REDIS_URL"):
    CELERY_BROKER_URL = os.environ["TEST_REDIS_URL"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "auth": "1000/minute",
        "auth_account": "1000/minute",
        "join": "1000/minute",
        "join_user": "1000/minute",
    },
}
