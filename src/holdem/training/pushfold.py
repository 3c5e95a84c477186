"""Heads-up push/fold: exact values, best responses and exploitability, per preflop class.

The game (the presets ``configs/pushfold_*bb.yaml``): blinds 0.5 and 1 big blind, both seats
start with ``S`` big blinds (blinds included). The small blind (tree seat 0) folds, losing 0.5,
or goes all-in; facing the all-in the big blind folds, losing 1, or calls, and the whole board
is dealt: the winner takes ``S`` from the loser (a tie splits). A strategy is a probability
per preflop class (169, `holdem.cards.isomorphism.hand_index` of the hole cards): ``jam[c]``
for the small blind, ``call[c]`` for the big blind.

Everything is exact with card removal: the two hands are dealt together from one deck, so
class pair ``(i, j)`` comes up with probability ``pairs[i, j] / (1326 * 1225)``, and the small
blind's all-in equity there is ``equity[i, j] / pairs[i, j]``, both from
`holdem.cards.preflop_matchups`. With these, the small blind's value is bilinear in
``(jam, call)``, and each seat's best response picks, class by class, the action of larger
value. Exploitability is the mean of the two seats' best-response gains (NashConv / 2, in big
blinds per hand), as in `holdem.cfr.best_response.PolicyReport`; it is 0 exactly at an
equilibrium. The game and its equilibrium are those of the "jam-or-fold" game in Chen and
Ankenman, *The Mathematics of Poker* (ConJelCo, 2006), and of HoldemResources.net's heads-up
push/fold Nash charts.

Also here: `read_push_fold` takes ``jam``/``call`` out of a policy table of the push/fold
betting tree, `push_fold_table` writes them into one, and `class_grid` draws 169 numbers as
the usual 13x13 chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import comb

import numpy as np
from rich.table import Table
from rich.text import Text

from holdem.abstraction.betting_tree import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    RAISE,
    SHOWDOWN,
    BettingTree,
    TableLayout,
)
from holdem.cards.encoding import RANKS
from holdem.cards.isomorphism import hand_index
from holdem.cards.preflop_matchups import (
    N_CLASSES,
    N_COMBOS,
    PreflopMatchups,
    class_label,
    class_sizes,
    preflop_matchups,
)
from holdem.cfr.best_response import PolicyReport

SMALL_BLIND = 0.5
BIG_BLIND = 1.0
N_DEALS = N_COMBOS * comb(50, 2)  # ordered pairs of disjoint hands: 1326 * 1225


def _strategy(values: np.ndarray | list[float], name: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (N_CLASSES,):
        raise ValueError(f"{name} must give one probability per class (169), got {array.shape}")
    if not np.all((array >= 0) & (array <= 1)):
        bad = float(array[~((array >= 0) & (array <= 1))][0])
        raise ValueError(f"{name} must hold probabilities in [0, 1], got {bad!r}")
    return array


@dataclass(frozen=True, eq=False)
class PushFoldReport:
    """Values of a strategy pair, in big blinds per hand, seat 0 the small blind.

    ``expected[s]``: seat ``s``'s value of the pair; ``best_response[s]``: its value when it
    plays ``best_jam`` (seat 0) or ``best_call`` (seat 1) against the other's strategy. The
    best responses are pure (0 or 1 per class; a class indifferent between its actions jams or
    calls).
    """

    stack: float
    expected: tuple[float, float]
    best_response: tuple[float, float]
    best_jam: np.ndarray
    best_call: np.ndarray

    @property
    def nash_conv(self) -> float:
        """Sum of the two seats' best-response gains (0 exactly at an equilibrium)."""
        return sum(b - e for b, e in zip(self.best_response, self.expected, strict=True))

    @property
    def exploitability(self) -> float:
        """NashConv / 2: the mean best-response gain, big blinds per hand."""
        return self.nash_conv / 2

    def policy_report(self) -> PolicyReport:
        """The same numbers as the solver's `PolicyReport` (big blinds instead of chips)."""
        return PolicyReport(best_response=self.best_response, expected=self.expected)


class PushFold:
    """The heads-up push/fold game at ``stack`` big blinds (blinds included), exactly.

    ``matchups`` defaults to `holdem.cards.preflop_matchups.preflop_matchups()` (computed and
    cached on first use). Every method costs a few 169x169 products: microseconds.
    """

    def __init__(self, stack: float, matchups: PreflopMatchups | None = None) -> None:
        if isinstance(stack, bool) or not isinstance(stack, int | float) or not stack > 1:
            raise ValueError(
                f"stack must be more than the big blind (1), in big blinds, got {stack!r}"
            )
        tables = matchups if matchups is not None else preflop_matchups()
        self.stack = float(stack)
        # Deal probabilities and equity-weighted probabilities, small blind's class first.
        self._p = tables.pairs / N_DEALS
        self._e = tables.equity / N_DEALS
        # Showdown value for the small blind, per class pair, weighted by the deal: the pot of
        # 2 S won with its equity, minus the S put in.
        self._showdown = 2 * self.stack * self._e - self.stack * self._p

    def sb_action_values(self, call: np.ndarray | list[float]) -> tuple[np.ndarray, np.ndarray]:
        """``(fold, jam)``: the small blind's value of each action per class, weighted by how
        often the class is dealt (so a strategy's value is ``sum((1 - jam) * fold + jam *
        jam_value)``)."""
        c = _strategy(call, "call")
        fold = -SMALL_BLIND * self._p.sum(axis=1)
        jam = self._p @ (1 - c) * BIG_BLIND + self._showdown @ c
        return fold, jam

    def bb_action_values(self, jam: np.ndarray | list[float]) -> tuple[np.ndarray, np.ndarray]:
        """``(fold, call)``: the big blind's value per class facing the small blind's all-in
        (weighted by how often its class meets a jam), so that its value of a strategy is
        ``sum(fold_rest + (1 - call) * fold + call * call_value)`` with ``fold_rest`` its
        gain when the small blind folds."""
        j = _strategy(jam, "jam")
        fold = -BIG_BLIND * (j @ self._p)
        call = -(j @ self._showdown)
        return fold, call

    def values(
        self, jam: np.ndarray | list[float], call: np.ndarray | list[float]
    ) -> tuple[float, float]:
        """(small blind, big blind) value of the strategy pair, big blinds per hand."""
        j = _strategy(jam, "jam")
        fold, jam_value = self.sb_action_values(call)
        sb = float(np.sum((1 - j) * fold + j * jam_value))
        return sb, -sb

    def best_jam(self, call: np.ndarray | list[float]) -> tuple[np.ndarray, float]:
        """The small blind's best response to ``call`` (0/1 per class) and its value."""
        fold, jam = self.sb_action_values(call)
        best = (jam >= fold).astype(np.float64)
        return best, float(np.maximum(fold, jam).sum())

    def best_call(self, jam: np.ndarray | list[float]) -> tuple[np.ndarray, float]:
        """The big blind's best response to ``jam`` (0/1 per class) and its value."""
        j = _strategy(jam, "jam")
        fold, call = self.bb_action_values(j)
        rest = SMALL_BLIND * float(((1 - j) @ self._p).sum())  # the small blind folded
        best = (call >= fold).astype(np.float64)
        return best, rest + float(np.maximum(fold, call).sum())

    def report(
        self, jam: np.ndarray | list[float], call: np.ndarray | list[float]
    ) -> PushFoldReport:
        """Values, best responses and exploitability of the pair ``(jam, call)``."""
        expected = self.values(jam, call)
        best_jam, sb_best = self.best_jam(call)
        best_call, bb_best = self.best_call(jam)
        return PushFoldReport(self.stack, expected, (sb_best, bb_best), best_jam, best_call)


def solve_push_fold(
    game: PushFold, target: float = 1e-4, max_iterations: int = 200_000
) -> tuple[np.ndarray, np.ndarray, PushFoldReport]:
    """An equilibrium of the push/fold game by CFR+ (O. Tammelin, "Solving Large Imperfect
    Information Games Using CFR+", 2014, https://arxiv.org/abs/1407.5042) on its exact
    169x169 form: alternating updates, linearly weighted averages, until the average pair
    ``(jam, call)`` is ``target``-exploitable (big blinds per hand). Raises RuntimeError when
    ``max_iterations`` do not reach it. A reference for the trainer, not a trainer."""
    regret_jam, regret_call = np.zeros((N_CLASSES, 2)), np.zeros((N_CLASSES, 2))
    sum_jam, sum_call, weights = np.zeros(N_CLASSES), np.zeros(N_CLASSES), 0.0

    def matched(regret: np.ndarray) -> np.ndarray:
        total = regret.sum(axis=1)
        return np.where(total > 0, regret[:, 1] / np.where(total > 0, total, 1), 0.5)

    for t in range(1, max_iterations + 1):
        call = matched(regret_call)
        fold, jam_value = game.sb_action_values(call)
        jam = matched(regret_jam)
        value = (1 - jam) * fold + jam * jam_value
        regret_jam = np.maximum(regret_jam + np.stack([fold - value, jam_value - value], 1), 0)
        jam = matched(regret_jam)
        fold, call_value = game.bb_action_values(jam)
        value = (1 - call) * fold + call * call_value
        regret_call = np.maximum(regret_call + np.stack([fold - value, call_value - value], 1), 0)
        sum_jam += t * jam
        sum_call += t * matched(regret_call)
        weights += t
        if t % 25 == 0:
            report = game.report(sum_jam / weights, sum_call / weights)
            if report.exploitability < target:
                return sum_jam / weights, sum_call / weights, report
    raise RuntimeError(f"CFR+ did not reach {target} in {max_iterations} iterations")


def combo_fraction(strategy: np.ndarray | list[float]) -> float:
    """The share of the 1,326 hole-card combinations a per-class strategy plays."""
    s = _strategy(strategy, "strategy")
    return float(s @ class_sizes() / N_COMBOS)


def _push_fold_nodes(tree: BettingTree) -> tuple[int, int, int, int]:
    """``(root, jam_action, bb_node, call_action)`` of a push/fold tree, found by structure.

    Raises ValueError naming what does not fit: the root must be the small blind's (seat 0)
    fold or all-in; the all-in must lead to the big blind's fold or call, the call to a
    showdown.
    """
    if tree.n_players != 2 or tree.kind[0] != DECISION or tree.player[0] != 0:
        raise ValueError("not a push/fold tree: the root must be seat 0's decision, heads-up")
    stack = tree.spec.stack
    root_kinds = [int(tree.action_kind[c]) for c in tree.children(0)]
    if sorted(root_kinds) != [FOLD, RAISE]:
        raise ValueError(
            f"not a push/fold tree: the root offers {tree.action_labels(0)}, not fold and "
            "all-in (set limp: false and max_raises: 1 preflop, without sizes)"
        )
    jam_action = root_kinds.index(RAISE)
    bb_node = int(tree.first_child[0]) + jam_action
    fold_child = int(tree.first_child[0]) + root_kinds.index(FOLD)
    if tree.action_to[bb_node] != stack or tree.kind[fold_child] != FOLD_END:
        raise ValueError("not a push/fold tree: the small blind's raise is not all-in")
    bb_kinds = [int(tree.action_kind[c]) for c in tree.children(bb_node)]
    if (
        tree.kind[bb_node] != DECISION
        or tree.player[bb_node] != 1
        or sorted(bb_kinds)
        != [
            FOLD,
            CALL,
        ]
    ):
        raise ValueError(
            "not a push/fold tree: after the all-in the big blind must fold or call, got "
            f"{tree.action_labels(bb_node) if tree.kind[bb_node] == DECISION else 'no decision'}"
        )
    call_action = bb_kinds.index(CALL)
    if tree.kind[int(tree.first_child[bb_node]) + call_action] != SHOWDOWN:
        raise ValueError("not a push/fold tree: the big blind's call must end in a showdown")
    return 0, jam_action, bb_node, call_action


def _rows(layout: TableLayout, tree: BettingTree, node: int, table: np.ndarray) -> np.ndarray:
    n_actions = int(tree.n_actions[node])
    n_buckets = layout.n_buckets[int(tree.street[node])]
    if n_buckets != N_CLASSES:
        raise ValueError(
            f"the preflop has {n_buckets} buckets, not the 169 lossless classes push/fold uses"
        )
    return np.asarray(layout.node_rows(table, node, 0, n_actions), np.float64)


def read_push_fold(
    tree: BettingTree, layout: TableLayout, table: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(jam, call)`` per class from a policy table of the push/fold tree.

    ``table[layout.row(node, 0, bucket) + a]`` with the preflop bucket equal to
    the class (169 buckets). Rows may be probabilities or unnormalised sums (a training run's
    strategy sums): each row is normalised, and a row of zeros (never reached) counts as
    uniform. Raises ValueError when the tree is not push/fold or the table is too short.
    """
    if table.shape[0] < layout.size:
        raise ValueError(f"the table has {table.shape[0]} entries, the layout needs {layout.size}")
    root, jam_action, bb_node, call_action = _push_fold_nodes(tree)
    out = []
    for node, action in ((root, jam_action), (bb_node, call_action)):
        rows = _rows(layout, tree, node, table)
        if np.any(rows < 0):
            raise ValueError(f"the table holds negative entries at node {node}: not a policy")
        totals = rows.sum(axis=1)
        probs = np.where(totals > 0, rows[:, action] / np.where(totals > 0, totals, 1), 0.5)
        out.append(probs)
    return out[0], out[1]


def push_fold_table(
    tree: BettingTree,
    layout: TableLayout,
    jam: np.ndarray | list[float],
    call: np.ndarray | list[float],
) -> np.ndarray:
    """A float32 policy table of the push/fold tree playing ``jam`` and ``call`` per class."""
    j, c = _strategy(jam, "jam"), _strategy(call, "call")
    root, jam_action, bb_node, call_action = _push_fold_nodes(tree)
    table = np.zeros(layout.size, np.float32)
    for node, action, p in ((root, jam_action, j), (bb_node, call_action, c)):
        rows = np.zeros((N_CLASSES, 2))
        rows[:, action] = p
        rows[:, 1 - action] = 1 - p
        layout.node_rows(table, node, 0, 2)[:] = rows
    return table


def grid_classes() -> np.ndarray:
    """(13, 13) int64: the class in each cell of the usual chart, aces first: pairs on the
    diagonal, suited hands above it (row = higher rank), offsuit hands below (column = higher
    rank)."""
    grid = np.empty((13, 13), np.int64)
    for row in range(13):
        for col in range(13):
            high, low = 12 - min(row, col), 12 - max(row, col)
            suited = col > row
            # Rank r, suit s is card 4 r + s: suited uses one suit, the rest two.
            grid[row, col] = hand_index([4 * high, 4 * low + (0 if suited else 1)])
    return grid


def _shade(value: float, low: float, high: float) -> str:
    share = 0.0 if high <= low else min(1.0, max(0.0, (value - low) / (high - low)))
    green = int(40 + 160 * share)
    return f"on rgb(20,{green},40)" if share > 0 else ""


def class_grid(
    values: np.ndarray | list[float],
    title: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:.2f}",
) -> Table:
    """A rich table of 169 per-class numbers as the usual 13x13 chart (see `grid_classes`).

    Each cell shows the label (``AKs``) and the value formatted by ``fmt``, shaded from the
    smallest value to the largest (from 0 to 1 for probabilities).
    """
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (N_CLASSES,):
        raise ValueError(f"need one value per class (169), got shape {v.shape}")
    low, high = (0.0, 1.0) if v.min() >= 0 and v.max() <= 1 else (v.min(), v.max())
    grid = Table(title=title or None, show_header=True, padding=(0, 0), show_lines=False)
    grid.add_column("")
    for rank in reversed(RANKS):
        grid.add_column(rank, justify="center")
    classes = grid_classes()
    for row in range(13):
        cells: list[str | Text] = [RANKS[12 - row]]
        for col in range(13):
            c = int(classes[row, col])
            cells.append(
                Text(f"{class_label(c)}\n{fmt(float(v[c]))}", style=_shade(v[c], low, high))
            )
        grid.add_row(*cells)
    return grid
