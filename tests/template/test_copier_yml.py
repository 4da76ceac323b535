"""copier.yml is generated from cookiecutter.json (tools/copier_yml.py): one list of questions."""

import importlib.util
import json
import subprocess
import sys

import yaml


def load_tool(repo_root):
    spec = importlib.util.spec_from_file_location("copier_yml", repo_root / "tools/copier_yml.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_copier_yml_is_up_to_date(repo_root):
    result = subprocess.run(
        [sys.executable, str(repo_root / "tools/copier_yml.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, "copier.yml is out of date: run python tools/copier_yml.py"


def test_copier_asks_what_cookiecutter_asks(repo_root):
    context = json.loads((repo_root / "cookiecutter.json").read_text())
    copier = yaml.safe_load((repo_root / "copier.yml").read_text())
    asked = [name for name in copier if not name.startswith("_") and name != "cookiecutter"]
    assert asked == [name for name in context if not name.startswith("_")]
    for name in asked:
        assert copier[name]["help"] == context["__prompts__"][name]
        if isinstance(context[name], list):
            assert copier[name]["choices"] == context[name]
            assert copier[name]["default"] == context[name][0]


def test_a_new_option_reaches_copier_yml_and_a_stale_file_is_reported(repo_root, tmp_path):
    tool = load_tool(repo_root)
    context = json.loads((repo_root / "cookiecutter.json").read_text())
    context["license"] = [*context["license"], "MPL-2.0"]
    context["tracker"] = ["none", "mlflow"]
    context["__prompts__"]["tracker"] = "Experiment tracker"
    written = yaml.safe_load(tool.copier_yml(context))
    assert written["license"]["choices"][-1] == "MPL-2.0"
    assert written["tracker"] == {
        "type": "str",
        "help": "Experiment tracker",
        "choices": ["none", "mlflow"],
        "default": "none",
    }
    assert '"tracker": tracker' in written["cookiecutter"]["default"]

    tool.COOKIECUTTER_JSON = tmp_path / "cookiecutter.json"
    tool.COPIER_YML = tmp_path / "copier.yml"
    tool.COOKIECUTTER_JSON.write_text(json.dumps(context))
    tool.COPIER_YML.write_text((repo_root / "copier.yml").read_text())
    assert tool.main(["--check"]) == 1
    assert tool.main([]) == 0
    assert tool.main(["--check"]) == 0
