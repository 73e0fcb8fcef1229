import json
import os
import time

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _status(path, *, pid=None, updated_at=None, **states):
    path.write_text(json.dumps({
        "supervisor_pid": pid or os.getpid(),
        "updated_at": updated_at or time.time(),
        "programs": {name: {"state": state, "restarts": 4, "last_exit": -9} for name, state in states.items()},
    }))


def test_supervised_processes_are_listed(settings, tmp_path):
    settings.SUPERVISOR_STATUS_FILE = str(tmp_path / "supervisor.json")
    _status(tmp_path / "supervisor.json", main="running", worker="running", ai_server="starting")
    body = Client().get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["processes"]["worker"] == {"state": "running", "restarts": 4, "last_exit": -9}


def test_a_crash_loop_makes_the_service_degraded(settings, tmp_path):
    settings.SUPERVISOR_STATUS_FILE = str(tmp_path / "supervisor.json")
    _status(tmp_path / "supervisor.json", main="running", worker="crash_loop")
    response = Client().get("/api/v1/health")
    assert response.status_code == 200  # the API itself answers
    assert response.json()["status"] == "degraded"
    assert response.json()["problems"] == ["worker is crash-looping"]


def test_a_dead_supervisor_is_reported(settings, tmp_path):
    settings.SUPERVISOR_STATUS_FILE = str(tmp_path / "supervisor.json")
    _status(tmp_path / "supervisor.json", updated_at=time.time() - 600, main="running")
    body = Client().get("/api/v1/health").json()
    assert body["status"] == "degraded" and "supervisor is not running" in body["problems"][0]


def test_an_unsupervised_process_reports_only_the_database(settings):
    settings.SUPERVISOR_STATUS_FILE = ""
    assert Client().get("/api/v1/health").json() == {"status": "ok", "database": "ok"}
