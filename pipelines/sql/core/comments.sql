-- What every table and column of the schemas core, marts and meta means, with its unit, as DuckDB
-- comments (duckdb_tables().comment, duckdb_views().comment, duckdb_columns().comment). Applied with the
-- analyst views (pipelines/lib/warehouse/store.py, _apply_views) whenever this file or a view file changes, and
-- after pipelines/sql/core/schema.sql runs (CREATE OR REPLACE VIEW core.documents drops that view's comments).
-- docs/schema.md is generated from these comments (pipelines/lib/warehouse/schema_docs.py); the views in schema
-- `views` carry their comments in their own files under pipelines/sql/views/.
-- Units everywhere: money USD (plus the native amount and currency where the source had another),
-- hashrate hashes per second (*_hs), power watts (power_kw: kilowatts), energy kWh, shares 0..1,
-- DATE = a UTC day, timestamps TIMESTAMP WITH TIME ZONE.
-- One statement per line: a comment's text never spans lines. Quote ' as ''.

-- core.document_inventory ------------------------------------------------------------------------
COMMENT ON TABLE core.document_inventory IS 'One row per file found under the raw folder (the path is the key; the same bytes may sit at two paths). Analysts usually want core.documents, which adds each parser''s outcome.';
COMMENT ON COLUMN core.document_inventory.path IS 'The file, relative to the raw folder, ''/''-separated.';
COMMENT ON COLUMN core.document_inventory.document_id IS 'sha256 of the file''s bytes (hex); NULL when the file could not be read.';
COMMENT ON COLUMN core.document_inventory.kind IS 'cost_sheet | capex | prices | network | hardware | fx | flows | events | unknown, from the folder the file sits in.';
COMMENT ON COLUMN core.document_inventory.media_type IS 'Media type detected from the bytes (application/pdf, text/csv, application/x-empty, ...).';
COMMENT ON COLUMN core.document_inventory.bytes IS 'File size, bytes.';
COMMENT ON COLUMN core.document_inventory.duplicate_of IS 'The path first seen with the same bytes (by first sighting, then name); NULL for the first path itself.';
COMMENT ON COLUMN core.document_inventory.inventory_error IS 'Why the file could not even be registered for parsing (empty, not what its name says, a symbolic link, outside a known folder, ...); NULL when registered.';
COMMENT ON COLUMN core.document_inventory.first_seen_at IS 'When the pipeline first saw this path with these bytes; unchanged on re-runs.';
COMMENT ON COLUMN core.document_inventory.parent_document_id IS 'For a member of an archive or an e-mail attachment: sha256 of the container that held it; NULL for a file in the raw folder itself.';
COMMENT ON COLUMN core.document_inventory.member_path IS 'For a member: its path inside its container, ''/''-separated (the path column is <container path>!/<member_path>); NULL for a top-level file.';
COMMENT ON COLUMN core.document_inventory.container IS 'zip | 7z | tar | eml | msg | mbox when the document holds other documents (unpacked into the scratch folder, its members registered as rows of their own); NULL otherwise.';

-- core.document_outcomes -------------------------------------------------------------------------
COMMENT ON TABLE core.document_outcomes IS 'What the parser of each file''s kind made of it: one row per path and document (duplicates are not parsed).';
COMMENT ON COLUMN core.document_outcomes.path IS 'The file, relative to the raw folder.';
COMMENT ON COLUMN core.document_outcomes.document_id IS 'sha256 of the file''s bytes.';
COMMENT ON COLUMN core.document_outcomes.parser IS 'The parser that read it: cost_sheet | capex | prices | network | hardware | fx | flows | events.';
COMMENT ON COLUMN core.document_outcomes.status IS 'loaded | quarantined (the whole file was rejected; the reason is in error and core.quarantine).';
COMMENT ON COLUMN core.document_outcomes.error IS 'Why the file was quarantined, a sentence a person understands; NULL when loaded.';
COMMENT ON COLUMN core.document_outcomes.pages IS 'Pages (PDF) or sheets (XLSX) seen; 1 for a CSV cost sheet; NULL for other kinds.';
COMMENT ON COLUMN core.document_outcomes.rows_loaded IS 'Records loaded into the kind''s core table.';
COMMENT ON COLUMN core.document_outcomes.rows_quarantined IS 'Records sent to core.quarantine while parsing.';
COMMENT ON COLUMN core.document_outcomes.loaded_at IS 'When this outcome was recorded; moves only when the outcome changes.';

-- core.documents (view) --------------------------------------------------------------------------
COMMENT ON VIEW core.documents IS 'Every file under the raw folder, files in = rows: its sha256, kind, status (loaded | quarantined | duplicate | pending) and reason. core.document_inventory joined with core.document_outcomes.';
COMMENT ON COLUMN core.documents.document_id IS 'sha256 of the file''s bytes (hex); NULL when the file could not be read.';
COMMENT ON COLUMN core.documents.path IS 'The file, relative to the raw folder, ''/''-separated.';
COMMENT ON COLUMN core.documents.kind IS 'cost_sheet | capex | prices | network | hardware | fx | flows | events | unknown, from the folder the file sits in.';
COMMENT ON COLUMN core.documents.media_type IS 'Media type detected from the bytes.';
COMMENT ON COLUMN core.documents.bytes IS 'File size, bytes.';
COMMENT ON COLUMN core.documents.pages IS 'Pages (PDF) or sheets (XLSX) the parser saw; 1 for a CSV cost sheet; NULL otherwise.';
COMMENT ON COLUMN core.documents.status IS 'loaded | quarantined | duplicate (same bytes as duplicate_of) | pending (registered, its parser has not run yet).';
COMMENT ON COLUMN core.documents.duplicate_of IS 'For a duplicate: the path first seen with the same bytes; else NULL.';
COMMENT ON COLUMN core.documents.error IS 'Why the file was quarantined (at inventory or by its parser), a sentence; NULL when loaded.';
COMMENT ON COLUMN core.documents.first_seen_at IS 'When the pipeline first saw this path with these bytes.';
COMMENT ON COLUMN core.documents.loaded_at IS 'When the parser''s outcome was last recorded; NULL when not parsed.';
COMMENT ON COLUMN core.documents.rows_loaded IS 'Records the parser loaded into the kind''s core table (for a container: members registered).';
COMMENT ON COLUMN core.documents.rows_quarantined IS 'Records the parser sent to core.quarantine (for a container: members refused).';
COMMENT ON COLUMN core.documents.parent_document_id IS 'For a member of an archive or an e-mail attachment: sha256 of the container that held it; NULL for a top-level file.';
COMMENT ON COLUMN core.documents.member_path IS 'For a member: its path inside its container (path is <container path>!/<member_path>); NULL for a top-level file.';
COMMENT ON COLUMN core.documents.container IS 'zip | 7z | tar | eml | msg | mbox when the document holds other documents; NULL otherwise.';

-- core.quarantine --------------------------------------------------------------------------------
COMMENT ON TABLE core.quarantine IS 'Every record or file that did not make it into its table, with where it was, what was read and why. One row = one rejected record (or file) and the rule that rejected it.';
COMMENT ON COLUMN core.quarantine.source_table IS 'The table the record was meant for (core.<name> without the schema), or documents for a file that could not be registered.';
COMMENT ON COLUMN core.quarantine.document_id IS 'sha256 of the file the record comes from.';
COMMENT ON COLUMN core.quarantine.locator IS 'Where in the file: ''file'' (the whole file), ''file <path>'', ''line 17'', ''page 3 row 4'', or the row''s key at validation.';
COMMENT ON COLUMN core.quarantine.raw_record IS 'What was read, as JSON.';
COMMENT ON COLUMN core.quarantine.reason IS 'Why it was rejected, a sentence a person understands.';
COMMENT ON COLUMN core.quarantine.check_name IS 'The rule that rejected it (<table>.<rule>, or at validation the great-expectations expectation <type>:<columns>).';
COMMENT ON COLUMN core.quarantine.quarantined_at IS 'When the record was first quarantined; unchanged while it stays quarantined.';
COMMENT ON COLUMN core.quarantine.stage IS 'inventory (file unreadable) | parse (record could not be read) | validation (failed an expectation): which step put it here.';

-- core.price_observations ------------------------------------------------------------------------
COMMENT ON TABLE core.price_observations IS 'Every daily bar from every price file, before one source is chosen per asset and day (core.prices_daily). Finer bars are aggregated to UTC days.';
COMMENT ON COLUMN core.price_observations.asset IS 'Ticker: BTC, ETH, ETC, XMR, ...';
COMMENT ON COLUMN core.price_observations.date IS 'The UTC day of the bar (DATE).';
COMMENT ON COLUMN core.price_observations.open IS 'First price of the day, USD (USDT at par for Binance pairs).';
COMMENT ON COLUMN core.price_observations.high IS 'Highest price of the day, USD.';
COMMENT ON COLUMN core.price_observations.low IS 'Lowest price of the day, USD.';
COMMENT ON COLUMN core.price_observations.close_usd IS 'Last price of the day, USD.';
COMMENT ON COLUMN core.price_observations.volume_usd IS 'Traded volume, USD (coin volumes converted at each bar''s close); NULL when the file has none.';
COMMENT ON COLUMN core.price_observations.market_cap_usd IS 'Market capitalisation, USD; NULL when the file has none.';
COMMENT ON COLUMN core.price_observations.source IS 'Layout and file name, e.g. yahoo:BTC-USD.csv, coingecko:..., coinmetrics:..., binance:...';
COMMENT ON COLUMN core.price_observations.quote_currency IS 'USD, or USDT for Binance pairs (taken at par).';
COMMENT ON COLUMN core.price_observations.bars IS 'Input rows aggregated into this daily bar (1 for daily files, 24 for a full day of hourly bars).';
COMMENT ON COLUMN core.price_observations.source_rank IS 'Priority when several files give the same day: lower wins (Coin Metrics, Yahoo, CoinGecko, then Binance).';
COMMENT ON COLUMN core.price_observations.is_synthetic IS 'The file says the value was synthesised or approximate.';
COMMENT ON COLUMN core.price_observations.document_id IS 'sha256 of the price file.';

-- core.prices_daily ------------------------------------------------------------------------------
COMMENT ON TABLE core.prices_daily IS 'One daily bar per asset and UTC day: the best-ranked source''s bar from core.price_observations. Prices in USD.';
COMMENT ON COLUMN core.prices_daily.asset IS 'Ticker: BTC, ETH, ETC, XMR, ...';
COMMENT ON COLUMN core.prices_daily.date IS 'The UTC day (DATE).';
COMMENT ON COLUMN core.prices_daily.open IS 'First price of the day, USD.';
COMMENT ON COLUMN core.prices_daily.high IS 'Highest price of the day, USD.';
COMMENT ON COLUMN core.prices_daily.low IS 'Lowest price of the day, USD.';
COMMENT ON COLUMN core.prices_daily.close_usd IS 'Last price of the day, USD.';
COMMENT ON COLUMN core.prices_daily.volume_usd IS 'Traded volume, USD; NULL when unknown.';
COMMENT ON COLUMN core.prices_daily.market_cap_usd IS 'Market capitalisation, USD; NULL when unknown.';
COMMENT ON COLUMN core.prices_daily.source IS 'The chosen source: layout and file name (e.g. yahoo:BTC-USD.csv).';
COMMENT ON COLUMN core.prices_daily.is_synthetic IS 'The source file says the value was synthesised or approximate.';
COMMENT ON COLUMN core.prices_daily.document_id IS 'sha256 of the chosen source file.';

-- core.network_observations ----------------------------------------------------------------------
COMMENT ON TABLE core.network_observations IS 'Every day of chain statistics from every network file, before the values are combined per coin and day (core.network_daily).';
COMMENT ON COLUMN core.network_observations.coin IS 'Ticker: BTC, ETH, ETC, XMR, ...';
COMMENT ON COLUMN core.network_observations.date IS 'The UTC day (DATE).';
COMMENT ON COLUMN core.network_observations.hashrate_hs IS 'Network hashrate, hashes per second (the file''s unit recovered from difficulty and block count, or from the file name).';
COMMENT ON COLUMN core.network_observations.difficulty IS 'Mining difficulty as the chain reports it (Bitcoin: in units of 2^32 hashes per block).';
COMMENT ON COLUMN core.network_observations.block_reward_coins IS 'New coins per block (subsidy), coins.';
COMMENT ON COLUMN core.network_observations.blocks_per_day IS 'Blocks found that day.';
COMMENT ON COLUMN core.network_observations.issuance_coins IS 'New coins issued that day (block reward x blocks), coins.';
COMMENT ON COLUMN core.network_observations.fees_coins IS 'Transaction fees paid to miners that day, coins.';
COMMENT ON COLUMN core.network_observations.source IS 'Layout and file name, e.g. coinmetrics:etc_coinmetrics.csv, etherscan:..., plain:...';
COMMENT ON COLUMN core.network_observations.source_rank IS 'Priority when several files give the same day: lower wins, column by column.';
COMMENT ON COLUMN core.network_observations.is_synthetic IS 'The file says the value was synthesised or approximate.';
COMMENT ON COLUMN core.network_observations.document_id IS 'sha256 of the network file.';

-- core.consensus_periods -------------------------------------------------------------------------
COMMENT ON TABLE core.consensus_periods IS 'Which consensus each chain ran on which dates (pipelines/reference/consensus_periods.csv): ETH is pos from 2022-09-15. One row = one coin and period.';
COMMENT ON COLUMN core.consensus_periods.coin IS 'Ticker: BTC, ETH, ETC, XMR, ...';
COMMENT ON COLUMN core.consensus_periods.valid_from IS 'First day of the period (DATE, UTC).';
COMMENT ON COLUMN core.consensus_periods.valid_to IS 'Day the period ends, exclusive (DATE, UTC); NULL = still in force.';
COMMENT ON COLUMN core.consensus_periods.consensus IS 'pow (proof of work: can be mined) | pos (proof of stake: nothing to mine).';
COMMENT ON COLUMN core.consensus_periods.source IS 'Where the dates come from.';

-- core.network_daily -----------------------------------------------------------------------------
COMMENT ON TABLE core.network_daily IS 'Chain statistics per coin and UTC day: each value from the best-ranked file that has it, with the consensus that day.';
COMMENT ON COLUMN core.network_daily.coin IS 'Ticker: BTC, ETH, ETC, XMR, ...';
COMMENT ON COLUMN core.network_daily.date IS 'The UTC day (DATE).';
COMMENT ON COLUMN core.network_daily.hashrate_hs IS 'Network hashrate, hashes per second.';
COMMENT ON COLUMN core.network_daily.difficulty IS 'Mining difficulty as the chain reports it (Bitcoin: in units of 2^32 hashes per block).';
COMMENT ON COLUMN core.network_daily.block_reward_coins IS 'New coins per block (subsidy), coins.';
COMMENT ON COLUMN core.network_daily.blocks_per_day IS 'Blocks found that day.';
COMMENT ON COLUMN core.network_daily.issuance_coins IS 'New coins issued that day (block reward x blocks), coins.';
COMMENT ON COLUMN core.network_daily.fees_coins IS 'Transaction fees paid to miners that day, coins; NULL when unknown.';
COMMENT ON COLUMN core.network_daily.consensus IS 'pow | pos that day, from core.consensus_periods; NULL when the coin is not listed there.';
COMMENT ON COLUMN core.network_daily.sources IS 'The files whose values were combined, by rank (layout:file name).';
COMMENT ON COLUMN core.network_daily.is_synthetic IS 'A combined value came from a synthesised or approximate row.';

-- core.hardware_specs ----------------------------------------------------------------------------
COMMENT ON TABLE core.hardware_specs IS 'Published mining performance of devices: one row per device, algorithm and source, per device (not per fleet).';
COMMENT ON COLUMN core.hardware_specs.device IS 'Device name (e.g. NVIDIA H100 SXM, Bitmain Antminer S21).';
COMMENT ON COLUMN core.hardware_specs.device_class IS 'datacenter_gpu | consumer_gpu | mining_gpu (a mining-only card such as the CMP 170HX) | asic | cpu.';
COMMENT ON COLUMN core.hardware_specs.algorithm IS 'Hash algorithm, lower case: sha256d, ethash, etchash, kawpow, kheavyhash, randomx, ...';
COMMENT ON COLUMN core.hardware_specs.hashrate_hs IS 'One device''s hashrate on this algorithm, hashes per second.';
COMMENT ON COLUMN core.hardware_specs.power_w IS 'One device''s power draw while mining, watts.';
COMMENT ON COLUMN core.hardware_specs.source IS 'Where the figures come from (calculator, log, article, vendor spec, with its address; APPROXIMATE where estimated).';
COMMENT ON COLUMN core.hardware_specs.source_kind IS 'What kind of figure the hashrate is: calculator_default (a mining calculator''s typical tuned value, e.g. 2CryptoCalc) | user_log (one person''s logged run) | press (an article''s report of a test) | vendor_doc (a miner software''s documented example) | spec (the maker''s specification) | derived (computed from another figure, e.g. a hashcat rate) | approximate (the compiler''s estimate) | unspecified. From the file''s source_kind or value_kind column, else the source text.';
COMMENT ON COLUMN core.hardware_specs.source_date IS 'When the source gave the figure, as the file writes it (a date, a month or a span); NULL if the file does not say.';
COMMENT ON COLUMN core.hardware_specs.document_id IS 'sha256 of the hardware file.';
COMMENT ON COLUMN core.hardware_specs.locator IS 'Line in the hardware file (''line 5'').';

-- core.fx_daily ----------------------------------------------------------------------------------
COMMENT ON TABLE core.fx_daily IS 'Reference exchange rates: USD per unit of each currency and day (ECB files).';
COMMENT ON COLUMN core.fx_daily.date IS 'The day of the rate (DATE).';
COMMENT ON COLUMN core.fx_daily.currency IS 'ISO 4217 code (EUR, GBP, ...).';
COMMENT ON COLUMN core.fx_daily.usd_per_unit IS 'USD for one unit of the currency.';
COMMENT ON COLUMN core.fx_daily.source IS 'Layout and file name (ecb_single:..., ecb_multi:...).';
COMMENT ON COLUMN core.fx_daily.is_synthetic IS 'The file says the rate was synthesised or approximate.';
COMMENT ON COLUMN core.fx_daily.document_id IS 'sha256 of the rates file.';

-- core.fund_flows_daily --------------------------------------------------------------------------
COMMENT ON TABLE core.fund_flows_daily IS 'Net flows into funds (spot ETFs) per day, asset and fund, USD; summary rows of the source table are quarantined, not loaded.';
COMMENT ON COLUMN core.fund_flows_daily.date IS 'Trading day (DATE).';
COMMENT ON COLUMN core.fund_flows_daily.asset IS 'The coin the fund holds (BTC, ...).';
COMMENT ON COLUMN core.fund_flows_daily.fund IS 'Fund ticker (IBIT, FBTC, GBTC, ...), or TOTAL for the table''s own total column.';
COMMENT ON COLUMN core.fund_flows_daily.net_flow_usd IS 'Net flow that day, USD: positive = inflow, negative = outflow (printed in parentheses).';
COMMENT ON COLUMN core.fund_flows_daily.document_id IS 'sha256 of the flows file.';

-- core.events ------------------------------------------------------------------------------------
COMMENT ON TABLE core.events IS 'Dated events that may move prices (ETF approvals, halvings, capex news, leaks, protocol changes); the event study reads them.';
COMMENT ON COLUMN core.events.date IS 'The day of the event (DATE, UTC).';
COMMENT ON COLUMN core.events.asset IS 'The coin it concerns; NULL = the whole market.';
COMMENT ON COLUMN core.events.kind IS 'Category as given in the file: etf | halving | capex | leak | mining | protocol | ...';
COMMENT ON COLUMN core.events.title IS 'What happened, one line.';
COMMENT ON COLUMN core.events.source IS 'Where the event is documented.';
COMMENT ON COLUMN core.events.document_id IS 'sha256 of the events file.';
COMMENT ON COLUMN core.events.locator IS 'Line in the events file (''line 7'').';

-- core.document_metadata ------------------------------------------------------------------------
COMMENT ON TABLE core.document_metadata IS 'One row per registered document: what the file says about itself (pipelines/lib/forensics): producer, creator tool, author, dates from the Info dictionary and from XMP (both kept), incremental updates, signature, fonts, scanned pages and text layers; e-mail headers for e-mails. NULL where the file does not say; notes says what could not be read.';
COMMENT ON COLUMN core.document_metadata.document_id IS 'sha256 of the document (key into core.documents).';
COMMENT ON COLUMN core.document_metadata.media_type IS 'Media type from the bytes (as in core.document_inventory, or what the reader found).';
COMMENT ON COLUMN core.document_metadata.title IS 'Title as the file records it (PDF /Title or XMP dc:title; office dc:title).';
COMMENT ON COLUMN core.document_metadata.author IS 'Author as the file records it (PDF /Author or XMP dc:creator; office dc:creator, ODF meta:initial-creator).';
COMMENT ON COLUMN core.document_metadata.producer IS 'Tool that wrote the file: PDF /Producer; OOXML app.xml Application and AppVersion; ODF meta:generator.';
COMMENT ON COLUMN core.document_metadata.creator_tool IS 'Tool the content was made in: PDF /Creator; OOXML Application; ODF generator name.';
COMMENT ON COLUMN core.document_metadata.created_at IS 'Creation date from the Info dictionary (PDF /CreationDate) or the office core properties (UTC; see dates_without_offset).';
COMMENT ON COLUMN core.document_metadata.modified_at IS 'Modification date from the Info dictionary (PDF /ModDate) or the office core properties (UTC).';
COMMENT ON COLUMN core.document_metadata.xmp_created_at IS 'Creation date from the PDF''s XMP packet (xmp:CreateDate, UTC).';
COMMENT ON COLUMN core.document_metadata.xmp_modified_at IS 'Modification date from the PDF''s XMP packet (xmp:ModifyDate, UTC).';
COMMENT ON COLUMN core.document_metadata.incremental_updates IS 'PDF: revisions appended after the first (%%EOF markers after the first, a linearized file''s first-page trailer not counted); NULL off PDFs.';
COMMENT ON COLUMN core.document_metadata.signed IS 'The file carries a digital signature (PDF: a /Sig field with a value or a /ByteRange; OOXML _xmlsignatures; ODF documentsignatures.xml).';
COMMENT ON COLUMN core.document_metadata.fonts IS 'Fonts used (PDF: BaseFont of every page''s and form''s resources, subset prefix dropped; DOCX font table; XLSX styles; ODF font faces).';
COMMENT ON COLUMN core.document_metadata.email_from IS 'E-mail: the sender''s address.';
COMMENT ON COLUMN core.document_metadata.email_to IS 'E-mail: the recipients'' addresses (To).';
COMMENT ON COLUMN core.document_metadata.email_cc IS 'E-mail: the copied addresses (Cc).';
COMMENT ON COLUMN core.document_metadata.email_date IS 'E-mail: the Date header (UTC).';
COMMENT ON COLUMN core.document_metadata.email_subject IS 'E-mail: the subject.';
COMMENT ON COLUMN core.document_metadata.notes IS 'What could not be read and why (encrypted, not a date, no reader for the format ...); NULL when everything was read.';
COMMENT ON COLUMN core.document_metadata.xmp_producer IS 'PDF: pdf:Producer from XMP (differs from producer when one tool rewrote the Info dictionary and not XMP).';
COMMENT ON COLUMN core.document_metadata.xmp_creator_tool IS 'PDF: xmp:CreatorTool from XMP.';
COMMENT ON COLUMN core.document_metadata.dates_without_offset IS 'Date columns the file wrote without a UTC offset (read as UTC; the checks widen their tolerance).';
COMMENT ON COLUMN core.document_metadata.pages IS 'PDF: number of pages.';
COMMENT ON COLUMN core.document_metadata.pages_with_text IS 'PDF: pages whose content draws text (text operators).';
COMMENT ON COLUMN core.document_metadata.pages_with_images IS 'PDF: pages that draw an image (image XObject or inline image).';
COMMENT ON COLUMN core.document_metadata.pages_with_invisible_text IS 'PDF: pages that draw text in render mode 3 (invisible: an OCR layer over an image).';
COMMENT ON COLUMN core.document_metadata.revision_producers IS 'PDF: /Producer of each revision, first to last (one entry when never updated; empty string when unnamed).';
COMMENT ON COLUMN core.document_metadata.text_added_by_update IS 'PDF: the first revision draws no text and the last does (an incremental update laid text over the pages); NULL when never updated.';

-- core.document_text ----------------------------------------------------------------------------
COMMENT ON TABLE core.document_text IS 'Every document''s text, part by part (a PDF or image page, a sheet, a CSV, a Word or HTML document, an e-mail body): what the full-text index is built from (`leakpipe search`, ranked; views.document_text and the macro views.search_text for SQL). Leaked cost sheets with their archive and e-mail members (text kept by the extraction, not read again), e-mail bodies and capex press releases (TXT, Markdown, HTML, PDF; not the CSV and JSON records). A document with no readable text has one row with text NULL and the reason.';
COMMENT ON COLUMN core.document_text.path IS 'The document, relative to the raw folder, as in core.documents (''x.zip!/y.xlsx'' for a member of an archive or e-mail).';
COMMENT ON COLUMN core.document_text.document_id IS 'sha256 of the document''s bytes (key into core.documents).';
COMMENT ON COLUMN core.document_text.part IS 'Part number in reading order (1, 2, ...); 0 for the single row of a document without text.';
COMMENT ON COLUMN core.document_text.page IS 'PDF page, image page or sheet number (1-based); NULL where the format has no pages (CSV, Word, HTML, e-mail body) or no text was read.';
COMMENT ON COLUMN core.document_text.locator IS 'Where in the document: page 3, image page 1, sheet ''Q3'', csv, docx, html, body (an e-mail''s text), text or markdown (a capex press release); file for a document without text.';
COMMENT ON COLUMN core.document_text.text_source IS 'How the text was read: pdf_text (the PDF''s text layer), ocr (tesseract on a scanned page or image), office (a spreadsheet''s cells, a CSV, a Word or HTML document, a TXT or Markdown press release), email_body; NULL when no text was read.';
COMMENT ON COLUMN core.document_text.text IS 'The text as read (cells tab-separated, rows on lines); NULL when no text could be read, never an empty string.';
COMMENT ON COLUMN core.document_text.reason IS 'Why the document has no text (no finished extraction, refused by its reader, no page holds a word, no e-mail body); NULL when text was read.';

-- core.cost_sheet_lines --------------------------------------------------------------------------
COMMENT ON TABLE core.cost_sheet_lines IS 'One row per data line (or totals line) of a leaked cost sheet, with the spot it was read from. Percentages become shares (62 % -> 0.62), cents per kWh become currency units per kWh; *_usd converts *_native with core.fx_daily on period_end.';
COMMENT ON COLUMN core.cost_sheet_lines.company_how IS 'Where the company came from: named (a company column or a label line such as Unternehmen: ...), letterhead (a company named in the document''s first lines), dateline (the dateline city of a known headquarters, pipelines/reference/company_headquarters.csv), sender_domain (the domain of the e-mail that carried the file) or file_name; NULL when nothing names one.';
COMMENT ON COLUMN core.cost_sheet_lines.document_id IS 'sha256 of the leaked document.';
COMMENT ON COLUMN core.cost_sheet_lines.page IS '1-based PDF page; sheet number for XLSX, XLS and ODS; the table''s number in the document for DOCX and HTML; the image page (TIFF frame) for an image; 1 for CSV.';
COMMENT ON COLUMN core.cost_sheet_lines.table_index IS '0-based table in the document (a table stitched across pages counts once).';
COMMENT ON COLUMN core.cost_sheet_lines.row_index IS '0-based data line in that table (header lines not counted).';
COMMENT ON COLUMN core.cost_sheet_lines.bbox IS 'Where the line is printed: x0, top, x1, bottom in PDF points (an image: in pixels of the deskewed page); NULL for spreadsheets, CSV, DOCX and HTML.';
COMMENT ON COLUMN core.cost_sheet_lines.company IS 'Company as printed (e.g. Amazon Web Services).';
COMMENT ON COLUMN core.cost_sheet_lines.company_canonical IS 'The capex alias table''s name for it: Microsoft, Amazon, Alphabet, Meta, ...; NULL when unknown.';
COMMENT ON COLUMN core.cost_sheet_lines.site IS 'Site (data center) as printed.';
COMMENT ON COLUMN core.cost_sheet_lines.period_start IS 'First day the line covers (DATE, UTC).';
COMMENT ON COLUMN core.cost_sheet_lines.period_end IS 'Last day the line covers (DATE, UTC).';
COMMENT ON COLUMN core.cost_sheet_lines.device IS 'Accelerator or miner as printed (e.g. H100 SXM, A100 80GB).';
COMMENT ON COLUMN core.cost_sheet_lines.device_count IS 'Devices on the line.';
COMMENT ON COLUMN core.cost_sheet_lines.utilization_share IS 'Share of hours busy with AI work, 0..1 (1 - idle share when the sheet prints that instead).';
COMMENT ON COLUMN core.cost_sheet_lines.idle_hours IS 'Idle hours as printed, over the period: per device, or device-hours for the whole line (a figure above the period''s hours can only be that).';
COMMENT ON COLUMN core.cost_sheet_lines.power_kw IS 'The whole line''s power draw, kilowatts (per-device figures multiplied by device_count).';
COMMENT ON COLUMN core.cost_sheet_lines.pue IS 'Power usage effectiveness the sheet applies (facility kWh per IT kWh).';
COMMENT ON COLUMN core.cost_sheet_lines.electricity_price_native IS 'Electricity price, `currency` units per kWh.';
COMMENT ON COLUMN core.cost_sheet_lines.currency IS 'ISO 4217 currency of the *_native amounts.';
COMMENT ON COLUMN core.cost_sheet_lines.electricity_usd_per_kwh IS 'Electricity price, USD per kWh (converted at fx_date).';
COMMENT ON COLUMN core.cost_sheet_lines.fx_date IS 'Date of the core.fx_daily rate used for the *_usd columns (the latest on or before period_end).';
COMMENT ON COLUMN core.cost_sheet_lines.coin IS 'Coin the line claims to mine (ticker).';
COMMENT ON COLUMN core.cost_sheet_lines.algorithm IS 'The coin''s hash algorithm (sha256d, etchash, randomx, ...).';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_hashrate_hs IS 'The whole line''s claimed hashrate, hashes per second (per-device figures multiplied by device_count).';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_hashrate_per_device_hs IS 'Claimed hashrate per device, hashes per second.';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_coins_mined IS 'Coins the line claims were mined over the period, coins of `coin`.';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_revenue_native IS 'Claimed mining revenue, `currency`.';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_revenue_usd IS 'Claimed mining revenue, USD.';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_opex_native IS 'Claimed operating (power) cost, `currency`.';
COMMENT ON COLUMN core.cost_sheet_lines.claimed_opex_usd IS 'Claimed operating (power) cost, USD.';
COMMENT ON COLUMN core.cost_sheet_lines.is_total_row IS 'True for the sheet''s totals line (checked against the sum of its lines).';
COMMENT ON COLUMN core.cost_sheet_lines.source_text IS 'The line as printed.';
COMMENT ON COLUMN core.cost_sheet_lines.locale IS 'Number locale the document was read with (de: 1.234,5; en: 1,234.5).';
COMMENT ON COLUMN core.cost_sheet_lines.flags IS 'Extraction doubts, e.g. ambiguous_number:device_count, percent_assumed:utilization_share, unit_assumed_kw:power_kw; inferred_from_unit:<field> / inferred_from_values:<field> (the header word is unknown, its unit or its cells identified the column); per_device:<field> (a per-device amount times the count); one_day_period (the period came out as one day), period_conflicts_title (and the document''s title gives a longer one), period_from_header (a date under a Monat/Quartal header widened to that month or quarter); empty when none. Rows of hidden sheets and hidden rows are never lines: they are in the quarantine (cost_sheets.hidden_sheet, cost_sheets.hidden_row).';
COMMENT ON COLUMN core.cost_sheet_lines.extraction_method IS 'How the line was read: pdf_lines | pdf_text | ocr (a scanned PDF page or an image: PNG, JPEG, TIFF) | xlsx | xls | ods | csv | docx | html.';

-- core.capex_announcements -----------------------------------------------------------------------
COMMENT ON TABLE core.capex_announcements IS 'One row per capex amount announced in a press release, article, filing or structured record (raw/capex/). amount_*_usd converts amount_*_native with core.fx_daily on announced_on; a range keeps its ends, amount_native is its midpoint.';
COMMENT ON COLUMN core.capex_announcements.announcement_id IS 'md5 of document_id and locator.';
COMMENT ON COLUMN core.capex_announcements.company IS 'Canonical company name (pipelines/reference/capex_company_aliases.csv).';
COMMENT ON COLUMN core.capex_announcements.ticker IS 'Stock ticker; NULL when the alias table has none.';
COMMENT ON COLUMN core.capex_announcements.announced_on IS 'Day of the announcement (DATE).';
COMMENT ON COLUMN core.capex_announcements.announced_on_source IS 'Where the date comes from: text (the sentence or the dateline) | metadata.';
COMMENT ON COLUMN core.capex_announcements.amount_usd IS 'The amount (a range''s midpoint), USD; NULL when no USD rate exists for the currency (see fx_note).';
COMMENT ON COLUMN core.capex_announcements.amount_low_usd IS 'Low end of the amount, USD; NULL for an up-to figure.';
COMMENT ON COLUMN core.capex_announcements.amount_high_usd IS 'High end of the amount, USD; NULL for a more-than figure.';
COMMENT ON COLUMN core.capex_announcements.amount_native IS 'The amount, or the midpoint of a range, in `currency`.';
COMMENT ON COLUMN core.capex_announcements.amount_low_native IS 'Low end of the amount, `currency`.';
COMMENT ON COLUMN core.capex_announcements.amount_high_native IS 'High end of the amount, `currency`.';
COMMENT ON COLUMN core.capex_announcements.currency IS 'ISO 4217 currency of the *_native amounts.';
COMMENT ON COLUMN core.capex_announcements.currency_how IS 'How the currency was found: text (printed with the amount) | record | metadata | document_amounts (every other amount''s) | sec_filing (USD).';
COMMENT ON COLUMN core.capex_announcements.qualifier IS 'exact | range | up_to | at_least | about.';
COMMENT ON COLUMN core.capex_announcements.scope IS 'ai_datacenter (an AI data-center plan) | total_capex (capex guidance for a period) | other.';
COMMENT ON COLUMN core.capex_announcements.horizon_years IS 'Years the amount is spent over (''over 15 years'' = 15; ''bis 2028'' = years to 2028-12-31; a rate per year = 1, amount_native being the per-year figure); NULL when not given.';
COMMENT ON COLUMN core.capex_announcements.horizon_end IS 'The day the plan runs to, when the text gives an end year (DATE).';
COMMENT ON COLUMN core.capex_announcements.horizon_text IS 'The horizon as printed.';
COMMENT ON COLUMN core.capex_announcements.document_id IS 'sha256 of the document.';
COMMENT ON COLUMN core.capex_announcements.locator IS '''chars 120-134'' in the document''s extracted text, or ''record 3''.';
COMMENT ON COLUMN core.capex_announcements.char_start IS 'Start of the amount in the extracted text (a JSON record''s span in the file); NULL for CSV rows.';
COMMENT ON COLUMN core.capex_announcements.char_end IS 'End of that span (exclusive).';
COMMENT ON COLUMN core.capex_announcements.amount_text IS 'The amount as printed.';
COMMENT ON COLUMN core.capex_announcements.snippet IS 'The sentence the amount is in.';
COMMENT ON COLUMN core.capex_announcements.language IS 'de | en.';
COMMENT ON COLUMN core.capex_announcements.company_how IS 'Where the company was found: named in the sentence (sentence) or an earlier one (previous_sentence), a structured field (metadata, record), or, when the text never names it, inferred from the letterhead (first lines), the dateline city of a known headquarters (dateline, pipelines/reference/company_headquarters.csv), the e-mail sender''s domain (sender_domain) or the file name (file_name).';
COMMENT ON COLUMN core.capex_announcements.extraction_method IS 'text | markdown | html | pdf | json | csv.';
COMMENT ON COLUMN core.capex_announcements.fx_date IS 'Date of the core.fx_daily rate used (latest on or before announced_on); NULL for USD.';
COMMENT ON COLUMN core.capex_announcements.usd_per_unit IS 'The rate used: USD per unit of `currency` (1 for USD).';
COMMENT ON COLUMN core.capex_announcements.fx_note IS 'Why amount_usd is NULL, when it is.';
COMMENT ON COLUMN core.capex_announcements.duplicate_of IS 'announcement_id of the first row for the same plan (same company, scope, currency and amount within 7 days); NULL for the first.';
COMMENT ON COLUMN core.capex_announcements.is_synthetic IS 'The document says it is a synthesised sample.';

-- core.capex_quarterly ---------------------------------------------------------------------------
COMMENT ON TABLE core.capex_quarterly IS 'Capex as filed: purchases of property and equipment per company and quarter, USD.';
COMMENT ON COLUMN core.capex_quarterly.company IS 'Canonical company name.';
COMMENT ON COLUMN core.capex_quarterly.ticker IS 'Stock ticker (MSFT, AMZN, GOOGL, META, ...).';
COMMENT ON COLUMN core.capex_quarterly.period_end IS 'Last day of the quarter (DATE).';
COMMENT ON COLUMN core.capex_quarterly.fiscal_label IS 'The company''s fiscal quarter, e.g. ''FY2024 Q3'' for MSFT 2024-03-31.';
COMMENT ON COLUMN core.capex_quarterly.capex_usd IS 'Amount spent in the quarter, USD (positive).';
COMMENT ON COLUMN core.capex_quarterly.document_id IS 'sha256 of the capex file.';
COMMENT ON COLUMN core.capex_quarterly.locator IS 'Line in the capex file (''line 2'').';
COMMENT ON COLUMN core.capex_quarterly.source IS 'The filing the figure comes from, as the row cites it.';
COMMENT ON COLUMN core.capex_quarterly.is_synthetic IS 'The row says the figure was synthesised or approximate.';

-- core.validation_results ------------------------------------------------------------------------
COMMENT ON TABLE core.validation_results IS 'The latest great-expectations verdict per table and expectation (full results: the Data Docs under the reports folder). Failing records are in core.quarantine with stage validation.';
COMMENT ON COLUMN core.validation_results.source_table IS 'The core table the suite checks (name without schema).';
COMMENT ON COLUMN core.validation_results.expectation IS '<great-expectations type>:<columns>[:label].';
COMMENT ON COLUMN core.validation_results.level IS 'row (failing rows quarantined) | table (the table as a whole).';
COMMENT ON COLUMN core.validation_results.severity IS 'error | warn; a failing table-level error blocks the models and the publish.';
COMMENT ON COLUMN core.validation_results.success IS 'The expectation was met.';
COMMENT ON COLUMN core.validation_results.element_count IS 'Rows the expectation looked at.';
COMMENT ON COLUMN core.validation_results.unexpected_count IS 'Rows that broke it.';
COMMENT ON COLUMN core.validation_results.observed IS 'Table level: what was observed (row count, newest date); NULL for row level.';
COMMENT ON COLUMN core.validation_results.why IS 'Why a failing record is rejected, a sentence.';
COMMENT ON COLUMN core.validation_results.validated_on IS 'Day the table was validated (DATE, UTC).';
COMMENT ON COLUMN core.validation_results.rows_checked IS 'Rows in the table when it was validated.';

-- marts.leak_plausibility ------------------------------------------------------------------------
COMMENT ON TABLE marts.leak_plausibility IS 'One row per claim on a cost-sheet line (or totals line), or per document-level metadata claim of a leaked file, and the rule that checked it (pipelines/lib/verification/plausibility.py): the claimed value, the range the inputs allow, a verdict and a quotable reason.';
COMMENT ON COLUMN marts.leak_plausibility.document_id IS 'sha256 of the leaked document.';
COMMENT ON COLUMN marts.leak_plausibility.page IS '1-based page of the line (as in core.cost_sheet_lines); NULL for a document-level claim (metadata_*).';
COMMENT ON COLUMN marts.leak_plausibility.table_index IS '0-based table in the document; NULL for a document-level claim (metadata_*).';
COMMENT ON COLUMN marts.leak_plausibility.row_index IS '0-based data line in that table; NULL for a document-level claim (metadata_*).';
COMMENT ON COLUMN marts.leak_plausibility.claim IS 'What was checked: hashrate | power_cost | coins_mined | consensus | period | total_<column>, or for the whole document metadata_period | metadata_dates | metadata_producer | metadata_text_layer (core.document_metadata).';
COMMENT ON COLUMN marts.leak_plausibility.claimed_value IS 'What the sheet says, in `unit`.';
COMMENT ON COLUMN marts.leak_plausibility.expected_low IS 'Lowest value the checked inputs allow (tolerance included), in `unit`.';
COMMENT ON COLUMN marts.leak_plausibility.expected_high IS 'Highest value the checked inputs allow, in `unit`; NULL = no upper bound from this rule.';
COMMENT ON COLUMN marts.leak_plausibility.verdict IS 'plausible | implausible | unverifiable (an input is missing; never guessed).';
COMMENT ON COLUMN marts.leak_plausibility.reason IS 'A quotable sentence with the numbers and units.';
COMMENT ON COLUMN marts.leak_plausibility.unit IS 'Unit of claimed_value and expected_*: H/s per device (hashrate), the sheet''s currency (power_cost, total_revenue, total_power_cost), coins of `coin` (coins_mined, consensus), kW, devices, H/s, or days (period); metadata_*: days (period: last write minus period end; producer: write date minus release), hours (dates: created minus modified) or pages (text layer: pages with text).';
COMMENT ON COLUMN marts.leak_plausibility.company IS 'Company as printed on the line.';
COMMENT ON COLUMN marts.leak_plausibility.site IS 'Site as printed on the line.';
COMMENT ON COLUMN marts.leak_plausibility.device IS 'Device as printed on the line.';
COMMENT ON COLUMN marts.leak_plausibility.coin IS 'Coin the line claims to mine.';
COMMENT ON COLUMN marts.leak_plausibility.period_start IS 'First day the line covers (DATE, UTC); metadata_*: the earliest of the document''s lines.';
COMMENT ON COLUMN marts.leak_plausibility.period_end IS 'Last day the line covers (DATE, UTC); metadata_*: the latest of the document''s lines.';
COMMENT ON COLUMN marts.leak_plausibility.inputs IS 'What the expectation used (hardware spec, network days, consensus periods, ...), or which input is missing for an unverifiable claim.';
COMMENT ON COLUMN marts.leak_plausibility.rule_version IS 'Version of the plausibility rules.';

-- marts.model_assumptions ------------------------------------------------------------------------
COMMENT ON TABLE marts.model_assumptions IS 'Every model input that is not data (pipelines/reference/model_assumptions.toml): one row per range (low/central/high in `unit`, drawn by `distribution`) or fixed setting, with its source.';
COMMENT ON COLUMN marts.model_assumptions.name IS 'The assumption (e.g. idle_share, pue, price_impact_multiplier, window:rally, supply:BTC); <range>_<company> is one company''s own value of a range (gpu_share_of_capex_amazon).';
COMMENT ON COLUMN marts.model_assumptions.low IS 'Low end of the range, in `unit`; NULL for a fixed setting.';
COMMENT ON COLUMN marts.model_assumptions.central IS 'Central value, in `unit`; NULL for a fixed setting.';
COMMENT ON COLUMN marts.model_assumptions.high IS 'High end of the range, in `unit`; NULL for a fixed setting.';
COMMENT ON COLUMN marts.model_assumptions.unit IS 'Unit of low/central/high; for a fixed setting, its value as text.';
COMMENT ON COLUMN marts.model_assumptions.distribution IS 'triangular | uniform | loguniform | normal | fixed.';
COMMENT ON COLUMN marts.model_assumptions.source IS 'The evidence or judgement behind the range.';
COMMENT ON COLUMN marts.model_assumptions.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.model_assumptions.model_version IS 'Model code version.';

-- marts.mining_profitability_daily ---------------------------------------------------------------
COMMENT ON TABLE marts.mining_profitability_daily IS 'Revenue, power cost and margin per device and day (USD) of every device on every proof-of-work coin with network data and a price, at each reference electricity price and at each leaked line''s own price on the days it covers. One row per date, coin, device, USD/kWh and price_basis; none for a coin on proof-of-stake days.';
COMMENT ON COLUMN marts.mining_profitability_daily.date IS 'The UTC day (DATE).';
COMMENT ON COLUMN marts.mining_profitability_daily.coin IS 'Coin ticker.';
COMMENT ON COLUMN marts.mining_profitability_daily.device IS 'Device as in core.hardware_specs.';
COMMENT ON COLUMN marts.mining_profitability_daily.electricity_usd_per_kwh IS 'Electricity price, USD per kWh.';
COMMENT ON COLUMN marts.mining_profitability_daily.price_basis IS 'reference (the assumptions'' reference prices) | leak (a leaked line''s own price, on the days it covers).';
COMMENT ON COLUMN marts.mining_profitability_daily.revenue_usd_per_day IS 'coins_per_day x close_usd, USD per device and day.';
COMMENT ON COLUMN marts.mining_profitability_daily.power_cost_usd_per_day IS 'device_power_w (at the wall) / 1000 x 24 x pue x electricity_usd_per_kwh, USD per device and day.';
COMMENT ON COLUMN marts.mining_profitability_daily.margin_usd_per_day IS 'Revenue - power cost, USD per device and day (operating cost only).';
COMMENT ON COLUMN marts.mining_profitability_daily.profitable IS 'margin > 0.';
COMMENT ON COLUMN marts.mining_profitability_daily.algorithm IS 'The coin''s hash algorithm.';
COMMENT ON COLUMN marts.mining_profitability_daily.device_class IS 'datacenter_gpu | consumer_gpu | mining_gpu | asic | cpu.';
COMMENT ON COLUMN marts.mining_profitability_daily.device_hashrate_hs IS 'The device''s hashrate on this algorithm, hashes per second.';
COMMENT ON COLUMN marts.mining_profitability_daily.device_power_w IS 'The device''s power draw at the wall, watts: a datacenter GPU''s board power x the server overhead (model_assumptions.toml server_overhead, central; host CPUs, NICs, fans, power-supply losses), any other device''s published power (see power_basis).';
COMMENT ON COLUMN marts.mining_profitability_daily.device_board_power_w IS 'The device''s published power, watts (core.hardware_specs.power_w; a GPU''s board power, an ASIC''s power at the plug).';
COMMENT ON COLUMN marts.mining_profitability_daily.power_basis IS 'How device_power_w follows from device_board_power_w: wall: board power x server overhead <central> (datacenter GPUs) | wall: published power (ASICs) | published power (no server around the device: CPUs, consumer cards) | unknown: no published power.';
COMMENT ON COLUMN marts.mining_profitability_daily.hashrate_basis IS 'benchmark | benchmark via <algorithm> (an Ethash figure for Etchash) | assumption (the central H100 value where no benchmark exists).';
COMMENT ON COLUMN marts.mining_profitability_daily.pue IS 'Power usage effectiveness applied: the assumptions'' central value (facility kWh per IT kWh).';
COMMENT ON COLUMN marts.mining_profitability_daily.coins_per_day IS 'device / network hashrate x coins issued that day, coins per device and day.';
COMMENT ON COLUMN marts.mining_profitability_daily.close_usd IS 'The coin''s close that day, USD.';
COMMENT ON COLUMN marts.mining_profitability_daily.network_hashrate_hs IS 'Network hashrate that day, hashes per second.';
COMMENT ON COLUMN marts.mining_profitability_daily.issued_coins IS 'Block rewards + fees that day, coins (fees 0 when unknown).';
COMMENT ON COLUMN marts.mining_profitability_daily.fees_known IS 'The day''s fees were in the network data.';
COMMENT ON COLUMN marts.mining_profitability_daily.issuance_basis IS 'network data | nominal: block_rewards.csv (reward x blocks per day, where the chain data give no issuance).';
COMMENT ON COLUMN marts.mining_profitability_daily.hashprice_basis IS 'What revenue and hashprice count that day: block subsidy + fees (the network data have the day''s fees) | block subsidy only (no fee data for this day). Never a silent zero for fees.';
COMMENT ON COLUMN marts.mining_profitability_daily.hashprice_usd_per_th_day IS 'USD earned per TH/s per day on this coin: (block subsidy + fees where known) x close / network TH/s; see hashprice_basis.';
COMMENT ON COLUMN marts.mining_profitability_daily.breakeven_j_per_gh IS 'Cambridge (CBECI) break-even efficiency at this price, J/GH: a device below it earns more than its power (PUE 1).';
COMMENT ON COLUMN marts.mining_profitability_daily.device_j_per_gh IS 'The device''s efficiency at the wall, J/GH (device_power_w / hashrate in GH/s).';
COMMENT ON COLUMN marts.mining_profitability_daily.below_breakeven IS 'device_j_per_gh < breakeven_j_per_gh.';
COMMENT ON COLUMN marts.mining_profitability_daily.device_source IS 'Where the device''s figures come from (core.hardware_specs.source, or the assumption used).';
COMMENT ON COLUMN marts.mining_profitability_daily.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.mining_profitability_daily.model_version IS 'Model code version.';

-- marts.ai_fleet_daily ---------------------------------------------------------------------------
COMMENT ON TABLE marts.ai_fleet_daily IS 'Installed and idle AI accelerators per company and day (p05/p50/p95 of a seeded Monte Carlo): filed capex, then announced plans (each once, from its announcement on), x the company''s accelerator share x accelerators per USD within a service life, floored by the leaks'' device counts; idle = installed x idle share. NULL (not 0) on a day no filed quarter, plan or leak of the company covers (see basis).';
COMMENT ON COLUMN marts.ai_fleet_daily.company IS 'Canonical company name (Microsoft, not ''Microsoft Azure'').';
COMMENT ON COLUMN marts.ai_fleet_daily.date IS 'The UTC day (DATE); the model''s days start with the first fleet evidence (filed quarter, plan or leak) of any company.';
COMMENT ON COLUMN marts.ai_fleet_daily.gpus_p05 IS '5th percentile of installed accelerators, devices; NULL where the fleet is unknown in some draw (basis says why).';
COMMENT ON COLUMN marts.ai_fleet_daily.gpus_p50 IS 'Median installed accelerators, devices.';
COMMENT ON COLUMN marts.ai_fleet_daily.gpus_p95 IS '95th percentile of installed accelerators, devices.';
COMMENT ON COLUMN marts.ai_fleet_daily.idle_share_p50 IS 'Median of the idle_share range, 0..1 (the same for every company and day).';
COMMENT ON COLUMN marts.ai_fleet_daily.idle_gpus_p05 IS '5th percentile of idle accelerators, devices.';
COMMENT ON COLUMN marts.ai_fleet_daily.idle_gpus_p50 IS 'Median idle accelerators, devices.';
COMMENT ON COLUMN marts.ai_fleet_daily.idle_gpus_p95 IS '95th percentile of idle accelerators, devices.';
COMMENT ON COLUMN marts.ai_fleet_daily.leak_gpus IS 'Devices the leaked sheets claim that day (largest document), devices; NULL: no leak covers the day.';
COMMENT ON COLUMN marts.ai_fleet_daily.idle_share_leak IS 'The leaks'' own idle share, 1 - device-weighted utilisation, 0..1; NULL: no leak covers the day.';
COMMENT ON COLUMN marts.ai_fleet_daily.basis IS 'capex | capex; leak count as floor | unknown: no capex, plan or leak evidence for this day | unknown: the evidence''s spend is retired within some draws'' service life.';
COMMENT ON COLUMN marts.ai_fleet_daily.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.ai_fleet_daily.model_version IS 'Model code version.';

-- marts.mining_contribution_daily ----------------------------------------------------------------
COMMENT ON TABLE marts.mining_contribution_daily IS 'The idle fleet (all companies) mining each coin with network data, on every modelled day: its hashrate, its share of blocks if it joined the network as observed (fleet / (network + fleet)), and the coins and USD that share earns; 0 on proof-of-stake days (a known zero), NULL with unknown_reason on a day that may be proof of work but lacks network hashrate, issuance, price or a consensus. p05/p50/p95 of the Monte Carlo.';
COMMENT ON COLUMN marts.mining_contribution_daily.date IS 'The UTC day (DATE).';
COMMENT ON COLUMN marts.mining_contribution_daily.coin IS 'Coin ticker.';
COMMENT ON COLUMN marts.mining_contribution_daily.algorithm IS 'The coin''s hash algorithm.';
COMMENT ON COLUMN marts.mining_contribution_daily.consensus IS 'pow | pos that day (core.consensus_periods); NULL when the table does not list the coin: the day is unknown, not 0.';
COMMENT ON COLUMN marts.mining_contribution_daily.network_hashrate_hs IS 'Observed network hashrate, hashes per second; NULL on a day without network data.';
COMMENT ON COLUMN marts.mining_contribution_daily.fleet_hashrate_hs_p05 IS '5th percentile of the idle fleet''s hashrate on this algorithm, hashes per second.';
COMMENT ON COLUMN marts.mining_contribution_daily.fleet_hashrate_hs_p50 IS 'Median idle fleet hashrate, hashes per second.';
COMMENT ON COLUMN marts.mining_contribution_daily.fleet_hashrate_hs_p95 IS '95th percentile of the idle fleet hashrate, hashes per second.';
COMMENT ON COLUMN marts.mining_contribution_daily.network_share_p05 IS '5th percentile of the fleet''s share of blocks, fleet / (network + fleet), 0..1; 0 on a day known not to be proof of work, NULL when unknown (see unknown_reason).';
COMMENT ON COLUMN marts.mining_contribution_daily.network_share_p50 IS 'Median share of blocks, 0..1.';
COMMENT ON COLUMN marts.mining_contribution_daily.network_share_p95 IS '95th percentile of the share of blocks, 0..1.';
COMMENT ON COLUMN marts.mining_contribution_daily.coins_per_day_p05 IS '5th percentile of coins the share earns that day (share x issuance), coins; NULL when the share or the issuance is unknown.';
COMMENT ON COLUMN marts.mining_contribution_daily.coins_per_day_p50 IS 'Median coins earned that day, coins.';
COMMENT ON COLUMN marts.mining_contribution_daily.coins_per_day_p95 IS '95th percentile of coins earned that day, coins.';
COMMENT ON COLUMN marts.mining_contribution_daily.usd_per_day_p05 IS '5th percentile of USD earned that day (coins x close, a close up to 7 days old), USD; NULL when issuance or price is unknown.';
COMMENT ON COLUMN marts.mining_contribution_daily.usd_per_day_p50 IS 'Median USD earned that day, USD.';
COMMENT ON COLUMN marts.mining_contribution_daily.usd_per_day_p95 IS '95th percentile of USD earned that day, USD.';
COMMENT ON COLUMN marts.mining_contribution_daily.fleet_to_network_p50 IS 'Median fleet / observed network hashrate: above 1 the observed network could not have contained such a fleet; 0 on a day known not to be proof of work, NULL without a network hashrate.';
COMMENT ON COLUMN marts.mining_contribution_daily.fleet_power_cost_usd_per_day_p50 IS 'Median power bill of the whole idle fleet that day (board W x server overhead x 24 x PUE x fleet USD/kWh / 1000, with overhead, PUE and price drawn: power at the wall, the basis of mining_profitability_daily), USD; the same for every coin.';
COMMENT ON COLUMN marts.mining_contribution_daily.hashrate_basis IS 'Where the fleet device''s hashrate comes from: benchmark (with source) | assumption range <name>.';
COMMENT ON COLUMN marts.mining_contribution_daily.unknown_reason IS 'Why share, coins or USD are NULL that day (no network data, no positive hashrate on a proof-of-work day, no issuance, the coin not in core.consensus_periods, no close within 7 days); NULL when every value is known.';
COMMENT ON COLUMN marts.mining_contribution_daily.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.mining_contribution_daily.model_version IS 'Model code version.';

-- marts.rally_attribution ------------------------------------------------------------------------
COMMENT ON TABLE marts.rally_attribution IS 'How much of each coin''s rally over a window each channel (hashrate, flow, event, residual) could explain, as a share of the rally''s log return and as a log return, p05/p50/p95. subject idle_ai_mining is the claim; spot_etf_flows is the yardstick.';
COMMENT ON COLUMN marts.rally_attribution.coin IS 'Coin ticker (BTC, ETH, ETC, XMR).';
COMMENT ON COLUMN marts.rally_attribution.window_name IS 'Rally window name (assumptions [windows] or the asset''s config).';
COMMENT ON COLUMN marts.rally_attribution.window_start IS 'First day of the window (DATE, UTC).';
COMMENT ON COLUMN marts.rally_attribution.window_end IS 'Last day of the window (DATE, UTC).';
COMMENT ON COLUMN marts.rally_attribution.subject IS 'idle_ai_mining (the claim) | spot_etf_flows (the same flow channel on spot-ETF net flows).';
COMMENT ON COLUMN marts.rally_attribution.rally_log_return IS 'ln(close on last_priced_day / close on first_priced_day).';
COMMENT ON COLUMN marts.rally_attribution.channel IS 'hashrate | flow | event | residual (the rally minus the other three).';
COMMENT ON COLUMN marts.rally_attribution.share_p05 IS '5th percentile of the channel''s share of the rally''s log return (1 = all of it); NULL where the price fell or did not move (no rally to share) or the channel is unknown, see share_reason.';
COMMENT ON COLUMN marts.rally_attribution.share_p50 IS 'Median share of the rally''s log return; NULL with share_reason as share_p05.';
COMMENT ON COLUMN marts.rally_attribution.share_p95 IS '95th percentile of the share; NULL with share_reason as share_p05.';
COMMENT ON COLUMN marts.rally_attribution.share_reason IS 'Why share_* is NULL: the window''s log return is negative or zero (not a rally: read the channel in log-return points, log_return_*), or the channel is unknown (see inputs). NULL when the shares are stated.';
COMMENT ON COLUMN marts.rally_attribution.log_return_p05 IS '5th percentile of the log return the channel explains (log-return points; stated for falling windows too). hashrate: elasticity x (-ln(1 - s_end) + ln(1 - s_start)), the fleet''s share of blocks at the window''s end and start (log terms averaged over its first and last 7 proof-of-work days, per draw). event: the constant-mean event study, unknown unless every cluster is estimable.';
COMMENT ON COLUMN marts.rally_attribution.log_return_p50 IS 'Median log return the channel explains.';
COMMENT ON COLUMN marts.rally_attribution.log_return_p95 IS '95th percentile of the log return the channel explains.';
COMMENT ON COLUMN marts.rally_attribution.method IS 'How the channel is computed (formula or event-study design).';
COMMENT ON COLUMN marts.rally_attribution.inputs IS 'What the channel used (network coverage, flows, event clusters, market value).';
COMMENT ON COLUMN marts.rally_attribution.first_priced_day IS 'First day in the window with a close (DATE, UTC).';
COMMENT ON COLUMN marts.rally_attribution.last_priced_day IS 'Last day in the window with a close (DATE, UTC).';
COMMENT ON COLUMN marts.rally_attribution.market_value_usd IS 'The coin''s market value on first_priced_day, USD.';
COMMENT ON COLUMN marts.rally_attribution.market_value_how IS 'core.prices_daily.market_cap_usd, or close x circulating supply from the assumptions.';
COMMENT ON COLUMN marts.rally_attribution.event_clusters_estimable IS 'Event channel rows only (else NULL, not applicable): event clusters in the window the primary (constant-mean) model could estimate. Below event_clusters_total the event channel and the residual are NULL: a partial sum is not the channel.';
COMMENT ON COLUMN marts.rally_attribution.event_clusters_total IS 'Event channel rows only (else NULL): event clusters whose event window reaches into the rally''s return days (marts.event_study); 0 = no event, the channel is a known 0.';
COMMENT ON COLUMN marts.rally_attribution.crypto_benchmark_log_return_p05 IS 'Event channel rows only (else NULL): 5th percentile of the summed CAR from the market model on the crypto benchmark (marts.event_study model market), reported beside the primary constant-mean estimate; it nets out any crypto-wide reaction, which the claim itself asserts. NULL unless every cluster is estimable under it.';
COMMENT ON COLUMN marts.rally_attribution.crypto_benchmark_log_return_p50 IS 'Median of the crypto-benchmark event estimate, log return (see crypto_benchmark_log_return_p05).';
COMMENT ON COLUMN marts.rally_attribution.crypto_benchmark_log_return_p95 IS '95th percentile of the crypto-benchmark event estimate, log return.';
COMMENT ON COLUMN marts.rally_attribution.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.rally_attribution.model_version IS 'Model code version.';

-- marts.event_study ------------------------------------------------------------------------------
COMMENT ON TABLE marts.event_study IS 'The event channel in detail (MacKinlay 1997): one row per event cluster (events whose windows overlap) per coin, subject, rally window and model, with the fit and the cumulative abnormal return with its confidence interval. model constant_mean is the primary estimate the attribution uses (the claim asserts a crypto-wide reaction, which a crypto benchmark would net out, and the data hold no non-crypto benchmark); model market, on the other coins, is reported beside it. Events are dated public events (core.events, capex announcements), not the period ends of undated leaked sheets. Returns are daily log returns.';
COMMENT ON COLUMN marts.event_study.asset IS 'Coin ticker.';
COMMENT ON COLUMN marts.event_study.subject IS 'idle_ai_mining | spot_etf_flows: whose events these are.';
COMMENT ON COLUMN marts.event_study.window_name IS 'The rally window the events fall in.';
COMMENT ON COLUMN marts.event_study.cluster_start IS 'First event day of the cluster (DATE, UTC).';
COMMENT ON COLUMN marts.event_study.cluster_end IS 'Last event day of the cluster (DATE, UTC).';
COMMENT ON COLUMN marts.event_study.event_count IS 'Events in the cluster.';
COMMENT ON COLUMN marts.event_study.titles IS 'The events, kind: title, joined.';
COMMENT ON COLUMN marts.event_study.window_start IS 'First abnormal-return day (DATE, UTC): the event window clipped to the rally''s return days (the day after its first priced day to its last).';
COMMENT ON COLUMN marts.event_study.window_end IS 'Last abnormal-return day (DATE, UTC), clipped to the rally''s last priced day.';
COMMENT ON COLUMN marts.event_study.estimation_start IS 'First day of the estimation window (DATE, UTC).';
COMMENT ON COLUMN marts.event_study.estimation_end IS 'Last day of the estimation window (DATE, UTC).';
COMMENT ON COLUMN marts.event_study.n_estimation IS 'Days with returns used to fit the model.';
COMMENT ON COLUMN marts.event_study.alpha IS 'Market-model intercept, daily log return.';
COMMENT ON COLUMN marts.event_study.beta IS 'Market-model slope on the benchmark''s daily log return; NULL for the constant-mean model.';
COMMENT ON COLUMN marts.event_study.sigma IS 'Standard deviation of the model''s daily residuals, log return.';
COMMENT ON COLUMN marts.event_study.car IS 'Cumulative abnormal log return over window_start..window_end.';
COMMENT ON COLUMN marts.event_study.car_se IS 'Standard error of car, including the market model''s estimation error.';
COMMENT ON COLUMN marts.event_study.t_stat IS 'car / car_se.';
COMMENT ON COLUMN marts.event_study.p_value IS 'Two-sided p-value of t_stat (Student t).';
COMMENT ON COLUMN marts.event_study.ci_low IS 'Lower end of car''s confidence interval (level: model_assumptions event_study).';
COMMENT ON COLUMN marts.event_study.ci_high IS 'Upper end of car''s confidence interval.';
COMMENT ON COLUMN marts.event_study.benchmark IS 'The market proxy of model market (equal-weighted daily log return of the other coins), or none: constant-mean model.';
COMMENT ON COLUMN marts.event_study.model IS 'constant_mean (the primary estimate, used by marts.rally_attribution) | market (market model on the crypto benchmark, beside it).';
COMMENT ON COLUMN marts.event_study.status IS 'ok, or why the cluster could not be estimated.';
COMMENT ON COLUMN marts.event_study.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.event_study.model_version IS 'Model code version.';

-- marts.sensitivity ------------------------------------------------------------------------------
COMMENT ON TABLE marts.sensitivity IS 'Data for tornado charts: each headline result with every range at its central value (result_base) and with one range at its low and its high end. rank 1 = the assumption that moves the result most.';
COMMENT ON COLUMN marts.sensitivity.metric IS 'idle_gpus_total_at_window_end (devices) | fleet_network_share_mean (0..1) | rally_share (share of the rally''s log return; NULL where the window''s price fell or did not move).';
COMMENT ON COLUMN marts.sensitivity.coin IS 'Coin ticker; NULL for a metric over all coins.';
COMMENT ON COLUMN marts.sensitivity.window_name IS 'Rally window.';
COMMENT ON COLUMN marts.sensitivity.subject IS 'idle_ai_mining | spot_etf_flows for rally_share; else NULL.';
COMMENT ON COLUMN marts.sensitivity.channel IS 'hashrate | flow | event | residual for rally_share; else NULL.';
COMMENT ON COLUMN marts.sensitivity.assumption IS 'The range varied (marts.model_assumptions.name).';
COMMENT ON COLUMN marts.sensitivity.assumption_low IS 'Its low end, in assumption_unit.';
COMMENT ON COLUMN marts.sensitivity.assumption_high IS 'Its high end, in assumption_unit.';
COMMENT ON COLUMN marts.sensitivity.assumption_unit IS 'Unit of the assumption.';
COMMENT ON COLUMN marts.sensitivity.result_base IS 'The metric with every range at its central value, in the metric''s unit.';
COMMENT ON COLUMN marts.sensitivity.result_at_low IS 'The metric with this assumption at its low end.';
COMMENT ON COLUMN marts.sensitivity.result_at_high IS 'The metric with this assumption at its high end.';
COMMENT ON COLUMN marts.sensitivity.swing IS '|result_at_high - result_at_low|, in the metric''s unit.';
COMMENT ON COLUMN marts.sensitivity.rank IS '1 = the assumption that moves this result most; NULL: it does not move it (or the result is unknown).';
COMMENT ON COLUMN marts.sensitivity.assumption_set IS 'Assumptions file version + sha256 prefix.';
COMMENT ON COLUMN marts.sensitivity.model_version IS 'Model code version.';

-- marts.hashrate_price_causality -----------------------------------------------------------------
COMMENT ON TABLE marts.hashrate_price_causality IS 'Does hashrate lead price, or price hashrate? Granger F-tests in both directions between log changes of network hashrate and log returns, per proof-of-work coin, frequency and sample (each rally window and the whole common history), lag order by an information criterion, stationarity checked first (pipelines/lib/chain/causality.py). A mining-driven rally needs hashrate_to_price; the literature finds price_to_hashrate for Bitcoin.';
COMMENT ON COLUMN marts.hashrate_price_causality.coin IS 'Ticker of a proof-of-work coin (its proof-of-work days only).';
COMMENT ON COLUMN marts.hashrate_price_causality.sample IS 'full_history (every day both series are known) or the name of a rally window (model_assumptions.toml [windows]).';
COMMENT ON COLUMN marts.hashrate_price_causality.frequency IS 'daily (one-day log changes) | weekly (change of the week''s mean hashrate and last close, weeks ending Sunday).';
COMMENT ON COLUMN marts.hashrate_price_causality.sample_start IS 'First period end with both changes in the sample (the window''s start when there are none).';
COMMENT ON COLUMN marts.hashrate_price_causality.sample_end IS 'Last period end with both changes in the sample.';
COMMENT ON COLUMN marts.hashrate_price_causality.direction IS 'hashrate_to_price (do past hashrate changes help predict returns?) | price_to_hashrate (the reverse).';
COMMENT ON COLUMN marts.hashrate_price_causality.lags IS 'Lag order of the bivariate VAR, in periods, chosen by `criterion` up to max_lag; NULL when not tested.';
COMMENT ON COLUMN marts.hashrate_price_causality.statistic IS 'F statistic of the test that the causing series'' lags add nothing; NULL (never 0) when not tested.';
COMMENT ON COLUMN marts.hashrate_price_causality.p_value IS 'p-value of the F-test, 0..1; small = the direction is supported. NULL when not tested (see reason).';
COMMENT ON COLUMN marts.hashrate_price_causality.df_num IS 'Numerator degrees of freedom of the F-test (= lags).';
COMMENT ON COLUMN marts.hashrate_price_causality.df_denom IS 'Denominator degrees of freedom of the F-test.';
COMMENT ON COLUMN marts.hashrate_price_causality.n_obs IS 'Periods (days or weeks) of both changes in the sample.';
COMMENT ON COLUMN marts.hashrate_price_causality.differences IS '1: the test ran on log changes; 2: an ADF test found a unit root at 5 % and both series were differenced again.';
COMMENT ON COLUMN marts.hashrate_price_causality.adf_p_hashrate IS 'Augmented Dickey-Fuller p-value of the hashrate series tested (AIC lag).';
COMMENT ON COLUMN marts.hashrate_price_causality.adf_p_price IS 'Augmented Dickey-Fuller p-value of the return series tested (AIC lag).';
COMMENT ON COLUMN marts.hashrate_price_causality.criterion IS 'The information criterion that chose the lag order: aic | bic.';
COMMENT ON COLUMN marts.hashrate_price_causality.max_lag IS 'The largest lag order considered: at most one lag per 10 periods, never over 28 days or 8 weeks.';
COMMENT ON COLUMN marts.hashrate_price_causality.method IS 'The test as run, in words.';
COMMENT ON COLUMN marts.hashrate_price_causality.reason IS 'Why statistic and p_value are NULL (sample too short, a series missing, not stationary); NULL when tested.';

-- marts.mining_vs_rental_daily -------------------------------------------------------------------
COMMENT ON TABLE marts.mining_vs_rental_daily IS 'What an idle H100 or A100 earns mining a coin against what the same GPU-day would earn rented out at public list prices (model_assumptions.toml [rental]), per coin, device and day (pipelines/lib/models/rental.py). NULL with a reason where the revenue or a rental price is unknown.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.coin IS 'Ticker of the mined coin.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.date IS 'UTC day.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.device IS 'The modelled device (as in marts.mining_profitability_daily).';
COMMENT ON COLUMN marts.mining_vs_rental_daily.rental_device IS 'The [rental] key the device''s name holds as a word: H100 | A100.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.mining_usd_per_gpu_day IS 'Mining revenue of one device that day, USD (before power; marts.mining_profitability_daily.revenue_usd_per_day).';
COMMENT ON COLUMN marts.mining_vs_rental_daily.rental_usd_per_gpu_day_low IS 'Lowest public list price of renting the device, USD per GPU-hour x 24.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.rental_usd_per_gpu_day_central IS 'Central public list price of renting the device, USD per GPU-hour x 24.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.rental_usd_per_gpu_day_high IS 'Highest public list price (hyperscaler on demand), USD per GPU-hour x 24.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.ratio_low IS 'mining_usd_per_gpu_day / rental_usd_per_gpu_day_high.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.ratio IS 'mining_usd_per_gpu_day / rental_usd_per_gpu_day_central: the share of the rental income the mining hour earns (below 1: mining gives up rental income).';
COMMENT ON COLUMN marts.mining_vs_rental_daily.ratio_high IS 'mining_usd_per_gpu_day / rental_usd_per_gpu_day_low.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.hashrate_basis IS 'Where the device''s hashrate on the coin''s algorithm came from (benchmark | assumption (central) ...).';
COMMENT ON COLUMN marts.mining_vs_rental_daily.rental_source IS 'The list prices used and their sources.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.reason IS 'Why a ratio is NULL (no revenue that day, no rental price for that date); NULL when known.';
COMMENT ON COLUMN marts.mining_vs_rental_daily.assumption_set IS 'The assumptions file (version + sha256 prefix) the rental prices came from.';

-- marts.hashrate_breaks ---------------------------------------------------------------------------
COMMENT ON TABLE marts.hashrate_breaks IS 'Level shifts in each proof-of-work coin''s daily log network hashrate (pipelines/lib/chain/breaks.py): ruptures PELT with the l2 cost and one penalty rule for every coin, 2 x sigma^2 x log(n) with sigma the series'' own day-to-day noise (MAD of first differences). Steps up and down; a break inside a run of missing days is not reported.';
COMMENT ON COLUMN marts.hashrate_breaks.coin IS 'Coin ticker.';
COMMENT ON COLUMN marts.hashrate_breaks.break_date IS 'First day of the new level (UTC DATE).';
COMMENT ON COLUMN marts.hashrate_breaks.direction IS 'up (hashrate arrived) | down (hashrate left).';
COMMENT ON COLUMN marts.hashrate_breaks.step_log IS 'Signed log change of the level: median log hashrate of up to 14 days after the break minus that of up to 14 days before (within the neighbouring segments). 0.5 = x1.65.';
COMMENT ON COLUMN marts.hashrate_breaks.level_before_hs IS 'Median network hashrate before the break, hashes per second.';
COMMENT ON COLUMN marts.hashrate_breaks.level_after_hs IS 'Median network hashrate after the break, hashes per second.';
COMMENT ON COLUMN marts.hashrate_breaks.method IS 'The detector: pelt_l2_log_hashrate (ruptures PELT, l2 cost, min segment 7 days).';
COMMENT ON COLUMN marts.hashrate_breaks.score IS '|step_log| in standard errors of a difference of medians at the series'' noise; above ~3 the step is not noise.';
COMMENT ON COLUMN marts.hashrate_breaks.noise_sigma_log IS 'The series'' day-to-day noise in log hashrate (MAD of first differences x 1.4826 / sqrt 2).';
COMMENT ON COLUMN marts.hashrate_breaks.penalty IS 'The PELT penalty used for this coin: 2 x noise_sigma_log^2 x log(days_in_series).';
COMMENT ON COLUMN marts.hashrate_breaks.days_in_series IS 'Days from the coin''s first to its last proof-of-work hashrate (gaps included).';

-- marts.fleet_detectability -----------------------------------------------------------------------
COMMENT ON TABLE marts.fleet_detectability IS 'Would the chain show the fleet? (pipelines/lib/chain/detectability.py) Per proof-of-work coin and rally window (the models'' idle fleet), per leaked sheet line naming a coin and a period and per sheet (its lines summed): the step in log network hashrate the fleet would make, the smallest step the change-point detector finds in 95 % of seeded trials injected into the real series around that date, the largest step up observed, the step down near the period end (the withdrawal the claim predicts), and a verdict.';
COMMENT ON COLUMN marts.fleet_detectability.coin IS 'Coin ticker.';
COMMENT ON COLUMN marts.fleet_detectability.subject IS 'rally_window (the models'' idle fleet) | sheet_line (one leaked line''s claim) | sheet_document (a document''s lines for one coin and period, summed).';
COMMENT ON COLUMN marts.fleet_detectability.subject_id IS 'The window name | document_id:table_index:row_index | document_id:coin.';
COMMENT ON COLUMN marts.fleet_detectability.period_start IS 'The day the step is placed: the window''s first day with fleet data, or the sheet''s period start.';
COMMENT ON COLUMN marts.fleet_detectability.period_end IS 'Last day of the window or the sheet''s period.';
COMMENT ON COLUMN marts.fleet_detectability.network_hashrate_hs IS 'Observed network hashrate on period_start (or the latest day within 7 before), hashes per second.';
COMMENT ON COLUMN marts.fleet_detectability.implied_hashrate_hs_p05 IS '5th percentile of the fleet''s hashrate (the sheet''s claim on sheet rows), hashes per second.';
COMMENT ON COLUMN marts.fleet_detectability.implied_hashrate_hs_p50 IS 'Median fleet hashrate (the sheet''s claim on sheet rows), hashes per second.';
COMMENT ON COLUMN marts.fleet_detectability.implied_hashrate_hs_p95 IS '95th percentile of the fleet hashrate (the sheet''s claim on sheet rows), hashes per second.';
COMMENT ON COLUMN marts.fleet_detectability.implied_step_log_p05 IS 'log(1 + fleet / network) at the fleet''s p05: the step if the fleet joined the network as observed (the smaller of the two readings; inside the observed network it would be -log(1 - fleet/network)). NULL when fleet or network is unknown.';
COMMENT ON COLUMN marts.fleet_detectability.implied_step_log_p50 IS 'The same at the fleet''s median.';
COMMENT ON COLUMN marts.fleet_detectability.implied_step_log_p95 IS 'The same at the fleet''s p95.';
COMMENT ON COLUMN marts.fleet_detectability.claimed_step_log IS 'Sheet rows: the sheet''s own claimed hashrate as log(1 + claimed / network); NULL on rally_window rows.';
COMMENT ON COLUMN marts.fleet_detectability.min_detectable_step_log IS 'Smallest step (log) found within 3 days in 95 % of seeded trials injected into the real series within 90 days of period_start (model_assumptions.toml [detectability]); NULL when the series is too short there.';
COMMENT ON COLUMN marts.fleet_detectability.observed_step_log IS 'Largest step up in marts.hashrate_breaks from 30 days before period_start to period_end (0: none found in the chain data; NULL when the chain has no data over that span, so no step could be looked for).';
COMMENT ON COLUMN marts.fleet_detectability.observed_break_date IS 'Date of that step; NULL when none.';
COMMENT ON COLUMN marts.fleet_detectability.withdrawal_step_log IS 'Most negative step in marts.hashrate_breaks within 30 days of period_end: the withdrawal the claim predicts when AI load rises; NULL when none.';
COMMENT ON COLUMN marts.fleet_detectability.withdrawal_break_date IS 'Date of that step down; NULL when none.';
COMMENT ON COLUMN marts.fleet_detectability.withdrawal_matches IS 'A step down near period_end at least as large as the implied p50 step; NULL when the implied step is unknown.';
COMMENT ON COLUMN marts.fleet_detectability.verdict IS 'visible_and_absent (implied p05 >= detectable and no observed step that large: evidence against the claim) | visible_and_present | too_small_to_see (implied p95 < detectable) | unknown (a missing input, named in reason, or inconclusive: the detection limit lies between p05 and p95).';
COMMENT ON COLUMN marts.fleet_detectability.reason IS 'The numbers behind the verdict, the missing input when unknown, and the basis (host CPUs counted or not; the sheet''s own claim).';
COMMENT ON COLUMN marts.fleet_detectability.host_cpus_counted IS 'RandomX (Monero) rows: whether the idle servers'' host CPUs are counted (model_assumptions.toml detectability.count_host_cpus); NULL for other algorithms.';

-- meta (bookkeeping, not for analysts) -----------------------------------------------------------
COMMENT ON TABLE meta.schema_digest IS 'Bookkeeping: the sha256 of pipelines/sql/core/schema.sql this file was built under; a file built under another version is set aside and rebuilt.';
COMMENT ON COLUMN meta.schema_digest.digest IS 'sha256 (hex) of pipelines/sql/core/schema.sql.';
COMMENT ON TABLE meta.model_inputs IS 'Bookkeeping: the digest of the inputs, assumptions, model code and reference tables the model marts were last built from (an unchanged digest skips the models).';
COMMENT ON COLUMN meta.model_inputs.digest IS 'sha256 (hex) of the models'' inputs, assumptions and windows, and of the content of the model code (every pipelines module it imports) and the reference tables it reads.';
COMMENT ON TABLE meta.mart_inputs IS 'Bookkeeping: per mart, the content digests of what it was last built from (part empty for the inputs, settings and code every row shares; a document_id for that document''s own lines and metadata), so an unchanged mart, or an unchanged document''s rows, is kept instead of recomputed.';
COMMENT ON COLUMN meta.mart_inputs.mart IS 'The mart the digests belong to.';
COMMENT ON COLUMN meta.mart_inputs.part IS 'Empty for the inputs, settings and code every row shares (the whole mart''s digest); a document_id for that document''s own inputs.';
COMMENT ON COLUMN meta.mart_inputs.digest IS 'sha256 (hex) of the part''s inputs when the mart was last written.';
COMMENT ON TABLE meta.document_metadata_code IS 'Bookkeeping: the digest of the forensics code core.document_metadata was read with (unchanged: only documents without a row are read; changed: every document is read again).';
COMMENT ON COLUMN meta.document_metadata_code.digest IS 'sha256 (hex) of the content of pipelines/lib/forensics and every pipelines module it imports, with the reference tables it reads.';
COMMENT ON TABLE meta.views_digest IS 'Bookkeeping: the sha256 of pipelines/sql/views/*.sql and pipelines/sql/core/comments.sql last applied (a changed file re-applies the views and comments, never the tables).';
COMMENT ON COLUMN meta.views_digest.digest IS 'sha256 (hex) of the view and comment files.';
