"""E-mail as documents: .eml (RFC 5322/MIME), Outlook .msg and mbox files.

`email_metadata(path)` gives sender, recipients, date and subject (for core.document_metadata);
`senders(paths, emails)` the From address of the e-mail that carried each attachment (a clue to a
cost sheet's company when the sheet never names one);
`email_body_text(path)` the body as text (for the full-text index); `children(path, fmt)` the
attachments (and an mbox's messages) as (name, bytes), which the container walk registers as child
documents like archive members. Libraries: the standard `email` package (policy=default) and
`mailbox`; extract-msg for Outlook's OLE .msg files. A message that cannot be read raises
MailError with the reason (the container walk quarantines it).
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import html
import re
from email.message import EmailMessage
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MEDIA = {"eml": "message/rfc822", "msg": "application/vnd.ms-outlook", "mbox": "application/mbox"}
_HEADER = re.compile(rb"^(?:From|To|Cc|Subject|Date|Received|Return-Path|Message-ID|MIME-Version|"
                     rb"Delivered-To|X-[\w-]+|Reply-To|Sender|Content-Type):", re.I | re.M)
_SEVERE = {"StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect", "MultipartInvariantViolationDefect",
           "NoBoundaryInMultipartDefect", "MissingHeaderBodySeparatorDefect", "InvalidBase64CharactersDefect",
           "InvalidBase64PaddingDefect", "InvalidBase64LengthDefect"}


class MailError(ValueError):
    """The message cannot be read; the message says why."""


def email_format(path: Path, head: bytes) -> str | None:
    """'eml' | 'msg' | 'mbox' by suffix and bytes, None for anything else."""
    suffix = path.suffix.lower()
    if suffix == ".msg" and head.startswith(OLE_MAGIC):
        return "msg"
    if suffix in {".mbox", ".mbx"} or (head.startswith(b"From ") and suffix in {"", ".mail"}):
        return "mbox"
    if suffix == ".eml" or (suffix in {"", ".mail"} and _HEADER.match(head.lstrip())):
        return "eml"
    return None


def _parse(path: Path) -> EmailMessage:
    data = Path(path).read_bytes()
    return parse_bytes(data)


def parse_bytes(data: bytes) -> EmailMessage:
    """The message, or MailError when the bytes are not an e-mail or its MIME structure is broken."""
    if not _HEADER.search(data[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]):
        raise MailError("malformed e-mail: no message header (From, To, Subject, Date...) found")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    defects = {type(d).__name__ for part in msg.walk() for d in part.defects}
    severe = sorted(defects & _SEVERE)
    if severe:
        raise MailError(f"malformed e-mail: broken MIME structure ({', '.join(severe)})")
    return msg


def _addresses(value) -> list[str]:
    if not value:
        return []
    return [addr for _, addr in email.utils.getaddresses([str(value)]) if addr]


def _date(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _msg(path: Path):
    import extract_msg

    try:
        return extract_msg.openMsg(str(path), delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - the library's error is the reason
        raise MailError(f"malformed Outlook message ({type(exc).__name__}: {exc})") from None


def _fmt(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    fmt = email_format(Path(path), head)
    if fmt is None:
        raise MailError(f"{Path(path).name}: not an e-mail (.eml, .msg or mbox)")
    return fmt


def email_metadata(path: Path) -> dict:
    """{email_from, email_to (list), email_cc (list), email_date (datetime|None), email_subject};
    for an mbox, its first message's."""
    fmt = _fmt(path)
    if fmt == "msg":
        msg = _msg(path)
        try:
            date = msg.date if isinstance(msg.date, dt.datetime) else _date(msg.date)
            return {"email_from": (_addresses(msg.sender) or [None])[0], "email_to": _addresses(msg.to),
                    "email_cc": _addresses(msg.cc), "email_date": date, "email_subject": msg.subject}
        finally:
            msg.close()
    msg = _parse(path) if fmt == "eml" else _first_of_mbox(path)
    return {"email_from": (_addresses(msg["From"]) or [None])[0], "email_to": _addresses(msg["To"]),
            "email_cc": _addresses(msg["Cc"]), "email_date": _date(msg["Date"]),
            "email_subject": str(msg["Subject"]) if msg["Subject"] is not None else None}


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_subtype() == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", text)))
    return text.strip()


def email_body_text(path: Path) -> str:
    """The body as plain text (HTML bodies stripped of tags); an mbox's messages one after another."""
    fmt = _fmt(path)
    if fmt == "msg":
        msg = _msg(path)
        try:
            return (msg.body or "").strip()
        finally:
            msg.close()
    if fmt == "eml":
        return _text(_parse(path))
    return "\n\n".join(_text(parse_bytes(data)) for _, data in _mbox_messages(path))


def _mbox_messages(path: Path) -> list[tuple[str, bytes]]:
    import mailbox

    box = mailbox.mbox(str(path), create=False)
    try:
        return [(f"message-{i:04d}.eml", box.get_bytes(key)) for i, key in enumerate(box.keys(), start=1)]
    finally:
        box.close()


def _first_of_mbox(path: Path) -> EmailMessage:
    messages = _mbox_messages(path)
    if not messages:
        raise MailError("empty mailbox: no message found")
    return parse_bytes(messages[0][1])


def children(path: Path, fmt: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of each attachment (eml, msg) or each message (mbox); MailError when unreadable."""
    if fmt == "mbox":
        messages = _mbox_messages(path)
        if not messages:
            raise MailError("empty mailbox: no message found")
        return messages
    if fmt == "msg":
        msg = _msg(path)
        try:
            out = []
            for index, att in enumerate(msg.attachments, start=1):
                data = getattr(att, "data", None)
                if isinstance(data, bytes):
                    name = att.longFilename or att.shortFilename or f"attachment-{index}"
                    out.append((name, data))
            return out
        finally:
            msg.close()
    msg = _parse(path)
    out = []
    for index, part in enumerate(msg.iter_attachments(), start=1):
        name = part.get_filename() or f"attachment-{index}"
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            data = payload[0].as_bytes() if isinstance(payload, list) and payload else b""
            name = name if name.lower().endswith(".eml") else f"{name}.eml"
        else:
            data = part.get_payload(decode=True) or b""
        out.append((name, data))
    return out


def senders(paths: list[str], emails: dict[str, Path]) -> dict[str, str]:
    """{document path: the From address of the nearest e-mail that carried it}, for the documents among
    `paths` inside an e-mail (an attachment, or a member of an archive attached to one; the path names
    its containers: 'mail.eml!/kosten.zip!/q1.xlsx'). `emails`: each .eml/.msg document's path -> the
    file to read its header from. A document outside any e-mail, or whose e-mail names no readable
    sender, is left out. Each e-mail's header is read once."""
    from pipelines.lib.intake.containers import SEPARATOR

    read: dict[str, str | None] = {}
    out = {}
    for path in paths:
        parts = path.split(SEPARATOR)
        for n in range(len(parts) - 1, 0, -1):
            carrier = SEPARATOR.join(parts[:n])
            if carrier not in emails:
                continue
            if carrier not in read:
                try:
                    read[carrier] = email_metadata(emails[carrier])["email_from"]
                except (MailError, OSError):
                    read[carrier] = None
            if read[carrier]:
                out[path] = read[carrier]
            break
    return out
