"""Capex: plans announced in press releases, articles and records, and quarterly capex as filed."""

import time
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.defs.loading import parse_kind, table_result, utc_now
from pipelines.lib.capex.announcements import ANNOUNCEMENT_COLUMNS, ANNOUNCEMENTS
from pipelines.lib.capex.parser import parse_capex_file
from pipelines.lib.capex.quarterly import QUARTERLY, QUARTERLY_COLUMNS
from pipelines.lib.warehouse import incremental
from pipelines.lib.warehouse.sql import load_sql, run_file, sql_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
DOCS = dg.AssetKey(["core", "documents"])
FX = dg.AssetKey(["core", "fx_daily"])
ANNOUNCEMENTS_KEY = dg.AssetKey(["core", ANNOUNCEMENTS])
QUARTERLY_KEY = dg.AssetKey(["core", QUARTERLY])
QUARANTINE_COLUMNS = ["source_table", "document_id", "locator", "raw_record", "reason", "check_name"]
OUTCOME_COLUMNS = ["path", "document_id", "status", "error", "pages", "rows_loaded", "rows_quarantined"]
SKIP_KEY = "core.capex"   # meta.mart_inputs entry for both tables


@dg.multi_asset(
    name="capex",
    specs=[
        dg.AssetSpec(
            ANNOUNCEMENTS_KEY, group_name="capex", kinds={"duckdb", "python"}, owners=OWNERS, deps=[DOCS, FX],
            description="One row per capex amount a company announced (press release, article, PDF, JSON "
                        "record): company, announcement date, amount native and in USD, scope "
                        "(ai_datacenter | total_capex | other), horizon, and where in the document it was read."),
        dg.AssetSpec(
            QUARTERLY_KEY, group_name="capex", kinds={"duckdb", "python"}, owners=OWNERS, deps=[DOCS],
            description="One row per company and quarter: purchases of property and equipment in USD, "
                        "with the filing it comes from."),
    ],
)
def capex(context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw: RawFolderResource):
    """Both capex tables from raw/capex/, parsed in one pass so that every file there gets exactly one
    outcome in core.documents (parser 'capex'): CSV tables of quarterly capex, and announcement
    documents (TXT, Markdown, HTML, PDF, JSON, CSV of dated announcements). Skipped (both tables, their
    quarantine and outcomes kept) when the capex files (paths and content), the day (dates are read
    relative to it), the exchange rates, the parsers, the load and the tables' expectations are all
    unchanged since the tables were written."""
    started = time.perf_counter()
    today = utc_now().date()
    with warehouse.handle().connect() as con:
        documents = pd.DataFrame(con.execute(load_sql("core/documents_to_parse.sql"), {"kind": "capex"}).fetchall(),
                                 columns=["path", "document_id"])
        fx = con.execute(load_sql("core/cost_sheet_lines_fx.sql")).df()
        digest = incremental.frames_digest({"documents": documents, "fx": fx}, today.isoformat(), _code_digest())
        kept = incremental.whole_unchanged(con, SKIP_KEY, digest)
        if kept:
            context.log.info("capex files, day, rates and code unchanged since the tables were written: kept")
            for key, table in ((ANNOUNCEMENTS_KEY, ANNOUNCEMENTS), (QUARTERLY_KEY, QUARTERLY)):
                result = table_result(con, f"core.{table}", started, rebuilt=dg.MetadataValue.bool(False))
                yield dg.MaterializeResult(asset_key=key, metadata=result.metadata)
            return
        staged, rejected, outcomes = parse_kind(con, raw, "capex", parse_capex_file, today, context.log)
        write_capex(con, staged, rejected, outcomes, also=lambda c: incremental.store_whole(c, SKIP_KEY, digest))
        files = dg.MetadataValue.int(len(outcomes))
        quarantined = dg.MetadataValue.int(sum(o["status"] == "quarantined" for o in outcomes))
        for key, table in ((ANNOUNCEMENTS_KEY, ANNOUNCEMENTS), (QUARTERLY_KEY, QUARTERLY)):
            in_table = sum(r["check_name"].startswith(QUARTERLY + ".") == (table == QUARTERLY) for r in rejected)
            result = table_result(con, f"core.{table}", started, files=files, files_quarantined=quarantined,
                                  rows_quarantined=dg.MetadataValue.int(in_table), rebuilt=dg.MetadataValue.bool(True))
            yield dg.MaterializeResult(asset_key=key, metadata=result.metadata)


def _code_digest() -> str:
    """The parsers (and every `pipelines` module and reference table they use), this file, the load SQL and
    the tables' expectation suites (they remove failing rows after the load)."""
    from pipelines.lib.common.digests import source_digest

    return source_digest("pipelines.lib.capex.parser", "pipelines.defs.capex.checks", "pipelines.defs.loading",
                         also=[Path(__file__), *(Path(sql_file(f"core/{n}.sql")) for n in (
                             "capex_announcements_load", "capex_quarterly_load", "documents_to_parse",
                             "cost_sheet_lines_fx", "quarantine_sync", "outcomes_sync"))])


def _split(staged: pd.DataFrame | None, table: str, columns: list[str]) -> pd.DataFrame:
    columns = [c for c in columns if c != "target_table"] + ["document_id", "path"]
    if staged is None or staged.empty:
        return pd.DataFrame(columns=columns)
    # a run may hold only one kind of capex file: the other table's columns are then absent
    return staged.loc[staged["target_table"] == table].reindex(columns=columns).reset_index(drop=True)


def write_capex(con, staged, rejected: list[dict], outcomes: list[dict], also=None) -> None:
    """In one transaction: both tables, each table's parse-stage quarantine, and the files' outcomes."""
    now = utc_now()
    quarantine = pd.DataFrame(rejected, columns=QUARANTINE_COLUMNS)
    quarterly = quarantine["check_name"].astype(str).str.startswith(QUARTERLY + ".")
    # everything else, a parser crash ('capex.parser_error') included, is filed under the announcements
    by_table = {ANNOUNCEMENTS: quarantine[~quarterly], QUARTERLY: quarantine[quarterly]}
    outcome_frame = pd.DataFrame(outcomes, columns=OUTCOME_COLUMNS)
    outcome_frame["pages"] = outcome_frame["pages"].astype("Int64")
    with transaction(con, staged_announcements=_split(staged, ANNOUNCEMENTS, ANNOUNCEMENT_COLUMNS),
                     staged_quarterly=_split(staged, QUARTERLY, QUARTERLY_COLUMNS), staged_outcomes=outcome_frame):
        run_file(con, "core/capex_announcements_load.sql")
        run_file(con, "core/capex_quarterly_load.sql")
        for table, frame in by_table.items():
            con.register("staged_quarantine", frame.reset_index(drop=True))
            try:
                run_file(con, "core/quarantine_sync.sql", {"source_table": table, "stage": "parse", "now": now})
            finally:
                con.unregister("staged_quarantine")
        run_file(con, "core/outcomes_sync.sql", {"parser": "capex", "now": now})
        if also is not None:   # bookkeeping that must commit with the rows
            also(con)
