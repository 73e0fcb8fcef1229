"""Users and auth: one APIView per operation; validate, call a service, return."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
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
from common.schema import error_response, errors


class UserAvailabilityApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        case = serializers.ChoiceField(choices=["email", "alias"])
        value = serializers.CharField(max_length=254, trim_whitespace=True)

        def validate(self, attrs):
            if attrs["case"] == "email":
                serializers.EmailField().run_validation(attrs["value"])
            return attrs

    class OutputSerializer(serializers.Serializer):
        available = serializers.BooleanField()

    @extend_schema(parameters=[InputSerializer], responses=OutputSerializer)
    def get(self, request):
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        case, value = data.validated_data["case"], data.validated_data["value"]
        if case == "email":
            available = user_email_available(email=value)
        else:
            available = _alias_is_valid(value) and user_alias_available(alias=value)
        return Response({"available": available})

    class CreateInputSerializer(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        alias = serializers.CharField(min_length=2, max_length=20, validators=[alias_validator])

    class CreateOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        alias = serializers.CharField()

    def get_throttles(self):
        return [SignupThrottle()] if self.request.method == "POST" else [AvailabilityThrottle()]

    @extend_schema(request=CreateInputSerializer, responses={201: CreateOutputSerializer})
    def post(self, request):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(**data.validated_data)
        return Response(self.CreateOutputSerializer(user).data, status=status.HTTP_201_CREATED)


def _alias_is_valid(value: str) -> bool:
    try:
        alias_validator(value)
    except Exception:
        return False
    return True


class LoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginIpThrottle, LoginEmailThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class UserSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        alias = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        access_token = serializers.CharField()
        refresh_token = serializers.CharField()
        user = serializers.DictField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(user_login(**data.validated_data))


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginIpThrottle]

    class InputSerializer(serializers.Serializer):
        refresh_token = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        access_token = serializers.CharField()
        refresh_token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(token_refresh(**data.validated_data))


class LogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        refresh_token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token_logout(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserMeApi(APIView):
    """`/users/me`: the caller's own account."""

    throttle_classes = [PasswordConfirmThrottle]

    class DeleteInputSerializer(serializers.Serializer):
        password = serializers.CharField(
            max_length=128, trim_whitespace=False, help_text="The account's password, typed again to confirm."
        )

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
