"""Hostile archives and e-mails for the hostile corpus (issue 19), and the builders the tests share.

`build(put)` writes them through make_corpus's `put` (deterministic bytes); `MEMBERS` says what
core.documents must say about the members the pipeline registers from them (path -> (expectation,
note)). Nothing here is large: the bombs are a few hundred KB packed.
"""
from __future__ import annotations

import io
import struct
import tarfile
import zipfile
from email.message import EmailMessage

QUARANTINED, LOADED, EITHER = "quarantined", "loaded", "loaded_or_quarantined"
FIXED = (2024, 1, 1, 0, 0, 0)
XLSX_MEDIA = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def zip_bytes(members: list[tuple[str, bytes]], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o120777 if name in symlinks else 0o100644) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def encrypted_zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip whose members carry the 'encrypted' flag (bit 0), as a password-protected zip does."""
    data = bytearray(zip_bytes(members))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | 1)
            start = at + 4
    return bytes(data)


def seven_zip_bytes(members: list[tuple[str, bytes]], password: str | None = None) -> bytes:
    """A 7z archive with deterministic bytes: py7zr stamps the current time and draws a random AES
    IV, both fixed here (an IV must never be fixed for real secrets; these are test fixtures)."""
    from unittest import mock

    import py7zr
    import py7zr.compressor
    import py7zr.py7zr

    fixed = py7zr.py7zr.ArchiveTimestamp.from_datetime(1719792000.0)   # 2024-07-01
    with mock.patch.object(py7zr.py7zr.ArchiveTimestamp, "from_now", staticmethod(lambda: fixed)), \
            mock.patch.object(py7zr.compressor, "get_random_bytes", lambda n: bytes(range(n))):
        buffer = io.BytesIO()
        with py7zr.SevenZipFile(buffer, "w", password=password) as archive:
            if password:
                archive.set_encrypted_header(True)
            for name, data in members:
                archive.writestr(data, name)
    return buffer.getvalue()


def tar_bytes(members: list[tuple[str, bytes]], mode: str = "w:gz", *, links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1704067200, 0o644
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mtime = tarfile.SYMTYPE, target, 1704067200
            archive.addfile(info)
    if mode.endswith(":gz"):   # gzip stamps the time: fix it for deterministic bytes
        raw = bytearray(buffer.getvalue())
        raw[4:8] = b"\x00\x00\x00\x00"
        return bytes(raw)
    return buffer.getvalue()


def eml_bytes(attachments: list[tuple[str, bytes]], *, subject: str = "Kostenaufstellung",
              body: str = "Anbei die Aufstellung.", sender: str = "Controlling EMEA <controlling@example.com>"
              ) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Leak Desk <desk@example.org>, archive@example.org"
    msg["Cc"] = "cfo@example.com"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 01 Jul 2024 09:30:00 +0200"
    msg["Message-ID"] = "<sample-1@example.com>"
    msg.set_content(body)
    for name, data in attachments:
        maintype, subtype = XLSX_MEDIA if name.endswith(".xlsx") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if attachments:
        msg.set_boundary("==leakpipe-sample-boundary==")   # the default one is random
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def nested_zip(depth: int, leaf: tuple[str, bytes]) -> bytes:
    data, name = leaf[1], leaf[0]
    for level in range(depth, 0, -1):
        data, name = zip_bytes([(name, data)]), f"level{level}.zip"
    return data


def bomb_zip(unpacked: int) -> bytes:
    """One member of `unpacked` zero bytes (ratio about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("zeros.csv", date_time=FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(unpacked // len(block)):
                member.write(block)
    return buffer.getvalue()


SHEET = b"a;b;c\n1;2;3\n"
PRICES = b"Date,Open,High,Low,Close,Volume\r\n2024-01-01,1,1,1,1,1\r\n"

# Members the pipeline registers from the hostile containers: path -> (expectation, note).
MEMBERS: dict[str, tuple[str, str]] = {
    "prices/archive.zip!/../../outside.csv": (QUARANTINED, "a ../ member: refused, never written"),
    "capex/hostile_traversal.zip!/../../etc/cron.d/evil": (QUARANTINED, "a ../ member: refused"),
    "cost_sheets/hostile_archive.zip!/sheet.csv": (QUARANTINED, "a member that is no cost sheet"),
    "cost_sheets/hostile_containers_traversal.zip!/../evil.csv": (QUARANTINED, "a ../ member"),
    "cost_sheets/hostile_containers_traversal.zip!//tmp/abs.csv": (QUARANTINED, "an absolute member path"),
    "cost_sheets/hostile_containers_traversal.zip!/C:/win.csv": (QUARANTINED, "a drive-letter member path"),
    "cost_sheets/hostile_containers_symlink.zip!/passwd.csv": (QUARANTINED, "a symbolic-link member"),
    "cost_sheets/hostile_containers_symlink.tar.gz!/passwd": (QUARANTINED, "a symbolic-link tar member"),
    "cost_sheets/hostile_containers_ratio.zip!/zeros.csv": (QUARANTINED, "a member inflating 1000:1"),
    "cost_sheets/hostile_containers_deep.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip!/level6.zip": (
        QUARANTINED, "a zip nested six deep: the sixth level is not opened"),
    "cost_sheets/hostile_containers_inner_encrypted.zip!/locked.7z": (
        QUARANTINED, "an encrypted 7z inside a zip"),
    "cost_sheets/hostile_containers_mail.mbox!/message-0002.eml": (QUARANTINED, "a message with no header"),
}


def build(put) -> None:
    """Write the hostile containers through make_corpus's put(rel, data, expect, note)."""
    put("cost_sheets/hostile_containers_traversal.zip",
        zip_bytes([("../evil.csv", SHEET), ("/tmp/abs.csv", SHEET), ("C:/win.csv", SHEET)]),
        LOADED, "a zip whose members name ../, an absolute path and a drive: each refused")
    put("cost_sheets/hostile_containers_symlink.zip",
        zip_bytes([("passwd.csv", b"/etc/passwd")], symlinks=("passwd.csv",)), LOADED,
        "a zip holding a symbolic link (refused)")
    put("cost_sheets/hostile_containers_symlink.tar.gz", tar_bytes([], links={"passwd": "/etc/passwd"}),
        LOADED, "a tar.gz holding a symbolic link (refused)")
    put("cost_sheets/hostile_containers_ratio.zip", bomb_zip(8 << 20), LOADED,
        "a zip bomb member: 8 MB of zeros at about 1000:1 (the member is refused)")
    put("cost_sheets/hostile_containers_members.zip",
        zip_bytes([(f"m{i:05d}.txt", b"x") for i in range(10_001)]), QUARANTINED,
        "10,001 members: over the member limit")
    put("cost_sheets/hostile_containers_deep.zip", nested_zip(6, ("sheet.csv", SHEET)), LOADED,
        "zips nested six deep (the limit is 5)")
    put("cost_sheets/hostile_containers_encrypted.zip", encrypted_zip_bytes([("sheet.csv", SHEET)]),
        QUARANTINED, "an encrypted zip (no password)")
    put("cost_sheets/hostile_containers_encrypted.7z", seven_zip_bytes([("sheet.csv", SHEET)], "secret"),
        QUARANTINED, "an encrypted 7z with encrypted headers (no password)")
    put("cost_sheets/hostile_containers_inner_encrypted.zip",
        zip_bytes([("locked.7z", seven_zip_bytes([("sheet.csv", SHEET)], "secret"))]), LOADED,
        "a zip holding an encrypted 7z (the member is quarantined)")
    put("cost_sheets/hostile_containers_malformed.eml",
        b"\x00\x01\x02 this is no e-mail\r\n\r\n" + bytes(range(256)) * 4, QUARANTINED,
        "a .eml that holds no message header")
    put("cost_sheets/hostile_containers_broken_mime.eml",
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\nno boundary ever starts here\r\n",
        QUARANTINED, "a multipart e-mail whose boundary never appears")
    put("cost_sheets/hostile_containers_mail.mbox",
        b"From a@example.com Mon Jul  1 09:30:00 2024\r\n" + eml_bytes([], subject="ok") + b"\r\n"
        b"From b@example.com Mon Jul  1 09:31:00 2024\r\n\x00\x01 garbage without headers\r\n",
        LOADED, "an mbox with one good and one headerless message")
