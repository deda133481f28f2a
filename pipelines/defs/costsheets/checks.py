"""Expectations on core.cost_sheet_lines: the extraction, never the truth of a claim.

A leaked figure that is physically implausible is evidence (marts.leak_plausibility flags it); a
row is rejected here only when it was not read properly: no provenance, a share above 100 %, a
negative count, a period that ends before it starts, an unknown currency or extraction method.
"""

from pipelines.defs.validation import expectation_check
from pipelines.lib.validation import expectations as v

PDF_METHODS = ["pdf_lines", "pdf_text", "ocr"]

COST_SHEET_LINES = v.suite(
    "core.cost_sheet_lines", ["document_id", "page", "table_index", "row_index"],
    v.not_null("document_id", "page", "table_index", "row_index", "source_text", "extraction_method",
               "is_total_row"),
    v.unique("document_id", "table_index", "row_index"),
    v.in_set("extraction_method", [*PDF_METHODS, "xlsx", "csv", "xls", "ods", "docx", "html"]),
    v.required_when("bbox", f"extraction_method in {PDF_METHODS!r}",
                    "a line read from a PDF must keep its box on the page (provenance)", "pdf_provenance"),
    v.matches("source_text", r"\S", "the row as printed is empty (provenance lost)"),
    v.between("page", 1, None, "pages are counted from 1"),
    v.non_negative("table_index", "row_index", "device_count", "idle_hours", "power_kw",
                   "electricity_price_native", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs",
                   "claimed_coins_mined"),
    v.share("utilization_share"),
    v.positive("pue"),
    v.in_set("currency", v.iso_currencies(), "currency must be an ISO 4217 code"),
    v.at_least("period_end", "period_start", "the period ends before it starts (dates misread?)"),
    v.between("period_start", "2000-01-01", "2100-01-01", "the period start is not a plausible date "
              "(a year misread?)", label="readable"),
    v.between("period_end", "2000-01-01", "2100-01-01", "the period end is not a plausible date "
              "(a year misread?)", label="readable"),
    v.has_rows(),
    inputs_kind="cost_sheet",
)

cost_sheet_lines_expectations = expectation_check(COST_SHEET_LINES)
