"""Data: large files and data sets belong in DVC, not in git history."""

from __future__ import annotations

from ..project import Project
from ._base import docs_url, listing

FAMILY = "mlops-data"
# Files git may keep inside a data folder: placeholders, ignore rules, notes and DVC's pointer
# files.
ALLOWED_IN_DATA = (".gitkeep", ".gitignore", "README.md")


class MH040:
    "No file above the size limit (`max-file-size-kb`, 1024 by default) is committed to git"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH040")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        limit_kb = hygiene_project.config.max_file_size_kb
        too_big = []
        for path in hygiene_project.tracked_files:
            file = hygiene_project.path(path)
            if file.is_file() and not file.is_symlink() and file.stat().st_size > limit_kb * 1024:
                too_big.append(f"{path} ({file.stat().st_size // 1024} KiB)")
        if not too_big:
            return True
        return (
            f"File(s) above {limit_kb} KiB in git: {listing(too_big)}. Track them with DVC "
            "(`git rm --cached FILE && dvc add FILE`) or raise `max-file-size-kb` in "
            "`[tool.mlops-hygiene]`."
        )


def _in_data_folder(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder.rstrip("/") + "/") for folder in folders)


class MH041:
    "Files under `data/` are tracked by DVC, not by git"

    family = FAMILY
    requires = frozenset({"MH001"})
    url = docs_url("MH041")

    @staticmethod
    def check(hygiene_project: Project) -> bool | str:
        folders = hygiene_project.config.data_folders
        in_git = [
            path
            for path in hygiene_project.tracked_files
            if _in_data_folder(path, folders)
            and not path.endswith(".dvc")
            and path.rsplit("/", 1)[-1] not in ALLOWED_IN_DATA
        ]
        if not in_git:
            return True
        return (
            f"Data file(s) in git instead of DVC: {listing(in_git)}. Run "
            "`git rm --cached FILE && dvc add FILE` (or make them outputs of a `dvc.yaml` stage)."
        )


CHECKS = [MH040, MH041]
