"""Fixtures for the hygiene tests: projects built from `cases.CASES`, once per test session."""

from __future__ import annotations

import pytest

from .cases import CASES
from .project_builder import build_project


@pytest.fixture(scope="session")
def case_projects(tmp_path_factory) -> dict:
    """{case id: path} for every case, built once (each is a small committed git repository)."""
    base = tmp_path_factory.mktemp("cases")
    return {
        case.id: build_project(
            base / case.id, case.changes, use_git=case.use_git, force_add=case.force_add
        )
        for case in CASES
    }
