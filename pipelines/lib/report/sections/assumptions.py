"""Section 7, the assumptions: every model input that is not data, as a range."""
from __future__ import annotations

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Paragraph,
    Section,
    Table,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES


def assumptions_section(data) -> Section:
    rows = data["assumptions"]
    if not rows:
        return Section("assumptions", SECTION_TITLES["assumptions"], [Paragraph(say(
            "No assumptions are recorded: marts.model_assumptions is empty."), "note")])
    sets = sorted({(r["assumption_set"], r["model_version"]) for r in rows}, key=str)
    return Section("assumptions", SECTION_TITLES["assumptions"], [
        Paragraph(say("Every model input that is not data, as a range (marts.model_assumptions; assumption set "
                      "and model version {sets}). Fixed settings have no range; their value is in the unit column.",
                      sets=joined([say("{s} / {v}", s=u(s, 80), v=u(v, 40)) for s, v in sets], ", "))),
        Table(["name", "low", "central", "high", "unit / value", "distribution", "source"],
              [[u(r["name"], 60), fmt.cell(r["low"]), fmt.cell(r["central"]), fmt.cell(r["high"]),
                u(r["unit"], 200), u(r["distribution"], 40), u(r["source"], 400)] for r in rows],
              numeric={1, 2, 3})])
