"""Both engines refuse every bad answer with the same one-line message and leave nothing on disk."""

import pytest

from tests.template.engines import run_cookiecutter, run_copier
from tests.template.questions import CHOICE_FIELDS

# (answers, the field the message must name)
BAD_ANSWERS = [
    ({"project_slug": "team/project"}, "project_slug"),
    ({"project_slug": "../escape"}, "project_slug"),
    ({"project_slug": "My Project"}, "project_slug"),
    ({"project_slug": "2fast"}, "project_slug"),
    ({"project_name": "Reports/2024"}, "project_slug"),
    ({"module_name": "class"}, "module_name"),
    ({"module_name": "json"}, "module_name"),
    ({"module_name": "test"}, "module_name"),
    ({"project_name": "Import"}, "module_name"),
    ({"module_name": "my-module"}, "module_name"),
    ({"module_name": "pkg/sub"}, "module_name"),
    ({"module_name": "..pkg"}, "module_name"),
    ({"module_name": "../../victim"}, "module_name"),
    ({"project_slug": "z/../victim"}, "project_slug"),
    ({"project_slug": "x/../../y"}, "project_slug"),
    ({"module_name": "Model"}, "module_name"),
    ({"python_version": "3"}, "python_version"),
    ({"python_version": "3.x"}, "python_version"),
    ({"python_version": "2.7"}, "python_version"),
    ({"python_version": "3.9"}, "python_version"),
    ({"python_version": "3.10"}, "python_version"),
    ({"python_version": "3.11.2.1"}, "python_version"),
    ({"python_version": "python3.11"}, "python_version"),
    ({"package_index_url": "ftp://mirror.example.com/simple"}, "package_index_url"),
    ({"package_index_url": "nexus.example.com/simple"}, "package_index_url"),
    ({"package_index_url": "https://"}, "package_index_url"),
    ({"package_index_url": "https://nexus example.com/simple"}, "package_index_url"),
    ({"dvc_remote": "gs://bucket/dvc"}, "dvc_remote"),
    ({"dvc_remote": "relative/store"}, "dvc_remote"),
    ({"dvc_remote": "/srv/../etc"}, "dvc_remote"),
    ({"dvc_remote": "s3://"}, "dvc_remote"),
    ({"project_name": " "}, "project_name"),
    ({"description": 'A "quoted" word'}, "description"),
    ({"author_name": "Back\\slash"}, "author_name"),
]


def _message_line(output: str, field: str) -> str:
    lines = [line for line in output.splitlines() if f"{field} " in line and "ERROR" in line]
    assert lines, f"no line names {field}:\n{output}"
    return lines[-1]


@pytest.mark.parametrize(("answers", "field"), BAD_ANSWERS, ids=[repr(a) for a, _ in BAD_ANSWERS])
def test_refused_by_both_engines_with_the_same_line(template_dir, tmp_path, answers, field):
    cookiecutter_out = tmp_path / "cookiecutter"
    cookiecutter_out.mkdir()
    by_cookiecutter = run_cookiecutter(template_dir, cookiecutter_out, answers)
    assert by_cookiecutter.returncode != 0
    assert not any(cookiecutter_out.iterdir()), (
        f"cookiecutter left {list(cookiecutter_out.rglob('*'))}"
    )
    line = _message_line(by_cookiecutter.stderr, field)
    assert line.startswith(f"ERROR: {field} ")
    message = line.removeprefix("ERROR: ")

    copier_destination = tmp_path / "copier" / "project"
    by_copier = run_copier(template_dir, copier_destination, answers)
    assert by_copier.returncode != 0
    assert not (tmp_path / "copier").exists() or not any((tmp_path / "copier").rglob("*"))
    copier_line = by_copier.stderr.strip().splitlines()[-1]
    assert copier_line.endswith(f": {message}"), copier_line


def test_the_message_says_what_is_allowed(template_dir, tmp_path):
    result = run_cookiecutter(template_dir, tmp_path, {"python_version": "2.7"})
    assert "ERROR: python_version '2.7' is not valid; use 3.X or 3.X.Y" in result.stderr


@pytest.mark.parametrize("field", CHOICE_FIELDS)
def test_a_choice_outside_the_list_is_refused_by_the_engines(template_dir, tmp_path, field):
    """The engines check choices themselves; their last line names the field and the choices."""
    by_cookiecutter = run_cookiecutter(template_dir, tmp_path / "cookiecutter", {field: "other"})
    by_copier = run_copier(template_dir, tmp_path / "copier" / "project", {field: "other"})
    for result in (by_cookiecutter, by_copier):
        assert result.returncode != 0
        last_line = result.stderr.strip().splitlines()[-1]
        assert field in last_line
        assert "other" in last_line
    assert not any(tmp_path.rglob("*"))


# Answers that resolve onto a folder next to the output: cookiecutter used to create the project
# folder (`z/` too) before its hook refused the answer, then delete it, i.e. the existing `victim`.
PATH_ANSWERS = [
    {"project_slug": "z/../victim"},
    {"project_slug": "x/../../y"},
    {"project_slug": "/tmp/../victim"},
    {"module_name": "../../victim"},
    {"project_name": "z/../victim"},
]


@pytest.mark.parametrize("answers", PATH_ANSWERS, ids=[repr(a) for a in PATH_ANSWERS])
@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_a_path_answer_touches_nothing_on_disk(template_dir, tmp_path, engine, answers):
    output = tmp_path / "out"
    victim = output / "victim"
    victim.mkdir(parents=True)
    (victim / "thesis.tex").write_text("years of work\n")
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    if engine == "cookiecutter":
        result = run_cookiecutter(template_dir, output, answers)
    else:
        result = run_copier(template_dir, output / "project", answers)
    assert result.returncode != 0
    assert "ERROR" in result.stderr or "Validation error" in result.stderr, result.stderr
    assert (victim / "thesis.tex").read_text() == "years of work\n"
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before
