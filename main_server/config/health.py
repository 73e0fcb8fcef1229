"""GET /api/v1/health: the database answers, and — under `make run` or
`make stack`, whose supervisor writes SUPERVISOR_STATUS_FILE — how every
process is doing. A crash-looping process makes the status "degraded" (still
200: the API answers); a database that does not answer makes it 503."""

from __future__ import annotations

import json
import logging
import os
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)
STATUS_STALE_SECONDS = 30  # the supervisor rewrites its file every few seconds


def health(request: HttpRequest) -> JsonResponse:
    body: dict = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("health_database_unavailable error=%r", exc)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    supervised = supervisor_report()
    if supervised is not None:
        body["processes"] = supervised["processes"]
        if supervised["problems"]:
            body["status"] = "degraded"
            body["problems"] = supervised["problems"]
    return JsonResponse(body)


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
