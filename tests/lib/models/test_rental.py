"""Mining against renting the same GPU (pipelines.lib.models.rental) and the [rental] list prices in the
assumptions file: hand-computed ratios, NULL with a reason where a price or the revenue is unknown, and a
broken price range that names itself."""
import datetime as dt
import re
from importlib import resources

import pandas as pd
import pytest

from pipelines.lib.models import assumptions, rental
from pipelines.lib.models.assumptions import AssumptionError, RentalPrice

D = dt.date
TOML = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
PRICES = (RentalPrice("H100", D(2023, 3, 21), D(2023, 12, 31), 2.0, 4.0, 10.0, "test H100 2023"),
          RentalPrice("A100", D(2023, 1, 1), D(2023, 12, 31), 1.0, 2.0, 4.0, "test A100 2023"))


def test_ratios_are_mining_over_rental_for_the_same_24_hours():
    revenue = pd.DataFrame({
        "coin": ["ETC", "ETC", "ETC", "ETC", "XMR", "ETC"],
        "date": [D(2023, 6, 1), D(2023, 6, 1), D(2024, 1, 1), D(2023, 3, 20), D(2023, 6, 1), D(2023, 6, 1)],
        "device": ["NVIDIA H100 SXM", "NVIDIA A100", "NVIDIA H100 SXM", "NVIDIA H100 SXM", "NVIDIA H100 SXM",
                   "NVIDIA RTX 4090"],
        "revenue_usd_per_day": [0.48, 0.24, 0.50, 0.40, None, 1.0],
        "hashrate_basis": "assumption (central)",
    })
    out = rental.mining_vs_rental(revenue, PRICES).set_index(["coin", "device", "date"])
    assert len(out) == 5                      # the RTX 4090 has no rental price range: no row
    h100 = out.loc[("ETC", "NVIDIA H100 SXM", D(2023, 6, 1))]
    # rental per day: 2.0 / 4.0 / 10.0 USD per hour x 24 = 48 / 96 / 240 USD
    assert (h100["rental_usd_per_gpu_day_low"], h100["rental_usd_per_gpu_day_central"],
            h100["rental_usd_per_gpu_day_high"]) == pytest.approx((48.0, 96.0, 240.0))
    # 0.48 USD mined / 96 USD rented = 0.005; / 240 = 0.002; / 48 = 0.01
    assert (h100["ratio_low"], h100["ratio"], h100["ratio_high"]) == pytest.approx((0.002, 0.005, 0.01))
    assert h100["rental_device"] == "H100" and pd.isna(h100["reason"])
    assert "test H100 2023" in h100["rental_source"]
    a100 = out.loc[("ETC", "NVIDIA A100", D(2023, 6, 1))]
    assert a100["ratio"] == pytest.approx(0.24 / 48)         # 2.0 x 24 = 48 USD a day
    for key in [("ETC", "NVIDIA H100 SXM", D(2024, 1, 1)), ("ETC", "NVIDIA H100 SXM", D(2023, 3, 20))]:
        row = out.loc[key]     # outside every H100 period: the revenue stays, the rental and ratio are unknown
        assert row["mining_usd_per_gpu_day"] > 0
        assert pd.isna(row["rental_usd_per_gpu_day_central"]) and pd.isna(row["ratio"])
        assert "no public H100 rental price" in row["reason"] and "2023-03-21 .. 2023-12-31" in row["reason"]
    xmr = out.loc[("XMR", "NVIDIA H100 SXM", D(2023, 6, 1))]
    assert pd.isna(xmr["ratio"]) and xmr["rental_usd_per_gpu_day_central"] == pytest.approx(96.0)
    assert "mining revenue unknown" in xmr["reason"]


def test_a_key_matches_a_whole_word_only():
    assert rental.rental_device("NVIDIA H100 SXM", ["H100", "A100"]) == "H100"
    assert rental.rental_device("nvidia a100 80gb", ["H100", "A100"]) == "A100"
    assert rental.rental_device("NVIDIA GH1000", ["H100"]) is None


def test_the_bundled_file_holds_dated_h100_and_a100_list_prices():
    a = assumptions.parse(TOML)
    by = {(r.device, r.start.year): r for r in a.rental}
    assert set(by) == {("H100", 2023), ("H100", 2024), ("A100", 2023), ("A100", 2024)}
    assert by[("H100", 2023)].high == pytest.approx(98.32 / 8, abs=0.005)     # AWS p5.48xlarge on demand
    assert by[("A100", 2023)].high == pytest.approx(32.77 / 8, abs=0.005)     # AWS p4d.24xlarge on demand
    assert all(r.low <= r.central <= r.high and "list" in r.source for r in a.rental)
    table = a.table().set_index("name")
    assert table.loc["rental:H100:2024-01-01", "central"] == pytest.approx(2.99)


@pytest.mark.parametrize("entry, message", [
    ('{ from = "2023-01-01", to = "2023-12-31", low = 5.0, central = 4.0, high = 6.0, source = "s" }',
     "rental H100 2023-01-01: need 0 < low <= central <= high"),
    ('{ from = "2023-01-01", to = "2023-12-31", low = 0, central = 4.0, high = 6.0, source = "s" }',
     "rental H100 2023-01-01: need 0 < low"),
    ('{ from = "2023-12-31", to = "2023-01-01", low = 1, central = 4.0, high = 6.0, source = "s" }',
     "rental H100 2023-12-31: from 2023-12-31 is after to 2023-01-01"),
    ('{ from = "2023-01-01", to = "2023-12-31", low = 1, central = 4.0, high = 6.0 }', "lacks source"),
    ('{ from = "2023-01-01", to = "2023-12-31", low = 1, central = 4.0, high = 6.0, source = "s" }, '
     '{ from = "2023-06-01", to = "2024-12-31", low = 1, central = 4.0, high = 6.0, source = "s" }',
     "rental H100: periods 2023-01-01 .. 2023-12-31 and 2023-06-01 .. 2024-12-31 overlap"),
])
def test_a_broken_rental_price_names_itself(entry, message):
    start = TOML.index("H100 = [")
    end = TOML.index("]\n", start) + 2
    broken = TOML[:start] + f"H100 = [{entry}]\n" + TOML[end:]
    with pytest.raises(AssumptionError, match=re.escape(message)):
        assumptions.parse(broken)
