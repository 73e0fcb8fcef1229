"""No usable signing key in the source: make run generates one, production
refuses a missing, placeholder or short one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import local_secret_key, production_secret_key, secret_key_problem

MAIN = Path(__file__).resolve().parents[2]
GOOD = "k" * 20 + "-Xy7_" + "q9" * 20


def test_make_run_generates_a_private_random_key_and_reuses_it(tmp_path):
    first = local_secret_key(tmp_path)
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_problem(first) is None
    assert local_secret_key(tmp_path) == first
    assert local_secret_key(tmp_path / "other") != first


def test_processes_starting_together_agree_on_one_key(tmp_path):
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(local_secret_key(tmp_path))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left


def test_a_damaged_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured):
        local_secret_key(tmp_path)


@pytest.mark.parametrize(
    "value", [None, "", "   ", "change-me", "change-me-" + "x" * 60, "django-insecure-" + "ab" * 30, "Ab1" * 10, "a" * 60]
)
def test_production_refuses_weak_keys(value):
    with pytest.raises(ImproperlyConfigured):
        production_secret_key(value)


def test_production_accepts_a_long_random_key():
    assert production_secret_key(GOOD) == GOOD


def _import_production(secret_key: str | None, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "ALLOWED_HOSTS": "igemoji.example.com",
        "DATA_DIR": str(tmp_path),
        "CACHE_URL": "locmem://",
        "CELERY_BROKER_URL": "memory://",
    }
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    code = "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"
    return subprocess.run([sys.executable, "-c", code], cwd=MAIN, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("value", [None, "change-me", "tooshort-but-random-Zq81"])
def test_production_settings_do_not_load_with_a_weak_key(value, tmp_path):
    done = _import_production(value, tmp_path)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "SECRET_KEY" in done.stderr
    assert not (tmp_path / "secret_key").exists()  # and no local key was generated instead


def test_production_settings_load_with_a_good_key(tmp_path):
    done = _import_production(GOOD, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(GOOD))
    assert not (tmp_path / "secret_key").exists()


def test_no_settings_module_holds_a_key_or_a_default_key():
    """The old default in base.py signed tokens for anyone who read the repository."""
    import ast

    checked = 0
    for path in (MAIN / "config").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SECRET_KEY" for t in node.targets):
                assert not isinstance(node.value, ast.Constant), f"{path}: SECRET_KEY is a literal"
                checked += 1
            if isinstance(node, ast.Call) and node.args and getattr(node.args[0], "value", None) == "SECRET_KEY":
                defaults = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
                assert all(d in ("", None) for d in defaults), f"{path}: a default SECRET_KEY"
    assert checked >= 2  # base.py and production.py were seen
