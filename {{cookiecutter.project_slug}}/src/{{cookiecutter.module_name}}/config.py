"""Paths and parameters shared by every stage and notebook.

Paths are anchored at the project root, found from this file's location (the folder above it
that holds `params.yaml` and `dvc.yaml`), so the package works from the root, from `notebooks/`,
from `src/` and from any other working directory. Installed outside a project (a wheel in an
image), it uses the working directory.
"""

from pathlib import Path

import yaml

ROOT_MARKERS = ("params.yaml", "dvc.yaml")
# The label column of every data set. Here rather than in prepare.py, so that the stages that need
# only this name do not import scikit-learn with it.
TARGET = "target"


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above `start` with all ROOT_MARKERS, else the working directory."""
    for folder in (start, *start.parents):
        if all((folder / marker).is_file() for marker in ROOT_MARKERS):
            return folder
    return Path.cwd()


PROJECT_ROOT = find_project_root(Path(__file__).resolve().parent)
PARAMS_FILE = PROJECT_ROOT / "params.yaml"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
EXTERNAL_DIR = DATA_DIR / "external"
MODELS_DIR = PROJECT_ROOT / "models"
REPORTS_DIR = PROJECT_ROOT / "reports"
PLOTS_DIR = REPORTS_DIR / "plots"


def load_params(path: Path = PARAMS_FILE) -> dict:
    """All parameters in params.yaml: a top-level `seed` and one section per stage."""
    with open(path, encoding="utf-8") as file:
        params = yaml.safe_load(file)
    if not isinstance(params, dict):
        raise ValueError(f"{path} must hold a mapping of parameters, got {type(params).__name__}")
    return params
