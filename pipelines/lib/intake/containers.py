"""Containers become trees of documents: archives (zip, 7z, tar) and e-mails (eml, msg, mbox).

`expand(path, document_id, fmt, scratch, limits)` unpacks one container (and every container inside
it, down to `max_depth`) and returns a Found record per entry: its path `<parent path>!/<member
path>`, the sha256 of its bytes, its parent's sha256 and, when it cannot go to a parser, the reason.
Member bytes are written once to the private scratch folder, at `<scratch>/<sha[:2]>/<sha>/<name>`,
and `local_file(raw_root, scratch, path, document_id)` gives a parser that real file (or, for a
top-level file, the file in the raw folder).

Safety: a member whose name is absolute, has a `..` part, a drive letter or a NUL, and every link
or device entry, is refused (recorded, never written). Bytes are counted as they are written,
whatever the headers declare; over a limit: a member too compressed (ratio) is refused, an archive
tree that unpacks to more than `max_bytes` or holds more than `max_members` is quarantined whole,
a container nested deeper than `max_depth` is recorded but not opened. An encrypted archive or
member is quarantined "encrypted archive (no password)". Nothing is written outside the scratch
folder: every file there is named by its hash and a sanitised base name.

The listing of each container is cached beside its members (`<scratch>/<sha[:2]>/<sha>.members.json`,
keyed by the limits), so a re-run on unchanged inputs reads nothing but that listing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from pipelines.lib.common.files import write_json_atomically
from pipelines.lib.intake import archives, email as mail

SEPARATOR = "!/"
RATIO_FLOOR = 1 << 20   # the ratio limit applies once a member has unpacked more than 1 MiB
_LISTING_VERSION = 1


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 2 * 1024 ** 3   # unpacked bytes in one top-level container's whole tree
    max_ratio: float = 100.0          # unpacked / packed bytes of one member (past RATIO_FLOOR)
    max_members: int = 10_000         # entries in one top-level container's whole tree
    max_depth: int = 5                # containers inside containers


class LimitExceeded(ValueError):
    """A whole-tree limit: the top-level container is quarantined with this reason."""


class _MemberRefused(ValueError):
    """One member is refused (too compressed); the others go on."""

    def __init__(self, name: str, reason: str, tmp: Path):
        super().__init__(reason)
        self.name, self.reason, self.tmp = name, reason, tmp


def container_format(path: Path, head: bytes) -> str | None:
    """'zip' | '7z' | 'tar' | 'eml' | 'msg' | 'mbox', or None for a plain document."""
    return archives.archive_format(path, head) or mail.email_format(path, head)


def media_type(fmt: str) -> str:
    return archives.MEDIA.get(fmt) or mail.MEDIA[fmt]


def member_problem(name: str, entry_type: str = "file") -> str | None:
    """Why a member cannot be unpacked by name or type; None when it can."""
    if entry_type == "link":
        return "a link inside the archive: not followed (members must be regular files)"
    if entry_type == "device":
        return "a device, pipe or socket inside the archive: refused"
    clean = name.replace("\\", "/")
    if "\x00" in clean:
        return "a member name with a NUL byte: refused"
    if clean.startswith("/") or re.match(r"^[A-Za-z]:", clean):
        return "an absolute member path: refused (it would point outside the scratch folder)"
    if ".." in clean.split("/"):
        return "a member path with '..': refused (it would point outside the scratch folder)"
    if not [p for p in clean.split("/") if p not in ("", ".")]:
        return "a member without a name: refused"
    return None


def clean_name(name: str) -> str:
    """The member path as recorded: '/'-separated, './' dropped, unprintable characters escaped."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    text = "/".join(parts) or name
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _escaped(name: str) -> str:
    """A refused member's name as stored (not cleaned: the record shows what the archive claimed)."""
    return name if name.isprintable() else name.encode("unicode_escape").decode("ascii")


def safe_basename(member_path: str) -> str:
    """A file name for the scratch folder: the member's base name, only safe characters, 120 at most."""
    base = member_path.rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = base, ""
    stem = re.sub(r"[^\w.\- ]", "_", stem).strip(" .")[:100] or "member"
    suffix = re.sub(r"[^\w]", "_", suffix)
    return f"{stem}.{suffix}" if suffix else stem


def scratch_file(scratch: Path, document_id: str, member_path: str) -> Path:
    return Path(scratch) / document_id[:2] / document_id / safe_basename(member_path)


def local_file(raw_root: Path, scratch: Path, path: str, document_id: str | None, strict: bool = True) -> Path:
    """The real file a parser reads for a document path: the raw file, or a member's scratch copy
    (FileNotFoundError with the reason when that copy is missing and `strict`)."""
    if SEPARATOR not in path:
        return Path(raw_root) / path
    if not document_id:
        raise FileNotFoundError(f"{path}: a refused member has no bytes to read")
    local = scratch_file(scratch, document_id, path.rsplit(SEPARATOR, 1)[1])
    if strict and not local.is_file():
        raise FileNotFoundError(f"{path}: its unpacked copy is missing from the scratch folder {scratch}; "
                                "materialize core/documents again")
    return local


class _Writer:
    """Writes one member to a temporary file in the scratch folder, hashing and counting its bytes."""

    def __init__(self, walk: "_Walk", name: str, packed: int | None, declared: int | None):
        self.walk, self.name, self.packed, self.declared = walk, name, packed, declared
        self.tmp = walk.scratch / "tmp" / uuid.uuid4().hex
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.tmp, "wb")
        walk.writers.append(self)
        self.digest, self.count, self.failed = hashlib.sha256(), 0, None

    def write(self, block) -> int:
        if self.failed:
            raise self.failed
        self.count += len(block)
        self.walk.add_bytes(len(block))
        limits = self.walk.limits
        if self.packed and self.count > RATIO_FLOOR and self.count > limits.max_ratio * self.packed:
            self.fh.close()
            self.failed = _MemberRefused(self.name,
                f"compression ratio over {limits.max_ratio:g}:1 ({self.count} bytes unpacked from {self.packed} "
                "and counting): a decompression bomb, refused (LEAKPIPE_ARCHIVE_MAX_RATIO)", self.tmp)
            raise self.failed
        self.digest.update(block)
        self.fh.write(block)
        return len(block)

    # py7zr's Py7zIO interface
    def read(self, size=None) -> bytes:
        return b""

    def seek(self, offset, whence=0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self.count

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()
            self.walk.finished[self.name] = self


class _Walk:
    def __init__(self, scratch: Path, limits: Limits):
        self.scratch, self.limits = Path(scratch), limits
        self.total = self.members = 0
        self.finished: dict[str, _Writer] = {}
        self.writers: list[_Writer] = []   # every writer opened: their temporary files go on failure

    def add_bytes(self, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_bytes:
            raise LimitExceeded(f"unpacks to more than {self.limits.max_bytes} bytes "
                                "(LEAKPIPE_ARCHIVE_MAX_BYTES): a decompression bomb or too large, not unpacked")

    def count_member(self) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise LimitExceeded(f"holds more than {self.limits.max_members} members (LEAKPIPE_ARCHIVE_MAX_MEMBERS): "
                                "not unpacked")

    def keep(self, writer: _Writer, member_path: str) -> tuple[str, Path]:
        """Move a finished member to its place by hash; the same bytes are stored once."""
        sha = writer.digest.hexdigest()
        final = scratch_file(self.scratch, sha, member_path)
        if final.is_file():
            writer.tmp.unlink()
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(writer.tmp, final)
        return sha, final

    def discard(self) -> None:
        """Remove every temporary file of this walk (members already kept by hash stay: they are whole)."""
        for writer in self.writers:
            if not writer.fh.closed:
                writer.fh.close()
            writer.tmp.unlink(missing_ok=True)


def _unique(path: str, taken: set[str]) -> str:
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = f"{path}#{n}"
    taken.add(candidate)
    return candidate


def _open_children(walk: _Walk, local: Path, fmt: str) -> list[tuple[str, str | None, Path | None, int | None]]:
    """(member name, problem, scratch file, bytes) for each entry of one container."""
    out = []
    if fmt in mail.MEDIA:
        for name, data in mail.children(local, fmt):
            walk.count_member()
            problem = member_problem(name)
            if problem:
                out.append((name, problem, None, len(data)))
                continue
            writer = _Writer(walk, name, None, len(data))
            writer.write(data)
            writer.close()
            out.append((name, None, writer, len(data)))
        return out
    listed = archives.entries(local, fmt)
    wanted, declared = set(), {}
    for entry in listed:
        if entry.type == "dir":
            continue
        walk.count_member()
        problem = member_problem(entry.name, entry.type)
        if problem is None and entry.encrypted:
            problem = "encrypted archive (no password)"
        if problem:
            out.append((entry.name, problem, None, entry.size))
        else:
            wanted.add(entry.name)
            declared[entry.name] = entry
    files = [e for e in listed if e.type != "dir"]
    if files and all(e.encrypted for e in files):
        raise archives.Encrypted()
    refused: dict[str, str] = {}

    archive_bytes = Path(local).stat().st_size   # a solid 7z or a compressed tar has no per-member size

    def open_writer(name: str):
        entry = declared.get(name)
        if entry is None or name in refused:
            return None
        return _Writer(walk, name, entry.packed or archive_bytes, entry.size)

    walk.finished = {}
    while True:
        try:
            archives.unpack(local, fmt, wanted - set(walk.finished) - set(refused), open_writer)
            break
        except _MemberRefused as exc:   # that member alone is refused; unpack the rest
            refused[exc.name] = exc.reason
            exc.tmp.unlink(missing_ok=True)
    for name in sorted(wanted):
        if name in refused:
            out.append((name, refused[name], None, None))
        elif name in walk.finished:
            out.append((name, None, walk.finished[name], walk.finished[name].count))
        else:
            out.append((name, "the member could not be read from the archive", None, None))
    return out


@dataclass(frozen=True)
class Found:
    """One member found by `expand`, relative to its top-level container."""
    inner: str                      # the path after the top-level container's own path ('!/a.7z!/b.xlsx')
    member_path: str
    parent_document_id: str
    document_id: str | None
    media_type: str | None
    bytes: int | None
    container: str | None           # its own container format when it is one
    error: str | None


def default_scratch(raw_root: Path) -> Path:
    """The scratch folder when none is configured: private to this user and raw folder, outside it."""
    import tempfile

    tag = hashlib.sha256(str(Path(raw_root).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"leakpipe-scratch-{os.getuid()}" / tag


def _listing_path(scratch: Path, document_id: str) -> Path:
    return Path(scratch) / document_id[:2] / f"{document_id}.members.json"


def _listing_key(limits: Limits) -> str:
    return json.dumps([_LISTING_VERSION, asdict(limits)])


def _cached(scratch: Path, document_id: str, limits: Limits) -> list[Found] | None:
    try:
        data = json.loads(_listing_path(scratch, document_id).read_text())
        if data["key"] != _listing_key(limits):
            return None
        found = [Found(**m) for m in data["members"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for m in found:
        if m.document_id and not scratch_file(scratch, m.document_id, m.member_path).is_file():
            return None
    return found


def _media(local: Path) -> tuple[str, str | None, str | None]:
    """(media type, container format, content problem) of an unpacked member."""
    from pipelines.lib.intake.media import content_problem, media_type_of

    with open(local, "rb") as fh:
        head = fh.read(65536)
    fmt = container_format(local, head)
    if fmt:
        return media_type(fmt), fmt, None
    media = media_type_of(local, head)
    return media, None, content_problem(local, media)


def _walk(walk: _Walk, local: Path, inner: str, document_id: str, fmt: str, depth: int,
          found: list[Found], taken: set[str]) -> None:
    for name, problem, writer, size in _open_children(walk, local, fmt):
        member_path = clean_name(name) if problem is None else _escaped(name)
        child = _unique(f"{inner}{SEPARATOR}{member_path}", taken)
        if problem:
            found.append(Found(child, member_path, document_id, None, None, size, None, problem))
            continue
        sha, final = walk.keep(writer, member_path)
        media, sub, error = _media(final)
        if writer.count == 0:
            media, sub, error = "application/x-empty", None, "empty file (0 bytes)"
        found.append(Found(child, member_path, document_id, sha, media, writer.count, sub, error))
        if sub is None:
            continue
        if depth >= walk.limits.max_depth:
            error = (f"a container nested more than {walk.limits.max_depth} deep (LEAKPIPE_ARCHIVE_MAX_DEPTH): "
                     "not opened")
        else:
            try:
                _walk(walk, final, child, sha, sub, depth + 1, found, taken)
            except (archives.ArchiveError, mail.MailError) as exc:
                error = str(exc)
        if error:
            index = next(i for i, f in enumerate(found) if f.inner == child)
            found[index] = Found(child, member_path, document_id, sha, media, writer.count, sub, error)


def expand(local: Path, document_id: str, fmt: str, scratch: Path, limits: Limits) -> list[Found]:
    """Every member of one top-level container's tree, nested containers included. Raises
    ArchiveError / MailError / LimitExceeded when the container itself must be quarantined (then
    nothing of it is kept in the scratch folder's listing)."""
    scratch = Path(scratch)
    cached = _cached(scratch, document_id, limits)
    if cached is not None:
        return cached
    walk = _Walk(scratch, limits)
    found: list[Found] = []
    try:
        _walk(walk, Path(local), "", document_id, fmt, 1, found, set())
    except Exception:
        walk.discard()
        raise
    listing = _listing_path(scratch, document_id)
    listing.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomically(listing, {"key": _listing_key(limits), "members": [asdict(f) for f in found]})
    return found
