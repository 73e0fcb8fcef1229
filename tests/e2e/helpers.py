"""HTTP helpers shared by the e2e test, the integration test and bench/e2e.py."""

from __future__ import annotations

import io
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
NOTO = REPO / "assets" / "emoji" / "noto"
EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
PASSWORD = "a long and unusual passphrase 42"


def astronaut_jpeg(scale: float = 1.0) -> bytes:
    """Eileen Collins, NASA portrait (public domain), shipped with scikit-image."""
    import skimage.data
    from PIL import Image

    image = Image.fromarray(skimage.data.astronaut())
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.s = requests.Session()

    def url(self, path: str) -> str:
        return f"{self.base}/api/v1{path}"

    def get(self, path: str, **kw) -> requests.Response:
        return self.s.get(self.url(path), timeout=60, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.s.post(self.url(path), timeout=60, **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.s.delete(self.url(path), timeout=60, **kw)

    def signup_and_login(self, alias: str | None = None) -> dict:
        alias = alias or f"u{uuid.uuid4().hex[:10]}"
        email = f"{alias}@example.org"
        created = self.post("/users/", json={"email": email, "password": PASSWORD, "alias": alias})
        assert created.status_code == 201, created.text
        login = self.post("/users/auth", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        body = login.json()
        self.s.headers["Authorization"] = f"Bearer {body['access_token']}"
        return {**body, "email": email, "alias": alias}

    def create_template(self, name: str, folder: Path = NOTO) -> requests.Response:
        files = {e: (f"{e}.png", (folder / f"{e}.png").read_bytes(), "image/png") for e in EMOTIONS}
        return self.post("/emojis/", data={"name": name}, files=files)

    def wait_template(self, template_id: int, timeout: float = 180) -> dict:
        return _poll(lambda: self.get(f"/emojis/{template_id}").json(), ("ready", "failed"), timeout)

    def create_job(self, template_id: int, photo: bytes, **data) -> requests.Response:
        return self.post(
            "/faces/tasks/", data={"emoji_id": template_id, **data},
            files={"image": ("photo.jpg", photo, "image/jpeg")},
        )

    def wait_job(self, task_id: str, timeout: float = 180) -> dict:
        return _poll(lambda: self.get(f"/faces/tasks/{task_id}").json(), ("done", "failed"), timeout)


def _poll(fetch, final: tuple[str, ...], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = fetch()
        if body.get("status") in final or time.monotonic() > deadline:
            return body
        time.sleep(0.3)


def group_jpeg(faces: int = 7) -> bytes:
    """A 'group photo' of the astronaut's head and shoulders repeated `faces`
    times at different sizes on a grey backdrop (public-domain source)."""
    import skimage.data
    from PIL import Image

    head = Image.fromarray(skimage.data.astronaut()).crop((120, 10, 330, 250))  # 210 x 240
    scales = [1.0, 0.8, 0.9, 0.7, 1.1, 0.85, 0.75, 0.95][:faces]
    columns = 4
    canvas = Image.new("RGB", (columns * 260, ((faces + columns - 1) // columns) * 300), (128, 128, 128))
    for i, scale in enumerate(scales):
        tile = head.resize((int(210 * scale), int(240 * scale)))
        canvas.paste(tile, ((i % columns) * 260 + 10, (i // columns) * 300 + 10))
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=92)
    return out.getvalue()


def picture_fixtures():
    """main_server's picture fixtures (common/testing_pictures.py: Pillow only,
    no Django), loaded by path since main_server is not a package of this repo."""
    import importlib.util
    import sys

    name = "igemoji_testing_pictures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "main_server" / "common" / "testing_pictures.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]

_STORE_SCRIPT = r"""
import sys, django
django.setup()
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from common.images import clean_upload
for path in sys.argv[1:]:
    picture = clean_upload(SimpleUploadedFile("photo", Path(path).read_bytes()), field="image")
    Path(path + ".stored").write_bytes(picture.content)
"""


def store_like_main_server(photos: list[bytes]) -> list[bytes]:
    """The bytes main_server stores for each uploaded photo: its real upload clean-up
    (common.images.clean_upload), run in a main_server process (the two services
    never share a process)."""
    import os
    import subprocess
    import sys
    import tempfile

    main = REPO / "main_server"
    with tempfile.TemporaryDirectory(prefix="stored_") as tmp:
        paths = []
        for i, data in enumerate(photos):
            path = Path(tmp) / f"{i}.upload"
            path.write_bytes(data)
            paths.append(str(path))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.test", "DATA_DIR": tmp}
        subprocess.run([sys.executable, "-c", _STORE_SCRIPT, *paths], cwd=main, env=env, check=True)
        return [Path(p + ".stored").read_bytes() for p in paths]
