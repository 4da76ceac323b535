"""Every check, in report order.

A check is a small class in the repo-review style: `family`, optional `requires` (ids that must
pass first), a docstring describing it, and `check(hygiene_project)` returning True (pass), None
(not applicable), False (fail: the method's docstring is the message) or a failure message;
optionally `fix(hygiene_project)` returning the paths it changed.
"""

from . import (
    data,
    layout,
    locks,
    notebooks,
    package_index,
    pipeline,
    pipeline_lock,
    precommit,
    python_version,
    requirements,
    secrets,
)

ALL_CHECKS = {
    check.__name__: check
    for module in (
        layout,
        python_version,
        requirements,
        locks,
        notebooks,
        data,
        pipeline,
        pipeline_lock,
        secrets,
        precommit,
        package_index,
    )
    for check in module.CHECKS
}

FAMILIES = {
    "mlops-layout": {"name": "MLOps hygiene: layout", "order": 100},
    "mlops-python": {"name": "MLOps hygiene: Python version", "order": 101},
    "mlops-requirements": {"name": "MLOps hygiene: requirements", "order": 102},
    "mlops-notebooks": {"name": "MLOps hygiene: notebooks", "order": 103},
    "mlops-data": {"name": "MLOps hygiene: data", "order": 104},
    "mlops-dvc": {"name": "MLOps hygiene: DVC pipeline", "order": 105},
    "mlops-secrets": {"name": "MLOps hygiene: secrets", "order": 106},
    "mlops-pre-commit": {"name": "MLOps hygiene: pre-commit", "order": 107},
    "mlops-index": {"name": "MLOps hygiene: package index", "order": 108},
}
