from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

alias_validator = RegexValidator(
    r"^[\w.-]{2,20}\Z",
    "An alias is 2-20 letters, digits, '.', '-' or '_'.",
    code="invalid_alias",
)


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    # Stored lower-case; the functional unique constraints make the database
    # refuse "A@x.org" next to "a@x.org" even if a caller forgets to normalise.
    email = models.EmailField(max_length=254, unique=True)
    alias = models.CharField(max_length=20, unique=True, validators=[alias_validator])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_system = models.BooleanField(default=False)  # owner of the built-in templates
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["alias"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("alias"), name="user_alias_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.alias


class RotatedRefreshToken(models.Model):
    """A refresh token that was exchanged for a new one. Presenting it again
    means two parties hold the chain (one of them stole it): every refresh token
    of the user is revoked. A token that was only logged out is not listed here,
    so a stale tab holding it gets a plain 401 and other devices stay signed in.
    Rows go with their OutstandingToken when flushexpiredtokens removes it."""

    token = models.OneToOneField(
        "token_blacklist.OutstandingToken", on_delete=models.CASCADE, related_name="rotation"
    )
    rotated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"rotated {self.token_id}"
