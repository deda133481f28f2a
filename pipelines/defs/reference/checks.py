"""Expectations on hardware specs, exchange rates, fund flows and events."""

import csv
from importlib import resources

from pipelines.defs.validation import expectation_check
from pipelines.lib.sources.hardware import DEVICE_CLASSES, SOURCE_KINDS
from pipelines.lib.validation import expectations as v


def _hashrate_bounds() -> list:
    """Per-device hashrate within physical bounds for each algorithm (pipelines/reference/hashrate_bounds.csv)."""
    with resources.files("pipelines.reference").joinpath("hashrate_bounds.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    named = [r["algorithm"] for r in rows if r["algorithm"] != "*"]
    out = []
    for r in rows:
        bound = float(r["max_hashrate_per_device_hs"])
        if r["algorithm"] == "*":
            when, label = f"algorithm not in {named!r}", "other_algorithms"
        else:
            when, label = f"algorithm == {r['algorithm']!r}", r["algorithm"]
        out.append(v.between("hashrate_hs", 0, bound, f"hashrate per device above the physical bound: {r['why']}",
                             strict_low=True, when=when, label=label))
    return out


HARDWARE_SPECS = v.suite(
    "core.hardware_specs", ["device", "algorithm", "locator"],
    v.not_null("device", "device_class", "algorithm", "source", "source_kind", "document_id", "locator"),
    v.in_set("device_class", sorted(DEVICE_CLASSES)),
    v.in_set("source_kind", list(SOURCE_KINDS)),
    v.matches("algorithm", r"^[a-z0-9_\-]+$", "algorithm names are lower case (sha256d, etchash, ...)"),
    *_hashrate_bounds(),
    # The largest mining boxes draw about 5.4 kW (Antminer S21 Hyd); 10 kW per device is a unit slip.
    v.between("power_w", 0, 10_000, "power per device must be above 0 W and at most 10 kW (kW read as W?)",
              strict_low=True),
    v.has_rows(),
    inputs_kind="hardware",
)

FX_DAILY = v.suite(
    "core.fx_daily", ["date", "currency"],
    v.not_null("date", "currency", "usd_per_unit", "source", "document_id"),
    v.unique("date", "currency"),
    v.in_set("currency", v.iso_currencies(), "currency must be an ISO 4217 code"),
    # The dearest currency (KWD) is about 3.3 USD, the cheapest about 0.00002 USD.
    v.between("usd_per_unit", 1e-7, 1e4, "USD per unit outside 0.0000001..10,000 (rate inverted or scaled?)",
              strict_low=True),
    v.not_future("date"),
    v.fresh("date", 7),
    v.has_rows(),
    inputs_kind="fx",
)

FUND_FLOWS_DAILY = v.suite(
    "core.fund_flows_daily", ["date", "asset", "fund"],
    v.not_null("date", "asset", "fund", "net_flow_usd", "document_id"),
    v.unique("date", "asset", "fund"),
    # The largest day of spot-ETF flows so far is about 1.4 bn USD; 100 bn is a unit slip.
    v.between("net_flow_usd", -1e11, 1e11, "a day's net flow beyond ±100 bn USD (millions read as USD?)"),
    v.not_future("date"),
    v.not_before("date", "2009-01-03", "the date is before Bitcoin's genesis block (2009-01-03)"),
    v.fresh("date", 7),
    v.has_rows(),
    inputs_kind="flows",
)

EVENTS = v.suite(
    "core.events", ["document_id", "locator"],
    v.not_null("date", "kind", "title", "document_id", "locator"),
    v.unique("document_id", "locator"),
    v.not_before("date", "2008-10-31", "the date is before the Bitcoin whitepaper (2008-10-31)"),
    v.has_rows(),
    inputs_kind="events",
    notes="Future dates are allowed: scheduled events (a halving) are known in advance.",
)

hardware_specs_expectations = expectation_check(HARDWARE_SPECS)
fx_daily_expectations = expectation_check(FX_DAILY)
fund_flows_daily_expectations = expectation_check(FUND_FLOWS_DAILY)
events_expectations = expectation_check(EVENTS)
