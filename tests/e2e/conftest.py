"""Starts `python -m scripts.run_local` (what `make run` runs) on free ports
with a temporary DATA_DIR, or uses IGEMOJI_E2E_URL if given."""

from __future__ import annotations

import os

import pytest

from scripts.procs import LocalService, http_ok


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    if os.environ.get("IGEMOJI_E2E_URL"):
        yield {"url": os.environ["IGEMOJI_E2E_URL"].rstrip("/"), "worker_metrics": None}
        return
    local = LocalService(tmp_path_factory.mktemp("data"))
    try:
        local.start()
    except (RuntimeError, TimeoutError) as exc:
        pytest.fail(str(exc))
    try:
        yield {"url": local.url, "worker_metrics": local.worker_metrics, "local": local}
    finally:
        code = local.stop()
        # SIGTERM ends run_local cleanly, and every child with it.
        assert code == 0, local.log_tail()
        assert not http_ok(f"{local.url}/api/v1/health", timeout=1)
        assert not http_ok(f"{local.ai_url}/healthz", timeout=1)
