"""platform/build-images: builds exactly the images the stack and the hub's menu name; bad options
fail clearly.
"""

import re
import subprocess
from pathlib import Path

import pytest

from harness.stack import LOCAL_HUB_IMAGE

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
        (["--secret"], "--secret needs id=ID,src=FILE"),
        (
            ["--secret", "id=token,src=/etc/hostname"],
            "--secret id=token,src=/etc/hostname: use id=netrc,src=FILE or id=ca_bundle,src=FILE",
        ),
        (["--secret", "id=netrc,src=/does/not/exist"], "--secret /does/not/exist is not a file"),
        (
            ["--build-arg", "PACKAGE_INDEX_URL=https://me:s3cret@nexus.example.org/simple"],
            "--build-arg PACKAGE_INDEX_URL: no credentials in URLs (they would stay in the image "
            "history; use --secret id=netrc,src=FILE)",
        ),
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


@pytest.mark.swarm
@pytest.mark.parametrize(
    ("folder", "argument", "base"),
    [
        ("images", "PACKAGE_INDEX_URL", "mlops-local/base-notebook:bookworm"),
        ("hub", "PACKAGE_INDEX_URL", "mlops-local/jupyterhub:6.1.1"),
    ],
)
def test_an_index_url_with_credentials_never_reaches_an_image(
    docker_engine, platform_images, folder, argument, base
):
    """A direct `docker build` (not through build-images) with a password in the index URL: the
    build stops, and no image the engine holds (intermediate ones included) has it in its history
    or configuration. The index stand-in address answers nothing: the build must stop before use.
    """
    password = "s3cret-Token-42"
    build = docker_engine.docker(
        "build",
        "--force-rm",
        "--network",
        "host",
        "-t",
        "mlops-test/credentials:1",
        "--build-arg",
        f"BASE_IMAGE={base}",
        "--build-arg",
        f"{argument}=http://builder:{password}@127.0.0.1:9/simple",
        str(PLATFORM / folder),
        check=False,
        timeout=300,
        env={"DOCKER_BUILDKIT": "1"},
    )
    assert build.returncode != 0
    assert f"{argument} must not contain credentials" in build.stdout + build.stderr
    images = set(docker_engine.docker("image", "ls", "--all", "--quiet").stdout.split())
    for image in images:
        history = docker_engine.docker("history", "--no-trunc", image).stdout
        config = docker_engine.docker("image", "inspect", image).stdout
        assert password not in history + config, image
