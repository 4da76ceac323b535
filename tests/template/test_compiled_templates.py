"""cookiecutter keeps what Jinja compiled of the template's files for the next generation
(hooks/answer_rules.py, `CompiledTemplates`), as Python keeps byte code: the cache never changes
what is generated, a changed file is compiled again, a broken entry is compiled again, and nothing
is written where Python writes no byte code."""

import filecmp
import os
from pathlib import Path

from tests.template.engines import copy_template, generate, project_files


def cache_env(cache_home: Path, write_bytecode: bool = True) -> dict:
    env = os.environ | {"XDG_CACHE_HOME": str(cache_home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def entries(cache_home: Path) -> list[Path]:
    folder = cache_home / "cookiecutter-mlops" / "jinja"
    return sorted(folder.iterdir()) if folder.exists() else []


def same_tree(first: Path, second: Path) -> bool:
    files = project_files(first)
    if files != project_files(second):
        return False
    _, mismatch, errors = filecmp.cmpfiles(first, second, sorted(files), shallow=False)
    return not mismatch and not errors


def test_a_second_generation_reads_the_cache_and_writes_the_same_project(template_dir, tmp_path):
    env = cache_env(tmp_path / "cache")
    first = generate("cookiecutter", template_dir, tmp_path / "first", {}, env)
    written = entries(tmp_path / "cache")
    # The project's files and hooks/validators.jinja and pruned_paths.jinja.
    assert len(written) > 20
    assert not [path for path in written if path.name.endswith(".partial")]
    stamps = {path: path.stat().st_mtime_ns for path in written}
    second = generate("cookiecutter", template_dir, tmp_path / "second", {}, env)
    assert same_tree(first, second)
    assert {path: path.stat().st_mtime_ns for path in entries(tmp_path / "cache")} == stamps


def test_a_changed_template_file_is_compiled_again(repo_root, tmp_path):
    env = cache_env(tmp_path / "cache")
    template = copy_template(repo_root, tmp_path / "template")
    generate("cookiecutter", template, tmp_path / "first", {}, env)
    # The same name and path as the cached entry, another source (its checksum differs).
    makefile = template / "{{cookiecutter.project_slug}}" / "Makefile"
    makefile.write_text(makefile.read_text() + "# changed: {{ cookiecutter.module_name }}\n")
    project = generate("cookiecutter", template, tmp_path / "second", {}, env)
    assert (project / "Makefile").read_text().endswith("# changed: my_ml_project\n")


def test_a_broken_cache_entry_is_compiled_again(template_dir, tmp_path):
    env = cache_env(tmp_path / "cache")
    first = generate("cookiecutter", template_dir, tmp_path / "first", {}, env)
    for path in entries(tmp_path / "cache"):
        path.write_bytes(path.read_bytes()[:40])  # cut inside the header: magic, then checksum
    second = generate("cookiecutter", template_dir, tmp_path / "second", {}, env)
    assert same_tree(first, second)


def test_nothing_is_written_without_byte_code(template_dir, tmp_path):
    env = cache_env(tmp_path / "cache", write_bytecode=False)
    generate("cookiecutter", template_dir, tmp_path / "out", {}, env)
    assert entries(tmp_path / "cache") == []
