"""The daily market schedule: yesterday's partition, every day at 01:30 UTC."""
from __future__ import annotations

import dagster as dg

from pipelines.defs.jobs import daily_market_job

daily_market_schedule = dg.build_schedule_from_partitioned_job(
    daily_market_job, hour_of_day=1, minute_of_hour=30, name="daily_market_schedule",
    default_status=dg.DefaultScheduleStatus.RUNNING)
