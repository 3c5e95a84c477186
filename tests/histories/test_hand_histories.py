"""Hand histories read back by PokerKit's own parsers (`pokerkit.notation`): PokerStars text
and ACPC ``STATE`` lines of random hands with side pots, 2 to 6 seats, replay in PokerKit to
the same final stacks as ours; a scripted hand reads as PokerStars writes one."""

from datetime import datetime

import numpy as np
import pytest
from pokerkit import Automation, NoLimitTexasHoldem
from pokerkit.notation import HandHistory

from holdem.histories.acpc import acpc_hand
from holdem.histories.hand_log import HandLog, distinct_names, format_hand, player_name
from holdem.histories.pokerstars import pokerstars_hand
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from tests.rules.generators import random_action, random_deal

WHEN = datetime(2026, 12, 4, 16, 0, 0)
pytestmark = pytest.mark.filterwarnings("ignore:The field 'time_zone_abbreviation'")


def _random_hands(seed: int, count: int) -> list[HandState]:
    """Hands of 2 to 6 seats, unequal stacks (side pots), blinds 50/100, no ante."""
    rng = np.random.default_rng(seed)
    hands = []
    for _ in range(count):
        n = int(rng.integers(2, 7))
        stacks = tuple(int(s) for s in rng.integers(1_000, 15_000, n))
        config = TableConfig(stacks, 50, 100, 0, int(rng.integers(n)))
        state = HandState(config, random_deal(n, rng))
        calm = bool(rng.random() < 0.5)
        while not state.is_terminal:
            state.apply(random_action(state.legal_actions(), rng, calm))
        hands.append(state)
    return hands


def _names(state: HandState) -> list[str]:
    return [f"player{s + 1}" for s in range(state.n_seats)]


def test_pokerstars_text_replays_in_pokerkit_to_our_stacks():
    hands = _random_hands(seed=3, count=60)
    text = "".join(
        pokerstars_hand(state, k + 1, _names(state), WHEN) + "\n\n" for k, state in enumerate(hands)
    )
    parsed = list(HandHistory.from_pokerstars(text, error_status=True))
    assert len(parsed) == len(hands)
    side_pots = 0
    for history, state in zip(parsed, hands, strict=True):
        final = list(history)[-1]
        assert dict(zip(history.players, final.stacks, strict=True)) == {
            name: stack + won
            for name, stack, won in zip(
                _names(state), state.config.stacks, state.payoffs, strict=True
            )
        }
        side_pots += len(state.awards) > 1
    assert side_pots >= 4  # the hard case is covered


def test_acpc_lines_replay_in_pokerkit_to_our_stacks():
    hands = [h for h in _random_hands(seed=4, count=40) if len(set(h.config.stacks)) == 1]
    rng = np.random.default_rng(5)
    for n in (2, 3, 6):  # PokerKit's ACPC reader takes one starting stack for every seat
        for _ in range(15):
            state = HandState(TableConfig((10_000,) * n, 50, 100, 0, 0), random_deal(n, rng))
            while not state.is_terminal:
                state.apply(random_action(state.legal_actions(), rng, calm=n > 2))
            hands.append(state)
    for n in (2, 3, 6):
        group = [h for h in hands if h.n_seats == n]
        text = "".join(acpc_hand(state, k, _names(state)) for k, state in enumerate(group))
        game = NoLimitTexasHoldem((Automation.ANTE_POSTING,), True, 0, (50, 100), 100)
        parsed = list(HandHistory.from_acpc_protocol(game, 10_000, text, error_status=True))
        assert len(parsed) == len(group)
        for history, state in zip(parsed, group, strict=True):
            order = state.config.seats_from_button()
            assert list(list(history)[-1].stacks) == [10_000 + state.payoffs[s] for s in order]


def _scripted_hand() -> HandState:
    """Heads-up, the button (seat 0, small blind) raises, the big blind re-raises, the button
    calls; on the flop the big blind bets and the button folds."""
    state = HandState.new(TableConfig((10_000, 10_000), 50, 100), ["7d 6d", "Qh Qc"], "2c 3d 4h")
    for action in (Action.raise_to(300), Action.raise_to(900), Action.call()):
        state.apply(action)
    state.apply(Action.raise_to(1_200))
    state.apply(Action.fold())
    return state


def test_a_hand_reads_as_pokerstars_writes_it():
    text = pokerstars_hand(_scripted_hand(), 42, ["you", "blueprint"], WHEN)
    assert text.splitlines() == [
        "PokerStars Hand #42: Hold'em No Limit (50/100) - 2026/12/04 16:00:00 UTC",
        "Table 'holdem' 2-max Seat #1 is the button",
        "Seat 1: you (10000 in chips)",
        "Seat 2: blueprint (10000 in chips)",
        "you: posts small blind 50",
        "blueprint: posts big blind 100",
        "*** HOLE CARDS ***",
        "Dealt to blueprint [Qh Qc]",
        "Dealt to you [7d 6d]",
        "you: raises 200 to 300",
        "blueprint: raises 600 to 900",
        "you: calls 600",
        "*** FLOP *** [2c 3d 4h]",
        "blueprint: bets 1200",
        "you: folds",
        "Uncalled bet (1200) returned to blueprint",
        "blueprint collected 1800 from pot",
        "*** SUMMARY ***",
        "Total pot 1800 | Rake 0",
        "Board [2c 3d 4h]",
        "Seat 1: you (button) (small blind) folded on the Flop",
        "Seat 2: blueprint (big blind) collected (1800)",
    ]
    assert acpc_hand(_scripted_hand(), 0, ["you", "blueprint"]) == (
        "STATE:0:r300r900c/r2100f:QhQc|7d6d/2c3d4h:900|-900:blueprint|you\n"
    )


def test_a_showdown_names_both_hands():
    state = HandState.new(
        TableConfig((1_000, 1_000), 50, 100), ["Kh Kd", "As Qs"], "5c 5s 4h 9d 2c"
    )
    while not state.is_terminal:
        state.apply(Action.call() if state.legal_actions().can_call else Action.check())
    text = pokerstars_hand(state, 1, ["a", "b"], WHEN)
    assert "a: shows [Kh Kd] (two pair, Kings and Fives)" in text
    assert "b: shows [As Qs] (a pair of Fives)" in text
    assert "Seat 1: a (button) (small blind) showed [Kh Kd] and won (200) with two pair" in text


def test_names_and_the_log_file(tmp_path):
    assert player_name("runs/hu_open/blueprint") == "runs_hu_open_blueprint"
    assert distinct_names(["tag", "tag", "call"]) == ["tag_1", "tag_2", "call_3"]
    path = tmp_path / "hands.txt"
    with HandLog(path, "pokerstars") as log:
        log.write(_scripted_hand(), ["you", "blueprint"])
        log.write(_scripted_hand(), ["you", "blueprint"])
    text = path.read_text()
    assert text.count("PokerStars Hand #") == 2 and text.endswith("\n\n\n")
    assert len(list(HandHistory.from_pokerstars(text, error_status=True))) == 2
    with HandLog(path, "pokerstars") as log:  # a second session appends
        log.write(_scripted_hand(), ["you", "blueprint"])
    assert path.read_text().count("PokerStars Hand #") == 3
    assert format_hand("acpc", _scripted_hand(), 7, ["a", "b"], "t").startswith("STATE:7:")
    with pytest.raises(ValueError, match=r"--log .*: cannot write it"):
        HandLog(tmp_path, "pokerstars")
    with pytest.raises(ValueError, match="--log-format 'json' is not a format"):
        HandLog(path, "json")
    ante = HandState.new(TableConfig((1_000, 1_000), 50, 100, ante=10), ["Kh Kd", "As Qs"])
    ante.apply(Action.fold())
    with pytest.raises(ValueError, match=r"no antes.*--log-format pokerstars"):
        acpc_hand(ante, 0, ["a", "b"])
