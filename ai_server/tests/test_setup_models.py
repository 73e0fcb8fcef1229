"""setup_models: idempotent and checksum-verified (no network needed for these tests)."""

from __future__ import annotations

import hashlib

import pytest

from ai_server import setup_models


def test_a_verified_model_is_left_alone_without_downloading(tmp_path, monkeypatch):
    (tmp_path / setup_models.U2NETP_FILE).write_bytes(b"model bytes")
    monkeypatch.setattr(setup_models, "U2NETP_SHA256", hashlib.sha256(b"model bytes").hexdigest())
    monkeypatch.setattr(setup_models.subprocess, "run", lambda *a, **k: pytest.fail("downloaded"))
    assert setup_models.place_u2netp(tmp_path) == tmp_path / setup_models.U2NETP_FILE


def test_a_corrupt_model_is_fetched_again_and_a_failed_fetch_is_an_error(tmp_path, monkeypatch):
    (tmp_path / setup_models.U2NETP_FILE).write_bytes(b"truncated")

    class Failed:
        returncode = 1
        stderr = "no network"

    monkeypatch.setattr(setup_models.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(setup_models.SetupError, match="no network"):
        setup_models.place_u2netp(tmp_path)


def test_main_runs_every_step_and_only_strict_mode_fails(tmp_path, monkeypatch):
    ran = []

    def broken(path):
        ran.append("broken")
        raise setup_models.SetupError("offline")

    monkeypatch.setattr(setup_models, "STEPS", [("broken", broken), ("ok", lambda p: ran.append("ok"))])
    assert setup_models.main(["--dir", str(tmp_path)]) == 0
    assert setup_models.main(["--dir", str(tmp_path), "--strict"]) == 1
    assert ran == ["broken", "ok", "broken", "ok"]
