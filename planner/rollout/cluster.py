"""The Dask side of a rollout: connecting to a scheduler (or starting a local cluster), sizing
CP-SAT's workers to the cores, and collecting each campus's outcome as it finishes."""

from __future__ import annotations

import socket
import struct
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.rollout.file import CampusJob
from planner.rollout.task import CampusOutcome, machine_cores, plan_campus, solver_workers
from planner.signals import held

CONNECT_TIMEOUT = 5.0  # seconds for a scheduler to answer (the README promises exit 2 after 5 s)
WORKERS_TIMEOUT = 30  # seconds to wait for a worker to join an existing scheduler


def plan_on_dask(
    todo: list[tuple[int, CampusJob, dict[str, Any]]],
    scheduler: str | None,
    language: str,
    arrived: Callable[[int, CampusJob, CampusOutcome], None],
) -> None:
    """Submit every campus, and hand each one's outcome to `arrived` as soon as it comes back."""
    from distributed import as_completed

    client, cluster, workers = _connect(scheduler, len(todo))
    try:
        futures = {
            client.submit(plan_campus, job, record, language, workers, key=f"campus-{n}-{job.key}", pure=False): (
                n,
                job,
            )
            for n, job, record in todo
        }
        for future in as_completed(futures):
            n, job = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 - a worker lost mid-task; the others go on
                outcome = CampusOutcome(job.key, False, reason=_("the worker failed: {error}", error=error))
            arrived(n, job, outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str | None, tasks: int) -> tuple[Any, Any, int]:
    """A Dask client, the embedded cluster (None on an existing one) and CP-SAT workers per task."""
    import logging

    with held():  # a stop signal during the import is acted on right after it
        from distributed import Client, LocalCluster

    if scheduler is None:
        cores = machine_cores()
        processes = max(1, min(cores, tasks))
        with _children_ignore_ctrl_c():
            cluster = LocalCluster(
                n_workers=processes,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never fights another cluster for 8787
                silence_logs=logging.ERROR,
            )
        return Client(cluster), cluster, solver_workers(cores, processes)
    _probe(scheduler)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise _unreachable(scheduler, error) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise InputError(
            [
                Issue(
                    "--scheduler",
                    _(
                        "the Dask scheduler at {address} has no worker after {seconds} s.",
                        address=scheduler,
                        seconds=WORKERS_TIMEOUT,
                    ),
                )
            ]
        ) from None
    return client, None, _cluster_solver_workers(client)


def _probe(address: str) -> None:
    """Refuse (exit 2) a TCP address where no Dask scheduler answers within CONNECT_TIMEOUT.

    A scheduler speaks first on a new connection (its handshake: a frame count and frame sizes),
    and Dask's handshake deliberately has no timeout, so a port that accepts and stays silent, or
    an HTTP server waiting for a request, would hang the client forever. Other transports are
    left to Dask's own checks.
    """
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        return  # not a valid port: Dask says so in its own words
    if parts.scheme != "tcp" or host is None or port is None:
        return
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT) as connection:
            head = _first_bytes(connection, 16)
    except TimeoutError:
        raise _unreachable(
            address, _("nothing answered within {seconds} s; is it a Dask scheduler?", seconds=f"{CONNECT_TIMEOUT:g}")
        ) from None
    except OSError as error:
        raise _unreachable(address, error.strerror or error) from None
    size, frames = struct.unpack("QQ", head) if len(head) == 16 else (0, 0)
    if not 1 <= frames <= 64 or not 16 <= size <= 2**24:
        raise _unreachable(address, _("what answered there is not a Dask scheduler"))


def _first_bytes(connection: socket.socket, count: int) -> bytes:
    """Up to `count` bytes, fewer if the other side closes; the socket's timeout bounds each read."""
    deadline = time.monotonic() + CONNECT_TIMEOUT
    data = b""
    while len(data) < count:
        connection.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = connection.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _unreachable(address: str, why: object) -> InputError:
    return InputError(
        [
            Issue(
                "--scheduler",
                _("the Dask scheduler at {address} cannot be reached: {error}", address=address, error=why),
            )
        ]
    )


@contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started in this block ignore SIGINT (an ignored signal stays ignored in a
    child): Ctrl-C in a terminal reaches the whole process group, and the client alone should
    stop, close the cluster and say what was written, without a traceback from every worker."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _cluster_solver_workers(client: Any) -> int:
    """On an existing cluster: the cores of each host over the task threads on it, at the tightest host."""
    cores = client.run(machine_cores)
    threads: dict[str, int] = defaultdict(int)
    host_cores: dict[str, int] = {}
    for address, info in client.scheduler_info()["workers"].items():
        host = info.get("host", address)
        threads[host] += info.get("nthreads", 1)
        host_cores[host] = cores.get(address, 1)
    return min((solver_workers(host_cores[h], t) for h, t in threads.items()), default=1)
