"""Capex phrasings beyond plain amounts: negations and conditions, yearly rates, spelled-out numbers and
figures without a currency, English and German, as reporters and press offices write them."""
import datetime as dt
import json

import pytest

from pipelines.lib.capex.amounts import find_amounts, spelled_number
from pipelines.lib.capex.horizons import find_horizon
from pipelines.lib.capex.mentions import DocumentContext, extract
from pipelines.lib.capex.parser import parse_capex_file

TODAY = dt.date(2026, 11, 26)
CONTEXT = DocumentContext(date=dt.date(2025, 3, 7))
B = 1e9


def _read(text: str):
    capex, _ = extract(text, TODAY, CONTEXT)
    return [(m.amount.text, m.negation and (m.negation.kind, m.negation.cue)) for m in capex]


# --- negations and conditions: read as capex, never loaded as an announcement -------------------------

@pytest.mark.parametrize("text,amount,kind,cue", [
    ("Microsoft will not spend $10 billion on new data centers in Wisconsin this year, a spokesman said.",
     "$10 billion", "negated", "not"),
    ("Amazon has no plans to invest $20 billion in Pennsylvania data centres, the company said on Tuesday.",
     "$20 billion", "negated", "no"),
    ("Meta on Monday denied reports that it would spend $200 billion on a new AI data center campus.",
     "$200 billion", "negated", "denied"),
    ("Google dismissed media reports, first published by Bloomberg, that it plans to spend $25 billion on "
     "data centers.", "$25 billion", "negated", "dismissed media reports"),
    ("Microsoft won't build the $3.3 billion data center campus it had promised for Mount Pleasant.",
     "$3.3 billion", "negated", "won't"),
    ("Intel has shelved its $25 billion chip plant in Israel.", "$25 billion", "negated", "shelved"),
    ("The $10 billion data center project will not go ahead, Amazon said.", "$10 billion", "negated",
     "will not go ahead"),
    ("Microsoft would invest $10 billion in British data centres if the government relaxed planning rules.",
     "$10 billion", "conditional", "if"),
    ("Microsoft wird keine 5 Mrd. Euro in Deutschland investieren, sagte ein Sprecher.", "5 Mrd. Euro",
     "negated", "keine"),
    ("Microsoft dementierte am Freitag Berichte, wonach der Konzern 5 Mrd. Euro in ein Rechenzentrum in Hessen "
     "investieren werde.", "5 Mrd. Euro", "negated", "dementierte"),
    ("Amazon will die geplanten 10 Milliarden Euro nun doch nicht in Brandenburg investieren.",
     "10 Milliarden Euro", "negated", "nicht"),
    ("Google wies Berichte zurück, es wolle 10 Milliarden Euro in Rechenzentren stecken.", "10 Milliarden Euro",
     "negated", "wies Berichte zurück"),
    ("Intel legt seine Pläne, 30 Milliarden Euro in eine Chipfabrik in Magdeburg zu investieren, auf Eis.",
     "30 Milliarden Euro", "negated", "legt ... auf Eis"),
    ("Microsoft würde 10 Milliarden Euro in deutsche Rechenzentren investieren, falls die Strompreise sinken.",
     "10 Milliarden Euro", "conditional", "falls"),
])
def test_negated_or_conditional_amounts(text, amount, kind, cue):
    assert _read(text) == [(amount, (kind, cue))]


@pytest.mark.parametrize("text", [
    "Amazon will spend no less than $100 billion on data centers this year.",
    "Microsoft will invest not only $10 billion in data centres but also train a million people.",
    "Meta did not change its capital expenditure forecast of $60-65 billion for 2025.",
    "Microsoft plans to spend $80 billion on AI data centers this year, even if demand slows.",
    "Microsoft plans to spend $80 billion on AI data centers, if not more, this year.",
    "Microsoft, which did not give a breakdown, will spend $80 billion on AI data centers.",
    "Microsoft investiert 3,2 Milliarden Euro in Rechenzentren und baut keine eigenen Kraftwerke.",
    "Microsoft investiert nicht nur 3,2 Milliarden Euro in Rechenzentren, sondern schult auch Fachkräfte.",
    "Microsoft will nicht mehr als 5 Mrd. Euro in Rechenzentren investieren.",
    "Amazon will mindestens 10 Milliarden Euro, wenn nicht mehr, in Rechenzentren investieren.",
    "Microsoft investiert 3,2 Milliarden Euro in Rechenzentren, auch wenn die Nachfrage sinkt.",
])
def test_words_that_only_look_like_a_negation(text):
    assert [negation for _, negation in _read(text)] == [None]


def test_a_correction_keeps_the_new_figure_and_takes_back_the_old():
    text = "Microsoft will invest $80 billion in AI data centers this fiscal year, not $100 billion as reported."
    assert _read(text) == [("$80 billion", None), ("$100 billion", ("negated", "not"))]


def test_negated_amounts_are_quarantined_with_the_words_that_negate_them(tmp_path):
    path = tmp_path / "2025-03-07_denial.md"
    path.write_text("Redmond, March 7, 2025 - Microsoft denied reports that it would spend $10 billion on a data "
                    "center in Ohio. The company said it will invest $80 billion in AI data centers this fiscal "
                    "year.\n\nBerlin, 7. März 2025. Microsoft wird keine 5 Mrd. Euro in Hessen investieren.\n",
                    encoding="utf-8")
    parsed = parse_capex_file(path, TODAY)
    assert [(r.company, r.amount_native) for r in parsed.rows.itertuples()] == [("Microsoft", 80 * B)]
    assert [(r.check_name, r.reason.split(" - ")[0], r.raw_record["amount_text"]) for r in parsed.rejected] == [
        ("capex_announcements.negated", "negated: 'denied'", "$10 billion"),
        ("capex_announcements.negated", "negated: 'keine'", "5 Mrd. Euro")]
    assert all(r.raw_record["company"] == "Microsoft" for r in parsed.rejected)


# --- rates: the amount is per year, as printed; the horizon says so and how long it runs ------------------

@pytest.mark.parametrize("text,amount,rate_text,end", [
    ("Microsoft plans to spend $10 billion a year on AI data centers.", "$10 billion", "a year", None),
    ("Amazon will invest $10 billion per year in its cloud infrastructure.", "$10 billion", "per year", None),
    ("Meta expects to spend about $65 billion annually on AI infrastructure through 2028.", "$65 billion",
     "annually; through 2028", "2028-12-31"),
    ("Alphabet will spend $10 billion each year for five years on data centers in the US.", "$10 billion",
     "each year; for five years", None),
    ("The company's annual capital expenditures of $80 billion will go mostly to AI data centers.",
     "$80 billion", "annual", None),
    ("Amazon investiert jährlich rund 10 Milliarden Euro in Rechenzentren.", "10 Milliarden Euro", "jährlich",
     None),
    ("Microsoft will pro Jahr 5 Mrd. Euro in deutsche Rechenzentren stecken, und zwar bis 2028.", "5 Mrd. Euro",
     "pro Jahr; bis 2028", "2028-12-31"),
    ("Google steckt in den kommenden fünf Jahren jedes Jahr 2 Milliarden Euro in Rechenzentren.",
     "2 Milliarden Euro", "jedes Jahr; in den kommenden fünf Jahren", None),
])
def test_a_yearly_rate_is_kept_per_year(text, amount, rate_text, end):
    from pipelines.lib.capex.announcements import horizon_fields

    (mention,), _ = extract(text, TODAY, CONTEXT)
    assert mention.amount.text == amount and mention.horizon.per_year
    years, horizon_end, horizon_text = horizon_fields(mention.horizon, mention.announced_on)
    assert (years, horizon_end and horizon_end.isoformat(), horizon_text) == (1.0, end, rate_text)


@pytest.mark.parametrize("text", [
    "Capex rose to $14 billion, up from $9.9 billion a year earlier.",
    "Amazon will invest $150 billion in data centers over the next 15 years.",
    "Microsoft plans to invest $80 billion in AI data centers, its annual report said.",
    "Microsoft will invest $10 billion in data centers within a year.",
    "Amazon will 10 Milliarden Euro im Jahr 2025 in Rechenzentren investieren.",
])
def test_year_words_that_are_not_a_rate(text):
    amount = text.index("$") if "$" in text else text.index("10 Milliarden")
    horizon = find_horizon(text, amount, text.index(" ", amount + 4))
    assert horizon is None or not horizon.per_year


def test_a_rate_over_years_is_not_multiplied_out(tmp_path):
    path = tmp_path / "rates.json"
    path.write_text(json.dumps([
        {"company": "Microsoft", "announced_on": "2025-01-03", "amount": 10, "unit": "bn", "currency": "USD",
         "horizon": "per year through 2028", "scope": "ai_datacenter"},
        {"company": "Amazon", "date": "2025-03-07", "text": "Amazon will spend $10 billion each year for five "
         "years on data centers in North Carolina, it said on March 7, 2025."}]), encoding="utf-8")
    rows = parse_capex_file(path, TODAY).rows
    rows = rows.astype(object).where(rows.notna(), None)
    assert [(r.company, r.amount_native, r.horizon_years, r.horizon_end, r.horizon_text) for r in rows.itertuples()] == [
        ("Microsoft", 10 * B, 1.0, "2028-12-31", "per year through 2028"),
        ("Amazon", 10 * B, 1.0, None, "each year; for five years")]


# --- spelled-out numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,lang,amount,value,qualifier", [
    ("Microsoft will spend fifteen billion dollars on new data centers.", "en", "fifteen billion dollars",
     15 * B, "exact"),
    ("The company plans to invest twenty-five billion dollars in AI infrastructure.", "en",
     "twenty-five billion dollars", 25 * B, "exact"),
    ("Amazon will pour one hundred and fifty billion dollars into data centers.", "en",
     "one hundred and fifty billion dollars", 150 * B, "exact"),
    ("Fifteen billion dollars will go to new data centres, the company said.", "en", "Fifteen billion dollars",
     15 * B, "exact"),
    ("Microsoft could spend up to seventy billion dollars on the project.", "en", "seventy billion dollars",
     70 * B, "up_to"),
    ("Google will invest a hundred million dollars in a data centre in Finland.", "en",
     "a hundred million dollars", 100e6, "exact"),
    ("Microsoft investiert fünfzehn Milliarden Euro in Rechenzentren.", "de", "fünfzehn Milliarden Euro",
     15 * B, "exact"),
    ("Der Konzern will in den nächsten Jahren fünfundzwanzig Milliarden Euro ausgeben.", "de",
     "fünfundzwanzig Milliarden Euro", 25 * B, "exact"),
    ("SAP steckt rund zwölf Milliarden Euro in die Cloud.", "de", "zwölf Milliarden Euro", 12 * B, "about"),
    # the small numbers and articles read before text2num still read the same
    ("half a billion dollars", "en", "half a billion dollars", 0.5 * B, "exact"),
    ("eine halbe Milliarde Euro", "de", "eine halbe Milliarde Euro", 0.5 * B, "exact"),
    ("about ten billion dollars", "en", "ten billion dollars", 10 * B, "about"),
    ("drei Milliarden Euro", "de", "drei Milliarden Euro", 3 * B, "exact"),
])
def test_spelled_out_amounts(text, lang, amount, value, qualifier):
    (found,) = find_amounts(text, lang)
    assert (found.text, found.value, found.qualifier, found.currency) == (
        amount, pytest.approx(value), qualifier, "EUR" if "Euro" in text else "USD")


@pytest.mark.parametrize("words,expected", [
    ("to spend twenty-five", (9, 25.0)), ("fünfzehn", (0, 15.0)), ("plans", None), ("zero", None),
    ("spend half a", (6, 0.5)),
])
def test_spelled_number_takes_the_longest_tail(words, expected):
    assert spelled_number(words, "en") == expected


def test_spelled_out_capex_in_a_sentence():
    (mention,), _ = extract("Meta will spend sixty-five billion dollars on AI infrastructure this year, Mark "
                            "Zuckerberg said on January 24, 2025.", TODAY)
    assert (mention.company.name, mention.amount.value, mention.verdict.scope) == ("Meta", 65 * B, "ai_datacenter")


# --- figures without a currency: the document's one currency, flagged; else not read --------------------------

@pytest.mark.parametrize("text,context,amount,currency,how", [
    ("Meta's revenue rose to $40.6 billion in the quarter. The company now expects capital expenditures of "
     "35-40 billion this year.", CONTEXT, "35-40 billion", "USD", "document_amounts"),
    ("Microsoft investiert 3,2 Milliarden Euro in Rechenzentren in Hessen und NRW. Insgesamt sollen bis 2030 "
     "rund 10 Milliarden in die deutsche Cloud-Infrastruktur fließen.", CONTEXT, "10 Milliarden", "EUR",
     "document_amounts"),
    ("FORM 10-Q\nMicrosoft Corporation\nWe expect capital expenditures of 80 billion in fiscal year 2025, "
     "mostly for AI data centers.", CONTEXT, "80 billion", "USD", "sec_filing"),
    ("Meta expects capital expenditures of 35-40 billion this year.",
     DocumentContext(date=dt.date(2024, 4, 24), currency="USD"), "35-40 billion", "USD", "metadata"),
])
def test_a_figure_without_currency_takes_the_documents_currency(text, context, amount, currency, how):
    capex, _ = extract(text, TODAY, context)
    bare = [m for m in capex if m.amount.text == amount]
    assert [(m.amount.currency, m.currency_how) for m in bare] == [(currency, how)]
    assert all(m.currency_how == "text" for m in capex if m not in bare)


@pytest.mark.parametrize("text", [
    "Meta expects capital expenditures of 35-40 billion this year.",
    "Meta expects capital expenditures of 35-40 billion this year; revenue was €10 billion and $12 billion.",
    "Amazon will build a 2 million square foot campus and spend $10 billion on data centers.",
    "Amazon investiert 10 Milliarden in Rechenzentren.",
])
def test_a_figure_without_currency_stays_unread_when_nothing_says_which(text):
    capex, other = extract(text, TODAY, CONTEXT)
    assert all(m.amount.currency and m.currency_how == "text" for m in capex + other)


def test_the_currency_flag_reaches_the_row(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"company": "Meta", "date": "2024-04-24", "currency": "USD",
                                 "text": "Meta expects capital expenditures of 35-40 billion this year."}]),
                    encoding="utf-8")
    rows = parse_capex_file(path, TODAY).rows
    assert rows[["amount_native", "currency", "currency_how"]].values.tolist() == [[37.5 * B, "USD", "metadata"]]
