"""``holdem.rules`` against PokerKit 0.7.7 on random hands, and the known differences pinned.

The batch tests print what they covered (run pytest with ``-s`` to see it). The pinned tests
below show each place where the engines differ on purpose, on a hand small enough to check
by hand, so a change in either engine shows up here first.
"""

from __future__ import annotations

import pytest

from holdem.rules import Action, Deal, HandState, TableConfig
from tests.rules.differential import REOPEN_DIVERGENCES, Tally, run_batch
from tests.rules.pokerkit_reference import PokerKitHand

CALL, CHECK, FOLD = Action.call(), Action.check(), Action.fold()


def check_coverage(tally: Tally, n_hands: int) -> None:
    """The batch must have exercised what the generator is for, not only quiet hands."""
    print(f"\n{tally}")
    assert tally.hands == n_hands
    assert set(tally.seats) == {2, 3, 4, 5, 6}
    assert min(tally.seats.values()) > n_hands // 10
    assert tally.showdowns > n_hands // 2
    assert tally.side_pots > n_hands // 4
    assert tally.all_in_hands > n_hands // 2
    assert tally.odd_chip_splits > n_hands // 200
    assert tally.river_betting > n_hands // 10
    assert set(tally.divergences) <= set(REOPEN_DIVERGENCES)


def test_matches_pokerkit_on_1000_random_hands() -> None:
    check_coverage(run_batch(1000, seed=20_240_601), 1000)


@pytest.mark.slow
def test_matches_pokerkit_on_12000_random_hands() -> None:
    check_coverage(run_batch(12_000, seed=7_770_007), 12_000)


def both(
    config: TableConfig, holes: list[str], board: str, *actions: Action
) -> tuple[HandState, PokerKitHand]:
    deal = Deal(tuple(holes), board)
    ours, ref = HandState(config, deal), PokerKitHand(config, deal)
    for action in actions:
        ours.apply(action)
        ref.apply(action)
    return ours, ref


HOLES = ["AsAd", "KsKd", "QsQd", "JsJd", "TsTd"]
BOARD = "2c 7h 8c 3d 4s"


def test_pokerkit_reopens_for_a_limper_after_a_short_all_in_over_the_big_blind() -> None:
    # Seat 2 limps, seat 3 is all-in for 150 (50 over the big blind of 100), the blinds call.
    config = TableConfig((10_000, 10_000, 10_000, 150), 50, 100, button=3)
    ours, ref = both(config, HOLES[:4], BOARD, CALL, Action.raise_to(150), CALL, CALL)
    assert ours.to_act == ref.to_act == 2
    assert ours.legal_actions().min_raise_to is None  # TDA 47A: faced 50 < 100, call or fold
    assert ref.legal().min_raise_to == 250  # PokerKit counts the 50 as a full raise


def test_pokerkit_keeps_betting_closed_after_a_chain_of_short_all_ins() -> None:
    # A bets 100, B/C/D all-in to 160/220/250, E calls: A faces 150, a full raise.
    config = TableConfig((10_000, 260, 320, 350, 10_000), 50, 100, button=4)
    ours, ref = both(
        config,
        HOLES,
        BOARD,
        CALL,
        CALL,
        CALL,
        CALL,
        CHECK,
        Action.raise_to(100),
        Action.raise_to(160),
        Action.raise_to(220),
        Action.raise_to(250),
        CALL,
    )
    assert ours.to_act == ref.to_act == 0
    assert ours.legal_actions().min_raise_to == 350
    assert ref.legal().min_raise_to is None
    assert "non-full all-in" in str(ref.legal().raise_refusal)


def test_pokerkit_asks_a_forced_check_that_we_skip() -> None:
    # Button seat 0 is all-in from its ante; the small blind folds; the big blind faces no
    # bet and nobody is left to bet against, so the hand is played out without it acting.
    config = TableConfig((18, 269, 1088), 50, 100, ante=48, button=0)
    ours, ref = both(config, ["Ks9s", "8h3s", "4d8d"], "Qh Jd 5d As 2d", FOLD)
    assert ours.is_terminal
    assert ref.to_act == 2 and not ref.is_over
    assert ref.play_forced_check() and ref.is_over
    assert ours.payoffs == ref.payoffs == (-18, -98, 116)


def test_pokerkit_merges_pots_with_the_same_winners_before_splitting() -> None:
    # Seats 0 and 1 tie (two pair, eights and sevens, king kicker) and win all four pots;
    # the pots of 45 and 93 each have an odd chip. TDA splits every pot on its own, so both
    # odd chips go to seat 0 (first left of button 1); PokerKit splits the merged 510 evenly.
    config = TableConfig((153, 199, 9, 82, 113), 1, 3, button=1)
    ours, ref = both(
        config,
        ["8h5h", "6c8s", "TcAd", "5d4c", "Js4d"],
        "9s 7h 7s Kd 8d",
        Action.raise_to(75),
        CALL,
        CALL,
        CALL,
        CALL,
        CHECK,
        CHECK,
        CHECK,
        CHECK,
        Action.raise_to(7),
        CALL,
        Action.raise_to(78),
        CALL,
        CALL,
    )
    assert [p.amount for p in ours.pots] == [45, 292, 93, 80]
    assert ours.payoffs == (103, 101, -9, -82, -113)
    assert ref.payoffs == (102, 102, -9, -82, -113)


def test_pokerkit_lets_the_big_blind_act_first_heads_up_with_equal_blinds() -> None:
    config = TableConfig((39, 9), 3, 3, button=0)
    ours, ref = both(config, HOLES[:2], BOARD)
    assert ours.to_act == 0  # the button acts first preflop heads-up
    assert ref.to_act == 1
