"""The Dagster event log on SQLite, writing a batch of asset events in one transaction.

A daily table rebuilt over a range of days in one run (BackfillPolicy.single_run) is one step, but
Dagster still records one materialisation per day, so the UI shows which days the table holds. Dagster
hands those events over as one batch when DAGSTER_EVENT_BATCH_SIZE is set (`make run` and `make dev`
set it), but its SQLite storage then writes them one by one: four connections and two commits per event,
16-150 ms each depending on the disk and the load, which made a ten-year history cost minutes of
bookkeeping. This storage writes the batch with one connection and one commit per database file; what
it stores, and so what the UI and `DagsterInstance` report, is exactly what the stock storage stores.

Use it from DAGSTER_HOME/dagster.yaml (the Makefile writes this):

    event_log_storage:
      module: pipelines.event_log
      class: BatchedSqliteEventLogStorage
      config: {}              # base_dir: default DAGSTER_HOME/history/runs, Dagster's own layout
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from dagster import Field, StringSource
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result

# What `make run` and `make dev` export: a step's per-partition events reach the storage as one batch.
EVENT_BATCH_SIZE = "10000"


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose `store_event_batch` is one transaction per shard, not one per event."""

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        return cls(base_dir=base_dir, inst_data=inst_data)

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Consecutive asset events of one run in one transaction per shard, in order; any other event
        (a planned check evaluation, say) through the stock `store_event`."""
        run: list[EventLogEntry] = []
        for event in events:
            if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS:
                if run and run[0].run_id != event.run_id:
                    self._store_asset_events(run)
                    run = []
                run.append(event)
            else:
                if run:
                    self._store_asset_events(run)
                    run = []
                self.store_event(event)
        if run:
            self._store_asset_events(run)

    def _store_asset_events(self, batch: list[EventLogEntry]) -> None:
        statements = [self.prepare_insert_event(e) for e in batch]
        with self.run_connection(batch[0].run_id) as conn:
            for statement in statements:
                conn.execute(statement)
        with self.index_transaction() as conn:    # mirrored in the cross-run index, as store_event does
            ids = []
            for statement in statements:
                with db_result(conn, statement) as result:
                    ids.append(result.inserted_primary_key[0])
            self._store_asset_event_tags(conn, batch, ids)
            for event, event_id in zip(batch, ids):
                self._store_asset_event(conn, event, event_id)
