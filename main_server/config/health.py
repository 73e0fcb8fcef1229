"""`GET /api/v1/health` for probes: the database answers."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class OutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["ok"])

    @extend_schema(
        operation_id="health",
        summary="Liveness and database probe",
        description="200 when the database answers; a 500 otherwise.",
        responses={200: OutputSerializer},
    )
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response(self.OutputSerializer({"status": "ok"}).data)
