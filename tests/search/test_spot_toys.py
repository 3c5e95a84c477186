"""Toy spots with analytic solutions: the clairvoyance game and a river where every hand ties.

The clairvoyance game (von Neumann and Morgenstern's simplified poker; Chen and Ankenman, "The
Mathematics of Poker", 2006, chapter 14): the bettor holds the nuts or air, the caller only bluff
catchers; the bettor may bet ``s`` times the pot or check, the caller may call or fold (a check
goes to showdown). At the equilibrium the bettor bets every nut hand and bluffs so that bluffs
are ``s / (1 + 2s)`` of its bets, and the caller calls ``1 / (1 + s)`` of the time, which leaves
the bluffs indifferent. With pot ``P``, a share ``n`` of nut hands (small enough that the bluffs
exist: ``n s / (1 + s) <= 1 - n``) and each player's ``P / 2`` counted as its own, the bettor's
value is ``n (P / 2 + s P / (1 + s)) - (1 - n) P / 2``.
"""

import numpy as np
import pytest

from holdem.cards.combos import COMBOS
from holdem.cards.encoding import RANKS, rank_of
from holdem.cards.evaluator import evaluate
from holdem.search.solver import SpotSolver
from holdem.search.spot import PLAYERS, STREETS, BetTree, PlayerSizes, Spot
from holdem.search.spot_tree import ACTION, FOLD
from holdem.search.vector_cfr import MODE_AVERAGE, MODE_BEST_RESPONSE

# No straight or flush can be made on this board. OOP: KK (top set, 3 combinations, weight 1)
# and 65s (6- or 5-high, 4 combinations at weight 0.5): a nut share of 3 / 5. IP: 88 and 99
# (one pair: beats 65s, loses to KK). The ranges share no card, so the deal has no card
# removal between them.
BOARD = "Ks Qd 7h 4c 2s"
POT = 100


def clairvoyance_spot(s: float) -> Spot:
    sizes = {(street, player): PlayerSizes() for street in STREETS for player in PLAYERS}
    sizes[("river", "oop")] = PlayerSizes(bet=(100 * s,))
    return Spot.build(BOARD, POT, 1000, "KK,65s:0.5", "88,99", BetTree(sizes))


@pytest.mark.parametrize("s", [0.5, 1.0])
def test_clairvoyance_game(s: float) -> None:
    spot = clairvoyance_spot(s)
    solver = SpotSolver(spot)
    tree = solver.tree
    assert tree.actions_of(0) == ["x", f"b{round(s * POT)}"]
    bet = int(tree.children_of(0)[1])
    assert tree.actions_of(bet) == ["f", "c"]
    start = solver.exploitability()
    solver.iterate(3000)
    assert start > 1.0
    assert solver.exploitability() < 0.01  # % of the pot

    w0, w1 = solver.weights
    nuts = np.array([rank_of(int(a)) == RANKS.index("K") for a, _ in COMBOS[solver.combos[0]]])
    # the setup: every nut hand beats every catcher, which beats every air hand
    strength = [[evaluate([*spot.board, *COMBOS[c]]) for c in solver.combos[p]] for p in (0, 1)]
    oop = np.array(strength[0])
    assert oop[nuts].min() > max(strength[1]) and min(strength[1]) > oop[~nuts].max()
    # and no card removal between the ranges
    assert not set(COMBOS[solver.combos[0]].ravel()) & set(COMBOS[solver.combos[1]].ravel())
    n = w0[nuts].sum() / w0.sum()
    assert n == pytest.approx(0.6)
    bets = solver.strategy(0)[1]
    bet_nuts = (w0 * bets)[nuts].sum()
    bet_air = (w0 * bets)[~nuts].sum()
    assert bet_nuts / w0[nuts].sum() == pytest.approx(1.0, abs=0.01)
    assert bet_air / (bet_nuts + bet_air) == pytest.approx(s / (1 + 2 * s), abs=0.01)
    calls = solver.strategy(bet)[1]
    assert (w1 @ calls) / w1.sum() == pytest.approx(1 / (1 + s), abs=0.01)

    value = n * (POT / 2 + s * POT / (1 + s)) - (1 - n) * POT / 2
    v0, v1 = solver.game_values(MODE_AVERAGE)
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    assert -br1 <= value + 1e-9 and value <= br0 + 1e-9
    assert v0 == pytest.approx(value, abs=0.01)
    assert v1 == pytest.approx(-value, abs=0.01)


@pytest.mark.parametrize(
    ("board", "oop", "ip"),
    [
        # a royal flush on the board: every hand plays it
        ("Ts Js Qs Ks As", "AA,KK,22-44,A5o", "QQ,T9s,87s,55:0.5,AcKd"),
        # Broadway on the board, two suits at most: no flush, no full house, nothing beats it
        ("Ts Js Qc Kd Ah", "AA,KK,QJo,32s", "TT,99,AcKc,A2s:0.5,Ac2c"),
    ],
)
def test_every_hand_ties(board: str, oop: str, ip: str) -> None:
    spot = Spot.build(board, POT, 400, oop, ip, BetTree.uniform([50, 100], [100], True))
    solver = SpotSolver(spot)
    hands = [COMBOS[c] for p in (0, 1) for c in solver.combos[p]]
    assert len({evaluate([*spot.board, *hand]) for hand in hands}) == 1
    # uniform play folds to bets, which the opponent's best response punishes
    assert solver.exploitability() > 1.0
    solver.iterate(300)
    assert solver.exploitability() < 0.01
    v0, v1 = solver.game_values(MODE_AVERAGE)
    assert v0 == pytest.approx(0.0, abs=0.01)
    assert v1 == pytest.approx(0.0, abs=0.01)
    # no bet gains: neither best response wins more than nothing
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    assert br0 < 0.01 and br1 < 0.01
    tree = solver.tree
    # nobody folds a tie to a first bet
    facing = 0
    for node in range(tree.n_nodes):
        if tree.kind[node] != ACTION or tree.parent[node] != 0:
            continue
        kids = tree.children_of(node)
        if tree.kind[int(kids[0])] == FOLD:
            player = int(tree.player[node])
            folds = solver.weights[player] @ solver.strategy(node)[0]
            assert folds / solver.weights[player].sum() < 0.01, tree.action[node]
            facing += 1
    assert facing == 3  # b50, b100 and all-in
