"""Local best response: its card vectors against exact enumeration and the blueprint's own
answers, and its winnings where theory knows them (an opponent that folds to every bet or raise,
a calling station, push/fold against the exact best response)."""

import json
import os
import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import compile_tree
from holdem.cards.combos import COMBOS, N_COMBOS, blocked_combos, combo_classes, combo_index
from holdem.cards.equity import equity_vs_hand
from holdem.cards.isomorphism import hand_from_index
from holdem.cards.preflop_matchups import class_label, class_sizes, preflop_matchups
from holdem.cfr.game import SolverGame
from holdem.cfr.holdem_cards import HoldemCards
from holdem.eval.lbr import CHUNK_DEALS, ActionSet, LocalBestResponse, count_tree, run_lbr
from holdem.eval.lbr_cards import combo_buckets, equity_vector
from holdem.eval.lbr_model import BlueprintRange, Opponent, PolicyRange
from holdem.eval.match import MatchConfig
from holdem.policy.blueprint import Blueprint
from holdem.policy.stored_rows import PolicyRows
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.training.pushfold import PushFold, push_fold_table, read_push_fold
from holdem.training.training_game import TrainingGame, tree_checksum
from tests.policy.runs import PUSHFOLD, random_blueprint, save_bucket_file, train_push_fold

ROOT = Path(__file__).resolve().parents[2]
PUSH_FOLD_ACTIONS = ActionSet(pot_fractions=(), all_in=True, limp=False)


def push_fold_blueprint(jam: np.ndarray, call: np.ndarray) -> Blueprint:
    """A push/fold blueprint at 10 bb playing ``jam`` and ``call`` per class (no training)."""
    tree = compile_tree(load_betting_spec(PUSHFOLD))
    game = SolverGame.build("pushfold", tree, HoldemCards(2))
    training = TrainingGame(game, PUSHFOLD, None, tree_checksum(tree))
    table = push_fold_table(tree, game.layout, jam, call)
    split = game.layout.rows_through(0)
    rest = np.zeros(game.layout.size - split, np.uint8)
    rows = PolicyRows(table[:split], rest, False)
    return Blueprint(Path("pushfold-constructed"), "blueprint", {}, training, rows)


def blueprint_opponent(blueprint: Blueprint) -> Opponent:
    return Opponent(
        str(blueprint.path),
        blueprint,
        BlueprintRange(blueprint),
        n_players=2,
        table=blueprint.table_config(),
    )


def jam_and_call(blueprint: Blueprint) -> tuple[np.ndarray, np.ndarray]:
    rows = blueprint.rows
    table = np.concatenate([rows.summed.astype(np.float64), rows.rest.astype(np.float64)])
    return read_push_fold(blueprint.tree, blueprint.layout, table)


@pytest.fixture(scope="module")
def trained_push_fold(tmp_path_factory) -> Path:
    """A push/fold blueprint at 10 bb trained for 100,000 iterations (about 2 s)."""
    return train_push_fold(tmp_path_factory.mktemp("lbr_pushfold") / "run") / "blueprint"


@pytest.fixture(scope="module")
def random_hu(tmp_path_factory) -> Blueprint:
    buckets = save_bucket_file(tmp_path_factory.mktemp("lbr_buckets") / "buckets.npz", seed=4)
    return random_blueprint(2, buckets, seed=5)


# -- card vectors -----------------------------------------------------------------------------


def test_combinations_are_the_1326_pairs_and_blocking_removes_those_holding_a_card():
    assert COMBOS.shape == (N_COMBOS, 2) and (COMBOS[:, 0] < COMBOS[:, 1]).all()
    assert len({tuple(c) for c in COMBOS.tolist()}) == N_COMBOS
    assert combo_index(51, 50) == N_COMBOS - 1 and combo_index(0, 1) == 0
    assert blocked_combos([7]).sum() == 51
    assert blocked_combos([7, 9, 11]).sum() == 3 * 51 - 3
    with pytest.raises(ValueError, match="two different cards"):
        combo_index(3, 3)


@pytest.mark.parametrize("n_board", [3, 4, 5])
def test_equity_vector_is_exact_enumeration_hand_against_hand(n_board):
    rng = np.random.default_rng(n_board)
    for _ in range(2):
        deck = [int(c) for c in rng.permutation(52)]
        hand, board = (deck[0], deck[1]), tuple(deck[2 : 2 + n_board])
        equities = equity_vector(hand, board)
        for k in range(4):
            opponent = (deck[10 + 2 * k], deck[11 + 2 * k])
            exact = equity_vs_hand(list(hand), list(opponent), list(board)).equity
            assert equities[combo_index(*opponent)] == pytest.approx(exact, abs=1e-12)
        assert (equities[blocked_combos((*hand, *board))] == 0.5).all()


def test_preflop_equity_against_a_uniform_range_is_the_exact_equity_against_a_random_hand():
    """Class means against each combination, weighted uniformly, give the class's exact equity
    against a random hand (every suit pattern of a class is alike against a uniform range)."""
    tables = preflop_matchups()
    sizes = class_sizes()
    exact = tables.equity.sum(axis=1) / (sizes * 1225)
    for c in (0, 12, 100, 168):
        hand = tuple(int(x) for x in hand_from_index(0, c))
        weights = (~blocked_combos(hand)).astype(float)
        estimate = weights @ equity_vector(hand, (), tables.mean_equity) / weights.sum()
        assert estimate == pytest.approx(exact[c], rel=1e-12)
    classes = combo_classes()
    assert np.bincount(classes, minlength=169).tolist() == sizes.tolist()


def test_combination_buckets_are_the_blueprints_buckets(random_hu):
    rng = np.random.default_rng(2)
    tables = BlueprintRange(random_hu)
    config = random_hu.table_config()
    for n_board in (0, 3, 4, 5):
        deck = [int(c) for c in rng.permutation(52)]
        board = tuple(deck[:n_board])
        buckets = tables.buckets(board)
        for i in rng.choice(np.flatnonzero(~blocked_combos(board)), 40, replace=False):
            hand = tuple(int(c) for c in COMBOS[i])
            spare = [c for c in deck[n_board:] if c not in hand][:2]
            state = HandState.new(config, [hand, spare], board)
            while len(state.board) < n_board:  # check (or call) to the board's street
                legal = state.legal_actions()
                state.apply(Action.check() if legal.can_check else Action.call())
            assert buckets[i] == random_hu.bucket(state, 0)
    assert combo_buckets(None, ()).max() == 168 and not combo_buckets(None, (0, 1, 2)).any()


# -- the range model --------------------------------------------------------------------------


def _states_of_random_hands(blueprint: Blueprint, per_street: int, seed: int) -> list[HandState]:
    """States where someone is to act, from hands the blueprint plays against itself:
    ``per_street`` of them on each of the preflop, flop and turn (at most 2,000 hands)."""
    rng = np.random.default_rng(seed)
    by_street: dict[int, list[HandState]] = {0: [], 1: [], 2: []}
    for _ in range(2000):
        deck = [int(c) for c in rng.permutation(52)]
        state = HandState.new(blueprint.table_config(), [deck[:2], deck[2:4]], deck[4:9])
        while not state.is_terminal:
            found = by_street.get(int(state.street))
            if found is not None and len(found) < per_street and rng.random() < 0.3:
                found.append(state.clone())
            state.apply(blueprint.act(state, rng))
        if all(len(found) == per_street for found in by_street.values()):
            return [state for found in by_street.values() for state in found]
    raise AssertionError(f"2,000 hands did not reach the turn {per_street} times")


def test_blueprint_range_equals_asking_the_blueprint_once_per_combination(random_hu):
    """The by-bucket likelihoods against `Blueprint.action_probabilities` with the hole cards of
    the seat to act replaced by each combination in turn (the slow, obvious way)."""
    fast, slow = BlueprintRange(random_hu), PolicyRange(random_hu)
    states = _states_of_random_hands(random_hu, 3, seed=8)
    for state in states:
        seat = state.to_act
        among = ~blocked_combos((*state.hole_cards[1 - seat], *state.board))
        for action, _ in random_hu.action_probabilities(state)[:2]:
            expected = slow.likelihoods(state, action, among)
            got = fast.likelihoods(state, action, among)
            np.testing.assert_allclose(got[among], expected[among], atol=1e-12)


def test_after_a_limp_every_combination_checks(trained_push_fold):
    """Push/fold's tree has no limp: one maps to the all-in, where the big blind, facing no
    real bet, checks whatever it holds (its fold and call both become a check)."""
    blueprint = Blueprint.load(trained_push_fold)
    state = HandState.new(blueprint.table_config(), ["AsKs", "2c2d"])
    state.apply(Action.call())
    assert "the tree takes no limp" in blueprint.spot(state).notes[0]
    model = BlueprintRange(blueprint)
    assert (model.likelihoods(state, Action.check()) == 1).all()
    assert not model.likelihoods(state, Action.raise_to(1000)).any()


def test_the_range_after_a_jam_is_the_jamming_classes_with_card_removal(trained_push_fold):
    opponent = Opponent.load(str(trained_push_fold))
    jam, _ = jam_and_call(opponent.policy)
    lbr = LocalBestResponse(opponent, PUSH_FOLD_ACTIONS)
    state = HandState.new(opponent.policy.table_config(), ["2c2d", "AsKd"])
    state.apply(Action.raise_to(1000))
    weights, _ = lbr.range_and_state(state, 1)
    expected = jam[combo_classes()] * ~blocked_combos(state.hole_cards[1])
    np.testing.assert_allclose(weights, expected / expected.sum(), atol=1e-12)


def test_lbr_never_reads_the_opponents_cards(trained_push_fold):
    opponent = Opponent.load(str(trained_push_fold))
    config = opponent.policy.table_config()
    decisions = []
    for villain in ("2c2d", "AhAc", "7s2h"):
        state = HandState.new(config, [villain, "KdQd"])
        state.apply(Action.raise_to(1000))
        decisions.append(LocalBestResponse(opponent, PUSH_FOLD_ACTIONS).decide(state))
    assert decisions[0] == decisions[1] == decisions[2]


# -- the action set ---------------------------------------------------------------------------


def test_action_set_candidates_sizes_and_labels():
    lbr = LocalBestResponse(Opponent.load("call"))
    state = HandState.new(MatchConfig().table(), ["AsKs", "2c2d"])
    # the small blind: limp, pot raise to 300, all-in, fold
    assert lbr.candidates(state) == [
        Action.call(),
        Action.raise_to(300),
        Action.raise_to(10_000),
        Action.fold(),
    ]
    no_limp = LocalBestResponse(Opponent.load("call"), PUSH_FOLD_ACTIONS)
    assert no_limp.candidates(state) == [Action.raise_to(10_000), Action.fold()]
    state.apply(Action.call())
    assert no_limp.candidates(state) == [Action.check(), Action.raise_to(10_000)]
    flop_only = ActionSet(pot_fractions=(0.5, 2, 0.5), raise_streets=(1,))
    assert flop_only.pot_fractions == (0.5, 2.0)
    assert flop_only.label == "fold, check/call, bet 0.5 pot, bet 2 pot, all-in (raises on flop)"
    assert ActionSet().label == "fold, check/call, bet 1 pot, all-in"
    assert LocalBestResponse(Opponent.load("call"), flop_only).candidates(state) == [Action.check()]
    with pytest.raises(ValueError, match="positive fraction"):
        ActionSet(pot_fractions=(0.0,))
    with pytest.raises(ValueError, match="street"):
        ActionSet(raise_streets=(4,))


def test_the_action_sets_of_the_lbr_table_parse_per_street():
    assert ActionSet.parse("FCPA/FCPA/FCPA/FCPA") == ActionSet()
    fc = ActionSet.parse("FC/FC/FC/FC")
    assert fc.raise_streets == () and fc.fold_streets == (0, 1, 2, 3)
    late = ActionSet.parse("c/c/fcpa/fcpa")
    assert (late.pot_fractions, late.all_in) == ((1.0,), True)
    assert late.raise_streets == late.fold_streets == (2, 3)
    assert late.label == (
        "fold, check/call, bet 1 pot, all-in (raises on turn, river) (folds on turn, river)"
    )
    many = ActionSet.parse("C/C/56bets/56bets")
    assert len(many.pot_fractions) == 55 and many.all_in  # all-in is the 56th bet
    assert many.pot_fractions[0] == pytest.approx(0.05)
    assert np.allclose(np.diff(np.log(many.pot_fractions)), np.log(1.15))
    assert many.raise_streets == many.fold_streets == (2, 3)
    assert many.label.startswith("fold, check/call, 55 bets of 0.05 to 94.8 pot, all-in")
    # preflop LBR only checks or calls, even facing a raise
    state = HandState.new(MatchConfig().table(), ["7c2d", "AsAh"])
    state.apply(Action.call())
    state.apply(Action.raise_to(400))
    assert LocalBestResponse(Opponent.load("call"), late).candidates(state) == [Action.call()]
    for bad, match in (
        ("FC/FC/FC", "one token per street"),
        ("FC/FX/FC/FC", "flop 'FX'"),
        ("F/C/C/C", "preflop 'F'"),
        ("FCP/FCA/C/C", "same sizes"),
        ("C/C/56bets/FCPA", "same sizes"),
        ("C/C/55bets/55bets", "turn '55BETS'"),
    ):
        with pytest.raises(ValueError, match=match):
            ActionSet.parse(bad)


# -- known winnings ---------------------------------------------------------------------------


class FoldsToRaises:
    """Checks or calls, and folds to any bet or raise beyond the blinds."""

    def action_probabilities(self, state: HandState) -> list[tuple[Action, float]]:
        legal = state.legal_actions()
        raised = any(r.action.kind is ActionKind.RAISE for r in state.history)
        if raised and legal.can_fold:
            return [(Action.fold(), 1.0)]
        return [(Action.check() if legal.can_check else Action.call(), 1.0)]


def test_lbr_wins_the_blinds_every_hand_against_an_opponent_that_folds_to_a_raise():
    """The ``fold`` baseline folds its small blind at once (LBR: +0.5 bb as big blind) and folds
    the big blind to LBR's raise (+1 bb): 750 mbb/hand exactly. A player that limps and folds to
    any raise loses 1 bb in either seat: 1000 mbb/hand. No interval: every deal is the same."""
    fold = run_lbr(Opponent.load("fold"), 40, seed=1)
    assert fold.mbb_per_hand().mean == 750 and fold.mbb_per_hand().half_width == 0
    assert (fold.mbb_in_seat(0).mean, fold.mbb_in_seat(1).mean) == (1000, 500)
    limper = Opponent.of_policy(FoldsToRaises(), "folds-to-raises", card_independent=True)
    result = run_lbr(limper, 40, seed=1)
    assert result.mbb_per_hand().mean == 1000 and result.mbb_per_hand().half_width == 0
    # the same with the range asked combination by combination (the slow model)
    slow = Opponent.of_policy(FoldsToRaises(), "folds-to-raises")
    assert run_lbr(slow, 2, seed=1).mbb_per_hand().mean == 1000


def calling_station_bound_mbb() -> float:
    """A lower bound on LBR's winnings against the ``call`` baseline at 100 bb (50/100).

    The station calls every bet and never bets, so LBR's range stays uniform and each value is
    exact for the real continuation. Preflop, LBR moves all-in with equity e > 1/2 against a
    random hand and wins (2e - 1) * 100 bb on average; otherwise it limps or checks with 1 bb
    in, and from there its value is at least (2e - 1) * 1 bb: on each later street it moves
    all-in (worth (2e' - 1) * 100 bb, at least (2e' - 1) * 1 bb since e' > 1/2) or checks, and
    equity is a martingale over the board. So LBR wins at least the average over hands of
    (2e - 1) * (100 bb if e > 1/2 else 1 bb), the same in both seats (no hand is below the
    1/4 equity at which a small blind would rather fold than limp).
    """
    tables = preflop_matchups()
    sizes = class_sizes()
    equity = tables.equity.sum(axis=1) / (sizes * 1225)
    assert equity.min() > 0.25
    chips = np.sum(sizes / 1326 * (2 * equity - 1) * np.where(equity > 0.5, 10_000, 100))
    return float(chips * 1000 / 100)


def test_lbr_value_bets_a_calling_station_and_wins_more_than_the_bound_derived_by_hand():
    bound = calling_station_bound_mbb()
    assert 7000 < bound < 9000
    result = run_lbr(Opponent.load("call"), 150, seed=2)
    mbb = result.mbb_per_hand()
    assert mbb.low > 0
    assert mbb.mean > bound
    assert result.counts["preflop all-in"] > 0 and "preflop fold" not in result.counts


def test_lbr_plays_the_exact_best_response_in_push_fold(trained_push_fold):
    """Against a trained push/fold blueprint, LBR restricted to fold or all-in (and no limp)
    values jamming, averaged over a class's combinations, exactly as `PushFold` does, and in
    both seats makes the exact best response's choice for every class that is not within
    0.1 bb of indifference (card removal can tip a single combination of such a class)."""
    opponent = Opponent.load(str(trained_push_fold))
    jam, call = jam_and_call(opponent.policy)
    game = PushFold(10)
    report = game.report(jam, call)
    fold_value, jam_value = game.sb_action_values(call)
    class_p = class_sizes() / 1326
    sb_gap = (jam_value - fold_value) / class_p  # big blinds, given the class
    lbr = LocalBestResponse(opponent, PUSH_FOLD_ACTIONS)
    config = opponent.policy.table_config()
    classes = combo_classes()
    jam_sums = np.zeros(169)
    checked = set()
    for i in range(N_COMBOS):
        hand = tuple(int(c) for c in COMBOS[i])
        spare = [c for c in range(52) if c not in hand][:2]
        decision = lbr.decide(HandState.new(config, [hand, spare]), 0)
        assert decision.actions == (Action.raise_to(1000), Action.fold())
        c = classes[i]
        jam_sums[c] += decision.values[0] / 100  # in big blinds
        if abs(sb_gap[c]) > 0.1:
            checked.add(c)
            assert (decision.action.kind is ActionKind.RAISE) == bool(report.best_jam[c])
    assert len(checked) > 120
    np.testing.assert_allclose(jam_sums / class_sizes(), jam_value / class_p, atol=1e-9)
    np.testing.assert_allclose(fold_value / class_p, -0.5)
    bb_fold, bb_call = game.bb_action_values(jam)
    bb_gap = (bb_call - bb_fold) / -bb_fold  # big blinds, given the class and a jam
    assert (np.abs(bb_gap) > 0.1).sum() > 120
    for c in np.flatnonzero(np.abs(bb_gap) > 0.1):
        hand = tuple(int(x) for x in hand_from_index(0, int(c)))
        spare = [x for x in range(52) if x not in hand][:2]
        state = HandState.new(config, [spare, hand])
        state.apply(Action.raise_to(1000))
        called = lbr.decide(state, 1).action.kind is ActionKind.CALL
        assert called == bool(report.best_call[c]), class_label(int(c))


def test_lbr_wins_what_the_exact_best_response_wins_in_push_fold():
    """A push/fold policy that jams every hand and calls only with pairs: LBR (fold or all-in)
    wins the exact best-response values of `PushFold` in each seat, within 99 % intervals (three
    comparisons), and the blueprint's own values lie outside them in the big blind."""
    labels = [class_label(c) for c in range(169)]
    jam = np.ones(169)
    call = np.array([1.0 if label[0] == label[1] else 0.0 for label in labels])
    report = PushFold(10).report(jam, call)
    result = run_lbr(blueprint_opponent(push_fold_blueprint(jam, call)), 3000, PUSH_FOLD_ACTIONS)
    best = [1000 * v for v in report.best_response]
    assert result.mbb_in_seat(0, 0.99).covers(best[0])
    assert result.mbb_in_seat(1, 0.99).covers(best[1])
    assert result.mbb_per_hand(0.99).covers(1000 * report.exploitability)
    assert result.mbb_in_seat(1, 0.99).low > 1000 * report.expected[1]


@pytest.mark.slow
def test_lbr_against_a_trained_push_fold_blueprint_measures_its_exploitability(trained_push_fold):
    opponent = Opponent.load(str(trained_push_fold))
    report = PushFold(10).report(*jam_and_call(opponent.policy))
    result = run_lbr(opponent, 40_000, PUSH_FOLD_ACTIONS, seed=11)
    assert result.mbb_in_seat(0, 0.99).covers(1000 * report.best_response[0])
    assert result.mbb_in_seat(1, 0.99).covers(1000 * report.best_response[1])
    assert result.mbb_per_hand(0.99).covers(1000 * report.exploitability)


# -- runs, seeds, workers ---------------------------------------------------------------------


def test_the_same_seed_gives_the_same_deals_and_results(trained_push_fold):
    opponent = Opponent.load(str(trained_push_fold))
    first = run_lbr(opponent, 30, PUSH_FOLD_ACTIONS, seed=7)
    again = run_lbr(Opponent.load(str(trained_push_fold)), 30, PUSH_FOLD_ACTIONS, seed=7)
    np.testing.assert_array_equal(first.seat_chips, again.seat_chips)
    other = run_lbr(opponent, 30, PUSH_FOLD_ACTIONS, seed=8)
    assert not np.array_equal(first.seat_chips, other.seat_chips)
    record = first.to_dict()
    assert record["hands"] == 60 and record["action_set"]["label"] == PUSH_FOLD_ACTIONS.label
    assert record["opponent_detail"].startswith(str(trained_push_fold))
    json.dumps(record)


def test_bad_arguments_are_refused():
    call = Opponent.load("call")
    with pytest.raises(ValueError, match="2 or more"):
        run_lbr(call, 1)
    with pytest.raises(ValueError, match="seed"):
        run_lbr(call, 10, seed=-1)
    with pytest.raises(ValueError, match="workers"):
        run_lbr(call, 10, num_workers=-1)
    with pytest.raises(ValueError, match="neither a baseline"):
        Opponent.load("/no/such/blueprint")


def test_opponents_pickle_as_their_spec(trained_push_fold):
    for spec in ("call", "tag", str(trained_push_fold)):
        opponent = pickle.loads(pickle.dumps(Opponent.load(spec)))
        assert opponent.name == spec
    lbr = pickle.loads(pickle.dumps(LocalBestResponse(Opponent.load("call"), PUSH_FOLD_ACTIONS)))
    assert lbr.actions == PUSH_FOLD_ACTIONS


WORKERS_SCRIPT = """
import json, sys
from holdem.eval.lbr import ActionSet, run_lbr
from holdem.eval.lbr_model import Opponent

if __name__ == "__main__":
    actions = ActionSet(pot_fractions=(), all_in=True, limp=False)
    result = run_lbr(Opponent.load(sys.argv[1]), int(sys.argv[2]), actions, seed=9, num_workers=2)
    print(json.dumps({"chips": result.seat_chips.tolist(), "pids": result.worker_pids,
                      "workers": result.workers}))
"""


def test_two_workers_give_the_one_worker_result_and_leave_no_process(tmp_path, trained_push_fold):
    deals = 3 * CHUNK_DEALS + 7  # four chunks over two workers
    script = tmp_path / "two_workers.py"
    script.write_text(WORKERS_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(trained_push_fold), str(deals)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # Two workers started; a fast one may take every chunk, so one or two report results.
    assert report["workers"] == 2 and 1 <= len(report["pids"]) <= 2
    alone = run_lbr(Opponent.load(str(trained_push_fold)), deals, PUSH_FOLD_ACTIONS, seed=9)
    assert report["chips"] == alone.seat_chips.tolist()
    for pid in report["pids"]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


# -- what LBR exploits: counts off the tree -----------------------------------------------------

NO_POT_SIZE = """\
game: {players: 2, stack: 10000, blinds: [50, 100]}
betting:
  preflop: {sizes: [[0.5]], all_in: true, max_raises: 2, limp: false}
  flop: {sizes: [[0.5]], all_in: true, max_raises: 1}
  turn: {sizes: [[0.5]], all_in: true, max_raises: 1}
  river: {sizes: [[0.5]], all_in: true, max_raises: 1}
"""


@pytest.fixture(scope="module")
def no_pot_size(tmp_path_factory) -> Blueprint:
    """Random rows over a tree with half-pot sizes only and no limp."""
    folder = tmp_path_factory.mktemp("no_pot")
    config = folder / "no_pot.yaml"
    config.write_text(NO_POT_SIZE)
    buckets = save_bucket_file(folder / "buckets.npz", seed=2)
    return random_blueprint(2, buckets, seed=3, betting=config)


def test_counts_off_the_tree_on_a_constructed_hand(no_pot_size):
    """LBR (small blind) limps where the tree takes none, then bets the pot on the flop where the
    tree has half pot and all-in only: both translated; the blueprint's check and check answer
    after the translated limp, its fold too."""
    state = HandState.new(no_pot_size.table_config(), ["AsKs", "7c2d"], "Kh8d3c")
    state.apply(Action.call())  # LBR limps
    state.apply(Action.check())  # the blueprint
    state.apply(Action.check())  # the blueprint, first on the flop
    state.apply(Action.raise_to(200))  # LBR: a pot-sized bet
    state.apply(Action.fold())
    counts: Counter[str] = Counter()
    count_tree(counts, state, no_pot_size.follower.marks(state), lbr=0)
    assert dict(counts) == {
        "tree:lbr:preflop:actions": 1,
        "tree:lbr:preflop:translated": 1,
        "tree:lbr:preflop:off_tree": 0,
        "tree:blueprint:preflop:actions": 1,
        "tree:blueprint:preflop:translated": 1,
        "tree:blueprint:preflop:off_tree": 0,
        "tree:blueprint:flop:actions": 2,
        "tree:blueprint:flop:translated": 2,
        "tree:blueprint:flop:off_tree": 0,
        "tree:lbr:flop:actions": 1,
        "tree:lbr:flop:translated": 1,
        "tree:lbr:flop:off_tree": 0,
    }
    # On the tree's own half-pot bet nothing is translated.
    exact = HandState.new(no_pot_size.table_config(), ["AsKs", "7c2d"], "Kh8d3c")
    exact.apply(Action.raise_to(200))  # half the pot after calling: the tree's open
    exact.apply(Action.fold())
    counts.clear()
    count_tree(counts, exact, no_pot_size.follower.marks(exact), lbr=1)
    assert counts["tree:blueprint:preflop:actions"] == 1 and counts["tree:lbr:preflop:actions"] == 1
    assert sum(v for k, v in counts.items() if not k.endswith(":actions")) == 0


def test_an_lbr_run_reports_its_off_tree_counts(no_pot_size):
    result = run_lbr(blueprint_opponent(no_pot_size), 6, seed=3)
    counts = result.tree_counts()
    assert counts is not None and result.to_dict()["off_tree"] == counts
    lbr_total = sum(v for k, v in result.counts.items() if " " in k)
    assert sum(c["actions"] for c in counts["lbr_actions"].values()) == lbr_total
    # LBR's pot bets and limps are all off the tree's sizes: some are counted translated.
    assert sum(c["translated"] for c in counts["lbr_actions"].values()) > 0
    assert run_lbr(Opponent.load("call"), 2, seed=0).tree_counts() is None
