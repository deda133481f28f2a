"""mining._device_rows: the join of priced coin days with devices, first row per key, sorted, without the wide
frame's merge, drop_duplicates and sort: the same rows in the same order as pandas gives them."""
import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from pipelines.lib.models import mining


def test_device_rows_are_pandas_merge_dedup_and_sort():
    priced = pd.DataFrame({
        "coin": pd.array(["ETH", "BTC", "ETH", "BTC", "ETH", "XMR", "BTC"], dtype="str"),
        "date": pd.to_datetime(["2021-01-02", "2021-01-01", "2021-01-01", "2021-01-01", "2021-01-02",
                                "2021-01-01", "2021-01-03"]),
        "electricity_usd_per_kwh": [0.05, 0.05, np.nan, 0.05, 0.05, 0.1, 0.02],
        "price_basis": pd.array(["reference", "reference", "leak", "reference", "reference", "leak", "leak"],
                                dtype="str"),
        "algorithm": pd.array(["ethash", "sha256d", "ethash", "sha256d", "ethash", "randomx", "sha256d"], dtype="str"),
        "close_usd": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],     # rows 1 and 3, 0 and 4 share a key: the first stays
    })
    devs = pd.DataFrame({
        "device": pd.array(["S19", "H100", "A100", "H100", "H100", "S9"], dtype="str"),
        "algorithm": pd.array(["sha256d", "ethash", "ethash", "ethash", "sha256d", "sha256d"], dtype="str"),
        "hashrate_hs": [1e14, 1e8, 5e7, 2e8, 1e9, 1e13],         # H100 twice on ethash: the first counts
    })
    got = mining._device_rows(priced, devs)
    want = priced.merge(devs, on="algorithm").drop_duplicates(mining._ROW_KEY).sort_values(mining._ROW_KEY,
                                                                                          ignore_index=True)
    assert_frame_equal(got[want.columns], want, check_exact=True)
    assert list(got["close_usd"].head(3)) == [7.0, 2.0, 7.0]   # BTC H100 leak, H100 reference (first row), S19 leak
    assert got.loc[(got["coin"] == "ETH") & (got["device"] == "H100"), "hashrate_hs"].eq(1e8).all()
    assert np.isnan(got.loc[(got["coin"] == "ETH") & (got["device"] == "A100"), "electricity_usd_per_kwh"].iloc[0])
    assert (got["coin"] == "XMR").sum() == 0                              # no device on randomx: no row
