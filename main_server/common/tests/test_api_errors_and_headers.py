"""Every answer under /api is JSON with a registered code, whatever went wrong;
the app sends its own Content-Security-Policy; production adds HSTS and Secure cookies."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from common.error_codes import ERROR_CODES

pytestmark = pytest.mark.django_db
MAIN = Path(__file__).resolve().parents[2]
REPO = MAIN.parent


def _error(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    code = response.json()["error"]["code"]
    assert code in ERROR_CODES, f"{code} is not in common/error_codes.py"
    assert ERROR_CODES[code].status == status
    return code


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v2/anything", "/api/v1/emojis/not-a-number"])
def test_unknown_api_paths_are_json_404(path):
    assert _error(Client().get(path), 404) == "not_found"


@pytest.mark.parametrize("method", ["TRACE", "POST", "PUT", "DELETE"])
def test_unsupported_methods_on_health_are_json_405(method):
    response = Client(enforce_csrf_checks=True).generic(method, "/api/v1/health")
    assert _error(response, 405) == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/faces/ranking", "/api/v1/users/auth", "/api/v1/emojis/pages/1"])
def test_trace_on_api_views_is_json_405(path):
    assert _error(Client().generic("TRACE", path), 405) == "method_not_allowed"


@pytest.mark.parametrize("header", ["Bearer ", "Bearer", "Bearer a b", "Bearer\t"])
def test_malformed_authorization_has_a_stable_code(header):
    response = Client().get("/api/v1/users/mypage/result", HTTP_AUTHORIZATION=header)
    assert _error(response, 401) == "bad_authorization_header"


def test_a_forged_token_is_token_not_valid():
    response = Client().get("/api/v1/users/mypage/result", HTTP_AUTHORIZATION="Bearer eyJhbGciOi.x.y")
    assert _error(response, 401) == "token_not_valid"


@override_settings(ROOT_URLCONF="common.tests.csrf_urls")
def test_a_csrf_failure_under_api_is_json():
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "x"
    assert _error(client.post("/api/v1/form", {"a": 1}), 403) == "csrf_failed"


def test_every_code_the_source_raises_is_registered():
    raised: set[str] = set()
    for path in MAIN.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    raised.add(keyword.value.value)
            name = getattr(node.func, "id", "")
            if name in ("_conflict", "error_body", "_json_error") and node.args:
                first = node.args[0] if name != "_json_error" else node.args[2]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    raised.add(first.value)
    assert {"template_not_found", "email_taken", "csrf_failed", "request_too_large"} <= raised
    assert sorted(raised - set(ERROR_CODES)) == []


# ---------------------------------------------------------------- headers
NGINX_SNIPPET = REPO / "nginx" / "snippets" / "security-headers.conf"


def _nginx_policy() -> str:
    match = re.search(r'add_header Content-Security-Policy "([^"]+)"', NGINX_SNIPPET.read_text())
    assert match
    return match.group(1)


def _directives(policy: str) -> dict[str, set[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = set(words[1:])
    return out


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/health", "/api/v1/emojis/pages/1", "/api", "/api/docs/"])
def test_the_app_sends_its_content_security_policy(path):
    policy = Client().get(path)["Content-Security-Policy"]
    directives = _directives(policy)
    assert directives["script-src"] == {"'self'"}
    assert directives["object-src"] == {"'none'"} and directives["frame-ancestors"] == {"'none'"}


def test_the_app_and_nginx_send_the_same_policy():
    assert _directives(Client().get("/")["Content-Security-Policy"]) == _directives(_nginx_policy())


def test_the_api_docs_page_runs_no_inline_script():
    client = Client()
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    start = re.search(r'<script src="([^"]*\?script[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(start)
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def _settings_facts(env: dict[str, str], code: str) -> dict:
    import json

    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "CACHE_URL": "locmem://",
            "CELERY_BROKER_URL": "memory://", **env}
    done = subprocess.run([sys.executable, "-c", code], cwd=MAIN, env=full, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_make_run_answers_only_to_local_host_names(tmp_path):
    code = """
import django, json
django.setup()
from django.conf import settings
hosts = list(settings.ALLOWED_HOSTS)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
print(json.dumps({"hosts": hosts,
                  "evil": Client().get("/api/v1/health", HTTP_HOST="evil.example.com").status_code}))
"""
    facts = _settings_facts({"DJANGO_SETTINGS_MODULE": "config.django.base", "DATA_DIR": str(tmp_path),
                             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, code)
    assert facts["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert facts["evil"] == 400


def test_production_sends_hsts_and_marks_cookies_secure(tmp_path):
    code = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
r = Client().get("/api/v1/health", secure=True, HTTP_HOST="igemoji.example.com")
print(json.dumps({
    "hsts": r.get("Strict-Transport-Security"), "csp": r.get("Content-Security-Policy"),
    "csrf_secure": settings.CSRF_COOKIE_SECURE, "session_secure": settings.SESSION_COOKIE_SECURE,
}))
"""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "SECRET_KEY": "k" * 20 + "-Xy7_" + "q9" * 20,
        "ALLOWED_HOSTS": "igemoji.example.com",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    facts = _settings_facts(env, code)
    assert facts["hsts"].startswith("max-age=31536000") and "includeSubDomains" in facts["hsts"]
    assert "script-src 'self'" in facts["csp"]
    assert facts["csrf_secure"] is True and facts["session_secure"] is True
