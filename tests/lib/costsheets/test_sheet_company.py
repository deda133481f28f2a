"""Whose cost sheet is it when it never names its company (issue 19, point 4): company_how."""
from __future__ import annotations

from tests.lib.costsheets.sheet_builders import extract, write_csv, write_xlsx

TABLE = [["Standort", "GPU", "Anzahl", "Leistung (kW)"], ["Frankfurt", "A100", 8, 5]]


def _company(frame):
    row = frame.iloc[0]
    return row["company"], row["company_canonical"], row["company_how"]


def test_a_company_column_is_named(tmp_path):
    rows = [["Unternehmen", "Standort", "GPU", "Anzahl"], ["Meta", "Odense", "A100", 8]]
    assert _company(extract(write_csv(tmp_path / "x.csv", rows, "de"))[0]) == ("Meta", "Meta", "named")


def test_a_label_line_is_named(tmp_path):
    rows = [["Unternehmen: Oracle"], []] + TABLE
    assert _company(extract(write_xlsx(tmp_path / "x.xlsx", rows))[0])[1:] == ("Oracle", "named")


def test_the_letterhead_names_the_company(tmp_path):
    rows = [["Microsoft Deutschland GmbH - Controlling"], []] + TABLE
    assert _company(extract(write_xlsx(tmp_path / "x.xlsx", rows))[0])[1:] == ("Microsoft", "letterhead")


def test_the_dateline_city_of_a_headquarters_names_the_company(tmp_path):
    rows = [["Redmond, 2. April 2024 - Kostenaufstellung Q1"], []] + TABLE
    assert _company(extract(write_xlsx(tmp_path / "x.xlsx", rows))[0]) == ("Microsoft", "Microsoft", "dateline")


def test_a_city_two_companies_share_names_neither(tmp_path):
    rows = [["Austin, 2. April 2024 - Kostenaufstellung"], []] + TABLE
    assert _company(extract(write_xlsx(tmp_path / "kosten.xlsx", rows))[0]) == (None, None, None)


def test_the_senders_domain_names_the_company(tmp_path):
    path = write_xlsx(tmp_path / "kosten.xlsx", TABLE)
    frame = extract(path, sender="Jane Roe <jane.roe@eu.amazon.com>")[0]
    assert _company(frame)[1:] == ("Amazon", "sender_domain")


def test_the_file_name_names_the_company(tmp_path):
    frame = extract(write_xlsx(tmp_path / "msft_kosten_q1_2024.xlsx", TABLE))[0]
    assert _company(frame)[1:] == ("Microsoft", "file_name")


def test_nothing_names_no_company(tmp_path):
    frame = extract(write_xlsx(tmp_path / "kosten.xlsx", TABLE))[0]
    assert _company(frame) == (None, None, None)


def test_the_same_bytes_under_another_name_are_not_served_the_first_names_company(tmp_path):
    """The extraction cache is keyed by content and by the leaked name, since the name can decide the company:
    identical bytes leaked as 'msft_...' and as 'meta_...' read as two companies, each from its own name."""
    from pipelines.lib.costsheets.extract import Limits, extract_all, read_rows
    from pipelines.lib.intake.inventory import sha256_of

    (tmp_path / "in").mkdir()
    first = write_xlsx(tmp_path / "in" / "msft_kosten_q1_2024.xlsx", TABLE)
    second = tmp_path / "in" / "meta_kosten_q1_2024.xlsx"
    second.write_bytes(first.read_bytes())
    cache = tmp_path / "cache"
    companies = []
    for path in (first, second):     # one at a time: the second finds the first's entry if the name is not in the key
        docs = [(path, sha256_of(path), path.name)]
        rows = read_rows(cache, extract_all(docs, cache, Limits(), None, workers=1), Limits(), None)
        companies.append(tuple(rows[["company_canonical", "company_how"]].iloc[0]))
    assert companies == [("Microsoft", "file_name"), ("Meta", "file_name")]


def test_the_sender_reaches_the_extraction_and_its_cache_entry(tmp_path):
    """A document tuple may carry the From address of the e-mail that carried it: the same bytes under the
    same name read as the sender's company with it and as no company without it (two cache entries)."""
    from pipelines.lib.costsheets.extract import Limits, cache_misses, extract_all, read_rows
    from pipelines.lib.intake.inventory import sha256_of

    path = write_xlsx(tmp_path / "kosten.xlsx", TABLE)
    cache, digest = tmp_path / "cache", sha256_of(path)
    found = []
    for doc in [(path, digest, "mail.eml!/kosten.xlsx", "someone@microsoft.com"),
                (path, digest, "mail.eml!/kosten.xlsx"),
                (path, digest, "mail.eml!/kosten.xlsx", "someone@microsoft.com")]:
        [result] = extract_all([doc], cache, Limits(), None, workers=1)
        rows = read_rows(cache, [result], Limits(), None)
        found.append((result.cached, result.sender, *rows[["company_canonical", "company_how"]].iloc[0]))
    assert found == [(False, "someone@microsoft.com", "Microsoft", "sender_domain"),
                     (False, None, None, None),
                     (True, "someone@microsoft.com", "Microsoft", "sender_domain")]
    assert cache_misses([(path, digest, "mail.eml!/kosten.xlsx", "cfo@amazon.com")], cache, Limits(), None)
