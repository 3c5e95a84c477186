"""Terminal values of the solver against the rules engine, on dealt Hold'em hands.

For random deals of `HoldemCards` and random paths through real trees (``hu_rich``, a
three-player tree, ``6max``), `holdem.cfr.payoff.terminal_value` with the model's ranks must
give every seat what `holdem.rules.HandState` (itself checked against PokerKit) pays when it
plays the same hand: same stacks and blinds, the tree's actions replayed, hole cards dealt to
the real seats the tree seats stand for, the board dealt street by street as the engine asks.
The solver splits a pot exactly; the engine pays whole chips and, by the TDA rule, gives
every odd chip to the first winner clockwise from the button. So where ``pot % w = odd > 0``
for ``w`` tied winners the engine pays that winner ``odd * (w - 1) / w`` more than the solver
and each other winner ``odd / w`` less (up to 25/6 chips for six winners: more than one chip
when two or more chips are odd); every other result must be equal. Paths lean to checks and
calls so that most reach a showdown, and some deals have a board straight that every seat ties
with.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import betting_spec_from_dict, load_betting_spec
from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, FOLD_END, SHOWDOWN, compile_tree
from holdem.cards.encoding import parse_cards
from holdem.cfr.holdem_cards import HoldemCards
from holdem.cfr.payoff import terminal_value
from holdem.cfr.rng import new_state
from holdem.policy.follower import real_seat, tree_seat
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from tests.tree_actions import real_action

CONFIGS = Path(__file__).resolve().parents[2] / "configs"

# hu_small's betting for three players; an odd small blind, so split pots can leave odd chips.
THREE_PLAYERS = {
    "game": {"players": 3, "stack": 5000, "blinds": [25, 50]},
    "betting": {
        "preflop": {"sizes": [[2.0], [1.0]], "all_in": True, "max_raises": 3},
        "flop": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
        "turn": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
        "river": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
    },
}

# Every seat ties with a Broadway straight on the board: no pair on it for a full house, no
# three of a suit for a flush.
TIE_BOARD = parse_cards("Ts Jh Qd Kc Ad")
TIE_SHARE = 0.15

# Chances at a decision: call or check, fold when facing a bet, else one raise at random.
CALL_SHARE = 0.72
FOLD_SHARE = 0.1


def _spec(name):
    if name == "three_players":
        return betting_spec_from_dict(THREE_PLAYERS)
    return load_betting_spec(CONFIGS / f"{name}.yaml")


@pytest.fixture(scope="module")
def trees():
    cache = {}

    def tree_of(name):
        if name not in cache:
            cache[name] = compile_tree(_spec(name))
        return cache[name]

    return tree_of


@dataclass
class Tally:
    terminals: int = 0
    showdowns: int = 0
    folds: int = 0
    ties: int = 0
    uneven_splits: int = 0
    largest_gap: float = 0.0


def _deals(n_players, n, seed):
    """Cards from the model's sampler, a share of them with the tie board; and their ranks."""
    model = HoldemCards(n_players)
    cards = model.deal_cards(new_state(seed), n).astype(np.int64)
    rng = np.random.default_rng(seed)
    rest = np.array([c for c in range(52) if c not in TIE_BOARD])
    for i in np.flatnonzero(rng.random(n) < TIE_SHARE):
        cards[i, : 2 * n_players] = rng.choice(rest, 2 * n_players, replace=False)
        cards[i, 2 * n_players :] = TIE_BOARD
    _, ranks = model.buckets_and_ranks(cards)
    return cards, ranks


def _choose(tree, node, rng):
    children = list(tree.children(node))
    kinds = [int(tree.action_kind[c]) for c in children]
    calls = [c for c, k in zip(children, kinds, strict=True) if k == CALL]
    folds = [c for c, k in zip(children, kinds, strict=True) if k == FOLD]
    raises = [c for c, k in zip(children, kinds, strict=True) if k not in (CALL, FOLD)]
    u = rng.random()
    if u < CALL_SHARE or (not raises and not folds):
        return calls[0]
    if folds and (u < CALL_SHARE + FOLD_SHARE or not raises):
        return folds[0]
    return raises[int(rng.integers(len(raises)))] if raises else calls[0]


def _deal_streets(state, board):
    while state.awaiting_cards:
        shown = len(state.board)
        state.deal_board(board[shown : shown + state.awaiting_cards])


def _play(tree, cards, ranks, button, rng, tally):
    """Play one random path in the tree and the engine; compare every seat's result."""
    spec = tree.spec
    n = spec.n_players
    config = TableConfig((spec.stack,) * n, spec.blinds[0], spec.blinds[1], spec.ante, button)
    sb = config.small_blind_seat
    # Real seat r holds the cards the model dealt to tree seat r - sb (mod n).
    holes = [[int(c) for c in cards[2 * ((r - sb) % n) : 2 * ((r - sb) % n) + 2]] for r in range(n)]
    state = HandState.new(config, holes)
    for t in range(n):
        assert state.hole_cards[real_seat(state.config, t)] == tuple(cards[2 * t : 2 * t + 2])
    board = [int(c) for c in cards[2 * n :]]
    node = 0
    while tree.kind[node] == DECISION:
        _deal_streets(state, board)
        assert tree_seat(state.config, state.to_act) == tree.player[node]
        child = _choose(tree, node, rng)
        state.apply(real_action(tree, child, state))
        node = child
    _deal_streets(state, board)
    assert state.is_terminal
    kind, chips, folded = tree.kind, tree.chips, tree.folded
    values = [terminal_value(node, t, kind, chips, folded, ranks) for t in range(n)]
    assert sum(values) == pytest.approx(0.0, abs=1e-9)
    payoffs = state.payoffs
    assert sum(payoffs) == 0
    odd, first = 0, None
    if kind[node] == SHOWDOWN:
        live = [t for t in range(n) if not folded[node] >> t & 1]
        best = max(int(ranks[t]) for t in live)
        winners = [t for t in live if ranks[t] == best]
        odd = int(chips[node].sum()) % len(winners)
        # TDA: every odd chip goes to the first winner clockwise from the button.
        order = [tree_seat(state.config, r) for r in config.seats_from_button()]
        first = next(t for t in order if t in winners)
        tally.showdowns += 1
        tally.ties += len(winners) > 1
        tally.uneven_splits += odd > 0
    else:
        assert kind[node] == FOLD_END
        tally.folds += 1
    tally.terminals += 1
    for r in range(n):
        t = tree_seat(state.config, r)
        if odd and t in winners:
            w = len(winners)
            expected = values[t] + (odd * (w - 1) / w if t == first else -odd / w)
            assert payoffs[r] == pytest.approx(expected, abs=1e-9), (tree.history(node), payoffs)
            tally.largest_gap = max(tally.largest_gap, abs(payoffs[r] - values[t]))
        else:
            assert payoffs[r] == values[t], (tree.history(node), r, payoffs, values)


def run_differential(tree, n_hands, seed):
    cards, ranks = _deals(tree.n_players, n_hands, seed)
    rng = np.random.default_rng(seed + 1)
    tally = Tally()
    for i in range(n_hands):
        button = int(rng.integers(tree.n_players))
        _play(tree, cards[i], ranks[i], button, rng, tally)
    return tally


@pytest.mark.parametrize(
    ("name", "n_hands"), [("hu_rich", 4000), ("three_players", 3000), ("6max", 3000)]
)
def test_terminal_values_equal_the_rules_engines_payoffs(trees, name, n_hands):
    tally = run_differential(trees(name), n_hands, seed=len(name))
    assert tally.terminals == n_hands
    assert tally.showdowns >= n_hands / 2, tally
    assert tally.folds > 0 and tally.ties > 0, tally
    if name != "hu_rich":
        assert tally.uneven_splits > 0, tally


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hu_rich", "three_players", "6max"])
def test_terminal_values_on_many_more_hands(trees, name):
    tally = run_differential(trees(name), 40_000, seed=100 + len(name))
    assert tally.showdowns >= 20_000, tally
