"""``python -m ai_server.cli PHOTO [--template DIR] [-o OUT]``: one photo, no server.

Prints the faces JSON on stdout and writes the composited picture (default:
``<photo>.emoji.<ext>``). The template directory holds angry.png … neutral.png.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from ai_server.classifiers.base import EMOTIONS
from ai_server.config import REPO_ROOT, defaults
from ai_server.pipeline.exceptions import PipelineError

DEFAULT_TEMPLATE = REPO_ROOT / "assets" / "emoji" / "noto"


def run(photo: Path, template: Path, out: Path | None) -> tuple[dict, Path]:
    from ai_server.models import Models
    from ai_server.pipeline.decode import decode_image, encode_image
    from ai_server.service import StageTimer, find_faces, paste_emojis

    config = defaults()
    for key, raw in os.environ.items():  # same parsing as Flask's from_prefixed_env
        if key.startswith("AI_") and key[3:] in config:
            try:
                config[key[3:]] = json.loads(raw)
            except ValueError:
                config[key[3:]] = raw
    image = decode_image(photo.read_bytes(), max_pixels=int(config["MAX_PIXELS"]))
    emojis = {}
    for emotion in EMOTIONS:
        path = template / f"{emotion}.png"
        emojis[emotion] = decode_image(path.read_bytes(), max_pixels=int(config["EMOJI_MAX_PIXELS"])).pixels
    models = Models(config)
    timer = StageTimer()
    faces, faces_json = find_faces(models, config, image.rgb, None, timer)
    with timer.stage("compose"):
        result = paste_emojis(image.pixels, faces, faces_json, emojis, {}, scale=float(config["EMOJI_SCALE"]))
        data, fmt = encode_image(
            result, image.format, jpeg_quality=int(config["JPEG_QUALITY"]), jpeg_options=image.jpeg_options
        )
    out = out or photo.with_name(f"{photo.stem}.emoji.{'jpg' if fmt == 'jpeg' else 'png'}")
    out.write_bytes(data)
    report = {"width": image.width, "height": image.height, "faces": faces_json, "output": str(out), "ms": timer.ms}
    return report, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ai_server.cli", description=__doc__.splitlines()[0])
    parser.add_argument("photo", type=Path)
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="dir with angry.png … neutral.png")
    parser.add_argument("-o", "--output", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    missing = [e for e in EMOTIONS if not (args.template / f"{e}.png").is_file()]
    if not args.photo.is_file() or missing:
        what = f"no such photo: {args.photo}" if not args.photo.is_file() else f"template lacks {missing}"
        print(f"error: {what}", file=sys.stderr)
        return 2
    try:
        report, _ = run(args.photo, args.template, args.output)
    except PipelineError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2))  # CLI output, not a log
    return 0


if __name__ == "__main__":
    sys.exit(main())
