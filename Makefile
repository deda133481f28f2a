# Two commands matter: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true
# pip's 'a new release is available' notice is not something a user of this project acts on
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup dev bench sample-data system-deps clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Runs launched by the sensors and schedules queue one at a time instead of waiting on the
# warehouse lock (see deploy/dagster.yaml for a multi-process set-up). The event log writes a range
# run's per-day materialisations as one batch (pipelines/event_log.py), so `make run` records the
# history it builds on this instance and `make dev` shows it.
export DAGSTER_EVENT_BATCH_SIZE ?= 10000
$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\nevent_log_storage:\n  module: pipelines.event_log\n  class: BatchedSqliteEventLogStorage\n  config: {}\n' > $@

## Set up, then materialise every asset on the bundled raw/ data.
run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipelines.run

## Set up, then run the test suite (pytest exit code 5, "no tests ran", fails too), one worker per
## core; a test file stays on one worker so its module fixtures (a bundled run) are built once.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

## The Dagster UI and daemon (schedules, sensors) on this code location.
dev: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml

## Every benchmark under bench/, each printing project vs baseline ratios (bench/growth.py runs the
## pipeline on 1x, 4x and 16x inputs and rewrites docs/scaling.md's table and chart; bench/publish.py
## generates a 2 GB warehouse in a temporary folder: LEAKPIPE_BENCH_TMP chooses where).
bench: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	@mkdir -p bench/out && rm -f bench/out/rows.jsonl
	@for b in bench/*.py; do echo "== $$b"; LEAKPIPE_BENCH_ROWS=bench/out/rows.jsonl $(BIN)/python $$b || exit 1; done
	@$(BIN)/python bench/_common.py --summary bench/out/rows.jsonl

## Regenerate the bundled sample inputs in raw/ (deterministic).
sample-data: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py
	$(BIN)/python scripts/make_cost_sheets.py
	$(BIN)/python scripts/make_leak_office_samples.py

## Optional system packages (OCR, PDF rendering, headless browser). Needs root.
system-deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-osd poppler-utils chromium

clean:
	rm -rf $(VENV) warehouse reports .dagster
