"""Installing the human emotion model: pinned, verified, idempotent, offline when cached.

These run on a copy of the real npm tarball (cached by `make models`), with npm
made unavailable so any unexpected download would fail the test.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ai_server.classifiers import human_install as hi


@pytest.fixture(scope="module")
def real_models_dir() -> Path:
    models = hi.default_models_dir()
    hi.install_human_model(models)
    return models


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(hi.shutil, "which", lambda name: None)


@pytest.fixture
def models_dir(tmp_path, real_models_dir) -> Path:
    """A fresh models dir holding only the cached tarball (hard link: no 28 MB copy)."""
    cache = tmp_path / ".cache"
    cache.mkdir()
    src = real_models_dir / ".cache" / hi.TARBALL
    try:
        os.link(src, cache / hi.TARBALL)
    except OSError:
        shutil.copy(src, cache / hi.TARBALL)
    return tmp_path


def test_install_from_cached_tarball_writes_model_licence_and_manifest(models_dir, offline):
    path = hi.install_human_model(models_dir)
    assert path == models_dir / "human" / "emotion.onnx"
    assert "MIT License" in (models_dir / "human" / "LICENSE").read_text()
    manifest = json.loads((models_dir / "human" / "manifest.json").read_text())
    assert manifest["onnx_sha256"] == hi.sha256_file(path)
    assert manifest["source_integrity"] == hi.INTEGRITY
    assert hi.is_installed(models_dir)


def test_second_install_leaves_the_model_untouched(models_dir, offline):
    path = hi.install_human_model(models_dir)
    before = path.stat().st_mtime_ns
    (models_dir / ".cache" / hi.TARBALL).unlink()  # not even the tarball is needed now
    assert hi.install_human_model(models_dir) == path
    assert path.stat().st_mtime_ns == before


def test_corrupted_model_is_reconverted(models_dir, offline):
    path = hi.install_human_model(models_dir)
    good = path.read_bytes()
    path.write_bytes(good[:1000])
    assert not hi.is_installed(models_dir)
    hi.install_human_model(models_dir)
    assert path.read_bytes() == good


def test_tampered_weights_are_replaced_from_the_verified_tarball(models_dir, offline):
    hi.install_human_model(models_dir)
    weights = models_dir / "human" / "emotion.bin"
    weights.write_bytes(b"\0" * weights.stat().st_size)
    (models_dir / "human" / "manifest.json").unlink()
    hi.install_human_model(models_dir)
    assert hi.sha256_file(weights) == hi.MEMBERS["package/models/emotion.bin"][1]


def test_tarball_with_wrong_integrity_is_refused_and_removed(tmp_path, offline):
    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / hi.TARBALL).write_bytes(b"not the published package")
    with pytest.raises(hi.InstallError, match="npm is needed"):
        hi.install_human_model(tmp_path)
    assert not (cache / hi.TARBALL).exists()
    assert not (tmp_path / "human" / "emotion.onnx").exists()

