"""Users and auth: one APIView per operation; validate, call a service, return."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import alias_validator
from accounts.selectors import user_alias_available, user_email_available
from accounts.services import token_logout, token_refresh, user_create, user_delete, user_login
from accounts.throttling import (
    AvailabilityThrottle,
    LoginEmailThrottle,
    LoginIpThrottle,
    PasswordConfirmThrottle,
    SignupThrottle,
)
from common.schema import BodyOnDeleteAutoSchema, error_response, errors


class _StrictString:
    """A JSON string and nothing else: DRF's CharField would take the number 5
    as "5". Not trimmed either, so what the schema says is what is checked."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StringField(_StrictString, serializers.CharField):
    pass


class EmailField(_StrictString, serializers.EmailField):
    pass


def _password_min_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith(".MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 1


PASSWORD_RULES = (
    "Django's password validators also refuse a password that is too common, entirely "
    "numeric, or too similar to the email or alias (400 `weak_password`, `fields.password` says why)."
)
TOKEN_NOT_VALID = error_response(
    "token_not_valid", when="The refresh token is invalid, expired, or already used (rotated or logged out)."
)


class UsersApi(APIView):
    """`/users/`: GET checks whether an email or alias is free, POST signs up."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]

    class AvailabilityInputSerializer(serializers.Serializer):
        case = serializers.ChoiceField(choices=["email", "alias"])
        value = serializers.CharField(max_length=254, trim_whitespace=False)

    class AvailabilityOutputSerializer(serializers.Serializer):
        available = serializers.BooleanField(
            help_text="false when taken (case-insensitively) or not a valid email/alias at all."
        )

    class CreateInputSerializer(serializers.Serializer):
        email = EmailField(max_length=254, help_text="Stored lower-case; unique case-insensitively.")
        password = StringField(min_length=_password_min_length(), max_length=128, help_text=PASSWORD_RULES)
        alias = StringField(
            min_length=2, max_length=20, validators=[alias_validator],
            help_text="Letters, digits, '.', '-' or '_'; unique case-insensitively.",
        )

    class CreateOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        alias = serializers.CharField()

    def get_throttles(self):
        return [SignupThrottle()] if self.request.method == "POST" else [AvailabilityThrottle()]

    @extend_schema(
        operation_id="userAvailability",
        summary="Is this email or alias free?",
        parameters=[AvailabilityInputSerializer],
        responses={200: AvailabilityOutputSerializer},
    )
    def get(self, request):
        data = self.AvailabilityInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        case, value = data.validated_data["case"], data.validated_data["value"].strip()
        if case == "email":
            available = _email_is_valid(value) and user_email_available(email=value)
        else:
            available = _alias_is_valid(value) and user_alias_available(alias=value)
        return Response(self.AvailabilityOutputSerializer({"available": available}).data)

    @extend_schema(
        operation_id="userCreate",
        summary="Sign up",
        description=PASSWORD_RULES,
        request=CreateInputSerializer,
        responses={
            201: CreateOutputSerializer,
            **errors(
                e400=error_response(
                    "validation_error", "weak_password", "parse_error",
                    when="A field is missing or invalid, or the password is too weak (`fields` names it).",
                ),
                e409=error_response("email_taken", "alias_taken", when="Already registered (case-insensitively)."),
            ),
        },
    )
    def post(self, request):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(**data.validated_data)
        return Response(self.CreateOutputSerializer(user).data, status=status.HTTP_201_CREATED)


def _email_is_valid(value: str) -> bool:
    try:
        serializers.EmailField().run_validation(value)
    except serializers.ValidationError:
        return False
    return True


def _alias_is_valid(value: str) -> bool:
    try:
        alias_validator(value)
    except Exception:
        return False
    return True


class LoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]
    throttle_classes = [LoginIpThrottle, LoginEmailThrottle]

    class InputSerializer(serializers.Serializer):
        email = EmailField(max_length=254)
        password = StringField(max_length=128)

    class OutputSerializer(serializers.Serializer):
        class UserSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            alias = serializers.CharField()

        access_token = serializers.CharField(help_text="Send as `Authorization: Bearer …`; short-lived.")
        refresh_token = serializers.CharField(help_text="For /users/auth/refresh; used once (rotation).")
        user = UserSerializer()

    @extend_schema(
        operation_id="login",
        summary="Log in",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            **errors(
                e401=error_response(
                    "invalid_credentials", when="Wrong email or password (the same answer for both)."
                )
            ),
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(user_login(**data.validated_data)).data)


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]
    throttle_classes = [LoginIpThrottle]

    class InputSerializer(serializers.Serializer):
        refresh_token = StringField()

    class OutputSerializer(serializers.Serializer):
        access_token = serializers.CharField()
        refresh_token = serializers.CharField(help_text="The new refresh token; the one sent is now used up.")

    @extend_schema(
        operation_id="tokenRefresh",
        summary="New tokens for a refresh token",
        request=InputSerializer,
        responses={200: OutputSerializer, **errors(e401=TOKEN_NOT_VALID)},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(token_refresh(**data.validated_data)).data)


class LogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer):
        refresh_token = StringField()

    @extend_schema(
        operation_id="logout",
        summary="Log out (revoke a refresh token)",
        description="Needs no access token: the refresh token is the proof.",
        request=InputSerializer,
        responses={204: None, **errors(e401=TOKEN_NOT_VALID)},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token_logout(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserMeApi(APIView):
    """`/users/me`: the caller's own account."""

    throttle_classes = [PasswordConfirmThrottle]
    parser_classes = [JSONParser]
    schema = BodyOnDeleteAutoSchema()

    class DeleteInputSerializer(serializers.Serializer):
        password = StringField(max_length=128, help_text="The account's password, typed again to confirm.")

    @extend_schema(
        operation_id="userDeleteMe",
        summary="Delete my account and everything it owns",
        description="My jobs, photos, results and share links are deleted (database and storage) and my "
        "templates soft-deleted (results other people made with them still open). My tokens stop "
        "working at once, and media links handed out before answer 404. A wrong password deletes nothing.",
        request=DeleteInputSerializer,
        responses={
            204: None,
            **errors(
                e400=error_response(
                    "validation_error", "wrong_password", "parse_error",
                    when="The password is missing or wrong (`fields.password`); nothing was deleted.",
                ),
                e401=error_response(
                    "not_authenticated", "authentication_failed", "token_not_valid",
                    when="No access token, or one that is not valid.",
                ),
                e429=error_response(
                    "throttled",
                    when="Too many passwords tried on this account (counted with its logins); "
                    "`Retry-After` says when to try again.",
                ),
            ),
        },
    )
    def delete(self, request):
        data = self.DeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_delete(user=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)
