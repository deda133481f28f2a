"""Bugs the hostile-input corpus (tests/e2e/hostile/) found in the parsers, each pinned by its input."""
import datetime as dt
import math
import tempfile
from pathlib import Path

import pandas as pd

from pipelines.lib.intake.inventory import inspect_file
from pipelines.lib.intake.media import media_type_of
from pipelines.lib.sources.prices import parse_price_file
from pipelines.lib.sources.tabular import parse_numbers


def test_a_decimal_comma_is_not_a_thousands_separator():
    # fx/ecb_cp1252_semicolon.csv: '1,08' USD per EUR was loaded as 108, '160,1' JPY as 1601
    parsed = parse_numbers(pd.Series(["1,08", "160,1", "5,1E+20", "1,2345", "1,045.0", "12,345,678", "(1,234.5)"]))
    assert [None if math.isnan(v) else v for v in parsed] == [None, None, None, None, 1045.0, 12345678.0, -1234.5]


def test_parentheses_count_only_as_a_pair():
    # a Farside outflow '(95.1' whose ')' was lost was read as an inflow of 95.1
    parsed = parse_numbers(pd.Series(["(95.1", "95.1)", "(-5)", "(95.1)"]))
    assert [None if math.isnan(v) else v for v in parsed] == [None, None, None, -95.1]


YAHOO = "Date,Open,High,Low,Close,Volume\n" + "".join(
    f"2024-01-{d:02d},{100 + d},{110 + d},{90 + d},{105 + d},{1000 + d}\n" for d in range(1, 11))
TODAY = dt.date(2026, 1, 1)


def test_a_utf16_csv_with_a_byte_order_mark_is_text(tmp_path):
    # prices/BTC-USD_utf16.csv and cost_sheets/hostile_utf16.csv were refused as binary (their NUL bytes)
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        path = tmp_path / "prices" / f"BTC-USD_{codec}.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bom + YAHOO.encode(codec))
        record = inspect_file(tmp_path, path)
        assert (record.media_type, record.error) == ("text/csv", None), codec
    assert media_type_of(Path("x.csv"), b"\xff\xfe" + bytes(64)) == "application/octet-stream"  # UTF-16 NULs


def test_price_files_in_any_text_encoding_load(tmp_path):
    # DuckDB's reader failed on UTF-16 BE and on cp1252 ('File is not latin-1 encoded': a euro sign)
    files = {"BTC-USD_le.csv": b"\xff\xfe" + YAHOO.encode("utf-16-le"),
             "BTC-USD_be.csv": b"\xfe\xff" + YAHOO.encode("utf-16-be"),
             "BTC-USD_cp1252.csv": YAHOO.replace("Volume\n", "Volume,source\n").replace("\n2024", ",Börse 2 €\n2024")
             .encode("cp1252")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        parsed = parse_price_file(tmp_path / name, TODAY)
        assert (parsed.error, len(parsed.rows), parsed.rejected) == (None, 10, []), name
    assert not list(Path(tempfile.gettempdir()).glob("leakpipe-prices-*"))   # the UTF-8 copies are gone


def test_price_files_with_very_long_lines_or_fields_load(tmp_path):
    # lines longer than the 256 kB sample left only the header ("cannot read the dates ... ''"), a
    # field over 128 kB crashed the csv module, and DuckDB refused lines over 2 MB
    lines = YAHOO.splitlines()
    long_lines = "\n".join([lines[0] + ",note"] + [f"{line},{'x' * 300_000}" for line in lines[1:]]) + "\n"
    huge_field = "\n".join([lines[0] + ",note"] + [f"{line},{'y' * (3 * 2**20) if i == 2 else 'ok'}"
                                                     for i, line in enumerate(lines[1:])]) + "\n"
    for name, text in {"BTC-USD_long.csv": long_lines, "BTC-USD_huge.csv": huge_field}.items():
        (tmp_path / name).write_text(text)
        parsed = parse_price_file(tmp_path / name, TODAY)
        assert (parsed.error, len(parsed.rows), parsed.rejected) == (None, 10, []), name


def test_a_header_without_rows_says_so(tmp_path):
    (tmp_path / "BTC-USD.csv").write_text("Date,Open,High,Low,Close,Volume\n")
    assert parse_price_file(tmp_path / "BTC-USD.csv", TODAY).error == "the file has a header row but no data rows"


def test_every_file_the_inventory_refuses_has_its_own_quarantine_row(tmp_path):
    # two links (no document_id) and two empty files (one sha256) left one quarantine row each pair
    import os

    import dagster as dg

    from pipelines.defs.ingest.assets import documents
    from pipelines.resources import RawFolderResource, WarehouseResource

    raw = tmp_path / "raw"
    for folder in ("prices", "events/sub"):
        (raw / folder).mkdir(parents=True)
        (raw / folder / "empty.csv").write_bytes(b"")
    os.symlink("/etc/passwd", raw / "prices" / "link.csv")
    os.symlink("/etc", raw / "events" / "linked_dir")
    warehouse = WarehouseResource(path=str(tmp_path / "leaks.duckdb"))
    resources = {"warehouse": warehouse, "raw": RawFolderResource(path=str(raw))}
    for _ in range(2):   # a re-run changes nothing
        assert dg.materialize([documents], resources=resources).success
        with warehouse.handle().connect() as con:
            rows = con.execute("SELECT locator, reason FROM core.quarantine ORDER BY 1").fetchall()
        assert [locator for locator, _ in rows] == ["file events/linked_dir", "file events/sub/empty.csv",
                                                    "file prices/empty.csv", "file prices/link.csv"]
        assert all(reason for _, reason in rows)


def test_a_row_with_more_cells_than_the_header_is_quarantined_not_dropped(tmp_path):
    # flows: an unquoted '(1,234.5)' split the row into too many cells and pandas skipped it silently
    from pipelines.lib.sources.flows import parse_flows_file

    path = tmp_path / "btc_flows.csv"
    path.write_text('Date,IBIT,GBTC,Total\n11 Jan 2024,111.7,"(1,234.5)",1\n"12 Jan\n2024",1,2,3\n'
                    "16 Jan 2024,(1,234.5),-,(1.0)\n17 Jan 2024,5,6\n")
    parsed = parse_flows_file(path, TODAY)
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [("line 5", "fund_flows_daily.malformed_row")]
    assert "the row has 5 cells but the header 4" in parsed.rejected[0].reason
    # the other rows load; line numbers count the physical lines of a quoted line break
    assert sorted(parsed.rows["date"].astype(str).unique()) == ["2024-01-11", "2024-01-12", "2024-01-17"]
    assert parsed.rows.loc[parsed.rows["fund"] == "GBTC", "net_flow_usd"].tolist() == [-1234.5e6, 2e6, 6e6]


def test_a_zip_archive_is_a_container_and_its_traversal_member_is_refused(tmp_path):
    # a .zip in cost_sheets/ reached openpyxl and was quarantined as a parser crash (InvalidFileException);
    # in prices/ and capex/ it was read as text ("unknown price file header 'PK\x03\x04...'").
    # Issue 19: archives are unpacked (containers.py); the ../ member is refused, never written.
    import io
    import zipfile

    from pipelines.lib.intake.inventory import scan

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../outside.csv", "Date,Close\n2024-01-01,1\n")
    raw = tmp_path / "raw"
    for folder in ("prices", "cost_sheets", "capex"):
        path = raw / folder / "archive.zip"
        path.parent.mkdir(parents=True)
        path.write_bytes(buffer.getvalue())
        record = inspect_file(raw, path)
        assert (record.error, record.container, record.media_type) == (None, "zip", "application/zip")
    records = {r.path: r for r in scan(raw, tmp_path / "scratch")}
    member = records["prices/archive.zip!/../../outside.csv"]
    assert member.document_id is None and member.member_path == "../../outside.csv"
    assert member.error.startswith("a member path with '..': refused")
    assert not list(tmp_path.rglob("outside.csv"))
    workbook = raw / "cost_sheets" / "book.xlsx"
    workbook.write_bytes(buffer.getvalue())
    assert inspect_file(raw, workbook).error is None   # the cost-sheet reader checks workbooks itself
    assert inspect_file(raw, workbook).container is None


def test_a_quote_never_closed_quarantines_the_rows_it_swallows(tmp_path):
    # an unclosed quote made the rest of the file one title: two events vanished into it
    from pipelines.lib.sources.events import parse_events_file

    path = tmp_path / "events.csv"
    path.write_text('date,asset,kind,title\n2024-01-01,BTC,leak,"unclosed\n2024-01-02,BTC,leak,second\n'
                    '2024-01-03,BTC,leak,third\n')
    parsed = parse_events_file(path, TODAY)
    assert parsed.rows.empty
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [("line 2", "events.malformed_row")]
    assert "never closed, so lines 2-4" in parsed.rejected[0].reason
    assert "third" in parsed.rejected[0].raw_record["title"]        # what was swallowed is kept
    # a closed quote over two lines at the end of the file is a fine row
    path.write_text('date,asset,kind,title\n2024-01-01,BTC,leak,first\n2024-01-02,BTC,leak,"two\nlines"\n')
    parsed = parse_events_file(path, TODAY)
    assert parsed.rows["title"].tolist() == ["first", "two\nlines"] and parsed.rejected == []


def test_infinite_and_nan_numbers_are_not_numbers(tmp_path):
    # 'inf', 'nan', 'Infinity' and '1e400' closes were loaded as prices (inf, NaN), '-inf' as a volume
    path = tmp_path / "BTC-USD.csv"
    path.write_text("Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,inf,10\n2024-01-02,1,2,0.5,nan,10\n"
                    "2024-01-03,1,2,0.5,1e400,10\n2024-01-04,nan,2,0.5,1.5,10\n2024-01-05,1,2,0.5,1.5,-inf\n")
    parsed = parse_price_file(path, TODAY)
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [
        ("line 2", "prices.missing_close"), ("line 3", "prices.missing_close"), ("line 4", "prices.missing_close"),
        ("line 5", "prices.unparseable_number")]
    assert parsed.rows["volume_usd"].isna().all() and len(parsed.rows) == 1
    # network, fx, flows, hardware: '1e400' overflows to inf, which is no hashrate
    assert parse_numbers(pd.Series(["1e400", "-1e400", "(1e400)"])).isna().all()
