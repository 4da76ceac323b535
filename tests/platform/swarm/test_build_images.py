"""platform/build-images: builds exactly the images the stack and the hub's menu name; bad options
fail clearly.
"""

import re
import subprocess
from pathlib import Path

import pytest

from tests.platform.swarm.stack import LOCAL_HUB_IMAGE

PLATFORM = Path(__file__).resolve().parents[3] / "platform"
BUILD_IMAGES = PLATFORM / "build-images"


def built_tags() -> set[str]:
    return set(re.findall(r'^\s+"([^"|]+)\|', BUILD_IMAGES.read_text(), flags=re.MULTILINE))


def test_builds_the_hub_image_of_the_test_stack_and_every_image_of_the_menu():
    hub_image = LOCAL_HUB_IMAGE  # what the Swarm tests deploy as HUB_IMAGE
    config = (PLATFORM / "hub" / "jupyterhub_config.py").read_text()
    menu = set(re.findall(r'^\s+"[^"]+": "(mlops/notebook-[^"]+)",$', config, flags=re.MULTILINE))
    assert menu, "no image menu found in jupyterhub_config.py"
    assert {t for t in built_tags() if t.startswith("mlops/")} == menu | {hub_image}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nope"], "unknown option --nope (see --help)"),
        (["--local", "--extra-ca", "/does/not/exist"], "--extra-ca /does/not/exist is not a file"),
        (["--extra-ca", "/etc/hostname"], "--extra-ca only applies with --local"),
        (["--build-arg"], "--build-arg needs NAME=VALUE"),
    ],
)
def test_bad_options_fail_with_one_line(args, message):
    result = subprocess.run([str(BUILD_IMAGES), *args], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == f"build-images: {message}"


def test_an_unreachable_engine_is_reported_before_building(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DOCKER": f"/usr/bin/docker --host unix://{tmp_path}/none.sock"}
    result = subprocess.run([str(BUILD_IMAGES)], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("build-images: cannot reach the Docker engine")
    assert "==>" not in result.stdout
