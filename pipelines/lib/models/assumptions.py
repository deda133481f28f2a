"""The model assumptions (pipelines/reference/model_assumptions.toml): loaded, checked, drawn.

Every range is drawn by its stated distribution with one seeded generator, so a run is reproducible and
every mart draws from the same sample (draw k is one coherent world across fleet, contribution and
attribution). The same model code runs on `scenarios()`: the base case plus each range at its low and
its high end, which is the sensitivity analysis.

A range may hold one company's value of another range: `[ranges.gpu_share_of_capex_amazon]` with
`company = "Amazon"` is Amazon's gpu_share_of_capex (named `<range>_<company slug>`); companies without
their own range take the general one (`company_ranges`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

DISTRIBUTIONS = ("triangular", "uniform", "loguniform", "normal")
Z90 = 1.6448536269514722   # the standard normal's 95th percentile: low/high of a 'normal' range
# How far the value a range's draws centre on may lie from its `central`, as a share of the range's width
# (of its log width for loguniform): the Monte Carlo's median and the sensitivity's base case are one world.
CENTRE_TOLERANCE = 0.05


class AssumptionError(ValueError):
    """The assumptions file is missing a field or holds an impossible range."""


@dataclass(frozen=True)
class Range:
    name: str
    low: float
    central: float
    high: float
    unit: str
    distribution: str
    source: str
    company: str | None = None     # this range is that company's value of the range named without the suffix
    anchor: tuple = ()             # (key, value) pairs: the measured figure a range without a measurement rests on

    def anchor_text(self) -> str:
        """'anchor: <device> <algorithm> <figure> H/s (<source>) x <fleet>/<anchor> TB/s = <scaled> H/s'; '' if none."""
        a = dict(self.anchor)
        if not a:
            return ""
        return (f"anchor: {a.get('anchor_device', '?')} {a.get('anchor_algorithm', '')} {a['anchor_hashrate_hs']:.4g} "
                f"H/s ({a.get('anchor_source', 'no source')}) x memory bandwidth {a['fleet_bandwidth_tbs']:g} / "
                f"{a['anchor_bandwidth_tbs']:g} TB/s = {a['anchor_scaled_hs']:.4g} H/s")

    def centre(self) -> tuple[float, str]:
        """Where the draws centre and what that point is: a triangular's mode (central by construction),
        a uniform's median, a loguniform's median (geometric mean of low and high), a normal's mean as the
        midpoint of its stated 90 % interval."""
        if self.distribution == "triangular":
            return self.central, "mode"
        if self.distribution == "loguniform":
            return float(np.sqrt(self.low * self.high)), "median sqrt(low x high)"
        if self.distribution == "normal":
            return (self.low + self.high) / 2, "mean (low + high) / 2"
        return (self.low + self.high) / 2, "median (low + high) / 2"

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.low == self.high:
            return np.full(n, self.central)
        if self.distribution == "triangular":
            return rng.triangular(self.low, self.central, self.high, n)
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)
        if self.distribution == "loguniform":
            return np.exp(rng.uniform(np.log(self.low), np.log(self.high), n))
        return rng.normal(self.central, (self.high - self.low) / (2 * Z90), n)


@dataclass(frozen=True)
class RentalPrice:
    """A public list price of renting one GPU for an hour, over a dated period (inclusive)."""
    device: str            # matches every device whose name holds it as a word ("H100")
    start: dt.date
    end: dt.date
    low: float
    central: float
    high: float
    source: str


@dataclass(frozen=True)
class Assumptions:
    version: str
    digest: str
    seed: int
    draws: int
    ranges: dict[str, Range]
    fleet_device: str
    fleet_device_power_w: float
    windows: dict[str, tuple[dt.date, dt.date]]
    coins: tuple[str, ...]
    mining_event_kinds: tuple[str, ...]
    yardstick_event_kinds: tuple[str, ...]
    yardstick_fund: str
    event_study: dict = field(default_factory=dict)
    reference_usd_per_kwh: tuple[float, ...] = ()
    supply: dict[str, tuple[float, str]] = field(default_factory=dict)
    rental: tuple[RentalPrice, ...] = ()
    rental_unit: str = "USD per GPU-hour"

    @property
    def set_id(self) -> str:
        """What every mart row records: the version and the file's content."""
        return f"{self.version}+{self.digest[:12]}"

    def company_ranges(self, name: str) -> dict[str, str]:
        """{company: the name of its own range} for the range `name` (e.g. gpu_share_of_capex)."""
        return {r.company: r.name for r in self.ranges.values()
                if r.company and r.name == company_range_name(name, r.company)}

    def sample(self, n: int | None = None) -> dict[str, np.ndarray]:
        """n draws of every range (default: the file's `draws`), from the file's seed. Ranges are drawn in
        name order, so adding a range leaves the others' draws unchanged only if it sorts last."""
        n = n or self.draws
        rng = np.random.default_rng(self.seed)
        return {name: self.ranges[name].draw(rng, n) for name in sorted(self.ranges)}

    def scenarios(self) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        """The base case (every range at central) and each range at its low and high end, others central.

        Returns (labels with columns scenario, assumption, end, value; one row per scenario) and the draws."""
        names = sorted(self.ranges)
        rows = [("base", None, "central", np.nan)]
        rows += [(f"{name}:{end}", name, end, getattr(self.ranges[name], end))
                 for name in names for end in ("low", "high")]
        labels = pd.DataFrame(rows, columns=["scenario", "assumption", "end", "value"])
        draws = {}
        for name in names:
            values = np.full(len(rows), self.ranges[name].central, dtype=float)
            hit = (labels["assumption"] == name).to_numpy()
            values[hit] = labels.loc[hit, "value"].to_numpy(dtype=float)
            draws[name] = values
        return labels, draws

    def table(self) -> pd.DataFrame:
        """marts.model_assumptions: one row per range, plus the fixed settings as text."""
        rows = [dict(name=r.name, low=r.low, central=r.central, high=r.high, unit=r.unit,
                     distribution=r.distribution, source=" ".join((r.source + " " + r.anchor_text()).split()))
                for r in (self.ranges[k] for k in sorted(self.ranges))]
        fixed = {
            "fleet_device": (self.fleet_device, "the accelerator an idle AI fleet is made of"),
            "monte_carlo": (f"{self.draws} draws, seed {self.seed}", "numpy default_rng (PCG64)"),
            "event_study": (", ".join(f"{k}={v}" for k, v in self.event_study.items()), "MacKinlay (1997)"),
            "reference_usd_per_kwh": (", ".join(map(str, self.reference_usd_per_kwh)),
                                      "electricity prices every device is priced at"),
        }
        fixed.update({f"window:{name}": (f"{a} .. {b}", "rally window") for name, (a, b) in self.windows.items()})
        fixed.update({f"supply:{coin}": (f"{coins:.6g} coins", src) for coin, (coins, src) in self.supply.items()})
        rows += [dict(name=k, low=None, central=None, high=None, unit=v, distribution="fixed", source=s)
                 for k, (v, s) in fixed.items()]
        rows += [dict(name=f"rental:{r.device}:{r.start}", low=r.low, central=r.central, high=r.high,
                      unit=f"{self.rental_unit}, list price, {r.start} .. {r.end}", distribution="fixed",
                      source=r.source) for r in self.rental]
        out = pd.DataFrame(rows)
        out["assumption_set"] = self.set_id
        return out


def company_range_name(name: str, company: str) -> str:
    """The name of a company's own value of the range `name`: gpu_share_of_capex + Amazon ->
    gpu_share_of_capex_amazon (lower case, runs of other characters as one '_')."""
    return f"{name}_{re.sub(r'[^a-z0-9]+', '_', company.lower()).strip('_')}"


def _date(value, where: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise AssumptionError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def parse_windows(spec: dict) -> dict[str, tuple[dt.date, dt.date]]:
    """Rally windows {name: [start, end]} as dates; AssumptionError when one is not a pair of dates in order
    (the assumptions file's `[windows]` and the models asset's `windows` config alike)."""
    windows = {}
    for name, span in spec.items():
        if not isinstance(span, (list, tuple)) or len(span) != 2:
            raise AssumptionError(f"window {name}: expected [start, end], got {span!r}")
        a, b = (_date(d, f"window {name}") for d in span)
        if a >= b:
            raise AssumptionError(f"window {name}: start {a} is not before end {b}")
        windows[name] = (a, b)
    return windows


def parse_rental(spec: dict) -> tuple[tuple[RentalPrice, ...], str]:
    """The [rental] section: {device: [{from, to, low, central, high, source}, ...]} and its unit.
    AssumptionError names the device and period of a broken entry (prices not positive and ordered, dates
    not in order, periods of one device overlapping, no source)."""
    unit = str(spec.get("unit", "USD per GPU-hour"))
    out: list[RentalPrice] = []
    for device, periods in spec.items():
        if device == "unit":
            continue
        if not isinstance(periods, list) or not periods:
            raise AssumptionError(f"rental {device}: expected a list of dated prices, got {periods!r}")
        mine: list[RentalPrice] = []
        for entry in periods:
            where = f"rental {device} " + (str(entry.get("from", "?")) if isinstance(entry, dict) else repr(entry))
            if not isinstance(entry, dict):
                raise AssumptionError(f"{where}: expected {{from, to, low, central, high, source}}")
            missing = [k for k in ("from", "to", "low", "central", "high", "source") if k not in entry]
            if missing:
                raise AssumptionError(f"{where} lacks {', '.join(missing)}")
            start, end = _date(entry["from"], where), _date(entry["to"], where)
            try:
                low, central, high = (float(entry[k]) for k in ("low", "central", "high"))
            except (TypeError, ValueError) as exc:
                raise AssumptionError(f"{where}: low, central and high must be numbers") from exc
            if start > end:
                raise AssumptionError(f"{where}: from {start} is after to {end}")
            if not 0 < low <= central <= high:
                raise AssumptionError(f"{where}: need 0 < low <= central <= high, got {low}, {central}, {high}")
            if not str(entry["source"]).strip():
                raise AssumptionError(f"{where} has no source")
            mine.append(RentalPrice(str(device), start, end, low, central, high, str(entry["source"]).strip()))
        mine.sort(key=lambda r: r.start)
        for a, b in zip(mine, mine[1:]):
            if b.start <= a.end:
                raise AssumptionError(f"rental {device}: periods {a.start} .. {a.end} and {b.start} .. {b.end} overlap")
        out += mine
    return tuple(out), unit


def _range(name: str, spec: dict) -> Range:
    missing = [k for k in ("low", "central", "high", "unit", "source") if k not in spec]
    if missing:
        raise AssumptionError(f"range {name!r} lacks {', '.join(missing)}")
    low, central, high = (float(spec[k]) for k in ("low", "central", "high"))
    distribution = spec.get("distribution", "triangular")
    if distribution not in DISTRIBUTIONS:
        raise AssumptionError(f"range {name!r}: distribution {distribution!r} is not one of {DISTRIBUTIONS}")
    if not low <= central <= high:
        raise AssumptionError(f"range {name!r}: need low <= central <= high, got {low}, {central}, {high}")
    if distribution == "loguniform" and low <= 0:
        raise AssumptionError(f"range {name!r}: a loguniform range needs low > 0")
    if not str(spec["source"]).strip():
        raise AssumptionError(f"range {name!r} has no source")
    company = spec.get("company")
    if company is not None and not str(company).strip():
        raise AssumptionError(f"range {name!r}: company is empty")
    out = Range(name, low, central, high, str(spec["unit"]), distribution, str(spec["source"]),
                str(company).strip() if company is not None else None, _anchor(name, spec, low, high))
    _check_centre(out)
    return out


ANCHOR_NUMBERS = ("anchor_hashrate_hs", "anchor_bandwidth_tbs", "fleet_bandwidth_tbs", "anchor_scaled_hs")


def _anchor(name: str, spec: dict, low: float, high: float) -> tuple:
    """The range's anchor fields, checked: all numbers present and positive, the scaled figure the arithmetic's
    (within 1 %) and inside [low, high] (a range that excludes its own anchor contradicts its source)."""
    fields = {k: v for k, v in spec.items() if k.startswith("anchor_") or k == "fleet_bandwidth_tbs"}
    if not fields:
        return ()
    missing = [k for k in ANCHOR_NUMBERS if k not in fields]
    if missing:
        raise AssumptionError(f"range {name!r}: an anchor needs {', '.join(ANCHOR_NUMBERS)}; lacks {', '.join(missing)}")
    hs, bw_anchor, bw_fleet, scaled = (float(fields[k]) for k in ANCHOR_NUMBERS)
    if min(hs, bw_anchor, bw_fleet, scaled) <= 0:
        raise AssumptionError(f"range {name!r}: anchor numbers must be positive")
    computed = hs * bw_fleet / bw_anchor
    if abs(scaled / computed - 1) > 0.01:
        raise AssumptionError(f"range {name!r}: anchor_scaled_hs {scaled:.4g} is not anchor_hashrate_hs x "
                              f"fleet_bandwidth_tbs / anchor_bandwidth_tbs = {computed:.4g}")
    if not low <= scaled <= high:
        raise AssumptionError(f"range {name!r}: [{low:.4g}, {high:.4g}] does not hold its own anchor {scaled:.4g}")
    return tuple(sorted((k, float(v) if k in ANCHOR_NUMBERS else str(v)) for k, v in fields.items()))


def _check_company_ranges(ranges: dict[str, Range]) -> dict[str, Range]:
    """A company's range must be named after a general range and that company (company_range_name)."""
    for r in ranges.values():
        if r.company is None:
            continue
        base = [b for b, g in ranges.items() if g.company is None and company_range_name(b, r.company) == r.name]
        if not base:
            raise AssumptionError(f"range {r.name!r} (company {r.company!r}) is not named <range>_<company> after a "
                                  f"range without a company, e.g. {company_range_name('gpu_share_of_capex', r.company)}")
    return ranges


def _check_centre(r: Range) -> None:
    """AssumptionError when a range's draws centre away from its central value (the Monte Carlo would
    answer for one value and the base case and sensitivity for another)."""
    if r.low == r.high:
        return
    centre, what = r.centre()
    log = r.distribution == "loguniform"
    if log:
        off = abs(np.log(centre / r.central)) / np.log(r.high / r.low)
    else:
        off = abs(centre - r.central) / (r.high - r.low)
    if off > CENTRE_TOLERANCE:
        raise AssumptionError(
            f"range {r.name!r}: its {r.distribution} draws centre on {centre:.6g} (the {what}), not on its central "
            f"{r.central:.6g}: {off:.0%} of the range{' in log space' if log else ''} apart, more than "
            f"{CENTRE_TOLERANCE:.0%}. Make the distribution and the central value agree (move central, or choose "
            f"a distribution whose centre it is, e.g. triangular with its mode at central).")


def parse(text: str) -> Assumptions:
    """Assumptions from the TOML text; AssumptionError names the first problem."""
    try:
        doc = tomllib.loads(text)
        windows = parse_windows(doc["windows"])
        attribution, study = doc["attribution"], doc["event_study"]
        return Assumptions(
            version=str(doc["version"]), digest=hashlib.sha256(text.encode()).hexdigest(),
            seed=int(doc["monte_carlo"]["seed"]), draws=int(doc["monte_carlo"]["draws"]),
            ranges=_check_company_ranges({name: _range(name, spec) for name, spec in doc["ranges"].items()}),
            fleet_device=str(doc["fleet"]["device"]), fleet_device_power_w=float(doc["fleet"]["device_power_w"]),
            windows=windows, coins=tuple(attribution["coins"]),
            mining_event_kinds=tuple(attribution["mining_event_kinds"]),
            yardstick_event_kinds=tuple(attribution["yardstick_event_kinds"]),
            yardstick_fund=str(attribution["yardstick_fund"]),
            event_study=dict(study),
            reference_usd_per_kwh=tuple(float(p) for p in doc["profitability"]["reference_usd_per_kwh"]),
            supply={coin: (float(s["coins"]), str(s["source"])) for coin, s in doc.get("supply", {}).items()},
            **dict(zip(("rental", "rental_unit"), parse_rental(doc.get("rental", {})))),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, AssumptionError):
            raise
        raise AssumptionError(f"model assumptions: {type(exc).__name__}: {exc}") from exc


def load(path: Path | str | None = None) -> Assumptions:
    """The bundled file, or another one (LEAKPIPE_ASSUMPTIONS or the models asset's config)."""
    if path is None:
        text = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return parse(text)
