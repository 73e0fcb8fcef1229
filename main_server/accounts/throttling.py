"""Login throttles. Counts live in the default cache (Redis in deployment, the
database cache under `make run`), so every gunicorn worker sees the same
numbers; each window expires by itself. The email throttle is keyed by the
email tried, so hammering one account never locks out another."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class LoginIpThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginEmailThrottle(SimpleRateThrottle):
    scope = "login_email"

    def get_cache_key(self, request, view) -> str | None:
        data = getattr(request, "data", None)
        # Any JSON is parsed before the view checks it: a list body has no email.
        email = data.get("email") if isinstance(data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class SignupThrottle(LoginIpThrottle):
    scope = "signup"


class UploadThrottle(UserRateThrottle):
    """Uploads (templates and jobs) per user."""

    scope = "uploads"
