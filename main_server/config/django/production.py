"""Production: secrets from the environment, HTTPS behind nginx, DEBUG off.
`manage.py check --deploy` passes with no warnings."""

import os

from config.secret_key import production_secret_key

# Checked before base.py reads it: a missing, placeholder or short key stops
# the process here, and base.py never generates a local one in production.
_SECRET_KEY = production_secret_key(os.environ.get("SECRET_KEY"))

from config.django.base import *  # noqa: E402, F403
from config.env import env_bool, env_int, env_list  # noqa: E402

SECRET_KEY = _SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise RuntimeError("ALLOWED_HOSTS is required in production")

# TLS ends at the proxy in front of nginx (or nginx itself).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]  # probes on plain HTTP (/metrics never reaches Django: wsgi.py)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
