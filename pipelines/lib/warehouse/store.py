"""The DuckDB warehouse: one private working file, one published file for analysts.

DuckDB allows one writer per file, and a reader holding a file blocks writers. So the pipeline
never writes the file analysts open (LEAKPIPE_WAREHOUSE). It writes a working copy next to it
(`.<name>.work`), holding an exclusive lock file for the whole write, and publishes by copying
the working file to a temporary name and renaming it over the published file, only when it
was written since it was last published (pipelines/lib/warehouse/publish.py). A rename is
atomic: an analyst's open connection keeps the old file and the next connection sees the new one.

The analysts' views (pipelines/sql/views/*.sql, schema `views`) and the column comments
(pipelines/sql/core/comments.sql) live in the working file too, so every publish carries them. They
are re-applied only when those files change (their sha256 is kept in meta.views_digest) or after
pipelines/sql/core/schema.sql ran: a changed view never rebuilds a table, and an unchanged one costs
one lookup per connection.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import duckdb

from pipelines.lib.warehouse.publish import Published, publish as publish_file
from pipelines.lib.warehouse.sql import load_sql, run_file, sql_names, statements

log = logging.getLogger("leakpipe.warehouse")


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock for longer than we are willing to wait."""


@contextmanager
def exclusive_lock(path: Path, timeout_s: float, on_wait=None) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if missing); on_wait() is called once if another
    process holds it; after timeout_s of waiting, WarehouseBusy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"another run has held {path} for over {timeout_s:.0f} s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Warehouse:
    def __init__(self, published: Path, lock_timeout_s: float = 600.0):
        self.published = Path(published)
        self.lock_timeout_s = lock_timeout_s
        self.recovered: str | None = None   # set when a damaged working file was moved aside
        self.last_publish: Published | None = None

    @property
    def work_path(self) -> Path:
        return self.published.with_name(f".{self.published.name}.work")

    @property
    def lock_path(self) -> Path:
        return self.published.with_name(f".{self.published.name}.lock")

    def _lock(self):
        return exclusive_lock(self.lock_path, self.lock_timeout_s)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the working file, schema ensured, lock held throughout.

        Work done inside a `with con:`-style explicit transaction is atomic; this context
        itself does not open a transaction so that callers can group statements as they need.
        """
        with self._lock():
            con = self._open_or_recover()
            try:
                yield con
                con.execute("CHECKPOINT")
                con.close()
                self._seal()
            finally:
                con.close()

    def _open_or_recover(self) -> duckdb.DuckDBPyConnection:
        """Open the working file. If it is not a readable DuckDB file, or was built under another
        version of pipelines/sql/core/schema.sql, move it aside (nothing is deleted) and start an empty one:
        every run rebuilds the tables from the raw folder."""
        con = None
        try:
            con = duckdb.connect(str(self.work_path))
            known_good = self._known_good()
            if not known_good:
                self._read_everything(con)
            built_under = _built_under(con)
            if built_under not in (None, _schema_digest()):
                con.close()
                return self._start_over("was built under another version of pipelines/sql/core/schema.sql "
                                        "(the code was updated)", "old-schema", logging.WARNING)
            if not (known_good and built_under):   # as the last clean close left it: schema in place
                _ensure_schema(con)
            elif _views_applied(con) != _views_digest():
                _apply_views(con)
            return con
        except duckdb.Error as exc:
            if con is not None:
                con.close()
            if "could not set lock" in str(exc).lower() or not self.work_path.exists():
                raise
            return self._start_over(f"could not be opened ({type(exc).__name__}: "
                                    f"{str(exc).splitlines()[0][:200]})", "corrupt", logging.ERROR)

    def _start_over(self, why: str, tag: str, level: int) -> duckdb.DuckDBPyConnection:
        aside = self.work_path.with_name(
            f"{self.work_path.name}.{tag}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
        os.replace(self.work_path, aside)
        self._seal_path.unlink(missing_ok=True)
        wal = self.work_path.with_name(self.work_path.name + ".wal")
        if wal.exists():
            os.replace(wal, aside.with_name(aside.name + ".wal"))
        self.recovered = (f"the warehouse working file {self.work_path} {why}; it was moved to "
                          f"{aside.name} and the warehouse is rebuilt from the raw folder")
        log.log(level, self.recovered)
        con = duckdb.connect(str(self.work_path))
        _ensure_schema(con)
        return con

    @property
    def _seal_path(self) -> Path:
        return self.work_path.with_name(self.work_path.name + ".ok")

    def _stat(self) -> list[int]:
        stat = self.work_path.stat()
        return [stat.st_size, stat.st_mtime_ns]

    def _known_good(self) -> bool:
        """The file is as the last clean close left it (size and mtime recorded then)."""
        try:
            return json.loads(self._seal_path.read_text()) == self._stat()
        except (OSError, ValueError):
            return False

    def _seal(self) -> None:
        try:
            self._seal_path.write_text(json.dumps(self._stat()))
        except OSError:
            pass   # no seal only means the next open reads every table once

    @staticmethod
    def _read_everything(con: duckdb.DuckDBPyConnection) -> None:
        """Read every block of every table (after a crash, a kill or a foreign change): a damaged
        file raises here, before any asset trusts it."""
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
            con.execute(f'SELECT bit_xor(hash(x)) FROM "{schema}"."{table}" AS x').fetchall()

    def publish(self) -> Path:
        """Make the published file hold the working file's content, atomically; return its path.
        The copy is skipped when the working file was not written since the last publish (publish.py); what
        happened is in `self.last_publish`."""
        with self._lock():
            if not self.work_path.exists():
                with duckdb.connect(str(self.work_path)) as con:
                    _ensure_schema(con)
            self.last_publish = publish_file(self.work_path, self.published)
        return self.published


@lru_cache(maxsize=1)
def _schema_digest() -> str:
    return hashlib.sha256(load_sql("core/schema.sql").encode("utf-8")).hexdigest()


def _built_under(con: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the schema file the file's tables were built under; None for an empty file;
    'unknown' for tables from before the digest was kept. When it is not today's digest, CREATE
    TABLE IF NOT EXISTS would keep the old tables' columns."""
    if not con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0]:
        return None
    try:
        row = con.execute(load_sql("core/schema_digest_get.sql")).fetchone()
    except duckdb.CatalogException:
        return "unknown"
    return row[0] if row else "unknown"


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    run_file(con, "core/schema.sql")
    run_file(con, "core/schema_digest_set.sql", {"digest": _schema_digest()})
    _apply_views(con)   # schema.sql replaces core.documents, which drops that view's comments


def _view_sources() -> tuple[str, ...]:
    """What _apply_views runs, as load_sql names: the schema set-up, pipelines/sql/views/*.sql in name
    order (each view reads tables, not another view), then the column comments."""
    return ("views/setup/prepare.sql", *sql_names("views"), "core/comments.sql")


@lru_cache(maxsize=1)
def _views_digest() -> str:
    """sha256 over the names and texts of what _apply_views runs."""
    digest = hashlib.sha256()
    for name in _view_sources():
        digest.update(f"{name}\0{load_sql(name)}\0".encode("utf-8"))
    return digest.hexdigest()


def _views_applied(con: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the views and comments last applied to this file; None if never."""
    try:
        rows = con.execute(load_sql("views/setup/digest_get.sql")).fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0] if rows else None


def _apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create schema `views` from pipelines/sql/views/*.sql and apply pipelines/sql/core/comments.sql,
    then record their digest, in one transaction. Documentation never stops a run: if a statement fails (a view or comment
    naming a column that no longer exists), everything is applied again statement by statement (DuckDB
    aborts a whole transaction on its first error), the failures are logged and skipped, the digest is
    not recorded, so the next connection tries again, and tests/lib/warehouse/test_analyst_sql.py fails on it."""
    files = _view_sources()
    con.execute("BEGIN TRANSACTION")
    try:
        for name in files:
            for stmt in statements(name):
                con.execute(stmt)
        run_file(con, "views/setup/digest_set.sql", {"digest": _views_digest()})
        con.execute("COMMIT")
        return
    except duckdb.Error:
        con.execute("ROLLBACK")
    failed = []
    for name in files:
        for stmt in statements(name):
            try:
                con.execute(stmt)
            except duckdb.Error as exc:
                failed.append(f"{name}: {str(exc).splitlines()[0][:200]}")
                if name != "core/comments.sql":   # a view's comments need the view; one gone comment, not the rest
                    break
    log.warning("analyst views or comments not applied (the tables are unaffected): %s", "; ".join(failed))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, **frames) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction with `frames` registered as views by name; rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in frames:
            con.unregister(name)
