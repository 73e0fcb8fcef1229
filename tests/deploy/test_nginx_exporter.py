"""scripts/nginx_exporter.py: reading nginx's access log lines and stub_status, and
the real nginx (rendered config) with no main behind it: the 503s nginx answers
itself, which Django never sees, are counted on the api route."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from scripts import nginx_exporter
from scripts.procs import free_port
from scripts.stack import procs, render
from tests.deploy.conftest import REPO, free_stack_config, require_tool


def _line(uri: str, status: int, request_time: float = 0.012, agent: str = "curl/8") -> str:
    body = {
        "time": "2025-01-01T00:00:00+00:00",
        "remote": "127.0.0.1",
        "method": "GET",
        "uri": uri,
        "status": status,
        "bytes": 10,
        "request_time": request_time,
        "upstream": "",
        "upstream_time": "",
        "user_agent": agent,
    }
    return "<190>Jan  1 00:00:00 nginx: " + json.dumps(body, separators=(",", ":"))


def _samples(registry: CollectorRegistry) -> dict[tuple, float]:
    out = {}
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


@pytest.fixture
def log_metrics():
    registry = CollectorRegistry()
    return registry, nginx_exporter.LogMetrics(registry)


def _responses(registry, route: str, status: str) -> float | None:
    return registry.get_sample_value(
        "nginx_http_responses_total", {"route": route, "status": status}
    )


@pytest.mark.parametrize(
    "uri, route",
    [
        ("/api/v1/faces/tasks/", "api"),
        ("/v1/compose", "ai"),
        ("/grafana/d/igemoji", "grafana"),
        ("/mypage", "site"),
        ("/assets/app.js", "site"),
        ("/apiary", "site"),
    ],
)
def test_routes_are_told_apart_by_path(uri, route):
    assert nginx_exporter.route_of(uri) == route


def test_each_log_line_counts_one_response_by_route_and_status(log_metrics):
    registry, metrics = log_metrics
    for status in (200, 200, 503):
        metrics.observe(_line("/api/v1/health", status, request_time=0.2))
    metrics.observe(_line("/index.html", 200))
    assert _responses(registry, "api", "200") == 2
    assert _responses(registry, "api", "503") == 1
    assert _responses(registry, "site", "200") == 1
    count = registry.get_sample_value("nginx_http_request_duration_seconds_count", {"route": "api"})
    assert count == 3


def test_a_line_cut_by_syslogs_size_limit_still_counts(log_metrics):
    registry, metrics = log_metrics
    cut = _line("/api/v1/users/", 502, agent="x" * 3000)[:2048]
    metrics.observe(cut)
    assert _responses(registry, "api", "502") == 1


def test_a_client_cannot_fake_a_status_through_the_uri(log_metrics):
    registry, metrics = log_metrics
    line = _line('/api/x","status":599,"bytes":0,"request_time":1', 200, agent="y" * 3000)
    metrics.observe(line[:2048])  # cut: the pattern, not json, reads it
    assert _responses(registry, "api", "200") == 1
    assert _responses(registry, "api", "599") is None


def test_garbage_is_counted_as_unparsed(log_metrics):
    registry, metrics = log_metrics
    metrics.observe("<190>Jan  1 00:00:00 nginx: not json at all")
    assert registry.get_sample_value("nginx_log_lines_unparsed_total") == 1
    assert not [k for k in _samples(registry) if k[0] == "nginx_http_responses_total"]


STUB = (
    "Active connections: 3 \nserver accepts handled requests\n 17 15 40 \n"
    "Reading: 0 Writing: 1 Waiting: 2 \n"
)


@pytest.fixture
def stub_server():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            data = STUB.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stub_status"
    server.shutdown()
    server.server_close()


def test_stub_status_is_read_at_scrape_time(stub_server):
    registry = CollectorRegistry()
    registry.register(nginx_exporter.StubStatusCollector(stub_server))
    assert registry.get_sample_value("nginx_up") == 1
    assert registry.get_sample_value("nginx_connections_active") == 3
    assert registry.get_sample_value("nginx_connections_accepted_total") == 17
    assert registry.get_sample_value("nginx_connections_handled_total") == 15
    assert registry.get_sample_value("nginx_http_requests_total") == 40
    assert registry.get_sample_value("nginx_connections_waiting") == 2


def test_nginx_down_is_nginx_up_zero_not_a_failed_scrape():
    registry = CollectorRegistry()
    port = free_port()
    registry.register(
        nginx_exporter.StubStatusCollector(f"http://127.0.0.1:{port}/stub_status", timeout=1)
    )
    assert registry.get_sample_value("nginx_up") == 0
    assert registry.get_sample_value("nginx_connections_active") is None


# ---------------------------------------------------------------- with the real nginx
@pytest.fixture(scope="module")
def nginx_without_main(tmp_path_factory):
    """The rendered nginx whose main and ai upstreams do not answer, and the
    exporter process as `make stack` runs it."""
    tmp = tmp_path_factory.mktemp("nginx-exporter")
    cfg = free_stack_config(tmp)
    spa = tmp / "spa"
    spa.mkdir()
    (spa / "index.html").write_text("<!doctype html><title>IGEMOJI</title>")
    conf = render.render_nginx(
        cfg,
        tmp / "nginx",
        main_addr=f"127.0.0.1:{cfg.main_port}",
        ai_addrs=[f"127.0.0.1:{cfg.ai_port(0)}"],
        grafana_addr=f"127.0.0.1:{cfg.grafana_port}",
        spa_root=spa,
        media_root=tmp,
    )
    exporter = subprocess.Popen(
        [sys.executable, "-m", "scripts.nginx_exporter",
         f"--listen=127.0.0.1:{cfg.nginx_exporter_port}", f"--syslog=127.0.0.1:{cfg.nginx_log_port}",
         f"--stub-status=http://127.0.0.1:{cfg.nginx_status_port}/stub_status"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    nginx = subprocess.Popen(
        [require_tool("nginx"), "-p", f"{conf.parent}/", "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    metrics_url = f"http://127.0.0.1:{cfg.nginx_exporter_port}/metrics"
    try:
        deadline = time.monotonic() + 10
        while procs.port_free(cfg.nginx_port) or not procs.http_ok(metrics_url):
            assert nginx.poll() is None, nginx.stderr.read().decode()
            assert exporter.poll() is None, exporter.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx or the exporter did not start"
            time.sleep(0.1)
        yield {"url": cfg.public_url, "metrics": metrics_url}
    finally:
        for proc in (nginx, exporter):
            proc.terminate()
            proc.wait(timeout=10)


def _scrape(url: str) -> dict[tuple, float]:
    text = requests.get(url, timeout=5).text
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _count(samples: dict, route: str, status: str) -> float:
    key = ("nginx_http_responses_total", (("route", route), ("status", status)))
    return samples.get(key, 0.0)


def test_nginx_answering_503_itself_is_counted_on_the_api_route(nginx_without_main):
    for _ in range(3):
        resp = requests.get(f"{nginx_without_main['url']}/api/v1/health", timeout=10)
        assert resp.status_code == 503  # nginx's own JSON 503: main does not answer
        assert resp.json()["error"]["code"] == "service_unavailable"
    assert requests.get(f"{nginx_without_main['url']}/", timeout=5).status_code == 200
    deadline = time.monotonic() + 5  # UDP: the lines arrive a moment later
    while True:
        samples = _scrape(nginx_without_main["metrics"])
        if _count(samples, "api", "503") >= 3 and _count(samples, "site", "200") >= 1:
            break
        assert time.monotonic() < deadline, {
            k: v for k, v in samples.items() if "nginx_http" in k[0]
        }
        time.sleep(0.2)
    assert _count(samples, "api", "503") == 3


def test_the_exporter_reads_nginxs_stub_status(nginx_without_main):
    requests.get(f"{nginx_without_main['url']}/", timeout=5)
    samples = _scrape(nginx_without_main["metrics"])
    assert samples[("nginx_up", ())] == 1
    assert samples[("nginx_connections_accepted_total", ())] >= 1


# ---------------------------------------------------------------- compose wiring
def test_compose_runs_the_exporter_in_nginxs_network_namespace(compose):
    svc = compose["services"]["nginx-exporter"]
    assert svc["network_mode"] == "service:nginx"
    prometheus = yaml.safe_load((REPO / "prometheus" / "prometheus.yml").read_text())
    jobs = {j["job_name"]: j for j in prometheus["scrape_configs"]}
    assert jobs["nginx"]["static_configs"][0]["targets"] == ["nginx:9113"]


def test_the_exporter_listens_where_nginx_sends(compose):
    """nginx.conf's syslog target and status.conf's listen = the exporter's arguments."""
    nginx_conf = (REPO / "nginx" / "nginx.conf").read_text()
    status_conf = (REPO / "nginx" / "conf.d" / "status.conf").read_text()
    assert "syslog:server=127.0.0.1:9514," in nginx_conf
    assert "listen 127.0.0.1:8082;" in status_conf
    dockerfile = (REPO / "docker" / "nginx-exporter.Dockerfile").read_text()
    for arg in (
        "--listen=0.0.0.0:9113",
        "--syslog=127.0.0.1:9514",
        "--stub-status=http://127.0.0.1:8082/stub_status",
    ):
        assert arg in dockerfile
