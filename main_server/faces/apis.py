from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import UploadThrottle
from common.ai_client import EMOTIONS
from common.pagination import paginate, parse_page
from emojis.serializers import template_preview_url
from faces.selectors import (
    JOB_WAIT_MAX_SECONDS,
    job_get_for_owner_when_finished,
    job_owned_queryset,
    job_wait_param,
    ranking_top,
)
from faces.serializers import job_to_dict
from faces.services import job_create


@extend_schema_field(OpenApiTypes.STR)
class OverridesField(serializers.Field):
    """JSON object {face_index: emotion}, e.g. {"0": "happy"}; sent as a string in multipart."""

    default_error_messages = {
        "invalid": 'Expected a JSON object like {{"0": "happy"}} with emotions among: '
        + ", ".join(EMOTIONS) + "."
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict) or len(data) > 100:
            self.fail("invalid")
        out = {}
        for key, value in data.items():
            if not str(key).isdigit() or value not in EMOTIONS:
                self.fail("invalid")
            out[str(int(key))] = value
        return out

    def to_representation(self, value):
        return value


class JobCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UploadThrottle]

    class InputSerializer(serializers.Serializer):
        emoji_id = serializers.IntegerField(min_value=1)
        image = serializers.FileField()
        overrides = OverridesField(required=False)

    class OutputSerializer(serializers.Serializer):
        task_id = serializers.UUIDField()
        status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_create(
            owner=request.user,
            template_id=data.validated_data["emoji_id"],
            image=data.validated_data["image"],
            overrides=data.validated_data.get("overrides") or {},
        )
        return Response({"task_id": str(job.id), "status": job.status}, status=status.HTTP_202_ACCEPTED)


class JobDetailApi(APIView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter(
            "wait", OpenApiTypes.FLOAT, required=False,
            description="Long-poll: answer as soon as the task is done or failed, or after this many seconds "
            f"(0–{JOB_WAIT_MAX_SECONDS:g}, default 0 = at once).",
        )],
    )
    def get(self, request, task_id):
        wait = job_wait_param(request.query_params.get("wait"))
        job = job_get_for_owner_when_finished(job_id=task_id, user=request.user, wait=wait)
        return Response(job_to_dict(job, request=request))


class RankingApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        owner_alias = serializers.CharField()
        preview_url = serializers.CharField(allow_null=True)
        count = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        rows = ranking_top()
        return Response(
            [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "owner_alias": r["owner_alias"],
                    "preview_url": template_preview_url(r["template"], request=request),
                    "count": r["count"],
                }
                for r in rows
            ]
        )


class MyResultsApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            paginate(
                job_owned_queryset(user=request.user),
                page=parse_page(request.query_params.get("page")),
                serialize=lambda j: job_to_dict(j, request=request),
            )
        )
