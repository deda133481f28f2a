"""Publishing the working file: skipped when it was not written since it was last published, else one
in-kernel copy (a reflink where the filesystem has them) to a staging name renamed over the file.

Why this shape (measured by bench/publish.py on a 2 GB warehouse):

- A reader must never block a run and must keep the state it opened: DuckDB lets no writer open a
  file a reader holds, so the published file is never written in place; a new file is renamed
  over it (atomic; open connections keep the old inode). A killed publish leaves a staging file,
  never a half-written published one.
- "Only what changed": most runs change nothing (an unchanged re-run, a sensor tick that found
  nothing new), so the cost that must not grow is the no-op. A record beside the published file
  (`.<name>.published.json`) keeps the published file's identity (inode, size, mtime) and the
  working file's identity when it was published. Working file not written since -> nothing is
  read or copied (a few stats, flat in the warehouse size). The published file changed or
  vanished behind our back, or the record is lost -> copied again. A content digest (row hashes
  per table) to skip a rewrite with equal content was tried and dropped: on the 2.2 GB benchmark
  warehouse it took 14 s against 3.4 s for the copy it would save (the file is in the page cache;
  hashing every row is not). Not writing unchanged tables is the writers' job (issue 20, point 2).
- Something changed: the bytes must be in a new inode. FICLONE (btrfs, XFS, bcachefs) shares the
  blocks, O(metadata); elsewhere os.copy_file_range copies inside the kernel (no user-space
  buffer; server-side on NFS 4.2). Per-table Parquet plus a catalog of views would copy only the
  changed tables, but the analysts' connection runs with external file access off (the views
  could not read their Parquet) and comments, keys and types would live outside DuckDB.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.common.files import read_json_or_empty, write_json_atomically

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
    writes `work` meanwhile). Skips the copy when `work` was not written since it was last published."""
    started = time.perf_counter()
    record_file = record_path(published)
    record = read_json_or_empty(record_file)
    work_id = _identity(work)
    size = work_id[1] if work_id else 0
    intact = published.is_file() and record.get("published") == _identity(published)

    def skipped(reason: str) -> Published:
        return Published(published, False, reason, "", 0, time.perf_counter() - started)

    if intact and record.get("work") == work_id:
        return skipped("the working file is unchanged since it was published (nothing read, nothing copied)")
    reason = ("the working file was written since the last publish" if intact else
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
    write_json_atomically(record_file, {"published": _identity(published), "work": work_id})
    return Published(published, True, reason, method, size, time.perf_counter() - started)
