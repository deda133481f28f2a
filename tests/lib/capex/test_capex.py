"""Capex announcements and quarterly capex: phrasings, bundled samples, bad input, HTML safety, sensor."""
import datetime as dt
import json
import socket

import pytest

from pipelines.lib.capex.amounts import find_amounts, parse_number
from pipelines.lib.capex.companies import Companies
from pipelines.lib.capex.dates import find_dates
from pipelines.lib.capex.documents import read_document, read_html
from pipelines.lib.capex.horizons import find_horizon
from pipelines.lib.capex.mentions import DocumentContext, extract
from pipelines.lib.capex.parser import parse_capex_file
from pipelines.lib.capex.scope import classify
from pipelines.lib.common.settings import PROJECT_ROOT
from tests.conftest import SHARED_DATA

TODAY = dt.date(2026, 11, 26)
SAMPLES = PROJECT_ROOT / "raw" / "capex"
B, M = 1e9, 1e6


# --- amounts: scale words, currencies, ranges and qualifiers, English and German -----------------

@pytest.mark.parametrize("text,lang,value,low,high,currency,qualifier", [
    ("Amazon will spend $150 billion", "en", 150 * B, 150 * B, 150 * B, "USD", "exact"),
    ("a $1.5bn plant", "en", 1.5 * B, 1.5 * B, 1.5 * B, "USD", "exact"),
    ("USD 150bn over a decade", "en", 150 * B, 150 * B, 150 * B, "USD", "exact"),
    ("US$ 2.5 billion", "en", 2.5 * B, 2.5 * B, 2.5 * B, "USD", "exact"),
    ("capex of $35-40 billion", "en", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("$35 billion to $40 billion", "en", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("between $35bn and $40bn", "en", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("35 to 40 billion dollars", "en", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("could cost up to $100 billion", "en", 100 * B, None, 100 * B, "USD", "up_to"),
    ("as much as $100 billion", "en", 100 * B, None, 100 * B, "USD", "up_to"),
    ("almost $150 billion", "en", 150 * B, 150 * B, 150 * B, "USD", "about"),
    ("more than $10 billion", "en", 10 * B, 10 * B, None, "USD", "at_least"),
    ("€3 billion", "en", 3 * B, 3 * B, 3 * B, "EUR", "exact"),
    ("£2.5bn", "en", 2.5 * B, 2.5 * B, 2.5 * B, "GBP", "exact"),
    ("$500m", "en", 500 * M, 500 * M, 500 * M, "USD", "exact"),
    ("1,500 million dollars", "en", 1.5 * B, 1.5 * B, 1.5 * B, "USD", "exact"),
    ("a $1.2 trillion market value", "en", 1.2e12, 1.2e12, 1.2e12, "USD", "exact"),
    ("10 billion euros", "en", 10 * B, 10 * B, 10 * B, "EUR", "exact"),
    ("100 Milliarden US-Dollar", "de", 100 * B, 100 * B, 100 * B, "USD", "exact"),
    ("1,5 Mrd. €", "de", 1.5 * B, 1.5 * B, 1.5 * B, "EUR", "exact"),
    ("3,2 Milliarden Euro", "de", 3.2 * B, 3.2 * B, 3.2 * B, "EUR", "exact"),
    ("35 bis 40 Milliarden Dollar", "de", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("zwischen 35 und 40 Mrd. Euro", "de", 37.5 * B, 35 * B, 40 * B, "EUR", "range"),
    ("2 Billionen US-Dollar", "de", 2e12, 2e12, 2e12, "USD", "exact"),
    ("1 Billion Euro", "de", 1e12, 1e12, 1e12, "EUR", "exact"),
    ("eine Billion Euro", "de", 1e12, 1e12, 1e12, "EUR", "exact"),
    ("bis zu 100 Mrd. USD", "de", 100 * B, None, 100 * B, "USD", "up_to"),
    ("rund 1,5 Mrd. Euro", "de", 1.5 * B, 1.5 * B, 1.5 * B, "EUR", "about"),
    ("500 Mio. €", "de", 500 * M, 500 * M, 500 * M, "EUR", "exact"),
    ("1.234,5 Mio. Euro", "de", 1234.5 * M, 1234.5 * M, 1234.5 * M, "EUR", "exact"),
    ("12.500 Euro", "de", 12500, 12500, 12500, "EUR", "exact"),
    ("mehr als 10 Milliarden Euro", "de", 10 * B, 10 * B, None, "EUR", "at_least"),
    ("EUR 7,8 Mrd.", "de", 7.8 * B, 7.8 * B, 7.8 * B, "EUR", "exact"),
    ("1.5 Mrd. Dollar", "de", 1.5 * B, 1.5 * B, 1.5 * B, "USD", "exact"),  # English decimal in German text
    ("USD10bn", "en", 10 * B, 10 * B, 10 * B, "USD", "exact"),
    ("$1,500,000,000", "en", 1.5 * B, 1.5 * B, 1.5 * B, "USD", "exact"),
    ("half a billion dollars", "en", 0.5 * B, 0.5 * B, 0.5 * B, "USD", "exact"),
    ("eine Milliarde Euro", "de", 1 * B, 1 * B, 1 * B, "EUR", "exact"),
    ("capex ranging from $35bn to $40bn", "en", 37.5 * B, 35 * B, 40 * B, "USD", "range"),
    ("von 35 bis 40 Milliarden Euro", "de", 37.5 * B, 35 * B, 40 * B, "EUR", "range"),
    ("80 Mrd. US$", "de", 80 * B, 80 * B, 80 * B, "USD", "exact"),
    ("Q1 2024 $12bn", "en", 12 * B, 12 * B, 12 * B, "USD", "exact"),
    ("12 000 Mio. €", "de", 12 * B, 12 * B, 12 * B, "EUR", "exact"),
    ("$200m-$300m", "en", 250 * M, 200 * M, 300 * M, "USD", "range"),
])
def test_amount_phrasings(text, lang, value, low, high, currency, qualifier):
    found = find_amounts(text, lang)
    assert len(found) == 1, [a.text for a in found]
    a = found[0]
    assert (a.value, a.low, a.high, a.currency, a.qualifier) == pytest.approx((value, low, high, currency, qualifier))
    assert text[a.start:a.end] == a.text


@pytest.mark.parametrize("text,lang", [
    ("over the next 15 years", "en"), ("in 2024", "en"), ("40% more", "en"), ("10,000 H100 GPUs", "en"),
    ("100 Milliarden Parameter", "de"), ("bis 2028", "de"), ("am 28. März 2024", "de"),
])
def test_numbers_that_are_not_money(text, lang):
    assert find_amounts(text, lang) == []


def test_a_change_from_one_figure_to_another_marks_the_first_as_previous():
    old, new = find_amounts("raised from $30bn to $37bn", "en")
    assert (old.value, old.previous, new.value, new.previous) == (30 * B, True, 37 * B, False)


def test_a_restatement_in_brackets_is_not_a_second_plan():
    capex, other = extract("Jan. 3, 2025 - Microsoft will invest £2.5bn ($3.2bn) in U.K. data centres.", TODAY)
    assert [(m.amount.text, m.amount.currency) for m in capex] == [("£2.5bn", "GBP")]
    assert [m.verdict.reason for m in other] == ["currency_equivalent"]


def test_german_number_locale():
    assert parse_number("1.500", "de") == 1500 and parse_number("1.500", "en") == 1.5
    assert parse_number("1,5", "de") == 1.5 and parse_number("1,500", "en") == 1500
    assert parse_number("1.234,56", "de") == pytest.approx(1234.56)


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,lang,expected", [
    ("SEATTLE, March 28, 2024 - Amazon", "en", dt.date(2024, 3, 28)),
    ("28 March 2024", "en", dt.date(2024, 3, 28)),
    ("Mar. 28, 2024", "en", dt.date(2024, 3, 28)),
    ("Thursday, March 28th, 2024", "en", dt.date(2024, 3, 28)),
    ("published 2024-03-28T06:07:00Z", "en", dt.date(2024, 3, 28)),
    ("3/28/2024", "en", dt.date(2024, 3, 28)),
    ("Berlin, 28. März 2024.", "de", dt.date(2024, 3, 28)),
    ("Donnerstag, 28. März 2024", "de", dt.date(2024, 3, 28)),
    ("28.03.2024", "de", dt.date(2024, 3, 28)),
    ("29. Maerz 2024", "de", dt.date(2024, 3, 29)),
    ("1. Okt. 2024", "de", dt.date(2024, 10, 1)),
    ("2024/03/28", "en", dt.date(2024, 3, 28)),
])
def test_date_phrasings(text, lang, expected):
    assert [d.date for d in find_dates(text, lang)] == [expected]


@pytest.mark.parametrize("text,lang,expected", [
    ("Microsoft said on Friday", "en", dt.date(2024, 3, 29)),       # the reference is Saturday 2024-03-30
    ("Meta said on 24 April", "en", dt.date(2023, 4, 24)),           # not after the reference: last year
    ("am Donnerstag teilte Amazon mit", "de", dt.date(2024, 3, 28)),
    ("wie Google gestern mitteilte", "de", dt.date(2024, 3, 29)),
])
def test_dates_relative_to_the_document_date(text, lang, expected):
    assert [d.date for d in find_dates(text, lang, dt.date(2024, 3, 30))] == [expected]


@pytest.mark.parametrize("text,years,end_year", [
    ("spend $150 billion over the next 15 years", 15, None),
    ("über 15 Jahre 150 Mrd. Dollar", 15, None),
    ("in den nächsten fünf Jahren 3 Mrd. Euro", 5, None),
    ("a 10-year, $10 billion plan", 10, None),
    ("$10 billion over a decade", 10, None),
    ("bis zu 100 Milliarden US-Dollar bis 2028", None, 2028),
    ("$100bn by the end of 2026", None, 2026),
    ("launching as soon as 2028", None, 2028),
    ("capex for 2024 of $35-40bn", 1, 2024),
    ("FY2025 capex of $80bn", 1, 2025),
])
def test_horizon_phrasings(text, years, end_year):
    horizon = find_horizon(text, text.find("$") if "$" in text else 0)
    assert (horizon.years, horizon.end_year) == (years, end_year)


# --- is it capex? ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,amount,expected", [
    ("Amazon plans to spend almost $150 billion on data centers over the next 15 years.", "$150 billion",
     "ai_datacenter"),
    ("Meta expects 2024 capital expenditures of $35-40 billion.", "$35-40 billion", "total_capex"),
    ("Microsoft will invest $3.2 billion in cloud infrastructure in Germany.", "$3.2 billion", "ai_datacenter"),
    ("Microsoft investiert 3,2 Milliarden Euro in Rechenzentren in Deutschland.", "3,2 Milliarden Euro",
     "ai_datacenter"),
    ("Google will 1 Mrd. Euro in ein neues Bürogebäude investieren.", "1 Mrd. Euro", "other"),
    ("Die Investitionsausgaben sollen 2024 bei 50 Mrd. Dollar liegen.", "50 Mrd. Dollar", "total_capex"),
    ("Capex rose to $14 billion, up from $9.9 billion a year earlier.", "$14 billion", "total_capex"),
    ("Alphabet authorised a $70 billion share buyback.", "$70 billion", "share_buyback"),
    ("Apple will buy back $110 billion of its shares.", "$110 billion", "share_buyback"),
    ("Alphabet kündigte Aktienrückkäufe über 70 Milliarden Dollar an.", "70 Milliarden Dollar", "share_buyback"),
    ("Microsoft reported revenue of $61.9 billion.", "$61.9 billion", "revenue"),
    ("Der Umsatz stieg auf 307 Mrd. US-Dollar.", "307 Mrd. US-Dollar", "revenue"),
    ("Nvidia's market value topped $2 trillion.", "$2 trillion", "market_value"),
    ("Der Börsenwert liegt bei 2 Billionen US-Dollar.", "2 Billionen US-Dollar", "market_value"),
    ("Meta's net income rose to $12.4 billion.", "$12.4 billion", "profit"),
    ("Microsoft paid a dividend of $0.75 per share.", "$0.75", "dividend"),
    ("Microsoft agreed to acquire Activision for $69 billion.", "$69 billion", "acquisition"),
    ("The company was fined €1.2 billion by the regulator.", "€1.2 billion", "fine"),
    ("Capex rose to $14 billion, up from $9.9 billion a year earlier.", "$9.9 billion", "prior_period"),
    ("Meta raised its capex outlook to $35-40 billion from $30-37 billion.", "$30-37 billion", "prior_period"),
    ("Meta raised its capex outlook to $35-40 billion from $30-37 billion.", "$35-40 billion", "total_capex"),
    ("Amazon's operating costs of $5 billion fell.", "$5 billion", "opex"),
    ("Microsoft signed data center leases worth $10 billion.", "$10 billion", "ai_datacenter"),
    ("OpenAI raised $6.6 billion in a funding round.", "$6.6 billion", "stake_or_funding"),
])
def test_capex_or_not(sentence, amount, expected):
    lang = "de" if any(w in sentence for w in (" die ", " der ", " Die ", " Der ", " in ein ", "kündigte",
                                                "investiert ")) else "en"
    amounts = find_amounts(sentence, lang)
    target = next(a for a in amounts if a.text == amount)
    others = [(a.start, a.end) for a in amounts if a is not target]
    verdict = classify(sentence, target.start, target.end, others)
    if target.previous:
        verdict_label = "prior_period"
    else:
        verdict_label = verdict.scope if verdict.is_capex else verdict.reason
    assert verdict_label == expected


# --- companies and whole texts -----------------------------------------------------------------------

@pytest.mark.parametrize("text,company", [
    ("AWS will invest $10 billion in data centers in Mississippi.", "Amazon"),
    ("Azure capacity: Microsoft's cloud will get $5 billion of new data centers.", "Microsoft"),
    ("Google plans to spend $2 billion on a data center in Ohio.", "Alphabet"),
    ("Die Facebook-Mutter Meta plant Investitionen von 40 Mrd. Dollar in KI-Rechenzentren.", "Meta"),
    ("Microsoft and OpenAI plan a data-center project costing up to $100 billion.", "Microsoft"),
    ("MSFT plans $80bn for AI data centers.", "Microsoft"),
])
def test_company_aliases(text, company):
    capex, _ = extract(text, TODAY, DocumentContext(date=dt.date(2024, 3, 28)))
    assert [m.company.name for m in capex] == [company]


@pytest.mark.parametrize("text,amounts", [
    ("Alphabet's capex guidance for 2025: $85 billion (raised from $75 billion). Date: 2025-07-23",
     [("Alphabet", "2025-07-23", 85 * B, "total_capex", 1.0)]),
    ("Meta kündigte an, seine Investitionsausgaben für 2024 auf 35 bis 40 Milliarden Dollar zu erhöhen "
     "(zuvor 30 bis 37 Milliarden). 25. April 2024", [("Meta", "2024-04-25", 37.5 * B, "total_capex", 1.0)]),
    ("Berlin, 15. Februar 2024 – Microsoft wird in den kommenden zwei Jahren 3,2 Milliarden Euro in Deutschland "
     "investieren, vor allem in KI-Rechenzentren.", [("Microsoft", "2024-02-15", 3.2 * B, "ai_datacenter", 2.0)]),
    ("München, 3.4.2024: Die Alphabet-Tochter Google steckt bis 2030 rund eine Milliarde Euro in deutsche "
     "Rechenzentren.", [("Alphabet", "2024-04-03", 1 * B, "ai_datacenter", 6.74)]),
    ("Microsoft's quarterly revenue of $61.9 billion beat estimates; capital expenditures including finance leases "
     "were $14 billion, it said on April 25, 2024.", [("Microsoft", "2024-04-25", 14 * B, "total_capex", None)]),
    ("Apple said on May 2, 2024 that its board authorized $110 billion for share repurchases.", []),
    ("Meta hebt die Prognose für die Investitionsausgaben 2024 auf 37 bis 40 Milliarden US-Dollar an, teilte das "
     "Unternehmen am 31. Juli 2024 mit.", [("Meta", "2024-07-31", 38.5 * B, "total_capex", 1.0)]),
    ("Oracle-Chef Larry Ellison kündigte am 10. September 2024 an, mehr als 1 Billion Dollar in KI-Rechenzentren "
     "zu investieren.", [("Oracle", "2024-09-10", 1e12, "ai_datacenter", None)]),
    ("Alphabet verdiente im Quartal 23,7 Mrd. US-Dollar; der Umsatz lag bei 80,5 Mrd. Dollar. 25. April 2024", []),
])
def test_whole_sentences(text, amounts):
    from pipelines.lib.capex.announcements import horizon_fields

    capex, _ = extract(text, TODAY)
    got = [(m.company.name, m.announced_on.isoformat(), m.amount.value, m.verdict.scope,
            horizon_fields(m.horizon, m.announced_on)[0]) for m in capex]
    assert [g[:4] for g in got] == [a[:4] for a in amounts]
    assert [g[4] for g in got] == pytest.approx([a[4] for a in amounts])


def test_a_roundup_article_with_several_companies_estimates_and_buybacks():
    from pipelines.lib.capex.announcements import horizon_fields

    doc = ("Hyperscalers step up spending\nJanuary 30, 2025\n\n"
           "Microsoft said it expects to spend about $80 billion in fiscal 2025 on AI data centers. Meta, for its "
           "part, plans capital expenditures of $60-65 billion this year. The company also announced a $50 billion "
           "buyback.\n\nAmazon did not give a figure. Analysts expect it to spend more than $100 billion, according "
           "to estimates.\n\nSeparately, Alphabet said on February 4, 2025 that it expects capex of about $75 "
           "billion in 2025, up from $52.5 billion in 2024.\n")
    capex, other = extract(doc, TODAY)
    assert [(m.company.name, m.announced_on.isoformat(), m.amount.value, m.verdict.scope,
             horizon_fields(m.horizon, m.announced_on)[1].isoformat()) for m in capex] == [
        ("Microsoft", "2025-01-30", 80 * B, "ai_datacenter", "2025-12-31"),
        ("Meta", "2025-01-30", 62.5 * B, "total_capex", "2025-12-31"),
        ("Alphabet", "2025-02-04", 75 * B, "total_capex", "2025-12-31")]
    assert [m.verdict.reason for m in other] == ["share_buyback", "analyst_estimate", "prior_period"]


def test_an_investment_in_another_company_is_not_capex():
    capex, other = extract("Microsoft invested $10 billion in OpenAI, it said on 23 January 2023.", TODAY)
    assert capex == [] and [m.verdict.reason for m in other] == ["stake_or_funding"]


def test_each_clause_keeps_its_own_company():
    text = "Microsoft plans to spend $80 billion on data centers, while Amazon plans $100 billion for its cloud."
    capex, _ = extract(text, TODAY, DocumentContext(date=dt.date(2025, 1, 5)))
    assert [(m.company.name, m.amount.value) for m in capex] == [("Microsoft", 80 * B), ("Amazon", 100 * B)]


def test_a_later_sentence_keeps_the_subject_and_a_sentence_date_wins():
    text = ("Amazon is growing its cloud. On 12 March 2024 the company said it would invest $10 billion "
            "in data centers in Mississippi.")
    (mention,), _ = extract(text, TODAY)
    assert (mention.company.name, mention.company_how) == ("Amazon", "previous_sentence")
    assert (mention.announced_on, mention.announced_on_source) == (dt.date(2024, 3, 12), "text")


def test_the_alias_table_is_documented_and_complete():
    companies = Companies.bundled()
    for alias, name in [("Microsoft", "Microsoft"), ("MSFT", "Microsoft"), ("Azure", "Microsoft"),
                        ("Amazon", "Amazon"), ("AWS", "Amazon"), ("Alphabet", "Alphabet"), ("Google", "Alphabet"),
                        ("GOOG", "Alphabet"), ("Meta", "Meta"), ("Facebook", "Meta")]:
        assert companies.lookup(alias).name == name
    assert companies.find("metadata and meta tags") == []   # 'meta' is a word, 'Meta' a company


# --- every bundled sample, exactly -----------------------------------------------------------------------

EXPECTED_SAMPLES = {
    "2024-03-28_amazon_data_centers_en.txt": [("Amazon", "2024-03-28", 150 * B, "USD", "ai_datacenter", 15.0)],
    "2024-03-29_microsoft_openai_stargate_en.html": [("Microsoft", "2024-03-29", 100 * B, "USD", "ai_datacenter",
                                                      4.76)],
    "2024-03-29_stargate_de.md": [("Microsoft", "2024-03-29", 100 * B, "USD", "ai_datacenter", 4.76)],
    "2024-04-24_meta_capex_guidance_en.pdf": [("Meta", "2024-04-24", 37.5 * B, "USD", "total_capex", 1.0)],
    "2024-02-12_beispiel_rechenzentrum_de.txt": [("Alphabet", "2024-02-12", 1.5 * B, "EUR", "ai_datacenter", 3.0)],
    "2024-04-25_alphabet_results_several_amounts_en.md": [("Alphabet", "2024-04-25", 50 * B, "USD",
                                                           "ai_datacenter", 1.0)],
    "capex_announcements_2023_2024.json": [
        ("Meta", "2023-07-26", 28.5 * B, "USD", "total_capex", 1.0),
        ("Meta", "2024-04-24", 37.5 * B, "USD", "total_capex", 1.0),
        ("Meta", "2024-07-31", 38.5 * B, "USD", "total_capex", 1.0),
        ("Meta", "2024-10-30", 39 * B, "USD", "total_capex", 1.0),
        ("Amazon", "2024-03-28", 150 * B, "USD", "ai_datacenter", 15.0),
        ("Microsoft", "2024-03-29", 100 * B, "USD", "ai_datacenter", 4.76),
    ],
}


def test_every_capex_sample_is_covered():
    assert {p.name for p in SAMPLES.iterdir()} == set(EXPECTED_SAMPLES) | {"hyperscaler_capex_quarterly_2022_2024.csv"}


@pytest.mark.parametrize("name", sorted(EXPECTED_SAMPLES))
def test_each_sample_announcement_extracts_exactly(name):
    parsed = parse_capex_file(SAMPLES / name, TODAY)
    assert parsed.error is None and parsed.rejected == []
    rows = parsed.rows
    got = [(r.company, r.announced_on, r.amount_native, r.currency, r.scope, r.horizon_years)
           for r in rows.itertuples()]
    assert len(got) == len(EXPECTED_SAMPLES[name])
    for row, expected in zip(got, EXPECTED_SAMPLES[name]):
        assert row[:2] == expected[:2] and row[3:5] == expected[3:5]
        assert row[2] == pytest.approx(expected[2]) and row[5] == pytest.approx(expected[5])
    assert set(rows["target_table"]) == {"capex_announcements"}
    text_rows = rows[rows["char_start"].notna()]
    assert len(text_rows) == len(rows), "every sample amount points at its text"
    assert (text_rows["snippet"].str.len() > 0).all()


def test_sample_spans_point_at_the_amount_in_the_text():
    for name in ["2024-03-29_stargate_de.md", "2024-03-28_amazon_data_centers_en.txt",
                 "2024-04-24_meta_capex_guidance_en.pdf"]:
        text = read_document(SAMPLES / name).text
        for row in parse_capex_file(SAMPLES / name, TODAY).rows.itertuples():
            assert text[int(row.char_start):int(row.char_end)] == row.amount_text


def test_sample_provenance_sets_is_synthetic():
    flags = {name: set(parse_capex_file(SAMPLES / name, TODAY).rows["is_synthetic"]) for name in EXPECTED_SAMPLES}
    assert flags["2024-02-12_beispiel_rechenzentrum_de.txt"] == {True}
    assert flags["2024-04-25_alphabet_results_several_amounts_en.md"] == {True}
    assert flags["2024-03-28_amazon_data_centers_en.txt"] == {False}


def test_the_several_amounts_document_keeps_only_the_capex_plan():
    doc = read_document(SAMPLES / "2024-04-25_alphabet_results_several_amounts_en.md")
    capex, other = extract(doc.text, TODAY, doc.context)
    assert [m.amount.text for m in capex] == ["$50 billion"]
    assert {m.verdict.reason for m in other} == {"revenue", "share_buyback", "dividend", "profit", "market_value"}


def test_quarterly_sample_is_real_and_cites_filings():
    rows = parse_capex_file(SAMPLES / "hyperscaler_capex_quarterly_2022_2024.csv", TODAY).rows
    assert set(rows["ticker"]) == {"MSFT", "GOOGL", "AMZN", "META"}
    totals = rows.assign(year=rows["period_end"].str[:4]).groupby(["ticker", "year"])["capex_usd"].sum() / M
    # calendar-year totals from the 10-K cash-flow statements (../shared/data/hyperscaler_capex/SOURCES.md)
    assert totals[("AMZN", "2022")] == 63645 and totals[("GOOGL", "2024")] == 52535
    assert totals[("MSFT", "2023")] == 35202 and totals[("META", "2024")] == 39221
    assert rows["source"].str.contains(r"10-Q|10-K|8-K").all()
    msft = rows.set_index(["ticker", "period_end"])["fiscal_label"]
    assert msft[("MSFT", "2024-03-31")] == "FY2024 Q3" and msft[("MSFT", "2024-09-30")] == "FY2025 Q1"


def test_pdf_sample_is_generated_deterministically(tmp_path):
    from scripts.make_capex_samples import make_pdf

    made = make_pdf(tmp_path / "meta.pdf")
    assert made.read_bytes() == (SAMPLES / "2024-04-24_meta_capex_guidance_en.pdf").read_bytes()


# --- bad input -------------------------------------------------------------------------------------

def test_a_document_without_amounts_is_recorded_with_a_reason(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Microsoft opened a new office in Berlin on 3 May 2024. No figures were given.")
    parsed = parse_capex_file(path, TODAY)
    assert parsed.error.startswith("no amount of money found")
    assert parsed.rejected[0].check_name == "capex_announcements.no_amount"


def test_a_document_with_only_other_amounts_names_them(tmp_path):
    path = tmp_path / "buyback.md"
    path.write_text("May 2, 2024 - Apple will buy back $110 billion of stock; revenue was $90.8 billion.")
    parsed = parse_capex_file(path, TODAY)
    assert parsed.rejected[0].check_name == "capex_announcements.no_capex_amount"
    assert "share_buyback" in parsed.error and "revenue" in parsed.error


def test_an_amount_without_company_or_date_goes_to_quarantine_with_its_snippet(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text("The operator plans to invest $2 billion in a new data center.\n\n"
                    "Separately, Amazon will spend $11 billion on data centers in Indiana.\n")
    parsed = parse_capex_file(path, TODAY)
    assert parsed.error is None and parsed.rows.empty
    checks = sorted(r.check_name for r in parsed.rejected)
    assert checks == ["capex_announcements.no_company", "capex_announcements.no_date"]
    no_company = next(r for r in parsed.rejected if r.check_name.endswith("no_company"))
    assert no_company.raw_record["snippet"] == "The operator plans to invest $2 billion in a new data center."
    assert no_company.locator == "chars 29-39"


def test_bad_json_and_bad_records(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"announcements": [ {"company": "Meta", ')
    assert parse_capex_file(broken, TODAY).rejected[0].check_name == "capex_announcements.unreadable_file"
    records = tmp_path / "records.json"
    records.write_text(json.dumps([
        {"company": "Meta", "date": "2024-04-24", "amount": "35-40", "unit": "bn", "currency": "USD",
         "scope": "total_capex"},
        {"company": "Initech", "date": "2024-04-24", "amount": 5, "unit": "bn", "currency": "USD"},
        {"company": "Meta", "date": "someday", "amount": 5, "unit": "bn", "currency": "USD"},
        {"company": "Meta", "date": "2099-01-01", "amount": 5, "unit": "bn", "currency": "USD"},
        {"company": "Meta", "date": "2024-04-24", "amount": "lots", "currency": "USD"},
        {"company": "Meta", "date": "2024-04-24", "amount": 5, "unit": "bn", "currency": "USD", "scope": "toys"},
        "not an object",
        {"company": "Meta", "date": "2024-04-24", "amount": 40, "currency": "USD"},
        {"company": "Meta", "date": "2024-04-24", "amount": 40, "unit": "bn", "currency": "Taler"},
        {"company": "Alphabet", "date": "24.04.2024", "amount": "1,5", "unit": "Mrd", "currency": "Euro",
         "lang": "de"},
    ]))
    parsed = parse_capex_file(records, TODAY)
    assert list(zip(parsed.rows["amount_native"], parsed.rows["currency"], parsed.rows["announced_on"])) == [
        (37.5 * B, "USD", "2024-04-24"), (1.5 * B, "EUR", "2024-04-24")]
    assert [(r.locator, r.check_name) for r in parsed.rejected] == [
        ("record 2", "capex_announcements.no_company"), ("record 3", "capex_announcements.no_date"),
        ("record 4", "capex_announcements.future_date"), ("record 5", "capex_announcements.bad_amount"),
        ("record 6", "capex_announcements.unknown_scope"), ("record 7", "capex_announcements.not_a_record"),
        ("record 8", "capex_announcements.bad_amount"), ("record 9", "capex_announcements.bad_amount")]


def test_json_record_spans_point_into_the_file(tmp_path):
    path = SAMPLES / "capex_announcements_2023_2024.json"
    text = path.read_text()
    row = parse_capex_file(path, TODAY).rows.iloc[0]
    assert json.loads(text[int(row.char_start):int(row.char_end)])["announced_on"] == "2023-07-26"


def test_bad_quarterly_rows_are_rejected_and_the_rest_loads(tmp_path):
    path = tmp_path / "capex_q.csv"
    path.write_text("company,ticker,period_end,capex_usd_m,source\n"
                    "Microsoft,MSFT,2024-03-31,\"(10,952)\",10-Q\n"
                    "Alphabet,GOOGL,2024-03-31,n/a,10-Q\n"
                    "Alphabet,GOOGL,31.04.2024,1,10-Q\n"
                    "Meta,META,2099-03-31,1,10-Q\n"
                    "Initech,,2024-03-31,1,none\n"
                    "Amazon,AMZN,2024-03-31,14925,10-Q\n"
                    "Amazon,AMZN,2024-03-31,14000,10-Q amended\n")
    parsed = parse_capex_file(path, TODAY)
    assert list(zip(parsed.rows["ticker"], parsed.rows["capex_usd"])) == [("MSFT", 10952 * M)]
    assert [(r.locator, r.check_name.split(".")[1]) for r in parsed.rejected] == [
        ("line 3", "unparseable_number"), ("line 4", "unparseable_date"), ("line 5", "future_date"),
        ("line 6", "unknown_company"), ("line 7", "conflicting_duplicate"), ("line 8", "conflicting_duplicate")]


def test_quarterly_table_in_another_shape_and_locale(tmp_path):
    path = tmp_path / "capex_de.csv"
    path.write_text("Company;Quarter ended;Purchases of property and equipment (USD millions);Source\n"
                    "Microsoft Corp;2024-Q1;\"10.952\";10-Q\nAlphabet Inc.;31.03.2024;(12.012);10-Q\n"
                    "AWS;Q2 2024;17.620,5;10-Q\n")
    rows = parse_capex_file(path, TODAY).rows
    assert list(zip(rows["ticker"], rows["period_end"], rows["fiscal_label"], rows["capex_usd"])) == [
        ("MSFT", "2024-03-31", "FY2024 Q3", 10952 * M), ("GOOGL", "2024-03-31", "FY2024 Q1", 12012 * M),
        ("AMZN", "2024-06-30", "FY2024 Q2", 17620.5 * M)]


@pytest.mark.parametrize("name,content,check", [
    ("empty.html", b"<html><body></body></html>", "capex_announcements.no_text"),
    ("scan.pdf", b"%PDF-1.4\n%broken beyond repair", "capex_announcements.unreadable_file"),
    ("binary.txt", b"\x00\x01\x02\x03" * 50, "capex_announcements.unreadable_file"),
    ("unknown.csv", b"foo,bar\n1,2\n", "capex_quarterly.unreadable_file"),
])
def test_unreadable_files_fail_alone(tmp_path, name, content, check):
    path = tmp_path / name
    path.write_bytes(content)
    parsed = parse_capex_file(path, TODAY)
    assert parsed.error and parsed.rejected[0].check_name == check


# --- HTML is parsed, never executed or fetched ---------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the capex parser tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_html_scripts_hidden_text_and_remote_references_are_ignored(no_network):
    path = SAMPLES / "2024-03-29_microsoft_openai_stargate_en.html"
    parsed = parse_capex_file(path, TODAY)
    assert list(parsed.rows["amount_native"]) == [100 * B]
    text = read_html(path.read_text()).text
    for planted in ("$999 billion", "$500bn", "$700 billion", "$600 billion", "$800 billion", "$300bn",
                    "$1 trillion", "https://", "document.write"):
        assert planted not in text


def test_hostile_html_does_not_run_or_hang(no_network, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text('<html><head><meta http-equiv="refresh" content="0;url=https://evil.example.com">'
                    '<base href="https://evil.example.com/"><script>while(true){}</script></head><body>'
                    + "<div>" * 50000 + "Meta will invest $5 billion in data centers, it said on 2 May 2024."
                    + "</div>" * 50000 + '<object data="https://evil.example.com/x.swf"></object>'
                    '<svg><script>alert("$9bn")</script></svg></body></html>')
    parsed = parse_capex_file(path, TODAY)
    assert [(r.company, r.announced_on, r.amount_native) for r in parsed.rows.itertuples()] == [
        ("Meta", "2024-05-02", 5 * B)]


# --- sensor: a new file in raw/capex starts a run keyed by content ---------------------------------

def test_new_capex_file_triggers_a_run_keyed_by_content(tmp_path):
    import dagster as dg

    from pipelines.defs.sensors import raw_folder_sensor
    from pipelines.resources import RawFolderResource

    (tmp_path / "capex").mkdir()
    (tmp_path / "prices").mkdir()
    (tmp_path / "prices" / "btc.csv").write_text("date,close\n2024-01-01,42000\n")
    raw = RawFolderResource(path=str(tmp_path))
    first = raw_folder_sensor(ctx := dg.build_sensor_context(resources={"raw": raw}))
    assert isinstance(first, dg.RunRequest)             # the first files: everything is read once
    (tmp_path / "capex" / "amazon.txt").write_text("March 28, 2024 - Amazon plans to spend $150 billion on data "
                                                   "centers over 15 years.")
    request = raw_folder_sensor(ctx := dg.build_sensor_context(cursor=ctx.cursor, resources={"raw": raw}))
    assert isinstance(request, dg.RunRequest) and request.run_key.startswith("raw-")
    assert request.tags["leakpipe/kinds"] == "capex"      # the new capex file re-reads the capex tables only
    assert {k.to_user_string() for k in request.asset_selection} == {
        "core/documents", "core/document_metadata", "core/capex_announcements", "core/capex_quarterly",
        "core/document_text", "search/document_index"}     # its metadata is read and its text indexed too
    again = raw_folder_sensor(dg.build_sensor_context(cursor=ctx.cursor, resources={"raw": raw}))
    assert isinstance(again, dg.SkipReason)  # same content: no second run
    # the key depends on content, not on when or how often the sensor looked
    fresh = raw_folder_sensor(dg.build_sensor_context(resources={"raw": raw}))
    assert fresh.run_key == request.run_key
    (tmp_path / "capex" / "amazon.txt").write_text("March 28, 2024 - Amazon plans to spend $148 billion.")
    changed = raw_folder_sensor(dg.build_sensor_context(cursor=ctx.cursor, resources={"raw": raw}))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != request.run_key


# --- end to end: the bundled folder plus bad capex files -------------------------------------------------

@pytest.mark.e2e
def test_capex_tables_load_end_to_end_with_bad_files(bundled_raw, pipeline, monkeypatch):
    import pipelines.defs.capex.assets as capex_assets

    real_parse = capex_assets.parse_capex_file

    def crashing(path, today):
        if path.name == "crash.txt":
            raise RuntimeError("a parser bug")
        return real_parse(path, today)

    monkeypatch.setattr(capex_assets, "parse_capex_file", crashing)
    capex = bundled_raw / "capex"
    (capex / "crash.txt").write_text("March 3, 2024 - Meta will invest $1 billion in a data center.")
    (capex / "no_amount.txt").write_text("Amazon opened an office on 3 May 2024.")
    (capex / "broken.json").write_text("[{")
    (capex / "orphan.txt").write_text("A company plans to invest $2 billion in a data center, it said on "
                                      "3 May 2024.\n\nMeta will spend $3 billion on servers, it said on 4 May 2024.")
    (capex / "kronor.txt").write_text("June 3, 2024 - Microsoft will invest SEK 33.7 billion in Swedish data centers.")
    run = pipeline(bundled_raw)
    run.run(span=(dt.date(2024, 1, 1), dt.date(2024, 1, 2)))
    status = dict(run.query("SELECT path, status FROM core.documents WHERE kind = 'capex'"))
    assert len(status) == len(list(capex.iterdir()))
    assert {p for p, s in status.items() if s != "loaded"} == {"capex/no_amount.txt", "capex/broken.json",
                                                               "capex/crash.txt"}
    crash = run.query("SELECT q.source_table, q.check_name FROM core.quarantine q JOIN core.documents d "
                      "USING (document_id) WHERE d.path = 'capex/crash.txt'")
    assert crash == [("capex_announcements", "capex.parser_error")]
    rows = run.query("SELECT company, announced_on::VARCHAR, round(amount_usd), currency, scope, duplicate_of IS NULL "
                     "FROM core.capex_announcements WHERE document_id IN (SELECT document_id FROM core.documents "
                     "WHERE path IN ('capex/2024-03-28_amazon_data_centers_en.txt', "
                     "'capex/2024-02-12_beispiel_rechenzentrum_de.txt', 'capex/orphan.txt'))")
    rate = run.query("SELECT usd_per_unit FROM core.fx_daily WHERE currency = 'EUR' AND date = '2024-02-12'")[0][0]
    assert sorted(rows) == sorted([("Amazon", "2024-03-28", 150e9, "USD", "ai_datacenter", True),
                                   ("Alphabet", "2024-02-12", round(1.5e9 * rate), "EUR", "ai_datacenter", True),
                                   ("Meta", "2024-05-04", 3e9, "USD", "ai_datacenter", True)])
    # every bundled sample announcement, exactly, in USD
    loaded = run.query("SELECT d.path, a.company, a.announced_on::VARCHAR, a.amount_usd, a.scope "
                       "FROM core.capex_announcements a JOIN core.documents d USING (document_id) "
                       "WHERE d.path NOT IN ('capex/orphan.txt', 'capex/kronor.txt') ORDER BY d.path, a.locator")
    expected = [(f"capex/{name}", company, day, amount * (rate if currency == "EUR" else 1.0), scope)
                for name, rows in EXPECTED_SAMPLES.items() for company, day, amount, currency, scope, _ in rows]
    assert sorted((p, c, d, s) for p, c, d, _, s in loaded) == sorted((p, c, d, s) for p, c, d, _, s in expected)
    assert sorted(u for *_, u, _ in loaded) == pytest.approx(sorted(u for *_, u, _ in expected))
    sek = run.query("SELECT amount_usd, fx_note FROM core.capex_announcements WHERE currency = 'SEK'")
    assert sek == [(None, "no USD rate for SEK on or before 2024-06-03 in core.fx_daily")]
    gbp_rate = run.query("SELECT count(*) FROM core.fx_daily WHERE currency = 'GBP'")[0][0]
    assert gbp_rate > 0  # other currencies convert as EUR does
    quarantine = run.query("SELECT check_name, raw_record->>'snippet' FROM core.quarantine "
                           "WHERE source_table = 'capex_announcements' AND locator <> 'file'")
    assert quarantine == [("capex_announcements.no_company",
                           "A company plans to invest $2 billion in a data center, it said on 3 May 2024.")]
    # the same plan read from several documents: one first row, the others point at it
    stargate = run.query("SELECT count(*), count(duplicate_of) FROM core.capex_announcements "
                         "WHERE company = 'Microsoft' AND amount_native = 100e9")
    assert stargate == [(3, 2)]
    # 12 quarters x 4 companies, 2022-2024
    assert run.query("SELECT count(*) FROM core.capex_quarterly")[0][0] == 48
    assert run.query("SELECT count(DISTINCT period_end) FROM core.capex_quarterly WHERE ticker = 'META'")[0][0] == 12


@pytest.mark.realdata
def test_real_hyperscaler_tables_parse():
    folder = SHARED_DATA / "hyperscaler_capex"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    quarterly = parse_capex_file(folder / "hyperscaler_capex_quarterly_2022_2024.csv", TODAY)
    assert len(quarterly.rows) == 44 and quarterly.rejected == []
    totals = quarterly.rows.assign(year=quarterly.rows["period_end"].str[:4]).groupby(["ticker", "year"])["capex_usd"]
    assert totals.sum()[("MSFT", "2024")] / M == 55552
    history = parse_capex_file(folder / "capex_history_quarterly_danyu1_rows_2021Q3_2024Q4.csv", TODAY)
    assert {r.check_name for r in history.rejected} == {"capex_quarterly.annual_total"}
    assert set(history.rows["ticker"]) == {"MSFT", "GOOGL", "AMZN"}
    announcements = parse_capex_file(folder / "ai_datacenter_announcements_2023_2024.csv", TODAY).rows
    got = {(r.company, r.announced_on): (r.amount_native, r.scope) for r in announcements.itertuples()}
    assert got[("Amazon", "2024-03-28")] == (150e9, "ai_datacenter")
    assert got[("Microsoft", "2024-03-29")] == (100e9, "ai_datacenter")
    assert got[("Meta", "2024-04-24")] == (37.5e9, "total_capex")


@pytest.mark.realdata
def test_real_capex_2021_2024_loads_every_company_and_quarter():
    """hyperscaler_capex_quarterly_2021_2024.csv: 4 companies x 16 calendar quarters, Meta 2022 included, in USD
    (the file's USD millions x 1e6), calendar-year totals as its SOURCES.md lists them."""
    path = SHARED_DATA / "hyperscaler_capex" / "hyperscaler_capex_quarterly_2021_2024.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent (set LEAKPIPE_SHARED_DATA to the shared data folder)")
    parsed = parse_capex_file(path, TODAY)
    assert parsed.error is None and parsed.rejected == []
    rows = parsed.rows
    assert len(rows) == 64
    assert rows.groupby("ticker").size().to_dict() == {"AMZN": 16, "GOOGL": 16, "META": 16, "MSFT": 16}
    assert sorted(set(rows["period_end"]))[0] == "2021-03-31" and sorted(set(rows["period_end"]))[-1] == "2024-12-31"
    meta_2022 = rows[(rows["ticker"] == "META") & rows["period_end"].str.startswith("2022")]
    assert len(meta_2022) == 4
    totals = rows.assign(year=rows["period_end"].str[:4]).groupby(["ticker", "year"])["capex_usd"].sum() / M
    expected = {("AMZN", "2021"): 61053, ("AMZN", "2024"): 82999, ("GOOGL", "2021"): 24640, ("GOOGL", "2024"): 52535,
                ("MSFT", "2022"): 24768, ("MSFT", "2024"): 55552, ("META", "2021"): 18567, ("META", "2022"): 31431,
                ("META", "2023"): 27266, ("META", "2024"): 37256}
    assert {k: round(totals[k]) for k in expected} == expected
    # calendar quarters, labelled in each company's fiscal year (Microsoft's ends in June)
    msft = rows[rows["ticker"] == "MSFT"].set_index("period_end")["fiscal_label"]
    assert msft["2021-09-30"] == "FY2022 Q1" and msft["2024-06-30"] == "FY2024 Q4"
    assert not rows["is_synthetic"].any()
