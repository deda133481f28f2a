"""core.document_metadata fields: dates, producers, updates, signatures, fonts and text layers, read from
documents built in the test with known values, then from the bundled and the real PDFs."""
import datetime as dt
from pathlib import Path

import pytest

from pipelines.lib.forensics.dates import parse_iso_date, parse_pdf_date
from pipelines.lib.forensics.extract import COLUMNS, document_metadata, metadata_frame
from pipelines.lib.forensics.producers import ocr_tool, release_of
from tests.lib.forensics.builders import append_update, docx, scan_pdf, text_pdf

UTC = dt.timezone.utc
REPO = Path(__file__).resolve().parents[3]
REAL = Path("/work/shared/data/realpdfs")


def test_pdf_dates_are_parsed_strictly_with_their_offset():
    assert parse_pdf_date("D:20240315120000+01'00'") == (dt.datetime(2024, 3, 15, 11, 0, tzinfo=UTC), True)
    assert parse_pdf_date("D:20151212184957Z00'00'").at == dt.datetime(2015, 12, 12, 18, 49, 57, tzinfo=UTC)
    assert parse_pdf_date("D:20160325082400-07'00'").at == dt.datetime(2016, 3, 25, 15, 24, tzinfo=UTC)
    assert parse_pdf_date("D:2024") == (dt.datetime(2024, 1, 1, tzinfo=UTC), False)
    stamp = parse_pdf_date("D:20240315120000")
    assert stamp.at == dt.datetime(2024, 3, 15, 12, tzinfo=UTC) and stamp.has_offset is False
    for bad in ["D:20241315120000Z", "yesterday", "D:2024031512000", "D:20240315120000+25'00'", ""]:
        assert parse_pdf_date(bad) is None, bad
    assert parse_iso_date("2024-03-15T12:00:00+01:00").at == dt.datetime(2024, 3, 15, 11, tzinfo=UTC)
    assert parse_iso_date("2024-03-15T12:00:00Z").has_offset is True
    assert parse_iso_date("2024-03-15T12:00:00.123").has_offset is False
    assert parse_iso_date("15.03.2024") is None


def test_a_pdf_gives_info_and_xmp_both_kept(tmp_path):
    pdf = text_pdf(tmp_path / "a.pdf", info={"Producer": "LibreOffice 7.6", "Creator": "Writer", "Author": "Ana",
                                             "Title": "Q1", "CreationDate": "D:20240402090000+02'00'",
                                             "ModDate": "D:20240403100000+02'00'"},
                   xmp={"xmp:CreateDate": "2024-04-01T09:00:00+02:00", "xmp:ModifyDate": "2024-04-05T10:00:00Z",
                        "pdf:Producer": "OtherTool 1.0", "xmp:CreatorTool": "Writer"})
    row = document_metadata(pdf, "d1")
    assert list(row) == COLUMNS
    assert (row["producer"], row["creator_tool"], row["author"], row["title"]) == ("LibreOffice 7.6", "Writer", "Ana", "Q1")
    assert row["created_at"] == dt.datetime(2024, 4, 2, 7, tzinfo=UTC)
    assert row["modified_at"] == dt.datetime(2024, 4, 3, 8, tzinfo=UTC)
    assert row["xmp_created_at"] == dt.datetime(2024, 4, 1, 7, tzinfo=UTC)
    assert row["xmp_modified_at"] == dt.datetime(2024, 4, 5, 10, tzinfo=UTC)
    assert (row["xmp_producer"], row["xmp_creator_tool"]) == ("OtherTool 1.0", "Writer")
    assert row["incremental_updates"] == 0 and row["signed"] is False
    assert row["fonts"] == ["Helvetica"] and row["pages"] == 1 and row["pages_with_text"] == 1
    assert row["pages_with_images"] == 0 and row["dates_without_offset"] == [] and row["notes"] is None


def test_an_unparseable_date_is_null_with_a_note(tmp_path):
    row = document_metadata(text_pdf(tmp_path / "a.pdf", info={"CreationDate": "last tuesday"}), "d")
    assert row["created_at"] is None and "created_at: 'last tuesday' is not a date" in row["notes"]


def test_incremental_updates_are_counted_and_text_added_by_one_is_seen(tmp_path):
    plain = scan_pdf(tmp_path / "scan.pdf", info={"Producer": "Scanner 1.0"}, pages=2)
    before = document_metadata(plain, "d")
    assert before["incremental_updates"] == 0 and before["pages_with_text"] == 0 and before["pages_with_images"] == 2
    assert before["text_added_by_update"] is None
    append_update(plain, "Editor 9", text="Umsatz 1000")
    after = document_metadata(plain, "d")
    assert after["incremental_updates"] == 1
    assert after["producer"] == "Editor 9" and after["revision_producers"] == ["Scanner 1.0", "Editor 9"]
    assert after["pages_with_text"] == 2 and after["text_added_by_update"] is True
    append_update(plain, "Editor 10")
    again = document_metadata(plain, "d")
    assert again["incremental_updates"] == 2
    assert again["revision_producers"] == ["Scanner 1.0", "Editor 9", "Editor 10"]


def test_an_update_that_adds_no_text_is_not_a_text_layer(tmp_path):
    pdf = append_update(text_pdf(tmp_path / "t.pdf", info={"Producer": "A"}), "B")
    row = document_metadata(pdf, "d")
    assert row["incremental_updates"] == 1 and row["text_added_by_update"] is False


def test_an_ocr_layer_is_invisible_text_over_images(tmp_path):
    row = document_metadata(scan_pdf(tmp_path / "o.pdf", info={"Producer": "OCRmyPDF 15.4.0 / Tesseract OCR-PDF 5.3.0"},
                                     ocr_text="Kosten 42", pages=3), "d")
    assert (row["pages"], row["pages_with_images"], row["pages_with_text"], row["pages_with_invisible_text"]) == (3, 3, 3, 3)
    assert ocr_tool(row["producer"]) == row["producer"]


def test_a_signature_is_found_by_its_field_or_byterange(tmp_path):
    import pikepdf

    path = text_pdf(tmp_path / "s.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        sig = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig, ByteRange=[0, 10, 20, 30],
                                                   Contents=pikepdf.String(b"\x00" * 8)))
        field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Sig, T=pikepdf.String("Sig1"), V=sig))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], SigFlags=3)
        pdf.save(path)
    assert document_metadata(path, "d")["signed"] is True
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root.AcroForm.Fields[0].V
        pdf.save(path)
    row = document_metadata(path, "d")
    assert row["signed"] is False and "empty signature field" in row["notes"]


def test_a_docx_gives_its_core_and_app_properties(tmp_path):
    row = document_metadata(docx(tmp_path / "m.docx", "2024-07-01T08:00:00Z", "2024-07-02T09:30:00Z",
                                 signed=True), "d")
    assert row["media_type"].endswith("wordprocessingml.document")
    assert (row["producer"], row["creator_tool"], row["author"], row["title"]) == (
        "Microsoft Office Word 16.0000", "Microsoft Office Word", "Controlling", "Kostenblatt")
    assert row["created_at"] == dt.datetime(2024, 7, 1, 8, tzinfo=UTC)
    assert row["modified_at"] == dt.datetime(2024, 7, 2, 9, 30, tzinfo=UTC)
    assert row["signed"] is True and row["fonts"] == ["Calibri", "Times New Roman"]
    assert row["incremental_updates"] is None
    bare = document_metadata(docx(tmp_path / "b.docx", "2024-07-01T08:00:00", None), "d")
    assert bare["dates_without_offset"] == ["created_at"] and bare["modified_at"] is None


def test_unreadable_and_unknown_files_still_get_a_row_saying_why(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    csv_row = document_metadata(tmp_path / "x.csv", "c", "text/csv")
    assert csv_row["media_type"] == "text/csv" and "no embedded metadata" in csv_row["notes"]
    broken = document_metadata(tmp_path / "broken.pdf", "b", "application/pdf")
    assert broken["producer"] is None and broken["notes"]


def test_producers_are_dated_by_their_version():
    rel = release_of("LibreOffice 7.6")
    assert (rel.product, rel.version, rel.released) == ("LibreOffice", "7.6", dt.date(2023, 8, 21))
    assert release_of("LibreOffice 7.5").version == "7.0"          # dated by the highest listed not above it
    assert release_of("Mac OS X 10.9.5 Quartz PDFContext").released == dt.date(2013, 10, 22)
    assert release_of("macOS Version 14.2.1 (Build 23C71) Quartz PDFContext").released == dt.date(2023, 9, 26)
    assert release_of("Microsoft® Word for Microsoft 365").released == dt.date(2020, 4, 21)
    assert release_of("Microsoft Office Word 16.0000").released == dt.date(2015, 7, 9)
    assert isinstance(release_of("LibreOffice 2.0"), str)           # older than every listed version
    assert release_of("ReportLab PDF Library - (opensource)") is None
    assert release_of(None) is None


def test_the_producer_table_cites_a_source_for_every_row():
    from pipelines.lib.forensics.producers import producer_table

    table = producer_table()
    assert len(table) >= 40 and table["product"].nunique() >= 10
    assert table["source"].str.startswith("https://").all()
    assert table["released"].notna().all()


def test_every_bundled_cost_sheet_gets_a_metadata_row():
    files = sorted(p for p in (REPO / "raw" / "cost_sheets").iterdir() if p.is_file())
    frame = metadata_frame([document_metadata(p, p.name) for p in files])
    assert len(frame) == len(files) >= 10
    by = frame.set_index("document_id")
    assert by.loc["de_kostenrechnung_q1_2024.pdf", "producer"] == "ReportLab PDF Library - (opensource)"
    assert by.loc["de_kostenrechnung_q1_2024.pdf", "created_at"] == dt.datetime(2000, 1, 1, tzinfo=UTC)
    assert by.loc["scan_standort_dublin.pdf", "pages_with_images"] == 1
    assert by.loc["scan_standort_dublin.pdf", "pages_with_text"] == 0
    assert "encrypted" in by.loc["encrypted_leak.pdf", "notes"]
    assert by.loc["cost_sheet_2024.xlsx", "author"] == "Controlling EMEA"
    assert "@" in by.loc["weitergeleitet_kosten_q3_2024.eml", "email_from"]    # an e-mail's metadata is its header
    assert by.loc["weitergeleitet_kosten_q3_2024.eml", "email_subject"]
    unread = by[by["producer"].isna() & by["created_at"].isna() & by["email_from"].isna()]
    assert unread["notes"].notna().all(), unread


def test_metadata_is_read_from_every_real_pdf():
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent (shared real data not mounted)")
    pdfs = sorted(REAL.glob("*.pdf"))
    rows = {p.name: document_metadata(p, p.name, "application/pdf") for p in pdfs}
    assert len(rows) == 8
    for name, row in rows.items():
        assert row["pages"] and row["pages"] > 0, name
        assert row["incremental_updates"] is not None, name
        # pr-138 carries Adobe's usage-rights signature (/Perms /UR3 with a PKCS#7 /Contents); no other is signed
        assert row["signed"] is (name == "pr-138-example.pdf"), name
    assert "usage-rights signature" in rows["pr-138-example.pdf"]["notes"]
    assert rows["nics-background-checks-2015-11.pdf"]["producer"] == "Mac OS X 10.9.5 Quartz PDFContext"
    assert rows["WARN-Report-for-7-1-2015-to-03-25-2016.pdf"]["created_at"] == dt.datetime(2016, 3, 25, 15, 24, tzinfo=UTC)
    assert rows["pr-138-example.pdf"]["xmp_modified_at"] == dt.datetime(2019, 4, 4, 0, 36, 25, tzinfo=UTC)
    assert rows["issue-203-decimalize.pdf"]["pages_with_text"] == 0
    assert sum(bool(r["fonts"]) for r in rows.values()) >= 6


def test_a_linearized_file_is_not_counted_as_updated(tmp_path):
    import pikepdf

    path = text_pdf(tmp_path / "l.pdf", info={"Producer": "A"})
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, linearize=True)
    data = path.read_bytes()
    assert data.count(b"%%EOF") == 2
    row = document_metadata(path, "d")
    assert row["incremental_updates"] == 0 and row["text_added_by_update"] is None


def test_e_mails_go_through_the_intake_reader(tmp_path):
    """An e-mail's sender, recipients, date and subject come from pipelines.lib.intake.email."""
    mail = tmp_path / "m.eml"
    mail.write_text("From: Jane Roe <a@x.org>\nTo: b@y.org\nSubject: Q1\nDate: Tue, 02 Apr 2024 09:00:00 +0000\n\nbody\n")
    row = document_metadata(mail, "e", "message/rfc822")
    assert (row["email_to"], row["email_subject"], row["media_type"]) == (["b@y.org"], "Q1", "message/rfc822")
    assert "a@x.org" in row["email_from"]
    frame = metadata_frame([row])
    assert frame.loc[0, "email_date"] == dt.datetime(2024, 4, 2, 9, tzinfo=UTC)
