"""Paths and parameters shared by every stage.

Stages run from the project root (`dvc repro` and `make` do so), so paths are relative to it.
"""

from pathlib import Path

import yaml

PARAMS_FILE = Path("params.yaml")
DATA_DIR = Path("data")
RAW_DIR = DATA_DIR / "raw"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
EXTERNAL_DIR = DATA_DIR / "external"
MODELS_DIR = Path("models")
REPORTS_DIR = Path("reports")
PLOTS_DIR = REPORTS_DIR / "plots"


def load_params(path: Path = PARAMS_FILE) -> dict:
    """All parameters in params.yaml: a top-level `seed` and one section per stage."""
    with open(path, encoding="utf-8") as file:
        params = yaml.safe_load(file)
    if not isinstance(params, dict):
        raise ValueError(f"{path} must hold a mapping of parameters, got {type(params).__name__}")
    return params
