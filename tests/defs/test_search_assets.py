"""The full-text index is updated document by document (issue 19, point 2): a re-run indexes nothing, a
changed document is indexed again, a removed one (and its members) leaves the index."""
import shutil

import dagster as dg

from pipelines.defs.costsheets.assets import cost_sheet_lines
from pipelines.defs.ingest.assets import documents
from pipelines.defs.search.assets import document_index, document_text
from pipelines.lib.search.index import search
from pipelines.lib.search.publish import index_paths
from pipelines.resources import ExtractionResource, RawFolderResource, WarehouseResource
from tests.conftest import BUNDLED_RAW

MAIL = "weitergeleitet_kosten_q3_2024.eml"
MEMBER = f"cost_sheets/{MAIL}!/kosten_rechenzentren_q3_2024.xlsx"


def test_unchanged_documents_are_not_indexed_again_changed_ones_are_and_removed_ones_leave(tmp_path, extract_cache):
    raw = tmp_path / "raw"
    (raw / "cost_sheets").mkdir(parents=True)
    for name in ("de_kostenrechnung_q1_2024.pdf", MAIL):
        shutil.copy2(BUNDLED_RAW / "cost_sheets" / name, raw / "cost_sheets" / name)
    warehouse = WarehouseResource(path=str(tmp_path / "warehouse" / "leaks.duckdb"))
    resources = {"warehouse": warehouse, "raw": RawFolderResource(path=str(raw), scratch_dir=str(tmp_path / "scratch")),
                 "extraction": ExtractionResource(cache_dir=str(extract_cache), workers=1, ocr=False)}
    work, _ = index_paths(warehouse.published)

    def run() -> dict:
        result = dg.materialize([documents, cost_sheet_lines, document_text, document_index], resources=resources)
        assert result.success
        meta = result.asset_materializations_for_node("search__document_index")[0].metadata
        return {k: meta[k].value for k in ("documents", "documents_indexed", "documents_unchanged", "documents_removed")}

    def found(words):
        return sorted({(h.path, h.page) for h in search(work, words)})

    assert run() == {"documents": 3, "documents_indexed": 3, "documents_unchanged": 0, "documents_removed": 0}
    assert found("FRA-11") == [(MEMBER, 1)]
    assert found("Berlin") == [("cost_sheets/de_kostenrechnung_q1_2024.pdf", 1)]
    with warehouse.handle().connect() as con:
        rows = con.execute("SELECT path, page, locator, text_source FROM core.document_text ORDER BY path").fetchall()
    assert rows == [("cost_sheets/de_kostenrechnung_q1_2024.pdf", 1, "page 1", "pdf_text"),
                    (f"cost_sheets/{MAIL}", None, "body", "email_body"), (MEMBER, 1, "sheet 'Q3 2024'", "office")]
    assert run() == {"documents": 3, "documents_indexed": 0, "documents_unchanged": 3, "documents_removed": 0}
    # other bytes under the same name: that document alone is indexed again
    shutil.copy2(BUNDLED_RAW / "cost_sheets" / "en_idle_mining_h2_2023.pdf", raw / "cost_sheets" / "de_kostenrechnung_q1_2024.pdf")
    assert run() == {"documents": 3, "documents_indexed": 1, "documents_unchanged": 2, "documents_removed": 0}
    assert found("Berlin") == [] and found("Virginia") == [("cost_sheets/de_kostenrechnung_q1_2024.pdf", 1)]
    (raw / "cost_sheets" / MAIL).unlink()                        # the e-mail goes, and its attachment with it
    assert run() == {"documents": 1, "documents_indexed": 0, "documents_unchanged": 1, "documents_removed": 2}
    assert found("FRA-11") == [] and found("Kostenaufstellung") == []
