"""platform/settings.toml is the one list of the platform's variables: what derives from it is up
to date (tools/platform_settings.py), and it agrees with the code that reads the variables."""

import ast
import importlib.util
import json
import re
import subprocess
import sys

import pytest
import tomllib
import yaml

from harness.stack_config import PLATFORM, SITE, stack_config

REPO_ROOT = PLATFORM.parent
SETTINGS = tomllib.loads((PLATFORM / "settings.toml").read_text())
FIELDS = {
    "description",
    "default",
    "default_text",
    "hub",
    "site",
    "required",
    "swarm",
    "not_on_swarm",
    "set_by_deploy",
    "services",
    "example",
    "example_commented",
    "example_comment",
}
# The functions of jupyterhub_config.py that read a variable, its name their first argument.
READERS = {"env", "env_choice", "env_number", "env_size", "env_list", "env_bool", "read_secret"}


def load_tool():
    path = REPO_ROOT / "tools" / "platform_settings.py"
    spec = importlib.util.spec_from_file_location("platform_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared(field: str) -> set:
    return {name for name, setting in SETTINGS.items() if setting.get(field)}


def hub_config_reads() -> dict:
    """{variable: the literal default it is read with, or None} of jupyterhub_config.py."""
    tree = ast.parse((PLATFORM / "hub" / "jupyterhub_config.py").read_text())
    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in READERS):
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue  # the helpers' own bodies: env(name, ...)
        position = 2 if node.func.id == "env_choice" else 1
        default = node.args[position] if len(node.args) > position else None
        if node.func.id == "env_bool" and default is None:
            default = ast.Constant("false")
        literal = default.value if isinstance(default, ast.Constant) else None
        if found.get(first.value) is None:
            found[first.value] = literal
    return found


def test_the_generated_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "platform_settings.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_is_described_with_known_fields_and_one_source_on_swarm():
    for name, setting in SETTINGS.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), name
        assert set(setting) <= FIELDS, (name, set(setting) - FIELDS)
        assert setting["description"].strip(), name
        assert setting.get("site") or setting.get("hub") or setting.get("set_by_deploy"), name
        if setting.get("hub"):
            sources = [key for key in ("site", "swarm", "not_on_swarm") if setting.get(key)]
            assert len(sources) == 1, (name, sources)
        if setting.get("required"):
            assert setting.get("site"), name
            assert "default" not in setting, name


def test_the_hub_config_reads_exactly_the_declared_hub_variables():
    assert set(hub_config_reads()) == declared("hub")


def test_the_hub_config_defaults_agree_with_the_declaration():
    """A default the README shows (and the stack passes) is the one the hub falls back to."""
    for name, literal in hub_config_reads().items():
        default = SETTINGS[name].get("default", "")
        if literal is None or default == "":
            continue
        if isinstance(literal, (int, float)):
            assert float(default) == literal, name
        else:
            assert default == literal, name


def test_the_hub_gets_on_swarm_exactly_the_declared_variables():
    result = stack_config(SITE)
    assert result.returncode == 0, result.stderr
    passed = set(yaml.safe_load(result.stdout)["services"]["hub"]["environment"])
    assert passed == declared("hub") - declared("not_on_swarm")


def test_every_variable_of_stack_yml_is_declared_with_its_default():
    """The hand-written parts of stack.yml too (logging, ports, volumes, secrets)."""
    lines = (PLATFORM / "stack.yml").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    allowed = declared("site") | declared("set_by_deploy")
    for name, operator, rest in re.findall(r"\$\{([A-Z][A-Z0-9_]*)(:[-?])?([^}]*)\}", text):
        assert name in allowed, f"stack.yml reads {name}, not a site setting of settings.toml"
        setting = SETTINGS[name]
        if operator == ":-":
            assert rest == setting.get("default", ""), name
        elif operator == ":?":
            assert setting.get("required"), name


def test_every_site_setting_is_used_by_the_stack_or_the_deploy_tool():
    stack = (PLATFORM / "stack.yml").read_text()
    deploy = (PLATFORM / "deploy").read_text()
    for name in declared("site") | declared("set_by_deploy"):
        assert f"${{{name}" in stack or f'"{name}"' in deploy, name


def test_the_declared_services_are_those_whose_definition_uses_the_setting():
    tool = load_tool()
    services = yaml.safe_load((PLATFORM / "stack.yml").read_text())["services"]
    for name, setting in SETTINGS.items():
        if not (setting.get("site") or setting.get("set_by_deploy")):
            continue
        using = [
            service
            for service, definition in services.items()
            if re.search(rf"\$\{{{name}\b", json.dumps(definition))
        ]
        assert using == tool.services(setting), name


@pytest.mark.parametrize("overlay", ["stack.test.yml", "stack.multinode.yml"])
def test_the_test_overlays_set_only_declared_hub_variables(overlay):
    environment = yaml.safe_load((PLATFORM / overlay).read_text())["services"]["hub"]["environment"]
    assert set(environment) - {"PYTHONPATH"} <= declared("hub")  # PYTHONPATH: Python's own


def test_a_new_setting_reaches_every_generated_file():
    tool = load_tool()
    settings = {
        **SETTINGS,
        "NEW_KNOB": {"hub": True, "site": True, "default": "7", "description": "A new knob."},
    }
    files = tool.wanted_files(settings)
    assert "      NEW_KNOB: ${NEW_KNOB:-7}\n" in files[tool.STACK]
    assert "\n# NEW_KNOB=7\n" in files[tool.ENV_EXAMPLE]
    assert "| `NEW_KNOB` | `7` | platform.env | A new knob. |" in files[tool.README]
    current = {path: path.read_text() for path in files}
    assert [path for path in files if files[path] != current[path]] == list(files)
