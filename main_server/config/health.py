"""GET /api/v1/health: the database answers, and — under `make run` or
`make stack`, whose supervisor writes SUPERVISOR_STATUS_FILE — how every
process is doing. A crash-looping process makes the status "degraded" (still
200: the API answers); a database that does not answer makes it a 503 error (database_unavailable)."""

from __future__ import annotations

import json
import logging
import os
import time

from django.conf import settings
from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.errors import ApplicationError
from common.schema import error_response, errors

logger = logging.getLogger(__name__)
STATUS_STALE_SECONDS = 30  # the supervisor rewrites its file every few seconds


class ProcessSerializer(serializers.Serializer):
    state = serializers.CharField(allow_null=True, help_text="e.g. running, backoff, crash_loop")
    restarts = serializers.IntegerField()
    last_exit = serializers.IntegerField(allow_null=True, help_text="exit code (negative: killed by that signal)")


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class OutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["ok", "degraded"])
        database = serializers.ChoiceField(choices=["ok"])
        processes = serializers.DictField(
            child=ProcessSerializer(), required=False,
            help_text="Only when a supervisor runs the processes (make run, make stack).",
        )
        problems = serializers.ListField(child=serializers.CharField(), required=False)

    @extend_schema(
        operation_id="health",
        summary="Liveness, database and process probe",
        description="200 `ok`, or 200 `degraded` when a supervised process is crash-looping "
                    "(the API still answers); 503 when the database does not answer.",
        responses={
            200: OutputSerializer,
            **errors(e503=error_response("database_unavailable", when="The database does not answer.")),
        },
    )
    def get(self, request):
        body: dict = {"status": "ok", "database": "ok"}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as exc:
            logger.warning("health_database_unavailable error=%r", exc)
            raise ApplicationError(
                "The database does not answer.", code="database_unavailable", status_code=503
            ) from exc
        supervised = supervisor_report()
        if supervised is not None:
            body["processes"] = supervised["processes"]
            if supervised["problems"]:
                body["status"] = "degraded"
                body["problems"] = supervised["problems"]
        return Response(self.OutputSerializer(body).data)


def supervisor_report() -> dict | None:
    path = settings.SUPERVISOR_STATUS_FILE
    if not path:
        return None
    try:
        with open(path) as fh:
            status = json.load(fh)
    except (OSError, ValueError):
        return {"processes": {}, "problems": ["the supervisor status is unreadable"]}
    processes = {
        name: {"state": p.get("state"), "restarts": p.get("restarts", 0), "last_exit": p.get("last_exit")}
        for name, p in status.get("programs", {}).items()
    }
    problems = [f"{name} is crash-looping" for name, p in processes.items() if p["state"] == "crash_loop"]
    if not _alive(status.get("supervisor_pid")) or time.time() - status.get("updated_at", 0) > STATUS_STALE_SECONDS:
        problems.append("the supervisor is not running: a process that dies stays down")
    return {"processes": processes, "problems": problems}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
