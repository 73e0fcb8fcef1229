from __future__ import annotations

from accounts.models import User


def user_email_available(*, email: str) -> bool:
    return not User.objects.filter(email__iexact=email.strip()).exists()


def user_alias_available(*, alias: str) -> bool:
    return not User.objects.filter(alias__iexact=alias.strip()).exists()


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
