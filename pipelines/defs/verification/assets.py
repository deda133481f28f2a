"""Leak verification: every claim of every leaked cost-sheet line, checked and explained."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.defs.partitions import table_keys
from pipelines.lib.warehouse import incremental
from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
VERDICTS = ("plausible", "implausible", "unverifiable")
MART = "marts.leak_plausibility"
SHARED_INPUTS = ("specs", "network", "consensus")          # the same for every document
DOCUMENT_INPUTS = ("lines", "metadata", "first_seen")       # one document's rows shape only its own rows


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
    metadata claims (its own dates, producer and text layer; table and row NULL). A document's rows depend
    only on its own lines, metadata and first day seen and on inputs shared by all (device specs, the
    chain, consensus, the server overhead, the rules' code): only documents whose own inputs changed are
    re-assessed, and all of them when a shared input did (pipelines/lib/warehouse/incremental.py)."""
    from pipelines.lib.verification.plausibility import assess
    from pipelines.lib.verification.power import server_overhead
    from pipelines.lib.verification.verdicts import RULE_VERSION

    started = time.perf_counter()
    overhead = server_overhead(model_assumptions.file)
    with warehouse.handle().connect() as con:
        inputs = {name: _read(con, name) for name in SHARED_INPUTS + DOCUMENT_INPUTS}
        shared = incremental.frames_digest({k: inputs[k] for k in SHARED_INPUTS}, repr(overhead), _code_digest())
        per_document = {k: inputs[k] for k in DOCUMENT_INPUTS}
        leaked = set(inputs["lines"]["document_id"]) | set(inputs["metadata"]["document_id"])
        per_document["first_seen"] = per_document["first_seen"][per_document["first_seen"]["document_id"].isin(leaked)]
        current = incremental.document_digests(per_document)
        todo = incremental.plan(incremental.stored(con, MART), shared, current)
        if not todo.nothing_to_do:
            mine = {k: v if todo.everything else v[v["document_id"].isin(todo.recompute)]
                    for k, v in per_document.items()}
            verdicts = assess(mine["lines"], inputs["specs"], inputs["network"], inputs["consensus"],
                              mine["first_seen"].set_index("document_id")["first_seen"], overhead,
                              metadata=mine["metadata"])
            incremental.write_documents(con, MART, verdicts, todo, "marts/leak_plausibility_load.sql", shared,
                                        current)
        context.log.info(f"{MART}: {len(todo.recompute)} document(s) assessed"
                         + ("" if todo.everything else f", {todo.kept} kept, {len(todo.drop)} replaced or removed"))
        verdicts = con.execute(f"SELECT claim, verdict FROM {MART}").df()
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
            documents_assessed=dg.MetadataValue.int(len(todo.recompute)),
            documents_kept=dg.MetadataValue.int(todo.kept),
        )


def _code_digest() -> str:
    """The rules (plausibility and every `pipelines` module it imports, with the reference tables they name,
    RULE_VERSION included), this file and the mart's SQL."""
    return incremental.code_digest("pipelines.lib.verification.plausibility", "pipelines.lib.verification.power",
                                   asset=__file__, sql=[f"marts/leak_plausibility_{n}.sql"
                                                        for n in ("load",) + SHARED_INPUTS + DOCUMENT_INPUTS])
