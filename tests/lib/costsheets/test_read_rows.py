"""Reading the extraction cache back: every cached document's rows in one frame, whichever way a parser
wrote its period columns (dates or midnight timestamps) and with columns that are all NULL in some files."""
import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.lib.costsheets import extract
from pipelines.lib.costsheets.extract import Extraction, Limits, cache_key, read_rows


def _cache(tmp_path, tables: dict[str, pa.Table]) -> list[Extraction]:
    key = cache_key(Limits(), None)
    out = []
    for i, (doc, table) in enumerate(tables.items()):
        e = Extraction(document_id=doc, path=f"cost_sheets/{i}.pdf", status="loaded")
        pq.write_table(table, extract._paths(tmp_path, doc, key, e.path)[0])
        out.append(e)
    return out + [Extraction(document_id="gone", path="cost_sheets/bad.pdf", status="quarantined")]


def test_dates_and_midnight_timestamps_read_as_the_same_days(tmp_path):
    as_dates = pa.table({"period_start": pa.array([dt.date(2024, 1, 1)], pa.date32()),
                         "company": pa.array([None], pa.null()), "pue": pa.array([None], pa.null())})
    as_timestamps = pa.table({"period_start": pa.array([dt.datetime(2024, 4, 1), None], pa.timestamp("ms")),
                              "company": pa.array(["Meta", None], pa.large_string()), "pue": [1.2, None]})
    rows = read_rows(tmp_path, _cache(tmp_path, {"a": as_dates, "b": as_timestamps}), Limits(), None)
    assert rows["document_id"].tolist() == ["a", "b", "b"]
    assert rows["path"].tolist() == ["cost_sheets/0.pdf", "cost_sheets/1.pdf", "cost_sheets/1.pdf"]
    assert rows["period_start"].iloc[:2].tolist() == [dt.date(2024, 1, 1), dt.date(2024, 4, 1)]
    assert pd.isna(rows["period_start"].iloc[2]) and pd.isna(rows["company"].iloc[0])
    assert rows["company"].iloc[1] == "Meta" and rows["pue"].iloc[1] == 1.2


def test_a_timestamp_with_a_time_of_day_is_read_file_by_file_as_it_was_written(tmp_path):
    noon = pa.table({"period_start": pa.array([dt.datetime(2024, 4, 1, 12)], pa.timestamp("ms"))})
    day = pa.table({"period_start": pa.array([dt.date(2024, 1, 1)], pa.date32())})
    rows = read_rows(tmp_path, _cache(tmp_path, {"a": day, "b": noon}), Limits(), None)
    assert rows["document_id"].tolist() == ["a", "b"]
    assert pd.Timestamp(rows["period_start"].iloc[1]) == pd.Timestamp("2024-04-01 12:00")   # not cut to a day


def test_nothing_loaded_gives_the_contract_columns(tmp_path):
    rows = read_rows(tmp_path, [Extraction(document_id="x", path="p", status="quarantined")], Limits(), None)
    assert rows.empty and {"document_id", "path", "period_start"} <= set(rows.columns)
