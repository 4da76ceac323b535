"""A generated project works with a private package mirror as its only route to packages.

The mirror is a real pypiserver on 127.0.0.1 (harness/mirror.py) with exactly what the template
needs; every other route is closed while the project runs (no machine pip or uv configuration, no
PIP_*/UV_* variables, proxies at a closed port for anything but 127.0.0.1), so a request to the
public index fails the test. uv is not on PATH: `make setup` installs it from the mirror too.
"""

import re
import subprocess

import pytest

from harness.mirror import airgapped_env
from tests.template.engines import generate
from tests.template.project_commands import (
    commit_everything,
    git_status,
    project_env,
    run,
    uv_only_bin,
)
from tests.template.questions import choices

pytestmark = pytest.mark.slow

MISSING = "airgap-not-on-the-mirror"


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_a_project_works_from_the_mirror_alone(env_manager, package_mirror, template_dir, tmp_path):
    answers = {
        "project_name": f"Airgapped {env_manager}",
        "env_manager": env_manager,
        "package_index_url": package_mirror.url,
    }
    project = generate("cookiecutter", template_dir, tmp_path, answers)
    env = airgapped_env(project_env(), tmp_path / "airgap")

    run(["make", "setup"], project, env)
    run(["make", "repro"], project, env)
    assert (project / "reports/metrics.json").is_file()
    assert " passed" in run(["make", "test"], project, env)
    locks = ["uv.lock"] if env_manager == "uv" else ["requirements.lock", "requirements-dev.lock"]
    before = {lock: (project / lock).read_text() for lock in locks}
    run(["make", "lock"], project, env)
    assert {lock: (project / lock).read_text() for lock in locks} == before
    commit_everything(project, env, "First commit, through every hook")
    assert git_status(project) == ""

    if env_manager == "uv":
        assert (project / ".tools/bin/uv").is_file()  # uv itself came from the mirror
        registries = set(re.findall(r'registry = "([^"]+)"', before["uv.lock"]))
        assert registries == {package_mirror.url}
    else:
        # `.venv/bin/pip` used directly also installs from the mirror (.venv/pip.conf).
        config = subprocess.run(
            [project / ".venv/bin/pip", "config", "list"], env=env, capture_output=True, text=True
        ).stdout
        assert package_mirror.url in config
    assert "mlops_hygiene-0.1.0-py3-none-any.whl" in package_mirror.requests()


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_a_package_missing_on_the_mirror_is_named_with_the_mirror(
    env_manager, package_mirror, template_dir, tmp_path
):
    answers = {"env_manager": env_manager, "package_index_url": package_mirror.url}
    project = generate("cookiecutter", template_dir, tmp_path, answers)
    if env_manager == "uv":
        pyproject = project / "pyproject.toml"
        declared = pyproject.read_text()
        added = f'dependencies = [\n  "{MISSING}>=1",'
        pyproject.write_text(declared.replace("dependencies = [", added, 1))
    else:
        with open(project / "requirements.txt", "a") as requirements:
            requirements.write(f"{MISSING}>=1\n")
    # uv on PATH: installing uv from the mirror is the other test's (it takes a while).
    env = airgapped_env(project_env(uv_only_bin(tmp_path / "uv-bin")), tmp_path / "airgap")

    result = subprocess.run(
        ["make", "setup"], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )

    assert result.returncode != 0
    assert MISSING in result.stderr + result.stdout
    said = [line for line in result.stderr.splitlines() if line.startswith("Installing or locking")]
    assert said, result.stderr
    expected = "Installing or locking failed: packages come only from the package index"
    assert said[0].startswith(f"{expected} {package_mirror.url}"), said
    assert not (project / "uv.lock").exists()
    assert not (project / "requirements.lock").exists()
