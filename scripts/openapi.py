"""The committed OpenAPI schema (docs/openapi.yaml), generated from main_server's views.

    python -m scripts.openapi write   # regenerate it (`make openapi` also regenerates the SPA's types)
    python -m scripts.openapi check   # exit 1 when it differs from what the code generates (`make lint`)

Generated with a clean environment, so local settings (e.g. UPLOAD_MAX_BYTES) never leak
into the committed file: it states the defaults, as the docs do.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.procs import PYTHON, REPO

SCHEMA = REPO / "docs" / "openapi.yaml"


def generate() -> str:
    with tempfile.TemporaryDirectory(prefix="igemoji-openapi-") as tmp:
        out = Path(tmp) / "openapi.yaml"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "DATA_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.django.base",
        }
        subprocess.run(
            [PYTHON, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(out)],
            cwd=REPO / "main_server", env=env, check=True,
        )
        return out.read_text()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    fresh = generate()
    if command == "write":
        SCHEMA.write_text(fresh)
        print(f"wrote {SCHEMA.relative_to(REPO)}")
        return 0
    committed = SCHEMA.read_text() if SCHEMA.exists() else ""
    if committed == fresh:
        return 0
    diff = difflib.unified_diff(
        committed.splitlines(), fresh.splitlines(), "docs/openapi.yaml (committed)", "generated from the code",
        lineterm="", n=2,
    )
    print("\n".join(list(diff)[:60]))
    print("docs/openapi.yaml is stale: run `make openapi` and commit the result.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
