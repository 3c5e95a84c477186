"""Off the tree and between sizes: the traces of issue 15 on configs/hu_open.yaml.

Every answer here was one passive action with probability 1 for every hand before: a raise past
the tree's cap read as a call, and after a bet read as the tree's all-in the hand stayed off the
tree. Now each one depends on the hand. The blueprint has random rows over hu_open with a random
8-bucket abstraction, so hands in different buckets get different rows.
"""

import numpy as np
import pytest

from holdem.abstraction.translation import pseudo_harmonic_probability
from holdem.policy.follower import OFF_TREE, TRANSLATED
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from tests.policy.runs import HU_OPEN, random_blueprint

HANDS = ["AsAh", "7c2d", "KdQd", "9s9c", "5h4h", "JcTc", "Ad5c", "8h6s"]


@pytest.fixture(scope="module")
def hu_open(policy_buckets):
    return random_blueprint(2, policy_buckets, seed=11, betting=HU_OPEN)


def _cards(text):
    return {text[i : i + 2] for i in range(0, len(text), 2)}


def _replayed(blueprint, seats, history, board):
    state = HandState.new(blueprint.table_config(), seats, board)
    for token in history.split():
        legal = state.legal_actions()
        if token == "c":
            state.apply(Action.check() if legal.can_check else Action.call())
        else:
            state.apply(Action.raise_to(int(token)))
    return state


def _state(blueprint, hand, history, board=""):
    """The hand after ``history`` (``c`` check or call, a number a raise to that many chips)
    with ``hand`` in the seat to act at the end."""
    other = next(h for h in HANDS if not _cards(h) & (_cards(hand) | _cards(board)))
    state = _replayed(blueprint, [hand, other], history, board)
    if state.to_act == 1:
        state = _replayed(blueprint, [other, hand], history, board)
    return state


def _answers(blueprint, history, board=""):
    out = {}
    for hand in HANDS:
        if _cards(hand) & _cards(board):
            continue
        state = _state(blueprint, hand, history, board)
        out[hand] = dict(blueprint.action_probabilities(state))
    return out


def _hand_dependent(answers):
    rows = [tuple(sorted((str(a), round(p, 9)) for a, p in answer.items())) for answer in answers]
    return len(set(rows)) > 1


def test_a_preflop_raise_past_the_cap_is_read_from_the_raisers_latest_sizes(hu_open):
    history = "300 900 2700 8100"  # the big blind's fourth raise: hu_open caps at three
    state = _state(hu_open, "AsAh", history)
    spot = hu_open.spot(state)
    # To 8,100 over 2,700 is a pot-sized raise (5,400 into 5,400): the big blind's latest node
    # with raises ('r300', facing the open) has the pot raise to 900, so the small blind plays
    # its row facing a pot-sized re-raise, not an all-in.
    assert spot.on_tree and not spot.others
    assert spot.history == "r300r900"
    assert spot.notes[-1] == (
        "BB raise to 8100: past the tree's cap of raises, read as a raise of 1.000 pot as the "
        "raiser's earlier node offers it"
    )
    answers = _answers(hu_open, history)
    assert all(Action.fold() in a and Action.call() in a for a in answers.values())
    assert _hand_dependent(answers.values())
    assert hu_open.follower.marks(state) == (0, 0, 0, TRANSLATED)


def test_an_all_in_past_the_cap_is_the_raisers_all_in(hu_open):
    state = _state(hu_open, "AsAh", "300 900 2700 10000")
    spot = hu_open.spot(state)
    assert spot.history == "r300r10000"
    assert spot.actions == (Action.fold(), Action.call())


def test_a_flop_re_raise_after_a_bet_and_a_raise(hu_open):
    board = "Kh8d3c"
    history = "300 c c 300 900 2700"  # check, bet, raise, re-raise past the flop's cap of two
    state = _state(hu_open, "AsAh", history, board)
    spot = hu_open.spot(state)
    # The raise to 900 (half the pot) is between a call and the pot raise; on the pot-raise
    # line the re-raise (to 2,700 over 900: 1,800 into 2,400, 0.75 pot) is read from the small
    # blind's first flop node, between its half-pot and pot bets.
    capped = [line for line in spot.lines if any("past the tree's cap" in n for n in line.notes)]
    assert len(capped) == 2 and all(line.on_tree for line in capped)
    assert {line.history for line in capped} == {"r300c/cr600", "r300c/cr900"}
    pot_raise_line = 1 - pseudo_harmonic_probability(0.5, 0, 1)
    assert sum(line.probability for line in capped) == pytest.approx(pot_raise_line)
    # Between the half-pot and pot sizes of the small blind's first flop node (0.5 and 1.0).
    by_history = {line.history: line.probability for line in capped}
    expected_half = pseudo_harmonic_probability(0.75, 0.5, 1.0) * pot_raise_line
    assert by_history["r300c/cr600"] == pytest.approx(expected_half)
    assert _hand_dependent(_answers(hu_open, history, board).values())


def test_a_three_times_pot_flop_bet_called_then_the_turn(hu_open):
    board = "Kh8d3cQs"
    history = "300 c 1800 c"  # the big blind bets 3x pot on the flop, the small blind calls
    state = _state(hu_open, "AsAh", history, board)
    assert state.street == 2
    spot = hu_open.spot(state)
    for line in spot.lines:
        assert line.on_tree, line.notes
    assert any("re-entered the tree at" in note for line in spot.lines for note in line.notes)
    answers = _answers(hu_open, history, board)
    assert _hand_dependent(answers.values())
    # The big blind, first on the turn, bets with some probability with every hand.
    for answer in answers.values():
        assert sum(p for a, p in answer.items() if a.kind is ActionKind.RAISE) > 0


def test_calling_a_bet_mapped_to_all_in_then_a_river_bet(hu_open):
    board = "Kh8d3cQs2h"
    # Flop: check, a bet of 5 pots (mostly read as the tree's all-in), call; turn checked
    # through; river: check and a bet of 5,000 chips.
    history = "300 c c 3000 c c c c 5000"
    state = _state(hu_open, "AsAh", history, board)
    assert state.street == 3 and state.legal_actions().can_fold
    spot = hu_open.spot(state)
    for line in spot.lines:
        assert line.on_tree, line.notes
    answers = _answers(hu_open, history, board)
    assert all(Action.fold() in a for a in answers.values())
    assert _hand_dependent(answers.values())
    turn = _answers(hu_open, "300 c c 3000 c", "Kh8d3cQs")
    assert _hand_dependent(turn.values())
    assert all(
        sum(p for a, p in t.items() if a.kind is ActionKind.RAISE) > 0 for t in turn.values()
    )


def test_a_one_big_blind_bet_into_a_big_pot_is_mostly_a_check(hu_open):
    board = "Kh8d3c"
    state = _state(hu_open, "AsAh", "300 900 c 100", board)  # 1 bb into 18 bb
    spot = hu_open.spot(state)
    x = 100 / 1800
    check = pseudo_harmonic_probability(x, 0.0, 0.5)
    assert check == pytest.approx(0.842, abs=1e-3)
    assert spot.history == "r300r900c/c" and spot.probability == pytest.approx(check)
    assert [line.history for line in spot.others] == ["r300r900c/r1800"]
    # A bet is a bet, and the tree's sizes are bets of this round in real chips, as the user's.
    assert spot.notes[-1] == (
        "BB bet 100 (0.056 pot) mapped to check (0.000 pot) with probability 0.842"
    )
    assert spot.others[0].notes[-1] == (
        "BB bet 100 (0.056 pot) mapped to bet 900 (0.500 pot) with probability 0.158"
    )
    # The answer is the mixture of the two lines' rows.
    mixture = {}
    for line in spot.lines:
        for action, p in hu_open._line_answer(line, hu_open.bucket(state)):
            mixture[action] = mixture.get(action, 0.0) + line.probability * p
    assert dict(hu_open.action_probabilities(state)) == pytest.approx(mixture)


def test_each_translation_is_drawn_once_per_hand_and_kept(hu_open):
    board = "Kh8d3cQs"
    follower = hu_open.follower
    check = pseudo_harmonic_probability(100 / 1800, 0.0, 0.5)
    took = []
    for seed in range(300):
        rng = np.random.default_rng(seed)
        state = _state(hu_open, "AsAh", "300 900 c 100", board)
        first = follower.choose(state, hu_open.spot(state), rng)
        # A second decision of the hand (the small blind calls; the turn): the bet keeps the
        # translation drawn at the first, whatever the generator gives now.
        state.apply(Action.call())
        later = follower.choose(state, hu_open.spot(state), np.random.default_rng(10_000 + seed))
        ((k, p, low),) = first.draws
        assert (k, low) in {(d[0], d[2]) for d in later.draws}
        assert p == pytest.approx(check)
        took.append(low)
    assert np.mean(took) == pytest.approx(check, abs=0.07)


def test_act_is_reproducible_from_the_seed(hu_open):
    def play(seed):
        rng = np.random.default_rng(seed)
        actions = []
        for _ in range(30):
            state = HandState.deal_random(hu_open.table_config(), rng)
            while not state.is_terminal:
                if state.awaiting_cards:
                    break
                legal = state.legal_actions()
                if rng.random() < 0.3 and legal.min_raise_to is not None:
                    action = Action.raise_to(legal.min_raise_to)  # off the tree's sizes
                else:
                    action = hu_open.act(state, rng)
                state.apply(action)
                actions.append(action)
        return actions

    assert play(5) == play(5)
    assert play(5) != play(6)


def test_marks_count_off_tree_actions(hu_open):
    board = "Kh8d3c"
    state = _state(hu_open, "AsAh", "300 c 300 900 2700", board)
    marks = hu_open.follower.marks(state)
    assert len(marks) == 5
    assert marks[3] & TRANSLATED or marks[4] & (OFF_TREE | TRANSLATED)
