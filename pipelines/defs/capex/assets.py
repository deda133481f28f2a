"""Capex: plans announced in press releases, articles and records, and quarterly capex as filed."""

import time

import dagster as dg
import pandas as pd

from pipelines.defs.loading import parse_kind, table_result, utc_now
from pipelines.lib.capex.announcements import ANNOUNCEMENT_COLUMNS, ANNOUNCEMENTS
from pipelines.lib.capex.parser import parse_capex_file
from pipelines.lib.capex.quarterly import QUARTERLY, QUARTERLY_COLUMNS
from pipelines.lib.warehouse.sql import run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import RawFolderResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
DOCS = dg.AssetKey(["core", "documents"])
FX = dg.AssetKey(["core", "fx_daily"])
ANNOUNCEMENTS_KEY = dg.AssetKey(["core", ANNOUNCEMENTS])
QUARTERLY_KEY = dg.AssetKey(["core", QUARTERLY])
QUARANTINE_COLUMNS = ["source_table", "document_id", "locator", "raw_record", "reason", "check_name"]
OUTCOME_COLUMNS = ["path", "document_id", "status", "error", "pages", "rows_loaded", "rows_quarantined"]


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
    documents (TXT, Markdown, HTML, PDF, JSON, CSV of dated announcements)."""
    started = time.perf_counter()
    with warehouse.handle().connect() as con:
        staged, rejected, outcomes = parse_kind(con, raw, "capex", parse_capex_file, utc_now().date(),
                                                context.log)
        write_capex(con, staged, rejected, outcomes)
        files = dg.MetadataValue.int(len(outcomes))
        quarantined = dg.MetadataValue.int(sum(o["status"] == "quarantined" for o in outcomes))
        for key, table in ((ANNOUNCEMENTS_KEY, ANNOUNCEMENTS), (QUARTERLY_KEY, QUARTERLY)):
            in_table = sum(r["check_name"].startswith(QUARTERLY + ".") == (table == QUARTERLY) for r in rejected)
            result = table_result(con, f"core.{table}", started, files=files, files_quarantined=quarantined,
                                  rows_quarantined=dg.MetadataValue.int(in_table))
            yield dg.MaterializeResult(asset_key=key, metadata=result.metadata)


def _split(staged: pd.DataFrame | None, table: str, columns: list[str]) -> pd.DataFrame:
    columns = [c for c in columns if c != "target_table"] + ["document_id", "path"]
    if staged is None or staged.empty:
        return pd.DataFrame(columns=columns)
    # a run may hold only one kind of capex file: the other table's columns are then absent
    return staged.loc[staged["target_table"] == table].reindex(columns=columns).reset_index(drop=True)


def write_capex(con, staged, rejected: list[dict], outcomes: list[dict]) -> None:
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
