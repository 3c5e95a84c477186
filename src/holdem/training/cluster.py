"""Blueprint training on a Ray cluster: one node actor per machine, replicas merged at each sync.

The design (the design document's "Parallel training"; issue 18): data parallel, since MCCFR's
updates are sums. Each machine of the cluster runs one Ray actor, `NodeRunner`, which holds the
run's tables in that machine's memory and trains them with the supervisor of one machine
(`holdem.training.supervisor`: this process for one worker, a `WorkerPool` of spawned workers
on shared memory for more). The driver, the process of ``holdem train``, runs the usual
`holdem.training.trainer.Trainer` with a `ClusterEngine` in place of the local engine:

- it hands out numbered batches to the nodes (a batch's random numbers depend only on the seed
  and its number, wherever it runs);
- every ``sync_interval`` seconds, and at every barrier of the schedule (a discount, a
  snapshot, a checkpoint, the end), it waits for the batches in flight, gathers from every
  node the entries its replica changed since the last sync, and merges them into its own
  tables (`holdem.training.replica_merge`: each node's change added, int32 regrets saturating
  as the kernel does); the trainer then discounts, snapshots and checkpoints those merged
  tables in the one-machine formats, so a cluster checkpoint resumes on one machine and back;
- before the next batches every node becomes the driver's tables again: it replays the
  discounts the driver applied (the same arithmetic on the same values) and takes the merged
  entries, put once into Ray's object store for all nodes. A node that joins takes every
  nonzero entry. Only changed entries travel: a minute of training touches a small share of a
  large game's tables (each node keeps a copy of the tables at the last sync to find them).

Membership is Ray's: a node whose actor or machine dies is noticed at its next call (at the
latest at the next sync), named, and dropped; the iterations it ran since the last sync are lost
(their updates never reached the driver), said so, and taken back from the run's count. A node
that joins the cluster during the run is found at a sync, prepared meanwhile, and given the
merged tables at the first sync after it is ready. ``close`` stops every actor (each closes its
workers and unlinks its shared memory first) and leaves no Ray object behind.

Every machine needs holdem installed and the run's betting config and bucket file at the same
paths as the driver (a shared folder, or copies): a node checks their checksums before it
joins.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import ray
from ray.exceptions import GetTimeoutError, RayActorError, RayError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from holdem.cfr.mccfr import N_COUNTERS, MCCFROptions, discount_tables
from holdem.cfr.schedules import PruneSchedule
from holdem.training.config import ClusterConfig
from holdem.training.replica_merge import (
    TableChanges,
    apply_changes,
    changed_entries,
    entries_at,
    merge_changes,
    nonzero_entries,
)
from holdem.training.shared_arrays import remove_orphaned_blocks
from holdem.training.supervisor import (
    CompletedChunk,
    InProcessEngine,
    PoolSettings,
    WorkerFailedError,
    WorkerPool,
    WorkerStatus,
    local_engine,
)
from holdem.training.training_game import TrainingGame, load_training_game
from holdem.training.worker import self_test

NODE_START_SECONDS = 600.0
"""How long a node may take to load the game, compile the kernels if it must, and start its
workers."""


@dataclass(frozen=True)
class NodeSpec:
    """What a node needs to train the run, as small picklable values."""

    betting: str
    buckets: str | None
    n_players: int
    files: dict[str, str]
    options: MCCFROptions
    prune: PruneSchedule | None
    seed: int
    batch_size: int
    limit: int | None
    n_workers: int
    pool_settings: PoolSettings | None


class NodeRunner:
    """The actor on one machine: its replica of the tables and its supervisor (Ray runs one
    call at a time on it)."""

    def __init__(self, spec: NodeSpec) -> None:
        self.spec = spec
        self.notices: list[str] = []
        self.engine: InProcessEngine | WorkerPool | None = None
        self.regret = np.zeros(0)
        self.sums = np.zeros(0)
        self.base_regret = np.zeros(0)
        self.base_sums = np.zeros(0)

    def prepare(self) -> dict[str, Any]:
        """Load the game (checked against the driver's checksums), allocate the tables, warm
        the kernels and start the workers; returns who this node is."""
        spec = self.spec
        training = load_training_game(
            Path(spec.betting),
            Path(spec.buckets) if spec.buckets else None,
            n_players=spec.n_players,
        )
        host = socket.gethostname()
        remove_orphaned_blocks(self.notices.append)
        training.check_same_files(spec.files, f"the driver's run (seen from node {host})")
        game = training.game
        self_test(game, spec.options)
        engine = local_engine(
            training,
            spec.options,
            spec.prune,
            spec.seed,
            spec.batch_size,
            spec.limit,
            spec.n_workers,
            spec.pool_settings,
            self.notices.append,
        )
        self.engine = engine
        self.regret = engine.allocate("regret", game.layout.size, spec.options.regret_dtype)
        self.sums = engine.allocate(
            "strategy_sum", spec.options.summed_rows(game), spec.options.sum_dtype
        )
        engine.start(self.regret, self.sums)
        return {"pid": os.getpid(), "host": host, "workers": spec.n_workers}

    def join(self, payload: tuple[TableChanges, TableChanges]) -> None:
        """Take the driver's tables, given as their nonzero entries (the node's own tables are
        fresh zeros, and zeros cost no memory until written)."""
        regret, sums = payload
        self.base_regret = np.zeros(self.regret.shape, self.regret.dtype)
        self.base_sums = np.zeros(self.sums.shape, self.sums.dtype)
        apply_changes(regret, self.regret, self.base_regret)
        apply_changes(sums, self.sums, self.base_sums)

    def changes(self) -> tuple[TableChanges, TableChanges]:
        """The entries of the regrets and sums this node changed since the last sync."""
        return (
            changed_entries(self.regret, self.base_regret),
            changed_entries(self.sums, self.base_sums),
        )

    def update(self, payload: tuple[list[float], TableChanges, TableChanges]) -> None:
        """Become the driver's tables again: the discounts the driver applied since the last
        sync (the same arithmetic on the same values), then the merged entries."""
        discounts, regret, sums = payload
        options = self.spec.options
        for factor in discounts:
            discount_tables(self.regret, self.sums, factor, options)
            discount_tables(self.base_regret, self.base_sums, factor, options)
        apply_changes(regret, self.regret, self.base_regret)
        apply_changes(sums, self.sums, self.base_sums)

    def run(
        self, first: int, count: int, prune_from: int | None
    ) -> tuple[int, float, np.ndarray, list[str]]:
        """Batches ``first .. first + count - 1`` on this node's workers; returns the iterations
        run, the seconds, this node's kernel counters and its supervisor's notices."""
        engine = self.engine
        assert engine is not None
        started = time.perf_counter()
        next_batch, end = first, first + count
        iterations = 0
        while next_batch < end:
            for chunk in engine.collect(0.05 if engine.in_flight() else 0.0):
                iterations += chunk.iterations
            idle = engine.idle()
            for position, worker in enumerate(idle):
                if next_batch >= end:
                    break
                share = math.ceil((end - next_batch) / (len(idle) - position))
                engine.assign(worker, next_batch, share, prune_from)
                next_batch += share
        for chunk in engine.drain():
            iterations += chunk.iterations
        notices, self.notices = self.notices, []
        seconds = time.perf_counter() - started
        return iterations, seconds, engine.counters.sum(axis=0), notices

    def close(self) -> None:
        """Stop the workers and unlink the shared memory."""
        if self.engine is not None:
            self.engine.close()
            self.engine = None


@dataclass
class NodeStatus(WorkerStatus):
    """What the driver knows of one node (``index`` numbers nodes in the order they joined)."""

    node_id: str = ""
    host: str = ""
    n_workers: int = 0
    unsynced: int = 0
    counters: np.ndarray | None = None
    joined_at_sync: int | None = None


def connect(address: str) -> bool:
    """Join the Ray cluster at ``address`` unless this process already has; True if it joined
    now (and should leave at the end). A cluster that is not there is a one-line ValueError
    (a ``host:port`` that nothing answers is refused within seconds, not Ray's minutes of
    retries)."""
    if ray.is_initialized():
        return False
    _check_reachable(address)
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ValueError(
            f"--ray {address}: no Ray cluster to join ({first_line}); start one with "
            "`ray start --head` (and `ray start --address HEAD:6379` on the other machines), "
            "or give its address"
        ) from None
    return True


def _check_reachable(address: str, seconds: float = 5.0) -> None:
    """Refuse a ``host:port`` where nothing accepts a connection."""
    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=seconds).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ValueError(
            f"--ray {address}: nothing answers there ({reason}); start the cluster's head with "
            "`ray start --head --port 6379`, or give its address"
        ) from None


class ClusterEngine:
    """The trainer's engine on a Ray cluster (see the module docstring): a "worker" of the
    trainer is a node here. It joins the cluster when made (a missing cluster is a ValueError
    then) and leaves it in `close`."""

    def __init__(
        self,
        training: TrainingGame,
        options: MCCFROptions,
        prune: PruneSchedule | None,
        seed: int,
        batch_size: int,
        limit: int | None,
        settings: ClusterConfig,
        pool_settings: PoolSettings | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.training = training
        self.settings = settings
        self.say = say
        self._spec_values = dict(
            options=options,
            prune=prune,
            seed=seed,
            batch_size=batch_size,
            limit=limit,
            pool_settings=pool_settings,
        )
        self._floor = options.floor
        self._stop_timeout = (pool_settings or PoolSettings()).stop_timeout
        self.workers: list[NodeStatus] = []
        self._actors: dict[int, Any] = {}
        self._calls: dict[Any, tuple[int, int, int]] = {}
        self._joining: dict[Any, NodeStatus] = {}
        self._seen: set[str] = set()
        self._completed: list[CompletedChunk] = []
        self._lost_counters = np.zeros(N_COUNTERS, np.int64)
        self._regret = np.zeros(0)
        self._sums = np.zeros(0)
        self._stale = False
        self._last_sync = time.monotonic()
        self._merged: tuple[np.ndarray | None, np.ndarray | None] = (np.zeros(0, np.int64),) * 2
        self._discounts: list[float] = []
        self._next_index = 0
        self.syncs = 0
        self.nodes_lost = 0
        self.last_sync_seconds = 0.0
        self.last_sync_bytes = 0
        self.sync_seconds_total = 0.0
        self.sync_bytes_total = 0
        self._joined_ray = connect(settings.ray)

    # -- the engine interface -----------------------------------------------------------------

    @property
    def counters(self) -> np.ndarray:
        """Kernel counters: one row for the nodes dropped, one per node in the run."""
        rows = [self._lost_counters]
        rows += [w.counters for w in self.workers if w.counters is not None]
        return np.stack(rows)

    def allocate(self, name: str, size: int, dtype: str) -> np.ndarray:
        """The driver's merged table, zeroed."""
        return np.zeros(size, np.dtype(dtype))

    def start(self, regret: np.ndarray, strategy_sum: np.ndarray) -> None:
        """Join the cluster, start one actor per node, wait until each has loaded the game and
        started its workers, and give them the tables."""
        self._regret, self._sums = regret, strategy_sum
        self._find_new_nodes()
        if not self._joining:
            raise WorkerFailedError(
                f"the Ray cluster at {self.settings.ray} has no node with a CPU to train on"
            )
        deadline = time.monotonic() + NODE_START_SECONDS
        while self._joining:
            left = deadline - time.monotonic()
            ready, _ = ray.wait(list(self._joining), num_returns=1, timeout=max(0.0, left))
            if not ready:
                names = ", ".join(w.host or w.node_id[:8] for w in self._joining.values())
                raise WorkerFailedError(
                    f"start-up: node(s) {names} did not load the game and start their workers "
                    f"within {NODE_START_SECONDS:g} s"
                )
            self._admit(ready[0], strict=True)
        self._broadcast()

    def idle(self) -> list[int]:
        """Nodes free for batches; none while a sync waits for the batches in flight, which it
        does every ``sync_interval`` seconds and after every barrier."""
        due = time.monotonic() - self._last_sync >= self.settings.sync_interval
        if self._stale or due:
            if self._calls:
                return []
            self._sync()
        return [w.index for w in self.workers if w.busy is None]

    def assign(self, worker: int, first: int, count: int, prune_from: int | None) -> None:
        status = self._status(worker)
        status.busy = (first, count)
        call = self._actors[worker].run.remote(first, count, prune_from)
        self._calls[call] = (worker, first, count)

    def collect(self, timeout: float) -> list[CompletedChunk]:
        """Completed batches: waits up to ``timeout`` seconds for the first, then takes every
        one that is there. A node that failed is dropped (and said so)."""
        if self._calls:
            pending = list(self._calls)
            ready, _ = ray.wait(pending, num_returns=1, timeout=timeout)
            if ready:
                ready, _ = ray.wait(pending, num_returns=len(pending), timeout=0)
            for call in ready:
                self._finish(call)
        return self.take_completed()

    def take_completed(self) -> list[CompletedChunk]:
        done, self._completed = self._completed, []
        return done

    def in_flight(self) -> int:
        return len(self._calls)

    def drain(self) -> list[CompletedChunk]:
        """A barrier: wait for every batch in flight, then merge the nodes' tables into the
        driver's (the trainer may then change them; they are sent back before more batches)."""
        done: list[CompletedChunk] = []
        while self._calls:
            done.extend(self.collect(0.1))
        if not self._stale:
            self._gather()
            self._stale = True
        return done + self.take_completed()

    def stop_workers(self) -> list[CompletedChunk]:
        """After a failure: the same barrier as `drain`, so the checkpoint holds every update
        that reached the driver (a node lost meanwhile is dropped; the run is stopping)."""
        try:
            return self.drain()
        except WorkerFailedError:
            return self.take_completed()

    def close(self) -> None:
        """Stop every node (its workers and shared memory first, then the actor) and leave
        the cluster if this engine joined it."""
        actors = list(self._actors.values())
        closing = [actor.close.remote() for actor in actors]
        timeout = 60.0 + self._stop_timeout
        if closing:
            _, late = ray.wait(closing, num_returns=len(closing), timeout=timeout)
            if late:
                self.say(f"warning: {len(late)} node(s) did not close within {timeout:g} s: killed")
        for actor in actors:
            ray.kill(actor)
        self._actors.clear()
        self._calls.clear()
        self._joining.clear()
        if self._joined_ray:
            ray.shutdown()
            self._joined_ray = False

    def report_fields(self) -> dict[str, Any]:
        """The cluster's part of a report record: nodes, their workers and rates, the last
        sync's duration and bytes."""
        return {
            "cluster": {
                "address": self.settings.ray,
                "sync_interval": self.settings.sync_interval,
                "syncs": self.syncs,
                "sync_seconds": self.last_sync_seconds,
                "sync_bytes": self.last_sync_bytes,
                "sync_seconds_total": self.sync_seconds_total,
                "sync_bytes_total": self.sync_bytes_total,
                "nodes_lost": self.nodes_lost,
                "nodes": [
                    {
                        "index": w.index,
                        "host": w.host,
                        "node_id": w.node_id,
                        "workers": w.n_workers,
                        "iterations": w.iterations,
                        "iterations_per_second": w.last_rate,
                    }
                    for w in self.workers
                ],
            }
        }

    # -- internals ----------------------------------------------------------------------------

    def _status(self, index: int) -> NodeStatus:
        return next(w for w in self.workers if w.index == index)

    def _find_new_nodes(self) -> None:
        """Start an actor on every live node with CPUs that has none yet (it joins when ready)."""
        files = self.training.describe_files()
        buckets = self.training.buckets_path
        for node in ray.nodes():
            cpus = int(node.get("Resources", {}).get("CPU", 0))
            node_id = node["NodeID"]
            if not node.get("Alive") or cpus < 1 or node_id in self._seen:
                continue
            self._seen.add(node_id)
            workers = self.settings.workers_per_node or cpus
            spec = NodeSpec(
                betting=str(self.training.betting_path),
                buckets=str(buckets) if buckets else None,
                n_players=self.training.game.tree.n_players,
                files=files,
                n_workers=workers,
                **self._spec_values,  # type: ignore[arg-type]
            )
            actor: Any = (
                ray.remote(NodeRunner)
                .options(
                    num_cpus=min(workers, cpus),
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False),
                )
                .remote(spec)
            )
            status = NodeStatus(
                self._next_index,
                node_id=node_id,
                host=node.get("NodeManagerAddress", ""),
                n_workers=workers,
                counters=np.zeros(N_COUNTERS, np.int64),
            )
            self._next_index += 1
            self._actors[status.index] = actor
            self._joining[actor.prepare.remote()] = status

    def _admit(self, call: Any, strict: bool) -> None:
        """A node's preparation ended: it joins the run, or (``strict``: at the start) its
        error stops the run, else it is named and left out."""
        status = self._joining.pop(call)
        try:
            info = ray.get(call)
        except RayError as error:
            message = f"node {status.host} ({status.node_id[:8]}) could not start: {_cause(error)}"
            ray.kill(self._actors.pop(status.index))
            if strict:
                raise WorkerFailedError(message) from None
            self.say(f"warning: {message}; the run goes on without it")
            return
        status.pid, status.host = int(info["pid"]), f"{info['host']} ({status.host})"
        self.workers.append(status)
        if not strict:
            self.say(f"node {status.host} joined with {status.n_workers} worker(s)")

    def _finish(self, call: Any) -> None:
        index, first, count = self._calls.pop(call)
        status = self._status(index)
        status.busy = None
        try:
            iterations, seconds, counters, notices = ray.get(call)
        except RayError as error:
            self._drop(status, _cause(error))
            return
        for notice in notices:
            self.say(f"node {status.host}: {notice}")
        status.iterations += iterations
        status.seconds += seconds
        status.last_rate = iterations / max(seconds, 1e-9)
        status.unsynced += iterations
        status.counters = np.asarray(counters, np.int64)
        self._completed.append(CompletedChunk(index, first, count, iterations, seconds))

    def _drop(self, status: NodeStatus, reason: str) -> None:
        """Leave a failed node out of the run; its iterations since the last sync are lost and
        taken back from the run's count (a chunk of minus that many iterations)."""
        self.workers.remove(status)
        for call, (index, _, _) in list(self._calls.items()):
            if index == status.index:
                del self._calls[call]
        actor = self._actors.pop(status.index)
        ray.kill(actor)
        self.nodes_lost += 1
        if status.counters is not None:
            self._lost_counters += status.counters
        self._completed.append(CompletedChunk(status.index, -1, 0, -status.unsynced, 0.0))
        self.say(
            f"node {status.host} ({status.node_id[:8]}) {reason}: dropped from the run after "
            f"{status.iterations:,} iterations; the {status.unsynced:,} iterations it ran since "
            f"the last sync are lost; {len(self.workers)} node(s) go on"
        )
        if not self.workers:
            raise WorkerFailedError(
                f"every node of the Ray cluster is gone (the last: {status.host}, {reason})"
            )

    def _get_each(self, calls: dict[Any, NodeStatus]) -> list[tuple[NodeStatus, Any]]:
        """The results of one call per node; a node whose call failed is dropped."""
        results = []
        for call, status in calls.items():
            try:
                results.append((status, ray.get(call)))
            except RayError as error:
                self._drop(status, _cause(error))
        return results

    def _gather(self) -> None:
        """Merge every node's changes since the last sync into the driver's tables."""
        started = time.perf_counter()
        calls = {self._actors[w.index].changes.remote(): w for w in self.workers}
        results = self._get_each(calls)
        regrets = [changes[0] for _, changes in results]
        sums = [changes[1] for _, changes in results]
        self._merged = (
            merge_changes(self._regret, regrets, self._floor),
            merge_changes(self._sums, sums, float("-inf")),
        )
        for status, _ in results:
            status.unsynced = 0
        self.last_sync_bytes = sum(r.nbytes + s.nbytes for r, s in zip(regrets, sums, strict=True))
        self.last_sync_seconds = time.perf_counter() - started
        self.sync_bytes_total += self.last_sync_bytes
        self.sync_seconds_total += self.last_sync_seconds

    def note_discount(self, factor: float) -> None:
        """The trainer discounted the driver's tables: the nodes will do the same."""
        self._discounts.append(factor)

    def _broadcast(self) -> None:
        """Make every node's replica the driver's tables: the discounts since the last sync and
        the merged entries to the nodes in the run, every nonzero entry to nodes joining it."""
        started = time.perf_counter()
        regret = entries_at(self._regret, self._merged[0])
        sums = entries_at(self._sums, self._merged[1])
        joining = [w for w in self.workers if w.joined_at_sync is None]
        sent = 0
        if len(joining) < len(self.workers):
            update = ray.put((self._discounts, regret, sums))
            calls = {
                self._actors[w.index].update.remote(update): w
                for w in self.workers
                if w.joined_at_sync is not None
            }
            self._get_each(calls)
            sent += len(calls) * (regret.nbytes + sums.nbytes)
        if joining:
            whole = (nonzero_entries(self._regret), nonzero_entries(self._sums))
            payload = ray.put(whole)
            self._get_each({self._actors[w.index].join.remote(payload): w for w in joining})
            sent += len(joining) * (whole[0].nbytes + whole[1].nbytes)
            for status in joining:
                status.joined_at_sync = self.syncs
        self._merged = (np.zeros(0, np.int64),) * 2
        self._discounts = []
        self.last_sync_bytes += sent
        self.sync_bytes_total += sent
        spent = time.perf_counter() - started
        self.last_sync_seconds += spent
        self.sync_seconds_total += spent
        self._stale = False
        self._last_sync = time.monotonic()
        self.syncs += 1

    def _sync(self) -> None:
        """Merge (unless a barrier just did), let ready nodes join, find new ones, send the
        tables."""
        if not self._stale:
            self._gather()
        if self._joining:
            ready, _ = ray.wait(list(self._joining), num_returns=len(self._joining), timeout=0)
            for call in ready:
                self._admit(call, strict=False)
        self._find_new_nodes()
        self._broadcast()


def _cause(error: BaseException) -> str:
    """A failed Ray call's cause in one line: the actor died, or the exception it raised."""
    if isinstance(error, RayActorError):
        return "died (its actor or machine is gone)"
    if isinstance(error, GetTimeoutError):
        return "did not answer"
    cause = getattr(error, "cause", None) or error
    text = str(cause).strip().splitlines()
    return f"failed: {type(cause).__name__}: {text[-1] if text else ''}"
