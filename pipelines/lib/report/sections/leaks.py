"""Section 2, leak verification: the verdict counts of marts.leak_plausibility and each implausible
line with where it is printed, what it claims, what is expected and its crop of the page."""
from __future__ import annotations

from pipelines.lib.common.missing import is_missing
from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Claim,
    Figure,
    Paragraph,
    Section,
    Table,
    U,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES


MAX_CROPS = 40


def leak_counts(data):
    counts = {r["verdict"]: r for r in data["leak_verdicts"]}
    total = sum(r["claims"] for r in data["leak_verdicts"])
    return counts, total


def leak_headline(data) -> Paragraph:
    counts, total = leak_counts(data)
    if not total:
        return Paragraph(say("No leaked claim was checked: marts.leak_plausibility is empty, so whether "
                             "the leaked cost sheets are plausible is unknown."), "lead")
    bad = counts.get("implausible", {})
    kinds = joined([say("{n} {claim}", n=f"{r['claims']:,}", claim=u(str(r["claim"]).replace("_", " "), 60))
                    for r in data["leak_implausible_by_claim"]], ", ")
    return Paragraph(say(
        "{n} of {m} claims checked in the leaked cost sheets are implausible ({lines} lines in {docs} "
        "documents){kinds}; {unver} could not be checked and {ok} are plausible.",
        n=f"{bad.get('claims', 0):,}", m=f"{total:,}", lines=f"{bad.get('lines', 0):,}",
        docs=f"{bad.get('documents', 0):,}", kinds=say(": {k}", k=kinds) if kinds.values else "",
        unver=f"{counts.get('unverifiable', {}).get('claims', 0):,}",
        ok=f"{counts.get('plausible', {}).get('claims', 0):,}"), "lead")


def leak_lines(rows):
    """Implausible claims grouped by the line they are printed on, in the query's order."""
    lines: dict = {}
    for row in rows:
        key = (row["document_id"], row["page"], row["table_index"], row["row_index"])
        lines.setdefault(key, []).append(row)
    return list(lines.values())


def leaks_section(data, crops: dict) -> Section:
    blocks = [leak_headline(data)]
    counts, total = leak_counts(data)
    if total:
        blocks.append(Table(["verdict", "claims", "lines", "documents"],
                            [[U(r["verdict"]), f"{r['claims']:,}", f"{r['lines']:,}", f"{r['documents']:,}"]
                             for r in data["leak_verdicts"]], numeric={1, 2, 3}))
    if data["leak_implausible_by_claim"]:
        blocks.append(Table(["implausible claim", "claims"],
                            [[U(r["claim"]), f"{r['claims']:,}"] for r in data["leak_implausible_by_claim"]],
                            numeric={1}))
    lines = leak_lines(data["leak_implausible"])
    shown = sum(r["claims"] for r in data["leak_implausible_by_claim"])
    if lines:
        blocks.append(Paragraph(say(
            "Each implausible line below: where it is printed, what the sheet claims, what physics and the "
            "chain allow, and the spot on the page (PDF lines; the line framed in red).")))
    if shown > len(data["leak_implausible"]):
        blocks.append(Paragraph(say("Listed: the first {k} of {n} implausible claims.",
                                    k=f"{len(data['leak_implausible']):,}", n=f"{shown:,}"), "note"))
    for k, claims in enumerate(lines):
        first = claims[0]
        crop = crops.get(k)
        where = say("{path}, page {page}, table_index {table}, row_index {row}",
                    path=u(first["path"] or first["document_id"], 200), page=fmt.cell(first["page"]),
                    table=fmt.cell(first["table_index"]), row=fmt.cell(first["row_index"]))
        fields = [("company", u(first["company"])), ("site", u(first["site"])), ("device", u(first["device"])),
                  ("coin", u(first["coin"])),
                  ("period", f"{fmt.day(first['period_start'])} to {fmt.day(first['period_end'])}"),
                  ("printed row", u(first["source_text"], 400))]
        if first.get("copies"):
            fields.append(("copies", f"{first['copies']} byte-identical cop{'y' if first['copies'] == 1 else 'ies'} "
                                     "of this file in the raw folder"))
        for c in claims:
            expected = (f"{fmt.number(c['expected_low'])} to {fmt.number(c['expected_high'])}"
                        if not (is_missing(c["expected_low"]) and is_missing(c["expected_high"])) else "unknown")
            fields.append((U(f"claim: {fmt.clip(c['claim'], 60)}"),
                           U(f"claimed {fmt.number(c['claimed_value'])} {fmt.clip(c['unit'], 40)}; "
                             f"expected {expected}. {fmt.clip(c['reason'], 1000)}")))
        if crop is None:
            figure, note = None, say("no page image: the report shows at most {n} crops.", n=str(MAX_CROPS))
        else:
            figure = (Figure(f"crop-{k + 1:02d}", crop.png, say("The line on the leaked page: {w}", w=U(where.plain())),
                             say("{note}", note=U(crop.note)), crop=True) if crop.png else None)
            note = say("{note}", note=U(crop.note))
        blocks.append(Claim(where, [(label, value) for label, value in fields if value != ""], figure, note))
    left_out = max(0, len(lines) - MAX_CROPS)
    if left_out:
        blocks.append(Paragraph(say("{n} implausible lines are listed without a page image (at most {m} crops).",
                                    n=str(left_out), m=str(MAX_CROPS)), "note"))
    return Section("leaks", SECTION_TITLES["leaks"], blocks)
