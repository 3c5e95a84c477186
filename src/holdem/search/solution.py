"""A solved spot as a file: ``spot.json``, written by `holdem spot` and read back with checks.

::

    {"format": "holdem-spot", "format_version": 1, "board": "Qs Jh 2h", "pot": 1000,
     "stack": 9500, "ranges": {"oop": "...", "ip": "..."}, "algorithm": "dcfr",
     "exploitability_pct_pot": 0.28, "iterations": 420, "seconds": 12.5,
     "nodes": {"<history>": {"player": 0, "actions": ["x", "b330", "b750", "a"],
                             "strategy": {"AsKd": [0.1, 0.6, 0.3, 0.0], ...},
                             "ev": {"AsKd": 412.5, ...},
                             "reach": {"AsKd": 0.75, ...}}, ...}}

A history is the actions from the spot's start in `holdem.search.spot_tree`'s letters (``x``,
``c``, ``f``, ``b<chips>``, ``r<chips>``, ``a``, ``/`` and the card dealt: ``xb750c/8d``); the
root is ``""``. Every decision of the first street is written, and those below a card for the
runouts asked for. At a node, for each combination of the player to act that can be there:
``strategy`` its average action probabilities, ``ev`` the chips it wins on average from there
(the pot at the spot's start counted as won back: a hand that always takes the pot without
more betting has ``ev`` = pot), and ``reach`` the probability that it is there (its range weight
times its own actions' probabilities on the way). Combinations are written high card first
(``AsKd``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from holdem.cards.combos import combo_text
from holdem.cards.encoding import format_card, format_cards, parse_cards
from holdem.search.solver import SpotSolver
from holdem.search.spot_tree import ACTION, CHANCE
from holdem.search.suits import Permutation, combo_map
from holdem.search.vector_cfr import MODE_AVERAGE
from holdem.storage.atomic import write_text

FORMAT = "holdem-spot"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SolvedNode:
    """One decision of a solved spot (see the module docstring)."""

    history: str
    player: int
    actions: tuple[str, ...]
    strategy: dict[str, list[float]]
    ev: dict[str, float]
    reach: dict[str, float]


@dataclass(frozen=True)
class SpotSolution:
    """A solved spot as read from ``spot.json``."""

    board: str
    pot: int
    stack: int
    ranges: dict[str, str]
    algorithm: str
    exploitability_pct_pot: float
    iterations: int
    seconds: float
    nodes: dict[str, SolvedNode]


def _walk_nodes(
    solver: SpotSolver, runouts: Sequence[tuple[int, ...]]
) -> Iterator[tuple[str, int, tuple[int, ...], Permutation]]:
    """(history, node, dealt cards as solved, suit permutation to the cards asked for) of every
    decision to write, depth first. A runout whose first card is not its suit class's
    representative is solved as the representative's (`SpotSolver.canonical`) and renamed."""
    tree = solver.tree
    identity = (0, 1, 2, 3)
    stack: list[tuple[str, int, tuple[int, ...], tuple[int, ...], Permutation]] = [
        ("", 0, (), (), identity)
    ]
    while stack:
        history, node, dealt, real, perm = stack.pop()
        kind = int(tree.kind[node])
        if kind == ACTION:
            yield history, node, dealt, perm
            for child in reversed(tree.children_of(node).tolist()):
                stack.append((history + tree.action[child], child, dealt, real, perm))
        elif kind == CHANCE:
            child = int(tree.children_of(node)[0])
            depth = len(dealt)
            following = {
                (wanted[depth], *solver.canonical(wanted[: depth + 1]))
                for wanted in runouts
                if len(wanted) > depth and wanted[:depth] == real
            }
            for card, solved, to_real in sorted(following, reverse=True):
                history_below = history + "/" + format_card(card)
                stack.append((history_below, child, solved, (*real, card), to_real))


def solution_nodes(
    solver: SpotSolver,
    runouts: Sequence[tuple[int, ...]] = (),
) -> dict[str, SolvedNode]:
    """Every decision of the first street, and those below the cards of ``runouts`` (each the
    turn and/or river cards dealt in order), with strategies, EVs and reaches per combination."""
    tree = solver.tree
    out: dict[str, SolvedNode] = {}
    half_pot = solver.spot.pot / 2
    for history, node, dealt, perm in _walk_nodes(solver, runouts):
        reaches = solver.reach_at(node, dealt)
        player = int(tree.player[node])
        values = solver.values_at(node, dealt, player, reaches, MODE_AVERAGE)
        mass = solver.opponent_mass(player, reaches[1 - player])
        strategy = solver.strategy(node, solver.copy_of(dealt))
        combos = combo_map(perm)[solver.combos[player]]
        live = np.flatnonzero((reaches[player] > 0) & (mass > 0))
        names = {h: combo_text(int(combos[h])) for h in live}
        out[history] = SolvedNode(
            history=history,
            player=player,
            actions=tuple(tree.actions_of(node)),
            strategy={names[h]: [round(float(x), 6) for x in strategy[:, h]] for h in live},
            ev={names[h]: round(float(values[h] / mass[h] + half_pot), 4) for h in live},
            reach={names[h]: round(float(reaches[player][h]), 6) for h in live},
        )
    return out


def write_solution(
    path: str | Path,
    solver: SpotSolver,
    exploitability_pct: float,
    seconds: float,
    runouts: Sequence[tuple[int, ...]] = (),
) -> Path:
    """Write ``spot.json`` (module docstring) atomically."""
    spot = solver.spot
    nodes = solution_nodes(solver, runouts)
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "board": format_cards(spot.board),
        "pot": spot.pot,
        "stack": spot.stack,
        "ranges": {"oop": spot.range_texts[0], "ip": spot.range_texts[1]},
        "algorithm": solver.algorithm,
        "exploitability_pct_pot": round(float(exploitability_pct), 6),
        "iterations": solver.iterations,
        "seconds": round(float(seconds), 3),
        "nodes": {
            history: {
                "player": node.player,
                "actions": list(node.actions),
                "strategy": node.strategy,
                "ev": node.ev,
                "reach": node.reach,
            }
            for history, node in nodes.items()
        },
    }
    return write_text(path, json.dumps(document, separators=(",", ":")))


def _fail(path: Path, message: str) -> ValueError:
    return ValueError(f"{path}: {message}")


def load_spot_solution(path: str | Path) -> SpotSolution:
    """Read a ``spot.json`` and check it: format, version, keys, and every node's strategy rows
    (one probability per action, summing to 1). Errors are one line naming the file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(path, f"not a spot solution (not readable JSON: {error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _fail(
            path, f"not a spot solution (format is not {FORMAT!r}); write one with holdem spot"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise _fail(
            path,
            f"format_version {data.get('format_version')!r} is not {FORMAT_VERSION}: "
            "solve the spot again with this version of holdem",
        )
    keys = ("board", "pot", "stack", "exploitability_pct_pot", "iterations", "nodes")
    for key in keys:
        if key not in data:
            raise _fail(path, f"{key}: missing")
    try:
        parse_cards(data["board"])
    except ValueError as error:
        raise _fail(path, f"board: {error}") from None
    nodes = {}
    for history, node in data["nodes"].items():
        try:
            actions = tuple(node["actions"])
            for combo, row in node["strategy"].items():
                if len(row) != len(actions):
                    raise _fail(
                        path,
                        f"node {history!r}: {combo} has {len(row)} probabilities "
                        f"for {len(actions)} actions",
                    )
                if abs(sum(row) - 1.0) > 1e-3:
                    raise _fail(
                        path,
                        f"node {history!r}: {combo}'s probabilities sum to {sum(row):.4f}, not 1",
                    )
            nodes[history] = SolvedNode(
                history,
                int(node["player"]),
                actions,
                dict(node["strategy"]),
                dict(node.get("ev", {})),
                dict(node.get("reach", {})),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise _fail(path, f"node {history!r}: malformed ({error!r})") from None
    ranges = data.get("ranges", {})
    return SpotSolution(
        board=data["board"],
        pot=int(data["pot"]),
        stack=int(data["stack"]),
        ranges=dict(ranges) if isinstance(ranges, dict) else {},
        algorithm=str(data.get("algorithm", "")),
        exploitability_pct_pot=float(data["exploitability_pct_pot"]),
        iterations=int(data["iterations"]),
        seconds=float(data.get("seconds", 0.0)),
        nodes=nodes,
    )
