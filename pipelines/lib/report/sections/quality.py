"""Section 8, data quality: the sample-data notice, files not loaded, quarantined records and the
great-expectations results."""
from __future__ import annotations

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Paragraph,
    Section,
    Table,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES


MAX_TABLE_ROWS = 200


def sample_notice(data):
    check = data.sample
    if check is None or not check.is_sample:
        return None
    signs = []
    if check.raw_is_bundled:
        signs.append("the raw folder is the project's bundled raw/")
    if check.matching > check.matching_reference:
        signs.append(f"{check.matching - check.matching_reference} of {check.documents} documents are "
                     f"byte-identical (sha256) to files of the bundled sample")
    synthetic = [f"{r['synthetic']:,} of {r['total']:,} rows of core.{r['source_table']}"
                 for r in check.synthetic if r["synthetic"]]
    if synthetic:
        signs.append("the inputs mark " + ", ".join(synthetic) + " as synthesised or approximate")
    return say("Sample data: {signs}. The bundled sample interpolates real month-end figures with synthesised "
               "daily paths and contains made-up leaked sheets; the numbers here show the method, not findings "
               "about the world.", signs=joined(signs))


def quality_section(data) -> Section:
    blocks = []
    notice = sample_notice(data)
    check = data.sample
    if notice is not None:
        blocks.append(Paragraph(notice, "warning"))
    else:
        blocks.append(Paragraph(say("No sign of the bundled sample: no document matches its made-up files (sha256), "
                                    "the raw folder is not the project's raw/ and no row is marked synthetic.")))
    if check is not None and check.matching_reference:
        blocks.append(Paragraph(say(
            "{n} document(s) are the project's own reference tables (hardware specifications, dated events): "
            "hand-written facts with cited sources, which do not make this the made-up sample.",
            n=str(check.matching_reference)), "note"))
    if check is not None:
        blocks.append(Paragraph(say(
            "How the sample is detected: the raw folder's resolved path is compared with the project's raw/; "
            "each document's sha256 (core.documents.document_id) with the sha256 of the {n} non-empty files of "
            "the project's raw/ (so a copy of the sample anywhere is recognised, and an empty file proves "
            "nothing); and rows the inputs mark is_synthetic are counted.", n=str(check.bundled_files)), "note"))
    status = data["documents_by_status"]
    if status:
        blocks.append(Table(["status", "kind", "files"],
                            [[u(r["status"]), u(r["kind"]), f"{r['files']:,}"] for r in status], numeric={2}))
    else:
        blocks.append(Paragraph(say("core.documents is empty: no input file was recorded."), "note"))
    not_loaded = data["documents_not_loaded"]
    if not_loaded:
        blocks.append(Paragraph(say("Files not loaded, with the reason:")))
        blocks.append(_capped(["path", "kind", "status", "reason"],
                              [[u(r["path"], 200), u(r["kind"]), u(r["status"]), u(r["reason"], 300)]
                               for r in not_loaded], None))
    total = data["quarantine_total"][0] if data["quarantine_total"] else {"records": 0, "documents": 0}
    blocks.append(Paragraph(say("{n} records are quarantined (core.quarantine), from {d} documents.",
                                n=f"{total['records']:,}", d=f"{total['documents']:,}")))
    if data["quarantine_summary"]:
        blocks.append(_capped(
            ["document", "table", "stage", "check", "reason", "records", "e.g. at"],
            [[u(r["document"], 200), u(r["source_table"]), u(r["stage"]), u(r["check_name"], 80),
              u(r["reason"], 300), f"{r['records']:,}", u(r["example_locator"], 80)]
             for r in data["quarantine_summary"]], None, numeric={5}))
    checked = data["validation_total"][0] if data["validation_total"] else {"expectations": 0, "passed": 0}
    blocks.append(Paragraph(say("Validation (great-expectations, core.validation_results): {p} of {n} "
                                "expectations met on their latest run.", p=f"{checked['passed'] or 0:,}",
                                n=f"{checked['expectations']:,}")))
    if data["validation_failures"]:
        blocks.append(_capped(["table", "expectation", "severity", "failing rows", "observed", "why"],
                              [[u(r["source_table"]), u(r["expectation"], 120), u(r["severity"]),
                                fmt.cell(r["unexpected_count"]), u(r["observed"], 120), u(r["why"], 300)]
                               for r in data["validation_failures"]], None, numeric={3}))
    for missing in data.missing:
        blocks.append(Paragraph(say("Not in this warehouse: {m}", m=u(missing, 300)), "note"))
    return Section("quality", SECTION_TITLES["quality"], blocks)


def _capped(headers, rows, note, numeric=frozenset()):
    if len(rows) >= MAX_TABLE_ROWS:
        note = say("The first {n} rows are shown.", n=f"{MAX_TABLE_ROWS:,}")
        rows = rows[:MAX_TABLE_ROWS]
    return Table(headers, rows, note, set(numeric))
