from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import UploadThrottle
from common.emotions import EMOTIONS
from common.pagination import INVALID_PAGE, PAGE_NOT_FOUND, page_parameter, paginate, parse_page
from common.schema import IMAGE_ENCODING, PICTURE_RULES, error_response, errors, upload_errors
from emojis.selectors import (
    template_gallery_queryset,
    template_get_visible,
    template_owned_queryset,
)
from emojis.serializers import TemplatePageSerializer, TemplateSerializer
from emojis.services import template_create, template_delete

TEMPLATE_ID = OpenApiParameter(
    "template_id", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, OpenApiParameter.PATH
)
TEMPLATE_NOT_FOUND = error_response(
    "template_not_found", "not_found",
    when="No such template, deleted, or not ready and not the caller's.",
)


class TemplateCreateApi(APIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [UploadThrottle]

    class InputSerializer(serializers.Serializer):
        # Not trimmed here, so the length limit is the one the schema states;
        # the service stores the name stripped.
        name = serializers.CharField(
            min_length=1, max_length=40, trim_whitespace=False,
            validators=[RegexValidator(r"\S", "The name must not be blank.")],
        )
        angry = serializers.FileField(help_text=PICTURE_RULES)
        disgust = serializers.FileField(help_text=PICTURE_RULES)
        fear = serializers.FileField(help_text=PICTURE_RULES)
        happy = serializers.FileField(help_text=PICTURE_RULES)
        sad = serializers.FileField(help_text=PICTURE_RULES)
        surprise = serializers.FileField(help_text=PICTURE_RULES)
        neutral = serializers.FileField(help_text=PICTURE_RULES)

    OutputSerializer = TemplateSerializer

    @extend_schema(
        operation_id="templateCreate",
        summary="Make a template from seven pictures",
        description="Answers 202 at once with the template `processing`; a worker makes the "
        "cut-outs and the status becomes `ready` or `failed` (with `error`).",
        request=OpenApiRequest(InputSerializer, encoding={e: IMAGE_ENCODING for e in EMOTIONS}),
        responses={202: OutputSerializer, **upload_errors()},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = template_create(
            owner=request.user,
            name=data.validated_data["name"],
            files={e: data.validated_data[e] for e in EMOTIONS},
        )
        template = template_get_visible(template_id=template.id, user=request.user)
        output = self.OutputSerializer(template, context={"request": request})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)


class TemplateDetailApi(APIView):
    OutputSerializer = TemplateSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="templateDetail",
        summary="One template with the URL of each picture",
        parameters=[TEMPLATE_ID],
        responses={200: OutputSerializer, **errors(e404=TEMPLATE_NOT_FOUND)},
    )
    def get(self, request, template_id: int):
        template = template_get_visible(template_id=int(template_id), user=request.user)
        return Response(self.OutputSerializer(template, context={"request": request}).data)

    @extend_schema(
        operation_id="templateDelete",
        summary="Delete my template",
        description="A soft delete: results made with it keep working.",
        parameters=[TEMPLATE_ID],
        responses={
            204: None,
            **errors(
                e403=error_response("forbidden", when="The template is someone else's."),
                e404=TEMPLATE_NOT_FOUND,
            ),
        },
    )
    def delete(self, request, template_id: int):
        template_delete(template_id=int(template_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplatePageApi(APIView):
    permission_classes = [AllowAny]
    OutputSerializer = TemplatePageSerializer

    @extend_schema(
        operation_id="templatePage",
        summary="The gallery: ready templates, newest first",
        parameters=[page_parameter("page_number", location=OpenApiParameter.PATH)],
        responses={200: OutputSerializer, **errors(e400=INVALID_PAGE, e404=PAGE_NOT_FOUND)},
    )
    def get(self, request, page_number: str):
        page = paginate(template_gallery_queryset(), page=parse_page(page_number))
        return Response(self.OutputSerializer(page, context={"request": request}).data)


class MyUploadsApi(APIView):
    OutputSerializer = TemplatePageSerializer

    @extend_schema(
        operation_id="myUploads",
        summary="My templates, every status, newest first",
        parameters=[page_parameter()],
        responses={200: OutputSerializer, **errors(e400=INVALID_PAGE, e404=PAGE_NOT_FOUND)},
    )
    def get(self, request):
        page = paginate(template_owned_queryset(user=request.user), page=parse_page(request.query_params.get("page")))
        return Response(self.OutputSerializer(page, context={"request": request}).data)

