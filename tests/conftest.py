"""Shared test settings: offline-friendly, artifacts for people in test-artifacts/, and the
session's one private Docker engine (the Swarm tests and the model image tests share it and its
images).

As soon as the tests are collected, what the session will need and takes minutes starts in the
background: the engine and the platform's image build (harness/engine_in_background.py), the
wheelhouses of the package mirrors (harness/prefetch.py; tests/template/conftest.py adds the
shipped projects). The tests collected first need none of them, and these overlap with them
instead of delaying the first test that needs them.
"""

import os
from pathlib import Path

import pytest

from harness.engine import running_engine
from harness.engine_in_background import EngineInBackground
from harness.images import build_platform_images, image_requirements
from harness.mirror import wheelhouse
from harness.prefetch import Prefetch
from tests.template.mirror_contents import template_requirements

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

# Set to a folder to keep dockerd's data root (and so the built images and their layer cache)
# between runs while developing; by default everything lives in a temporary folder removed at the
# end of the session.
KEEP_DATA_ROOT_ENV = "SWARM_TEST_DATA_ROOT"

os.environ.setdefault("DVC_NO_ANALYTICS", "1")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save things a person may want to look at (screenshots, logs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


PLATFORM_IMAGES_LOG = "swarm-build-images.log"
EARLY_ENGINE = pytest.StashKey[EngineInBackground]()
PREFETCH = pytest.StashKey[Prefetch]()


def pytest_collection_finish(session):
    """Start now, in the background, the slow preparations that collected tests need (the template
    tests' conftest.py adds its own)."""
    if session.config.option.collectonly:
        return
    needed = set().union(*(item.fixturenames for item in session.items))
    if "platform_images" in needed:
        session.config.stash[EARLY_ENGINE] = EngineInBackground(
            running_engine("the swarm tests", KEEP_DATA_ROOT_ENV), build_into
        )
    prefetch = session.config.stash[PREFETCH] = Prefetch()
    if "images_wheelhouse" in needed:
        images = image_requirements(REPO_ROOT)
        folder = prefetch.scratch("wheelhouse")
        prefetch.submit("images_wheelhouse", wheelhouse, "images", images, folder, universal=False)
    if "template_wheelhouse" in needed:
        template = template_requirements(REPO_ROOT)
        folder = prefetch.scratch("wheelhouse")
        prefetch.submit("template_wheelhouse", wheelhouse, "template", template, folder)


@pytest.hookimpl(trylast=True)  # after the fixtures' teardown (pytest's runner hook does it)
def pytest_sessionfinish(session):
    """Stop a background engine no fixture took over (the session ended before any test used it),
    wait for the preparations under way and remove what they made."""
    prefetch = session.config.stash.get(PREFETCH, None)
    if prefetch is not None:
        prefetch.close()
    early = session.config.stash.get(EARLY_ENGINE, None)
    if early is not None:
        early.stop()


def early_engine(config) -> EngineInBackground | None:
    return config.stash.get(EARLY_ENGINE, None)


def prefetch_of(config) -> Prefetch | None:
    return config.stash.get(PREFETCH, None)


def prefetched(config, name: str, otherwise):
    """What the fixture `name` prepared in the background since collection, or `otherwise()`."""
    prefetch = prefetch_of(config)
    return prefetch.result(name, otherwise) if prefetch is not None else otherwise()


def build_into(engine) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    build_platform_images(engine, REPO_ROOT, ARTIFACTS / PLATFORM_IMAGES_LOG)


@pytest.fixture(scope="session")
def docker_engine(request):
    """A private dockerd, started on first use (or in the background after collection) and stopped
    at the end of the session."""
    early = early_engine(request.config)
    if early is None:
        try:
            yield from running_engine("the swarm tests", KEEP_DATA_ROOT_ENV)
        except RuntimeError as error:
            pytest.fail(str(error))
        return
    try:
        engine = early.engine.result()
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield engine
    finally:
        early.stop()


@pytest.fixture(scope="session")
def template_wheelhouse(request, tmp_path_factory) -> Path:
    """What a generated project installs (both env managers): the wheels of the package mirrors
    that stand in for a site's index, downloaded once per session, in the background since
    collection (or kept between runs in MIRROR_WHEELHOUSE_ROOT)."""
    return prefetched(
        request.config,
        "template_wheelhouse",
        lambda: wheelhouse(
            "template",
            template_requirements(REPO_ROOT),
            tmp_path_factory.mktemp("template-wheelhouse"),
        ),
    )
