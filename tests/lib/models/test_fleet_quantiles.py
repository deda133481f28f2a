"""fleet.quantiles goes by blocks of days, on threads for a large matrix: bit for bit np.quantile's answer."""
import numpy as np
import pytest

from pipelines.lib.models import fleet


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3000, 700), (75, 300), (10, 1), (5000, 129), (2, 40)])
def test_quantiles_are_np_quantile_bit_for_bit(shape, dtype, monkeypatch):
    monkeypatch.setattr(fleet, "QUANTILE_THREADS", 2)
    rng = np.random.default_rng(7)
    m = (rng.lognormal(size=shape) * 1e4).astype(dtype)
    m[::97, ::13] = np.nan                      # a day with a NaN draw has NaN quantiles
    m[:, -1] = 0.0
    m[:, 0] = np.round(m[:, 0] / 1e4)           # ties
    expected = np.quantile(np.ascontiguousarray(m.T), fleet.QUANTILES, axis=1)
    got = fleet.quantiles(m)
    assert got.dtype == expected.dtype and got.shape == (3, shape[1])
    assert np.array_equal(got, expected, equal_nan=True)
    for q in [(0.5,), (0.0, 1.0), (0.25, 0.999)]:
        assert np.array_equal(fleet.quantiles(m, q), np.quantile(m, q, axis=0), equal_nan=True)


def test_the_sorted_path_is_the_one_taken_on_this_numpy():
    assert fleet._sorting_matches_numpy()


def test_a_large_matrix_uses_threads_and_a_small_one_does_not(monkeypatch):
    used = []
    real = fleet.ThreadPoolExecutor
    monkeypatch.setattr(fleet, "QUANTILE_THREADS", 2)
    monkeypatch.setattr(fleet, "ThreadPoolExecutor", lambda n: used.append(n) or real(n))
    fleet.quantiles(np.ones((2000, 600), dtype=np.float32))
    fleet.quantiles(np.ones((20, 600), dtype=np.float32))
    assert used == [2]


def test_idle_total_adds_covered_fleets_and_is_nan_where_none_covers():
    nan = np.float32(np.nan)
    a = np.array([[1, nan, nan], [2, 3, nan]], dtype=np.float32)
    b = np.array([[10, 20, nan], [nan, nan, nan]], dtype=np.float32)
    total = fleet.IdleTotal(2, 3)
    total.add(a)
    total.add(b)
    total = total.result()
    assert total.dtype == np.float32
    assert np.array_equal(total, np.array([[11, 20, nan], [2, 3, nan]], dtype=np.float32), equal_nan=True)
