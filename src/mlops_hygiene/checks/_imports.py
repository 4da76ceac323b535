"""Which project files a Python script imports, found statically (the script is never run).

Follows `import a.b`, `from a.b import c` and relative imports, inside the functions too, and
then the imports of the modules found, transitively. A module counts when it resolves to a file of
the project under one of the search roots; everything else (the standard library, installed
packages) is not the project's. A package's `__init__.py` counts only when it holds code (most are
empty or only a docstring).
"""

from __future__ import annotations

import ast
import posixpath

from ..project import Project


def module_file(project: Project, root: str, module: str) -> str | None:
    """The file of `module` under `root` (`a/b.py` or `a/b/__init__.py`), or None."""
    base = posixpath.normpath(posixpath.join(root, *module.split(".")))
    for candidate in (base + ".py", posixpath.join(base, "__init__.py")):
        if project.is_file(candidate):
            return candidate
    return None


def _parse(project: Project, path: str) -> ast.Module | None:
    text = project.read_text(path)
    if text is None:
        return None
    try:
        return ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return None


def _holds_code(tree: ast.Module) -> bool:
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return bool(body)


def _imported_names(tree: ast.Module, path: str) -> tuple[list[str], list[str]]:
    """(absolute module names, folder-relative module paths) the file may import."""
    absolute, relative = [], []
    package_dir = posixpath.dirname(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                absolute += [".".join(parts[: i + 1]) for i in range(len(parts))]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names if alias.name != "*"]
            if node.level == 0 and node.module:
                parts = node.module.split(".")
                absolute += [".".join(parts[: i + 1]) for i in range(len(parts))]
                absolute += [f"{node.module}.{name}" for name in names]
            elif node.level > 0:
                base = package_dir
                for _ in range(node.level - 1):
                    base = posixpath.dirname(base)
                module_parts = node.module.split(".") if node.module else []
                target = posixpath.join(base, *module_parts) if module_parts else base
                relative.append(target)
                relative += [posixpath.join(target, name) for name in names]
    return absolute, relative


def _relative_file(project: Project, target: str) -> str | None:
    target = posixpath.normpath(target)
    for candidate in (target + ".py", posixpath.join(target, "__init__.py")):
        if project.is_file(candidate):
            return candidate
    return None


def project_imports(project: Project, script: str, roots: list[str]) -> list[str]:
    """The project files `script` imports, directly or through other project modules, sorted."""
    found: set[str] = set()
    queue = [script]
    seen = {script}
    while queue:
        path = queue.pop()
        tree = _parse(project, path)
        if tree is None:
            continue
        absolute, relative = _imported_names(tree, path)
        files = [module_file_in_roots(project, roots, name) for name in absolute]
        files += [_relative_file(project, target) for target in relative]
        for file in files:
            if file is None or file in seen:
                continue
            seen.add(file)
            queue.append(file)
            if not file.endswith("__init__.py"):
                found.add(file)
            else:
                init = _parse(project, file)
                if init is not None and _holds_code(init):
                    found.add(file)
    found.discard(script)
    return sorted(found)


def module_file_in_roots(project: Project, roots: list[str], module: str) -> str | None:
    for root in roots:
        found = module_file(project, root, module)
        if found:
            return found
    return None
