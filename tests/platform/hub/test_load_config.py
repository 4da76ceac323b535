"""platform/hub/load_config.py loads the hub configuration with the environment the stack gives
the hub. Loading and its one-line errors are tested through `platform/deploy check`
(tests/platform/test_deploy.py), which runs it; here, the case check reports as skipped."""

import subprocess
import sys

from harness.stack_config import PLATFORM


def test_without_jupyterhub_it_says_so_and_exits_3(tmp_path):
    """-S: no site-packages, so neither JupyterHub nor PyYAML."""
    loader = PLATFORM / "hub" / "load_config.py"
    result = subprocess.run(
        [sys.executable, "-S", str(loader), str(PLATFORM / "hub" / "jupyterhub_config.py")],
        input="",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3
    assert result.stderr.endswith("is not installed here\n")
