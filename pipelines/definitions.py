"""The Dagster code location: every asset, check, job, schedule and sensor under pipelines/defs, found by
Dagster's own loader (`load_defs`, the dg project layout of pyproject.toml's [tool.dg]), with the resources
built from the environment. A new module under pipelines/defs is picked up without being listed here."""
from pathlib import Path

import dagster as dg

import pipelines.defs
from pipelines.resources import build_resources


def build_definitions(env=None) -> dg.Definitions:
    """Definitions whose resources follow `env` (default: the process environment)."""
    # project_root: the package itself, so an installed wheel (no pyproject.toml beside it) loads too
    return dg.Definitions.merge(dg.load_defs(defs_root=pipelines.defs, project_root=Path(pipelines.__file__).parent),
                                dg.Definitions(resources=build_resources(env)))


defs = build_definitions()
