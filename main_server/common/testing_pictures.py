"""Pictures for tests (never imported by production code): each kind of
metadata a camera or editor leaves behind, every Pillow mode worth decoding,
decompression bombs, and a detector that says which metadata a file still
carries. Pure Pillow/numpy, so the cross-service tests under tests/ use it too."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image, PngImagePlugin

SECRET = b"42 Secret Street"  # planted in every metadata kind
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>' + SECRET + b"</rdf:Description></x:xmpmeta>"
METADATA_KINDS = ("exif", "gps", "xmp", "iptc", "jpeg_comment", "png_text", "icc")


# ---------------------------------------------------------------- ICC
def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def icc_profile_swapping_red_and_blue() -> bytes:
    """A valid RGB matrix/TRC profile whose red primary is sRGB's blue and vice
    versa: pure red pixels in it are pure blue in sRGB, so a test can see that
    the profile was applied rather than dropped."""
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)

    def xyz(values):
        return b"XYZ " + b"\0" * 4 + b"".join(_s15(v) for v in values)

    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, int(2.2 * 256)) + b"\0\0"
    text = b"swapped primaries"
    desc = b"desc" + b"\0" * 4 + struct.pack(">I", len(text) + 1) + text + b"\0" + b"\0" * 8 + b"\0" * 3 + b"\0" * 67
    tags = [
        (b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"cprt", b"text" + b"\0" * 4 + b"none\0"),
        (b"rXYZ", xyz(blue)), (b"gXYZ", xyz(green)), (b"bXYZ", xyz(red)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + b"\0" * 12 + b"acsp" + b"\0" * 24 + b"\0" * 4 + _s15(0.9642) + _s15(1.0) + _s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# ---------------------------------------------------------------- metadata kinds
def _exif(with_gps: bool) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model " + SECRET.decode()  # Model
    if with_gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    return exif


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _insert_after_soi(jpeg: bytes, segment: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def photo_pixels(source: np.ndarray | None = None, size=(96, 64)) -> Image.Image:
    if source is not None:
        return Image.fromarray(source)
    gradient = np.linspace(0, 255, size[0] * size[1] * 3).reshape(size[1], size[0], 3).astype(np.uint8)
    return Image.fromarray(gradient)


def jpeg_with_metadata(kinds=METADATA_KINDS, image: Image.Image | None = None) -> bytes:
    image = (image or photo_pixels()).convert("RGB")
    options: dict = {"quality": 90}
    if "exif" in kinds or "gps" in kinds:
        options["exif"] = _exif("gps" in kinds)
    if "xmp" in kinds:
        options["xmp"] = XMP
    if "jpeg_comment" in kinds:
        options["comment"] = b"home address: " + SECRET
    if "icc" in kinds:
        options["icc_profile"] = icc_profile_swapping_red_and_blue()
    out = io.BytesIO()
    image.save(out, format="JPEG", **options)
    data = out.getvalue()
    if "iptc" in kinds:
        # Photoshop APP13 with an IPTC-IIM record 2:120 (caption).
        record = b"\x1c\x02\x78" + struct.pack(">H", len(SECRET)) + SECRET
        resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
        data = _insert_after_soi(data, _jpeg_segment(0xED, b"Photoshop 3.0\x00" + resource))
    return data


def png_with_metadata(kinds=("png_text", "exif", "gps", "xmp", "icc"), image: Image.Image | None = None) -> bytes:
    image = image or photo_pixels()
    info = PngImagePlugin.PngInfo()
    if "png_text" in kinds:
        info.add_text("Comment", "home address: " + SECRET.decode())
        info.add_text("Author", SECRET.decode(), zip=True)  # zTXt
        info.add_itxt("Description", SECRET.decode(), lang="en")
    if "xmp" in kinds:
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    options: dict = {"pnginfo": info}
    if "exif" in kinds or "gps" in kinds:
        options["exif"] = _exif("gps" in kinds)  # eXIf chunk
    if "icc" in kinds:
        options["icc_profile"] = icc_profile_swapping_red_and_blue()
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


# ---------------------------------------------------------------- detection
def _jpeg_segments(data: bytes):
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: no more metadata segments
            return
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        yield marker, data[i + 4 : i + 2 + length]
        i += 2 + length


def _png_chunks(data: bytes):
    i = 8
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i : i + 8])
        yield kind, data[i + 8 : i + 8 + length]
        i += 12 + length


def metadata_found(data: bytes) -> set[str]:
    """Which kinds of metadata (METADATA_KINDS) a JPEG or PNG still carries."""
    found: set[str] = set()
    if data[:2] == b"\xff\xd8":
        for marker, payload in _jpeg_segments(data):
            if marker == 0xE1 and payload.startswith(b"Exif"):
                found.add("exif")
                if b"\x88\x25" in payload or b"\x25\x88" in payload:
                    found.add("gps")
            elif marker == 0xE1 and b"adobe" in payload[:64]:
                found.add("xmp")
            elif marker == 0xED:
                found.add("iptc")
            elif marker == 0xFE:
                found.add("jpeg_comment")
            elif marker == 0xE2 and payload.startswith(b"ICC_PROFILE"):
                found.add("icc")
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        for kind, payload in _png_chunks(data):
            if kind in (b"tEXt", b"zTXt", b"iTXt"):
                found.add("xmp" if payload.startswith(b"XML:com.adobe.xmp") else "png_text")
            elif kind == b"eXIf":
                found.add("exif")
                if b"\x88\x25" in payload or b"\x25\x88" in payload:
                    found.add("gps")
            elif kind == b"iCCP":
                found.add("icc")
    else:
        raise ValueError("not a JPEG or PNG")
    if SECRET in data:
        found.add("secret")
    return found


# ---------------------------------------------------------------- modes
def grey_portrait_modes(rgb: np.ndarray) -> dict[str, bytes]:
    """The same portrait in each mode worth decoding, as an upload would carry it."""
    grey = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.uint8)
    out: dict[str, bytes] = {}

    def save(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
        buf = io.BytesIO()
        image.save(buf, format=fmt, **options)
        return buf.getvalue()

    wide = (grey.astype(np.uint16) * 257).astype(">u2")
    out["I;16"] = save(Image.frombytes("I;16B", (grey.shape[1], grey.shape[0]), wide.tobytes()))
    out["P"] = save(Image.fromarray(rgb).convert("P", palette=Image.Palette.ADAPTIVE, colors=256))
    cmyk = Image.fromarray(rgb).convert("CMYK")
    out["CMYK"] = save(cmyk, "JPEG", quality=92)
    alpha = np.full(grey.shape, 255, dtype=np.uint8)
    alpha[:8, :8] = 0
    out["LA"] = save(Image.fromarray(np.dstack([grey, alpha]), mode="LA"))
    return out


# ---------------------------------------------------------------- bombs
def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels (a decompression bomb)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\0" + b"\0" * min(width, 4096)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * 4)) + chunk(b"IEND", b"")


def gif_with_frames(frames: int, size=(8, 8)) -> bytes:
    # Consecutive frames differ, or Pillow merges them into one.
    images = [Image.new("RGB", size, (i % 2 * 255, i % 256, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=10)
    return out.getvalue()
