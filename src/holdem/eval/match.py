"""Matches: a policy against an opponent over many real hands, duplicate-dealt, on every core.

Every hand is played by the exact rules engine (`holdem.rules.HandState`): the agents choose,
the engine checks each action and settles the pots. The table has ``n_seats`` seats (2 to 6);
the policy sits in one of them and the opponent in every other; the button stays at seat 0 and
stacks start afresh every hand.

Units. Results are counted per *unit*, a group of ``n_seats`` hands that puts the policy once in
every seat:

- duplicate (the default): one deal, played ``n_seats`` times with the policy moved round the
  seats while the cards stay with the seats. Heads-up this is the usual pair: each deal played
  twice with the sides swapped, so each player holds each hand once and card luck cancels out
  of the pair's sum. An agent against itself scores exactly zero on every unit;
- not duplicate: ``n_seats`` independent deals, the policy in seat ``k`` in the ``k``-th.

A unit's value is the policy's chips won over its hands divided by ``n_seats`` (chips per
hand). Units are independent, so the mean over units with the normal-approximation interval of
`holdem.eval.intervals` gives the result and its 95 % confidence interval, reported in milli
big blinds per hand (mbb/hand) and big blinds per 100 hands (bb/100; 1 bb/100 = 10 mbb/hand).

Randomness. Units are played in fixed chunks of `CHUNK_UNITS`; chunk ``c`` draws everything from
``SeedSequence(seed, spawn_key=(c,))``: one generator deals the cards, another gives every
(unit, seat) the start state of the generator handed to whoever sits in that seat. In a
duplicate unit every replay restarts each seat's generator from the same state, so a randomised
agent in a seat meets the same random numbers whichever replay it is. So a match's numbers
depend on the seed, the agents and the table only: never on the number of workers or on which
worker played which chunk. Swapping the two agents with the same seed gives, heads-up, exactly
the negated result unit for unit.

Hand histories. With a `holdem.histories.hand_log.HandLog`, every hand is also written there
(``holdem eval --log``): each chunk formats its hands where it plays them, numbered by their
place in the match, and the main process appends the chunks in their order as they arrive, so
the file is the same on any number of workers (but for the times in PokerStars headers).
Players are named after the agents (`holdem.histories.hand_log.distinct_names`).

Workers are processes of a `holdem.eval.chunk_pool` pool (``spawn`` context); the function they
run is importable at module level, the agents travel to them pickled once at start-up (a
blueprint agent pickles as its path and loads where it lands), and each chunk returns a small
array. One pool serves every opponent of `play_matches`. An exception in a worker reaches the
caller with the worker's traceback; a worker that dies (killed, out of memory) stops the match
with `holdem.eval.chunk_pool.WorkerDiedError`; the pool is shut down (waiting for chunks
already running) before `play_match` returns or raises, Ctrl-C included; and a worker whose
parent is killed outright exits by itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from holdem.eval.agents import Agent
from holdem.eval.chunk_pool import (
    close_pool,
    resolve_workers,
    run_bounded,
    spawn_pool,
    split_chunks,
    worker_values,
)
from holdem.eval.intervals import MeanInterval, mean_interval
from holdem.histories.hand_log import HandLog, distinct_names, format_hand
from holdem.rules.actions import IllegalActionError
from holdem.rules.dealing import Deal
from holdem.rules.state import HandState
from holdem.rules.table import MAX_SEATS, MIN_SEATS, TableConfig

CHUNK_UNITS = 250
"""Units per chunk. Part of what a seed means: changing it changes every match's deals."""

_PCG64_INC = (0xDA3E39CB94B95BDB << 64) | 0x5851F42D4C957F2D
"""The increment of every seat generator (any odd number; PCG64 streams differ by start state)."""


class AgentError(RuntimeError):
    """An agent returned an illegal action; the message names the agent, its seat and the hand."""


@dataclass(frozen=True)
class MatchConfig:
    """The table of a match and how hands are grouped.

    ``stack`` is every seat's starting stack in chips, reset each hand (default 100 big
    blinds); ``duplicate`` replays each deal once per seat (see the module docstring).
    Validated on construction, with the rules engine's own checks of the blinds and stacks.
    """

    n_seats: int = 2
    small_blind: int = 50
    big_blind: int = 100
    stack: int = 10_000
    ante: int = 0
    duplicate: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.n_seats, bool) or not isinstance(self.n_seats, int):
            raise ValueError(f"n_seats must be a whole number, got {self.n_seats!r}")
        if not MIN_SEATS <= self.n_seats <= MAX_SEATS:
            raise ValueError(f"a match has {MIN_SEATS} to {MAX_SEATS} seats, got {self.n_seats}")
        self.table()

    def table(self) -> TableConfig:
        """The rules engine's table: equal stacks, the button at seat 0."""
        return TableConfig(
            stacks=(self.stack,) * self.n_seats,
            small_blind=self.small_blind,
            big_blind=self.big_blind,
            ante=self.ante,
        )

    def units_for(self, deals: int) -> int:
        """How many units ``deals`` deals make; ValueError when they do not fill whole units."""
        if isinstance(deals, bool) or not isinstance(deals, int) or deals < 1:
            raise ValueError(f"the number of deals must be a positive whole number, got {deals!r}")
        if self.duplicate:
            return deals
        if deals % self.n_seats:
            raise ValueError(
                f"without duplicate dealing the number of hands must be a multiple of the "
                f"{self.n_seats} seats (the policy sits in each seat equally often), got {deals}"
            )
        return deals // self.n_seats

    def to_dict(self) -> dict[str, Any]:
        """The fields, for a result file."""
        return {
            "n_seats": self.n_seats,
            "small_blind": self.small_blind,
            "big_blind": self.big_blind,
            "stack": self.stack,
            "ante": self.ante,
            "duplicate": self.duplicate,
        }


def play_hand(
    table: TableConfig,
    deal: Deal,
    agents: Sequence[Agent],
    rngs: Sequence[np.random.Generator],
) -> HandState:
    """One hand to the end: ``agents[s]`` plays seat ``s`` with generator ``rngs[s]``.

    ``deal`` must hold a full board. Raises `AgentError` naming the agent, the seat and the
    hand when an agent's action is illegal.
    """
    state = HandState(table, deal)
    while not state.is_terminal:
        seat = state.to_act
        assert seat is not None, "a deal with a full board never waits for cards"
        agent = agents[seat]
        action = agent.act(state, seat, rngs[seat])
        try:
            state.apply(action, seat)
        except IllegalActionError as error:
            raise AgentError(
                f"agent {agent.name} in seat {seat} played {action} in hand {deal}: {error}"
            ) from None
    return state


@dataclass(frozen=True)
class LogSpec:
    """How a chunk writes its hands for a `HandLog`: the format, the number of the match's
    first hand and the table's name."""

    log_format: str
    first_id: int
    table: str


@dataclass
class MatchChunkResult:
    """What one chunk sends back: per unit the policy's chips, a few counts, and its hands'
    histories when the match is logged."""

    index: int
    unit_chips: np.ndarray
    seat_chips: np.ndarray
    hands: int
    actions: int
    pid: int
    histories: str = ""


def _seat_states(root: np.random.SeedSequence, units: int, games: int, n_seats: int) -> np.ndarray:
    """The 128-bit start state of every (unit, game, seat) generator, as (hi, lo) uint64 pairs."""
    return np.random.default_rng(root).integers(
        0, np.iinfo(np.uint64).max, size=(units, games, n_seats, 2), dtype=np.uint64, endpoint=True
    )


def _restart(generator: np.random.Generator, hi: int, lo: int) -> None:
    """Put ``generator`` (a PCG64) at the start state ``hi * 2**64 + lo``."""
    generator.bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": (int(hi) << 64) | int(lo), "inc": _PCG64_INC},
        "has_uint32": 0,
        "uinteger": 0,
    }


def play_chunk(
    hero: Agent,
    opponent: Agent,
    config: MatchConfig,
    seed: int,
    index: int,
    units: int,
    log: LogSpec | None = None,
) -> MatchChunkResult:
    """Play chunk ``index`` of a match: ``units`` units from the chunk's own seed (see above),
    with the hands' histories when ``log`` says how to write them."""
    n = config.n_seats
    table = config.table()
    deal_seq, seat_seq = np.random.SeedSequence(seed, spawn_key=(index,)).spawn(2)
    deal_rng = np.random.default_rng(deal_seq)
    games = 1 if config.duplicate else n
    states = _seat_states(seat_seq, units, games, n)
    rngs = [np.random.Generator(np.random.PCG64(0)) for _ in range(n)]
    unit_chips = np.zeros(units, np.int64)
    seat_chips = np.zeros(n, np.int64)
    actions = 0
    histories: list[str] = []
    for u in range(units):
        deal = Deal.random(n, deal_rng)
        for k in range(n):
            if not config.duplicate and k:
                deal = Deal.random(n, deal_rng)
            g = 0 if config.duplicate else k
            for s in range(n):
                _restart(rngs[s], states[u, g, s, 0], states[u, g, s, 1])
            agents = [hero if s == k else opponent for s in range(n)]
            state = play_hand(table, deal, agents, rngs)
            won = state.payoffs[k]
            unit_chips[u] += won
            seat_chips[k] += won
            actions += len(state.history)
            if log is not None:
                hand_id = log.first_id + (index * CHUNK_UNITS + u) * n + k
                names = distinct_names([agent.name for agent in agents])
                histories.append(format_hand(log.log_format, state, hand_id, names, log.table))
    return MatchChunkResult(
        index, unit_chips, seat_chips, units * n, actions, os.getpid(), "".join(histories)
    )


def _worker_chunk(opponent: int, log: LogSpec | None, index: int, units: int) -> MatchChunkResult:
    """A worker's task: chunk ``index`` against opponent number ``opponent``."""
    w = worker_values()
    return play_chunk(
        w["hero"], w["opponents"][opponent], w["config"], w["seed"], index, units, log
    )


@dataclass(frozen=True)
class MatchResult:
    """A finished match: the policy's chips per unit, and the figures derived from them."""

    policy: str
    opponent: str
    config: MatchConfig
    seed: int
    deals: int
    unit_chips: np.ndarray = field(repr=False)
    seat_chips: tuple[int, ...]
    actions: int
    seconds: float
    workers: int
    worker_pids: tuple[int, ...]

    @property
    def units(self) -> int:
        """Independent units (duplicate deals, or groups of one hand per seat)."""
        return int(self.unit_chips.size)

    @property
    def hands(self) -> int:
        """Hands played."""
        return self.units * self.config.n_seats

    def chips_per_hand(self, confidence: float = 0.95) -> MeanInterval:
        """The policy's mean chips won per hand, with its interval over units."""
        return mean_interval(self.unit_chips / self.config.n_seats, confidence)

    def mbb_per_hand(self, confidence: float = 0.95) -> MeanInterval:
        """Milli big blinds won per hand."""
        return self.chips_per_hand(confidence).scaled(1000 / self.config.big_blind)

    def bb_per_100(self, confidence: float = 0.95) -> MeanInterval:
        """Big blinds won per 100 hands."""
        return self.chips_per_hand(confidence).scaled(100 / self.config.big_blind)

    def to_dict(self) -> dict[str, Any]:
        """Everything a result file records (the per-unit values are left out)."""
        mbb, bb100 = self.mbb_per_hand(), self.bb_per_100()
        per_seat = 1000 / self.config.big_blind / self.units
        return {
            "policy": self.policy,
            "opponent": self.opponent,
            "deals": self.deals,
            "hands": self.hands,
            "units": self.units,
            "mbb_per_hand": mbb.mean,
            "mbb_per_hand_ci95": [mbb.low, mbb.high],
            "mbb_per_hand_std_error": mbb.std_error,
            "bb_per_100": bb100.mean,
            "bb_per_100_ci95": [bb100.low, bb100.high],
            "mbb_per_hand_by_seat": [c * per_seat for c in self.seat_chips],
            "chips_won": int(self.unit_chips.sum()),
            "actions": self.actions,
            "seconds": self.seconds,
            "hands_per_second": self.hands / self.seconds if self.seconds > 0 else None,
            "workers": self.workers,
            "seed": self.seed,
            "table": self.config.to_dict(),
        }


def play_match(
    hero: Agent,
    opponent: Agent,
    deals: int,
    config: MatchConfig | None = None,
    seed: int = 0,
    num_workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> MatchResult:
    """Play ``deals`` deals of ``hero`` (the policy) against ``opponent``; see the module docstring.

    ``num_workers`` processes (0: every core; 1: in this process, where any agent will do; more:
    agents must pickle, and a script must start the match under ``if __name__ == "__main__":``
    as ``spawn`` requires). ``on_progress(units)`` is called as units finish. Needs at least two
    units (an interval needs a spread). Raises ValueError for bad arguments, `AgentError` for an
    agent's illegal action, and whatever a worker raised.
    """
    progress = None if on_progress is None else (lambda _, units: on_progress(units))
    (result,) = play_matches(hero, [opponent], deals, config, seed, num_workers, progress)
    return result


def play_matches(
    hero: Agent,
    opponents: Sequence[Agent],
    deals: int,
    config: MatchConfig | None = None,
    seed: int = 0,
    num_workers: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    log: HandLog | None = None,
) -> list[MatchResult]:
    """`play_match` against each of ``opponents`` in turn, on one pool of workers.

    Every match deals the same cards (the seed decides them, not the opponent), so the results
    against different opponents are compared on the same hands. ``on_progress(k, units)``
    reports units finished against ``opponents[k]``. A match's ``seconds`` run from its first
    chunk's submission to its last result (the first one also pays the workers' start-up).
    ``log`` receives every hand, chunk by chunk in order (see the module docstring).
    """
    config = config or MatchConfig()
    units = config.units_for(deals)
    if units < 2:
        raise ValueError(
            f"{deals} deal(s) make {units} unit(s); a confidence interval needs at least 2"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the seed must be a whole number 0 or more, got {seed!r}")
    if not opponents:
        raise ValueError("give at least one opponent")
    workers = min(resolve_workers(num_workers), -(-units // CHUNK_UNITS))
    chunks = split_chunks(units, CHUNK_UNITS)
    pool = None
    if workers > 1:
        values = {"hero": hero, "opponents": list(opponents), "config": config, "seed": seed}
        pool = spawn_pool(workers, values)
    matches = []
    try:
        for k, opponent in enumerate(opponents):
            progress = None if on_progress is None else partial(on_progress, k)
            spec = None if log is None else LogSpec(log.log_format, log.next_id, log.table)
            done = _ChunkDone(progress, log)
            start = time.perf_counter()
            if pool is None:
                results = []
                for index, size in chunks:
                    results.append(play_chunk(hero, opponent, config, seed, index, size, spec))
                    done(results[-1])
            else:
                results = run_bounded(
                    partial(_submit_chunk, pool, k, spec),
                    chunks,
                    2 * workers,
                    done,
                    "a match worker",
                )
            if log is not None:
                log.next_id += units * config.n_seats
            seconds = time.perf_counter() - start
            matches.append(
                _match_result(hero, opponent, config, seed, deals, results, seconds, workers)
            )
    finally:
        if pool is not None:
            close_pool(pool)
    return matches


def _match_result(
    hero: Agent,
    opponent: Agent,
    config: MatchConfig,
    seed: int,
    deals: int,
    results: list[MatchChunkResult],
    seconds: float,
    workers: int,
) -> MatchResult:
    results = sorted(results, key=lambda r: r.index)
    return MatchResult(
        policy=hero.name,
        opponent=opponent.name,
        config=config,
        seed=seed,
        deals=deals,
        unit_chips=np.concatenate([r.unit_chips for r in results]),
        seat_chips=tuple(int(c) for c in np.sum([r.seat_chips for r in results], axis=0)),
        actions=sum(r.actions for r in results),
        seconds=seconds,
        workers=workers,
        worker_pids=tuple(sorted({r.pid for r in results})),
    )


def _submit_chunk(
    pool: ProcessPoolExecutor, opponent: int, log: LogSpec | None, index: int, size: int
) -> Future[MatchChunkResult]:
    return pool.submit(_worker_chunk, opponent, log, index, size)


class _ChunkDone:
    """What happens as each chunk of a match arrives: progress, and its hands appended to the
    log in chunk order (a chunk that arrives early waits for those before it)."""

    def __init__(self, progress: Callable[[int], None] | None, log: HandLog | None) -> None:
        self.progress = progress
        self.log = log
        self.next_index = 0
        self.waiting: dict[int, MatchChunkResult] = {}

    def __call__(self, result: MatchChunkResult) -> None:
        if self.progress is not None:
            self.progress(result.unit_chips.size)
        if self.log is None:
            return
        self.waiting[result.index] = result
        while self.next_index in self.waiting:
            ready = self.waiting.pop(self.next_index)
            self.log.write_text(ready.histories, ready.hands)
            self.next_index += 1
