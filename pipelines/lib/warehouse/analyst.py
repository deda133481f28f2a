"""Connections for analysts' queries on the published warehouse.

Always read-only. File and network access are off unless the analyst asks: `files` names the
folders a query may read or write (COPY ... TO), `network=True` lets DuckDB reach the network
(and, as DuckDB has one switch for both, every local file). The configuration is locked, so a
query cannot `SET` its way back out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import duckdb


class WarehouseUnavailable(FileNotFoundError):
    pass


def connect(warehouse: Path, *, files: Iterable[Path] = (), network: bool = False) -> duckdb.DuckDBPyConnection:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise WarehouseUnavailable(f"no published warehouse at {warehouse}: build it first with `make run`")
    folders = [str(Path(f).resolve()).rstrip("/") + "/" for f in files]
    config = {"autoinstall_known_extensions": network, "autoload_known_extensions": network}
    if not network and not folders:
        # Locked at open: a second connection in the same process with the same settings shares the
        # database instance instead of failing on a configuration change.
        config |= {"enable_external_access": False, "lock_configuration": True}
    try:
        con = duckdb.connect(str(warehouse), read_only=True, config=config)
    except duckdb.Error as exc:
        raise WarehouseUnavailable(f"cannot open the warehouse {warehouse} read-only: {exc}") from exc
    if config.get("lock_configuration"):
        return con
    try:
        if not network:
            con.execute("SET allowed_directories = ?", [folders])
            con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
