"""`make image` on a uv and a venv project, built on a private Docker engine from the local base
image: the container's predictions equal the local run's byte for byte, it runs as uid 1000, and
neither the build context nor the image holds data, .venv, .git or the CA bundle.
"""

import os
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from harness.engine import DockerEngine
from tests.template.csv_rows import write_without
from tests.template.model_image import (
    BASE_IMAGE,
    build_base_image,
    docker_command,
    host_ca_bundle,
    image_build_options,
)
from tests.template.project_commands import run

pytestmark = pytest.mark.swarm

PROJECTS = {"uv": "shipped_project", "venv": "shipped_venv_project"}
CONTEXT_FILES = {
    "uv": {"pyproject.toml", "README.md", "uv.lock", "params.yaml", "src", "models"},
    "venv": {"pyproject.toml", "README.md", "requirements.txt", "requirements.lock", "params.yaml"}
    | {"src", "models"},
}


@pytest.fixture(scope="module")
def engine(docker_engine):
    """The session's private Docker engine (tests/conftest.py), shared with the Swarm tests."""
    return docker_engine


@pytest.fixture(scope="module", params=list(PROJECTS))
def image(request, engine, repo_root, artifacts_dir):
    """`make image` with the local base image and the CA bundle as a build secret; the image's tag
    is the project's slug.
    """
    try:
        build_base_image(engine, repo_root, artifacts_dir / "template-base-image.log")
    except RuntimeError as error:
        pytest.fail(str(error))
    project = request.getfixturevalue(PROJECTS[request.param])
    path, env = project["path"], project["env"]
    (path / ".env").write_text("TOKEN=not-for-images\n")  # must stay out of the build context
    make = [
        "make",
        "image",
        f"DOCKER={docker_command(engine)}",
        f"DOCKER_BUILD_OPTIONS={image_build_options()}",
    ]
    output = run(make, path, env, timeout=1500)
    (artifacts_dir / f"template-make-image-{request.param}.log").write_text(output)
    return {"tag": project["slug"], "project": project, "env_manager": request.param}


@pytest.fixture
def exchange(tmp_path):
    """A folder the container's user (uid 1000) can write to, holding the test set's features."""
    folder = tmp_path / "exchange"
    folder.mkdir()
    os.chown(folder, 1000, 1000)
    return folder


def features_csv(project: dict, folder: Path, drop: list[str]) -> Path:
    path = folder / "input.csv"
    write_without(project["path"] / "data/processed/test.csv", path, drop)
    return path


def docker_run(engine: DockerEngine, tag: str, folder: Path, *args: str) -> CompletedProcess:
    """Run the image with `folder` as /work and no network; its exit code is the test's to check."""
    return engine.docker(
        "run", "--rm", "--network", "none", "--volume", f"{folder}:/work", tag, *args, check=False
    )


def test_container_predictions_equal_the_local_run(engine, image, exchange):
    project = image["project"]
    input_csv = features_csv(project, exchange, ["target"])
    local = exchange / "local.csv"
    predict = [".venv/bin/python", "-m", f"{project['module']}.predict"]
    run([*predict, str(input_csv), "-o", str(local)], project["path"], project["env"])
    result = docker_run(engine, image["tag"], exchange, "/work/input.csv", "-o", "/work/out.csv")
    assert result.returncode == 0, result.stderr
    assert (exchange / "out.csv").read_bytes() == local.read_bytes()
    assert (exchange / "out.csv").stat().st_uid == 1000


def test_container_refuses_wrong_columns_in_one_line(engine, image, exchange):
    features_csv(image["project"], exchange, ["worst radius"])
    result = docker_run(engine, image["tag"], exchange, "/work/input.csv", "-o", "/work/out.csv")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "predict: /work/input.csv does not match the model's features: "
        "missing columns: worst radius; extra columns: target"
    ]
    assert not (exchange / "out.csv").exists()


def test_image_runs_as_uid_1000_and_holds_only_what_predict_needs(engine, image):
    tag = image["tag"]
    config = engine.docker("image", "inspect", "--format", "{{json .Config}}", tag).stdout
    assert '"User":"1000"' in config
    script = "id -u; ls -A /app; ls /app/models; ls /opt /run/secrets 2>&1 || true"
    run_shell = ["run", "--rm", "--network", "none", "--entrypoint", "sh", tag, "-c", script]
    listing = engine.docker(*run_shell).stdout.split()
    assert listing[0] == "1000"
    for absent in ("data", ".git", ".env", "notebooks", ".dvc", "uv", "ca_bundle"):
        assert absent not in listing, absent
    assert {".venv", "src", "params.yaml", "models", "model.joblib"} <= set(listing)
    history = engine.docker("history", "--no-trunc", tag).stdout
    bundle = host_ca_bundle()
    if bundle:
        first_certificate = bundle.read_text().split("-----BEGIN CERTIFICATE-----")[1][:64]
        assert first_certificate not in history


def test_build_context_excludes_data_venv_git_and_secrets(engine, image, tmp_path):
    """A probe image copies the whole build context, filtered by the project's .dockerignore."""
    probe = tmp_path / "probe.Dockerfile"
    probe.write_text(f"FROM {BASE_IMAGE}\nCOPY . /context\n")
    context = str(image["project"]["path"])
    build = ["build", "--network", "host", "-f", str(probe), "-t", "context-probe", context]
    engine.docker(*build, timeout=600)
    find = ["run", "--rm", "--network", "none", "context-probe", "find", "/context", "-type", "f"]
    files = engine.docker(*find).stdout.split()
    engine.docker("image", "rm", "context-probe")
    assert {name.split("/")[2] for name in files} == CONTEXT_FILES[image["env_manager"]]
    assert "/context/models/model.joblib" in files
    assert not [name for name in files if "__pycache__" in name]
