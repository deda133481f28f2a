"""A press text that never names its company, and one amount over several companies (issue 19, point 4)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipelines.lib.capex.company_clues import from_dateline, from_file_name, from_letterhead, from_sender
from pipelines.lib.capex.mentions import extract
from pipelines.lib.capex.parser import parse_capex_file

TODAY = dt.date(2025, 6, 1)
BODY = "The company will invest $10 billion in new data centers, it said on March 3, 2025.\n"


@pytest.mark.parametrize(("name", "text", "kw", "company", "how"), [
    ("release.txt", "Meta Platforms - Newsroom\n\n" + BODY, {}, "Meta", "letterhead"),
    ("release.txt", "REDMOND, Wash., March 3, 2025 - " + BODY, {}, "Microsoft", "dateline"),
    ("release.txt", "Menlo Park (dpa) - " + BODY, {}, "Meta", "dateline"),
    ("release.txt", "MOUNTAIN VIEW, Calif. - " + BODY, {}, "Alphabet", "dateline"),
    ("release.txt", "Seattle, March 3, 2025 - " + BODY, {}, "Amazon", "dateline"),
    ("release.txt", BODY, {"sender": "ir@nvidia.com"}, "Nvidia", "sender_domain"),
    ("oracle_capex_2025.txt", BODY, {}, "Oracle", "file_name"),
])
def test_a_text_that_never_names_its_company_gets_it_from_a_clue(tmp_path, name, text, kw, company, how):
    path = tmp_path / name
    path.write_text(text)
    parsed = parse_capex_file(path, TODAY, **kw)
    assert not parsed.rejected, parsed.rejected
    assert list(zip(parsed.rows["company"], parsed.rows["company_how"])) == [(company, how)]


def test_without_a_clue_the_amount_has_no_company(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text("AUSTIN, Texas - " + BODY)      # Oracle and Tesla share the city: neither
    parsed = parse_capex_file(path, TODAY)
    assert parsed.rows.empty and [r.check_name for r in parsed.rejected] == ["capex_announcements.no_company"]


def test_clue_functions():
    assert from_sender("Jane <jane@mail.google.com>").name == "Alphabet"
    assert from_sender("someone@example.com") is None
    assert from_file_name("cost_sheets/leak.zip!/Meta-Q1.xlsx").name == "Meta"
    assert from_file_name("metadata.csv") is None
    assert from_letterhead("The operator will spend $2bn.\nMicrosoft said so.") is None
    assert from_dateline("Santa Clara, Calif., 3 March 2025 -").name == "Nvidia"


@pytest.mark.parametrize("sentence", [
    "Microsoft, Alphabet, Amazon and Meta are expected to spend a combined $320 billion on data centers in 2025.",
    "Microsoft, Alphabet und Meta wollen 2025 zusammen 250 Milliarden Dollar in Rechenzentren investieren.",
    "Industry capex led by Microsoft and Amazon will reach $300 billion in 2025.",
    "Microsoft, Alphabet and Meta plan to spend $200 billion on AI data centers this year.",
])
def test_one_amount_over_several_companies_is_booked_to_none(sentence):
    capex, _ = extract(sentence, TODAY)
    assert len(capex) == 1 and capex[0].company is None and "several_companies" in capex[0].problems


@pytest.mark.parametrize(("sentence", "company"), [
    ("Microsoft and OpenAI plan a data-center project costing up to $100 billion.", "Microsoft"),
    ("Microsoft will spend $80 billion on AI data centers, more than Alphabet.", "Microsoft"),
])
def test_an_amount_with_one_subject_keeps_it(sentence, company):
    capex, _ = extract(sentence, TODAY)
    assert capex[0].company.name == company and "several_companies" not in capex[0].problems
