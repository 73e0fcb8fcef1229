"""The running service answers as docs/openapi.yaml says.

Starts what `make run` starts (scripts/run_local.py) on free ports with a private
DATA_DIR, signs up two users, and runs schemathesis with every check, logged in
as one of them, against the committed schema: deterministic generation, the exclusions in
schemathesis.toml (each with its reason), real pictures for the uploads
(hooks.py). Any failure fails this test with schemathesis's report.

The throttles are raised for this run so the generated requests reach the views
instead of stopping at 429 (which every throttled operation documents).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from pathlib import Path

import pytest

from scripts.procs import PYTHON, REPO, LocalService

HERE = Path(__file__).resolve().parent
SCHEMA = REPO / "docs" / "openapi.yaml"
THROTTLES = {
    "THROTTLE_UPLOADS": "100000/min",
    "THROTTLE_SIGNUP": "100000/hour",
    "THROTTLE_LOGIN_IP": "100000/min",
    "THROTTLE_LOGIN_EMAIL": "100000/min",
}
RUN_TIMEOUT = 600  # seconds; the run takes about one minute on 2 busy cores


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    local = LocalService(tmp_path_factory.mktemp("data"), extra_env=THROTTLES)
    try:
        local.start()
    except (RuntimeError, TimeoutError) as exc:
        pytest.fail(str(exc))
    try:
        yield local
    finally:
        local.stop()


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (local URL)
        return json.loads(response.read() or b"{}")


def _login_entry(base: str, name: str) -> dict:
    """Sign a user up; its Web Fuzzing Commons entry lets schemathesis log in (again, when
    the access token runs out) by itself."""
    alias = f"{name}{uuid.uuid4().hex[:8]}"
    email, password = f"{alias}@example.org", f"passphrase {uuid.uuid4().hex}"
    _post_json(f"{base}/api/v1/users/", {"email": email, "password": password, "alias": alias})
    return {
        "name": name,
        "loginEndpointAuth": {
            "endpoint": "/api/v1/users/auth",
            "verb": "POST",
            "contentType": "application/json",
            "payloadUserPwd": {
                "username": email, "usernameField": "email", "password": password, "passwordField": "password",
            },
            "token": {
                "extractFrom": "body", "extractSelector": "/access_token",
                "sendIn": "header", "sendName": "Authorization", "sendTemplate": "Bearer {token}",
            },
        },
    }


def test_the_api_answers_as_its_schema_says(service, tmp_path):
    # Two users: schemathesis acts as the first and checks the second cannot reach its objects.
    users = tmp_path / "users.json"
    users.write_text(json.dumps({"auth": [_login_entry(service.url, n) for n in ("alice", "bob")]}))
    env = {
        **os.environ,
        "IGEMOJI_ST_USERS": str(users),
        "SCHEMATHESIS_HOOKS": str(HERE / "hooks.py"),
        "NO_COLOR": "1",
    }
    command = [
        str(Path(PYTHON).parent / "schemathesis"), "--config-file", str(HERE / "schemathesis.toml"),
        "run", str(SCHEMA), "--url", service.url, "--checks", "all", "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    report = result.stdout + result.stderr
    print(report[-6000:])  # shown by pytest on failure (and with -s)
    assert result.returncode == 0, f"schemathesis found failures:\n{report[-20000:]}\n{service.log_tail()}"
    assert "No issues found" in report or " passed" in report
