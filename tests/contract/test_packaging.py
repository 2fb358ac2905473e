"""What we can check of the container and the project files without a Docker engine."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dockerfile_runs_as_non_root_with_a_healthcheck_and_serves_after_migrating() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) >= 2, "multi-stage build"
    assert all("slim" in line for line in stages)
    final = text.rpartition(stages[-1])[2]
    user = [line for line in final.splitlines() if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in {"root", "0"}
    # /readyz, not /healthz: a container whose database is gone is not healthy.
    assert "HEALTHCHECK" in final and "/readyz" in final
    # `fairstead serve` migrates first: the same command `make run` and the tests exercise.
    assert 'CMD ["fairstead", "serve", "--host", "0.0.0.0"' in final
    assert "FAIRSTEAD_DATABASE_URL=sqlite:////data/" in final and 'VOLUME ["/data"]' in final


def test_compose_file_runs_the_app_against_postgresql() -> None:
    text = (ROOT / "compose.yaml").read_text()
    assert "image: postgres" in text
    # The URL, with its password, is a Docker secret (tests/contract/test_deployment.py).
    assert "FAIRSTEAD_DATABASE_URL_FILE: /run/secrets/database_url" in text


def test_project_metadata_names_the_packages_licence_and_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "fairstead"
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["fairstead"] == "api.cli:main"
    assert {"dev", "postgres"} <= project["optional-dependencies"].keys()


def test_readme_leads_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text()[:1500]
    assert "make run" in head and "make test" in head


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_household_pages_templates_and_static_files_are_packaged() -> None:
    """A non-editable install (the Docker image) carries only what package-data names: a
    template in a new folder, or a new kind of static file, must be named there too."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    patterns = tool["setuptools"]["package-data"]["api.web"]
    web = ROOT / "api" / "web"
    files = [
        p.relative_to(web).as_posix()
        for folder in ("templates", "static")
        for p in (web / folder).rglob("*")
        if p.is_file()
    ]
    assert files
    # Path.glob's `*` stops at a folder, as setuptools' package-data globs do.
    packaged = {p.relative_to(web).as_posix() for pattern in patterns for p in web.glob(pattern)}
    assert sorted(set(files) - packaged) == []
