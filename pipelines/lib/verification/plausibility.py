"""Leak verification: every claim on a cost-sheet line against what it must agree with.

One result row per (line, claim): the claimed value, the range physics, the chain and the sheet's
own figures allow (`expected_low` .. `expected_high`, in the claim's unit), a verdict and a
sentence a journalist can quote. A claim whose inputs are missing is `unverifiable`, never guessed.

Claims and what they are checked against:
  hashrate      the per-device hashrate vs the best published figure for that device and algorithm
  power_cost    the operating cost vs power x PUE x idle hours x electricity price
  coins_mined   the coins vs (line hashrate / network hashrate) x coins issued, day by day over the idle
                hours, within the network's day-to-day variability over the period
  consensus     the coin vs its consensus on the line's dates (nothing is mined under proof of stake)
  total_*       a totals row vs the sum of its table's lines, column by column
  period        the line's dates vs themselves, the day the file surfaced and the table's own period
  metadata_*    document-level (page, table and row NULL): the file's own dates, producer and text layer
                vs its sheet's period, each other, the producer's release date and its scanned pages

One module per claim (hashrate.py, power.py, coins.py, minable.py for consensus, totals.py, period.py,
metadata.py), on
the shared readings of a line (lines.py), device matching (devices.py), consensus by day (consensus.py)
and the row shape and wording (verdicts.py); this module assembles the mart from them.

Pure functions on pandas frames (no Dagster); the asset reads the inputs and writes the mart.
"""
from __future__ import annotations

import pandas as pd

from pipelines.lib.models import assumptions
from pipelines.lib.verification.coins import check_coins
from pipelines.lib.verification.hashrate import check_hashrate
from pipelines.lib.verification.metadata import check_metadata
from pipelines.lib.verification.minable import check_consensus
from pipelines.lib.verification.period import check_period
from pipelines.lib.verification.power import check_power_cost
from pipelines.lib.verification.totals import check_totals
from pipelines.lib.verification.verdicts import KEY, RESULT_COLUMNS, empty


def assess(lines: pd.DataFrame, specs: pd.DataFrame, network: pd.DataFrame, consensus: pd.DataFrame,
           first_seen: pd.Series, overhead: assumptions.Range | None = None,
           metadata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every rule over every line: the mart's rows, in key order. `overhead`: the server overhead range of
    the power-cost check (default: the bundled assumptions'). `metadata`: core.document_metadata rows of the
    leaked documents with their sheet's period (the document-level `metadata_*` claims; none when None)."""
    lines = lines.reset_index(drop=True)
    parts = [check_hashrate(lines, specs), check_power_cost(lines, specs, overhead),
             check_coins(lines, specs, network, consensus),
             check_consensus(lines, consensus), check_totals(lines), check_period(lines, first_seen)]
    if metadata is not None:
        parts.append(check_metadata(metadata))
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else empty()
    return out.sort_values(KEY, kind="stable").reset_index(drop=True)[RESULT_COLUMNS]
