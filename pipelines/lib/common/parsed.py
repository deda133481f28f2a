"""What a parser returns for one file: rows for its table, rejected records, or a file-level error."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

# A row whose provenance note says this is not an observed value (bundled sample data).
# Matched without regard to case, here and in pipelines/sql/core/prices_rows.sql.
SYNTHETIC_PATTERN = "synthetic|approximate"


def marked_synthetic(notes: pd.Series) -> pd.Series:
    """True where a row's source note says the value was synthesised or is approximate."""
    return notes.fillna("").astype(str).str.contains(SYNTHETIC_PATTERN, case=False, regex=True)


@dataclass
class Rejected:
    locator: str          # 'line 17', 'file', 'row dated 2024-03-13', ...
    raw_record: dict      # what was read
    reason: str           # a sentence a person understands
    check_name: str       # the rule that rejected it, e.g. 'prices.high_below_low'

    def as_row(self, source_table: str, document_id: str | None) -> dict:
        return {
            "source_table": source_table,
            "document_id": document_id,
            "locator": self.locator,
            "raw_record": json.dumps(self.raw_record, default=str, ensure_ascii=False, sort_keys=True),
            "reason": self.reason,
            "check_name": self.check_name,
        }


@dataclass
class Parsed:
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None      # set: the whole file is quarantined for this reason
    notes: list[str] = field(default_factory=list)

    @classmethod
    def failed(cls, reason: str, check_name: str = "file.unreadable") -> "Parsed":
        return cls(error=reason, rejected=[Rejected("file", {}, reason, check_name)])
