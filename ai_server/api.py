"""HTTP in/out only: decode the request, call the pipeline, encode the answer."""

from __future__ import annotations

import base64
import logging
import time

from flask import Blueprint, Response, current_app, g, jsonify, request

from ai_server import metrics
from ai_server.classifiers.base import EMOTIONS
from ai_server.config import picture_limits
from ai_server.errors import ApiError, bad_request
from ai_server.inputs import file_bytes, parse_boxes, parse_landmarks, parse_overrides
from ai_server.models import Models
from ai_server.pipeline.cutout import cutout
from ai_server.pipeline.decode import decode_image, encode_image
from ai_server.pipeline.exceptions import PipelineError
from ai_server.service import StageTimer, decode_and_detect, find_faces, paste_emojis
from ai_server.templates import TemplateCache, ready_to_paste, template_key

bp = Blueprint("ai", __name__)
log = logging.getLogger("ai_server.api")

TIMED_ENDPOINTS = {"ai.analyze": "analyze", "ai.compose": "compose", "ai.cutout": "cutout"}


def _models() -> Models:
    return current_app.extensions["ai_models"]


@bp.before_app_request
def _start_timer() -> None:
    g.started = time.perf_counter()
    g.timer = StageTimer()


@bp.after_app_request
def _record(response: Response) -> Response:
    endpoint = TIMED_ENDPOINTS.get(request.endpoint or "")
    if endpoint is None:
        return response
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    metrics.REQUESTS.labels(endpoint=endpoint, status=str(response.status_code)).inc()
    metrics.REQUEST_SECONDS.labels(endpoint=endpoint).observe(seconds)
    metrics.update_memory()
    timer = g.get("timer")
    log.info(
        "request endpoint=%s status=%s ms=%.1f faces=%s template=%s stages=%s",
        endpoint,
        response.status_code,
        seconds * 1000,
        g.get("face_count", "-"),
        g.get("template", "-"),
        timer.ms if timer else {},
    )
    return response


def _decode(data: bytes, *, keep_alpha: bool, max_pixels: int | None = None):
    config = current_app.config
    with g.timer.stage("decode"):
        return decode_image(
            data,
            max_pixels=max_pixels or config["MAX_PIXELS"],
            keep_alpha=keep_alpha,
            max_bytes=config["MAX_IMAGE_BYTES"],
            max_frames=config["MAX_FRAMES"],
        )


@bp.post("/v1/analyze")
def analyze():
    image = _decode(file_bytes(request, "image"), keep_alpha=False)
    boxes = parse_boxes(request, image.width, image.height)
    landmarks = parse_landmarks(request, len(boxes)) if boxes is not None else None
    _, faces_json = find_faces(_models(), current_app.config, image.rgb, boxes, g.timer, landmarks=landmarks)
    g.face_count = len(faces_json)
    return jsonify({"width": image.width, "height": image.height, "faces": faces_json})


@bp.post("/v1/compose")
def compose():
    photo_bytes = file_bytes(request, "image")
    overrides = parse_overrides(request)
    emojis = _template_pictures()
    config = current_app.config
    if "boxes" in request.form or "boxes" in request.files:
        image = _decode(photo_bytes, keep_alpha=True)
        boxes, detected = parse_boxes(request, image.width, image.height), None
        landmarks = parse_landmarks(request, len(boxes)) if boxes is not None else None
    else:
        image, detected = decode_and_detect(_models(), config, photo_bytes, g.timer)
        boxes = landmarks = None
    faces, faces_json = find_faces(_models(), config, image.rgb, boxes, g.timer, detected=detected,
                                   landmarks=landmarks)
    g.face_count = len(faces_json)
    with g.timer.stage("compose"):
        out = paste_emojis(image.pixels, faces, faces_json, emojis, overrides, scale=float(config["EMOJI_SCALE"]),
                           in_place=True)
        data, fmt = encode_image(
            out, image.format, jpeg_quality=int(config["JPEG_QUALITY"]), jpeg_options=image.jpeg_options
        )
    return jsonify(
        {
            "width": image.width,
            "height": image.height,
            "faces": faces_json,
            "message": None if faces_json else "No face found in this photo.",
            "image": {"format": fmt, "base64": base64.b64encode(data).decode("ascii")},
        }
    )


def _template_pictures() -> dict:
    """The seven ready-to-paste pictures: from the cache by ``template_key`` alone, or
    decoded from the request's files (then cached under the key, once it checks out)."""
    key = (request.form.get("template_key") or "").strip() or None
    cache: TemplateCache = current_app.extensions["template_cache"]
    sent = [e for e in EMOTIONS if e in request.files]
    if key and not sent:
        pictures = cache.get(key)
        if pictures is None:
            g.template = "miss"
            raise ApiError(409, "template_not_cached", "This server does not hold that template: "
                           "send the seven pictures again with the same template_key.")
        g.template = "hit"
        return pictures
    missing = [e for e in EMOTIONS if e not in sent]
    if missing:
        raise bad_request("missing_field", f"Emoji picture(s) missing: {', '.join(missing)} "
                          "(one PNG per emotion, or a cached template_key).")
    raw = {e: file_bytes(request, e) for e in EMOTIONS}
    if key and key != template_key(raw):
        raise bad_request("bad_template_key", "template_key is not the content hash of the seven pictures sent.")
    pictures = {}
    for emotion in EMOTIONS:
        try:
            pixels = _decode(raw[emotion], keep_alpha=True, max_pixels=current_app.config["EMOJI_MAX_PIXELS"]).pixels
        except PipelineError as exc:
            exc.message = f"Emoji '{emotion}': {exc.message}"
            raise
        pictures[emotion] = ready_to_paste(pixels)
    if key:
        cache.put(key, pictures)
    g.template = "sent"
    return pictures


@bp.post("/v1/cutout", endpoint="cutout")
def cutout_view():
    image = _decode(file_bytes(request, "image"), keep_alpha=True)
    with g.timer.stage("cutout"):
        rgba, method = cutout(image.pixels, _models().cutout_session)
        data, _ = encode_image(rgba, "PNG")
    return Response(data, mimetype="image/png", headers={"X-Cutout-Method": method})


@bp.get("/healthz")
def healthz():
    health = _models().health()
    health["status"] = "ok" if health["cutout_model"]["available"] else "degraded"
    health["emotion_models"] = [c["name"] for c in health["classifiers"]]
    # main_server holds its uploads to the same limits (checked by a test).
    health["limits"] = picture_limits(current_app.config)
    health["template_cache"] = current_app.extensions["template_cache"].stats()
    return jsonify(health)


@bp.get("/metrics")
def metrics_view():
    body, content_type = metrics.render()
    return Response(body, content_type=content_type)
