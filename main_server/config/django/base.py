"""Settings shared by every environment. Defaults make `make run` work on a laptop;
production.py tightens them and requires the secrets from the environment."""

from __future__ import annotations

import dj_database_url

from config.env import REPO_DIR, data_dir, env_bool, env_int, env_list, env_str
from config.secret_key import local_secret_key

DATA_DIR = data_dir()

# From the environment, or (make run) generated once into $DATA_DIR/secret_key.
# production.py refuses a missing or weak key before this line runs.
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
# make run answers on this machine only; a deployment names its hosts.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_prometheus",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "common.apps.CommonConfig",
    "accounts.apps.AccountsConfig",
    "emojis.apps.EmojisConfig",
    "faces.apps.FacesConfig",
    "media.apps.MediaConfig",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.ApiJsonErrorMiddleware",
    "common.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "common.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

# ---------------------------------------------------------------- headers
# Sent by the app itself on every answer (the SPA under make run, the API, the
# Swagger UI), the same policy nginx sends for the files it serves.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # MUI (emotion) injects <style> tags.
        "style-src": [SELF, UNSAFE_INLINE],
        # Signed media URLs (same origin, or the S3 host over https), blob: previews.
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------- database
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL through a backend that waits out a short outage (common/db/postgresql).
DB_CONNECT_RETRY_SECONDS = env_int("DB_CONNECT_RETRY_SECONDS", 30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "common.db.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # gunicorn workers and worker threads write concurrently: WAL + IMMEDIATE
    # transactions + a busy timeout instead of "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

# ---------------------------------------------------------------- auth
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "alias")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# ---------------------------------------------------------------- uploads
# One set of picture limits (common/images.py), the same ai_server enforces
# (its /healthz reports them; an integration test checks they agree).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 15 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
UPLOAD_MAX_FRAMES = env_int("UPLOAD_MAX_FRAMES", 1000)
# Template pictures are downscaled to this long side at upload: an emoji never
# needs more, and ai_server accepts emoji pictures up to 16 MP only.
TEMPLATE_PICTURE_MAX_SIDE = env_int("TEMPLATE_PICTURE_MAX_SIDE", 1024)
# Whole-request cap (a template is seven pictures); bigger → 413 before parsing.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 8 * UPLOAD_MAX_BYTES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------- the SPA
FRONTEND_DIST = env_str("FRONTEND_DIST", str(REPO_DIR / "frontend" / "dist"))
BUILTIN_ASSETS_DIR = env_str("BUILTIN_ASSETS_DIR", str(REPO_DIR / "assets" / "emoji"))

# ---------------------------------------------------------------- AI server
AI_SERVER_URL = env_str("AI_SERVER_URL", "http://127.0.0.1:8001")
AI_SERVER_TIMEOUT = env_int("AI_SERVER_TIMEOUT", 120)
AI_CLIENT = env_str("AI_CLIENT", "common.ai_client.AiClient")

# ---------------------------------------------------------------- processes
# Written by the supervisor of `make run` / `make stack` (scripts/supervisor.py);
# /api/v1/health reports the processes it lists. Unset in compose (Docker restarts).
SUPERVISOR_STATUS_FILE = env_str("SUPERVISOR_STATUS_FILE", "")

# ---------------------------------------------------------------- jobs
# Leases, the reconciler, the attempt budget and the retry policy:
# config/integrations/celery.py (docs/reliability.md).

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

from config.integrations.cache import *  # noqa: E402, F403
from config.integrations.celery import *  # noqa: E402, F403
from config.integrations.drf import *  # noqa: E402, F403
from config.integrations.jwt import *  # noqa: E402, F403
from config.integrations.privacy import *  # noqa: E402, F403
from config.integrations.storage import *  # noqa: E402, F403

