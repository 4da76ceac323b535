"""mlops-hygiene: convention checks for data-science repositories.

One set of checks (`mlops_hygiene.checks`) with three faces: the `mlops-hygiene` CLI, pre-commit
hooks (`.pre-commit-hooks.yaml`) and a repo-review plugin (`mlops_hygiene.repo_review_plugin`).
"""

__version__ = "0.1.0"
