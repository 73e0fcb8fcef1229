"""Cost of cleaning one upload (common/images.py: decode every mode, apply the
ICC profile, strip metadata, re-encode) for a 12 MP camera JPEG with and without
an ICC profile, a 4 MP 16-bit grey PNG, and a 4200 px template picture
(downscaled to 1024 px). Writes bench/results/upload_cleaning.json. Never
asserts on time."""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
REPEATS = 5


def main() -> int:
    sys.path.insert(0, str(REPO / "main_server"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="igemoji-bench-"))
    import django

    django.setup()
    import numpy as np
    from common.images import clean_upload
    from common.testing_pictures import grey_portrait_modes, jpeg_with_metadata
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    rng = np.random.default_rng(0)
    camera = Image.fromarray(
        (np.linspace(0, 255, 4000 * 3000 * 3).reshape(3000, 4000, 3) + rng.normal(0, 8, (3000, 4000, 3)))
        .clip(0, 255).astype(np.uint8)
    )
    grey16 = grey_portrait_modes(np.asarray(camera.resize((2000, 2000))))["I;16"]
    template = io.BytesIO()
    Image.new("RGBA", (4200, 4200), (30, 200, 30, 255)).save(template, format="PNG", compress_level=1)
    cases = {
        "jpeg_12mp": (jpeg_with_metadata(kinds=("exif", "gps", "jpeg_comment"), image=camera), None),
        "jpeg_12mp_icc": (jpeg_with_metadata(kinds=("icc",), image=camera), None),
        "png16_grey_4mp": (grey16, None),
        "template_4200px_png": (template.getvalue(), 1024),
    }
    results = {}
    for name, (data, side) in cases.items():
        seconds = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            clean = clean_upload(SimpleUploadedFile("x", data), field="image", max_side=side)
            seconds.append(time.perf_counter() - started)
        results[name] = {
            "input_bytes": len(data), "output_bytes": len(clean.content),
            "median_s": round(statistics.median(seconds), 3), "max_s": round(max(seconds), 3),
        }
        print(name, results[name])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "upload_cleaning.json").write_text(json.dumps({"repeats": REPEATS, "cases": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
