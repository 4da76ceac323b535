from pathlib import Path

import pytest

from harness.mirror import build_toolkit_wheel, publish, start_mirror
from harness.prefetch import Prefetch
from tests.conftest import REPO_ROOT, early_engine, prefetch_of, prefetched
from tests.template.engines import copy_template, generate
from tests.template.project_commands import project_env, run, uv_only_bin
from tests.template.template_repo import clone_working_tree


@pytest.fixture(scope="session")
def template_dir(repo_root: Path, tmp_path_factory) -> Path:
    """A copy of the template as it ships (cookiecutter.json, copier.yml, hooks/, project tree)."""
    return copy_template(repo_root, tmp_path_factory.mktemp("template"))


@pytest.hookimpl(trylast=True)  # after tests/conftest.py's, which sets up the Prefetch
def pytest_collection_finish(session):
    """Clone the repository and make the shipped projects in the background (they take minutes of
    `make setup` and `make repro`), one after the other once the platform's images are built: the
    Swarm tests running then mostly wait for services."""
    prefetch = prefetch_of(session.config)
    needed = set().union(*(item.fixturenames for item in session.items))
    if prefetch is None or not {"shipped_project", "shipped_venv_project"} & needed:
        return
    early = early_engine(session.config)
    clone = prefetch.scratch("clone") / "cookiecutter-mlops"
    prefetch.submit("template_repo", clone_working_tree, REPO_ROOT, clone)
    after = early.built if early is not None else None
    for name, answers, uv in SHIPPED:
        if name in needed:
            # The environment as it is now, before any test changes os.environ.
            env = project_env(uv_only_bin(prefetch.scratch("uv-bin")) if uv else None)
            folder = prefetch.scratch(name)
            prefetch.submit(
                name, reproduced_from_clone, prefetch, folder, answers, env, after=after
            )
            after = prefetch.futures[name]


@pytest.fixture(scope="session")
def template_repo(request, repo_root: Path, tmp_path_factory) -> Path:
    """A git clone of this repository (working tree included), as a user generates from."""
    return prefetched(
        request.config,
        "template_repo",
        lambda: clone_working_tree(
            repo_root, tmp_path_factory.mktemp("clone") / "cookiecutter-mlops"
        ),
    )


def reproduced_project(template_repo: Path, folder: Path, answers: dict, env: dict) -> dict:
    """A project generated from a clone, after `make setup` and `make repro`: a trained model,
    metrics, plot data and figures.
    """
    path = generate("cookiecutter", template_repo, folder, answers)
    run(["make", "setup"], path, env)
    run(["make", "repro"], path, env)
    return {"path": path, "env": env, "module": path.name.replace("-", "_"), "slug": path.name}


def reproduced_from_clone(prefetch: Prefetch, folder: Path, answers: dict, env: dict) -> dict:
    """reproduced_project from the clone the prefetch made (its template_repo)."""
    return reproduced_project(prefetch.result("template_repo", None), folder, answers, env)


# The shipped projects: fixture name, answers, whether uv is on PATH.
SHIPPED = [
    ("shipped_project", {}, True),
    ("shipped_venv_project", {"project_name": "Venv Model", "env_manager": "venv"}, False),
]


def shipped(request, tmp_path_factory, template_repo: Path, name: str) -> dict:
    """The shipped project `name` (SHIPPED), made in the background since collection or now."""
    _, answers, uv = next(entry for entry in SHIPPED if entry[0] == name)

    def now() -> dict:
        env = project_env(uv_only_bin(tmp_path_factory.mktemp("uv-bin")) if uv else None)
        return reproduced_project(template_repo, tmp_path_factory.mktemp(name), answers, env)

    return prefetched(request.config, name, now)


@pytest.fixture(scope="session")
def shipped_project(request, template_repo, tmp_path_factory) -> dict:
    """The defaults (uv) after `make repro` (used by the plot, predict and image tests)."""
    return shipped(request, tmp_path_factory, template_repo, "shipped_project")


@pytest.fixture(scope="session")
def shipped_venv_project(request, template_repo, tmp_path_factory) -> dict:
    """A venv project after `make repro` (used by the image tests)."""
    return shipped(request, tmp_path_factory, template_repo, "shipped_venv_project")


@pytest.fixture(scope="session")
def package_mirror(template_wheelhouse, template_repo, tmp_path_factory, artifacts_dir):
    """A private package mirror on 127.0.0.1 holding exactly what generated projects install
    (tests/conftest.py: template_wheelhouse), and mlops-hygiene built from this checkout and
    published with twine (harness/mirror.py)."""
    scratch = tmp_path_factory.mktemp("mirror")
    log = artifacts_dir / "template-mirror.log"
    mirror = start_mirror(scratch / "uploads", [template_wheelhouse], log)
    try:
        publish(mirror, [build_toolkit_wheel(template_repo, scratch / "dist")])
        yield mirror
    finally:
        mirror.stop()
