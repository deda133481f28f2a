"""What the report says: the document, its sections in order (one module each under sections/).

Every sentence with a number is derived from the warehouse's rows; a NULL is said as 'unknown', never 0.
"""
from __future__ import annotations

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import Document, say, u
from pipelines.lib.report.sections.assumptions import assumptions_section
from pipelines.lib.report.sections.attribution import attribution_section
from pipelines.lib.report.sections.chain import chain_section
from pipelines.lib.report.sections.fleet import fleet_section
from pipelines.lib.report.sections.leaks import leaks_section
from pipelines.lib.report.sections.profitability import profitability_section
from pipelines.lib.report.sections.quality import quality_section, sample_notice
from pipelines.lib.report.sections.sensitivity import sensitivity_section
from pipelines.lib.report.sections.verdict import verdict_section


def document(data, crops: dict, charts: dict) -> Document:
    subtitle = say("Built {when} from the warehouse {wh} (read-only) and the raw folder {raw}.",
                   when=fmt.day(data.generated_at), wh=u(str(data.warehouse), 300), raw=u(str(data.raw_dir), 300))
    return Document(
        title="Do leaked cost sheets show Big Tech mining crypto on idle AI GPUs, and did it drive the rally?",
        subtitle=subtitle,
        notice=sample_notice(data),
        sections=[verdict_section(data), leaks_section(data, crops), fleet_section(data, charts),
                  profitability_section(data, charts), attribution_section(data, charts),
                  chain_section(data, charts),
                  sensitivity_section(data, charts), assumptions_section(data), quality_section(data)])
