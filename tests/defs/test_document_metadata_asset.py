"""core.document_metadata is read once per document content and forensics code: a re-run reads no file,
a new document is the only one read, and a change of the forensics code reads every document again."""
import shutil

import dagster as dg

import pipelines.lib.forensics.extract as forensics
from pipelines.defs.forensics import assets as forensics_assets
from pipelines.defs.ingest.assets import documents
from pipelines.resources import RawFolderResource, WarehouseResource
from tests.conftest import BUNDLED_RAW


def test_metadata_is_read_once_per_document_and_again_when_the_reader_changes(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "cost_sheets").mkdir(parents=True)
    for name in ("de_kostenrechnung_q1_2024.pdf", "cost_sheet_2024.xlsx"):
        shutil.copy2(BUNDLED_RAW / "cost_sheets" / name, raw / "cost_sheets" / name)
    read: list[str] = []
    real = forensics.document_metadata

    def counting(path, document_id=None, media_type=None):
        read.append(path.name)
        return real(path, document_id, media_type)

    monkeypatch.setattr(forensics, "document_metadata", counting)
    warehouse = WarehouseResource(path=str(tmp_path / "leaks.duckdb"))
    resources = {"warehouse": warehouse, "raw": RawFolderResource(path=str(raw))}

    def run() -> dict:
        read.clear()
        assert dg.materialize([documents, forensics_assets.document_metadata], resources=resources).success
        with warehouse.handle().connect() as con:
            return dict(con.execute("SELECT document_id, producer FROM core.document_metadata").fetchall())

    first = run()
    assert sorted(read) == ["cost_sheet_2024.xlsx", "de_kostenrechnung_q1_2024.pdf"] and len(first) == 2
    assert run() == first and read == []                       # unchanged: nothing is read again
    shutil.copy2(BUNDLED_RAW / "cost_sheets" / "en_idle_mining_h2_2023.pdf", raw / "cost_sheets")
    third = run()
    assert read == ["en_idle_mining_h2_2023.pdf"] and len(third) == 3 and first.items() <= third.items()
    (raw / "cost_sheets" / "cost_sheet_2024.xlsx").unlink()   # a document gone from the register loses its row
    assert len(run()) == 2 and read == []
    monkeypatch.setattr(forensics_assets, "source_digest", lambda *roots: "another reader")
    assert len(run()) == 2 and len(read) == 2                 # a changed reader reads every document again
