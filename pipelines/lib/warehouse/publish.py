"""Publishing the working file: skipped when its content is what was last published, else one
in-kernel copy (a reflink where the filesystem has them) to a staging name renamed over the file.

Why this shape (measured by bench/publish.py on a 2 GB warehouse):

- A reader must never block a run and must keep the state it opened: DuckDB lets no writer open a
  file a reader holds, so the published file is never written in place; a new file is renamed
  over it (atomic; open connections keep the old inode). A killed publish leaves a staging file,
  never a half-written published one.
- "Only what changed": most runs change nothing (an unchanged re-run, a sensor tick that found
  nothing new), so the cost that must not grow is the no-op. A record beside the published file
  (`.<name>.published.json`) keeps the published file's identity (inode, size, mtime), the
  working file's identity and a digest of the working file's content when it was published.
  Unchanged working file -> nothing is read (O(1)); working file rewritten with the same content
  -> the digest (count and order-independent row hashes per table, the DDL, views and comments)
  is recomputed, a scan DuckDB runs in parallel at a small fraction of a copy's cost, and nothing
  is copied. The published file changed or vanished behind our back -> copied again.
- Something changed: the bytes must be in a new inode. FICLONE (btrfs, XFS, bcachefs) shares the
  blocks, O(metadata); elsewhere os.copy_file_range copies inside the kernel (no user-space
  buffer; server-side on NFS 4.2). Per-table Parquet plus a catalog of views would copy only the
  changed tables, but the analysts' connection runs with external file access off (the views
  could not read their Parquet) and comments, keys and types would live outside DuckDB.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

FICLONE = 0x40049409   # linux/fs.h _IOW(0x94, 9, int)


@dataclass(frozen=True)
class Published:
    path: Path
    copied: bool
    reason: str            # why it was copied or not, for the run's metadata
    method: str            # 'reflink', 'copy_file_range', 'copyfile', or '' when not copied
    bytes: int
    seconds: float


def record_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.published.json")


def staging_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.publishing")


def _identity(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _write_record(path: Path, record: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, path)


def content_digest(database: Path) -> str:
    """sha256 over what an analyst can see in the file: every table's DDL, row count and
    order-independent row hashes (xor and sum, so a duplicated pair does not cancel out), the
    views' SQL, the comments, the sequences. Timestamps in rows count: they are content."""
    h = hashlib.sha256()
    with duckdb.connect(str(database), read_only=True) as con:
        catalog = con.execute(
            "SELECT 'table', schema_name, table_name, sql, coalesce(comment, '') FROM duckdb_tables() "
            "UNION ALL SELECT 'view', schema_name, view_name, sql, coalesce(comment, '') FROM duckdb_views() "
            "WHERE NOT internal "
            "UNION ALL SELECT 'column', schema_name, table_name || '.' || column_name, data_type, "
            "coalesce(comment, '') FROM duckdb_columns() WHERE NOT internal "
            "UNION ALL SELECT 'sequence', schema_name, sequence_name, sql, coalesce(comment, '') "
            "FROM duckdb_sequences() ORDER BY 1, 2, 3").fetchall()
        for row in catalog:
            h.update(("\x1f".join(map(str, row)) + "\n").encode())
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall():
            rows, xor, total = con.execute(
                f'SELECT count(*), bit_xor(hash(t)), sum(hash(t)::HUGEINT) FROM "{schema}"."{table}" AS t').fetchone()
            h.update(f"{schema}.{table}={rows}|{xor}|{total}\n".encode())
    return h.hexdigest()


def clone_or_copy(src: Path, dst: Path) -> str:
    """Copy src to a new file dst (fsynced); the method used: a reflink where the filesystem
    shares blocks, else an in-kernel copy_file_range, else a plain copy."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        method = ""
        try:
            fcntl.ioctl(fout.fileno(), FICLONE, fin.fileno())
            method = "reflink"
        except OSError:
            pass
        if not method and hasattr(os, "copy_file_range"):
            try:
                size, offset = os.fstat(fin.fileno()).st_size, 0
                while offset < size:
                    done = os.copy_file_range(fin.fileno(), fout.fileno(), size - offset, offset, offset)
                    if done == 0:
                        break
                    offset += done
                if offset == size:
                    method = "copy_file_range"
                else:
                    raise OSError(errno.EIO, f"copy_file_range stopped at {offset} of {size} bytes")
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EIO):
                    raise
                fout.seek(0)
                fout.truncate()
        if not method:
            fin.seek(0)
            shutil.copyfileobj(fin, fout, 16 * 1024 * 1024)
            method = "copyfile"
        fout.flush()
        os.fsync(fout.fileno())
    return method


def publish(work: Path, published: Path) -> Published:
    """Make `published` hold what `work` holds (the caller holds the warehouse lock, so nothing
    writes `work` meanwhile). Skips the copy when the content is what was last published."""
    started = time.perf_counter()
    record_file = record_path(published)
    record = _read_record(record_file)
    work_id = _identity(work)
    size = work_id[1] if work_id else 0
    intact = published.is_file() and record.get("published") == _identity(published)

    def skipped(reason: str) -> Published:
        return Published(published, False, reason, "", 0, time.perf_counter() - started)

    if intact and record.get("work") == work_id:
        return skipped("the working file is unchanged since it was published (nothing read, nothing copied)")
    digest = content_digest(work)
    if intact and record.get("digest") == digest:
        _write_record(record_file, {**record, "work": work_id})
        return skipped("the working file was rewritten with the content already published (digest equal; "
                       "nothing copied)")
    reason = ("the content changed since the last publish" if intact else
              "no published file" if not published.exists() else
              "the published file is not the one last published here" if record else
              "first publish (no record of a previous one)")
    staging = staging_path(published)
    method = clone_or_copy(work, staging)
    os.replace(staging, published)
    try:   # the rename itself survives a power cut
        dir_fd = os.open(published.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    _write_record(record_file, {"published": _identity(published), "work": work_id, "digest": digest})
    return Published(published, True, reason, method, size, time.perf_counter() - started)
