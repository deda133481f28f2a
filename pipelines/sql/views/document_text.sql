-- Question: which documents, pages or e-mails say a given word or phrase?
-- One row = one part of a document (a PDF or image page, a sheet, a CSV, a Word or HTML document, an
-- e-mail body) with its text, and that text folded (lower case, accents stripped) for searching in SQL.
-- The SQL way to search: views.search_text('words') (below) gives the parts whose folded text holds the
-- folded words as written, a phrase as a phrase, with a snippet. It is a plain substring match, unranked:
-- no stemming ('mining' does not find 'mined'), a word inside a longer one counts ('kosten' finds
-- 'Kostenstelle'), 'ß' is not 'ss'. The ranked search, with English and German stemming and folding, is
-- `leakpipe search "words"` on the tantivy index published beside the warehouse (docs/search.md).
CREATE OR REPLACE VIEW views.document_text AS
SELECT
    t.path,
    t.page,
    t.locator,
    t.text_source,
    t.text,
    lower(strip_accents(regexp_replace(t.text, '\s+', ' ', 'g'))) AS folded_text,
    t.part,
    t.document_id
FROM core.document_text AS t
WHERE t.text IS NOT NULL
ORDER BY t.path, t.part;

CREATE OR REPLACE MACRO views.search_text(words) AS TABLE
WITH parts AS (
    SELECT *, regexp_replace(text, '\s+', ' ', 'g') AS flat,
           lower(strip_accents(regexp_replace(trim(words), '\s+', ' ', 'g'))) AS wanted
    FROM views.document_text
), found AS (
    SELECT *, instr(folded_text, wanted) AS pos FROM parts WHERE length(wanted) > 0
)
SELECT
    path,
    page,
    locator,
    (length(folded_text) - length(replace(folded_text, wanted, ''))) // length(wanted) AS matches,
    concat(CASE WHEN pos > 61 THEN '… ' ELSE '' END,
           substr(flat, greatest(1, pos - 60), least(pos, 61) - 1),
           '**', substr(flat, pos, length(wanted)), '**',
           substr(flat, pos + length(wanted), 100),
           CASE WHEN pos + length(wanted) + 100 <= length(flat) THEN ' …' ELSE '' END) AS snippet,
    text_source,
    document_id
FROM found
WHERE pos > 0
ORDER BY matches DESC, path, part;

COMMENT ON MACRO TABLE views.search_text IS 'views.search_text(''words''): the parts of views.document_text whose folded text (lower case, accents stripped, runs of white space as one space) holds the folded words as written; a substring match, unranked, no stemming. Columns: path, page, locator, matches (occurrences), snippet (the first one in **), text_source, document_id. `leakpipe search` is the ranked search.';

COMMENT ON VIEW views.document_text IS 'Every part of every document that has text (core.document_text without the documents whose text could not be read), with the text folded for SQL search. views.search_text(''words'') searches it (substring, unranked); `leakpipe search` is the ranked search with stemming. One row = one page, sheet or body.';
COMMENT ON COLUMN views.document_text.path IS 'The document, relative to the raw folder (''x.zip!/y.xlsx'' for a member of an archive or e-mail).';
COMMENT ON COLUMN views.document_text.page IS 'PDF page, image page or sheet number; NULL where the format has no pages (CSV, Word, HTML, e-mail body).';
COMMENT ON COLUMN views.document_text.locator IS 'Where in the document: page 3, image page 1, sheet ''Q3'', csv, docx, html, body.';
COMMENT ON COLUMN views.document_text.text_source IS 'pdf_text | ocr | office | email_body: how the text was read.';
COMMENT ON COLUMN views.document_text.text IS 'The text as read.';
COMMENT ON COLUMN views.document_text.folded_text IS 'The text in lower case, accents stripped (strip_accents), runs of white space (line breaks, tabs) as one space: what views.search_text matches against.';
COMMENT ON COLUMN views.document_text.part IS 'Part number in reading order within the document.';
COMMENT ON COLUMN views.document_text.document_id IS 'sha256 of the document''s bytes (key into core.documents).';
