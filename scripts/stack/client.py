"""A user of the public API, through nginx, as the SPA talks to it."""

from __future__ import annotations

import io
import time
import uuid

import requests
import skimage.data
from PIL import Image


def astronaut_jpeg() -> bytes:
    """Eileen Collins, NASA portrait (public domain), shipped with scikit-image."""
    buf = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


class ApiUser:
    def __init__(self, base_url: str):
        self.base = f"{base_url}/api/v1"
        self.session = requests.Session()

    def register_and_login(self) -> None:
        tag = uuid.uuid4().hex[:8]
        email, password = f"stack-{tag}@example.com", f"Stack-check-{tag}-pw!"
        resp = self.session.post(
            f"{self.base}/users/",
            json={"email": email, "password": password, "alias": f"st{tag}"},
            timeout=30,
        )
        assert resp.status_code == 201, resp.text
        resp = self.session.post(
            f"{self.base}/users/auth", json={"email": email, "password": password}, timeout=30
        )
        assert resp.status_code == 200, resp.text
        self.session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"

    def first_template_id(self) -> int:
        resp = self.session.get(f"{self.base}/emojis/pages/1", timeout=30)
        assert resp.status_code == 200, resp.text
        results = resp.json()["results"]
        assert results, "no ready template (the built-in ones should exist)"
        return results[0]["id"]

    def submit_job(self, template_id: int, photo: bytes) -> str:
        resp = self.session.post(
            f"{self.base}/faces/tasks/",
            data={"emoji_id": str(template_id)},
            files={"image": ("astronaut.jpg", photo, "image/jpeg")},
            timeout=60,
        )
        assert resp.status_code == 202, resp.text
        return resp.json()["task_id"]

    def submit_template(self, name: str, pictures: dict[str, bytes]) -> int:
        files = {
            emotion: (f"{emotion}.png", data, "image/png") for emotion, data in pictures.items()
        }
        resp = self.session.post(
            f"{self.base}/emojis/", data={"name": name}, files=files, timeout=60
        )
        assert resp.status_code == 202, resp.text
        return resp.json()["id"]

    def wait(
        self, path: str, *, done: tuple[str, ...], timeout: float = 240, poll: float = 1.0
    ) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            resp = self.session.get(f"{self.base}/{path}", timeout=30)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            if body["status"] in done:
                return body
            assert time.monotonic() < deadline, f"{path} still {body['status']} after {timeout}s"
            time.sleep(poll)
