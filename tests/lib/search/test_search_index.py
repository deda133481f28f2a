"""Full-text search (issue 19, point 2): folding and stemming, phrases, snippets, the incremental index
and its publishing (pipelines/lib/search/)."""
import os

import pytest

from pipelines.lib.search import index as search_index
from pipelines.lib.search.analyzers import ENGLISH, FOLDED, GERMAN, highlight, parse_query, terms
from pipelines.lib.search.index import Part, indexed_documents, search, update_index
from pipelines.lib.search.publish import index_paths, publish_index

PAGES = {
    "memo.pdf": ("sha-memo", [Part(1, "page 1", "pdf_text", "Idle GPUs mined Monero overnight."),
                              Part(2, "page 2", "pdf_text", "Herr Müller signed the Kostenstelle 4711 report.")]),
    "bundle.zip!/kosten.csv": ("sha-csv", [Part(None, "csv", "office", "Standort\tGrafikkarten\nFrankfurt\t512")]),
    "mail.eml": ("sha-mail", [Part(None, "body", "email_body", "The idle capacity was mining all quarter, "
                                                                 "capacity idle at night.")]),
}


def _found(directory, query):
    return [(h.path, h.page) for h in search(directory, query)]


def test_terms_fold_accents_and_stem_english_and_german():
    assert terms("Müller Straße ÉCOLE", FOLDED) == ["muller", "strasse", "ecole"]
    assert terms("mining", ENGLISH) == terms("mined", ENGLISH) == ["mine"]
    assert terms("Grafikkarten", GERMAN) == terms("Grafikkarte", GERMAN) == ["grafikkart"]
    assert terms("Kosten", GERMAN) != terms("Kostenstelle", GERMAN)      # no decompounding
    assert terms("x" * 61, FOLDED) == []                                   # a blob is not a word


def test_tantivy_stemmers_agree_with_snowball():
    snowball = pytest.importorskip("snowballstemmer")
    for language, name, words in (("english", ENGLISH, ["mining", "mined", "claims", "capacity"]),
                                  ("german", GERMAN, ["grafikkarten", "rechenzentren", "kosten"])):
        stemmer = snowball.stemmer(language)
        assert [terms(w, name)[0] for w in words] == stemmer.stemWords(words)


def test_stemming_accents_and_phrases_find_the_right_pages(tmp_path):
    update_index(tmp_path, PAGES)
    assert sorted(_found(tmp_path, "mining")) == [("mail.eml", None), ("memo.pdf", 1)]
    assert _found(tmp_path, "Grafikkarte") == [("bundle.zip!/kosten.csv", None)]
    assert _found(tmp_path, "muller") == [("memo.pdf", 2)]
    assert _found(tmp_path, "MÜLLER kostenstelle") == [("memo.pdf", 2)]
    assert _found(tmp_path, "Kosten") == []                       # a word, not a part of a compound
    assert _found(tmp_path, '"idle capacity"') == [("mail.eml", None)]
    assert _found(tmp_path, '"capacity idle"') == [("mail.eml", None)]
    assert _found(tmp_path, '"idle mined"') == []                 # a phrase is words side by side
    assert _found(tmp_path, '"idle gpus"') == [("memo.pdf", 1)]
    assert _found(tmp_path, '"mining gpus"') == []                # a phrase is not stemmed
    assert _found(tmp_path, "idle -monero") == [("mail.eml", None)]
    with pytest.raises(ValueError):
        search(tmp_path, '  "" - ')


def test_a_hit_comes_with_its_page_score_and_highlighted_snippet(tmp_path):
    update_index(tmp_path, PAGES)
    [hit] = search(tmp_path, "muller", marks=("[", "]"))
    assert (hit.path, hit.document_id, hit.page, hit.locator, hit.source) == ("memo.pdf", "sha-memo", 2, "page 2",
                                                                            "pdf_text")
    assert hit.score > 0 and hit.snippet == "Herr [Müller] signed the Kostenstelle 4711 report."
    [hit] = search(tmp_path, "mined overnight")
    assert hit.snippet == "Idle GPUs **mined** Monero **overnight**."


def test_a_long_text_is_cut_around_the_hits_and_only_a_whole_phrase_is_marked():
    text = "filler " * 100 + "the idle capacity was idle at capacity too. " + "filler " * 100
    snippet = highlight(text, parse_query('"idle capacity"'), width=80)
    assert snippet.text.startswith("… ") and snippet.text.endswith(" …") and len(snippet.text) <= 90
    assert snippet.render("[", "]").count("[") == 2 and "[idle] [capacity] was idle at capacity" in snippet.render("[", "]")


def test_control_characters_from_a_leak_never_reach_the_terminal():
    snippet = highlight("Kosten\x1b]0;owned\x07 \x1b[2J Frankfurt\x9b31m", parse_query("frankfurt"))
    assert snippet.render() == "Kosten ]0;owned [2J **Frankfurt** 31m"


def test_unchanged_documents_are_not_indexed_again_changed_ones_are_and_removed_ones_go(tmp_path):
    first = update_index(tmp_path, PAGES)
    assert (first.indexed, first.unchanged, first.removed, first.parts, first.rebuilt) == (3, 0, 0, 4, True)
    again = update_index(tmp_path, PAGES)
    assert (again.indexed, again.unchanged, again.removed, again.parts, again.rebuilt) == (0, 3, 0, 0, False)
    changed = dict(PAGES)
    changed["memo.pdf"] = ("sha-memo-2", [Part(1, "page 1", "pdf_text", "Idle GPUs rendered video instead.")])
    del changed["mail.eml"]
    update = update_index(tmp_path, changed)
    assert (update.indexed, update.unchanged, update.removed, update.parts) == (1, 1, 1, 1)
    assert _found(tmp_path, "monero") == [] and _found(tmp_path, "video") == [("memo.pdf", 1)]
    assert _found(tmp_path, "capacity") == [] and _found(tmp_path, "muller") == []
    assert indexed_documents(tmp_path) == {"memo.pdf": "sha-memo-2", "bundle.zip!/kosten.csv": "sha-csv"}
    # the same bytes read better (a new OCR or reader): other text, so indexed again
    changed["bundle.zip!/kosten.csv"] = ("sha-csv", [Part(None, "csv", "office", "Standort\tGrafikkarten\nHamburg\t512")])
    update = update_index(tmp_path, changed)
    assert (update.indexed, update.unchanged, update.removed) == (1, 1, 0)
    assert _found(tmp_path, "hamburg") == [("bundle.zip!/kosten.csv", None)] and _found(tmp_path, "frankfurt") == []


def test_new_indexing_code_rebuilds_the_whole_index(tmp_path, monkeypatch):
    update_index(tmp_path, PAGES)
    monkeypatch.setattr(search_index, "code_digest", lambda: "another version of the analyzers")
    rebuilt = update_index(tmp_path, PAGES)
    assert (rebuilt.indexed, rebuilt.rebuilt, rebuilt.parts) == (3, True, 4)
    assert sorted(_found(tmp_path, "idle")) == [("mail.eml", None), ("memo.pdf", 1)]   # no duplicates


def test_the_published_index_is_a_complete_version_readers_keep_while_a_run_publishes(tmp_path):
    warehouse = tmp_path / "warehouse" / "leaks.duckdb"
    warehouse.parent.mkdir()
    work, link = index_paths(warehouse)
    assert publish_index(work, link).copied is False                     # nothing built yet
    update_index(work, PAGES)
    first = publish_index(work, link)
    assert first.copied and link.is_symlink() and not os.path.isabs(os.readlink(link))
    assert _found(link, "muller") == [("memo.pdf", 2)]
    assert publish_index(work, link).copied is False                     # unchanged: nothing copied
    opened = link.resolve()
    update_index(work, {"memo.pdf": PAGES["memo.pdf"]})
    update_index(work, {})                                               # two runs: every document removed
    assert _found(link, "muller") == [("memo.pdf", 2)]                    # unpublished: readers see the old one
    assert publish_index(work, link).copied
    assert _found(link, "muller") == [] and link.resolve() != opened
    assert opened.is_dir() and _found(opened, "muller") == [("memo.pdf", 2)]   # the version before stays
    update_index(work, PAGES)
    publish_index(work, link)
    assert not opened.exists()                                           # older ones are removed
    versions = [p for p in link.parent.iterdir() if p.name.startswith(".search_index.") and p.name != ".search_index.work"]
    assert len(versions) == 2 and link.resolve() in versions             # the current one and the one before
