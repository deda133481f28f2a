"""core.document_text rows (issue 19, point 2): each part's text with its page and source, and a reason,
never an empty text, where nothing could be read (pipelines/lib/search/texts.py and the text parts the
cost-sheet extraction keeps)."""
import io

import openpyxl
from tests.e2e.hostile.archives import eml_bytes

from pipelines.lib.common.settings import PROJECT_ROOT
from pipelines.lib.costsheets.extract import Limits, cached_summaries, extract_all, extract_to_cache
from pipelines.lib.search.texts import capex_rows, email_rows, extraction_rows, frame, part_rows

SHEETS = PROJECT_ROOT / "raw" / "cost_sheets"


def _xlsx(path, sheets: dict):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, grid in sheets.items():
        sheet = book.create_sheet(title)
        for row in grid:
            sheet.append(row)
    book["Versteckt"].sheet_state = "hidden"
    buf = io.BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())


def test_pages_sheets_and_page_less_parts_get_their_page_number():
    rows = part_rows("x.pdf", "sha", [("page 1", "eins", "pdf_text"), ("page 2", "  ", "pdf_text"),
                                      ("page 3", "drei", "ocr")])
    assert [(r["part"], r["page"], r["locator"], r["text_source"], r["text"]) for r in rows] == [
        (1, 1, "page 1", "pdf_text", "eins"), (2, 3, "page 3", "ocr", "drei")]
    sheets = part_rows("y.xlsx", "sha", [("sheet 'A'", "a", "office"), ("sheet 'B'", "", "office"),
                                         ("sheet 'C'", "c", "office")])
    assert [(r["page"], r["locator"]) for r in sheets] == [(1, "sheet 'A'"), (3, "sheet 'C'")]
    assert [(r["page"], r["locator"]) for r in part_rows("z.png", "s", [("image page 2", "t", "ocr")])] == [
        (2, "image page 2")]
    assert part_rows("m.docx", "s", [("docx", "memo", "office")])[0]["page"] is None


def test_a_spreadsheet_and_a_csv_keep_their_text_hidden_sheets_included(tmp_path):
    _xlsx(tmp_path / "k.xlsx", {"Kosten": [["Standort", "GPU", "Anzahl", "Leistung kW", "Preis"],
                                           ["Frankfurt", "H100", 512, 350, 0.2]],
                                "Versteckt": [["Geheimprojekt Zwielicht"]]})
    got = extract_to_cache(str(tmp_path / "k.xlsx"), "sha-x", "k.xlsx", str(tmp_path / "cache"), Limits(), None)
    rows = extraction_rows("k.xlsx", "sha-x", got)
    assert [(r["page"], r["locator"], r["text_source"]) for r in rows] == [(1, "sheet 'Kosten'", "office"),
                                                                          (2, "sheet 'Versteckt'", "office")]
    assert "Frankfurt\tH100\t512" in rows[0]["text"] and rows[1]["text"] == "Geheimprojekt Zwielicht"
    csv = tmp_path / "k.csv"
    csv.write_text("Standort;GPU;Anzahl;Leistung kW\nDublin;A100;64;40\n", encoding="utf-8")
    got = extract_to_cache(str(csv), "sha-c", "k.csv", str(tmp_path / "cache"), Limits(), None)
    [row] = extraction_rows("k.csv", "sha-c", got)
    assert (row["page"], row["locator"], row["text_source"], row["text"]) == (None, "csv", "office",
                                                                              "Standort\tGPU\tAnzahl\tLeistung kW\nDublin\tA100\t64\t40")


def test_a_document_without_a_cost_table_keeps_its_text_and_one_without_text_says_why(tmp_path):
    memo = tmp_path / "memo.csv"
    memo.write_text("Liebe Kollegen,\nbitte die Zahlen vertraulich behandeln.\n", encoding="utf-8")
    got = extract_to_cache(str(memo), "sha-m", "memo.csv", str(tmp_path / "cache"), Limits(), None)
    assert got["status"] == "quarantined" and got["check"] == "cost_sheets.no_table"
    [row] = extraction_rows("memo.csv", "sha-m", got)
    assert "vertraulich" in row["text"] and row["reason"] is None
    empty = extract_to_cache(str(SHEETS / "empty.pdf"), "sha-e", "empty.pdf", str(tmp_path / "cache"), Limits(), None)
    [row] = extraction_rows("empty.pdf", "sha-e", empty)
    assert row["text"] is None and row["part"] == 0 and row["reason"].startswith("no text read: ")
    [row] = extraction_rows("late.pdf", "sha-l", None)
    assert row["text"] is None and "no finished extraction" in row["reason"]


def test_the_text_is_read_back_from_the_extraction_cache_not_extracted_again(tmp_path):
    docs = [(SHEETS / "multi_page_fleet_2023.pdf", "multi", "multi.pdf")]
    assert cached_summaries(docs, tmp_path, Limits(), None) == {"multi.pdf": None}
    extract_all(docs, tmp_path, Limits(), None)
    summary = cached_summaries(docs, tmp_path, Limits(), None)["multi.pdf"]
    rows = extraction_rows("multi.pdf", "multi", summary)
    assert [(r["page"], r["text_source"]) for r in rows] == [(n, "pdf_text") for n in (1, 2, 3, 4)]
    assert "Google Cloud" in rows[0]["text"]


def test_an_e_mail_body_is_a_part_and_a_body_less_or_broken_mail_says_why(tmp_path):
    mail = tmp_path / "m.eml"
    mail.write_bytes(eml_bytes([("k.xlsx", b"PK\x03\x04 x")], subject="Kosten", body="Anbei die Aufstellung für Frankfurt."))
    [row] = email_rows("m.eml", "sha", mail)
    assert (row["part"], row["page"], row["locator"], row["text_source"], row["text"]) == (
        1, None, "body", "email_body", "Anbei die Aufstellung für Frankfurt.")
    bare = tmp_path / "bare.eml"
    bare.write_bytes(eml_bytes([("k.xlsx", b"PK\x03\x04 x")], subject="Kosten", body=""))
    assert email_rows("bare.eml", "sha", bare)[0]["reason"] == "no text read: the e-mail has no text body (attachments only)"
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"just some bytes, no header\n")
    [row] = email_rows("broken.eml", "sha", broken)
    assert row["text"] is None and "no message header" in row["reason"]
    assert email_rows("gone.eml", "sha", tmp_path / "gone.eml")[0]["reason"].startswith("no text read: the file is missing")
    table = frame(email_rows("m.eml", "sha", mail) + email_rows("gone.eml", "sha", None))
    assert list(table["page"].isna()) == [True, True] and str(table["part"].dtype) == "Int64"


def test_capex_press_releases_are_documents_their_records_are_not(tmp_path):
    capex = PROJECT_ROOT / "raw" / "capex"
    [html] = capex_rows("capex/s.html", "sha", capex / "2024-03-29_microsoft_openai_stargate_en.html")
    assert (html["page"], html["locator"], html["text_source"]) == (None, "html", "office")
    assert "plan a data-center project" in html["text"] and "Hidden" not in html["text"]   # as the capex reader sees it
    [pdf] = capex_rows("capex/m.pdf", "sha", capex / "2024-04-24_meta_capex_guidance_en.pdf")
    assert (pdf["page"], pdf["locator"], pdf["text_source"]) == (1, "page 1", "pdf_text") and "Meta Platforms" in pdf["text"]
    assert capex_rows("capex/a.json", "sha", capex / "capex_announcements_2023_2024.json") == []
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 and nothing else")
    [row] = capex_rows("capex/broken.pdf", "sha", broken)
    assert row["text"] is None and row["reason"].startswith("no text read: ")
