"""When a producing tool first existed: pipelines/reference/pdf_producers.csv (product, a pattern that finds
it and its version in a Producer/Creator string, the version, its first public release, the source).

A string names a version: the row of the highest listed version not above it dates it (a later version
cannot be older than that). A string without a version is dated by the product's earliest listed row
only when the product's pattern has no version group. A version below every listed one is not dated.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pandas as pd

# Tools that put a text layer over a scan (OCR) or rewrite a scan's file, by the name they leave behind.
OCR_TOOLS = re.compile(r"ocrmypdf|tesseract|abbyy|finereader|readiris|omnipage|paper capture|"
                       r"\bocr\b|naps2|scansnap|kofax|nuance", re.IGNORECASE)


class Release(NamedTuple):
    product: str
    version: str           # as listed ('' = the product's first release)
    found: str             # the version found in the string ('' when none)
    released: dt.date
    source: str


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


@lru_cache(maxsize=1)
def producer_table() -> pd.DataFrame:
    with resources.files("pipelines.reference").joinpath("pdf_producers.csv").open() as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    table["released"] = pd.to_datetime(table["released"]).dt.date
    return table


def release_of(tool: str | None, table: pd.DataFrame | None = None) -> Release | None | str:
    """The dated release a Producer/Creator string names; None when no product matches; a sentence
    (str) when the product matches but its version is not dated by the table."""
    if not tool:
        return None
    table = producer_table() if table is None else table
    for (product, pattern), rows in table.groupby(["product", "pattern"], sort=False):
        match = re.search(pattern, tool, re.IGNORECASE)
        if not match:
            continue
        found = (match.groupdict().get("v") or "")
        if "(?P<v>" not in pattern:
            first = rows.sort_values("released").iloc[0]
            return Release(product, first["version"], "", first["released"], first["source"])
        listed = rows[rows["version"].map(lambda v: _key(v) <= _key(found))]
        if listed.empty:
            return (f"{product} {found} is older than every version the producer table dates "
                    f"(earliest {rows['version'].map(_key).min()})")
        best = listed.loc[listed["version"].map(_key).idxmax()]
        return Release(product, best["version"], found, best["released"], best["source"])
    return None


def ocr_tool(*names: str | None) -> str | None:
    """The first of `names` (Producer, Creator, XMP producer ...) that names an OCR tool."""
    return next((n for n in names if n and OCR_TOOLS.search(n)), None)
