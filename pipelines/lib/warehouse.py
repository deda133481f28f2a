"""The DuckDB warehouse: one private working file, one published file for analysts.

DuckDB allows one writer per file, and a reader holding a file blocks writers. So the pipeline
never writes the file analysts open (LEAKPIPE_WAREHOUSE). It writes a working copy next to it
(`.<name>.work`), holding an exclusive lock file for the whole write, and publishes by copying
the working file to a temporary name and renaming it over the published file. A rename is
atomic: an analyst's open connection keeps the old file and the next connection sees the new one.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from pipelines.lib.sql import run_file


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock for longer than we are willing to wait."""


class Warehouse:
    def __init__(self, published: Path, lock_timeout_s: float = 600.0):
        self.published = Path(published)
        self.lock_timeout_s = lock_timeout_s

    @property
    def work_path(self) -> Path:
        return self.published.with_name(f".{self.published.name}.work")

    @property
    def lock_path(self) -> Path:
        return self.published.with_name(f".{self.published.name}.lock")

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.published.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            deadline = time.monotonic() + self.lock_timeout_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WarehouseBusy(
                            f"another run has held {self.lock_path} for over {self.lock_timeout_s:.0f} s"
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the working file, schema ensured, lock held throughout.

        Work done inside a `with con:`-style explicit transaction is atomic; this context
        itself does not open a transaction so that callers can group statements as they need.
        """
        with self._lock():
            con = duckdb.connect(str(self.work_path))
            try:
                run_file(con, "core/schema.sql")
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()

    def publish(self) -> Path:
        """Copy the working file over the published one atomically; return the published path."""
        with self._lock():
            if not self.work_path.exists():
                with duckdb.connect(str(self.work_path)) as con:
                    run_file(con, "core/schema.sql")
            staging = self.published.with_name(f".{self.published.name}.publishing")
            shutil.copyfile(self.work_path, staging)
            with open(staging, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(staging, self.published)
        return self.published


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
