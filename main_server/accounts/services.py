from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
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


def token_refresh(*, refresh_token: str) -> dict[str, str]:
    serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
    try:
        serializer.is_valid(raise_exception=True)
    except TokenError as exc:
        raise ApplicationError(str(exc), code="token_not_valid", status_code=401) from None
    except Exception as exc:  # InvalidToken / AuthenticationFailed from simplejwt
        raise ApplicationError(
            "The refresh token is invalid, expired or already used.",
            code="token_not_valid",
            status_code=401,
        ) from exc
    data = serializer.validated_data
    return {"access_token": data["access"], "refresh_token": data.get("refresh", refresh_token)}


def token_logout(*, refresh_token: str) -> None:
    try:
        RefreshToken(refresh_token).blacklist()
    except TokenError:
        raise ApplicationError(
            "The refresh token is invalid, expired or already used.",
            code="token_not_valid",
            status_code=401,
        ) from None


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
        outstanding = OutstandingToken.objects.filter(user=user)
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
        )
        user.delete()
    logger.info("user_deleted user_id=%s jobs=%s templates=%s", user_id, jobs, templates)
