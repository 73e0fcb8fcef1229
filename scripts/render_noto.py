"""Render the built-in "Noto" template from the npm package @iconify-json/noto.

Run once by a developer (the PNGs are committed); re-running reproduces them:

    .venv/bin/python scripts/render_noto.py

It packs the pinned npm package (integrity checked), takes the seven SVGs by
code point and renders each to a transparent 512×512 PNG with resvg.
Noto Emoji: Apache-2.0 (Google); see LICENSES.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import resvg_py
from PIL import Image

PACKAGE = "@iconify-json/noto@1.2.9"
INTEGRITY = (
    "sha512-DQiuXENbun41ch+XPSV55H9FaWKpHTyz46YIKtSaKYD4fIDDzL1tR6H4np/T38jfrTAeI3rcKF0mqHYeZVAuaw=="
)
CODEPOINTS = {
    "angry": "1f620",
    "disgust": "1f922",
    "fear": "1f628",
    "happy": "1f600",
    "sad": "1f622",
    "surprise": "1f632",
    "neutral": "1f610",
}
SIZE = 512
OUT = Path(__file__).resolve().parent.parent / "assets" / "emoji" / "noto"


def _fetch_package(workdir: Path) -> tarfile.TarFile:
    name = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True,
        capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    data = (workdir / name).read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"integrity mismatch for {PACKAGE}: {digest}")
    return tarfile.open(fileobj=io.BytesIO(data))


def _svg(icon_set: dict, name: str) -> str:
    icon = icon_set["icons"][name]
    w = icon.get("width", icon_set.get("width", 16))
    h = icon.get("height", icon_set.get("height", 16))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}">{icon["body"]}</svg>'
    )


def render(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tar = _fetch_package(Path(tmp))
        icon_set = json.load(tar.extractfile("package/icons.json"))
        chars = json.load(tar.extractfile("package/chars.json"))
    for emotion, codepoint in CODEPOINTS.items():
        png = resvg_py.svg_to_bytes(svg_string=_svg(icon_set, chars[codepoint]), width=SIZE, height=SIZE)
        image = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
        image.save(out / f"{emotion}.png", optimize=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    render(parser.parse_args().out)
