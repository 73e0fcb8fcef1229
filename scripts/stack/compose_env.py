"""The environment docker-compose.yml gives a service, resolved as compose would
from .env (or .env.example): the rehearsal starts its processes with it, so a
wrong variable name in the compose file shows up natively too."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def read_env_file(path: Path) -> dict[str, str]:
    """NAME=value lines of a .env file (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error} as compose resolves them."""

    def sub(match: re.Match) -> str:
        var, op, default = match.group(1), match.group(2) or "", match.group(3) or ""
        if env.get(var):
            return env[var]
        if op.endswith("?") or not op:
            raise KeyError(f"${{{var}}} is not set: {default or 'required'}")
        return default

    return _VAR.sub(sub, value)


def service_environment(compose_file: Path, service: str, env: dict[str, str]) -> dict[str, str]:
    spec = yaml.safe_load(compose_file.read_text())["services"][service]
    raw = spec.get("environment") or {}
    return {key: interpolate(str(value), env) for key, value in raw.items()}
