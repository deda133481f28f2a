"""Where document extraction runs: the local process pool, or the workers of a Dask cluster.

`LEAKPIPE_EXTRACT_EXECUTOR` is `local` or `dask://host:port`. For Dask, `open_executor` connects
to the scheduler, checks that every worker sees the inputs and the cache folder at the same paths
(a worker that did not would quarantine every document and cache that verdict), and hands back a
concurrent.futures executor for `extract_all`. `distributed` is imported only here, only then.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCAL = "local"


def parse_executor(value: str | None) -> str:
    """The normalised setting: `local` or `dask://host:port`; raises ValueError otherwise."""
    value = (value or LOCAL).strip()
    if value.lower() == LOCAL:
        return LOCAL
    if value.lower().startswith("dask://"):
        host, _, port = value[len("dask://"):].rstrip("/").rpartition(":")
        if host and port.isdigit():
            return f"dask://{host}:{port}"
    raise ValueError(f"LEAKPIPE_EXTRACT_EXECUTOR={value!r}: expected 'local' or 'dask://host:port' "
                     "(a dask.distributed scheduler)")


def _read(path: str) -> str:
    return Path(path).read_text()


@contextmanager
def open_executor(setting: str, cache_dir: Path, inputs: Path, connect_timeout_s: float = 30.0
                  ) -> Iterator[tuple[cf.Executor | None, int]]:
    """(executor, parallelism) for `extract_all`; (None, 0) for `local` (extract_all's own pool).

    The Dask client is closed on exit; tasks still queued then are cancelled by the scheduler."""
    setting = parse_executor(setting)
    if setting == LOCAL:
        yield None, 0
        return
    from distributed import Client

    address = "tcp://" + setting[len("dask://"):]
    try:
        client = Client(address, timeout=connect_timeout_s, set_as_default=False)
    except OSError as exc:
        raise RuntimeError(f"LEAKPIPE_EXTRACT_EXECUTOR={setting}: no Dask scheduler answered at {address} "
                           f"within {connect_timeout_s:.0f} s ({exc})") from exc
    try:
        try:  # workers may still be starting (a compose stack, an autoscaler)
            client.wait_for_workers(1, timeout=connect_timeout_s)
        except TimeoutError:
            raise RuntimeError(f"the Dask scheduler at {address} has no workers "
                               f"(waited {connect_timeout_s:.0f} s)") from None
        _check_shared_paths(client, Path(cache_dir), Path(inputs))
        executor = client.get_executor(pure=False)  # pure=False: a retried document runs again
        try:
            yield executor, max(1, sum(client.nthreads().values()))
        finally:
            executor.shutdown(wait=False)
    finally:
        client.close()


def _check_shared_paths(client, cache_dir: Path, inputs: Path) -> None:
    """Every worker must read a token the driver just wrote into the cache folder, and see the inputs."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    marker = cache_dir / f".worker-check.{token}"
    marker.write_text(token)
    try:
        seen = client.run(_read, str(marker), on_error="return")
        inputs_seen = client.run(os.path.isdir, str(inputs), on_error="return")
    finally:
        marker.unlink(missing_ok=True)
    if not seen:
        raise RuntimeError(f"the Dask scheduler {client.scheduler.address} has no workers")
    blind = sorted(w for w, got in seen.items() if got != token)
    blind += sorted(w for w, got in inputs_seen.items() if got is not True and w not in blind)
    if blind:
        raise RuntimeError(
            f"Dask worker(s) {', '.join(blind)} do not see the extraction cache {cache_dir} and the "
            f"inputs {inputs} at the same paths as this process: mount the same shared volume at the "
            "same path on every worker (see docs/scaling.md)")

