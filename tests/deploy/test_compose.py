"""docker-compose.yml, the Dockerfiles and .env.example, checked without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from scripts.stack.compose_env import interpolate, read_env_file
from tests.deploy.conftest import REPO, env_example_names

REQUIRED = {"postgres", "rabbitmq", "main", "worker", "ai", "nginx", "prometheus", "grafana"}
REQUIRED |= {"alertmanager", "node-exporter", "nginx-exporter"}
ONE_SHOT = {"migrate"}
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def _services(compose: dict) -> dict:
    return compose["services"]


def test_every_service_of_the_topology_is_defined(compose):
    assert REQUIRED <= set(_services(compose))


def test_only_nginx_publishes_a_port(compose):
    published = {name for name, svc in _services(compose).items() if svc.get("ports")}
    assert published == {"nginx"}


def test_third_party_images_have_pinned_version_tags(compose):
    for name, svc in _services(compose).items():
        if "build" in svc:
            continue  # our own images, built from this repository
        image = svc["image"]
        assert ":" in image, f"{name}: {image} has no tag"
        tag = image.rsplit(":", 1)[1]
        assert tag != "latest" and re.match(r"v?\d+\.\d+", tag), f"{name}: {image} is not pinned"


def test_long_running_services_have_healthchecks_and_come_back_when_they_die(compose):
    for name, svc in _services(compose).items():
        if name in ONE_SHOT:
            assert svc.get("restart") == "no", f"{name} runs once"
            continue
        assert "healthcheck" in svc and svc["healthcheck"].get("test"), f"{name} has no healthcheck"
        assert svc.get("restart") in ("unless-stopped", "always"), f"{name} is not restarted when it dies"


def test_depends_on_waits_on_conditions_the_dependency_can_meet(compose):
    services = _services(compose)
    for name, svc in services.items():
        deps = svc.get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on must give conditions"
        for dep, spec in deps.items():
            assert dep in services, f"{name} depends on unknown {dep}"
            condition = spec["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in services[dep], (
                    f"{name} waits for {dep} healthy; it has no healthcheck"
                )
            elif condition == "service_completed_successfully":
                assert dep in ONE_SHOT
            else:
                assert condition == "service_started"


def test_the_app_waits_for_its_database_and_broker(compose):
    services = _services(compose)
    for name in ("main", "worker"):
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["rabbitmq"]["condition"] == "service_healthy"
        assert deps["migrate"]["condition"] == "service_completed_successfully"
    assert services["nginx"]["depends_on"]["main"]["condition"] == "service_healthy"


def test_worker_and_ai_scale_under_one_service_name(compose):
    for name in ("worker", "ai"):
        svc = _services(compose)[name]
        assert "container_name" not in svc and "ports" not in svc, f"{name} could not be scaled"
        assert "replicas" in svc.get("deploy", {})


def test_the_worker_runs_the_main_image(compose):
    services = _services(compose)
    assert services["worker"]["image"] == services["main"]["image"]
    assert services["worker"]["command"][0] == "celery"


def test_state_lives_in_named_volumes(compose):
    declared = set(compose["volumes"])
    expected = {
        "postgres": "/var/lib/postgresql/data",
        "rabbitmq": "/var/lib/rabbitmq",
        "prometheus": "/prometheus",
        "grafana": "/var/lib/grafana",
        "alertmanager": "/alertmanager",
        "main": "/data/media",
    }
    for name, target in expected.items():
        mounts = {v.split(":")[1]: v.split(":")[0] for v in _services(compose)[name]["volumes"]}
        assert mounts.get(target) in declared, f"{name}: {target} is not a named volume"


def test_every_file_the_compose_file_references_exists(compose):
    for name, svc in _services(compose).items():
        if "build" in svc:
            build = svc["build"]
            assert (REPO / build["context"] / build["dockerfile"]).is_file(), name
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name}: {source} is missing"


@pytest.mark.parametrize(
    "dockerfile", sorted(p.name for p in (REPO / "docker").glob("*.Dockerfile"))
)
def test_every_file_a_dockerfile_copies_exists(dockerfile):
    for line in (REPO / "docker" / dockerfile).read_text().splitlines():
        parts = line.split()
        if not parts or parts[0] != "COPY" or any(p.startswith("--from") for p in parts):
            continue
        for source in parts[1:-1]:
            assert (REPO / source).exists(), f"{dockerfile}: COPY {source} is missing"


@pytest.mark.parametrize("listfile", ["main.requirements.in", "ai.requirements.in"])
def test_image_requirements_are_pinned_by_the_lock(listfile):
    locked = {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in (REPO / "requirements" / "lock.txt").read_text().splitlines()
        if "==" in line
    }
    for line in (REPO / "docker" / listfile).read_text().splitlines():
        name = line.split("#")[0].strip()
        if name:
            base = re.split(r"[\[<>=]", name)[0].lower().replace("_", "-")
            assert base in locked, f"{listfile}: {base} is not in requirements/lock.txt"


def test_every_compose_variable_is_in_env_example(compose):
    documented = env_example_names()
    text = (REPO / "docker-compose.yml").read_text()
    for var, op, _default in _VAR.findall(text):
        if op.endswith("?") or not op:
            assert var in documented, f"${{{var}}} is required but not in .env.example"
        else:
            assert var in documented, f"${{{var}}} is not documented in .env.example"


def test_env_example_documents_every_variable_the_processes_read():
    documented = env_example_names()
    read = set()
    for path in (REPO / "main_server" / "config").rglob("*.py"):
        read |= set(
            re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', path.read_text())
        )
    ai = REPO / "ai_server"
    for path in ai.glob("*.py"):
        text = path.read_text()
        read |= set(re.findall(r'_env_int\("([A-Z0-9_]+)"', text))
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]\s*"([A-Z0-9_]+)"', text))
    config = (ai / "config.py").read_text()
    body = config[config.index("def defaults") : config.index("def load_config")]
    read |= {f"AI_{key}" for key in re.findall(r'^\s*"([A-Z0-9_]+)":', body, re.M)}
    read -= {"TF_CPP_MIN_LOG_LEVEL"}  # set by the code itself, not a setting
    assert read, "found no variables: the scan is broken"
    missing = sorted(read - documented)
    assert not missing, f"not in .env.example: {missing}"


def test_env_example_holds_no_real_secret():
    values = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    for key in ("SECRET_KEY", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "GRAFANA_ADMIN_PASSWORD"):
        assert "change-me" in values[key], f"{key} must be a placeholder"


def test_compose_config_is_valid_for_docker_compose():
    """`docker compose config` where the compose plugin exists (no engine needed)."""
    docker = shutil.which("docker")
    if (
        not docker
        or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0
    ):
        pytest.skip("docker compose plugin not installed: checked with PyYAML above")
    result = subprocess.run(
        [docker, "compose", "--env-file", ".env.example", "config", "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _env_example_values() -> dict[str, str]:
    return read_env_file(REPO / ".env.example")


def test_prometheus_and_healthchecks_reach_main_by_an_allowed_host(compose):
    env = _env_example_values() | {"ALLOWED_HOSTS": "igemoji.example.com"}
    allowed = interpolate(compose["services"]["main"]["environment"]["ALLOWED_HOSTS"], env).split(
        ","
    )
    assert "igemoji.example.com" in allowed
    assert {"main", "127.0.0.1"} <= set(allowed)


def test_production_settings_pass_check_deploy_with_the_compose_environment(compose, tmp_path):
    """The main service's environment, as compose resolves it from .env, passes
    `manage.py check --deploy`."""
    values = _env_example_values() | {
        "SECRET_KEY": "k" * 20 + "-Xy7_" + "q9" * 20,
        "ALLOWED_HOSTS": "igemoji.example.com",
    }
    env = {
        k: interpolate(str(v), values)
        for k, v in compose["services"]["main"]["environment"].items()
    }
    # Runs here, not in a container: local paths and SQLite instead of the services.
    env.update(
        DATA_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PATH="/usr/bin:/bin",
        HOME=str(tmp_path),
    )
    result = subprocess.run(
        [
            str(REPO / ".venv/bin/python"),
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=REPO / "main_server",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ai_image_fetches_the_human_model_version_the_code_pins():
    from ai_server.classifiers import human_install

    dockerfile = (REPO / "docker" / "ai.Dockerfile").read_text()
    assert f"npm pack {human_install.PACKAGE}@{human_install.VERSION}" in dockerfile
    assert human_install.TARBALL in dockerfile


def test_interpolation_follows_compose_rules():
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET}-${UNSET:-d}-${EMPTY:-e}", env) == "x-d-e"
    with pytest.raises(KeyError):
        interpolate("${UNSET:?set it}", env)


def test_main_and_ai_get_their_picture_limits_from_the_same_variables(compose):
    main = compose["services"]["main"]["environment"]
    ai = compose["services"]["ai"]["environment"]
    assert ai["AI_MAX_PIXELS"] == main["UPLOAD_MAX_PIXELS"]
    assert ai["AI_MAX_IMAGE_BYTES"] == main["UPLOAD_MAX_BYTES"]


def test_the_client_address_is_trusted_from_nginx_only(compose):
    main = compose["services"]["main"]["environment"]
    assert main["TRUSTED_PROXIES"] == "nginx"
    assert main["CACHE_URL"].startswith("${CACHE_URL:-redis://")
    assert "BEHIND_PROXY" not in main
