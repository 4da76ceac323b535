"""cookiecutter works with the template given as a relative path too (its hooks find hooks/)."""

import subprocess

from tests.template.engines import BIN


def test_relative_template_path(template_dir, tmp_path):
    for answers, expected_rc in ((["module_name=json"], 1), (["ci=none"], 0)):
        out = tmp_path / f"out-{expected_rc}"
        result = subprocess.run(
            [str(BIN / "cookiecutter"), "--no-input", template_dir.name, "-o", str(out), *answers],
            cwd=template_dir.parent,
            capture_output=True,
            text=True,
        )
        assert result.returncode == expected_rc, result.stderr
        if expected_rc:
            assert "ERROR: module_name 'json'" in result.stderr
        else:
            assert (out / "my-ml-project/Makefile").exists()
            assert not (out / "my-ml-project/.gitlab-ci.yml").exists()
