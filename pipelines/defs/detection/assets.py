"""Would the chain show it? Level shifts in each proof-of-work coin's network hashrate and, against them,
the detectability of the idle fleet the models and the leaked sheets put on that coin."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.defs.partitions import table_keys
from pipelines.lib.warehouse import incremental
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
GROUP = "chain_evidence"
DETECTABILITY = "marts.fleet_detectability"
SQL = [f"marts/{n}.sql" for n in ("fleet_detectability_load", "detection_network", "detection_breaks",
                                   "detection_lines")]   # what the asset runs: part of its code digest


def _read(con, name: str):
    return con.execute(load_sql(f"marts/detection_{name}.sql")).df()


@dg.asset(key=["marts", "hashrate_breaks"], group_name=GROUP, kinds={"duckdb", "python"}, owners=OWNERS,
          deps=table_keys("network_daily"))
def hashrate_breaks(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per level shift in a proof-of-work coin's daily log network hashrate, up or down: ruptures'
    PELT with one penalty rule for every coin (pipelines/lib/chain/breaks.py). Rebuilt whole."""
    from pipelines.lib.chain.breaks import PENALTY_K, hashrate_breaks as detect

    started = time.perf_counter()
    with warehouse.handle().connect() as con:
        found = detect(_read(con, "network"))
        with transaction(con, staged=found):
            run_file(con, "marts/hashrate_breaks_load.sql")
        counts = found.groupby(["coin", "direction"]).size().unstack(fill_value=0) if not found.empty else None
        by_coin = "\n".join(["| coin | up | down |", "|---|---|---|"] + (
            [] if counts is None else [f"| {c} | {int(r.get('up', 0))} | {int(r.get('down', 0))} |"
                                       for c, r in counts.iterrows()]))
        dropped = found.attrs.get("dropped_in_gap", {})
        context.log.info(f"{len(found)} breaks; dropped inside gaps: {dropped or 'none'}")
        return table_result(con, "marts.hashrate_breaks", started, breaks_by_coin=dg.MetadataValue.md(by_coin),
                            dropped_in_gap=dg.MetadataValue.json(dropped),
                            penalty_rule=dg.MetadataValue.text(f"{PENALTY_K:g} x sigma^2 x log(n), sigma from "
                                                               "the MAD of first differences"))


@dg.asset(key=["marts", "fleet_detectability"], group_name=GROUP, kinds={"duckdb", "python"}, owners=OWNERS,
          deps=[dg.AssetKey(["marts", "hashrate_breaks"]), dg.AssetKey(["marts", "mining_contribution_daily"]),
                dg.AssetKey(["marts", "rally_attribution"]), *table_keys("cost_sheet_lines", "network_daily")])
def fleet_detectability(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                        model_assumptions: ModelAssumptionsResource) -> dg.MaterializeResult:
    """Per proof-of-work coin and rally window, per leaked sheet line naming a coin and per sheet: the step the
    fleet would make in log network hashrate, the smallest step the detector finds with 95 % probability
    there (a seeded power analysis on the real series), the observed steps up and down, and a verdict
    (pipelines/lib/chain/detectability.py). The rally windows' rows are recomputed every time; a sheet's rows
    depend only on its own lines and on the chain, its breaks, the settings and the code (the power analysis
    is seeded per day), so only sheets whose lines changed are recomputed, and all when a shared input did."""
    from pipelines.lib.chain import detectability as det
    from pipelines.lib.models import assumptions

    started = time.perf_counter()
    settings = det.settings(model_assumptions.file)
    with warehouse.handle().connect() as con:
        windows = {r.window_name: (r.window_start, r.window_end) for r in _read(con, "windows").itertuples()}
        if not windows:
            windows = assumptions.load(model_assumptions.file).windows
        network, breaks, lines = _read(con, "network"), _read(con, "breaks"), _read(con, "lines")
        code = incremental.code_digest("pipelines.lib.chain.detectability", asset=__file__, sql=SQL)
        shared = incremental.frames_digest({"network": network, "breaks": breaks}, repr(settings), code)
        current = incremental.document_digests({"lines": lines})
        todo = incremental.plan(incremental.stored(con, DETECTABILITY), shared, current)
        mine = lines if todo.everything else lines[lines["document_id"].isin(todo.recompute)]
        rows = det.fleet_detectability(network, breaks, _read(con, "contribution"), mine, windows, settings)
        incremental.write_documents(con, DETECTABILITY, rows, todo, "marts/fleet_detectability_load.sql", shared,
                                    current)
        context.log.info(f"{DETECTABILITY}: {len(todo.recompute)} sheet(s) computed"
                         + ("" if todo.everything else f", {todo.kept} kept"))
        rows = con.execute(f"SELECT verdict FROM {DETECTABILITY}").df()
        verdicts = rows["verdict"].value_counts()
        context.log.info(f"{len(rows)} subjects: " + ", ".join(f"{v} {int(verdicts.get(v, 0))}" for v in det.VERDICTS))
        return table_result(
            con, "marts.fleet_detectability", started,
            **{v: dg.MetadataValue.int(int(verdicts.get(v, 0))) for v in det.VERDICTS},
            power_analysis=dg.MetadataValue.text(f"{settings.trials} trials, {settings.probability:.0%}, "
                                                 f"+-{settings.half_window_days} days, seed {settings.seed}"),
            sheets_computed=dg.MetadataValue.int(len(todo.recompute)),
            sheets_kept=dg.MetadataValue.int(todo.kept),
        )

