-- The warehouse schema (data-contract.md). Run on every write connection: only IF NOT EXISTS.
-- Units: money USD, hashrate H/s (*_hs), power W, energy kWh, DATE in UTC, TIMESTAMPTZ.
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;

-- One row per file found under the raw folder (path is the key; the same bytes may sit at two paths).
CREATE TABLE IF NOT EXISTS core.document_inventory (
    path            VARCHAR PRIMARY KEY,   -- relative to the raw folder, '/'-separated
    document_id     VARCHAR,               -- sha256 of the bytes (NULL when the file could not be read)
    kind            VARCHAR NOT NULL,      -- cost_sheet | capex | prices | network | hardware | fx | flows | events | unknown
    media_type      VARCHAR,
    bytes           BIGINT,
    duplicate_of    VARCHAR,               -- path first seen with the same bytes
    inventory_error VARCHAR,               -- why the file could not even be registered for parsing
    first_seen_at   TIMESTAMPTZ NOT NULL,
    parent_document_id VARCHAR,            -- sha256 of the archive or e-mail that held it (NULL: top-level file)
    member_path     VARCHAR,               -- its path inside that container ('/'-separated, sanitised)
    container       VARCHAR                -- zip | 7z | tar | eml | msg | mbox when it holds documents, else NULL
);

-- What the parser of each file's kind made of it.
CREATE TABLE IF NOT EXISTS core.document_outcomes (
    path             VARCHAR NOT NULL,
    document_id      VARCHAR NOT NULL,
    parser           VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,     -- loaded | quarantined
    error            VARCHAR,
    pages            INTEGER,
    rows_loaded      BIGINT,
    rows_quarantined BIGINT,
    loaded_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (path, document_id)
);

CREATE OR REPLACE VIEW core.documents AS
SELECT
    i.document_id,
    i.path,
    i.kind,
    i.media_type,
    i.bytes,
    o.pages,
    CASE
        WHEN i.duplicate_of IS NOT NULL THEN 'duplicate'
        WHEN i.inventory_error IS NOT NULL THEN 'quarantined'
        ELSE coalesce(o.status, 'pending')   -- pending: registered, its parser has not run yet
    END AS status,
    i.duplicate_of,
    coalesce(i.inventory_error, o.error) AS error,
    i.first_seen_at,
    o.loaded_at,
    o.rows_loaded,
    o.rows_quarantined,
    i.parent_document_id,
    i.member_path,
    i.container
FROM core.document_inventory AS i
LEFT JOIN core.document_outcomes AS o USING (path, document_id);

CREATE TABLE IF NOT EXISTS core.quarantine (
    source_table   VARCHAR NOT NULL,       -- the table the record was meant for (or 'documents')
    document_id    VARCHAR,
    locator        VARCHAR NOT NULL,       -- 'file', 'line 17', 'page 3 row 4', ...
    raw_record     JSON,                   -- what was read, as JSON
    reason         VARCHAR NOT NULL,       -- a sentence a person understands
    check_name     VARCHAR NOT NULL,       -- the rule that rejected it
    quarantined_at TIMESTAMPTZ NOT NULL,
    stage          VARCHAR NOT NULL        -- inventory | parse | validation: which step put it here
);

-- Every daily bar from every price file, before choosing one source per asset and day.
CREATE TABLE IF NOT EXISTS core.price_observations (
    asset          VARCHAR NOT NULL,
    date           DATE NOT NULL,
    open           DOUBLE,
    high           DOUBLE,
    low            DOUBLE,
    close_usd      DOUBLE NOT NULL,
    volume_usd     DOUBLE,
    market_cap_usd DOUBLE,
    source         VARCHAR NOT NULL,
    quote_currency VARCHAR NOT NULL,       -- USD, or USDT for Binance pairs (taken at par)
    bars           INTEGER NOT NULL,       -- input rows aggregated into this daily bar
    source_rank    INTEGER NOT NULL,       -- lower wins when several files give the same day
    is_synthetic   BOOLEAN NOT NULL,       -- the file says the value was synthesised or approximate
    document_id    VARCHAR NOT NULL,
    PRIMARY KEY (document_id, asset, date)
);

CREATE TABLE IF NOT EXISTS core.prices_daily (
    asset          VARCHAR NOT NULL,
    date           DATE NOT NULL,
    open           DOUBLE,
    high           DOUBLE,
    low            DOUBLE,
    close_usd      DOUBLE NOT NULL,
    volume_usd     DOUBLE,
    market_cap_usd DOUBLE,
    source         VARCHAR NOT NULL,
    is_synthetic   BOOLEAN NOT NULL,
    document_id    VARCHAR NOT NULL,
    PRIMARY KEY (asset, date)
);

CREATE TABLE IF NOT EXISTS core.network_observations (
    coin               VARCHAR NOT NULL,
    date               DATE NOT NULL,
    hashrate_hs        DOUBLE,
    difficulty         DOUBLE,
    block_reward_coins DOUBLE,
    blocks_per_day     DOUBLE,
    issuance_coins     DOUBLE,
    fees_coins         DOUBLE,
    source             VARCHAR NOT NULL,
    source_rank        INTEGER NOT NULL,
    is_synthetic       BOOLEAN NOT NULL,   -- the file says the value was synthesised or approximate
    document_id        VARCHAR NOT NULL,
    PRIMARY KEY (document_id, coin, date)
);

-- Which consensus a chain ran on which dates (loaded from pipelines/reference/consensus_periods.csv).
CREATE TABLE IF NOT EXISTS core.consensus_periods (
    coin       VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    valid_to   DATE,                       -- exclusive; NULL = still in force
    consensus  VARCHAR NOT NULL,           -- pow | pos
    source     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.network_daily (
    coin               VARCHAR NOT NULL,
    date               DATE NOT NULL,
    hashrate_hs        DOUBLE,
    difficulty         DOUBLE,
    block_reward_coins DOUBLE,
    blocks_per_day     DOUBLE,
    issuance_coins     DOUBLE,
    fees_coins         DOUBLE,
    consensus          VARCHAR,            -- pow | pos from core.consensus_periods; NULL if the coin is not listed there
    sources            VARCHAR NOT NULL,   -- the files whose values were combined, by rank
    is_synthetic       BOOLEAN NOT NULL,   -- a combined value came from a synthesised or approximate row
    PRIMARY KEY (coin, date)
);

CREATE TABLE IF NOT EXISTS core.hardware_specs (
    device       VARCHAR NOT NULL,
    device_class VARCHAR NOT NULL,         -- datacenter_gpu | consumer_gpu | mining_gpu | asic | cpu
    algorithm    VARCHAR NOT NULL,         -- lower case: sha256d, ethash, etchash, kawpow, kheavyhash, randomx, ...
    hashrate_hs  DOUBLE,
    power_w      DOUBLE,
    source       VARCHAR NOT NULL,
    source_kind  VARCHAR NOT NULL,         -- calculator_default | user_log | press | vendor_doc | spec | derived | approximate | unspecified
    source_date  VARCHAR,                  -- when the source gave the figure, as the file says (2021-04-14, 2023-12..2026-06)
    document_id  VARCHAR NOT NULL,
    locator      VARCHAR NOT NULL,
    PRIMARY KEY (device, algorithm, source)
);

CREATE TABLE IF NOT EXISTS core.fx_daily (
    date         DATE NOT NULL,
    currency     VARCHAR NOT NULL,         -- ISO 4217
    usd_per_unit DOUBLE NOT NULL,
    source       VARCHAR NOT NULL,
    is_synthetic BOOLEAN NOT NULL,         -- the file says the rate was synthesised or approximate
    document_id  VARCHAR NOT NULL,
    PRIMARY KEY (date, currency)
);

CREATE TABLE IF NOT EXISTS core.fund_flows_daily (
    date         DATE NOT NULL,
    asset        VARCHAR NOT NULL,
    fund         VARCHAR NOT NULL,         -- ticker, or TOTAL for the table's own total column
    net_flow_usd DOUBLE NOT NULL,
    document_id  VARCHAR NOT NULL,
    PRIMARY KEY (date, asset, fund)
);

CREATE TABLE IF NOT EXISTS core.events (
    date        DATE NOT NULL,
    asset       VARCHAR,                   -- NULL: concerns the whole market
    kind        VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    source      VARCHAR,
    document_id VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL
);

-- One row per document (document_id): what the file says about itself (pipelines/lib/forensics). PDF: the
-- Info dictionary and XMP, both kept; office files: OOXML core/app properties or ODF meta.xml; e-mails: the
-- headers. Every field NULL that the file does not give; `notes` says what could not be read and why.
CREATE TABLE IF NOT EXISTS core.document_metadata (
    document_id               VARCHAR PRIMARY KEY,
    media_type                VARCHAR,
    title                     VARCHAR,
    author                    VARCHAR,
    producer                  VARCHAR,           -- the tool that wrote the file (PDF /Producer; office: application + version)
    creator_tool              VARCHAR,           -- the tool the content was made in (PDF /Creator; office: application)
    created_at                TIMESTAMPTZ,       -- Info /CreationDate (office: dcterms:created, ODF meta:creation-date)
    modified_at               TIMESTAMPTZ,       -- Info /ModDate (office: dcterms:modified, ODF dc:date)
    xmp_created_at            TIMESTAMPTZ,       -- XMP xmp:CreateDate
    xmp_modified_at           TIMESTAMPTZ,       -- XMP xmp:ModifyDate
    incremental_updates       INTEGER,           -- PDF: revisions appended after the first (NULL off PDFs)
    signed                    BOOLEAN,
    fonts                     VARCHAR[],
    email_from                VARCHAR,
    email_to                  VARCHAR[],
    email_cc                  VARCHAR[],
    email_date                TIMESTAMPTZ,
    email_subject             VARCHAR,
    notes                     VARCHAR,
    xmp_producer              VARCHAR,
    xmp_creator_tool          VARCHAR,
    dates_without_offset      VARCHAR[],         -- date columns the file wrote without a UTC offset (read as UTC)
    pages                     INTEGER,
    pages_with_text           INTEGER,
    pages_with_images         INTEGER,
    pages_with_invisible_text INTEGER,           -- text drawn in render mode 3 (an OCR layer)
    revision_producers        VARCHAR[],         -- /Producer of each revision, first to last
    text_added_by_update      BOOLEAN            -- the first revision draws no text, the last does
);

-- Every document's text, part by part (a PDF or image page, a sheet, a CSV, a Word or HTML document, a press release, an
-- e-mail body): what the full-text index (search_index/, `leakpipe search`) is built from. A document
-- with no readable text has one row with text NULL and the reason (pipelines/lib/search/texts.py).
CREATE TABLE IF NOT EXISTS core.document_text (
    path        VARCHAR NOT NULL,    -- as in core.documents ('x.zip!/y.xlsx' for a member)
    document_id VARCHAR NOT NULL,    -- sha256 of the bytes
    part        INTEGER NOT NULL,    -- 1, 2, ... in reading order; 0 for the row of a document without text
    page        INTEGER,             -- PDF or image page, sheet number; NULL where the format has no pages
    locator     VARCHAR NOT NULL,    -- page 3, image page 1, sheet 'Q3', csv, docx, html, text, markdown, body, file
    text_source VARCHAR,             -- pdf_text | ocr | office | email_body; NULL when no text was read
    text        VARCHAR,             -- NULL when no text could be read (see reason)
    reason      VARCHAR,             -- why there is no text; NULL when text was read
    PRIMARY KEY (path, part)
);

-- One row per data line (or totals line) of a leaked cost sheet, with the spot it was read from.
-- Money *_native is in `currency`; *_usd converts it with core.fx_daily on period_end (or the
-- latest rate before it). Shares are 0..1, power kW for the whole line, hashrate H/s.
CREATE TABLE IF NOT EXISTS core.cost_sheet_lines (
    document_id                    VARCHAR NOT NULL,
    page                           INTEGER NOT NULL,  -- 1-based PDF page (sheet: XLSX/XLS/ODS; table: DOCX/HTML; image page; 1 for CSV)
    table_index                    INTEGER NOT NULL,  -- 0-based table in the document (a stitched table counts once)
    row_index                      INTEGER NOT NULL,  -- 0-based data line in that table (headers not counted)
    bbox                           DOUBLE[],          -- x0, top, x1, bottom in PDF points; NULL for non-PDF
    company                        VARCHAR,           -- as printed
    company_canonical              VARCHAR,           -- Microsoft, Amazon, Alphabet, Meta, ... (capex alias table)
    site                           VARCHAR,
    period_start                   DATE,
    period_end                     DATE,
    device                         VARCHAR,
    device_count                   DOUBLE,
    utilization_share              DOUBLE,            -- share of hours busy with AI work, 0..1
    idle_hours                     DOUBLE,
    power_kw                       DOUBLE,            -- the whole line's power draw
    pue                            DOUBLE,
    electricity_price_native       DOUBLE,            -- currency units per kWh
    currency                       VARCHAR,
    electricity_usd_per_kwh        DOUBLE,
    fx_date                        DATE,              -- the core.fx_daily rate used (latest on or before the period end)
    coin                           VARCHAR,
    algorithm                      VARCHAR,
    claimed_hashrate_hs            DOUBLE,            -- the whole line
    claimed_hashrate_per_device_hs DOUBLE,
    claimed_coins_mined            DOUBLE,
    claimed_revenue_native         DOUBLE,
    claimed_revenue_usd            DOUBLE,
    claimed_opex_native            DOUBLE,
    claimed_opex_usd               DOUBLE,
    is_total_row                   BOOLEAN NOT NULL,
    source_text                    VARCHAR NOT NULL,  -- the row as printed
    locale                         VARCHAR,           -- number locale the document was read with (de, en)
    flags                          VARCHAR[],         -- extraction doubts, e.g. 'ambiguous_number:device_count'
    extraction_method              VARCHAR NOT NULL,  -- pdf_lines | pdf_text | ocr (PDF scan, image) | xlsx | xls | ods | csv | docx | html
    company_how                    VARCHAR,           -- named | letterhead | dateline | sender_domain | file_name
    PRIMARY KEY (document_id, table_index, row_index)
);

-- One row per capex amount announced in a press release, article, filing or structured record
-- (raw/capex/). amount_* in `currency`; *_usd converts with core.fx_daily on announced_on (the latest
-- rate on or before it; USD passes through). A range keeps its ends; amount_native is its midpoint.
CREATE TABLE IF NOT EXISTS core.capex_announcements (
    announcement_id          VARCHAR PRIMARY KEY,  -- md5 of document_id and locator
    company                  VARCHAR NOT NULL,     -- canonical name from pipelines/reference/capex_company_aliases.csv
    ticker                   VARCHAR,
    announced_on             DATE NOT NULL,
    announced_on_source      VARCHAR NOT NULL,     -- text (the sentence or the dateline) | metadata
    amount_usd               DOUBLE,               -- NULL when no USD rate exists for the currency (see fx_note)
    amount_low_usd           DOUBLE,               -- NULL for "up to"
    amount_high_usd          DOUBLE,               -- NULL for "more than"
    amount_native            DOUBLE NOT NULL,      -- the figure, or the midpoint of a range
    amount_low_native        DOUBLE,
    amount_high_native       DOUBLE,
    currency                 VARCHAR NOT NULL,     -- ISO 4217
    currency_how             VARCHAR,              -- text (printed with the amount) | record | metadata (the record's
                                                   -- currency field) | document_amounts (every other amount's) | sec_filing (USD)
    qualifier                VARCHAR NOT NULL,     -- exact | range | up_to | at_least | about
    scope                    VARCHAR NOT NULL,     -- ai_datacenter | total_capex | other
    horizon_years            DOUBLE,               -- "over 15 years" = 15; "bis 2028" = years from announced_on to 2028-12-31,
                                                   -- a rate ("$10bn a year") = 1, amount_native being the per-year figure
    horizon_end              DATE,                 -- the plan runs to this day, when the text gives an end year
    horizon_text             VARCHAR,              -- the horizon as printed
    document_id              VARCHAR NOT NULL,
    locator                  VARCHAR NOT NULL,     -- 'chars 120-134' in the document's text, or 'record 3'
    char_start               INTEGER,              -- the amount's span in the extracted text; a JSON record's span in the file (NULL for CSV rows)
    char_end                 INTEGER,
    amount_text              VARCHAR NOT NULL,     -- the amount as printed
    snippet                  VARCHAR NOT NULL,     -- its sentence
    language                 VARCHAR,              -- de | en
    company_how              VARCHAR,              -- sentence | previous_sentence | metadata | record | letterhead | dateline | sender_domain | file_name
    extraction_method        VARCHAR NOT NULL,     -- text | markdown | html | pdf | json | csv
    fx_date                  DATE,                 -- the rate's date (NULL for USD)
    usd_per_unit             DOUBLE,
    fx_note                  VARCHAR,              -- why amount_usd is NULL, when it is
    duplicate_of             VARCHAR,              -- announcement_id of the first row with the same plan (same
                                                   -- company, scope, currency and amount within 7 days), NULL if first
    is_synthetic             BOOLEAN NOT NULL      -- the document says it is a synthesised sample
);

-- One row per company and quarter: purchases of property and equipment as filed, in USD.
CREATE TABLE IF NOT EXISTS core.capex_quarterly (
    company      VARCHAR NOT NULL,
    ticker       VARCHAR NOT NULL,
    period_end   DATE NOT NULL,
    fiscal_label VARCHAR NOT NULL,                 -- the company's fiscal quarter, e.g. 'FY2024 Q3' for MSFT 2024-03-31
    capex_usd    DOUBLE NOT NULL,                  -- positive: the amount spent
    document_id  VARCHAR NOT NULL,
    locator      VARCHAR NOT NULL,
    source       VARCHAR,                          -- the filing the figure comes from, as the row cites it
    is_synthetic BOOLEAN NOT NULL,
    PRIMARY KEY (ticker, period_end)
);

-- The latest great-expectations verdict per table and expectation (the checks' summary; the full
-- results are the Data Docs under the reports folder). Failing records are in core.quarantine
-- with stage 'validation' and check_name = expectation.
CREATE TABLE IF NOT EXISTS core.validation_results (
    source_table     VARCHAR NOT NULL,     -- core.<table> the suite checks
    expectation      VARCHAR NOT NULL,     -- <great-expectations type>:<columns>[:label]
    level            VARCHAR NOT NULL,     -- row (failing rows quarantined) | table (the table as a whole)
    severity         VARCHAR NOT NULL,     -- error | warn (table level: error blocks the models)
    success          BOOLEAN NOT NULL,
    element_count    BIGINT,               -- rows the expectation looked at
    unexpected_count BIGINT,               -- rows that broke it
    observed         VARCHAR,              -- table level: what was observed (row count, newest date)
    why              VARCHAR NOT NULL,     -- why a failing record is rejected
    validated_on     DATE NOT NULL,
    rows_checked     BIGINT NOT NULL,
    PRIMARY KEY (source_table, expectation)
);

-- One row per claim on a cost-sheet line (or totals row) and the rule that checked it
-- (pipelines/lib/verification/plausibility.py). claimed_value and expected_* are in `unit`: H/s per device
-- (hashrate), the sheet's currency (power_cost, total_revenue, total_power_cost), coins of `coin`
-- (coins_mined, consensus), kW, devices, H/s, or days (period; expected_* NULL: the rule compares dates).
-- The document-level metadata_* claims leave page, table_index and row_index NULL (so no primary key: the
-- key document_id, table_index, row_index, claim is unique, which tests/lib/verification checks).
CREATE TABLE IF NOT EXISTS marts.leak_plausibility (
    document_id   VARCHAR NOT NULL,
    page          INTEGER,             -- NULL for a document-level claim (metadata_*)
    table_index   INTEGER,
    row_index     INTEGER,
    claim         VARCHAR NOT NULL,    -- hashrate | power_cost | coins_mined | consensus | period | total_<column> | metadata_<rule>
    claimed_value DOUBLE,              -- what the sheet says, in `unit`
    expected_low  DOUBLE,              -- the lowest value the checked inputs allow (tolerance included)
    expected_high DOUBLE,              -- the highest; NULL = no bound from this rule
    verdict       VARCHAR NOT NULL,    -- plausible | implausible | unverifiable (an input is missing)
    reason        VARCHAR NOT NULL,    -- a quotable sentence with the numbers and units
    unit          VARCHAR,
    company       VARCHAR,
    site          VARCHAR,
    device        VARCHAR,
    coin          VARCHAR,
    period_start  DATE,
    period_end    DATE,
    inputs        VARCHAR,             -- what the expectation used (hardware spec, network days, ...)
    rule_version  VARCHAR NOT NULL
);

-- ============================================================================================
-- Models (pipelines/lib/models; assumptions in pipelines/reference/model_assumptions.toml).
-- Every row names the assumption set (version + sha256 prefix of the assumptions file) and the
-- model version that produced it. Quantiles p05/p50/p95 come from a seeded Monte Carlo (10,000
-- draws by default); each mart is rebuilt whole, and identically on unchanged inputs.

-- Every model input that is not data: one row per range (low/central/high in `unit`, drawn by
-- `distribution`) or fixed setting (distribution 'fixed', its value in `unit`), with its source.
CREATE TABLE IF NOT EXISTS marts.model_assumptions (
    name           VARCHAR PRIMARY KEY,
    low            DOUBLE,
    central        DOUBLE,
    high           DOUBLE,
    unit           VARCHAR,
    distribution   VARCHAR NOT NULL,   -- triangular | uniform | loguniform | normal | fixed
    source         VARCHAR NOT NULL,
    assumption_set VARCHAR NOT NULL,
    model_version  VARCHAR NOT NULL
);

-- Revenue, power cost and margin (USD per device and day) of every device on every proof-of-work
-- coin with network data and a price, at each reference electricity price (price_basis
-- 'reference') and at each leaked line's own price on the days it covers ('leak'). No row for a
-- coin on days it is not proof of work. breakeven_j_per_gh is the Cambridge (CBECI) threshold at
-- this price: a device whose device_j_per_gh is below it earns more than its power (PUE 1).
CREATE TABLE IF NOT EXISTS marts.mining_profitability_daily (
    date                     DATE NOT NULL,
    coin                     VARCHAR NOT NULL,
    device                   VARCHAR NOT NULL,
    electricity_usd_per_kwh  DOUBLE NOT NULL,
    price_basis              VARCHAR NOT NULL,   -- reference | leak
    revenue_usd_per_day      DOUBLE,             -- coins_per_day x close_usd
    power_cost_usd_per_day   DOUBLE,             -- device_power_w (at the wall) / 1000 x 24 x pue x USD/kWh
    margin_usd_per_day       DOUBLE,
    profitable               BOOLEAN,            -- margin > 0 (operating cost only)
    algorithm                VARCHAR NOT NULL,
    device_class             VARCHAR,
    device_hashrate_hs       DOUBLE NOT NULL,    -- H/s per device
    device_power_w           DOUBLE,             -- at the wall: a datacenter GPU's board power x server overhead
    device_board_power_w     DOUBLE,             -- as published (core.hardware_specs.power_w)
    power_basis              VARCHAR,            -- how device_power_w follows from device_board_power_w
    hashrate_basis           VARCHAR NOT NULL,   -- benchmark | benchmark via <algorithm> | assumption (central)
    pue                      DOUBLE NOT NULL,    -- the assumptions' central PUE
    coins_per_day            DOUBLE,             -- device / network hashrate x coins issued that day
    close_usd                DOUBLE,
    network_hashrate_hs      DOUBLE,
    issued_coins             DOUBLE,             -- block rewards + fees that day (fees 0 when unknown)
    fees_known               BOOLEAN,
    issuance_basis           VARCHAR,            -- network data | nominal: block_rewards.csv (reward x blocks per day)
    hashprice_basis          VARCHAR,            -- block subsidy + fees | block subsidy only (no fee data for this day)
    hashprice_usd_per_th_day DOUBLE,             -- USD per TH/s per day on this coin
    breakeven_j_per_gh       DOUBLE,             -- Cambridge-style profitability threshold, J/GH
    device_j_per_gh          DOUBLE,             -- the device's efficiency, J/GH
    below_breakeven          BOOLEAN,            -- device_j_per_gh < breakeven_j_per_gh
    device_source            VARCHAR,
    assumption_set           VARCHAR NOT NULL,
    model_version            VARCHAR NOT NULL
    -- one row per (date, coin, device, electricity_usd_per_kwh, price_basis): checked by the mart's
    -- 'complete' check rather than a primary key, whose index tripled the cost of rewriting the mart
);

-- Installed and idle AI accelerators per company and day: capex (filed quarters, then announced
-- plans) x accelerator share x accelerators per USD within a service life, floored by the leaks'
-- own device counts; idle = installed x idle share. Counts start with the first filed quarter.
CREATE TABLE IF NOT EXISTS marts.ai_fleet_daily (
    company         VARCHAR NOT NULL,     -- the capex alias table's name (Microsoft, not 'Microsoft Azure')
    date            DATE NOT NULL,
    gpus_p05        DOUBLE,
    gpus_p50        DOUBLE,
    gpus_p95        DOUBLE,
    idle_share_p50  DOUBLE,               -- median of the idle_share range (the same for every company)
    idle_gpus_p05   DOUBLE,
    idle_gpus_p50   DOUBLE,
    idle_gpus_p95   DOUBLE,
    leak_gpus       DOUBLE,               -- devices the leaked sheets claim that day (largest document); NULL: none
    idle_share_leak DOUBLE,               -- the leaks' own idle share, 1 - device-weighted utilisation; NULL: none
    basis           VARCHAR NOT NULL,     -- capex | capex; leak count as floor
    assumption_set  VARCHAR NOT NULL,
    model_version   VARCHAR NOT NULL,
    PRIMARY KEY (company, date)
);

-- The idle fleet (all companies) mining each coin with network data: its hashrate on the coin's
-- algorithm, its share of blocks if it joined the network as observed (fleet / (network + fleet)),
-- and the coins and USD that share earns per day. Zero on proof-of-stake days.
CREATE TABLE IF NOT EXISTS marts.mining_contribution_daily (
    date                             DATE NOT NULL,
    coin                             VARCHAR NOT NULL,
    algorithm                        VARCHAR,
    consensus                        VARCHAR,
    network_hashrate_hs              DOUBLE,
    fleet_hashrate_hs_p05            DOUBLE,
    fleet_hashrate_hs_p50            DOUBLE,
    fleet_hashrate_hs_p95            DOUBLE,
    network_share_p05                DOUBLE,
    network_share_p50                DOUBLE,
    network_share_p95                DOUBLE,
    coins_per_day_p05                DOUBLE,
    coins_per_day_p50                DOUBLE,
    coins_per_day_p95                DOUBLE,
    usd_per_day_p05                  DOUBLE,
    usd_per_day_p50                  DOUBLE,
    usd_per_day_p95                  DOUBLE,
    fleet_to_network_p50             DOUBLE,   -- fleet / observed network: > 1 means the network could not contain it
    fleet_power_cost_usd_per_day_p50 DOUBLE,   -- the idle fleet's power bill (W x 24 x PUE x fleet_usd_per_kwh)
    hashrate_basis                   VARCHAR,  -- benchmark (with source) | assumption range <name>
    unknown_reason                   VARCHAR,  -- why share, coins or USD are NULL (no network row, hashrate, issuance, consensus, close)
    assumption_set                   VARCHAR NOT NULL,
    model_version                    VARCHAR NOT NULL,
    PRIMARY KEY (date, coin)
);

-- How much of each coin's rally over a window each channel could explain, as a share of the
-- rally's log return and as a log return, p05/p50/p95. subject 'idle_ai_mining' is the claim;
-- 'spot_etf_flows' runs the same flow channel on spot-ETF net flows as a yardstick.
CREATE TABLE IF NOT EXISTS marts.rally_attribution (
    coin             VARCHAR NOT NULL,
    window_name      VARCHAR NOT NULL,
    window_start     DATE NOT NULL,
    window_end       DATE NOT NULL,
    subject          VARCHAR NOT NULL,   -- idle_ai_mining | spot_etf_flows
    rally_log_return DOUBLE NOT NULL,    -- ln(close on last_priced_day / close on first_priced_day)
    channel          VARCHAR NOT NULL,   -- hashrate | flow | event | residual
    share_p05        DOUBLE,
    share_p50        DOUBLE,
    share_p95        DOUBLE,
    share_reason     VARCHAR,            -- why share_* is NULL (a falling window, an unknown channel)
    log_return_p05   DOUBLE,
    log_return_p50   DOUBLE,
    log_return_p95   DOUBLE,
    method           VARCHAR NOT NULL,
    inputs           VARCHAR,
    first_priced_day DATE,
    last_priced_day  DATE,
    market_value_usd DOUBLE,             -- at first_priced_day
    market_value_how VARCHAR,
    event_clusters_estimable INTEGER,    -- event channel only: clusters the primary model could estimate
    event_clusters_total     INTEGER,    -- event channel only: clusters in the window
    crypto_benchmark_log_return_p05 DOUBLE,   -- event channel only: the market model on the crypto benchmark
    crypto_benchmark_log_return_p50 DOUBLE,
    crypto_benchmark_log_return_p95 DOUBLE,
    assumption_set   VARCHAR NOT NULL,
    model_version    VARCHAR NOT NULL,
    PRIMARY KEY (coin, window_name, subject, channel)
);

-- The event channel in detail: one row per event cluster (events whose windows overlap are one
-- cluster) and model (constant_mean, the primary estimate; market, on a crypto benchmark), its fit and
-- cumulative abnormal return with a confidence interval.
CREATE TABLE IF NOT EXISTS marts.event_study (
    asset            VARCHAR NOT NULL,
    subject          VARCHAR NOT NULL,
    window_name      VARCHAR NOT NULL,   -- the rally window the events fall in
    cluster_start    DATE NOT NULL,
    cluster_end      DATE NOT NULL,
    event_count      INTEGER,
    titles           VARCHAR,
    window_start     DATE,               -- abnormal-return days, clipped to the rally's return days
    window_end       DATE,
    estimation_start DATE,
    estimation_end   DATE,
    n_estimation     INTEGER,
    alpha            DOUBLE,
    beta             DOUBLE,
    sigma            DOUBLE,
    car              DOUBLE,             -- cumulative abnormal log return over window_start..window_end
    car_se           DOUBLE,             -- includes the market model's estimation error
    t_stat           DOUBLE,
    p_value          DOUBLE,
    ci_low           DOUBLE,             -- confidence interval (model_assumptions 'event_study')
    ci_high          DOUBLE,
    benchmark        VARCHAR,
    model            VARCHAR NOT NULL,   -- constant_mean (primary) | market (crypto benchmark)
    status           VARCHAR NOT NULL,   -- ok, or why the cluster could not be estimated
    assumption_set   VARCHAR NOT NULL,
    model_version    VARCHAR NOT NULL,
    PRIMARY KEY (asset, subject, window_name, cluster_start, model)
);

-- Data for tornado charts: each headline result with every other range at central (result_base)
-- and with one range at its low and its high end. rank 1 = the range that moves it most.
CREATE TABLE IF NOT EXISTS marts.sensitivity (
    metric          VARCHAR NOT NULL,   -- idle_gpus_total_at_window_end | fleet_network_share_mean | rally_share
    coin            VARCHAR,
    window_name     VARCHAR,
    subject         VARCHAR,
    channel         VARCHAR,
    assumption      VARCHAR NOT NULL,
    assumption_low  DOUBLE,
    assumption_high DOUBLE,
    assumption_unit VARCHAR,
    result_base     DOUBLE,
    result_at_low   DOUBLE,
    result_at_high  DOUBLE,
    swing           DOUBLE,             -- |result_at_high - result_at_low|
    rank            INTEGER,            -- NULL: the range does not move this result (or it is unknown)
    assumption_set  VARCHAR NOT NULL,
    model_version   VARCHAR NOT NULL
);

-- ============================================================================================
-- Hashrate against price (pipelines/lib/chain/causality.py, pipelines/lib/models/rental.py).

-- Granger causality in both directions between log changes of network hashrate and log returns, per
-- proof-of-work coin, frequency (daily; weekly beside it) and sample (each rally window and the whole
-- common history). NULL statistic and p_value with a reason where the sample is too short or a series missing.
CREATE TABLE IF NOT EXISTS marts.hashrate_price_causality (
    coin           VARCHAR NOT NULL,
    sample         VARCHAR NOT NULL,   -- full_history | a rally window's name
    frequency      VARCHAR NOT NULL,   -- daily | weekly
    sample_start   DATE,
    sample_end     DATE,
    direction      VARCHAR NOT NULL,   -- hashrate_to_price | price_to_hashrate
    lags           INTEGER,            -- VAR lag order chosen by the criterion
    statistic      DOUBLE,             -- F statistic
    p_value        DOUBLE,
    df_num         INTEGER,
    df_denom       INTEGER,
    n_obs          INTEGER NOT NULL,   -- periods of both series' changes in the sample
    differences    INTEGER,            -- 1: log changes; 2: differenced again after a failed ADF test
    adf_p_hashrate DOUBLE,
    adf_p_price    DOUBLE,
    criterion      VARCHAR NOT NULL,   -- aic | bic
    max_lag        INTEGER,
    method         VARCHAR,
    reason         VARCHAR,            -- why statistic and p_value are NULL; NULL when tested
    PRIMARY KEY (coin, sample, frequency, direction)
);

-- Mining revenue of one H100 or A100 per coin and day against the public list price of renting it for
-- the same 24 hours (model_assumptions.toml [rental]); NULL with a reason where either is unknown.
CREATE TABLE IF NOT EXISTS marts.mining_vs_rental_daily (
    coin                           VARCHAR NOT NULL,
    date                           DATE NOT NULL,
    device                         VARCHAR NOT NULL,
    rental_device                  VARCHAR NOT NULL,   -- the [rental] key the device matched (H100, A100)
    mining_usd_per_gpu_day         DOUBLE,             -- marts.mining_profitability_daily.revenue_usd_per_day
    rental_usd_per_gpu_day_low     DOUBLE,
    rental_usd_per_gpu_day_central DOUBLE,
    rental_usd_per_gpu_day_high    DOUBLE,
    ratio_low                      DOUBLE,             -- mining / rental high
    ratio                          DOUBLE,             -- mining / rental central
    ratio_high                     DOUBLE,             -- mining / rental low
    hashrate_basis                 VARCHAR,
    rental_source                  VARCHAR,
    reason                         VARCHAR,
    assumption_set                 VARCHAR NOT NULL,
    PRIMARY KEY (coin, device, date)
);

-- Level shifts in each proof-of-work coin's daily log network hashrate (pipelines/lib/chain/breaks.py):
-- ruptures' PELT, l2 cost, one penalty rule for every coin (2 x sigma^2 x log n, sigma from the series' own
-- first differences). Both directions: up is hashrate arriving, down hashrate leaving.
CREATE TABLE IF NOT EXISTS marts.hashrate_breaks (
    coin            VARCHAR NOT NULL,
    break_date      DATE NOT NULL,      -- first day of the new level
    direction       VARCHAR NOT NULL,   -- up | down
    step_log        DOUBLE NOT NULL,    -- median log level after minus before (up to 14 days each side)
    level_before_hs DOUBLE NOT NULL,
    level_after_hs  DOUBLE NOT NULL,
    method          VARCHAR NOT NULL,
    score           DOUBLE,             -- |step_log| in standard errors
    noise_sigma_log DOUBLE,
    penalty         DOUBLE,
    days_in_series  INTEGER,
    PRIMARY KEY (coin, break_date)
);

-- Would the chain show the fleet? (pipelines/lib/chain/detectability.py) For each proof-of-work coin and
-- rally window, each leaked sheet line naming a coin and a period, and each sheet's lines summed: the
-- step in log network hashrate the fleet would make, the smallest step the detector finds with 95 %
-- probability there (power analysis on the real series), the steps observed, and a verdict.
CREATE TABLE IF NOT EXISTS marts.fleet_detectability (
    coin                    VARCHAR NOT NULL,
    subject                 VARCHAR NOT NULL,   -- rally_window | sheet_line | sheet_document
    subject_id              VARCHAR NOT NULL,   -- window name | document_id:table:row | document_id:coin
    period_start            DATE,
    period_end              DATE,
    network_hashrate_hs     DOUBLE,
    implied_hashrate_hs_p05 DOUBLE,
    implied_hashrate_hs_p50 DOUBLE,
    implied_hashrate_hs_p95 DOUBLE,
    implied_step_log_p05    DOUBLE,
    implied_step_log_p50    DOUBLE,
    implied_step_log_p95    DOUBLE,
    claimed_step_log        DOUBLE,             -- sheets only: the sheet's own claimed hashrate as a step
    min_detectable_step_log DOUBLE,
    observed_step_log       DOUBLE,
    observed_break_date     DATE,
    withdrawal_step_log     DOUBLE,
    withdrawal_break_date   DATE,
    withdrawal_matches      BOOLEAN,
    verdict                 VARCHAR NOT NULL,   -- visible_and_absent | visible_and_present | too_small_to_see | unknown
    reason                  VARCHAR NOT NULL,
    host_cpus_counted       BOOLEAN             -- RandomX only: are the idle servers' host CPUs counted
);

-- Bookkeeping, not for analysts: the sha256 of this file under which the warehouse was built.
-- A working file built under another version is set aside and rebuilt from the raw folder
-- (pipelines/lib/warehouse/store.py), since CREATE TABLE IF NOT EXISTS keeps a table's old columns.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.schema_digest (digest VARCHAR NOT NULL);

-- Bookkeeping: the digest of the models' inputs and assumptions the model marts were last built from.
CREATE TABLE IF NOT EXISTS meta.model_inputs (digest VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS meta.document_metadata_code (digest VARCHAR NOT NULL);
-- Bookkeeping: per mart, the digest of what shaped it (part ''), and for marts kept per document the
-- digest of each document's inputs (part = document_id); pipelines/lib/warehouse/incremental.py.
CREATE TABLE IF NOT EXISTS meta.mart_inputs (mart VARCHAR NOT NULL, part VARCHAR NOT NULL, digest VARCHAR NOT NULL,
                                             PRIMARY KEY (mart, part));
