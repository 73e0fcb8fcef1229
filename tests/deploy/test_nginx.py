"""nginx/: `nginx -t`, and the real nginx's behaviour with the rendered config in
front of small stand-in upstreams (the live stack check runs it in front of the
real ones): SPA caching and history fallback, security headers, /metrics hidden,
X-Accel-Redirect media, the upload limit, the ai_server load balancer."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from scripts.stack import procs, render
from tests.deploy.conftest import REPO, free_stack_config, require_tool, run_tool

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


class _Upstream(BaseHTTPRequestHandler):
    name = "main"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path in ("/api/docs/", "/static/ui.js"):
            self._json(200, {"server": self.name, "path": self.path})
            return
        if self.path.startswith("/api/v1/media/"):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("X-Accel-Redirect", "/protected-media/results/a.png")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = {k: v for k, v in self.headers.items()}
        # Django sends its own X-Frame-Options: nginx must not send two.
        self._json(
            200,
            {"server": self.name, "path": self.path, "headers": headers},
            {"X-Frame-Options": "SAMEORIGIN"},
        )

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self._json(201, {"server": self.name, "received": length})


def _serve(name: str, port: int) -> ThreadingHTTPServer:
    handler = type(f"Upstream_{name}", (_Upstream,), {"name": name})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """nginx with the rendered config, a fake main, two fake ai_servers, a tiny SPA."""
    tmp = tmp_path_factory.mktemp("nginx")
    cfg = free_stack_config(tmp)
    spa = tmp / "spa"
    (spa / "assets").mkdir(parents=True)
    (spa / "index.html").write_text(
        "<!doctype html><title>IGEMOJI</title>" + "<p>igemoji</p>" * 200
    )
    (spa / "assets" / "app-3f2a.js").write_text("console.log('igemoji');" * 100)
    media = tmp / "media"
    (media / "results").mkdir(parents=True)
    (media / "results" / "a.png").write_bytes(PNG)

    upstreams = [_serve("main", cfg.main_port)]
    upstreams += [_serve(f"ai{i}", cfg.ai_port(i)) for i in range(2)]
    conf = render.render_nginx(
        cfg,
        tmp / "nginx",
        main_addr=f"127.0.0.1:{cfg.main_port}",
        ai_addrs=[f"127.0.0.1:{cfg.ai_port(i)}" for i in range(2)],
        grafana_addr=f"127.0.0.1:{cfg.grafana_port}",
        spa_root=spa,
        media_root=media,
    )
    nginx = require_tool("nginx")
    prefix = f"{conf.parent}/"
    proc = subprocess.Popen(
        [nginx, "-p", prefix, "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while procs.port_free(cfg.nginx_port):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
        yield {"url": cfg.public_url, "ai_url": f"http://127.0.0.1:{cfg.ai_lb_port}", "conf": conf}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for server in upstreams:
            server.shutdown()
            server.server_close()


def test_nginx_accepts_the_rendered_config(tmp_path):
    cfg = free_stack_config(tmp_path)
    conf = render.render_nginx_for_stack(cfg)
    result = run_tool([require_tool("nginx"), "-t", "-p", f"{conf.parent}/", "-c", str(conf)])
    assert result.returncode == 0, result.stderr


def test_rendering_keeps_the_compose_server_blocks(tmp_path):
    cfg = free_stack_config(tmp_path)
    conf = render.render_nginx_for_stack(cfg)
    original = (REPO / "nginx" / "conf.d" / "igemoji.conf").read_text().splitlines()
    rendered = (conf.parent / "conf.d" / "igemoji.conf").read_text().splitlines()
    changed = [(a, b) for a, b in zip(original, rendered, strict=True) if a != b]
    # Only listen lines and the two container paths differ.
    assert all("listen" in a or "/srv/igemoji/" in a for a, _ in changed), changed


def test_spa_routes_fall_back_to_index_html_uncached(site):
    resp = requests.get(f"{site['url']}/mypage/results", timeout=5)
    assert resp.status_code == 200 and "IGEMOJI" in resp.text
    assert resp.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year(site):
    resp = requests.get(f"{site['url']}/assets/app-3f2a.js", timeout=5)
    assert resp.status_code == 200
    assert (
        "immutable" in resp.headers["Cache-Control"]
        and "max-age=31536000" in resp.headers["Cache-Control"]
    )


def test_a_missing_asset_is_404_not_index_html(site):
    assert requests.get(f"{site['url']}/assets/gone-1234.js", timeout=5).status_code == 404


def test_text_is_gzipped(site):
    resp = requests.get(f"{site['url']}/", headers={"Accept-Encoding": "gzip"}, timeout=5)
    assert resp.headers.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize("path", ["/", "/assets/app-3f2a.js", "/api/v1/health", "/api/docs/"])
def test_security_headers_are_sent_exactly_once(site, path):
    resp = requests.get(f"{site['url']}{path}", timeout=5)
    raw = resp.raw.headers
    for header in (
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
    ):
        assert len(raw.getlist(header)) == 1, f"{path}: {header} {raw.getlist(header)}"
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_api_is_proxied_with_the_client_host_and_scheme(site):
    resp = requests.get(
        f"{site['url']}/api/v1/health", headers={"X-Forwarded-Proto": "https"}, timeout=5
    )
    body = resp.json()
    assert body["server"] == "main" and body["path"] == "/api/v1/health"
    host = site["url"].removeprefix("http://")
    assert (
        body["headers"]["Host"] == host
    )  # with the port: Django builds absolute media URLs from it
    assert body["headers"]["X-Forwarded-Proto"] == "https"
    assert body["headers"]["X-Forwarded-For"] == "127.0.0.1"


def test_share_pages_are_answered_by_main_not_the_spa(site):
    # main_server says whether a link is shared (or 404): nginx must not fall back to index.html.
    body = requests.get(f"{site['url']}/s/{'A' * 43}", timeout=5).json()
    assert body["server"] == "main" and body["path"] == f"/s/{'A' * 43}"


@pytest.mark.parametrize("path", ["/metrics", "/api/v1/metrics"])
def test_metrics_are_not_public(site, path):
    assert requests.get(f"{site['url']}{path}", timeout=5).status_code == 404


def test_protected_media_is_sent_by_nginx_after_x_accel_redirect(site):
    resp = requests.get(f"{site['url']}/api/v1/media/signed-token", timeout=5)
    assert resp.status_code == 200 and resp.content == PNG
    assert resp.headers["Content-Type"] == "image/png"
    assert "X-Accel-Redirect" not in resp.headers


def test_protected_media_cannot_be_fetched_directly(site):
    assert (
        requests.get(f"{site['url']}/protected-media/results/a.png", timeout=5).status_code == 404
    )


def test_an_upload_over_the_limit_gets_a_json_413(site):
    resp = requests.post(
        f"{site['url']}/api/v1/faces/tasks/", data=b"0" * (121 * 1024 * 1024), timeout=30
    )
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "request_too_large"


def test_an_upload_under_the_limit_reaches_the_api(site):
    resp = requests.post(
        f"{site['url']}/api/v1/faces/tasks/", data=b"0" * (2 * 1024 * 1024), timeout=30
    )
    assert resp.status_code == 201 and resp.json()["received"] == 2 * 1024 * 1024


def test_the_ai_balancer_spreads_requests_over_the_replicas(site):
    servers = [
        requests.post(f"{site['ai_url']}/v1/analyze", data=b"x", timeout=5).json()["server"]
        for _ in range(6)
    ]
    assert set(servers) == {"ai0", "ai1"}


def test_the_ai_balancer_hides_metrics(site):
    assert requests.get(f"{site['ai_url']}/metrics", timeout=5).status_code == 404


def test_upload_limit_matches_the_api_request_limit(tmp_path):
    """client_max_body_size = main_server's REQUEST_MAX_BYTES, so nginx and Django agree."""
    code = "import config.django.base as b; print(b.REQUEST_MAX_BYTES, b.MEDIA_X_ACCEL_PREFIX)"
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run(
        [str(REPO / ".venv/bin/python"), "-c", code],
        cwd=REPO / "main_server",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    limit, prefix = out.stdout.split()
    site_conf = (REPO / "nginx" / "conf.d" / "igemoji.conf").read_text()
    assert f"client_max_body_size {int(limit) // (1024 * 1024)}m;" in site_conf
    assert f"location {prefix} {{" in site_conf
    assert (
        Path(REPO / "docker-compose.yml").read_text().count(f"MEDIA_X_ACCEL_PREFIX: {prefix}") == 1
    )


def test_static_files_of_the_api_are_proxied(site):
    body = requests.get(f"{site['url']}/static/ui.js", timeout=5).json()
    assert body == {"server": "main", "path": "/static/ui.js"}


def test_only_the_api_docs_page_may_run_an_inline_script(site):
    docs = requests.get(f"{site['url']}/api/docs/", timeout=5)
    assert docs.json()["server"] == "main"
    assert "script-src 'self' 'unsafe-inline'" in docs.headers["Content-Security-Policy"]
    assert docs.headers["X-Frame-Options"] == "DENY"
    spa = requests.get(f"{site['url']}/", timeout=5)
    assert "script-src 'self';" in spa.headers["Content-Security-Policy"]
