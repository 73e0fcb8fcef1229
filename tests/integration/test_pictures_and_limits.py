"""Pictures through the real job path (main → storage → worker → ai_server):
every mode finds the face, no metadata reaches the result, huge template
pictures give a usable template, and both services hold the same limits."""

from __future__ import annotations

import io
import json

import pytest
import requests
from PIL import Image

from tests.e2e.helpers import EMOTIONS, NOTO, Api, picture_fixtures
from tests.integration.conftest import manage_shell


@pytest.fixture(scope="module")
def api(stack) -> Api:
    client = Api(stack["url"])
    client.signup_and_login()
    return client


@pytest.fixture(scope="module")
def noto_id(api) -> int:
    from tests.integration.test_stack import _builtin_noto_id

    return _builtin_noto_id(api)


def _astronaut():
    import skimage.data

    return skimage.data.astronaut()


def _run_job(api: Api, template_id: int, photo: bytes) -> dict:
    created = api.create_job(template_id, photo)
    assert created.status_code == 202, created.text
    job = api.wait_job(created.json()["task_id"], timeout=240)
    assert job["status"] == "done", job
    return job


def test_both_services_hold_the_same_picture_limits(stack):
    ai = requests.get(f"http://127.0.0.1:{stack['ai_port']}/healthz", timeout=30).json()["limits"]
    main = json.loads(manage_shell(stack["env"], (
        "import json; from django.conf import settings as s; print(json.dumps({'bytes': s.UPLOAD_MAX_BYTES,"
        " 'pixels': s.UPLOAD_MAX_PIXELS, 'frames': s.UPLOAD_MAX_FRAMES, 'side': s.TEMPLATE_PICTURE_MAX_SIDE}))"
    )).strip().splitlines()[-1])
    assert main["bytes"] == ai["max_image_bytes"]
    assert main["pixels"] == ai["max_pixels"]
    assert main["frames"] == ai["max_frames"]
    assert main["side"] ** 2 <= ai["emoji_max_pixels"]  # every stored template picture is accepted
    assert 8 * main["bytes"] <= ai["max_content_length"]  # a compose request of pictures at the limit


@pytest.mark.parametrize("mode", ["I;16", "P", "CMYK", "LA"])
def test_each_mode_finds_the_face_through_the_job_path(api, noto_id, mode):
    photo = picture_fixtures().grey_portrait_modes(_astronaut())[mode]
    job = _run_job(api, noto_id, photo)
    assert len(job["result"]["faces"]) >= 1, (mode, job)


@pytest.mark.parametrize("fmt", ["jpeg", "png"])
def test_the_result_carries_no_metadata(api, noto_id, fmt):
    pictures = picture_fixtures()
    portrait = Image.fromarray(_astronaut())
    photo = pictures.jpeg_with_metadata(image=portrait) if fmt == "jpeg" else pictures.png_with_metadata(image=portrait)
    assert pictures.metadata_found(photo) >= {"exif", "gps", "xmp", "icc", "secret"}
    job = _run_job(api, noto_id, photo)
    result = requests.get(job["result"]["image_url"], timeout=30).content
    assert pictures.metadata_found(result) == set()


def test_a_template_of_4200px_pictures_is_ready_and_usable(api):
    files = {}
    for emotion in EMOTIONS:
        big = Image.open(NOTO / f"{emotion}.png").convert("RGBA").resize((4200, 4200), Image.Resampling.NEAREST)
        out = io.BytesIO()
        big.save(out, format="PNG", compress_level=1)
        files[emotion] = (f"{emotion}.png", out.getvalue(), "image/png")
    created = api.post("/emojis/", data={"name": "Huge"}, files=files)
    assert created.status_code == 202, created.text
    template = api.wait_template(created.json()["id"], timeout=240)
    assert template["status"] == "ready", template
    job = _run_job(api, template["id"], _jpeg(_astronaut()))
    assert len(job["result"]["faces"]) >= 1


def _jpeg(rgb) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=92)
    return out.getvalue()
