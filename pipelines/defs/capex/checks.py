"""Expectations on capex announcements and quarterly filed capex."""

from pipelines.defs.validation import expectation_check
from pipelines.lib.validation import expectations as v

CAPEX_ANNOUNCEMENTS = v.suite(
    "core.capex_announcements", ["document_id", "locator"],
    v.not_null("announcement_id", "company", "announced_on", "amount_native", "currency", "qualifier", "scope",
               "document_id", "locator", "snippet"),
    v.unique("announcement_id"),
    v.positive("amount_native", "amount_low_native", "amount_high_native"),
    v.at_least("amount_high_native", "amount_low_native", "the range's upper end is below its lower end"),
    v.non_negative("amount_usd", "horizon_years"),
    v.in_set("currency", v.iso_currencies(), "currency must be an ISO 4217 code"),
    v.in_set("scope", ["ai_datacenter", "total_capex", "other"]),
    v.in_set("qualifier", ["exact", "range", "up_to", "at_least", "about"]),
    v.not_future("announced_on"),
    v.not_before("announced_on", "1990-01-01", "an announcement before 1990 is a misread date"),
    notes="No row-count expectation: a capex folder may hold only quarterly filings.",
)

CAPEX_QUARTERLY = v.suite(
    "core.capex_quarterly", ["ticker", "period_end"],
    v.not_null("company", "ticker", "period_end", "fiscal_label", "capex_usd", "document_id"),
    v.unique("ticker", "period_end"),
    # The largest quarter on record is about 35 bn USD (2025); 200 bn is a unit slip.
    v.between("capex_usd", 0, 2e11, "a quarter's capex must be above 0 and below 200 bn USD (thousands "
              "read as USD?)", strict_low=True),
    v.not_future("period_end"),
    v.not_before("period_end", "1990-01-01", "a quarter before 1990 is a misread date"),
)

capex_announcements_expectations = expectation_check(CAPEX_ANNOUNCEMENTS)
capex_quarterly_expectations = expectation_check(CAPEX_QUARTERLY)
