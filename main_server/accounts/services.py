from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import RotatedRefreshToken, User
from accounts.selectors import user_alias_available, user_email_available, user_get_by_email
from common.errors import ApplicationError, WrongPasswordError
from emojis.services import templates_deactivate_for_owner
from faces.services import jobs_delete_for_owner

logger = logging.getLogger(__name__)

# Hashing a throwaway password on unknown emails keeps the timing of
# "no such user" and "wrong password" alike.
_DUMMY_HASH = None


def _conflict(code: str, field: str, message: str) -> ApplicationError:
    return ApplicationError(message, code=code, status_code=409, fields={field: [message]})


@transaction.atomic
def user_create(*, email: str, password: str, alias: str) -> User:
    email = email.strip().lower()
    alias = alias.strip()
    if not user_email_available(email=email):
        raise _conflict("email_taken", "email", "This email is already registered.")
    if not user_alias_available(alias=alias):
        raise _conflict("alias_taken", "alias", "This alias is already taken.")
    candidate = User(email=email, alias=alias)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="weak_password", fields={"password": exc.messages}
        ) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, alias=alias)
    except IntegrityError:
        # Lost a race with another sign-up between the check and the insert.
        if not user_email_available(email=email):
            raise _conflict("email_taken", "email", "This email is already registered.") from None
        raise _conflict("alias_taken", "alias", "This alias is already taken.") from None
    logger.info("user_created user_id=%s", user.id)
    return user


def user_authenticate(*, email: str, password: str) -> User:
    global _DUMMY_HASH
    user = user_get_by_email(email=email)
    if user is None or not user.is_active or user.is_system:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = make_password("dummy-password-for-timing")
        check_password(password, _DUMMY_HASH)
        raise _bad_credentials()
    if not user.check_password(password):
        raise _bad_credentials()
    return user


def _bad_credentials() -> ApplicationError:
    return ApplicationError(
        "Email or password is wrong.", code="invalid_credentials", status_code=401
    )


def user_login(*, email: str, password: str) -> dict[str, Any]:
    user = user_authenticate(email=email, password=password)
    refresh = RefreshToken.for_user(user)
    logger.info("user_login user_id=%s", user.id)
    return {
        "access_token": str(refresh.access_token),
        "refresh_token": str(refresh),
        "user": {"id": user.id, "alias": user.alias},
    }


def _token_invalid() -> ApplicationError:
    return ApplicationError(
        "The refresh token is invalid, expired or already used.",
        code="token_not_valid",
        status_code=401,
    )


def _refresh_payload(raw: str) -> dict[str, Any]:
    """Signature, expiry and type checked; the blacklist is checked by the caller."""
    try:
        payload = token_backend.decode(raw, verify=True)
    except TokenBackendError:
        raise _token_invalid() from None
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh" or not payload.get(jwt_settings.JTI_CLAIM):
        raise _token_invalid()
    return payload


def token_refresh(*, refresh_token: str) -> dict[str, str]:
    """Rotate a refresh token. Presenting one that was already rotated is reuse:
    someone else holds the chain, so every refresh token of the user is revoked
    (OWASP's advice for rotation) and the caller gets refresh_token_reused.
    The row lock makes two concurrent uses of one token count as reuse too."""
    payload = _refresh_payload(refresh_token)
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update().filter(jti=payload[jwt_settings.JTI_CLAIM]).first()
        )
        if outstanding is None:
            raise _token_invalid()
        reused = RotatedRefreshToken.objects.filter(token=outstanding).exists()
        if reused:
            revoked = refresh_tokens_revoke_all(user_id=outstanding.user_id)
        elif BlacklistedToken.objects.filter(token=outstanding).exists():
            raise _token_invalid()  # logged out: nothing more to do
        else:
            user = User.objects.filter(pk=outstanding.user_id, is_active=True, is_system=False).first()
            if user is None:
                raise _token_invalid()
            BlacklistedToken.objects.create(token=outstanding)
            RotatedRefreshToken.objects.create(token=outstanding)
            new = RefreshToken.for_user(user)
            answer = {"access_token": str(new.access_token), "refresh_token": str(new)}
    if reused:
        # Raised outside the transaction: the revocation is committed.
        logger.warning("refresh_token_reused user_id=%s revoked=%s", outstanding.user_id, revoked)
        raise ApplicationError(
            "This refresh token was already used. Every session of this account has been "
            "signed out; log in again.",
            code="refresh_token_reused",
            status_code=401,
        )
    return answer


def refresh_tokens_revoke_all(*, user_id: int | None) -> int:
    """Blacklist every outstanding, unexpired refresh token of the user."""
    if user_id is None:
        return 0
    live = OutstandingToken.objects.filter(
        user_id=user_id, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live])
    return len(revoked)


def token_logout(*, refresh_token: str) -> None:
    try:
        RefreshToken(refresh_token).blacklist()
    except TokenError:
        raise _token_invalid() from None


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns: jobs with their photos,
    results and share links (database and storage); templates soft-deleted, so
    other people's results that used them still open; every refresh token
    revoked, and access tokens refused from now on (their user is gone).
    A wrong password deletes nothing."""
    if not user.check_password(password):
        raise WrongPasswordError()
    user_id = user.id
    with transaction.atomic():
        jobs = jobs_delete_for_owner(owner=user)
        templates = templates_deactivate_for_owner(owner=user)
        refresh_tokens_revoke_all(user_id=user_id)
        user.delete()
    logger.info("user_deleted user_id=%s jobs=%s templates=%s", user_id, jobs, templates)
