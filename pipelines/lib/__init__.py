"""Pure functions: parsing, formulas, statistics, warehouse I/O. No Dagster imports here."""
