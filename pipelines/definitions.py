"""The Dagster code location: every asset, job, schedule and sensor under pipelines/defs."""
import dagster as dg

from pipelines.defs import jobs, schedules, sensors
from pipelines.defs.capex import assets as capex
from pipelines.defs.capex import checks as capex_checks
from pipelines.defs.chain import assets as chain
from pipelines.defs.chain import checks as chain_checks
from pipelines.defs.costsheets import assets as costsheets
from pipelines.defs.costsheets import checks as costsheets_checks
from pipelines.defs.ingest import assets as ingest
from pipelines.defs.ingest import checks as ingest_checks
from pipelines.defs.market import assets as market
from pipelines.defs.market import checks as market_checks
from pipelines.defs.models import assets as models
from pipelines.defs.models import checks as models_checks
from pipelines.defs.quality import assets as quality
from pipelines.defs.reference import assets as reference
from pipelines.defs.reference import checks as reference_checks
from pipelines.defs.reports import assets as reports
from pipelines.defs.verification import assets as verification
from pipelines.defs.warehouse import assets as warehouse
from pipelines.resources import build_resources


def build_definitions(env=None) -> dg.Definitions:
    """Definitions whose resources follow `env` (default: the process environment)."""
    return dg.Definitions(
        assets=dg.load_assets_from_modules([ingest, market, chain, reference, costsheets, capex, verification,
                                            models, warehouse, quality, reports]),
        asset_checks=dg.load_asset_checks_from_modules([ingest_checks, market_checks, chain_checks, reference_checks,
                                                         costsheets_checks, capex_checks, models_checks]),
        jobs=[jobs.ingest_job, jobs.daily_tables_job, jobs.daily_market_job, jobs.analysis_job, jobs.report_job],
        schedules=[schedules.daily_market_schedule, schedules.weekly_report_schedule],
        sensors=[*sensors.raw_folder_sensors, sensors.daily_tables_after_ingest],
        resources=build_resources(env),
    )


defs = build_definitions()
