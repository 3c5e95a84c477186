"""Hand-written hands with answers worked out by hand from the rules (TDA, Robert's Rules)."""

from __future__ import annotations

import re

import pytest

from holdem.cards.encoding import parse_cards
from holdem.rules import (
    Action,
    HandState,
    IllegalActionError,
    LegalActions,
    Pot,
    Street,
    TableConfig,
)

CALL, CHECK, FOLD = Action.call(), Action.check(), Action.fold()


def raise_to(amount: int) -> Action:
    return Action.raise_to(amount)


def play(state: HandState, *actions: Action) -> HandState:
    for action in actions:
        state.apply(action)
    return state


def legal(state: HandState) -> tuple[object, ...]:
    la = state.legal_actions()
    return (la.seat, la.can_fold, la.can_check, la.call_amount, la.min_raise_to, la.max_raise_to)


def deep(n: int, button: int = 0, stacks: dict[int, int] | None = None) -> TableConfig:
    chips = [10_000] * n
    for seat, stack in (stacks or {}).items():
        chips[seat] = stack
    return TableConfig(tuple(chips), 50, 100, button=button)


HOLES_6 = ["AsAd", "KsKd", "QsQd", "JsJd", "TsTd", "9s9d"]
BOARD = "2c 7h 8c 3d 4s"  # makes no straight or flush with the holes above; pairs rank as dealt


def test_heads_up_blinds_and_order_of_action() -> None:
    state = HandState.new(TableConfig((1000, 1000), 5, 10, button=1), HOLES_6[:2], BOARD)
    assert state.bets == (10, 5)
    assert legal(state) == (1, True, False, 5, 20, 1000)  # the button/small blind acts first
    state.apply(CALL)
    assert legal(state) == (0, False, True, 0, 20, 1000)  # the big blind keeps its option
    state.apply(CHECK)
    assert state.street is Street.FLOP and state.board == tuple(parse_cards("2c 7h 8c"))
    assert legal(state) == (0, False, True, 0, 10, 990)  # big blind first after the flop


def test_six_seats_order_of_action() -> None:
    state = HandState.new(deep(6, button=4), HOLES_6, BOARD)
    assert state.bets == (100, 0, 0, 0, 0, 50)  # small blind seat 5, big blind seat 0
    order = []
    while state.street is Street.PREFLOP:
        order.append(state.to_act)
        state.apply(CHECK if state.legal_actions().can_check else CALL)
    assert order == [1, 2, 3, 4, 5, 0]
    assert state.to_act == 5  # first seat left of the button after the flop


def test_minimum_raise_follows_the_last_full_raise() -> None:
    state = HandState.new(deep(3), HOLES_6[:3], BOARD)
    assert legal(state)[4] == 200  # big blind counts as the first bet
    message = "seat 0 cannot raise to 150: the minimum raise is to 200"
    with pytest.raises(IllegalActionError, match=message):
        state.apply(raise_to(150))
    play(state, raise_to(300))  # raise by 200
    assert legal(state)[4] == 500
    play(state, raise_to(650))  # raise by 350
    assert legal(state)[4] == 1000
    message = "seat 2 cannot raise to 900: the minimum raise is to 1000"
    with pytest.raises(IllegalActionError, match=message):
        state.apply(raise_to(900))
    play(state, CALL, CALL)
    assert state.street is Street.FLOP
    assert legal(state) == (1, False, True, 0, 100, 9350)  # a bet is at least the big blind
    play(state, raise_to(250))
    assert legal(state)[4] == 500


def test_three_way_all_in_with_side_pot_and_uncalled_chips() -> None:
    # Button 3, small blind 0, big blind 1; seat 2 opens.
    config = TableConfig((100, 300, 1000, 1000), 5, 10, button=3)
    state = HandState.new(config, ["AsAd", "KsKd", "QsQd", "2h3c"], BOARD)
    play(state, raise_to(50), CALL)
    assert legal(state) == (0, True, False, 45, 90, 100)
    play(state, raise_to(100))  # all-in, a full raise (by 50 over 50)
    assert legal(state) == (1, True, False, 90, 150, 300)
    play(state, raise_to(300))  # all-in, a full raise by 200
    assert legal(state) == (2, True, False, 250, 500, 1000)
    play(state, raise_to(1000))
    assert legal(state) == (3, True, False, 950, None, None)  # nobody left to raise against
    play(state, FOLD)
    assert state.is_terminal and len(state.board) == 5  # all-in: the board is run out
    assert state.pots == (Pot(350, (0, 1, 2)), Pot(400, (1, 2)))
    assert [(a.winners, a.shares) for a in state.awards] == [((0,), (350,)), ((1,), (400,))]
    assert state.payoffs == (250, 100, -300, -50)  # seat 2 got its uncalled 700 back


def test_short_all_in_does_not_reopen_the_betting() -> None:
    state = HandState.new(deep(3, stacks={2: 250}), HOLES_6[:3], BOARD)
    play(state, CALL, CALL, CHECK)  # seat 2 has 150 left; the flop order is 1, 2, 0
    play(state, raise_to(100))  # seat 1 bets 100
    play(state, raise_to(150))  # seat 2 all-in for 150: a raise of 50, short of 100
    assert legal(state) == (0, True, False, 150, 250, 9900)  # seat 0 has not acted: may raise
    play(state, CALL)
    assert legal(state) == (1, True, False, 50, None, None)  # seat 1 bet and faces only 50 more
    with pytest.raises(IllegalActionError, match="does not reopen the betting"):
        state.apply(raise_to(500))


def test_short_all_ins_adding_up_to_a_full_raise_reopen() -> None:
    # TDA Rule 47 addendum, example 1: A bets 100, B all-in 125, C calls, D all-in 200,
    # E calls. A faces 100 more, a full raise, and may raise; C faces 75 and may not.
    config = deep(5, button=4, stacks={1: 225, 3: 300})
    state = HandState.new(config, HOLES_6[:5], BOARD)
    play(state, CALL, CALL, CALL, CALL, CHECK)
    assert state.street is Street.FLOP and state.to_act == 0
    play(state, raise_to(100), raise_to(125), CALL, raise_to(200), CALL)
    assert legal(state) == (0, True, False, 100, 300, 9900)
    play(state, CALL)
    assert legal(state) == (2, True, False, 75, None, None)


def test_a_later_short_all_in_does_not_cancel_an_earlier_reopening() -> None:
    # A bets 100, then B, C, D are all-in to 160, 220 and 250 and E calls: A faces 150 more,
    # a full raise, and may raise (PokerKit 0.7.7 refuses here; see test_differential).
    config = deep(5, button=4, stacks={1: 260, 2: 320, 3: 350})
    state = HandState.new(config, HOLES_6[:5], BOARD)
    play(state, CALL, CALL, CALL, CALL, CHECK)
    play(state, raise_to(100), raise_to(160), raise_to(220), raise_to(250), CALL)
    assert legal(state) == (0, True, False, 150, 350, 9900)


def test_short_all_in_over_the_big_blind_does_not_reopen_for_limpers() -> None:
    config = deep(4, button=3, stacks={3: 150})
    state = HandState.new(config, HOLES_6[:4], BOARD)
    play(state, CALL, raise_to(150))  # seat 2 limps, seat 3 all-in: 50 over the big blind
    assert legal(state) == (0, True, False, 100, 250, 10_000)  # small blind has not acted
    play(state, CALL)
    assert legal(state) == (1, True, False, 50, 250, 10_000)  # big blind has not acted
    play(state, CALL)
    assert legal(state) == (2, True, False, 50, None, None)  # the limper may only call or fold


def test_check_then_short_opening_bet_closes_for_the_checker() -> None:
    config = deep(3, stacks={2: 130})
    state = HandState.new(config, HOLES_6[:3], BOARD)
    play(state, CALL, CALL, CHECK)
    play(state, CHECK, raise_to(30))  # seat 1 checks, seat 2 bets all-in 30 (< big blind)
    assert legal(state) == (0, True, False, 30, 130, 9900)
    play(state, CALL)
    assert legal(state) == (1, True, False, 30, None, None)  # checked, faces 30 < 100


def test_odd_chip_goes_to_first_winner_left_of_the_button() -> None:
    # Broadway on board: every hand ties. Seat 1 folds its small blind; 5 chips split 2 ways.
    config = TableConfig((100, 100, 100), 1, 2, button=0)
    state = HandState.new(config, ["2c2d", "3c3d", "4c4d"], "Ts Js Qd Kh Ac")
    play(state, CALL, FOLD, CHECK)
    for _ in range(3):
        play(state, CHECK, CHECK)
    assert state.awards[0].pot == Pot(5, (0, 2))
    assert state.payoffs == (0, -1, 1)  # seat 2 is first left of the button: odd chip


def test_three_way_tie_gives_all_odd_chips_to_one_seat() -> None:
    config = TableConfig((100, 100, 100, 100), 1, 2, button=2)
    state = HandState.new(config, ["2c2d", "3c3d", "4c4d", "5c5d"], "Ts Js Qd Kh Ac")
    play(state, CALL, CALL, FOLD, CHECK)  # seat 3 folds its small blind: pot 2*3 + 1 = 7
    for _ in range(3):
        play(state, CHECK, CHECK, CHECK)
    assert state.awards[0].winners == (0, 1, 2)
    assert state.awards[0].shares == (3, 2, 2)  # seat 0 is the first winner left of button 2
    assert state.payoffs == (1, 0, 0, -1)


def test_hand_won_by_folds_returns_the_uncalled_raise() -> None:
    state = HandState.new(deep(3), HOLES_6[:3], BOARD)
    play(state, raise_to(300), FOLD, FOLD)
    assert state.is_terminal and state.street is Street.PREFLOP and state.board == ()
    assert state.payoffs == (150, -50, -100)
    assert state.pots == (Pot(250, (0,)),)


def test_ante_with_a_seat_all_in_from_its_ante() -> None:
    # Seat 2 is the big blind but its 5 chips all go to the ante: it posts no blind, so the
    # bet to call is the small blind's 50. It can win only the ante pot of 3 * 5.
    config = TableConfig((1000, 1000, 5), 50, 100, ante=10, button=0)
    state = HandState.new(config, ["KsKd", "QsQd", "AsAd"], BOARD)
    assert state.stacks == (990, 940, 0) and state.bets == (0, 50, 0)
    assert legal(state) == (0, True, False, 50, 150, 990)
    play(state, CALL, CHECK)
    for _ in range(3):
        play(state, CHECK, CHECK)
    assert state.pots == (Pot(15, (0, 1, 2)), Pot(110, (0, 1)))
    assert state.payoffs == (50, -60, 10)


def test_ante_every_seat_posts() -> None:
    config = TableConfig((1000, 1000, 1000), 5, 10, ante=2, button=0)
    state = HandState.new(config, HOLES_6[:3], BOARD)
    assert state.contributions == (2, 7, 12) and state.total_pot == 21
    play(state, FOLD, FOLD)
    assert state.payoffs == (-2, -7, 9)


def test_big_blind_all_in_for_less_than_the_blind() -> None:
    config = TableConfig((1000, 1000, 30), 50, 100, button=0)
    state = HandState.new(config, HOLES_6[:3], BOARD)
    assert state.bets == (0, 50, 30)
    assert legal(state) == (0, True, False, 50, 150, 1000)


def test_illegal_actions_are_refused_with_reasons() -> None:
    state = HandState.new(deep(3), HOLES_6[:3], BOARD)
    messages = {
        CHECK: "seat 0 cannot check: it faces a bet of 100 (call 100 or fold)",
        raise_to(20_000): "seat 0 cannot raise to 20000: its stack allows at most 10000",
    }
    for action, message in messages.items():
        with pytest.raises(IllegalActionError, match=re.escape(message)):
            state.apply(action)
    with pytest.raises(IllegalActionError, match="it is seat 0's turn, not seat 2's"):
        state.apply(CALL, seat=2)
    play(state, CALL, CALL)
    with pytest.raises(IllegalActionError, match="seat 2 cannot fold: there is no bet to call"):
        state.apply(FOLD)
    with pytest.raises(IllegalActionError, match="seat 2 cannot call: there is no bet to call"):
        state.apply(CALL)
    play(state, CHECK)
    message = "seat 1 cannot bet to 50: the minimum bet is to 100"
    with pytest.raises(IllegalActionError, match=message):
        state.apply(raise_to(50))
    assert state.to_act == 1 and state.stacks == (9900, 9900, 9900)  # refused means unchanged


def test_all_in_for_less_is_the_only_raise_when_short() -> None:
    state = HandState.new(deep(3, stacks={0: 150}), HOLES_6[:3], BOARD)
    assert legal(state) == (0, True, False, 100, 150, 150)
    with pytest.raises(IllegalActionError, match="the only raise it can make is all-in to 150"):
        state.apply(raise_to(120))


def test_board_cards_can_be_dealt_street_by_street() -> None:
    state = HandState.new(deep(2), HOLES_6[:2])
    play(state, CALL, CHECK)
    assert state.to_act is None and state.awaiting_cards == 3 and state.street is Street.FLOP
    with pytest.raises(IllegalActionError, match="waits for 3 board cards"):
        state.legal_actions()
    with pytest.raises(IllegalActionError, match="card As is already dealt"):
        state.deal_board("As 2c 3c")
    with pytest.raises(IllegalActionError, match="needs 3 board cards, got 2"):
        state.deal_board("2c 3c")
    state.deal_board("2c 7h 8c")
    assert state.to_act == 1 and state.board == (0, 22, 24)
    play(state, raise_to(100), CALL)
    state.deal_board([5])
    play(state, CHECK, CHECK)
    state.deal_board("4s")
    play(state, CHECK, CHECK)
    assert state.payoffs == (200, -200)


def test_clone_is_independent() -> None:
    state = HandState.new(deep(3), HOLES_6[:3], BOARD)
    copy = state.clone()
    copy.apply(raise_to(500))
    assert state.to_act == 0 and state.bets == (0, 50, 100) and state.history == ()
    assert copy.to_act == 1 and copy.bets == (500, 50, 100)


def test_legal_actions_value() -> None:
    state = HandState.new(deep(3), HOLES_6[:3], BOARD)
    assert state.legal_actions() == LegalActions(0, True, False, 100, 200, 10_000)
