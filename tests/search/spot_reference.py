"""Slow, obvious references for the spot solver's proofs, written apart from its kernel.

The game of a spot, as the tests read it: chance deals the pair (OOP hand, IP hand) with
probability proportional to ``w0 * w1`` over the pairs that share no card (and no board card),
then the players act along `holdem.search.spot_tree.build_tree`'s betting structure (only its
kinds, players, children and commitments are read here); a chance node deals the next card
uniformly from the cards left after the board, the cards dealt and both hands. A fold costs the
folder its whole commitment (the starting pot counts half from each), a showdown moves the
commitment of the loser to the winner (ranks of `holdem.cards.evaluator.evaluate`, ties split).

Two independent models of that game:

- a recursion over the public tree per hand of one player, carrying the opponent's reach of
  each of its hands (`strategy_value`: a best response or the value of a strategy pair);
- the sequence form (Koller, Megiddo and von Stengel, "Fast algorithms for finding randomized
  strategies in game trees", STOC 1994; von Stengel, "Efficient computation of behavior
  strategies", GEB 1996): realization plans ``x``, ``y`` with ``E x = e``, ``F y = f`` and the
  payoff ``x^T A y``; the equilibrium is the linear program
  ``max_{x >= 0, q} q_0  s.t.  E x = e,  F^T q <= A^T x``, solved with HiGHS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from holdem.cards.combos import COMBOS
from holdem.cards.evaluator import evaluate
from holdem.search.solver import SpotSolver
from holdem.search.spot import Spot
from holdem.search.spot_tree import ACTION, CHANCE, FOLD, SHOWDOWN, SpotTree

Dealt = tuple[int, ...]
Strategy = Callable[[int, Dealt], np.ndarray]
"""(node, cards dealt after the spot's board) -> (k, H) probabilities of the player to act."""


@dataclass(frozen=True)
class Hands:
    """One player's live hands in `COMBOS` order: their cards and weights."""

    cards: list[tuple[int, int]]
    weights: np.ndarray


def live_hands(spot: Spot, player: int) -> Hands:
    """The combinations of ``player``'s range with weight > 0."""
    live = np.flatnonzero(spot.ranges[player] > 0)
    cards = [(int(COMBOS[c, 0]), int(COMBOS[c, 1])) for c in live]
    return Hands(cards, spot.ranges[player][live].astype(np.float64))


def disjoint(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether two sets of cards share none."""
    return not set(a) & set(b)


def pair_mass(spot: Spot) -> float:
    """The sum of ``w0 * w1`` over the (OOP hand, IP hand) pairs that share no card."""
    h0, h1 = live_hands(spot, 0), live_hands(spot, 1)
    return sum(
        h0.weights[i] * h1.weights[j]
        for i, a in enumerate(h0.cards)
        for j, b in enumerate(h1.cards)
        if disjoint(a, b)
    )


@cache
def _rank(cards: tuple[int, ...]) -> int:
    return evaluate(list(cards))


def oop_payoff(tree: SpotTree, node: int, board: Dealt, hand0: Dealt, hand1: Dealt) -> float:
    """OOP's chips won (negative: lost) at a fold or showdown ``node`` on the full ``board``."""
    commit = tree.commit[node]
    if tree.kind[node] == FOLD:
        folder = int(tree.player[node])
        return -float(commit[0]) if folder == 0 else float(commit[1])
    assert tree.kind[node] == SHOWDOWN and commit[0] == commit[1]
    r0, r1 = _rank(board + hand0), _rank(board + hand1)
    return float(commit[0]) * (r0 > r1) - float(commit[0]) * (r0 < r1)


def cards_left(board: Dealt, dealt: Dealt, *hands: Dealt) -> list[int]:
    """The cards chance may deal next."""
    used = set(board) | set(dealt)
    for hand in hands:
        used |= set(hand)
    return [c for c in range(52) if c not in used]


def copy_of(board: Dealt, dealt: Dealt) -> int:
    """The solver's copy number of a node below the cards ``dealt`` (`vector_cfr` docstring: a
    card's slot is its index among the cards off the spot's board; the second card's slot skips
    the first)."""
    deck = [c for c in range(52) if c not in board]
    if not dealt:
        return 0
    first = deck.index(dealt[0])
    if len(dealt) == 1:
        return first
    second = deck.index(dealt[1])
    return first * (len(deck) - 1) + (second - 1 if second > first else second)


def solver_strategy(solver: SpotSolver) -> Strategy:
    """The average strategy of a `SpotSolver`, read node by node and copy by copy."""
    board = tuple(solver.spot.board)
    return lambda node, dealt: solver.strategy(node, copy_of(board, dealt))


def uniform_strategy(spot: Spot, tree: SpotTree) -> Strategy:
    """Every action equally likely for every hand."""
    sizes = [len(live_hands(spot, p).cards) for p in (0, 1)]

    def strategy(node: int, dealt: Dealt) -> np.ndarray:
        k = int(tree.n_children[node])
        return np.full((k, sizes[int(tree.player[node])]), 1.0 / k)

    return strategy


def strategy_value(
    spot: Spot,
    tree: SpotTree,
    player: int,
    opponent: Strategy,
    own: Strategy | None = None,
) -> float:
    """``player``'s value per game in chips: of a best response to ``opponent`` when ``own`` is
    None, else of ``own`` against ``opponent``. One recursion per hand of ``player``; the
    opponent's hands are a vector of reach probabilities (weights times its action
    probabilities, zero for hands that share a card with the hand or the cards dealt)."""
    board = tuple(spot.board)
    mine, theirs = live_hands(spot, player), live_hands(spot, 1 - player)
    sign = 1.0 if player == 0 else -1.0

    def value(node: int, dealt: Dealt, h: int, reach: np.ndarray) -> float:
        kind = tree.kind[node]
        hand = mine.cards[h]
        if kind in (FOLD, SHOWDOWN):
            total = 0.0
            for o, other in enumerate(theirs.cards):
                if reach[o] > 0.0:
                    pair = (hand, other) if player == 0 else (other, hand)
                    total += reach[o] * sign * oop_payoff(tree, node, board + dealt, *pair)
            return total
        children = tree.children_of(node)
        if kind == CHANCE:
            # given both hands, the next card is one of the cards left: 52 - board - dealt - 4
            unseen = 52 - len(board) - len(dealt) - 4
            total = 0.0
            for card in cards_left(board, dealt, hand):
                dealt_reach = np.array(
                    [
                        r if card not in other else 0.0
                        for r, other in zip(reach, theirs.cards, strict=True)
                    ]
                )
                total += value(int(children[0]), (*dealt, card), h, dealt_reach)
            return total / unseen
        assert kind == ACTION
        actor = int(tree.player[node])
        if actor == player:
            values = [value(int(c), dealt, h, reach) for c in children]
            if own is None:
                return max(values)
            probs = own(node, dealt)[:, h]
            return float(sum(p * v for p, v in zip(probs, values, strict=True)))
        probs = opponent(node, dealt)
        return sum(value(int(c), dealt, h, reach * probs[a]) for a, c in enumerate(children))

    total = 0.0
    for h, hand in enumerate(mine.cards):
        reach = np.array(
            [
                w if disjoint(hand, o) else 0.0
                for w, o in zip(theirs.weights, theirs.cards, strict=True)
            ]
        )
        total += mine.weights[h] * value(0, (), h, reach)
    return total / pair_mass(spot)


def exploitability_pct(spot: Spot, tree: SpotTree, strategies: tuple[Strategy, Strategy]) -> float:
    """The mean gain of the two best responses, in % of the pot."""
    br0 = strategy_value(spot, tree, 0, strategies[1])
    br1 = strategy_value(spot, tree, 1, strategies[0])
    return (br0 + br1) / 2 / spot.pot * 100


@dataclass(frozen=True)
class Infoset:
    """A decision of one player: its hand, the public node and the cards dealt; its sequences
    are ``first .. first + k - 1`` and the sequence that leads to it is ``parent``."""

    hand: int
    node: int
    dealt: Dealt
    parent: int
    first: int


@dataclass(frozen=True)
class SequenceForm:
    """The sequence form of a spot: ``payoff`` (n0, n1) is OOP's payoff times the chance
    probability summed over the leaves each pair of sequences reaches; ``constraints[p]`` the
    matrix ``E`` (OOP) or ``F`` (IP), row 0 for the empty sequence, then one per infoset."""

    payoff: sp.csr_matrix
    constraints: tuple[sp.csr_matrix, sp.csr_matrix]
    infosets: tuple[list[Infoset], list[Infoset]]
    index: tuple[dict[tuple[int, int, Dealt], int], dict[tuple[int, int, Dealt], int]]


def sequence_form(spot: Spot, tree: SpotTree) -> SequenceForm:
    """Build the sequence form of ``spot`` by walking its betting tree for every deal."""
    board = tuple(spot.board)
    hands = (live_hands(spot, 0), live_hands(spot, 1))
    infosets: tuple[list[Infoset], list[Infoset]] = ([], [])
    index: tuple[dict[tuple[int, int, Dealt], int], ...] = ({}, {})
    n_seq = [1, 1]

    def grow(p: int, h: int, node: int, dealt: Dealt, parent: int) -> None:
        kind = tree.kind[node]
        children = tree.children_of(node)
        if kind == CHANCE:
            for card in cards_left(board, dealt, hands[p].cards[h]):
                grow(p, h, int(children[0]), (*dealt, card), parent)
        elif kind == ACTION:
            if tree.player[node] == p:
                index[p][(h, node, dealt)] = len(infosets[p])
                infosets[p].append(Infoset(h, node, dealt, parent, n_seq[p]))
                first = n_seq[p]
                n_seq[p] += len(children)
                for a, child in enumerate(children):
                    grow(p, h, int(child), dealt, first + a)
            else:
                for child in children:
                    grow(p, h, int(child), dealt, parent)

    for p in (0, 1):
        for h in range(len(hands[p].cards)):
            grow(p, h, 0, (), 0)

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    mass = pair_mass(spot)

    def deal(node: int, dealt: Dealt, h0: int, h1: int, seq: list[int], prob: float) -> None:
        kind = tree.kind[node]
        pair = (hands[0].cards[h0], hands[1].cards[h1])
        if kind in (FOLD, SHOWDOWN):
            rows.append(seq[0])
            cols.append(seq[1])
            vals.append(prob * oop_payoff(tree, node, board + dealt, *pair))
            return
        children = tree.children_of(node)
        if kind == CHANCE:
            cards = cards_left(board, dealt, *pair)
            for card in cards:
                deal(int(children[0]), (*dealt, card), h0, h1, seq, prob / len(cards))
            return
        p = int(tree.player[node])
        info = infosets[p][index[p][((h0, h1)[p], node, dealt)]]
        for a, child in enumerate(children):
            after = list(seq)
            after[p] = info.first + a
            deal(int(child), dealt, h0, h1, after, prob)

    for h0, a in enumerate(hands[0].cards):
        for h1, b in enumerate(hands[1].cards):
            if disjoint(a, b):
                prob = hands[0].weights[h0] * hands[1].weights[h1] / mass
                deal(0, (), h0, h1, [0, 0], prob)
    payoff = sp.csr_matrix((vals, (rows, cols)), shape=(n_seq[0], n_seq[1]))

    constraints = []
    for p in (0, 1):
        r, c, v = [0], [0], [1.0]
        for i, info in enumerate(infosets[p]):
            k = int(tree.n_children[info.node])
            r += [i + 1] * (k + 1)
            c += [info.parent, *range(info.first, info.first + k)]
            v += [-1.0] + [1.0] * k
        constraints.append(sp.csr_matrix((v, (r, c)), shape=(len(infosets[p]) + 1, n_seq[p])))
    return SequenceForm(payoff, (constraints[0], constraints[1]), infosets, (index[0], index[1]))


_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def solve_equilibrium(form: SequenceForm, player: int) -> tuple[float, np.ndarray]:
    """``player``'s equilibrium value per game and realization plan, by the linear program
    ``max q_0`` over its plan ``x >= 0`` and the opponent's infoset values ``q`` (free) with
    ``E x = e`` and ``F^T q <= A^T x`` (the dual of the opponent's best response to ``x``)."""
    a = form.payoff if player == 0 else -form.payoff.T.tocsr()
    e, f = form.constraints[player], form.constraints[1 - player]
    n_x, n_q = e.shape[1], f.shape[0]
    cost = np.zeros(n_x + n_q)
    cost[n_x] = -1.0
    upper = sp.hstack([-a.T, f.T]).tocsr()
    equal = sp.hstack([e, sp.csr_matrix((e.shape[0], n_q))]).tocsr()
    rhs = np.zeros(e.shape[0])
    rhs[0] = 1.0
    bounds = [(0, None)] * n_x + [(None, None)] * n_q
    result = linprog(
        cost, upper, np.zeros(upper.shape[0]), equal, rhs, bounds, method="highs", options=_HIGHS
    )
    assert result.status == 0, result.message
    return -float(result.fun), np.asarray(result.x[:n_x])


def best_response_lp(form: SequenceForm, player: int, other_plan: np.ndarray) -> float:
    """``player``'s best-response value per game against the opponent's realization plan:
    ``max x^T (A y)`` over plans ``x`` (a linear program over the sequence-form polytope)."""
    gains = form.payoff @ other_plan if player == 0 else -(form.payoff.T @ other_plan)
    e = form.constraints[player]
    rhs = np.zeros(e.shape[0])
    rhs[0] = 1.0
    result = linprog(-gains, A_eq=e, b_eq=rhs, bounds=(0, None), method="highs", options=_HIGHS)
    assert result.status == 0, result.message
    return -float(result.fun)


def realization_plan(
    form: SequenceForm, tree: SpotTree, player: int, strategy: Strategy
) -> np.ndarray:
    """The realization plan of a behavior strategy: each sequence's probability of ``player``
    playing it (infosets are stored parents first)."""
    plan = np.zeros(form.constraints[player].shape[1])
    plan[0] = 1.0
    for info in form.infosets[player]:
        probs = strategy(info.node, info.dealt)[:, info.hand]
        k = int(tree.n_children[info.node])
        plan[info.first : info.first + k] = plan[info.parent] * probs
    return plan


def behavior(form: SequenceForm, spot: Spot, tree: SpotTree, player: int, plan: np.ndarray) -> dict:
    """A realization plan as behavior: ``{(node, dealt): (k, H)}`` (uniform where the plan never
    reaches the infoset, and for hands that hold a card dealt)."""
    n_hands = len(live_hands(spot, player).cards)
    out: dict[tuple[int, Dealt], np.ndarray] = {}
    for info in form.infosets[player]:
        k = int(tree.n_children[info.node])
        table = out.setdefault((info.node, info.dealt), np.full((k, n_hands), 1.0 / k))
        reach = plan[info.parent]
        if reach > 1e-12:
            probs = np.clip(plan[info.first : info.first + k], 0.0, None)
            table[:, info.hand] = probs / probs.sum()
    return out
