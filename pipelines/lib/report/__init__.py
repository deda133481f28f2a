"""The analyst report: verdict, leak verification with page crops, idle fleet, profitability, rally
attribution, sensitivity, assumptions and data quality, as one self-contained HTML file, a PDF and
Markdown. A pure library (no Dagster): `build_report(warehouse, raw_dir, out_dir, progress=...)`."""
from pipelines.lib.report.build import REPORT_STEPS, ReportError, ReportFiles, build_report

__all__ = ["REPORT_STEPS", "ReportError", "ReportFiles", "build_report"]
