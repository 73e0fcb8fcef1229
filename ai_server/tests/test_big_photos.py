"""Big photos cost little more than their decode: detection runs on a copy decoded
small (JPEG draft mode) while the full decode runs, and emoji are pasted in place."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from ai_server.pipeline.compose import Placement, compose
from ai_server.pipeline.decode import decode_image, detection_copy
from ai_server.pipeline.detect import bounded_copy
from ai_server.service import StageTimer, decode_and_detect, find_faces
from ai_server.tests import photos


def _big(side_w: int = 2400, side_h: int = 1800) -> np.ndarray:
    return cv2.resize(photos.astronaut(), (side_w, side_h), interpolation=cv2.INTER_CUBIC)


def test_the_draft_copy_matches_a_copy_shrunk_from_the_full_decode():
    data = photos.encode(_big(), "JPEG", quality=92)
    small, scale, size = detection_copy(data, max_side=1000, max_pixels=50_000_000)
    reference, ref_scale = bounded_copy(decode_image(data, max_pixels=50_000_000).rgb, 1000)
    assert small.shape == reference.shape == (750, 1000, 3) and size == (2400, 1800)
    assert scale == pytest.approx(ref_scale)
    assert np.abs(small.astype(int) - reference).mean() < 2.0  # DCT scaling vs area averaging


def test_an_exif_rotated_jpeg_gives_an_upright_copy_and_the_upright_size():
    stored = np.ascontiguousarray(np.rot90(_big(1200, 900), k=1))  # lying on its side
    exif = Image.Exif()
    exif[0x0112] = 6
    data = photos.encode(stored, "JPEG", quality=92, exif=exif)
    small, scale, size = detection_copy(data, max_side=600, max_pixels=50_000_000)
    assert size == (1200, 900) and small.shape == (450, 600, 3) and scale == pytest.approx(0.5)


@pytest.mark.parametrize(
    "data, max_side",
    [
        (photos.encode(_big(800, 600), "JPEG"), 1000),  # small enough already
        (photos.encode(_big(1200, 900), "PNG"), 1000),  # no draft mode for PNG
        (photos.encode(_big(1200, 900), "JPEG")[:5000], 1000),  # truncated: the full decode reports it
        (b"not an image", 1000),
    ],
)
def test_the_shortcut_steps_aside_where_it_does_not_apply(data, max_side):
    assert detection_copy(data, max_side=max_side, max_pixels=50_000_000) is None


def test_the_shortcut_never_decodes_more_pixels_than_allowed():
    data = photos.encode(_big(), "JPEG")
    assert detection_copy(data, max_side=1000, max_pixels=1_000_000) is None


def test_a_big_photo_yields_the_faces_of_detection_on_its_full_decode(models, app):
    from ai_server.tests.group_photos import iou

    data = photos.encode(_big(2560, 2560), "JPEG", quality=92)
    image, detected = decode_and_detect(models, app.config, data, StageTimer())
    assert detected is not None and (image.width, image.height) == (2560, 2560)
    reference, _ = find_faces(models, app.config, image.rgb, None, StageTimer())
    assert len(detected) == len(reference) == 1
    assert iou(detected[0].box, reference[0].box) > 0.9


def test_decode_errors_still_come_from_the_full_decode(models, app):
    from ai_server.pipeline.exceptions import NotAnImage

    with pytest.raises(NotAnImage) as caught:
        decode_and_detect(models, app.config, photos.encode(_big(), "JPEG")[:4000], StageTimer())
    assert caught.value.code == "corrupt_image"


def test_pasting_in_place_changes_only_the_pixels_under_the_emoji():
    base = np.full((300, 400, 3), 77, np.uint8)
    emoji = photos.two_colour_emoji(40, 40)
    out = compose(base, [(emoji, Placement(center=(200, 150), size=(40.0, 40.0)))], scale=1.0, in_place=True)
    assert out is base
    changed = np.argwhere(np.any(base != 77, axis=2))
    assert changed[:, 0].min() >= 128 and changed[:, 0].max() <= 172  # rows of the 40 px emoji (+1 edge)
