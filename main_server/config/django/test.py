"""Unit tests: SQLite in memory, locmem cache, fake AI client, media in a temp dir."""

import os
import secrets
import tempfile

# A fresh key per run: base.py then leaves $DATA_DIR alone.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from config.django.base import *  # noqa: E402, F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
AI_CLIENT = "common.tests.fake_ai.FakeAiClient"
MEDIA_ROOT = tempfile.mkdtemp(prefix="igemoji-test-media-")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False  # tests call tasks directly or capture on_commit
TASK_RETRY_BASE_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False}
