"""One test against a real `python -m ai_server` process (gunicorn, gthread, metrics dir)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from ai_server.config import REPO_ROOT
from ai_server.tests import photos


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, data in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.png"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _post(url: str, fields: dict[str, bytes]) -> tuple[int, dict]:
    body, content_type = _multipart(fields)
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _start(env_extra: dict[str, str], log_dir, tiny_cutout_model) -> tuple[subprocess.Popen, str, object]:
    port = _free_port()
    env = {**os.environ, "AI_EMOTION_MODELS": "fer", "AI_CUTOUT_MODEL_PATH": str(tiny_cutout_model),
           "AI_WORKERS": "1", "AI_THREADS": "2", **env_extra}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the server makes its own
    log = open(log_dir / "server.log", "w+")  # noqa: SIM115 (closed by _stop)
    proc = subprocess.Popen([sys.executable, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            pytest.fail(f"ai_server did not start:\n{log.read()[-3000:]}")
        time.sleep(0.5)
    return proc, base, log


def _stop(proc: subprocess.Popen, log) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def server(tiny_cutout_model, tmp_path_factory):
    proc, base, log = _start({}, tmp_path_factory.mktemp("server"), tiny_cutout_model)
    yield base
    _stop(proc, log)


def test_started_server_answers_every_endpoint(server):
    status, body = _post(server + "/v1/analyze", {"image": photos.encode(photos.astronaut())})
    assert status == 200 and len(body["faces"]) == 1 and body["faces"][0]["emotion"] == "happy"

    status, body = _post(server + "/v1/compose", {"image": photos.encode(photos.astronaut()), **photos.noto_template()})
    assert status == 200 and body["image"]["format"] == "png" and len(body["faces"]) == 1

    status, body = _post(server + "/v1/analyze", {"image": b"definitely not a picture"})
    assert status == 400 and body["error"]["code"] == "not_an_image"

    with urllib.request.urlopen(server + "/healthz", timeout=10) as resp:
        health = json.loads(resp.read())
    assert health["emotion_models"] == ["fer"] and health["cutout_model"]["loaded"]

    with urllib.request.urlopen(server + "/metrics", timeout=10) as resp:
        text = resp.read().decode()
    assert 'ai_requests_total{endpoint="analyze",status="200"} 1.0' in text
    assert 'ai_requests_total{endpoint="analyze",status="400"} 1.0' in text
    assert "ai_process_resident_memory_bytes{pid=" in text  # multiprocess mode: one series per worker


def test_the_gunicorn_master_imports_no_tensorflow():
    # Workers fork from the master: TensorFlow initialised there can hang them.
    code = "import sys, ai_server, ai_server.__main__, ai_server.config; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_recycled_workers_keep_the_server_answering(tiny_cutout_model, tmp_path):
    """gunicorn replaces a worker every 5 requests; the recycled worker leaves
    through main()'s code, which must not take the metrics directory (or the
    master) with it."""
    proc, base, log = _start({"AI_MAX_REQUESTS": "5", "AI_MAX_REQUESTS_JITTER": "0"}, tmp_path, tiny_cutout_model)
    try:
        photo = photos.encode(photos.astronaut())
        statuses = [_post(base + "/v1/analyze", {"image": photo})[0] for _ in range(30)]
        assert statuses == [200] * 30
        assert proc.poll() is None, "the gunicorn master exited"
        with urllib.request.urlopen(base + "/metrics", timeout=30) as resp:
            text = resp.read().decode()
        assert resp.status == 200 and "ai_requests_total" in text
        log.seek(0)
        boots = log.read().count("Booting worker")
        assert boots >= 6, f"expected a worker per 5 requests, saw {boots} boots"
    finally:
        _stop(proc, log)
