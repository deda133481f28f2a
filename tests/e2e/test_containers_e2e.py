"""Archives and e-mails through the whole pipeline (issue 19, point 1): a zip holding a CSV cost
sheet and a nested 7z holding an XLSX, and an e-mail with an XLSX attachment, load into
core.cost_sheet_lines with the member path as provenance; hostile members are quarantined with a
reason; nothing is written outside the scratch folder; a re-run changes nothing."""
import io
import shutil

import pytest
from tests.conftest import BUNDLED_RAW
from tests.e2e.hostile.archives import eml_bytes, encrypted_zip_bytes, seven_zip_bytes, zip_bytes
from tests.lib.costsheets.costsheet_truth import truth

pytestmark = pytest.mark.e2e


def _resaved_xlsx() -> bytes:
    """The sample workbook with another title: the same table, other bytes (not a duplicate)."""
    import openpyxl

    book = openpyxl.load_workbook(BUNDLED_RAW / "cost_sheets" / "cost_sheet_2024.xlsx")
    book.worksheets[0]["A1"] = "Idle GPU mining - forwarded copy"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_members_of_archives_and_emails_load_with_their_member_path(bundled_raw, pipeline):
    for other in bundled_raw.iterdir():
        if other.name not in {"cost_sheets", "fx"}:
            shutil.rmtree(other)
    sheets = bundled_raw / "cost_sheets"
    csv, xlsx = (sheets / "kostenblatt_export.csv").read_bytes(), (sheets / "cost_sheet_2024.xlsx").read_bytes()
    for sample in sheets.iterdir():
        sample.unlink()
    (sheets / "leak.zip").write_bytes(zip_bytes([
        ("export/kostenblatt.csv", csv), ("nested.7z", seven_zip_bytes([("q2/sheet.xlsx", xlsx)])),
        ("../escape.csv", csv)]))
    (sheets / "forward.eml").write_bytes(eml_bytes([("Kosten Q2.xlsx", _resaved_xlsx())]))
    (sheets / "locked.zip").write_bytes(encrypted_zip_bytes([("kostenblatt.csv", csv)]))
    run = pipeline(bundled_raw)
    run.run()

    expected = truth()
    # provenance: each line's document is the member, whose path names the container and the member path
    lines = dict(run.query("SELECT d.path, count(*) FROM core.cost_sheet_lines l JOIN core.documents d "
                           "ON d.document_id = l.document_id AND d.duplicate_of IS NULL GROUP BY d.path"))
    n_csv = (expected["file"] == "kostenblatt_export.csv").sum()
    n_xlsx = (expected["file"] == "cost_sheet_2024.xlsx").sum()
    assert lines == {"cost_sheets/leak.zip!/export/kostenblatt.csv": n_csv,
                     "cost_sheets/leak.zip!/nested.7z!/q2/sheet.xlsx": n_xlsx,
                     "cost_sheets/forward.eml!/Kosten Q2.xlsx": n_xlsx}
    # provenance: the member's own document id, and its place in the tree
    docs = {p: (status, error, parent, member, doc) for p, status, error, parent, member, doc in run.query(
        "SELECT path, status, error, parent_document_id, member_path, document_id FROM core.documents")}
    zip_id = docs["cost_sheets/leak.zip"][4]
    seven_id = docs["cost_sheets/leak.zip!/nested.7z"][4]
    assert docs["cost_sheets/leak.zip"][:3] == ("loaded", None, None)
    assert docs["cost_sheets/leak.zip!/nested.7z"][:4] == ("loaded", None, zip_id, "nested.7z")
    assert docs["cost_sheets/leak.zip!/nested.7z!/q2/sheet.xlsx"][:4] == ("loaded", None, seven_id, "q2/sheet.xlsx")
    assert docs["cost_sheets/forward.eml!/Kosten Q2.xlsx"][:2] == ("loaded", None)
    # hostile: the ../ member and the encrypted zip are quarantined with their reason
    escape = docs["cost_sheets/leak.zip!/../escape.csv"]
    assert escape[0] == "quarantined" and "'..'" in escape[1] and escape[4] is None
    assert docs["cost_sheets/locked.zip"][:2] == ("quarantined", "encrypted archive (no password)")
    reasons = dict(run.query("SELECT locator, reason FROM core.quarantine WHERE source_table = 'documents'"))
    assert reasons["file cost_sheets/locked.zip"] == "encrypted archive (no password)"
    assert "'..'" in reasons["file cost_sheets/leak.zip!/../escape.csv"]
    # nothing outside the scratch folder: the raw folder holds what we put there, no escape.csv anywhere
    root = run.warehouse.parent.parent
    assert sorted(p.name for p in sheets.iterdir()) == ["forward.eml", "leak.zip", "locked.zip"]
    assert not [p for p in root.rglob("escape.csv")]
    assert not (root.parent / "escape.csv").exists()

    before = run.snapshot()
    run.run()
    after = run.snapshot()
    for table in ("core.document_inventory", "core.document_outcomes", "core.cost_sheet_lines", "core.quarantine"):
        assert after[table] == before[table], table
