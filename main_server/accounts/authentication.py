"""JWT authentication that never admits the system user (owner of the built-in
templates): even a token minted for it with the real key is refused."""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed


class JwtAuthentication(JWTAuthentication):
    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if getattr(user, "is_system", False):
            raise AuthenticationFailed("This token is not valid.", code="token_not_valid")
        return user


class JwtAuthenticationScheme(SimpleJWTScheme):
    """The OpenAPI security scheme: the same bearer JWT as simplejwt's."""

    target_class = "accounts.authentication.JwtAuthentication"
