from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import UploadThrottle
from common.emotions import EMOTIONS
from common.pagination import paginate, parse_page
from emojis.selectors import (
    template_gallery_queryset,
    template_get_visible,
    template_owned_queryset,
)
from emojis.serializers import TemplateOutputSerializer, template_to_dict
from emojis.services import template_create, template_delete


class TemplateCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UploadThrottle]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(min_length=1, max_length=40)
        angry = serializers.FileField()
        disgust = serializers.FileField()
        fear = serializers.FileField()
        happy = serializers.FileField()
        sad = serializers.FileField()
        surprise = serializers.FileField()
        neutral = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={202: TemplateOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = template_create(
            owner=request.user,
            name=data.validated_data["name"],
            files={e: data.validated_data[e] for e in EMOTIONS},
        )
        template = template_get_visible(template_id=template.id, user=request.user)
        return Response(template_to_dict(template, request=request), status=status.HTTP_202_ACCEPTED)


class TemplateDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=TemplateOutputSerializer)
    def get(self, request, template_id: int):
        template = template_get_visible(template_id=template_id, user=request.user)
        return Response(template_to_dict(template, request=request))

    @extend_schema(responses={204: None})
    def delete(self, request, template_id: int):
        template_delete(template_id=template_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _PageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    page = serializers.IntegerField()
    results = TemplateOutputSerializer(many=True)


class TemplatePageApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=_PageSerializer)
    def get(self, request, page_number: int):
        return Response(
            paginate(
                template_gallery_queryset(),
                page=parse_page(page_number),
                serialize=lambda t: template_to_dict(t, request=request),
            )
        )


class MyUploadsApi(APIView):
    @extend_schema(responses=_PageSerializer)
    def get(self, request):
        return Response(
            paginate(
                template_owned_queryset(user=request.user),
                page=parse_page(request.query_params.get("page")),
                serialize=lambda t: template_to_dict(t, request=request),
            )
        )
