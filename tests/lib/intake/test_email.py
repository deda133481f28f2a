"""E-mail as documents (issue 19, point 1): pipelines/lib/intake/email.py."""
import datetime as dt

import pytest
from tests.e2e.hostile.archives import eml_bytes

from pipelines.lib.intake.email import (
    OLE_MAGIC,
    MailError,
    children,
    email_body_text,
    email_format,
    email_metadata,
)

XLSX = b"PK\x03\x04 pretend workbook bytes"


def test_an_eml_gives_its_sender_recipients_date_subject_body_and_attachments(tmp_path):
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("Kosten Q2.xlsx", XLSX), ("notes.txt", b"hello")], subject="Kosten Q2",
                               body="Anbei die Aufstellung für Frankfurt."))
    assert email_format(path, path.read_bytes()[:4096]) == "eml"
    assert email_metadata(path) == {
        "email_from": "controlling@example.com", "email_to": ["desk@example.org", "archive@example.org"],
        "email_cc": ["cfo@example.com"],
        "email_date": dt.datetime(2024, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "email_subject": "Kosten Q2"}
    assert email_body_text(path) == "Anbei die Aufstellung für Frankfurt."
    assert children(path, "eml") == [("Kosten Q2.xlsx", XLSX), ("notes.txt", b"hello")]


def test_an_html_body_is_text_without_tags_or_scripts(tmp_path):
    path = tmp_path / "html.eml"
    path.write_bytes(b"From: a@example.com\r\nTo: b@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                     b"Content-Type: text/html; charset=utf-8\r\n\r\n<html><script>alert(1)</script>"
                     b"<p>Strom &amp; K&uuml;hlung</p></html>\r\n")
    assert email_body_text(path) == "Strom & Kühlung"
    assert email_metadata(path)["email_date"] is None   # no Date header: unknown, not made up


def test_an_mbox_gives_each_message_as_a_child(tmp_path):
    path = tmp_path / "box.mbox"
    first, second = eml_bytes([], subject="one"), eml_bytes([("a.xlsx", XLSX)], subject="two")
    path.write_bytes(b"From a@example.com Mon Jul  1 09:30:00 2024\n" + first.replace(b"\r\n", b"\n") + b"\n"
                     b"From b@example.com Mon Jul  1 09:31:00 2024\n" + second.replace(b"\r\n", b"\n") + b"\n")
    assert email_format(path, path.read_bytes()[:4096]) == "mbox"
    messages = children(path, "mbox")
    assert [name for name, _ in messages] == ["message-0001.eml", "message-0002.eml"]
    assert b"Subject: two" in messages[1][1]
    assert email_metadata(path)["email_subject"] == "one"
    assert email_body_text(path).count("Anbei die Aufstellung.") == 2


@pytest.mark.parametrize("data, reason", [
    (b"\x00\x01 no header at all\r\n\r\nbody", "no message header"),
    (b"From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"Q\"\r\n"
     b"\r\nthe boundary never starts\r\n", "broken MIME structure"),
])
def test_a_malformed_email_is_refused_with_the_reason(tmp_path, data, reason):
    path = tmp_path / "bad.eml"
    path.write_bytes(data)
    with pytest.raises(MailError, match=reason):
        children(path, "eml")


def test_an_ole_file_that_is_no_outlook_message_is_refused(tmp_path):
    path = tmp_path / "fake.msg"
    path.write_bytes(OLE_MAGIC + b"\x00" * 600)
    assert email_format(path, path.read_bytes()) == "msg"
    with pytest.raises(MailError, match="malformed Outlook message"):
        children(path, "msg")
    with pytest.raises(MailError, match="not an e-mail"):
        email_metadata(tmp_path.joinpath("x.csv").resolve() if (tmp_path / "x.csv").write_text("a,b") else None)


def test_each_document_gets_the_sender_of_the_nearest_email_that_carried_it(tmp_path):
    from pipelines.lib.intake.email import senders

    outer, inner = tmp_path / "outer.eml", tmp_path / "inner.eml"
    outer.write_bytes(eml_bytes([("fwd.eml", b"")], sender="Jane Roe <jane.roe@eu.microsoft.com>"))
    inner.write_bytes(eml_bytes([("k.xlsx", XLSX)], sender="ops@amazon.com"))
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"not an e-mail at all")
    emails = {"cost_sheets/a.eml": outer, "cost_sheets/a.eml!/fwd.eml": inner, "cost_sheets/b.eml": broken}
    paths = ["cost_sheets/a.eml!/k.xlsx",                      # an attachment
             "cost_sheets/a.eml!/bundle.zip!/q1/k.xlsx",       # in an archive attached to the e-mail
             "cost_sheets/a.eml!/fwd.eml!/k.xlsx",             # a forwarded e-mail's attachment: its own sender
             "cost_sheets/leak.zip!/k.xlsx", "cost_sheets/k.xlsx",  # never in an e-mail
             "cost_sheets/b.eml!/k.xlsx"]                      # an e-mail whose header cannot be read
    assert senders(paths, emails) == {
        "cost_sheets/a.eml!/k.xlsx": "jane.roe@eu.microsoft.com",
        "cost_sheets/a.eml!/bundle.zip!/q1/k.xlsx": "jane.roe@eu.microsoft.com",
        "cost_sheets/a.eml!/fwd.eml!/k.xlsx": "ops@amazon.com"}
