"""The bundled reference tables (pipelines/reference/*.csv), read through importlib.resources so an
installed wheel finds them too."""
from __future__ import annotations

from importlib import resources

import pandas as pd


def reference_table(name: str, **read_csv) -> pd.DataFrame:
    """One reference table by file name, e.g. `reference_table("coins.csv")`; keyword arguments go to
    pandas.read_csv."""
    with resources.files("pipelines.reference").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, **read_csv)
