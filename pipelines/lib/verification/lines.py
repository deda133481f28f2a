"""What a cost-sheet line says, read the same way by every claim check: its data lines (not totals),
its period in days and day by day, its hashrate per device and for the line, its idle hours.
"""
from __future__ import annotations

import pandas as pd


def data_lines(lines: pd.DataFrame) -> pd.DataFrame:
    return lines[~lines["is_total_row"].astype(bool)]


def period_days(lines: pd.DataFrame) -> pd.Series:
    start = pd.to_datetime(lines["period_start"])
    end = pd.to_datetime(lines["period_end"])
    return ((end - start).dt.days + 1).astype(float)


def per_device_hashrate(lines: pd.DataFrame) -> pd.Series:
    per_device = lines["claimed_hashrate_per_device_hs"].astype(float)
    derived = lines["claimed_hashrate_hs"].astype(float) / lines["device_count"].astype(float).where(
        lines["device_count"] > 0)
    return per_device.fillna(derived)


def line_hashrate(lines: pd.DataFrame) -> pd.Series:
    whole = lines["claimed_hashrate_hs"].astype(float)
    return whole.fillna(lines["claimed_hashrate_per_device_hs"].astype(float) * lines["device_count"].astype(float))


def idle_hours_readings(lines: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Idle hours per device, two legitimate readings: as printed, and the period's hours x (1 -
    utilization). A printed figure above the period's hours can only be fleet hours (device-hours),
    so it is read per device. Returns (low, high, number of readings)."""
    period_hours = period_days(lines) * 24
    printed = lines["idle_hours"].astype(float)
    fleet = printed > period_hours * 1.0001
    printed = printed.where(~fleet, printed / lines["device_count"].astype(float).where(lines["device_count"] > 0))
    from_share = period_hours * (1 - lines["utilization_share"].astype(float))
    readings = pd.concat([printed, from_share], axis=1)
    return readings.min(axis=1), readings.max(axis=1), readings.notna().sum(axis=1)


def line_days(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per line and day of its period (lines with a coin and a sane period only)."""
    ok = lines["coin"].notna() & lines["period_start"].notna() & lines["period_end"].notna()
    ok &= pd.to_datetime(lines["period_start"]) <= pd.to_datetime(lines["period_end"])
    frame = lines.loc[ok, ["coin", "period_start", "period_end"]].copy()
    frame["date"] = [pd.date_range(s, e, freq="D") for s, e in zip(frame["period_start"], frame["period_end"])]
    days = frame.explode("date")[["coin", "date"]]
    days["date"] = pd.to_datetime(days["date"])
    days.index.name = "line"
    return days.reset_index()
