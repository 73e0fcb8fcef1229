"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): teach it what the
schema's `encoding.contentType` of an upload means — a real picture of that
format — so schema-valid uploads are pictures the API can read. Small ones: the
point is the contract, not the models."""

from __future__ import annotations

import io

import schemathesis
from hypothesis import strategies as st
from PIL import Image

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF", "image/bmp": "BMP"}


def pictures(fmt: str) -> st.SearchStrategy[bytes]:
    @st.composite
    def picture(draw) -> bytes:
        size = (draw(st.integers(1, 48)), draw(st.integers(1, 48)))
        mode = draw(st.sampled_from(["RGBA", "RGB"] if fmt in ("PNG", "WEBP", "GIF") else ["RGB"]))
        colour = draw(st.tuples(*[st.integers(0, 255)] * len(mode)))
        out = io.BytesIO()
        Image.new(mode, size, colour).save(out, format=fmt)
        return out.getvalue()

    return picture()


for media_type, fmt in FORMATS.items():
    schemathesis.openapi.media_type(media_type, pictures(fmt))
