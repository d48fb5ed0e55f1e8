"""deploy/: the compose file is valid with the env template filled in (`docker compose config -q` where a
Compose CLI exists: it needs no Docker daemon), and the image is built the way the house rules say."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_file_is_valid_with_the_env_template(tmp_path):
    compose = _compose()
    if compose is None:
        pytest.skip("no Compose CLI here (docker compose or docker-compose)")
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    template = (DEPLOY / ".env.example").read_text()
    filled = template.replace("MICROREACH_SECRET_KEY=\n", "MICROREACH_SECRET_KEY=" + "s" * 50 + "\n").replace(
        "POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=pg-secret\n"
    )
    (copy / ".env").write_text(filled)

    result = subprocess.run(
        [*compose, "-f", str(copy / "compose.yaml"), "--env-file", str(copy / ".env"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [
            *compose,
            "-f",
            str(copy / "compose.yaml"),
            "--env-file",
            str(copy / ".env"),
            "config",
            "--services",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    assert sorted(services) == ["db", "migrate", "redis", "web", "worker"]


def test_compose_refuses_to_start_without_the_database_password(tmp_path):
    compose = _compose()
    if compose is None:
        pytest.skip("no Compose CLI here (docker compose or docker-compose)")
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    (copy / ".env").write_text((DEPLOY / ".env.example").read_text())

    result = subprocess.run(
        [*compose, "-f", str(copy / "compose.yaml"), "--env-file", str(copy / ".env"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck():
    dockerfile = (DEPLOY / "Dockerfile").read_text()

    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and all("slim" in line for line in stages)
    assert "\nUSER microreach\n" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert "microreach.web.settings_prod" in dockerfile


def test_the_env_template_names_only_variables_the_product_reads():
    config_source = (ROOT / "src/microreach/web/environment.py").read_text()
    names = [
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if ("=" in line and not line.startswith("# ")) or line.startswith("# MICROREACH_")
    ]
    compose_only = {"POSTGRES_PASSWORD"}
    unknown = [n for n in names if n not in compose_only and f'"{n}"' not in config_source]
    assert unknown == []
