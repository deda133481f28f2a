"""Dagster definitions, one folder per source or model family."""
