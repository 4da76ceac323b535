"""Answer sets: every combination of the options that interact, cycling through the others.

env_manager, ci and include_example_pipeline change which files exist and what the Makefile and CI
do, so every combination is generated; license, python_version, package_index_url, dvc_remote and
the names only change text, so they cycle (cookiecutter-data-science's approach).
"""

import itertools

from tests.template.questions import choices

INTERACTING = {
    "env_manager": choices("env_manager"),
    "ci": choices("ci"),
    "include_example_pipeline": [True, False],
}
CYCLED = {
    "license": choices("license"),
    "python_version": ["3.11", "3.12.1", "3.13"],
    "package_index_url": ["", "https://nexus.example.com/repository/pypi/simple"],
    "dvc_remote": [
        "none",
        "/srv/dvc-store",
        "s3://team-bucket/dvc",
        "ssh://dvc@storage.example.com/srv/dvc",
    ],
    "project_name": ["Churn Model", "fraud detection v2", "Q3 Forecast"],
}


def answer_sets() -> list[dict]:
    keys = list(INTERACTING)
    combinations = itertools.product(*INTERACTING.values())
    sets = []
    for index, values in enumerate(combinations):
        answers = dict(zip(keys, values, strict=True))
        for key, options in CYCLED.items():
            answers[key] = options[index % len(options)]
        sets.append(answers)
    return sets


def answer_set_id(answers: dict) -> str:
    example = "example" if answers["include_example_pipeline"] else "no-example"
    return f"{answers['env_manager']}-{answers['ci']}-{example}"


def derived_names(answers: dict) -> tuple[str, str]:
    """project_slug and module_name as the template derives them from project_name."""
    slug = answers.get("project_slug") or answers["project_name"].lower().strip().replace(" ", "-")
    module = answers.get("module_name") or slug.replace("-", "_")
    return slug, module


def expected_files(answers: dict) -> set[str]:
    """The exact file set for these answers (written out here, not read from hooks/)."""
    _, module = derived_names(answers)
    files = {
        ".dvc/.gitignore",
        ".dvc/config",
        ".dvc/offline-plots.html",
        ".dvcignore",
        ".gitattributes",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".python-version",
        "LICENSE",
        "Makefile",
        "README.md",
        "data/external/.gitignore",
        "data/interim/.gitignore",
        "data/processed/.gitignore",
        "data/raw/.gitignore",
        "dvc.yaml",
        "models/.gitignore",
        "notebooks/00-example-explore-dataset.ipynb",
        "params.yaml",
        "pyproject.toml",
        "references/README.md",
        "reports/figures/README.md",
        f"src/{module}/__init__.py",
        f"src/{module}/config.py",
        "tests/test_config.py",
    }
    if answers["include_example_pipeline"]:
        files |= {
            f"src/{module}/{stage}.py" for stage in ("prepare", "features", "train", "evaluate")
        }
        files |= {"tests/test_prepare.py", "tests/test_features.py", "tests/test_train_evaluate.py"}
        files |= {f"src/{module}/figures.py", f"src/{module}/predict.py"}
        files |= {"tests/test_figures.py", "tests/test_predict.py", "Dockerfile", ".dockerignore"}
    if answers["ci"] == "github":
        files.add(".github/workflows/ci.yml")
    if answers["ci"] == "gitlab":
        files.add(".gitlab-ci.yml")
    if answers["env_manager"] == "venv":
        files |= {"requirements.txt", "requirements-dev.txt"}
    if answers["package_index_url"]:
        files.add("uv.toml" if answers["env_manager"] == "uv" else "pip.conf")
    return files
