"""Every SQL statement lives in sql/; this loads it. Values go in as parameters, never formatted in."""
from __future__ import annotations

from functools import lru_cache

from pipelines.lib.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """Text of sql/<name> (for example "core/prices_daily_refresh.sql")."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


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
    """The statements of sql/<name>; a statement ends with ';' at the end of a line's code (a ';'
    ending a comment, '-- ... = 15; ...', ends nothing)."""
    chunks, current = [], []
    for line in load_sql(name).splitlines():
        code = _code_part(line).rstrip()
        if code.endswith(";"):
            chunks.append("\n".join([*current, code[:-1]]))
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current))
    return tuple(c.strip() for c in chunks if _is_code(c))


def run_file(con, name: str, params: dict | None = None) -> None:
    """Execute each statement of sql/<name>, giving each the named parameters ($name) it uses."""
    for stmt in statements(name):
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)
