"""Throttles and the login lock-out. Counts live in the default cache (Redis in
deployment, a database table that never drops live entries under `make run`), so
every gunicorn worker sees the same numbers; each window expires by itself. The
client address comes from common.client_ip: X-Forwarded-For only counts when a
trusted proxy sent it. The email throttle is keyed by the email tried, so
hammering one account never locks out another."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from common.client_ip import client_ip


class _ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip(request)


class IpThrottle(_ClientIpMixin, SimpleRateThrottle):
    """Counts requests per client address; `scope` names the rate setting."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginIpThrottle(IpThrottle):
    scope = "login_ip"


class LoginEmailThrottle(SimpleRateThrottle):
    scope = "login_email"

    def get_cache_key(self, request, view) -> str | None:
        data = getattr(request, "data", None)
        # Any JSON is parsed before the view checks it: a list body has no email.
        email = data.get("email") if isinstance(data, dict) else None
        return self.key_for(email)

    def key_for(self, email: object) -> str | None:
        if not isinstance(email, str) or not email.strip():
            return None
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class SignupThrottle(IpThrottle):
    scope = "signup"


class AvailabilityThrottle(IpThrottle):
    """The email/alias availability check: answers are cheap, but unthrottled
    they let anyone list which emails have an account."""

    scope = "availability"


class UploadThrottle(_ClientIpMixin, UserRateThrottle):
    """Uploads (templates and jobs) per user."""

    scope = "uploads"


class PasswordConfirmThrottle(LoginEmailThrottle):
    """A password typed again to confirm (deleting the account) counts with the
    logins tried on the same account: a stolen access token cannot be used to
    guess the password faster than the login form allows."""

    def get_cache_key(self, request, view) -> str | None:
        return self.key_for(getattr(request.user, "email", None))
