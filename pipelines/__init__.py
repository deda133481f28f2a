"""leakpipe: the Dagster code location and its pure library (pipelines.lib)."""
