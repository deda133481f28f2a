"""A rebuilt report redraws only the images whose inputs changed: charts and page crops are kept in the
report folder keyed by their content, and a damaged or missing entry is drawn again."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.report import build_report
from pipelines.lib.report import cache as images
from pipelines.lib.report import charts
from pipelines.lib.report import crops


class Counter:
    def __init__(self, payload=b"\x89PNG fake"):
        self.calls = 0
        self.payload = payload

    def __call__(self):
        self.calls += 1
        return self.payload


def _rows(n=3, shift=0.0):
    return [{"company": "A", "date": dt.date(2023, 1, 1) + dt.timedelta(days=k), "gpus_p50": 10.0 + k + shift,
             "basis": None, "share": Decimal("0.25")} for k in range(n)]


def test_an_unchanged_frame_is_reused_and_a_changed_one_is_drawn_again(tmp_path):
    draw = Counter()
    first = images.ImageCache(tmp_path)
    assert first.image("fleet", ("code", _rows()), draw) == b"\x89PNG fake"
    assert draw.calls == 1 and first.rendered == ["fleet"] and first.reused == []

    again = images.ImageCache(tmp_path)
    assert again.image("fleet", ("code", _rows()), draw) == b"\x89PNG fake"
    assert draw.calls == 1, "an unchanged frame must not be drawn again"
    assert again.reused == ["fleet"] and again.rendered == []

    changed = images.ImageCache(tmp_path)
    changed.image("fleet", ("code", _rows(shift=1e-9)), draw)          # one value, slightly different
    changed.image("fleet", ("code", _rows(n=4)), draw)                 # one row more
    changed.image("fleet", ("other code", _rows()), draw)              # the chart's code changed
    assert draw.calls == 4 and changed.rendered == ["fleet"] * 3


def test_keys_tell_types_apart_and_refuse_what_has_no_exact_text():
    assert len({images.digest(v) for v in (1, 1.0, "1", True, None, Decimal("1"), [1], (1,))}) == 8
    assert images.digest(float("nan")) == images.digest(float("nan"))
    assert images.digest({"a": 1, "b": 2}) != images.digest({"b": 2, "a": 1})   # column order is content
    np = pytest.importorskip("numpy")
    assert images.digest([np.arange(5000)]) is None        # its repr elides values: never a key
    assert images.digest([object()]) is None                # its repr is an address: never a key


def test_unkeyable_inputs_are_drawn_every_time(tmp_path):
    draw = Counter()
    for _ in range(2):
        store = images.ImageCache(tmp_path)
        store.image("x", (object(),), draw)
    assert draw.calls == 2


def test_a_damaged_or_missing_entry_is_drawn_again_and_nothing_is_drawn_is_remembered(tmp_path):
    draw = Counter()
    images.ImageCache(tmp_path).image("chain", ("k",), draw)
    (entry,) = tmp_path.glob("chain-*.bin")
    record = entry.read_bytes()
    entry.write_bytes(record[:-3] + b"xyz")                        # same length, other bytes
    assert images.ImageCache(tmp_path).image("chain", ("k",), draw) == b"\x89PNG fake"
    assert draw.calls == 2
    assert entry.read_bytes() == record, "the damaged entry is rewritten"
    entry.write_bytes(record[:10])                                 # truncated
    images.ImageCache(tmp_path).image("chain", ("k",), draw)
    entry.unlink()
    images.ImageCache(tmp_path).image("chain", ("k",), draw)
    assert draw.calls == 4

    nothing = Counter(payload=None)                                # no rows to plot: no image
    for _ in range(2):
        assert images.ImageCache(tmp_path).image("empty", ("k",), nothing) is None
    assert nothing.calls == 1


def test_entries_a_build_did_not_use_are_removed(tmp_path):
    store = images.ImageCache(tmp_path)
    store.image("a", (1,), Counter())
    store.image("b", (1,), Counter())
    (tmp_path / "notes.txt").write_text("not ours")
    later = images.ImageCache(tmp_path)
    later.image("a", (1,), Counter())
    later.prune()
    assert [p.name.split("-")[0] for p in tmp_path.glob("*.bin")] == ["a"]
    assert (tmp_path / "notes.txt").exists()


# ------------------------------------------------------------------ build_report

def _warehouse(path: Path, rows: int) -> None:
    """A warehouse holding only marts.ai_fleet_daily (every other query finds no table and says so)."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("""CREATE TABLE marts.ai_fleet_daily AS
            SELECT 'Acme' AS company, DATE '2023-01-01' + INTERVAL (i) DAY AS date,
                   100.0 + i AS gpus_p05, 120.0 + i AS gpus_p50, 140.0 + i AS gpus_p95,
                   10.0 AS idle_gpus_p05, 20.0 AS idle_gpus_p50, 30.0 AS idle_gpus_p95, 'test' AS basis
            FROM range(?) t(i)""", [rows])


def test_a_rebuild_draws_only_the_charts_whose_rows_changed(tmp_path, monkeypatch):
    drawn = []
    real = charts.fleet

    @functools.wraps(real)
    def fleet(rows):
        drawn.append(len(rows))
        return real(rows)

    monkeypatch.setattr(charts, "fleet", fleet)
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    warehouse = tmp_path / "wh.duckdb"
    _warehouse(warehouse, 30)

    first = build_report(warehouse, raw, out)
    assert drawn == [30] and "fleet" in first.rendered
    png = (first.figures / "fleet.png").read_bytes()

    again = build_report(warehouse, raw, out)
    assert drawn == [30], "the fleet chart was drawn again although its rows did not change"
    assert again.rendered == [] and "fleet" in again.reused
    assert (again.figures / "fleet.png").read_bytes() == png
    assert 'id="fig-fleet"' in again.html.read_text(encoding="utf-8")

    with duckdb.connect(str(warehouse)) as con:          # one row more: that chart is drawn again
        con.execute("""INSERT INTO marts.ai_fleet_daily VALUES ('Acme', DATE '2023-02-15', 1, 2, 3, 1, 1, 1, 'test')""")
    changed = build_report(warehouse, raw, out)
    assert drawn == [30, 31] and changed.rendered == ["fleet"]
    assert (changed.figures / "fleet.png").read_bytes() != png
    entries = list((out / images.CACHE_DIR).glob("fleet-*.bin"))
    assert len(entries) == 1, "the earlier build's entry is removed"


# ------------------------------------------------------------------ page crops

def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)
    page.setFont("Helvetica", 12)
    page.drawString(72, A4[1] - 100, text)
    page.save()
    return out.getvalue()


def test_a_crop_of_the_same_bytes_is_reused_and_a_changed_document_is_cut_again(tmp_path, monkeypatch):
    renders = []
    real = crops._render
    monkeypatch.setattr(crops, "_render", lambda path, page_no: renders.append(page_no) or real(path, page_no))
    raw, store_dir = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    doc = raw / "sheet.pdf"
    doc.write_bytes(_pdf("GPU rental 123 USD per hour"))
    bbox = [72, 80, 300, 104]

    def crop():
        store = images.ImageCache(store_dir)
        got = crops.crop_line(crops.PageCache(raw), rel_path="sheet.pdf",
                              document_id=hashlib.sha256(doc.read_bytes()).hexdigest(),
                              media_type="application/pdf", page_no=1, bbox=bbox, store=store)
        return got, store

    first, store = crop()
    assert first.png and store.rendered == ["crop"] and renders == [1]
    second, store = crop()
    assert second.png == first.png and second.note == first.note
    assert renders == [1] and store.reused == ["crop"], "the page was rendered again for an unchanged crop"

    doc.write_bytes(_pdf("GPU rental 999 USD per hour"))           # other bytes: another document id
    third, store = crop()
    assert renders == [1, 1] and store.rendered == ["crop"] and third.png != first.png

    # A document whose bytes no longer match its id is refused before any cache is consulted.
    stale = crops.crop_line(crops.PageCache(raw), rel_path="sheet.pdf", document_id="0" * 64,
                            media_type="application/pdf", page_no=1, bbox=bbox,
                            store=images.ImageCache(store_dir))
    assert stale.png is None and "changed since it was loaded" in stale.note
