"""Put the `human` emotion model in place at install time (never at request time).

Steps, each skipped when its result is already there and checks out:
1. ``npm pack @vladmandic/human@3.3.6`` into ``<models>/.cache`` and verify the
   tarball against the sha512 integrity pinned below (what npm publishes);
2. extract ``package/models/emotion.{json,bin}`` and the MIT ``LICENSE``, and
   check them against pinned sha256 digests;
3. convert to ONNX (``human_convert``) and record the result's sha256 and the
   converter version in ``manifest.json``; the server refuses a model file that
   does not match it.

Run as part of ``make models`` (``python -m ai_server.setup_models``) or alone:
``python -m ai_server.classifiers.human_install --dir models``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import onnx

from ai_server.classifiers.human_convert import CONVERTER_VERSION, convert_tfjs_to_onnx

log = logging.getLogger(__name__)

PACKAGE = "@vladmandic/human"
VERSION = "3.3.6"
TARBALL = "vladmandic-human-3.3.6.tgz"
# `npm view @vladmandic/human@3.3.6 dist.integrity`
INTEGRITY = (
    "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A=="
)
# Members we take from the tarball -> file name in <models>/human, and their sha256.
MEMBERS = {
    "package/models/emotion.json": ("emotion.json", "56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2"),
    "package/models/emotion.bin": ("emotion.bin", "927ac8224f356ab1e68c2bcfbfa07b0c8567047d1bcf817388ba6e38214c4987"),
    "package/LICENSE": ("LICENSE", "9a3442b79acaf4fbc7c2e07b7e2d8f84af9bb3871bf08a69d80304ab00640e9a"),
}
MODEL_FILE = "emotion.onnx"
MANIFEST_FILE = "manifest.json"


class InstallError(RuntimeError):
    """The model could not be put in place (download, checksum or conversion)."""


def model_dir(models_dir: Path) -> Path:
    return models_dir / "human"


def default_models_dir() -> Path:
    """``$MODELS_DIR`` (the Makefile exports it), else ``models/`` at the repo root."""
    env = os.environ.get("MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def read_manifest(models_dir: Path) -> dict | None:
    path = model_dir(models_dir) / MANIFEST_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_installed(models_dir: Path) -> bool:
    """True when the ONNX file exists, matches its manifest and this converter."""
    manifest = read_manifest(models_dir)
    onnx_path = model_dir(models_dir) / MODEL_FILE
    return (
        manifest is not None
        and manifest.get("converter_version") == CONVERTER_VERSION
        and manifest.get("source_integrity") == INTEGRITY
        and onnx_path.is_file()
        and sha256_file(onnx_path) == manifest.get("onnx_sha256")
    )


def fetch_tarball(cache_dir: Path) -> Path:
    """The pinned npm tarball in ``cache_dir``, downloaded with npm if missing or bad."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / TARBALL
    if tarball.is_file() and npm_integrity(tarball) == INTEGRITY:
        return tarball
    tarball.unlink(missing_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm is needed to fetch the human emotion model (install Node.js)")
    log.info("human_model_download package=%s@%s", PACKAGE, VERSION)
    proc = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(cache_dir),
         "--silent", "--no-audit", "--no-fund"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if proc.returncode != 0 or not tarball.is_file():
        raise InstallError(f"npm pack {PACKAGE}@{VERSION} failed: {proc.stderr.strip()[-500:]}")
    got = npm_integrity(tarball)
    if got != INTEGRITY:
        tarball.unlink()
        raise InstallError(f"{TARBALL}: integrity {got} does not match the pinned {INTEGRITY}")
    return tarball


def extract_members(tarball: Path, dest: Path) -> None:
    """Copy the pinned members out of the tarball, verifying each digest."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for member, (name, digest) in MEMBERS.items():
            src = tar.extractfile(member)
            if src is None:
                raise InstallError(f"{member} missing from {tarball.name}")
            data = src.read()
            if hashlib.sha256(data).hexdigest() != digest:
                raise InstallError(f"{member}: sha256 does not match the pinned digest")
            (dest / name).write_bytes(data)


def install_human_model(models_dir: Path) -> Path:
    """Idempotent: returns the ONNX path, doing only the work that is missing."""
    out_dir = model_dir(models_dir)
    onnx_path = out_dir / MODEL_FILE
    if is_installed(models_dir):
        log.info("human_model_ok path=%s", onnx_path)
        return onnx_path
    sources_ok = all(
        (out_dir / name).is_file() and sha256_file(out_dir / name) == digest
        for name, digest in MEMBERS.values()
    )
    if not sources_ok:
        extract_members(fetch_tarball(models_dir / ".cache"), out_dir)
    model = convert_tfjs_to_onnx(out_dir / "emotion.json")
    # Write then rename, so a crash never leaves a half-written model behind.
    with tempfile.NamedTemporaryFile(dir=out_dir, suffix=".onnx.tmp", delete=False) as tmp:
        tmp.write(model.SerializeToString())
    os.chmod(tmp.name, 0o644)  # NamedTemporaryFile is 0600; other users (gunicorn) read it
    os.replace(tmp.name, onnx_path)
    manifest = {
        "package": f"{PACKAGE}@{VERSION}",
        "source_integrity": INTEGRITY,
        "converter_version": CONVERTER_VERSION,
        "onnx_version": onnx.__version__,
        "onnx_sha256": sha256_file(onnx_path),
        "licence": "MIT (see LICENSE beside this file)",
    }
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    log.info("human_model_installed path=%s sha256=%s", onnx_path, manifest["onnx_sha256"])
    return onnx_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=default_models_dir(), help="models directory")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    print(install_human_model(args.dir))


if __name__ == "__main__":
    main()
