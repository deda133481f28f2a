"""Events files without a kind or asset column: both are read from the title (and detail), so the
models' event study finds ETF, capex and leak dates in files such as key_events.csv."""
import datetime as dt

import pytest

from pipelines.lib.sources.events import infer_asset, infer_kind, parse_events_file


@pytest.mark.parametrize("title, kind, asset", [
    ("Ethereum Merge (PoW->PoS)", "protocol", "ETH"),
    ("SEC approves US spot bitcoin ETFs", "etf", "BTC"),
    ("Amazon ~$150bn/15y data-center plan (Bloomberg)", "capex", None),
    ("Microsoft/OpenAI 'Stargate' up-to-$100bn report", "capex", None),
    ("Bitcoin 4th halving (block 840000)", "halving", "BTC"),
    ("Leaked cost sheets show idle GPUs mining", "leak", None),
    ("Ethereum Classic network upgrade", "protocol", "ETC"),
    ("Fed raises rates", "event", None),
])
def test_kind_and_asset_from_the_title(title, kind, asset):
    assert (infer_kind(title), infer_asset(title)) == (kind, asset)


def test_a_file_without_kind_column_gets_kinds_and_one_with_it_keeps_its_own(tmp_path):
    plain = tmp_path / "key_events.csv"
    plain.write_text("date,event,detail,external_source\n"
                     "2024-01-10,SEC approves US spot bitcoin ETFs,trading began 2024-01-11,https://example.org\n"
                     "2024-03-28,Amazon plan (Bloomberg),data-center spend over 15 years,https://example.org\n")
    rows = parse_events_file(plain, dt.date(2026, 1, 1)).rows
    assert list(zip(rows["kind"], [a if isinstance(a, str) else None for a in rows["asset"]])) == [("etf", "BTC"), ("capex", None)]
    typed = tmp_path / "events.csv"
    typed.write_text("date,asset,kind,title,source\n2024-01-10,,regulation,SEC approves US spot bitcoin ETFs,x\n")
    rows = parse_events_file(typed, dt.date(2026, 1, 1)).rows
    assert list(zip(rows["kind"], [a if isinstance(a, str) else None for a in rows["asset"]])) == [("regulation", None)]
