"""`leakpipe search` on the bundled build (issue 19, point 2): a word found only inside a zipped or attached
document comes back with its member path and page; the SQL view answers the same."""
import pytest
from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.lib.search.publish import index_paths
from pipelines.lib.warehouse import analyst

MAIL_XLSX = "cost_sheets/weitergeleitet_kosten_q3_2024.eml!/kosten_rechenzentren_q3_2024.xlsx"
ZIP_CSV = "cost_sheets/leak_bundle_q3_2024.zip!/kostenblatt_q3_2024.csv"
ZIP_7Z_XLSX = "cost_sheets/leak_bundle_q3_2024.zip!/anhang/standorte_q3_2024.7z!/standorte_q3_2024.xlsx"


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "search")


def search(sample, *args):
    result = CliRunner().invoke(cli, ["--warehouse", str(sample.warehouse), "search", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("words, path, where", [
    ("FRA-11", MAIL_XLSX, "page 1 (sheet 'Q3 2024')"),       # an e-mail's attachment
    ("AMS-03", ZIP_7Z_XLSX, "page 1 (sheet 'Q3 2024')"),     # a workbook in a 7z in a zip
    ("hamburg", ZIP_CSV, "csv"),                             # a CSV in a zip: no pages
])
def test_a_word_only_inside_a_zipped_or_attached_document_is_found_with_its_member_path_and_page(
        sample, words, path, where):
    holders = sample.query("SELECT DISTINCT path FROM core.document_text WHERE text ILIKE ?",
                           [f"%{words}%"])
    assert holders == [(path,)], "the word is in that member only"
    lines = search(sample, words)
    assert len(lines) == 2, lines                                  # one hit: its heading and its snippet
    assert lines[0].startswith(f" 1. {path}  {where}  score ") and lines[0].endswith("[office]")
    assert "**" in lines[1] and words.split("-")[0].lower() in lines[1].lower()


def test_stemmed_folded_and_phrase_queries_on_the_bundled_documents(sample):
    mail_body = search(sample, "Kostenaufstellungen")             # German stem: Kostenaufstellung
    assert mail_body[0].startswith(" 1. cost_sheets/weitergeleitet_kosten_q3_2024.eml  body  score ")
    assert "[email_body]" in mail_body[0] and "**Kostenaufstellung**" in mail_body[1]
    assert any(line.startswith(f" 1. {MAIL_XLSX}") for line in search(sample, '"frankfurt fra 11"'))
    assert search(sample, '"fra 11 2024 07 h100"')[0].startswith(f" 1. {MAIL_XLSX}")
    assert search(sample, '"fra 11 h100"') == []                  # a phrase: next to each other
    assert len(search(sample, "--limit", "1", "Frankfurt")) == 2
    assert search(sample, "Microsoft", "Azure", "(DE)")[0].startswith(f" 1. {ZIP_CSV}")   # words as arguments
    without = search(sample, "--", "-hamburg", "Microsoft", "Azure", "(DE)")              # -word excludes
    assert without and not any(ZIP_CSV in line for line in without)
    stargate = search(sample, "Stargate")                         # capex press releases are documents too
    assert any(line.startswith(" 1. capex/2024-03-29_stargate_de.md  markdown  score ") for line in stargate[:1])
    result = CliRunner().invoke(cli, ["--warehouse", str(sample.warehouse), "search", "zzzzunknownword"])
    assert result.exit_code == 0 and result.stdout == "" and "no document holds" in result.stderr


def test_the_index_is_published_beside_the_warehouse_and_the_sql_view_finds_the_same(sample):
    work, link = index_paths(sample.warehouse)
    assert link.is_symlink() and link.resolve().parent == sample.warehouse.parent and work.is_dir()
    con = analyst.connect(sample.warehouse)
    try:
        rows = con.execute("SELECT path, page, locator, matches, snippet FROM views.search_text('Hamburg')").fetchall()
        unread = con.execute("SELECT count(*) FROM core.document_text WHERE text IS NULL AND reason IS NULL").fetchone()
    finally:
        con.close()
    assert [r[:4] for r in rows] == [(ZIP_CSV, None, "csv", 2)] and "**Hamburg**" in rows[0][4]
    assert unread == (0,)                                          # no text without a reason
