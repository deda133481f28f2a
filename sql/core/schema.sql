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
    first_seen_at   TIMESTAMPTZ NOT NULL
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
    o.rows_quarantined
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
    device_class VARCHAR NOT NULL,         -- datacenter_gpu | consumer_gpu | asic | cpu
    algorithm    VARCHAR NOT NULL,         -- lower case: sha256d, ethash, etchash, kawpow, kheavyhash, randomx, ...
    hashrate_hs  DOUBLE,
    power_w      DOUBLE,
    source       VARCHAR NOT NULL,
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

-- One row per data line (or totals line) of a leaked cost sheet, with the spot it was read from.
-- Money *_native is in `currency`; *_usd converts it with core.fx_daily on period_end (or the
-- latest rate before it). Shares are 0..1, power kW for the whole line, hashrate H/s.
CREATE TABLE IF NOT EXISTS core.cost_sheet_lines (
    document_id                    VARCHAR NOT NULL,
    page                           INTEGER NOT NULL,  -- 1-based PDF page (sheet number for XLSX, 1 for CSV)
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
    extraction_method              VARCHAR NOT NULL,  -- pdf_lines | pdf_text | ocr | xlsx | csv
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
    company_how              VARCHAR,              -- sentence | previous_sentence | metadata | record
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
-- (pipelines/lib/plausibility.py). claimed_value and expected_* are in `unit`: H/s per device
-- (hashrate), the sheet's currency (power_cost, total_revenue, total_power_cost), coins of `coin`
-- (coins_mined, consensus), kW, devices, H/s, or days (period; expected_* NULL: the rule compares dates).
CREATE TABLE IF NOT EXISTS marts.leak_plausibility (
    document_id   VARCHAR NOT NULL,
    page          INTEGER NOT NULL,
    table_index   INTEGER NOT NULL,
    row_index     INTEGER NOT NULL,
    claim         VARCHAR NOT NULL,    -- hashrate | power_cost | coins_mined | consensus | period | total_<column>
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
    rule_version  VARCHAR NOT NULL,
    PRIMARY KEY (document_id, table_index, row_index, claim)
);

-- Bookkeeping, not for analysts: the sha256 of this file under which the warehouse was built.
-- A working file built under another version is set aside and rebuilt from the raw folder
-- (pipelines/lib/warehouse.py), since CREATE TABLE IF NOT EXISTS keeps a table's old columns.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.schema_digest (digest VARCHAR NOT NULL);
