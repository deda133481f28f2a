#!/usr/bin/env python3
"""A mixed leak corpus for bench/ingest_mixed.py (issue 19, point 5): PDFs, XLSX, DOCX, CSV, images,
zip archives with nested 7z/zip members, and e-mails with attachments, every file with its own bytes.

    python scripts/make_mixed_corpus.py OUT_DIR [--files 2000] [--seed 0]

Per 100 top-level files (the mix repeats, so any count keeps the shares):
  20 PDFs        prose pages with a ruled cost table on one page in five (the layout of
                 make_cost_sheets.build_bench_corpus), PDF_PAGES pages each: most of the pages
  24 XLSX        two sheets of cost lines (make_cost_sheets' XLSX layout)
  14 DOCX        a memo with the English cost table (make_leak_office_samples.docx_bytes)
  10 CSV         the German CSV export layout (semicolons, German numbers, a Summe line)
  14 zip         a CSV, a DOCX and a nested archive (7z holding an XLSX; or a zip holding a
                 MEMBER_PDF_PAGES-page PDF and a CSV)
  17 e-mails     .eml with an XLSX attachment and a DOCX or a MEMBER_PDF_PAGES-page PDF
   1 image       a PNG page (the German table rendered at 100 dpi), OCRed by the pipeline

Images are 1 % of the files on purpose: OCR costs about a second a page on this machine's cores,
the rest milliseconds, so a larger share would measure tesseract, not the intake.

The cost lines come from scripts/make_cost_sheets.py (the same sites, devices, coins and printed
precision); each file draws its own subset, order and title (its index is printed in it), so no two
files share a sha256 and nothing is deduplicated. The content is seeded: the same (files, seed)
gives the same documents, but not byte for byte (openpyxl stamps the time of writing into each XLSX,
and so into the archives and e-mails that hold one).
"""
from __future__ import annotations

import io
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import make_cost_sheets as mcs  # noqa: E402
from make_leak_containers import zip_bytes  # noqa: E402
from make_leak_office_samples import docx_bytes, image_bytes, page_image  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests.e2e.hostile.archives import eml_bytes, seven_zip_bytes  # noqa: E402

PDF_PAGES = 14          # pages of a top-level PDF
MEMBER_PDF_PAGES = 5    # pages of a PDF inside an archive or an e-mail
SHARES = {"pdf": 20, "xlsx": 24, "docx": 14, "csv": 10, "zip": 14, "eml": 17, "image": 1}
# the hundred slots interleaved by share, so that the first few files of any corpus are already mixed
MIX = [kind for _, kind in sorted(((k + 0.5) / n, kind) for kind, n in SHARES.items() for k in range(n))]
COMPANIES = ["Microsoft Azure", "Amazon Web Services", "Google Cloud", "Oracle Cloud", "Meta"]


class _Lines:
    """The make_cost_sheets lines, finalised once (finalising walks the chain day by day)."""

    def __init__(self) -> None:
        self.de = mcs.doc1_lines()
        self.en = mcs.doc3_lines()
        self.csv = mcs.csv_lines()
        self.xlsx = [ln for lines in mcs.xlsx_sheets().values() for ln in lines]


def _title(rng: random.Random, index: int, what: str) -> str:
    return f"{what} {index:05d} - {mcs._prose(rng, 1)[:50].rstrip('.')}"


def pdf_bytes(rng: random.Random, lines: _Lines, index: int, pages: int, table_every: int = 5) -> bytes:
    """`pages` pages: prose, and a ruled cost table (German or English layout) on one page in
    `table_every`, as in make_cost_sheets.build_bench_corpus."""
    buffer = io.BytesIO()
    w, h = mcs.A4
    c = mcs.new_canvas(buffer, pagesize=mcs.A4, title=f"Report {index}")
    table_pages = {b + rng.randrange(min(table_every, pages - b)) for b in range(0, pages, table_every)}
    for p_i in range(pages):
        if p_i in table_pages:
            lw, lh = mcs.landscape(mcs.A4)
            c.setPageSize((lw, lh))
            if rng.random() < 0.5:
                rows = [mcs.de_row(ln) for ln in rng.sample(lines.de, 6)]
                headers, numeric, cap = mcs.DE_HEADERS, mcs.DE_NUMERIC, "Tabelle: Kostenrechnung"
            else:
                rows = [mcs.en_row3(ln) for ln in rng.sample(lines.en, 12)]
                headers, numeric, cap = mcs.EN3_HEADERS, mcs.EN3_NUMERIC, "Table: Idle-time mining"
            c.setFont(mcs.BOLD, 12)
            y = lh - 50 - rng.randint(0, 120)
            c.drawString(30, y, f"{cap} ({index:05d})")
            size = mcs.fit_size(headers, rows, lw - 60)
            mcs.draw_table(c, 30, y - 14, headers, rows, mcs.column_widths(headers, rows, size), size, numeric)
            mcs.footer(c, lw, p_i + 1, pages)
        else:
            c.setPageSize((w, h))
            y = h - 60
            c.setFont(mcs.BOLD, 14)
            c.drawString(50, y, _title(rng, index, f"{p_i + 1}."))
            y -= 28
            while y > 90:
                para = mcs._wrap(mcs._prose(rng, rng.randint(3, 6)), 10, w - 100)
                if y - 13 * len(para) < 80:
                    break
                c.setFont(mcs.FONT, 10)
                for text in para:
                    c.drawString(50, y, text)
                    y -= 13
                y -= 10
            mcs.footer(c, w, p_i + 1, pages)
        c.showPage()
    c.save()
    return buffer.getvalue()


def xlsx_bytes(rng: random.Random, lines: _Lines, index: int) -> bytes:
    """Two sheets in make_cost_sheets.write_xlsx's layout, each a random draw of its lines."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in ("Frankfurt", "Dublin"):
        ws = wb.create_sheet(sheet)
        ws["A1"] = _title(rng, index, f"Idle GPU mining - {sheet}")
        ws["A2"] = f"Company: {rng.choice(COMPANIES)}"
        ws["A3"] = "Period: 2024-04-01 to 2024-06-30"
        for j, hdr in enumerate(mcs.XLSX_HEADERS, start=1):
            ws.cell(6, j, hdr)
        for i, ln in enumerate(rng.sample(lines.xlsx, rng.randint(4, len(lines.xlsx)))):
            v = ln.v
            values = [ln.site, ln.period_label, ln.device, ln.count, float(v["util"]), float(v["idle"]),
                      float(v["power_p"]), float(v["pue"]), float(v["price_p"]), ln.coin, float(v["hs_p"]),
                      float(v["coins"]), float(v["revenue_p"]), float(v["opex_p"])]
            for j, value in enumerate(values, start=1):
                ws.cell(7 + i, j, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rng: random.Random, lines: _Lines, index: int) -> bytes:
    import csv

    chosen = rng.sample(lines.csv, rng.randint(4, len(lines.csv)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(mcs.CSV_HEADERS)
    for ln in chosen:
        writer.writerow(mcs.csv_row(ln))
    t = mcs.totals(chosen)
    writer.writerow(["", f"Summe {index:05d}", "", "", mcs.fmt(mcs.D(t["count"]), 0, "de"), "", "",
                     mcs.fmt(t["power_p"], 2, "de"), "", "", "", "", mcs.fmt(t["coins"], 4, "de"),
                     mcs.fmt(t["revenue_p"], 2, "de"), mcs.fmt(t["opex_p"], 2, "de")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def memo_bytes(rng: random.Random, lines: _Lines, index: int) -> bytes:
    rows = [mcs.en_row3(ln) for ln in rng.sample(lines.en, rng.randint(6, 18))]
    letter = [f"Memo {index:05d}: idle GPU capacity, mining results", f"Company: {rng.choice(COMPANIES)}",
              mcs.FOOTER]
    return docx_bytes(["Period: 2022-07-01 to 2023-06-30"], mcs.EN3_HEADERS, rows, before="\n".join(letter),
                      after=mcs._prose(rng, 2))


def png_bytes(rng: random.Random, lines: _Lines, index: int, tmp: Path) -> bytes:
    """One page with the German table, rendered at 100 dpi (small: OCR cost grows with the pixels)."""
    lw, lh = mcs.landscape(mcs.A4)
    path = tmp / f"page_{index}.pdf"
    c = mcs.new_canvas(str(path), title=f"Scan {index}")
    c.setFont(mcs.BOLD, 14)
    c.drawString(30, lh - 50, f"Kostenrechnung Q1 2024 - Blatt {index:05d}")
    c.setFont(mcs.FONT, 10)
    c.drawString(30, lh - 68, f"Unternehmen: {rng.choice(COMPANIES)}")
    rows = [mcs.de_row(ln) for ln in rng.sample(lines.de, 6)]
    size = mcs.fit_size(mcs.DE_HEADERS, rows, lw - 60)
    mcs.draw_table(c, 30, lh - 90, mcs.DE_HEADERS, rows, mcs.column_widths(mcs.DE_HEADERS, rows, size), size,
                   mcs.DE_NUMERIC)
    c.showPage()
    c.save()
    data = image_bytes(page_image(path, dpi=100), "PNG", optimize=True)
    path.unlink()
    return data


def _member_pdf_or_docx(rng, lines, index: int, pdf: bool) -> tuple[str, bytes]:
    if pdf:
        return f"bericht_{index:05d}.pdf", pdf_bytes(rng, lines, index, MEMBER_PDF_PAGES)
    return f"memo_{index:05d}.docx", memo_bytes(rng, lines, index)


def write_file(out: Path, kind: str, index: int, rng: random.Random, lines: _Lines, tmp: Path) -> Path:
    stem = f"leak_{index:05d}"
    if kind == "pdf":
        path, data = out / f"{stem}.pdf", pdf_bytes(rng, lines, index, PDF_PAGES)
    elif kind == "xlsx":
        path, data = out / f"{stem}.xlsx", xlsx_bytes(rng, lines, index)
    elif kind == "docx":
        path, data = out / f"{stem}.docx", memo_bytes(rng, lines, index)
    elif kind == "csv":
        path, data = out / f"{stem}.csv", csv_bytes(rng, lines, index)
    elif kind == "image":
        path, data = out / f"{stem}.png", png_bytes(rng, lines, index, tmp)
    elif kind == "zip":
        if index % 2:
            nested = ("anhang/standorte.7z", seven_zip_bytes([(f"standorte_{index:05d}.xlsx",
                                                               xlsx_bytes(rng, lines, index))]))
        else:
            nested = ("anhang/bericht.zip", zip_bytes([_member_pdf_or_docx(rng, lines, index, True),
                                                       (f"export_{index:05d}.csv", csv_bytes(rng, lines, index))]))
        path, data = out / f"{stem}.zip", zip_bytes([(f"kostenblatt_{index:05d}.csv", csv_bytes(rng, lines, index)),
                                                     _member_pdf_or_docx(rng, lines, index, False), nested])
    elif kind == "eml":
        attachments = [(f"kosten_{index:05d}.xlsx", xlsx_bytes(rng, lines, index)),
                       _member_pdf_or_docx(rng, lines, index, pdf=index % 2 == 0)]
        path, data = out / f"{stem}.eml", eml_bytes(attachments, subject=f"WG: Kosten {index:05d}",
                                                      body=mcs._prose(rng, 3))
    else:
        raise ValueError(kind)
    path.write_bytes(data)
    return path


def build_mixed_corpus(out_dir: Path, files: int = 2000, seed: int = 0) -> dict:
    """Write `files` top-level files into out_dir (emptied first is the caller's job); returns
    {'files': n, 'by_kind': {kind: n}, 'bytes': total}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = _Lines()
    kinds = Counter()
    total = 0
    with tempfile.TemporaryDirectory(prefix="mixed-corpus-") as tmp:
        for index in range(files):
            # one image slot per hundred files; a smaller corpus gets its one image as its last file
            kind = MIX[index % len(MIX)] if files >= len(MIX) or index < files - 1 else "image"
            rng = random.Random(f"{seed}:{index}")
            path = write_file(out_dir, kind, index, rng, lines, Path(tmp))
            kinds[kind] += 1
            total += path.stat().st_size
    return {"files": files, "by_kind": dict(sorted(kinds.items())), "bytes": total}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(build_mixed_corpus(args.out_dir, args.files, args.seed))
