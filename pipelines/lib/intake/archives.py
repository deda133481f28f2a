"""Read zip, 7z and tar (gz/bz2/xz) archives entry by entry, without trusting what they declare.

`archive_format(path, head)` tells whether a file is an archive; `entries(path, fmt)` lists what it
holds (names as stored, type, declared sizes, encryption); `unpack(path, fmt, names, open_writer)`
streams the chosen regular members into writers the caller opens (containers.py writes them to the
scratch folder and counts every byte, whatever the headers say). Libraries: the standard zipfile
and tarfile modules, py7zr for 7z (pure Python, streams through a WriterFactory).
"""
from __future__ import annotations

import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
# Zip files that are office documents, read by their own readers (not unpacked as archives).
OFFICE_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".ods", ".odt", ".odp", ".xltx"}

MEDIA = {"zip": "application/zip", "7z": "application/x-7z-compressed", "tar": "application/x-tar"}


class ArchiveError(ValueError):
    """The archive as a whole cannot be unpacked; the message says why."""


class Encrypted(ArchiveError):
    def __init__(self):
        super().__init__("encrypted archive (no password)")


@dataclass(frozen=True)
class Entry:
    name: str              # as stored in the archive
    type: str              # file | dir | link | device
    size: int | None       # declared unpacked bytes
    packed: int | None     # declared packed bytes (None: solid or unknown)
    encrypted: bool = False


def _is_office_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist()[:2000])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def archive_format(path: Path, head: bytes) -> str | None:
    """'zip' | '7z' | 'tar' for an archive (by its bytes), None otherwise (office zips are not archives)."""
    if head.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if path.suffix.lower() in OFFICE_SUFFIXES or (path.suffix.lower() != ".zip" and _is_office_zip(path)):
            return None
        return "zip"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith(_COMPRESSED):
        return "tar"   # a compressed stream: only tar archives are unpacked (anything else is refused)
    return None


def _zip_type(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.is_dir():
        return "dir"
    if stat.S_ISLNK(mode):
        return "link"
    if mode and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return "device"
    return "file"


def _tar_type(member: tarfile.TarInfo) -> str:
    if member.isdir():
        return "dir"
    if member.issym() or member.islnk():
        return "link"
    if member.isreg():
        return "file"
    return "device"


def entries(path: Path, fmt: str) -> list[Entry]:
    """Every entry of the archive; ArchiveError (Encrypted) when it cannot be listed."""
    try:
        if fmt == "zip":
            with zipfile.ZipFile(path) as archive:
                return [Entry(i.filename, _zip_type(i), i.file_size, i.compress_size, bool(i.flag_bits & 1))
                        for i in archive.infolist()]
        if fmt == "7z":
            import py7zr

            with py7zr.SevenZipFile(path) as archive:
                encrypted = archive.needs_password()
                out = []
                for info in archive.list():
                    kind = "dir" if info.is_directory else "link" if getattr(info, "is_symlink", False) else "file"
                    out.append(Entry(info.filename, kind, info.uncompressed, info.compressed or None, encrypted))
                return out
        if fmt == "tar":
            with tarfile.open(path, "r:*") as archive:
                return [Entry(m.name, _tar_type(m), m.size if m.isreg() else 0, None) for m in archive]
    except ArchiveError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the library says, the archive is refused with it
        name = type(exc).__name__
        if "Password" in name or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise Encrypted() from None
        what = {"zip": "zip", "7z": "7z", "tar": "tar (or compressed tar)"}[fmt]
        raise ArchiveError(f"not a readable {what} archive ({name}: {exc})") from None
    raise ArchiveError(f"unknown archive format {fmt!r}")


class _Factory:
    """py7zr's WriterFactory: each member goes to the writer the caller opens (or nowhere)."""

    def __init__(self, open_writer: Callable):
        self.open_writer = open_writer

    def create(self, filename: str):
        import py7zr.io

        writer = self.open_writer(filename)
        return writer if writer is not None else py7zr.io.NullIO()


def unpack(path: Path, fmt: str, names: set[str], open_writer: Callable) -> None:
    """Stream each regular member named in `names` into `open_writer(name)` (an object with write()
    and close(); None skips it). A writer may raise to stop the whole archive."""
    if fmt == "zip":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename not in names:
                    continue
                writer = open_writer(info.filename)
                if writer is None:
                    continue
                with archive.open(info) as src:
                    while block := src.read(1 << 16):
                        writer.write(block)
                writer.close()
    elif fmt == "tar":
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.name not in names or not member.isreg():
                    continue
                writer = open_writer(member.name)
                if writer is None:
                    continue
                src = archive.extractfile(member)
                while src is not None and (block := src.read(1 << 16)):
                    writer.write(block)
                writer.close()
    elif fmt == "7z":
        import py7zr

        with py7zr.SevenZipFile(path) as archive:
            archive.extract(targets=sorted(names), factory=_Factory(open_writer))
