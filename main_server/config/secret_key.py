"""The signing key (JWTs, media URLs). Never in the source:

- production reads it from the environment and refuses to start when it is
  missing, a placeholder (change-me…) or too short to resist guessing;
- `make run` generates a random one on first start into $DATA_DIR/secret_key
  (mode 0600) and reuses it, so tokens survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50  # Django's own check --deploy threshold
MIN_UNIQUE_CHARACTERS = 5
PLACEHOLDERS = ("change-me", "changeme", "change_me", "django-insecure", "insecure", "example", "secret-key")
FILE_NAME = "secret_key"


def secret_key_problem(value: str | None) -> str | None:
    """Why `value` is not fit to sign production tokens, or None."""
    if not value or not value.strip():
        return "SECRET_KEY is not set"
    lowered = value.lower()
    for placeholder in PLACEHOLDERS:
        if placeholder in lowered:
            return f"SECRET_KEY is a placeholder (contains {placeholder!r})"
    if len(value) < MIN_LENGTH:
        return f"SECRET_KEY is {len(value)} characters; at least {MIN_LENGTH} are needed"
    if len(set(value)) < MIN_UNIQUE_CHARACTERS:
        return f"SECRET_KEY has fewer than {MIN_UNIQUE_CHARACTERS} different characters"
    return None


def production_secret_key(value: str | None) -> str:
    problem = secret_key_problem(value)
    if problem:
        raise ImproperlyConfigured(
            f"{problem}. Generate one with: python -c \"import secrets; print(secrets.token_urlsafe(50))\""
        )
    return value  # type: ignore[return-value]


def local_secret_key(data_dir: Path) -> str:
    """Read $DATA_DIR/secret_key, creating it (0600, random) on first use. Several
    processes may start at once: the file appears whole, by a hard link of a
    finished temporary file, and whoever loses the race reads the winner's key."""
    path = Path(data_dir) / FILE_NAME
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    value = path.read_text().strip()
    if secret_key_problem(value):
        raise ImproperlyConfigured(f"{path} does not hold a usable key: delete it to get a new one")
    return value
