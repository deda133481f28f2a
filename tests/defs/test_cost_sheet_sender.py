"""core/cost_sheet_lines hands the sender of the e-mail that carried a cost sheet to its extraction:
an attachment that never names its company takes the company of the sender's domain (issue 19)."""
import dagster as dg

from pipelines.defs.costsheets.assets import cost_sheet_lines
from pipelines.defs.ingest.assets import documents
from pipelines.resources import ExtractionResource, RawFolderResource, WarehouseResource
from tests.e2e.hostile.archives import eml_bytes, zip_bytes
from tests.lib.costsheets.sheet_builders import write_xlsx

TABLE = [["Standort", "GPU", "Anzahl", "Leistung (kW)"], ["Frankfurt", "A100", 8, 5], ["Berlin", "H100", 4, 3]]


def test_an_attachment_that_never_names_its_company_takes_the_senders(tmp_path):
    sheets = tmp_path / "raw" / "cost_sheets"
    sheets.mkdir(parents=True)
    xlsx = write_xlsx(tmp_path / "kosten.xlsx", TABLE).read_bytes()
    other = write_xlsx(tmp_path / "kosten2.xlsx", TABLE + [["Wien", "A100", 2, 1]]).read_bytes()
    (sheets / "weitergeleitet.eml").write_bytes(eml_bytes([("kosten.xlsx", xlsx)],
                                                          sender="Someone <someone@microsoft.com>"))
    (sheets / "leak.zip").write_bytes(zip_bytes([("kosten.xlsx", other)]))   # no e-mail: no sender
    warehouse = WarehouseResource(path=str(tmp_path / "leaks.duckdb"))
    resources = {"warehouse": warehouse, "raw": RawFolderResource(path=str(tmp_path / "raw")),
                 "extraction": ExtractionResource(cache_dir=str(tmp_path / "cache"), workers=1, ocr=False)}
    assert dg.materialize([documents, cost_sheet_lines], resources=resources).success
    with warehouse.handle().connect() as con:
        found = con.execute(
            "SELECT d.path, l.site, l.company, l.company_canonical, l.company_how FROM core.cost_sheet_lines l "
            "JOIN core.documents d USING (document_id) ORDER BY d.path, l.row_index").fetchall()
    assert found == [
        ("cost_sheets/leak.zip!/kosten.xlsx", "Frankfurt", None, None, None),
        ("cost_sheets/leak.zip!/kosten.xlsx", "Berlin", None, None, None),
        ("cost_sheets/leak.zip!/kosten.xlsx", "Wien", None, None, None),
        ("cost_sheets/weitergeleitet.eml!/kosten.xlsx", "Frankfurt", "Microsoft", "Microsoft", "sender_domain"),
        ("cost_sheets/weitergeleitet.eml!/kosten.xlsx", "Berlin", "Microsoft", "Microsoft", "sender_domain")]
