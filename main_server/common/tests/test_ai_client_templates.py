"""The worker composes by template key; ai_server's "not cached" answer is met by
sending the pictures once. HTTP is faked at the edge (the session's post)."""

from __future__ import annotations

import json

import pytest
import requests

from common.ai_client import (
    EMOTIONS,
    AiClient,
    AiUnavailableError,
    TemplatePictures,
    template_key,
)

PICTURES = {e: f"png of {e}".encode() for e in EMOTIONS}
OK_BODY = {"width": 4, "height": 3, "faces": [], "message": "No face found in this photo.",
           "image": {"format": "jpeg", "base64": ""}}


def _response(status: int, body: dict) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


NOT_CACHED = _response(409, {"error": {"code": "template_not_cached", "message": "send the pictures"}})


class FakeSession:
    """Answers each post with the next canned response and records what was sent."""

    def __init__(self, *answers: requests.Response) -> None:
        self.answers = list(answers)
        self.sent: list[dict] = []

    def post(self, url, *, files, data, timeout):
        self.sent.append({"fields": [name for name, _ in files], "data": dict(data)})
        return self.answers.pop(0)


def _client(session: FakeSession) -> AiClient:
    client = AiClient(base_url="http://ai.invalid", timeout=5)
    client.session = session
    return client


def _template(loads: list[int]) -> TemplatePictures:
    def load():
        loads.append(1)
        return dict(PICTURES)

    return TemplatePictures(key=template_key(PICTURES), load=load)


def test_template_key_changes_with_any_byte_of_any_picture():
    changed = {**PICTURES, "sad": PICTURES["sad"] + b"!"}
    assert template_key(PICTURES) != template_key(changed)
    assert template_key(dict(reversed(list(PICTURES.items())))) == template_key(PICTURES)


def test_a_cached_template_is_sent_as_its_key_alone():
    session, loads = FakeSession(_response(200, OK_BODY)), []
    result = _client(session).compose(image=b"photo", template=_template(loads))
    assert result.width == 4
    assert session.sent == [{"fields": ["image"], "data": {"template_key": template_key(PICTURES)}}]
    assert loads == []  # the cut-outs were not even read


def test_a_miss_is_answered_by_sending_the_pictures_once():
    session, loads = FakeSession(NOT_CACHED, _response(200, OK_BODY)), []
    _client(session).compose(image=b"photo", template=_template(loads), overrides={"0": "sad"})
    assert [s["fields"] for s in session.sent] == [["image"], ["image", *EMOTIONS]]
    assert all(s["data"]["template_key"] == template_key(PICTURES) for s in session.sent)
    assert all(s["data"]["overrides"] == '{"0": "sad"}' for s in session.sent)
    assert loads == [1]


def test_a_second_miss_is_not_resent_again_but_retried_later():
    session, loads = FakeSession(NOT_CACHED, NOT_CACHED), []
    with pytest.raises(AiUnavailableError):
        _client(session).compose(image=b"photo", template=_template(loads))
    assert len(session.sent) == 2 and loads == [1]
