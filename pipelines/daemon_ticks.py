"""The sensors run by Dagster's own sensor daemon code, in this process, one iteration at a time: what
`make dev`'s daemon does on each pass, without its loop, its gRPC code server or its wall clock. For the
test that the scheduled path does the work once (tests/e2e/test_daemon_sensors.py) and the benchmark of
a file drop (bench/daemon_drop.py).

    with SensorDaemon(home, env) as daemon:
        daemon.tick()            # one pass of the sensor daemon over every running sensor
        daemon.runs()            # the runs it launched, oldest first

What differs from `make dev`, and why it does not change what the sensors decide:
- runs are launched synchronously, in this process (Dagster's SyncInMemoryRunLauncher, the default
  run coordinator), so a tick returns after the runs it started have finished, instead of queueing them
  for another process;
- each tick moves Dagster's clock (dagster._time, which the daemon reads) past every sensor's
  minimum_interval_seconds, as Dagster's own sensor tests do with freeze_time, so no tick waits 30 s;
- the sensors are evaluated in name order instead of Dagster's shuffled order, so the run-status sensor
  (`daily_tables_after_ingest`) has set its cursor before the first ingest run, which a synchronous
  launcher finishes inside the raw-folder sensor's tick (with `make dev`'s queue the run starts later).
"""
from __future__ import annotations

import logging
import os
import time
import unittest.mock
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

TICK_SECONDS = 31   # past every sensor's minimum interval (30 s: raw_folder_sensor's and Dagster's default)
_LOCATION = '''"""The leakpipe code location, with the sensor daemon's environment (pipelines/daemon_ticks.py)."""
import os

from pipelines.definitions import build_definitions

defs = build_definitions({{**os.environ, **{env!r}}})
'''


class SensorDaemon:
    """A test instance in `home` (SQLite storage, synchronous run launcher) and a workspace that loads the
    leakpipe definitions with `env` (the LEAKPIPE_* variables) in this process."""

    def __init__(self, home: Path, env: Mapping[str, str]):
        self.home = Path(home)
        self.env = dict(env)
        self.clock = time.time()
        self._stack = None

    def __enter__(self) -> "SensorDaemon":
        from contextlib import ExitStack

        from dagster._core.test_utils import create_test_daemon_workspace_context, instance_for_test
        from dagster._core.remote_origin import InProcessCodeLocationOrigin  # noqa: I001
        from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
        from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget

        self.home.mkdir(parents=True, exist_ok=True)
        location = self.home / "leakpipe_location.py"   # a file per home: a fresh import with this env
        location.write_text(_LOCATION.format(env=self.env))
        self._stack = ExitStack()
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "10000")   # as `make dev` (the Makefile exports it)
        # the Makefile's dagster.yaml storage; sets DAGSTER_HOME to `home` while open
        self.instance = self._stack.enter_context(instance_for_test(
            temp_dir=str(self.home), synchronous_run_launcher=True,
            overrides={"run_coordinator": {"module": "dagster._core.run_coordinator.default_run_coordinator",
                                           "class": "DefaultRunCoordinator"},   # launch at once, not queue
                       "event_log_storage": {"module": "pipelines.event_log", "class": "BatchedSqliteEventLogStorage",
                                             "config": {}}}))
        origin = InProcessCodeLocationOrigin(
            LoadableTargetOrigin(python_file=str(location), attribute="defs", working_directory=os.getcwd()),
            location_name="leakpipe")
        self.workspace = self._stack.enter_context(
            create_test_daemon_workspace_context(InProcessWorkspaceLoadTarget(origin), self.instance))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def tick(self) -> list[dg.DagsterRun]:
        """One pass of Dagster's sensor daemon (dagster._daemon.sensor.execute_sensor_iteration) over every
        running sensor, `TICK_SECONDS` after the last one; returns the runs it launched (finished)."""
        from dagster._core.test_utils import freeze_time
        from dagster._daemon import sensor as sensor_daemon

        before = {r.run_id for r in self.instance.get_runs()}
        self.clock = max(self.clock + TICK_SECONDS, time.time())
        by_name = lambda items, key: sorted(items, key=lambda s: s.name)  # noqa: E731
        with freeze_time(self.clock), unittest.mock.patch.object(sensor_daemon, "shuffled_round_robin_by_key", by_name):
            for _ in sensor_daemon.execute_sensor_iteration(self.workspace, logging.getLogger("leakpipe.daemon"),
                                                            threadpool_executor=None, submit_threadpool_executor=None):
                pass
        return [r for r in self.runs() if r.run_id not in before]

    def runs(self) -> list[dg.DagsterRun]:
        return list(reversed(self.instance.get_runs()))

    def ticks(self, sensor: str):
        """The ticks of one sensor, newest first (their status, run ids, skip reason, error)."""
        from dagster._core.scheduler.instigation import InstigatorType

        state = next(s for s in self.instance.all_instigator_state(instigator_type=InstigatorType.SENSOR)
                     if s.name == sensor)
        return self.instance.get_ticks(state.instigator_origin_id, state.selector_id)
