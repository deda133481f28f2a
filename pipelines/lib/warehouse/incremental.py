"""Skipping work a mart already did: digests of what shapes it, kept in meta.mart_inputs.

Two kinds of skip, both keyed on content, never on time or row counts:

- whole mart: `frames_digest(...)` over every input frame, the code that computes the mart and its
  settings; equal to the stored digest -> the mart is left as it is.
- per document: a mart whose rows for a document are a function of that document's input rows and of
  inputs shared by every document (`document_digests` for the former, a shared digest for the
  latter). A run recomputes only the documents whose digest is new or changed (all of them when the
  shared digest changed), deletes the rows of documents that are gone, and keeps the others.

The digests are written in the same transaction as the mart's rows (`store_sql`), so a run killed
half-way leaves either both or neither. An empty meta table (a new warehouse) means: rebuild.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = ""   # the part name of a mart's whole/shared digest; documents use their document_id


def _hashable(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells pandas cannot hash (lists, arrays, dicts from DuckDB LIST/JSON columns) as their repr."""
    out = frame
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray))).any():
            if out is frame:
                out = frame.copy()
            out[col] = frame[col].map(lambda v: repr(v.tolist() if isinstance(v, np.ndarray) else v))
    return out


def _update(h, frame: pd.DataFrame) -> None:
    h.update(("|".join(f"{c}:{t}" for c, t in frame.dtypes.astype(str).items()) + f"#{len(frame)}").encode())
    if len(frame):
        h.update(pd.util.hash_pandas_object(_hashable(frame), index=False).to_numpy().tobytes())


def code_digest(*modules: str, asset: str, sql: Iterable[str] = ()) -> str:
    """What shapes a mart besides its data: the modules that compute it, every `pipelines` module they
    import and the reference tables they name (digests.source_digest), the Dagster asset's own file and
    the SQL it runs (names under pipelines/sql/, e.g. 'marts/causality_load.sql')."""
    from pipelines.lib.common.digests import source_digest
    from pipelines.lib.warehouse.sql import sql_file

    return source_digest(*modules, also=[Path(asset), *(Path(sql_file(name)) for name in sql)])


def frames_digest(frames: Mapping[str, pd.DataFrame], *texts: str) -> str:
    """sha256 over named frames (columns, dtypes, every cell, in row order) and some text (code digest,
    settings): changes when any of them changes."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.encode() + b"\0")
    for name in sorted(frames):
        h.update(name.encode() + b"\0")
        _update(h, frames[name])
    return h.hexdigest()


def document_digests(frames: Mapping[str, pd.DataFrame], documents: Iterable[str] | None = None,
                     key: str = "document_id") -> dict[str, str]:
    """{document_id: digest of that document's rows in every frame (its rows, in order; none is a digest
    too)}, for the documents in any frame's `key` column and in `documents`. A row's hash depends on that
    row alone, so each frame is hashed once and the row hashes are grouped by document."""
    ids = set(documents or ())
    parts = {}
    for name, frame in frames.items():
        header = ("|".join(f"{c}:{t}" for c, t in frame.dtypes.astype(str).items())).encode()
        if len(frame):
            labels = frame[key].astype(str)
            ids.update(labels[frame[key].notna()])
            hashes = pd.util.hash_pandas_object(_hashable(frame), index=False).to_numpy()
            positions = labels.groupby(labels, sort=False).indices
        else:
            hashes, positions = np.zeros(0, dtype=np.uint64), {}
        parts[name] = (header, hashes, positions)
    out = {}
    for doc in sorted(ids):
        h = hashlib.sha256(doc.encode())
        for name in sorted(parts):
            header, hashes, positions = parts[name]
            mine = hashes[positions[doc]] if doc in positions else hashes[:0]
            h.update(name.encode() + b"\0" + header + f"#{len(mine)}".encode() + mine.tobytes())
        out[doc] = h.hexdigest()
    return out


def stored(con, mart: str) -> dict[str, str]:
    """{part: digest} kept for `mart` ('' the shared/whole digest, else a document_id)."""
    return dict(con.execute("SELECT part, digest FROM meta.mart_inputs WHERE mart = ?", [mart]).fetchall())


def whole_unchanged(con, mart: str, digest: str) -> bool:
    return stored(con, mart).get(SHARED) == digest


def store_whole(con, mart: str, digest: str) -> None:
    """Inside the transaction that wrote the mart: its inputs' digest."""
    con.execute("DELETE FROM meta.mart_inputs WHERE mart = ?", [mart])
    con.execute("INSERT INTO meta.mart_inputs VALUES (?, ?, ?)", [mart, SHARED, digest])


@dataclass(frozen=True)
class Plan:
    """What a per-document mart must do this run."""

    recompute: list[str]   # documents whose rows are (re)computed
    drop: list[str]        # documents whose rows go (recomputed, or no longer there)
    everything: bool       # the shared inputs (or the code) changed, or nothing was stored: a full rebuild
    kept: int              # documents whose rows stay as they are

    @property
    def nothing_to_do(self) -> bool:
        return not self.recompute and not self.drop and not self.everything


def plan(previous: Mapping[str, str], shared: str, current: Mapping[str, str]) -> Plan:
    """Compare the stored digests of a per-document mart with the current ones."""
    if previous.get(SHARED) != shared:
        return Plan(sorted(current), [], True, 0)
    before = {k: v for k, v in previous.items() if k != SHARED}
    recompute = sorted(d for d, v in current.items() if before.get(d) != v)
    drop = sorted(set(recompute) | (set(before) - set(current)))
    return Plan(recompute, drop, False, len(current) - len(recompute))


def store_documents(con, mart: str, shared: str, current: Mapping[str, str]) -> None:
    """Inside the transaction that wrote the mart: the shared digest and one per document."""
    con.execute("DELETE FROM meta.mart_inputs WHERE mart = ?", [mart])
    rows = pd.DataFrame([(mart, SHARED, shared)] + [(mart, d, v) for d, v in sorted(current.items())],
                        columns=["mart", "part", "digest"])
    con.register("mart_input_rows", rows)
    try:
        con.execute("INSERT INTO meta.mart_inputs SELECT mart, part, digest FROM mart_input_rows")
    finally:
        con.unregister("mart_input_rows")


def write_documents(con, mart: str, rows: pd.DataFrame, todo: Plan, load_file: str, shared: str,
                    current: Mapping[str, str]) -> None:
    """In one transaction: `load_file` replaces the rows of the documents `todo` recomputes or drops (all
    rows when `todo.everything`) with `rows`, and the digests they were computed from are stored."""
    from pipelines.lib.warehouse.sql import run_file
    from pipelines.lib.warehouse.store import transaction

    with transaction(con, staged=rows, dropped=pd.DataFrame({"document_id": todo.drop}, dtype=object)):
        run_file(con, load_file, {"everything": todo.everything})
        store_documents(con, mart, shared, current)
