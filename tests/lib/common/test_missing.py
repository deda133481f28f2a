"""common.missing: the one answer to "is this value missing", and which cell texts say so."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.common.missing import is_missing, says_missing


@pytest.mark.parametrize("value", [None, pd.NA, pd.NaT, float("nan"), np.nan, np.float32("nan"),
                                   np.datetime64("NaT"), pd.Timestamp("NaT")])
def test_missing_values(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, "", "nan", False, [], [np.nan], (None,), dt.date(2024, 1, 1),
                                   pd.Timestamp("2024-01-01"), np.int64(0), np.float64(1.5), float("inf"), {}])
def test_present_values_including_zero_and_containers(value):
    assert not is_missing(value)


def test_cells_that_say_missing():
    cells = pd.Series(["", " - ", "N/A", "na", "NaN", "NULL", "None", "0", "n.a.x", "12", None, pd.NA])
    assert says_missing(cells).tolist() == [True, True, True, True, True, True, True, False, False, False, True, True]
