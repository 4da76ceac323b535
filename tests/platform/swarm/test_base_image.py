"""The local stand-in images of platform/base-image/ pass hadolint like the platform's own."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_IMAGE = Path(__file__).resolve().parents[3] / "platform" / "base-image"


@pytest.mark.parametrize("dockerfile", sorted(BASE_IMAGE.glob("*Dockerfile")), ids=lambda p: p.name)
def test_hadolint(dockerfile):
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or "hadolint"
    result = subprocess.run([hadolint, str(dockerfile)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", [*sorted(BASE_IMAGE.glob("*.sh")), BASE_IMAGE / "build-rootfs"])
def test_scripts_are_valid_bash(script):
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
