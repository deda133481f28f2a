"""Hashrate against price: Granger causality in both directions per coin and sample, and what an idle GPU-day
earns mining against what it would earn rented out."""

import time

import dagster as dg

from pipelines.defs.loading import table_result
from pipelines.defs.partitions import table_keys
from pipelines.lib.warehouse import incremental
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]


def _assumptions(model_assumptions: ModelAssumptionsResource):
    from pipelines.lib.models import assumptions

    try:
        return assumptions.load(model_assumptions.file or None)
    except (OSError, assumptions.AssumptionError) as exc:
        raise dg.Failure(description=f"cannot use the model assumptions {model_assumptions.file or '(bundled)'}: "
                                     f"{exc}") from exc


def _kept(context, con, mart: str, digest: str, started: float, **extra) -> dg.MaterializeResult | None:
    """The mart as it is, when what shapes it is unchanged since it was written (else None: rebuild)."""
    if not incremental.whole_unchanged(con, mart, digest):
        return None
    context.log.info(f"{mart}: inputs, settings and code unchanged since it was built: kept")
    return table_result(con, mart, started, rebuilt=dg.MetadataValue.bool(False), **extra)


@dg.asset(key=["marts", "hashrate_price_causality"], group_name="causality", kinds={"duckdb", "statsmodels"},
          owners=OWNERS, deps=table_keys("network_daily", "prices_daily"))
def hashrate_price_causality(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                             model_assumptions: ModelAssumptionsResource) -> dg.MaterializeResult:
    """Granger F-tests both ways between log changes of network hashrate and log returns, per proof-of-work
    coin, daily and weekly, over each rally window and the whole common history (pipelines/lib/chain/causality.py).
    Rebuilt whole, and only when the two series, the windows or the code changed (else kept)."""
    from pipelines.lib.chain.causality import granger_table

    started = time.perf_counter()
    a = _assumptions(model_assumptions)
    with warehouse.handle().connect() as con:
        hashrate = con.execute(load_sql("marts/causality_hashrate.sql")).df()
        prices = con.execute(load_sql("marts/causality_prices.sql")).df()
        digest = incremental.frames_digest(
            {"hashrate": hashrate, "prices": prices}, repr(sorted((k, tuple(map(str, v))) for k, v in a.windows.items())),
            incremental.code_digest("pipelines.lib.chain.causality", asset=__file__, sql=[
                "marts/causality_load.sql", "marts/causality_hashrate.sql", "marts/causality_prices.sql"]))
        kept = _kept(context, con, "marts.hashrate_price_causality", digest, started)
        if kept is not None:
            return kept
        coins = sorted(set(hashrate["coin"]))
        table = granger_table(hashrate, prices, a.windows, coins=coins)
        with transaction(con, staged=table):
            run_file(con, "marts/causality_load.sql")
            incremental.store_whole(con, "marts.hashrate_price_causality", digest)
        tested = table[table["p_value"].notna()]
        lines = ["| coin | sample | frequency | direction | lags | p |", "|---|---|---|---|---|---|"] + [
            f"| {r.coin} | {r.sample} | {r.frequency} | {r.direction} | {int(r.lags)} | {r.p_value:.3g} |"
            for r in tested.itertuples()]
        context.log.info(f"{len(tested)} of {len(table)} Granger tests run for {len(coins)} coin(s)")
        return table_result(con, "marts.hashrate_price_causality", started, rebuilt=dg.MetadataValue.bool(True),
                            tested=dg.MetadataValue.int(len(tested)),
                            p_values=dg.MetadataValue.md("\n".join(lines)))


@dg.asset(key=["marts", "mining_vs_rental_daily"], group_name="causality", kinds={"duckdb"}, owners=OWNERS,
          deps=[dg.AssetKey(["marts", "mining_profitability_daily"])])
def mining_vs_rental_daily(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                           model_assumptions: ModelAssumptionsResource) -> dg.MaterializeResult:
    """Per coin, H100/A100 device and day: the mining revenue of one GPU against the public list price of
    renting it for the same 24 hours (model_assumptions.toml [rental]). Rebuilt whole, and only when the
    revenue, the rental prices, the assumption set or the code changed (else kept)."""
    from pipelines.lib.models.rental import mining_vs_rental

    started = time.perf_counter()
    a = _assumptions(model_assumptions)
    with warehouse.handle().connect() as con:
        revenue = con.execute(load_sql("marts/rental_revenue.sql")).df()
        digest = incremental.frames_digest(
            {"revenue": revenue}, repr(a.rental), repr(a.rental_unit), a.set_id,
            incremental.code_digest("pipelines.lib.models.rental", asset=__file__,
                                    sql=["marts/rental_load.sql", "marts/rental_revenue.sql"]))
        kept = _kept(context, con, "marts.mining_vs_rental_daily", digest, started,
                     assumption_set=dg.MetadataValue.text(a.set_id))
        if kept is not None:
            return kept
        table = mining_vs_rental(revenue, a.rental, a.rental_unit)
        with transaction(con, staged=table):
            run_file(con, "marts/rental_load.sql", {"assumption_set": a.set_id})
            incremental.store_whole(con, "marts.mining_vs_rental_daily", digest)
        known = table["ratio"].notna()
        context.log.info(f"{int(known.sum())} of {len(table)} coin-device-days with a mining/rental ratio")
        return table_result(con, "marts.mining_vs_rental_daily", started, rebuilt=dg.MetadataValue.bool(True),
                            ratios_known=dg.MetadataValue.int(int(known.sum())),
                            median_ratio=dg.MetadataValue.float(float(table.loc[known, "ratio"].median()))
                            if known.any() else dg.MetadataValue.text("none known"),
                            assumption_set=dg.MetadataValue.text(a.set_id))
