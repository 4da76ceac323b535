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
        from .notebooks import stored_notebooks

        limit = hygiene_project.config.max_file_size_kb * 1024
        big = {}
        for path in hygiene_project.tracked_files:
            size = hygiene_project.tracked_size(path)
            if size is not None and size > limit:
                big[path] = size
        if any(path.endswith(".ipynb") for path in big):
            # A notebook the nbstripout filter cleans is stored stripped: judge what git stores.
            stored = stored_notebooks(hygiene_project)
            for path in stored.filtered & set(big):
                text = stored.texts.get(path)
                if text is not None and len(text.encode()) <= limit:
                    del big[path]
        if not big:
            return True
        too_big = [f"{path} ({size // 1024} KiB)" for path, size in big.items()]
        notebooks = [path for path in big if path.endswith(".ipynb")]
        advice = (
            f"Strip the outputs of notebook(s) {listing(notebooks)} first (`mlops-hygiene fix` or "
            "`nbstripout FILE`; outputs are most of a notebook's size), then check again. "
            if notebooks
            else ""
        )
        return (
            f"File(s) above {limit // 1024} KiB in git: {listing(too_big)}. {advice}Track data and "
            "models with DVC (`git rm --cached FILE && dvc add FILE`) or raise `max-file-size-kb` "
            "in `[tool.mlops-hygiene]`."
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
