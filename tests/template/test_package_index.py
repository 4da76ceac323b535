"""`make setup` installs from the project's package_index_url (uv.toml for uv, pip.conf for venv).

The index here is a closed port on 127.0.0.1, so setup must fail and name it: proof that the
project's own config, not the machine's, chose the index. The projects in
test_generated_projects.py show that installs from the default index work.
"""

import subprocess

import pytest

from tests.template.engines import generate
from tests.template.project_commands import project_env, uv_only_bin
from tests.template.questions import choices

pytestmark = pytest.mark.slow

UNREACHABLE_INDEX = "http://127.0.0.1:9/simple"


@pytest.mark.parametrize("env_manager", choices("env_manager"))
def test_setup_uses_the_projects_index(env_manager, template_dir, tmp_path):
    answers = {"env_manager": env_manager, "package_index_url": UNREACHABLE_INDEX}
    project = generate("cookiecutter", template_dir, tmp_path, answers)
    env = {
        **project_env(uv_only_bin(tmp_path / "uv-bin")),
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "5",
        "UV_HTTP_RETRIES": "0",
    }
    result = subprocess.run(
        ["make", "setup"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "127.0.0.1:9" in output, output
