"""Compose by template key: the decoded pictures kept in a bounded LRU, a miss
answered so the worker resends them once, and the key checked against the pictures."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from ai_server.classifiers.base import EMOTIONS
from ai_server.templates import TemplateCache, ready_to_paste, template_key
from ai_server.tests import photos


def _file(data: bytes, name: str = "photo.png"):
    return (io.BytesIO(data), name)


def _pictures(emojis: dict[str, bytes]) -> dict:
    return {e: _file(emojis[e], f"{e}.png") for e in EMOTIONS}


def _pixels(body: dict) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(body["image"]["base64"]))))


def _entry(side: int) -> dict[str, np.ndarray]:
    return {e: np.zeros((side, side, 4), np.uint8) for e in EMOTIONS}  # 7 × side² × 4 bytes


def test_the_cache_evicts_the_least_recently_used_template_beyond_its_byte_cap():
    cache = TemplateCache(max_bytes=3 * 7 * 10 * 10 * 4)  # room for three 10 px templates
    for key in ("a", "b", "c"):
        cache.put(key, _entry(10))
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("d", _entry(10))
    assert "b" not in cache and all(k in cache for k in ("a", "c", "d"))
    assert cache.bytes <= cache.max_bytes and cache.stats()["evictions"] == 1


def test_a_template_larger_than_the_whole_cache_is_not_kept():
    cache = TemplateCache(max_bytes=100)
    cache.put("big", _entry(10))
    assert len(cache) == 0 and cache.bytes == 0


def test_putting_a_key_again_replaces_it_without_counting_it_twice():
    cache = TemplateCache(max_bytes=10_000)
    cache.put("a", _entry(10))
    cache.put("a", _entry(10))
    assert len(cache) == 1 and cache.bytes == 7 * 10 * 10 * 4


def test_ready_pictures_are_cropped_to_their_visible_part_once():
    picture = np.zeros((50, 40, 4), np.uint8)
    picture[10:20, 5:30] = (255, 0, 0, 255)
    assert ready_to_paste(picture).shape == (10, 25, 4)
    assert ready_to_paste(np.full((5, 6, 3), 9, np.uint8)).shape == (5, 6, 4)  # opaque RGB gets alpha


@pytest.fixture()
def cached_client(app):
    app.extensions["template_cache"] = TemplateCache(max_bytes=64 * 1024 * 1024)  # fresh for each test
    return app.test_client()


def test_compose_by_key_alone_is_409_until_the_pictures_were_sent(cached_client):
    noto = photos.noto_template()
    key = template_key(noto)
    photo = photos.encode(photos.astronaut())
    miss = cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": key})
    assert miss.status_code == 409 and miss.get_json()["error"]["code"] == "template_not_cached"
    sent = cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": key, **_pictures(noto)})
    assert sent.status_code == 200
    hit = cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": key})
    assert hit.status_code == 200
    assert hit.get_json()["faces"] == sent.get_json()["faces"]
    np.testing.assert_array_equal(_pixels(hit.get_json()), _pixels(sent.get_json()))
    stats = cached_client.get("/healthz").get_json()["template_cache"]
    assert (stats["templates"], stats["hits"], stats["misses"]) == (1, 1, 1)


def test_the_cached_template_gives_the_same_picture_as_sending_it_without_a_key(cached_client):
    noto = photos.noto_template()
    photo = photos.encode(photos.astronaut())
    plain = cached_client.post("/v1/compose", data={"image": _file(photo), **_pictures(noto)})
    key = template_key(noto)
    cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": key, **_pictures(noto)})
    cached = cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": key})
    np.testing.assert_array_equal(_pixels(cached.get_json()), _pixels(plain.get_json()))


def test_an_evicted_template_is_asked_for_again(app):
    noto = photos.noto_template()
    photo = photos.encode(photos.coffee())
    other = {**noto, "sad": noto["happy"]}

    def size(emojis):
        return sum(ready_to_paste(np.asarray(Image.open(io.BytesIO(emojis[e])))).nbytes for e in EMOTIONS)

    app.extensions["template_cache"] = TemplateCache(max_bytes=max(size(noto), size(other)))  # room for one
    client = app.test_client()
    for emojis in (noto, other):  # the second evicts the first
        resp = client.post("/v1/compose", data={"image": _file(photo), "template_key": template_key(emojis),
                                                **_pictures(emojis)})
        assert resp.status_code == 200
    again = client.post("/v1/compose", data={"image": _file(photo), "template_key": template_key(noto)})
    assert again.status_code == 409
    assert client.post("/v1/compose", data={"image": _file(photo), "template_key": template_key(other)}).status_code == 200


def test_a_key_that_is_not_the_hash_of_the_pictures_is_a_400_and_not_cached(cached_client, app):
    noto = photos.noto_template()
    photo = photos.encode(photos.coffee())
    resp = cached_client.post("/v1/compose", data={"image": _file(photo), "template_key": "0" * 64, **_pictures(noto)})
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_template_key"
    assert "0" * 64 not in app.extensions["template_cache"]


def test_neither_pictures_nor_key_is_a_400_naming_the_missing_pictures(cached_client):
    resp = cached_client.post("/v1/compose", data={"image": _file(photos.encode(photos.coffee()))})
    assert resp.status_code == 400 and "angry" in resp.get_json()["error"]["message"]
