"""The model marts: mining economics, the idle AI fleet, its share of each network, the rally attribution,
the event study behind it and the sensitivity of every headline result. One step, one seeded sample."""

import time

import dagster as dg
import pandas as pd

from pipelines.defs.loading import table_result
from pipelines.defs.partitions import table_keys
from pipelines.lib.common.reference import reference_table
from pipelines.lib.warehouse.sql import load_sql, run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

OWNERS = ["team:leak-analysis"]
MARTS = ["model_assumptions", "mining_profitability_daily", "ai_fleet_daily", "mining_contribution_daily",
         "rally_attribution", "event_study", "sensitivity"]
INPUTS = ["network", "prices", "specs", "quarterly", "announcements", "lines", "events", "flows", "documents",
          "consensus"]
UPSTREAM = ["network_daily", "prices_daily", "hardware_specs", "capex_quarterly", "capex_announcements",
            "cost_sheet_lines", "events", "fund_flows_daily", "documents", "consensus_periods"]
DESCRIPTIONS = {
    "model_assumptions": "Every model input that is not data, as a range with its source.",
    "mining_profitability_daily": "Revenue, power cost and margin per device, coin and day at reference and "
                                  "leaked electricity prices, with the Cambridge-style break-even efficiency.",
    "ai_fleet_daily": "Installed and idle AI accelerators per company and day (p05/p50/p95).",
    "mining_contribution_daily": "The idle fleet's hashrate, network share, coins and USD per coin and day.",
    "rally_attribution": "Share of each rally explained by the hashrate, flow and event channels and the residual.",
    "event_study": "Cumulative abnormal returns around capex, leak and ETF events (constant-mean model; "
                   "the market model on a crypto benchmark beside it).",
    "sensitivity": "Each headline result with each assumption at its low and high end (tornado data).",
}


class ModelConfig(dg.Config):
    """Run-time choices: another assumptions file (over LEAKPIPE_ASSUMPTIONS), other rally windows
    (name -> [start, end])."""

    assumptions_file: str = ""
    windows: dict[str, list[str]] = {}


def _assumptions(config: ModelConfig, model_assumptions: ModelAssumptionsResource):
    from pipelines.lib.models import assumptions

    path = config.assumptions_file or model_assumptions.file or ""
    try:
        return assumptions.load(path or None)
    except (OSError, assumptions.AssumptionError) as exc:
        raise dg.Failure(description=f"cannot use the model assumptions {path or '(bundled)'}: {exc}") from exc


def _windows(config: ModelConfig) -> dict | None:
    from pipelines.lib.models import assumptions

    try:
        return assumptions.parse_windows(config.windows) if config.windows else None
    except assumptions.AssumptionError as exc:
        raise dg.Failure(description=f"windows must be name: [YYYY-MM-DD, YYYY-MM-DD], in order: {exc}") from exc


def _digest(frames: dict[str, pd.DataFrame], set_id: str, windows) -> str:
    """The content of everything that shapes the marts: the input frames, the assumption set, the windows,
    and the model stage with every `pipelines` module it imports (plausibility, the company aliases'
    reader, ...), this module (it reads coins.csv), the SQL that writes the marts and the reference tables
    these read (coins, block rewards, aliases, ...)."""
    from pipelines.lib.warehouse import incremental

    code = incremental.code_digest("pipelines.lib.models.stage", asset=__file__, sql=["marts/models_load.sql"])
    return incremental.frames_digest(frames, set_id, repr(sorted((windows or {}).items())), code)


def _arrow(frame: pd.DataFrame):
    """The frame as an Arrow table for DuckDB to insert from (the real history's 900,000-row profitability
    mart: 0.7 s instead of 1.1 s from pandas, the same rows); the frame itself when a column's Python
    objects have no one Arrow type."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


@dg.multi_asset(
    specs=[dg.AssetSpec(["marts", name], group_name="models", kinds={"duckdb", "numpy"}, owners=OWNERS,
                        description=DESCRIPTIONS[name], deps=table_keys(*UPSTREAM))
           for name in MARTS],
    can_subset=False,
)
def models(context: dg.AssetExecutionContext, config: ModelConfig, warehouse: WarehouseResource,
           model_assumptions: ModelAssumptionsResource):
    """Read the validated core tables, run the model stage (pipelines/lib/models/stage.py), replace every
    model mart in one transaction. Skipped (the marts kept as they are) when the inputs, the assumptions, the
    windows and the model code are all unchanged since the marts were built."""
    from pipelines.lib.models import stage

    started = time.perf_counter()
    a = _assumptions(config, model_assumptions)
    windows = _windows(config)
    with warehouse.handle().connect() as con:
        frames = {name: con.execute(load_sql(f"marts/models_{name}.sql")).df() for name in INPUTS}
        digest = _digest(frames, a.set_id, windows)
        unchanged = con.execute(load_sql("marts/models_digest_get.sql")).fetchone()[0] == digest
        if not unchanged:
            coins = reference_table("coins.csv")
            marts = stage.run_models(stage.ModelInputs(coins=coins, **frames), a, windows, log=context.log.info)
            with transaction(con, **{f"staged_{k}": _arrow(v) for k, v in marts.items()}):
                run_file(con, "marts/models_load.sql", {"digest": digest})
        context.log.info(("unchanged inputs: model marts kept" if unchanged else "model marts rebuilt")
                         + f" (assumption set {a.set_id}, {a.draws} draws)")
        for i, name in enumerate(MARTS):
            metadata = dict(table_result(con, f"marts.{name}", started, assumption_set=dg.MetadataValue.text(a.set_id),
                                         rebuilt=dg.MetadataValue.bool(not unchanged)).metadata)
            if i:   # the step's time is counted once, on the first mart
                metadata.pop("compute_seconds")
            else:
                metadata["compute_step"] = dg.MetadataValue.text("marts/models (7 marts)")
            yield dg.MaterializeResult(asset_key=["marts", name], metadata=metadata)
