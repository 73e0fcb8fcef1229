"""HTTP API through Flask's test client: every endpoint and every error."""

from __future__ import annotations

import base64
import io
import json

import cv2
import numpy as np
import pytest
from PIL import Image

from ai_server.tests import photos

EMOTIONS = photos.EMOTIONS


def _file(data: bytes, name: str = "photo.png"):
    return (io.BytesIO(data), name)


def _template_fields(emojis: dict[str, bytes] | None = None) -> dict:
    emojis = emojis or photos.noto_template()
    return {e: _file(emojis[e], f"{e}.png") for e in EMOTIONS}


def _decode_result(body: dict) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(body["image"]["base64"]))))


def _assert_error(resp, status: int, code: str) -> None:
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]


# ---------------------------------------------------------------- analyze
def test_analyze_finds_the_face(client):
    resp = client.post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut()))})
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["width"], body["height"]) == (512, 512)
    (face,) = body["faces"]
    assert set(face) >= {"box", "landmarks", "confidence", "emotion", "scores"}
    assert set(face["landmarks"]) == {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"}
    assert list(face["scores"]) == list(EMOTIONS) and face["emotion"] in EMOTIONS
    assert all(isinstance(v, int) for v in face["box"])


def test_analyze_with_boxes_classifies_the_given_faces(client):
    boxes = json.dumps([list(photos.ASTRONAUT_FACE), [0, 0, 50, 50]])
    resp = client.post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut())), "boxes": boxes})
    body = resp.get_json()
    assert [f["box"] for f in body["faces"]] == [list(photos.ASTRONAUT_FACE), [0, 0, 50, 50]]
    assert body["faces"][0]["emotion"] == "happy"


def test_analyze_without_a_face_answers_zero_faces(client):
    resp = client.post("/v1/analyze", data={"image": _file(photos.encode(photos.coffee(), "JPEG"), "c.jpg")})
    assert resp.status_code == 200 and resp.get_json()["faces"] == []


def test_analyze_exif_rotated_photo_answers_in_the_upright_frame(client):
    resp = client.post("/v1/analyze", data={"image": _file(photos.exif_rotated_jpeg(), "r.jpg")})
    (face,) = resp.get_json()["faces"]
    x, y, w, h = face["box"]
    assert abs(x + w / 2 - 223) < 15 and abs(y + h / 2 - 117) < 15


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({}, 400, "missing_field"),
        ({"image": _file(b"this is not an image", "x.png")}, 400, "not_an_image"),
        ({"image": _file(photos.encode(photos.astronaut())[:3000])}, 400, "corrupt_image"),
        ({"image": _file(photos.encode(photos.astronaut())), "boxes": "[[1,2,3"}, 400, "bad_boxes"),
        ({"image": _file(photos.encode(photos.astronaut())), "boxes": "[[1,2,3]]"}, 400, "bad_boxes"),
        ({"image": _file(photos.encode(photos.astronaut())), "boxes": "[[1,2,0,5]]"}, 400, "bad_boxes"),
        ({"image": _file(photos.encode(photos.astronaut())), "boxes": "[[900,2,10,5]]"}, 400, "bad_boxes"),
        ({"image": _file(photos.encode(photos.astronaut())), "boxes": "{\"a\": 1}"}, 400, "bad_boxes"),
    ],
)
def test_analyze_bad_input_is_a_clear_4xx(client, data, status, code):
    _assert_error(client.post("/v1/analyze", data=data), status, code)


def test_too_many_pixels_is_a_413(app):
    from ai_server import create_app

    small = create_app({"EMOTION_MODELS": "fer", "MAX_PIXELS": 1000, "CUTOUT_MODEL_PATH": "/nonexistent.onnx"})
    resp = small.test_client().post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut()))})
    _assert_error(resp, 413, "image_too_large")


def test_upload_over_the_size_cap_is_a_413_before_the_handler(app):
    from ai_server import create_app

    capped = create_app({"EMOTION_MODELS": "fer", "MAX_CONTENT_LENGTH": 2000, "CUTOUT_MODEL_PATH": "/x.onnx"})
    resp = capped.test_client().post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut()))})
    _assert_error(resp, 413, "payload_too_large")


def test_unknown_route_and_wrong_method_are_json(client):
    _assert_error(client.get("/v1/nothing"), 404, "not_found")
    _assert_error(client.get("/v1/analyze"), 405, "method_not_allowed")


# ---------------------------------------------------------------- compose
def test_compose_pastes_the_emoji_and_leaves_the_rest_untouched(client):
    original = photos.astronaut()
    data = {"image": _file(photos.encode(original)), **_template_fields()}
    resp = client.post("/v1/compose", data=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["image"]["format"] == "png" and len(body["faces"]) == 1
    out = _decode_result(body)
    assert out.shape == original.shape
    changed = np.any(out != original, axis=2)
    x, y, w, h = body["faces"][0]["box"]
    assert changed[y + h // 2, x + w // 2]  # the face is covered
    ys, xs = np.nonzero(changed)
    # Every changed pixel lies near the face (within the emoji's reach), the rest is byte-identical.
    assert xs.min() > x - w and xs.max() < x + 2 * w and ys.min() > y - h and ys.max() < y + 2 * h
    assert changed.mean() < 0.1


def test_compose_jpeg_in_gives_jpeg_out(client):
    data = {"image": _file(photos.encode(photos.astronaut(), "JPEG"), "a.jpg"), **_template_fields()}
    body = client.post("/v1/compose", data=data).get_json()
    assert body["image"]["format"] == "jpeg"
    assert base64.b64decode(body["image"]["base64"])[:3] == b"\xff\xd8\xff"


def test_compose_overrides_choose_the_emoji(client):
    template = {e: photos.encode(np.dstack([np.full((20, 20, 3), i * 30, np.uint8),
                                            np.full((20, 20), 255, np.uint8)])) for i, e in enumerate(EMOTIONS)}
    data = {"image": _file(photos.encode(photos.astronaut())), **_template_fields(template),
            "overrides": json.dumps({"0": "sad"})}
    body = client.post("/v1/compose", data=data).get_json()
    assert body["faces"][0]["emotion"] == "sad" and body["faces"][0]["overridden"] is True
    x, y, w, h = body["faces"][0]["box"]
    assert tuple(_decode_result(body)[y + h // 2, x + w // 2]) == (120, 120, 120)  # sad is index 4


def test_compose_emoji_turns_with_a_rolled_head(client):
    emoji = photos.encode(photos.two_colour_emoji())
    data = {"image": _file(photos.encode(photos.rolled_astronaut(25.0))),
            **_template_fields(dict.fromkeys(EMOTIONS, emoji))}
    out = _decode_result(client.post("/v1/compose", data=data).get_json())
    red = np.argwhere((out[:, :, 0] > 220) & (out[:, :, 1] < 40) & (out[:, :, 2] < 40)).mean(axis=0)
    blue = np.argwhere((out[:, :, 2] > 220) & (out[:, :, 0] < 40) & (out[:, :, 1] < 40)).mean(axis=0)
    angle = np.degrees(np.arctan2(blue[0] - red[0], blue[1] - red[1]))
    assert 20 < angle < 35  # the head's roll (25° + the astronaut's own ~3°)


def test_compose_keeps_a_wide_emoji_wide(client):
    wide = np.zeros((100, 200, 4), np.uint8)
    wide[:] = (0, 200, 0, 255)
    data = {"image": _file(photos.encode(photos.astronaut())),
            **_template_fields(dict.fromkeys(EMOTIONS, photos.encode(wide)))}
    out = _decode_result(client.post("/v1/compose", data=data).get_json())
    points = np.argwhere((out[:, :, 1] > 150) & (out[:, :, 0] < 50) & (out[:, :, 2] < 50))[:, ::-1]
    # The emoji is turned by the head's ~3° roll: measure its own sides, not the axis-aligned box.
    (_, _), (w, h), _ = cv2.minAreaRect(points.astype(np.float32))
    assert max(w, h) / min(w, h) == pytest.approx(2.0, rel=0.04)


def test_compose_without_a_face_returns_the_photo_and_a_message(client):
    original = photos.coffee()
    body = client.post("/v1/compose", data={"image": _file(photos.encode(original)), **_template_fields()}).get_json()
    assert body["faces"] == [] and body["message"]
    assert np.array_equal(_decode_result(body), original)


def test_compose_missing_emoji_is_a_400(client):
    fields = _template_fields()
    del fields["fear"]
    resp = client.post("/v1/compose", data={"image": _file(photos.encode(photos.astronaut())), **fields})
    _assert_error(resp, 400, "missing_field")
    assert "fear" in resp.get_json()["error"]["message"]


def test_compose_broken_emoji_names_it(client):
    fields = _template_fields()
    fields["sad"] = _file(b"nope", "sad.png")
    resp = client.post("/v1/compose", data={"image": _file(photos.encode(photos.astronaut())), **fields})
    _assert_error(resp, 400, "not_an_image")
    assert "sad" in resp.get_json()["error"]["message"]


@pytest.mark.parametrize("overrides", ["{bad json", "[1]", "{\"0\": \"joy\"}", "{\"x\": \"sad\"}", "{\"5\": \"sad\"}"])
def test_compose_bad_overrides_are_a_400(client, overrides):
    data = {"image": _file(photos.encode(photos.astronaut())), **_template_fields(), "overrides": overrides}
    _assert_error(client.post("/v1/compose", data=data), 400, "bad_overrides")


def test_compose_on_given_boxes_and_landmarks_detects_nothing_and_keeps_the_roll(client, monkeypatch):
    # A re-render: the faces a first compose found are sent back with every face's
    # emotion; the picture must come out as the first one did, without detection.
    photo = photos.encode(photos.rolled_astronaut(25.0))
    emoji = photos.encode(photos.two_colour_emoji())
    template = dict.fromkeys(EMOTIONS, emoji)
    first = client.post("/v1/compose", data={"image": _file(photo), **_template_fields(template)}).get_json()
    (face,) = first["faces"]

    def no_detection(*a, **k):
        raise AssertionError("detection ran although the boxes were given")

    monkeypatch.setattr("ai_server.service.detect_faces", no_detection)
    data = {"image": _file(photo), **_template_fields(template), "boxes": json.dumps([face["box"]]),
            "landmarks": json.dumps([face["landmarks"]]), "overrides": json.dumps({"0": face["emotion"]})}
    again = client.post("/v1/compose", data=data).get_json()
    assert again["faces"][0]["box"] == face["box"] and again["faces"][0]["landmarks"] == face["landmarks"]
    assert np.array_equal(_decode_result(again), _decode_result(first))
    del data["landmarks"]
    data.update(image=_file(photo), **_template_fields(template))  # the files were read: send them again
    upright = client.post("/v1/compose", data=data).get_json()
    assert not np.array_equal(_decode_result(upright), _decode_result(first))  # the landmarks carried the roll


@pytest.mark.parametrize(
    "landmarks",
    ["{bad json", "{}", "[]", "[{}, {}]", '[{"left_eye": [1]}]', '[{"chin": [1, 2]}]', '[["a"]]',
     '[{"nose": [true, 2]}]'],
)
def test_compose_bad_landmarks_are_a_400(client, landmarks):
    data = {"image": _file(photos.encode(photos.astronaut())), **_template_fields(),
            "boxes": json.dumps([list(photos.ASTRONAUT_FACE)]), "landmarks": landmarks}
    _assert_error(client.post("/v1/compose", data=data), 400, "bad_landmarks")


def test_compose_builds_no_model_during_the_request(client, monkeypatch):
    import mtcnn
    import onnxruntime
    import rembg

    def forbidden(*a, **k):
        raise AssertionError("a model was constructed inside a request")

    monkeypatch.setattr(mtcnn.MTCNN, "__init__", forbidden)
    monkeypatch.setattr(onnxruntime, "InferenceSession", forbidden)
    monkeypatch.setattr(rembg, "new_session", forbidden)
    monkeypatch.setattr("ai_server.pipeline.cutout.rembg_cutout", forbidden)
    data = {"image": _file(photos.encode(photos.astronaut())), **_template_fields()}
    assert client.post("/v1/compose", data=data).status_code == 200


# ---------------------------------------------------------------- cutout
def test_cutout_keeps_own_alpha(client):
    resp = client.post("/v1/cutout", data={"image": _file(photos.noto_template()["happy"])})
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.headers["X-Cutout-Method"] == "alpha"
    assert Image.open(io.BytesIO(resp.data)).mode == "RGBA"


def test_cutout_plain_background_by_border(client):
    img = np.full((64, 64, 3), 255, np.uint8)
    img[16:48, 16:48] = (30, 120, 200)
    resp = client.post("/v1/cutout", data={"image": _file(photos.encode(img, "JPEG", quality=95), "x.jpg")})
    assert resp.headers["X-Cutout-Method"] == "border"
    out = np.asarray(Image.open(io.BytesIO(resp.data)))
    assert out[0, 0, 3] == 0 and out[32, 32, 3] == 255


def test_cutout_photo_uses_rembg(client):
    resp = client.post("/v1/cutout", data={"image": _file(photos.encode(photos.astronaut()))})
    assert resp.status_code == 200 and resp.headers["X-Cutout-Method"] == "rembg"


def test_cutout_without_model_is_a_503(app_without_cutout_model):
    resp = app_without_cutout_model.test_client().post(
        "/v1/cutout", data={"image": _file(photos.encode(photos.astronaut()))}
    )
    _assert_error(resp, 503, "cutout_model_unavailable")


def test_cutout_bad_upload_is_a_400(client):
    _assert_error(client.post("/v1/cutout", data={"image": _file(b"GIF89a broken", "x.gif")}), 400, "not_an_image")


# ---------------------------------------------------------------- health & metrics
def test_healthz_lists_models(client, app_without_cutout_model):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["emotion_models"] == ["fer"]
    assert body["detector"]["loaded"] and body["cutout_model"]["loaded"]
    assert body["detector"]["name"] == "centerface" and body["detector"]["settings"]["min_confidence"] == 0.5
    assert body["versions"]["mtcnn"] == "1.0.0"
    degraded = app_without_cutout_model.test_client().get("/healthz").get_json()
    assert degraded["status"] == "degraded" and degraded["cutout_model"]["available"] is False


def test_metrics_use_the_contract_names(client):
    client.post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut()))})
    text = client.get("/metrics").get_data(as_text=True)
    for needle in ('ai_requests_total{endpoint="analyze",status="200"}', 'ai_stage_seconds_bucket{le="0.001",stage="detect"}',
                   'ai_request_seconds_count{endpoint="analyze"}', 'ai_faces_total{emotion="happy"}',
                   'ai_model_load_seconds{model="centerface"}', "ai_process_resident_memory_bytes{pid="):
        assert needle in text, needle


def test_labelled_counters_exist_at_zero_before_any_request(app):
    text = app.test_client().get("/metrics").get_data(as_text=True)
    # created by create_app, so rate() counts the first request and face of each kind
    for endpoint in ("analyze", "compose", "cutout"):
        assert f'ai_requests_total{{endpoint="{endpoint}",status="200"}}' in text
    for emotion in EMOTIONS:  # the test photos show only a few of them
        assert f'ai_faces_total{{emotion="{emotion}"}}' in text


def test_healthz_reports_the_picture_limits(client, app):
    limits = client.get("/healthz").get_json()["limits"]
    assert limits == {
        "max_image_bytes": app.config["MAX_IMAGE_BYTES"],
        "max_pixels": app.config["MAX_PIXELS"],
        "max_frames": app.config["MAX_FRAMES"],
        "emoji_max_pixels": app.config["EMOJI_MAX_PIXELS"],
        "max_content_length": app.config["MAX_CONTENT_LENGTH"],
    }
    # A compose request of pictures at the limit fits the request limit.
    assert limits["max_content_length"] >= 8 * limits["max_image_bytes"]


def test_a_picture_over_the_byte_limit_is_a_413_image_too_large(app):
    from ai_server import create_app

    small = create_app({"EMOTION_MODELS": "fer", "MAX_IMAGE_BYTES": 1000, "CUTOUT_MODEL_PATH": "/x.onnx"})
    resp = small.test_client().post("/v1/analyze", data={"image": _file(photos.encode(photos.astronaut()))})
    _assert_error(resp, 413, "image_too_large")
