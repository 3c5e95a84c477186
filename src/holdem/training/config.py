"""`TrainConfig`: what a blueprint run trains and how, read from YAML and validated.

A file (``configs/blueprint_*.yaml``) names the game and sets the schedule; every key has a
default, so a file holds only what differs::

    betting: hu_small.yaml                  # the betting abstraction (beside this file)
    buckets: ../assets/abstraction/buckets_tiny.npz   # or "lossless-preflop" (169 classes
                                            # and one bucket after the flop, no file)
    num_players: null                       # override the betting config's players (2..6)
    seed: 0
    iterations: null                        # stop after this many (null: no limit)
    time_budget: 60                         # seconds of training, or 10m, 2h (null: no limit)
    batch: 256                              # iterations per batch (a worker reports after each)
    regrets: {dtype: int32, scale: 1.0, floor: -310000000}
    discount: {interval: 10m, cutoff: 400m} # or null
    prune: {start: 200m, threshold: -300000000, probability: 0.95}   # or null
    average: {update: sampled, interval: 1, sums: preflop, warmup: 0%, weights: equal}
    snapshot_interval: 1200                 # seconds between snapshots (null: only at the end)
    checkpoint_interval: 3600               # seconds between checkpoints (null: only at the end)
    keep_checkpoints: 3
    report_interval: 10                     # seconds between metrics lines
    cluster: null                           # or {ray: auto, sync_interval: 60,
                                            #     workers_per_node: null}: train on a Ray
                                            # cluster (`holdem.training.cluster`)

A relative ``betting`` or ``buckets`` path is relative to the config file's folder, from
whatever folder the command runs (`holdem.storage.yaml_files.config_path`).

A schedule point (``interval``, ``cutoff``, ``start``, ``warmup``) is a whole number of
iterations, or a time of training: ``"90s"``, ``"10m"``, ``"2h"``. Pluribus (Brown and Sandholm,
Science 2019) discounted every 10 minutes for the first 400 and pruned after 200; time points
follow the machine, iteration points make a seeded run reproducible bit for bit. A discount's
``interval`` and ``cutoff`` are compared with each other, so they must be in the same unit (how
many iterations a minute holds depends on the machine: no exact conversion exists).

``average.warmup`` and ``average.weights`` say how the blueprint's later streets average the
snapshots (`holdem.training.averaging`): snapshots taken before the warm-up (a point, or a share
of the run's iterations such as ``"25%"``) are left out, and the rest are weighted ``equal`` or
``linear`` (each iteration a snapshot stands for weighted by its number, as linear CFR).

Every mistake is a `ConfigError` naming the file and the key, e.g.
``configs/x.yaml: prune.threshold: must be a negative number of regret units, got 5``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from holdem.cfr.mccfr import PLURIBUS_FLOOR
from holdem.storage.yaml_files import ConfigError, config_path, read_yaml

LOSSLESS_PREFLOP = "lossless-preflop"
"""The ``buckets`` value of games decided preflop: 169 lossless classes and no file."""

DEFAULT_WARMUP = 0.0
"""Share of a run's iterations whose snapshots the blueprint leaves out. Chosen by measurement
(``benchmarks/results/averaging.json``: one ``make run`` run, its 18 snapshots averaged four
ways): every snapshot counted equally was the least exploitable by LBR; linear weights raised
LBR by 177 mbb/hand (95 %: 78 to 276, paired over 30,000 deals) though they won head-to-head by
34 (1 to 68); a 25 % warm-up measured higher LBR too (+212 on the same deals, unpaired)."""
DEFAULT_WEIGHTS: Literal["equal", "linear"] = "equal"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh])\s*$")
_SECONDS_PER = {"s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True)
class Point:
    """A point or a step of a schedule: ``amount`` iterations, or ``amount`` seconds."""

    amount: float
    unit: Literal["iterations", "seconds"]

    @property
    def in_iterations(self) -> bool:
        return self.unit == "iterations"

    def to_yaml(self) -> int | str:
        if self.in_iterations:
            return int(self.amount)
        return f"{self.amount:g}s"

    def reached(self, iteration: int, seconds: float) -> bool:
        """Whether a run at ``iteration`` after ``seconds`` of training has passed this point."""
        return iteration >= self.amount if self.in_iterations else seconds >= self.amount


@dataclass(frozen=True)
class DiscountConfig:
    """Linear CFR discounting: after each ``interval``, up to ``cutoff``, multiply by k/(k+1)."""

    interval: Point
    cutoff: Point


@dataclass(frozen=True)
class PruneConfig:
    """Negative-regret pruning after ``start`` (regret units, as stored)."""

    start: Point
    threshold: float
    probability: float = 0.95


@dataclass(frozen=True)
class TrainConfig:
    """A blueprint run, resolved: paths absolute, every default filled in.

    ``regret_scale``: stored regret units per chip. ``average_update``: ``"sampled"`` (Pluribus,
    right for any number of players) or ``"opponent"`` (simple averaging, two players only).
    ``average_sums``: ``"preflop"`` (sums for the preflop, later streets averaged from the
    snapshots of the current strategy, as Pluribus) or ``"all"`` (sums everywhere).
    ``average_warmup``: snapshots before it are left out of that average: a `Point`, or a share
    of the run's iterations (a float in [0, 1)); ``average_weights``: ``"equal"`` (each snapshot
    counts once) or ``"linear"`` (see `holdem.training.averaging`).
    """

    betting: Path
    buckets: Path | None
    num_players: int | None = None
    seed: int = 0
    iterations: int | None = None
    time_budget: float | None = 60.0
    batch: int = 256
    regret_dtype: Literal["int32", "float32"] = "int32"
    regret_scale: float = 1.0
    regret_floor: float | None = None
    discount: DiscountConfig | None = None
    prune: PruneConfig | None = None
    average_update: Literal["sampled", "opponent"] = "sampled"
    average_interval: int = 1
    average_sums: Literal["preflop", "all"] = "preflop"
    average_warmup: Point | float = DEFAULT_WARMUP
    average_weights: Literal["equal", "linear"] = DEFAULT_WEIGHTS
    snapshot_interval: float | None = None
    checkpoint_interval: float | None = 3600.0
    keep_checkpoints: int = 3
    report_interval: float = 10.0
    cluster: ClusterConfig | None = None
    source: str = field(default="<config>", compare=False)

    @property
    def floor(self) -> float:
        """The regret floor in stored units (Pluribus's for int32 when none is given)."""
        if self.regret_floor is not None:
            return self.regret_floor
        return float(PLURIBUS_FLOOR) if self.regret_dtype == "int32" else float("-inf")

    def with_overrides(self, **changes: Any) -> TrainConfig:
        """A copy with some fields replaced (command-line flags), checked again."""
        merged = replace(self, **{k: v for k, v in changes.items() if v is not None})
        _check_consistency(merged, merged.source)
        return merged

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as plain YAML-able values (what ``logdir/config.yaml`` holds)."""
        out: dict[str, Any] = {
            "betting": str(self.betting),
            "buckets": str(self.buckets) if self.buckets else LOSSLESS_PREFLOP,
            "num_players": self.num_players,
            "seed": self.seed,
            "iterations": self.iterations,
            "time_budget": self.time_budget,
            "batch": self.batch,
            "regrets": {
                "dtype": self.regret_dtype,
                "scale": self.regret_scale,
                "floor": self.regret_floor,
            },
            "discount": None,
            "prune": None,
            "average": {
                "update": self.average_update,
                "interval": self.average_interval,
                "sums": self.average_sums,
                "warmup": warmup_to_yaml(self.average_warmup),
                "weights": self.average_weights,
            },
            "snapshot_interval": self.snapshot_interval,
            "checkpoint_interval": self.checkpoint_interval,
            "keep_checkpoints": self.keep_checkpoints,
            "report_interval": self.report_interval,
            "cluster": self.cluster.to_dict() if self.cluster is not None else None,
        }
        if self.discount is not None:
            out["discount"] = {
                "interval": self.discount.interval.to_yaml(),
                "cutoff": self.discount.cutoff.to_yaml(),
            }
        if self.prune is not None:
            prune = asdict(self.prune)
            prune["start"] = self.prune.start.to_yaml()
            out["prune"] = prune
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False)


def warmup_to_yaml(warmup: Point | float) -> int | str:
    """``average.warmup`` as a config writes it: a point, or a share as ``"25%"``."""
    return warmup.to_yaml() if isinstance(warmup, Point) else f"{100 * warmup:g}%"


DEFAULT_SYNC_INTERVAL = 60.0
"""Seconds between a cluster's syncs: each moves the whole tables twice (the README's plan)."""


@dataclass(frozen=True)
class ClusterConfig:
    """Training on a Ray cluster (`holdem.training.cluster`).

    ``ray``: the address ``ray.init`` takes (``"auto"``: the cluster this machine belongs to,
    ``"host:6379"``, ``"ray://host:10001"``). ``sync_interval``: seconds between merges of the
    nodes' tables. ``workers_per_node``: training processes on each node (None: one per CPU Ray
    gives the node).
    """

    ray: str = "auto"
    sync_interval: float = DEFAULT_SYNC_INTERVAL
    workers_per_node: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ray": self.ray,
            "sync_interval": self.sync_interval,
            "workers_per_node": self.workers_per_node,
        }


_TOP_KEYS = {
    "betting",
    "buckets",
    "num_players",
    "seed",
    "iterations",
    "time_budget",
    "batch",
    "regrets",
    "discount",
    "prune",
    "average",
    "snapshot_interval",
    "checkpoint_interval",
    "keep_checkpoints",
    "report_interval",
    "cluster",
}


def _fail(source: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{source}: {key}: {message}")


def _section(data: Mapping, source: str, key: str, allowed: set[str]) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise _fail(source, key, f"must be a mapping of keys to values, got {value!r}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(
            source, f"{key}.{unknown[0]}", f"unknown key; the keys are {', '.join(sorted(allowed))}"
        )
    return dict(value)


def _number(value: Any, source: str, key: str, *, whole: bool = False) -> float:
    kinds = int if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        what = "a whole number" if whole else "a number"
        raise _fail(source, key, f"must be {what}, got {value!r}")
    return value


def _positive(value: Any, source: str, key: str, *, whole: bool = False) -> Any:
    number = _number(value, source, key, whole=whole)
    if not number > 0:
        raise _fail(source, key, f"must be positive, got {value!r}")
    return number


def _optional_positive(value: Any, source: str, key: str, *, whole: bool = False) -> Any:
    return None if value is None else _positive(value, source, key, whole=whole)


def _choice(value: Any, source: str, key: str, choices: tuple[str, ...]) -> Any:
    if value not in choices:
        raise _fail(source, key, f"must be one of {', '.join(choices)}, got {value!r}")
    return value


def parse_point(value: Any, source: str, key: str) -> Point:
    """A schedule point: a whole number of iterations, or ``"<number>s|m|h"`` of training."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match is None:
            raise _fail(
                source,
                key,
                f"must be iterations (a whole number) or a time like 10m, got {value!r}",
            )
        return Point(float(match.group(1)) * _SECONDS_PER[match.group(2)], "seconds")
    return Point(_number(value, source, key, whole=True), "iterations")


def duration_seconds(value: Any) -> float | None:
    """Seconds of a duration: a number, or text like ``"600"``, ``"90s"``, ``"10m"``, ``"2h"``
    (config files and command-line flags read times the same way); None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value)
    if match is not None:
        return float(match.group(1)) * _SECONDS_PER[match.group(2)]
    try:
        return float(value)
    except ValueError:
        return None


def _optional_seconds(value: Any, source: str, key: str) -> float | None:
    """A positive duration in seconds (`duration_seconds`), or None."""
    if value is None:
        return None
    seconds = duration_seconds(value)
    if seconds is None or not seconds > 0:
        raise _fail(
            source, key, f"must be a positive number of seconds or a time like 10m, got {value!r}"
        )
    return seconds


def parse_warmup(value: Any, source: str, key: str = "average.warmup") -> Point | float:
    """A snapshot warm-up: a share of the run's iterations (``"25%"``) or a schedule point."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = float(value.strip()[:-1])
        except ValueError:
            percent = -1.0
        if not 0 <= percent < 100:
            raise _fail(source, key, f"a share must be from 0% to below 100%, got {value!r}")
        return percent / 100
    point = parse_point(value, source, key)
    if point.amount < 0:
        raise _fail(source, key, f"must be 0 or more, got {value!r}")
    return point


def _path(value: Any, source: str, key: str, base: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise _fail(source, key, f"must be a file path, got {value!r}")
    return config_path(value, base)


def train_config_from_dict(
    data: Any, source: str = "<config>", base: Path | None = None
) -> TrainConfig:
    """Validate a parsed YAML mapping. A relative path (``betting``, ``buckets``) is taken
    from ``base``, the config file's folder (default: the working folder), for every key alike.

    A betting abstraction given here instead is recognised and named as such."""
    base = base or Path.cwd()
    if not isinstance(data, Mapping):
        raise _fail(source, "top level", f"must be a mapping of keys to values, got {data!r}")
    if "game" in data or isinstance(data.get("betting"), Mapping):
        raise ConfigError(
            f"{source}: is a betting abstraction (game: and betting rounds), not a training "
            "config: name it in the betting: key of a training config (see "
            "configs/blueprint_hu_small.yaml) and give that to --config"
        )
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _fail(source, unknown[0], f"unknown key; the keys are {', '.join(sorted(_TOP_KEYS))}")
    if "betting" not in data:
        raise _fail(
            source, "betting", "is missing: name a betting abstraction, e.g. configs/hu_small.yaml"
        )
    fields: dict[str, Any] = {"betting": _path(data["betting"], source, "betting", base)}
    buckets = data.get("buckets", LOSSLESS_PREFLOP)
    fields["buckets"] = (
        None if buckets == LOSSLESS_PREFLOP else _path(buckets, source, "buckets", base)
    )
    if data.get("num_players") is not None:
        players = _number(data["num_players"], source, "num_players", whole=True)
        if not 2 <= players <= 6:
            raise _fail(source, "num_players", f"must be between 2 and 6, got {players}")
        fields["num_players"] = players
    if "seed" in data:
        seed = _number(data["seed"], source, "seed", whole=True)
        if seed < 0:
            raise _fail(source, "seed", f"must be 0 or more, got {seed}")
        fields["seed"] = seed
    if "iterations" in data:
        fields["iterations"] = _optional_positive(
            data["iterations"], source, "iterations", whole=True
        )
    if "time_budget" in data:
        fields["time_budget"] = _optional_seconds(data["time_budget"], source, "time_budget")
    if "batch" in data:
        fields["batch"] = _positive(data["batch"], source, "batch", whole=True)
    if "regrets" in data:
        regrets = _section(data, source, "regrets", {"dtype", "scale", "floor"})
        if "dtype" in regrets:
            fields["regret_dtype"] = _choice(
                regrets["dtype"], source, "regrets.dtype", ("int32", "float32")
            )
        if "scale" in regrets:
            fields["regret_scale"] = float(_positive(regrets["scale"], source, "regrets.scale"))
        if regrets.get("floor") is not None:
            floor = _number(regrets["floor"], source, "regrets.floor")
            if floor >= 0:
                raise _fail(source, "regrets.floor", f"must be negative, got {floor}")
            fields["regret_floor"] = float(floor)
    if data.get("discount") is not None:
        discount = _section(data, source, "discount", {"interval", "cutoff"})
        for key in ("interval", "cutoff"):
            if key not in discount:
                raise _fail(source, f"discount.{key}", "is missing (iterations or a time like 10m)")
        interval = parse_point(discount["interval"], source, "discount.interval")
        if not interval.amount > 0:
            raise _fail(
                source, "discount.interval", f"must be positive, got {discount['interval']!r}"
            )
        cutoff = parse_point(discount["cutoff"], source, "discount.cutoff")
        if cutoff.unit != interval.unit:
            raise _fail(
                source,
                "discount.cutoff",
                f"is {discount['cutoff']!r} ({cutoff.unit}) but discount.interval is "
                f"{discount['interval']!r} ({interval.unit}): give both in iterations or both "
                "as times",
            )
        fields["discount"] = DiscountConfig(interval, cutoff)
    if data.get("prune") is not None:
        prune = _section(data, source, "prune", {"start", "threshold", "probability"})
        for key in ("start", "threshold"):
            if key not in prune:
                raise _fail(source, f"prune.{key}", "is missing")
        threshold = _number(prune["threshold"], source, "prune.threshold")
        if not threshold < 0:
            raise _fail(
                source,
                "prune.threshold",
                f"must be a negative number of regret units, got {threshold}",
            )
        probability = _number(prune.get("probability", 0.95), source, "prune.probability")
        if not 0 <= probability <= 1:
            raise _fail(source, "prune.probability", f"must be between 0 and 1, got {probability}")
        fields["prune"] = PruneConfig(
            parse_point(prune["start"], source, "prune.start"), float(threshold), float(probability)
        )
    if "average" in data:
        average = _section(
            data, source, "average", {"update", "interval", "sums", "warmup", "weights"}
        )
        if "update" in average:
            fields["average_update"] = _choice(
                average["update"], source, "average.update", ("sampled", "opponent")
            )
        if "interval" in average:
            fields["average_interval"] = _positive(
                average["interval"], source, "average.interval", whole=True
            )
        if "sums" in average:
            fields["average_sums"] = _choice(
                average["sums"], source, "average.sums", ("preflop", "all")
            )
        if "warmup" in average:
            fields["average_warmup"] = parse_warmup(average["warmup"], source)
        if "weights" in average:
            fields["average_weights"] = _choice(
                average["weights"], source, "average.weights", ("equal", "linear")
            )
    for key in ("snapshot_interval", "checkpoint_interval"):
        if key in data:
            fields[key] = _optional_seconds(data[key], source, key)
    if "keep_checkpoints" in data:
        fields["keep_checkpoints"] = _positive(
            data["keep_checkpoints"], source, "keep_checkpoints", whole=True
        )
    if "report_interval" in data:
        report = _optional_seconds(data["report_interval"], source, "report_interval")
        if report is None:
            raise _fail(source, "report_interval", "must be a number of seconds, got None")
        fields["report_interval"] = report
    if data.get("cluster") is not None:
        fields["cluster"] = _cluster(data, source)
    config = TrainConfig(source=source, **fields)
    _check_consistency(config, source)
    return config


def _cluster(data: Mapping, source: str) -> ClusterConfig:
    """The ``cluster`` section: where the Ray cluster is and how often the nodes merge."""
    section = _section(data, source, "cluster", {"ray", "sync_interval", "workers_per_node"})
    address = section.get("ray", "auto")
    if not isinstance(address, str) or not address.strip():
        raise _fail(
            source,
            "cluster.ray",
            f"must be auto or a cluster's address (host:6379), got {address!r}",
        )
    interval = _optional_seconds(
        section.get("sync_interval", DEFAULT_SYNC_INTERVAL), source, "cluster.sync_interval"
    )
    if interval is None:
        raise _fail(
            source, "cluster.sync_interval", "must be a number of seconds or a time like 1m"
        )
    workers = section.get("workers_per_node")
    if workers is not None:
        workers = _positive(workers, source, "cluster.workers_per_node", whole=True)
    return ClusterConfig(address.strip(), interval, workers)


def _check_consistency(config: TrainConfig, source: str) -> None:
    """Rules between keys: a floor below the pruning threshold, a floor int32 can hold, the
    opponent update with two players only."""
    if config.num_players is not None:
        check_players(config, config.num_players)
    floor = config.regret_floor
    if config.regret_dtype == "int32" and floor is not None and floor < -(2**31 - 1):
        raise _fail(source, "regrets.floor", f"{config.regret_floor:g} does not fit int32")
    if config.prune is not None and config.floor == float("-inf"):
        raise _fail(source, "regrets.floor", "pruning needs a regret floor: set regrets.floor")
    if config.prune is not None and not config.floor < config.prune.threshold:
        raise _fail(
            source,
            "regrets.floor",
            f"pruning below {config.prune.threshold:g} needs a regret floor below it, got "
            f"{config.floor:g}: set regrets.floor, e.g. {config.prune.threshold * 31 / 30:g}",
        )


def check_players(config: TrainConfig, n_players: int) -> None:
    """Refuse settings that are wrong for ``n_players`` (the game's, once it is loaded).

    The opponent update weighs each iteration by the reach of every seat but the traverser and
    the owner (`holdem.cfr.mccfr`): constant with two players, a bias with more.
    """
    if config.average_update == "opponent" and n_players > 2:
        raise _fail(
            config.source,
            "average.update",
            f"opponent averaging is biased with more than two players ({n_players} here): "
            "use sampled",
        )


def load_train_config(path: str | Path) -> TrainConfig:
    """Read and validate a training config file (see the module docstring)."""
    path = Path(path)
    data = read_yaml(
        path,
        needs="a training config needs at least the key betting (see configs/blueprint_*.yaml)",
    )
    return train_config_from_dict(data, str(path), path.resolve().parent)
