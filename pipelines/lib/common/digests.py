"""Digests of the code and reference tables that shape a result, for keying a cache or a skip.

A result kept because "nothing changed" must be rebuilt when anything that shapes it changes: the
module that computes it, every `pipelines` module it imports (transitively, read from the import
statements, so a new import is covered without anyone updating a list) and every reference table
under pipelines/reference/ that one of those modules names. Only content and project-relative paths
go in, so the same checkout gives the same digest on every machine (a shared extraction cache).
"""
from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE = __name__.split(".")[0]                          # "pipelines"
PACKAGE_DIR = Path(__file__).resolve().parents[2]         # .../pipelines
REFERENCE_DIR = PACKAGE_DIR / "reference"


def _module_file(name: str) -> Path | None:
    """The file of module `name` (a module or a package's __init__) inside this package, if any."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _with_parents(name: str) -> list[str]:
    """'a.b.c' -> ['a', 'a.b', 'a.b.c']: importing a module runs its packages' __init__ first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_DIR).with_suffix("")
    parts = [PACKAGE, *relative.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _scan(path: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    """(modules of this package the file imports, its string constants); parsed once per version."""
    stat = path.stat()
    return _scan_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _scan_version(path: Path, mtime_ns: int, size: int) -> tuple[frozenset[str], tuple[str, ...]]:
    tree = ast.parse(path.read_bytes(), filename=str(path))
    strings = tuple(node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str))
    return frozenset(_imported(path, tree)), strings


def _imported(path: Path, tree: ast.AST) -> set[str]:
    """Every module name an import statement in the file names (top level or inside a function,
    since a deferred import shapes the result as much), `from x import y` giving both x and x.y."""
    try:
        own = _module_name(path)
    except ValueError:       # a file outside the package: only its absolute imports can be read
        own = ""
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return {n for n in names if n.split(".")[0] == PACKAGE}


def closure(*roots: str) -> list[Path]:
    """The files of `roots` (module names) and of every module of this package they import,
    transitively, with the packages' __init__ files; sorted."""
    seen: set[Path] = set()
    todo = [n for root in roots for n in _with_parents(root)]
    while todo:
        path = _module_file(todo.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        for name in _scan(path)[0]:
            todo.extend(_with_parents(name))
    return sorted(seen)


@lru_cache(maxsize=1)
def _reference_names() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in REFERENCE_DIR.iterdir() if p.is_file() and p.suffix != ".py"))


def reference_files(sources: Iterable[Path]) -> list[Path]:
    """The reference tables (files of pipelines/reference/) whose name appears in a string of one of
    the `sources`: how code reads them (`REFERENCE / "coins.csv"`, `.joinpath("coins.csv")`). A name
    only mentioned in a docstring is included too: a needless rebuild, never a stale result."""
    text = "\n".join(s for path in sources if path.suffix == ".py" for s in _scan(path)[1])
    return [REFERENCE_DIR / name for name in _reference_names()
            if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text)]


def _relative_name(path: Path) -> str:
    """The path from the project folder (the package's parent), or the bare name outside it."""
    try:
        return path.resolve().relative_to(PACKAGE_DIR.parent).as_posix()
    except ValueError:
        return path.name


def files_digest(paths: Iterable[Path]) -> str:
    """sha256 over each file's project-relative path and bytes, in that path's order."""
    h = hashlib.sha256()
    for name, path in sorted({(_relative_name(Path(p)), Path(p)) for p in paths}):
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def shaping_files(*roots: str, also: Iterable[Path] = ()) -> list[Path]:
    """Every file that shapes what `roots` compute: their import closure, the files in `also` (e.g. a
    Dagster asset that reads a table itself, an SQL file) and the reference tables any of these
    Python files name."""
    sources = sorted(set(closure(*roots)) | {Path(p).resolve() for p in also})
    return sorted(set(sources) | set(reference_files(sources)))


def source_digest(*roots: str, also: Iterable[Path] = ()) -> str:
    """The digest of `shaping_files(*roots, also=also)`: changes when any byte of them changes."""
    return files_digest(shaping_files(*roots, also=also))
