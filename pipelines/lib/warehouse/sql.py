"""Every SQL statement the pipeline runs lives in pipelines/sql/ (package data, shipped in the wheel);
this loads it. Values go in as parameters, never formatted in. The top-level sql/ of a source
checkout holds only the analysts' example questions (sql/analyst/); nothing here reads it."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Found through the import system, not the source tree: the same for a checkout, an editable install
# and an installed wheel. pip unpacks a wheel into files, so this is a real folder (a pathlib.Path).
SQL_DIR = resources.files("pipelines") / "sql"


def sql_file(name: str):
    """The file pipelines/sql/<name> ("core/schema.sql")."""
    return SQL_DIR.joinpath(*name.split("/"))


def sql_names(folder: str) -> tuple[str, ...]:
    """load_sql names of the .sql files directly in pipelines/sql/<folder>, in name order."""
    return tuple(f"{folder}/{p.name}" for p in sorted(sql_file(folder).iterdir(), key=lambda p: p.name)
                 if p.is_file() and p.name.endswith(".sql"))


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """Text of pipelines/sql/<name> (for example "core/prices_daily_refresh.sql")."""
    return sql_file(name).read_text(encoding="utf-8")


def _is_code(chunk: str) -> bool:
    return any(ln.strip() and not ln.strip().startswith("--") for ln in chunk.splitlines())


def _code_part(line: str) -> str:
    """The line up to a '--' comment that starts outside a quoted string."""
    quoted = False
    for k, ch in enumerate(line):
        if ch == "'":
            quoted = not quoted
        elif not quoted and line.startswith("--", k):
            return line[:k]
    return line


@lru_cache(maxsize=None)
def statements(name: str) -> tuple[str, ...]:
    """The statements of pipelines/sql/<name> (see `split_statements`)."""
    return split_statements(load_sql(name))


def split_statements(text: str) -> tuple[str, ...]:
    """The statements of a SQL text; a statement ends with ';' at the end of a line's code (a ';'
    ending a comment, '-- ... = 15; ...', ends nothing)."""
    chunks, current = [], []
    for line in text.splitlines():
        code = _code_part(line).rstrip()
        if code.endswith(";"):
            chunks.append("\n".join([*current, code[:-1]]))
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current))
    return tuple(c.strip() for c in chunks if _is_code(c))


def run_file(con, name: str, params: dict | None = None) -> None:
    """Execute each statement of pipelines/sql/<name>, giving each the named parameters ($name) it uses."""
    for stmt in statements(name):
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)
