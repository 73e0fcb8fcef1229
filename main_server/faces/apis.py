from __future__ import annotations

import json

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import UploadThrottle
from common.emotions import EMOTIONS
from common.pagination import INVALID_PAGE, PAGE_NOT_FOUND, page_parameter, paginate, parse_page
from common.schema import IMAGE_ENCODING, PICTURE_RULES, error_response, errors, upload_errors
from emojis.serializers import template_preview_url
from faces.models import JobStatus
from faces.selectors import (
    JOB_WAIT_MAX_SECONDS,
    RANKING_SIZE,
    job_get_for_owner_when_finished,
    job_owned_queryset,
    job_wait_param,
    ranking_top,
)
from faces.serializers import JobPageSerializer, JobSerializer, share_page_url
from faces.services import job_create, job_rerender, job_share, job_unshare


@extend_schema_field(
    {
        "type": "string",
        "description": 'A JSON object {face_index: emotion}, e.g. {"0": "happy"}: the emotion to paste '
        "on those faces (left to right, from 0) instead of the one read from them.",
    }
)
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
    parser_classes = [MultiPartParser]
    throttle_classes = [UploadThrottle]

    class InputSerializer(serializers.Serializer):
        emoji_id = serializers.IntegerField(min_value=1, help_text="The template to use.")
        image = serializers.FileField(help_text=PICTURE_RULES)
        overrides = OverridesField(required=False)

    class OutputSerializer(serializers.Serializer):
        task_id = serializers.UUIDField()
        status = serializers.ChoiceField(choices=JobStatus.choices)

    @extend_schema(
        operation_id="jobCreate",
        summary="Turn the faces in a photo into emoji",
        description="Answers 202 at once; poll the job until its status is `done` or `failed`.",
        request=OpenApiRequest(InputSerializer, encoding={"image": IMAGE_ENCODING}),
        responses={
            202: OutputSerializer,
            **upload_errors(),
            **errors(
                e404=error_response("template_not_found", when="No such template, or not ready and not mine."),
                e409=error_response("template_not_ready", when="My own template is still processing, or failed."),
            ),
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_create(
            owner=request.user,
            template_id=data.validated_data["emoji_id"],
            image=data.validated_data["image"],
            overrides=data.validated_data.get("overrides") or {},
        )
        output = self.OutputSerializer({"task_id": job.id, "status": job.status})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)


class JobDetailApi(APIView):
    OutputSerializer = JobSerializer

    @extend_schema(
        operation_id="jobDetail",
        summary="One of my jobs (the SPA polls this)",
        parameters=[
            OpenApiParameter("task_id", {"type": "string", "format": "uuid"}, OpenApiParameter.PATH),
            OpenApiParameter(
                "wait", {"type": "number", "minimum": 0, "maximum": JOB_WAIT_MAX_SECONDS}, required=False,
                description="Long-poll: answer as soon as the task is finished, or after this many seconds "
                f"(0–{JOB_WAIT_MAX_SECONDS:g}, default 0 = at once).",
            ),
        ],
        responses={
            200: OutputSerializer,
            **errors(
                e400=error_response("validation_error", when="`wait` is not a number of seconds in range."),
                e404=error_response("task_not_found", "not_found", when="No such job, or not mine."),
            ),
        },
    )
    def get(self, request, task_id):
        wait = job_wait_param(request.query_params.get("wait"))
        job = job_get_for_owner_when_finished(job_id=task_id, user=request.user, wait=wait)
        return Response(self.OutputSerializer(job, context={"request": request}).data)


class RankingApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        owner_alias = serializers.CharField()
        preview_url = serializers.SerializerMethodField()
        count = serializers.IntegerField(min_value=1, help_text="Jobs done with it in the last 7 days.")

        @extend_schema_field(serializers.URLField(allow_null=True))
        def get_preview_url(self, row: dict) -> str | None:
            return template_preview_url(row["template"], request=self.context.get("request"))

    @extend_schema(
        operation_id="ranking",
        summary=f"Top {RANKING_SIZE} templates of the last 7 days",
        description="Templates by jobs done in the last 7 days, most first (ties: the newer template).",
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request):
        output = self.OutputSerializer(ranking_top(), many=True, context={"request": request})
        return Response(output.data)


class MyResultsApi(APIView):
    OutputSerializer = JobPageSerializer

    @extend_schema(
        operation_id="myResults",
        summary="My jobs, every status, newest first",
        parameters=[page_parameter()],
        responses={200: OutputSerializer, **errors(e400=INVALID_PAGE, e404=PAGE_NOT_FOUND)},
    )
    def get(self, request):
        page = paginate(job_owned_queryset(user=request.user), page=parse_page(request.query_params.get("page")))
        return Response(self.OutputSerializer(page, context={"request": request}).data)


# ---------------------------------------------------------------- re-render and share
_TASK_ID = OpenApiParameter("task_id", {"type": "string", "format": "uuid"}, OpenApiParameter.PATH)
_E401 = error_response(
    "not_authenticated", "authentication_failed", "token_not_valid", when="No access token, or one that is not valid."
)
_E404_TASK = error_response("task_not_found", "not_found", when="No such job, or not mine.")
_E429 = error_response("throttled", when="Too many jobs started; `Retry-After` says when to try again.")


class JobRerenderApi(APIView):
    throttle_classes = [UploadThrottle]

    class InputSerializer(serializers.Serializer):
        overrides = serializers.DictField(
            child=serializers.ChoiceField(choices=EMOTIONS),
            allow_empty=False,
            help_text='{face index: emotion}, e.g. {"0": "sad"}: each key is the index of a face of that '
            "result as in `result.faces` (digits, from 0); the other faces keep their emotion.",
        )

        def validate_overrides(self, value: dict) -> dict:
            if len(value) > 100 or not all(str(key).isdigit() for key in value):
                raise serializers.ValidationError("Keys are face indexes: 0, 1, 2 …")
            return {str(int(key)): emotion for key, emotion in value.items()}

    class OutputSerializer(serializers.Serializer):
        task_id = serializers.UUIDField(help_text="The new job; poll it like any other.")
        status = serializers.ChoiceField(choices=JobStatus.choices)

    @extend_schema(
        operation_id="jobRerender",
        summary="Paste other emotions on some faces of a result, without detecting again",
        description="A new job on the same photo and template: every face keeps its box and scores, the "
        'faces named in `overrides` get that emotion and `"overridden": true`. The original stays as it was.',
        parameters=[_TASK_ID],
        request=InputSerializer,
        responses={
            202: OutputSerializer,
            **errors(
                e400=error_response(
                    "validation_error", "invalid_overrides", "parse_error",
                    when="`overrides` is missing, empty, names an emotion that does not exist, or a face the "
                    "result does not have (`fields.overrides` says which).",
                ),
                e401=_E401,
                e404=_E404_TASK,
                e409=error_response(
                    "task_not_done", "task_expired",
                    when="The job is not done (pending, running or failed), or its photo expired.",
                ),
                e429=_E429,
            ),
        },
    )
    def post(self, request, task_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_rerender(owner=request.user, job_id=task_id, overrides=data.validated_data["overrides"])
        output = self.OutputSerializer({"task_id": job.id, "status": job.status})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)


class JobShareApi(APIView):
    """`/faces/tasks/{task_id}/share`: POST makes the public link, DELETE removes it."""

    class CreateOutputSerializer(serializers.Serializer):
        share_url = serializers.URLField(
            help_text="Public page with the result image and the template's name (never the photo); no login."
        )

    @extend_schema(
        operation_id="jobShare",
        summary="Share a result: a public link that cannot be guessed",
        description="201 with a new link; 200 with the same link when the result is already shared.",
        parameters=[_TASK_ID],
        request=None,
        responses={
            201: CreateOutputSerializer,
            200: CreateOutputSerializer,
            **errors(
                e401=_E401,
                e404=_E404_TASK,
                e409=error_response("task_not_done", "task_expired", when="Only a done result can be shared."),
            ),
        },
    )
    def post(self, request, task_id):
        link, created = job_share(owner=request.user, job_id=task_id)
        output = self.CreateOutputSerializer({"share_url": share_page_url(token=link.token, request=request)})
        return Response(output.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        operation_id="jobUnshare",
        summary="Stop sharing a result",
        description="The link answers 404 from now on. 204 also when the result was not shared.",
        parameters=[_TASK_ID],
        request=None,
        responses={204: None, **errors(e401=_E401, e404=_E404_TASK)},
    )
    def delete(self, request, task_id):
        job_unshare(owner=request.user, job_id=task_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
