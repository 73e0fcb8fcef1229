"""From outside, against `make run`: no token signed with a string from the
source is accepted, the signing key was generated into $DATA_DIR, odd requests
get JSON errors, the app sends its CSP, and a spoofed X-Forwarded-For does not
escape the availability check's throttle."""

from __future__ import annotations

import stat
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.e2e.helpers import Api

KEYS_FROM_THE_SOURCE = (
    "dev-only-insecure-key-change-me-3b9f1c0e5d7a",  # the old default in base.py
    "change-me",  # .env.example's placeholder
    "unused",
    "secret",
)


def _forge(key: str, user_id: int) -> str:
    import jwt

    now = int(time.time())
    claims = {"token_type": "access", "exp": now + 600, "iat": now, "jti": uuid.uuid4().hex, "user_id": user_id}
    return jwt.encode(claims, key, algorithm="HS256")


def test_the_signing_key_is_generated_private_and_not_in_the_source(service):
    local = service.get("local")
    if local is None:
        pytest.skip("IGEMOJI_E2E_URL: the service's DATA_DIR is not on this machine")
    path = Path(local.data_dir) / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert len(key) >= 50
    repo = Path(__file__).resolve().parents[2]
    for source in ("main_server", "scripts", ".env.example", "docker-compose.yml"):
        target = repo / source
        files = [target] if target.is_file() else [p for p in target.rglob("*") if p.suffix in (".py", ".yml", "")]
        for file in files:
            if file.is_file():
                assert key not in file.read_text(errors="ignore"), file


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_tokens_signed_with_strings_from_the_source_are_refused(service):
    api = Api(service["url"])
    me = api.signup_and_login()
    for user_id in (me["user"]["id"], 1):  # the user itself, and the system user
        for key in KEYS_FROM_THE_SOURCE:
            response = requests.get(
                f"{service['url']}/api/v1/users/mypage/result",
                headers={"Authorization": f"Bearer {_forge(key, user_id)}"}, timeout=30,
            )
            assert response.status_code == 401, (key, response.text)
            assert response.json()["error"]["code"] == "token_not_valid"


@pytest.mark.parametrize(
    "method,path,headers,status,code",
    [
        ("GET", "/api", {}, 404, "not_found"),
        ("POST", "/api/v1/health", {}, 405, "method_not_allowed"),
        ("TRACE", "/api/v1/faces/ranking", {}, 405, "method_not_allowed"),
        ("GET", "/api/v1/users/mypage/result", {"Authorization": "Bearer "}, 401, "bad_authorization_header"),
    ],
)
def test_odd_requests_get_json_errors(service, method, path, headers, status, code):
    response = requests.request(method, service["url"] + path, headers=headers, timeout=30)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/api/docs/"])
def test_the_app_sends_a_content_security_policy(service, path):
    policy = requests.get(service["url"] + path, timeout=30).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_a_spoofed_forwarded_for_does_not_escape_the_availability_throttle(service):
    codes = [
        requests.get(
            f"{service['url']}/api/v1/users/", params={"case": "alias", "value": f"probe{i}"},
            headers={"X-Forwarded-For": f"10.9.{i // 250}.{i % 250}"}, timeout=30,
        ).status_code
        for i in range(70)
    ]
    assert codes.count(429) >= 10, codes
