"""compose.yaml, the Dockerfile and constraints.txt, checked as files (no Docker engine
here): the structure a deployment relies on."""

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.settings import SECRET_SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return document


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in service["environment"].items()}


def test_api_worker_and_postgres_restart_by_themselves(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"api", "worker", "db"}
    assert services["db"]["image"].startswith("postgres:")
    for name, service in services.items():
        assert service["restart"] in ("unless-stopped", "always"), name
    assert services["api"]["command"][:2] == ["fairstead", "serve"]
    assert services["worker"]["command"][:2] == ["fairstead", "worker"]
    assert services["worker"]["build"] == services["api"]["build"]


def test_the_api_is_published_on_loopback_only_by_default(compose: dict[str, Any]) -> None:
    services = compose["services"]
    (port,) = services["api"]["ports"]
    assert port.startswith("${FAIRSTEAD_BIND:-127.0.0.1}:"), port
    assert "ports" not in services["db"] and "ports" not in services["worker"]


def test_healthchecks_ask_readyz_and_the_order_follows_them(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "select 1" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["api"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["worker"]["depends_on"] == {"api": {"condition": "service_healthy"}}


def test_secrets_are_files_and_no_password_is_written_down(compose: dict[str, Any]) -> None:
    declared = compose["secrets"]
    assert all(set(s) == {"file"} and s["file"].startswith("./secrets/") for s in declared.values())
    for name in ("api", "worker"):
        service = compose["services"][name]
        environment = _environment(service)
        for setting in SECRET_SETTINGS:
            assert f"FAIRSTEAD_{setting.upper()}" not in environment, (name, setting)
        files = {k: v for k, v in environment.items() if k.endswith("_FILE")}
        used = {"database_url", "secret_key"} | ({"mqtt_url"} if name == "worker" else set())
        assert files == {f"FAIRSTEAD_{s.upper()}_FILE": f"/run/secrets/{s}" for s in used}
        assert set(service["secrets"]) == used <= set(declared)
    db = compose["services"]["db"]
    assert "POSTGRES_PASSWORD" not in db["environment"]
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    text = (ROOT / "compose.yaml").read_text()
    assert not re.search(r"postgresql\+psycopg://\w+:\w+@", text)


def test_sign_up_is_closed_unless_the_env_file_opens_it(compose: dict[str, Any]) -> None:
    for name in ("api", "worker"):
        environment = _environment(compose["services"][name])
        assert environment["FAIRSTEAD_OPEN_SIGNUP"] == "${FAIRSTEAD_OPEN_SIGNUP:-false}"
    example = (ROOT / ".env.example").read_text()
    assert "FAIRSTEAD_OPEN_SIGNUP=false" in example
    every = set(Settings.model_fields)
    for line in example.splitlines():
        if line.startswith("FAIRSTEAD_") and "=" in line:
            name = line.split("=", 1)[0].removeprefix("FAIRSTEAD_").lower()
            assert name in every | {"port", "bind"}, line


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_image_installs_every_dependency_at_a_pinned_version() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        "-c constraints.txt" in dockerfile
        and "COPY pyproject.toml README.md constraints.txt" in (dockerfile)
    )
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned exactly: {line}"
            pins[_normalise(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("postgres", "mqtt", "redis"):
        wanted += project["optional-dependencies"][extra]
    for requirement in wanted:
        name = _normalise(re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0])
        assert name in pins, f"{requirement} has no pin in constraints.txt"


def test_the_image_carries_oci_labels() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    labels = set(re.findall(r"org\.opencontainers\.image\.(\w+)=", dockerfile))
    assert {"title", "description", "version", "revision", "licenses"} <= labels
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"ARG VERSION={version}" in dockerfile
