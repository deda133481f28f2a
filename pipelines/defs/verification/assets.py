"""Leak verification: every claim of every leaked cost-sheet line, checked and explained."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.defs.partitions import table_keys
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
VERDICTS = ("plausible", "implausible", "unverifiable")


def _read(con, name: str):
    return con.execute(load_sql(f"marts/leak_plausibility_{name}.sql")).df()


@dg.asset(
    key=["marts", "leak_plausibility"],
    group_name="verification",
    kinds={"duckdb"},
    owners=OWNERS,
    deps=table_keys("cost_sheet_lines", "hardware_specs", "network_daily", "consensus_periods", "documents",
                    "document_metadata"),
)
def leak_plausibility(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                      model_assumptions: ModelAssumptionsResource) -> dg.MaterializeResult:
    """One row per claim of a leaked cost-sheet line (document, table, row) and the rule that checked
    it: the claimed value, the range the device's published hashrate and power, the chain's issuance
    and consensus, the sheet's own totals and its dates allow, a verdict (plausible, implausible or
    unverifiable when an input is missing) and a sentence a journalist can quote; and per leaked file its
    metadata claims (its own dates, producer and text layer; table and row NULL). Rebuilt whole."""
    from pipelines.lib.verification.plausibility import assess
    from pipelines.lib.verification.power import server_overhead
    from pipelines.lib.verification.verdicts import RULE_VERSION

    started = time.perf_counter()
    with warehouse.handle().connect() as con:
        first_seen = _read(con, "first_seen").set_index("document_id")["first_seen"]
        verdicts = assess(_read(con, "lines"), _read(con, "specs"), _read(con, "network"), _read(con, "consensus"),
                          first_seen, server_overhead(model_assumptions.file), metadata=_read(con, "metadata"))
        with transaction(con, staged=verdicts):
            run_file(con, "marts/leak_plausibility_load.sql")
        counts = verdicts.groupby(["claim", "verdict"]).size()
        context.log.info(f"{len(verdicts)} claims checked: " + ", ".join(
            f"{v} {int((verdicts['verdict'] == v).sum())}" for v in VERDICTS))
        by_claim = "\n".join(["| claim | " + " | ".join(VERDICTS) + " |", "|---|---|---|---|"] + [
            f"| {claim} | " + " | ".join(str(int(counts.get((claim, v), 0))) for v in VERDICTS) + " |"
            for claim in sorted(verdicts["claim"].unique())])
        return table_result(
            con, "marts.leak_plausibility", started,
            **{v: dg.MetadataValue.int(int((verdicts["verdict"] == v).sum())) for v in VERDICTS},
            verdicts_by_claim=dg.MetadataValue.md(by_claim),
            rule_version=dg.MetadataValue.text(RULE_VERSION),
        )
