"""Schedules: the daily market refresh (yesterday's partition, 01:30 UTC) and the weekly report
(Mondays 06:00 UTC, after the weekend's daily refreshes)."""
from __future__ import annotations

import dagster as dg

from pipelines.defs.jobs import daily_market_job, report_job

daily_market_schedule = dg.build_schedule_from_partitioned_job(
    daily_market_job, hour_of_day=1, minute_of_hour=30, name="daily_market_schedule",
    default_status=dg.DefaultScheduleStatus.RUNNING)

weekly_report_schedule = dg.ScheduleDefinition(
    name="weekly_report_schedule", job=report_job, cron_schedule="0 6 * * 1", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every Monday 06:00 UTC: the report and the exports from the published warehouse.")
