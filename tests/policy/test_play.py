"""The heads-up session: typed actions, mistakes answered with a new prompt, the result."""

import numpy as np
import pytest

from holdem.histories.hand_log import HandLog
from holdem.policy.play import HeadsUpSession, SessionEnd, legal_text, parse_command
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from tests.policy.runs import random_blueprint


def _session(blueprint, lines, seed=0):
    script = iter(lines)
    out: list[str] = []
    session = HeadsUpSession(
        blueprint,
        blueprint.table_config(),
        np.random.default_rng(seed),
        lambda prompt: next(script, None),
        out.append,
    )
    return session, out


def test_commands_mean_the_actions_of_the_state():
    state = HandState.new(TableConfig((1000, 1000), 50, 100), ["AsKd", "7c2d"])
    assert parse_command("f", state) == Action.fold()
    assert parse_command(" Call ", state) == Action.call()
    assert parse_command("r 300", state) == Action.raise_to(300)
    assert parse_command("raise 3bb", state) == Action.raise_to(300)
    assert parse_command("a", state) == Action.raise_to(1000)
    with pytest.raises(SessionEnd):
        parse_command("q", state)
    for text, expected in (("zz", "not an action"), ("r", "needs an amount"), ("r 2.5", "whole")):
        with pytest.raises(ValueError, match=expected):
            parse_command(text, state)
    assert legal_text(state) == "f (fold), c (call 50), r <200..1000> (raise to), a (all-in 1000)"
    state.apply(Action.call())
    assert parse_command("c", state) == Action.check()  # nothing to call: c checks


def test_a_session_answers_mistakes_and_keeps_the_score(hu):
    lines = ["zz", "r 1", "", "h"] + ["c"] * 200
    session, out = _session(hu, lines, seed=4)
    result = session.run(hands=6)
    text = "\n".join(out)
    assert result.hands == 6
    assert "Not allowed: 'zz' is not an action" in text
    assert (
        "Not allowed: you cannot raise to 1" in text or "Not allowed: you cannot bet to 1" in text
    )
    assert "Type an action" in text and text.count("actions: f (fold)") >= 2
    per_hand = [
        int(line.split()[2]) * (1 if " win " in line else -1)
        for line in out
        if line.startswith(("You win", "You lose"))
    ]
    assert sum(per_hand) == result.chips
    assert out[-1] == result.summary()
    assert result.bb_per_100 == pytest.approx(100 * result.chips / 100 / 6)
    assert "Session: 6 hands" in out[-1]


def test_quitting_or_the_end_of_input_ends_the_session(hu):
    session, out = _session(hu, ["q"])
    result = session.run()
    assert result.hands <= 1 and out[-1].startswith("Session: ")
    session, out = _session(hu, [])  # no input at all
    assert session.run().hands <= 1


def test_play_is_heads_up_only(policy_buckets):
    three = random_blueprint(3, policy_buckets)
    with pytest.raises(ValueError, match="heads-up"):
        _session(three, [])


def test_a_raise_past_the_stack_speaks_of_your_stack(hu):
    session, out = _session(hu, ["r 999999", "f"])
    session.run(hands=1)
    assert any(
        line.startswith("Not allowed: you cannot raise to 999999: your stack allows at most")
        for line in out
    ), out


def test_quitting_mid_hand_says_the_hand_is_not_counted(hu):
    session, out = _session(hu, ["c", "q"], seed=2)
    result = session.run()
    assert result.hands == 0
    assert "Hand 1 was not finished: it is left out of the totals and the log." in out
    assert out[-1] == "Session: 0 hands, you won 0 chips (+0.0 bb/100)"
    session, out = _session(hu, ["f"], seed=2)  # every hand finished: nothing to say
    session.run(hands=1)
    assert not any("not finished" in line for line in out)


def test_a_showdown_names_both_hands(hu):
    session, out = _session(hu, ["c"] * 400, seed=3)
    session.run(hands=12)
    showdowns = [line for line in out if line.startswith("Showdown on")]
    assert showdowns
    categories = ("high card", "a pair of", "two pair", "three of a kind", "a straight", "a flush")
    categories += ("a full house", "four of a kind", "a straight flush", "a Royal Flush")
    for line in showdowns:
        you, bot = line.split(": you ", 1)[1].split(", blueprint ")
        assert you[6:].startswith("(") and you[7:].startswith(categories), line
        assert bot[6:].startswith("(") and bot[7:].startswith(categories), line


def test_a_limp_into_a_tree_without_limps_is_said_once(pushfold):
    session, out = _session(pushfold, ["c"] * 200, seed=1)
    session.run(hands=6)
    notes = [line for line in out if "not in the blueprint's tree" in line]
    assert len(notes) == 1, out
    assert notes[0].startswith("Note: your call is not in the blueprint's tree (")
    assert "the tree takes no limp" in notes[0]
    assert not any("trained with stacks" in line for line in out)


def test_other_stacks_than_the_training_are_said_at_the_start(hu):
    out: list[str] = []
    session = HeadsUpSession(
        hu, hu.table_config(stack=5_000), np.random.default_rng(0), lambda _: None, out.append
    )
    session.run(hands=1)
    assert out[1] == (
        "Note: the blueprint trained with stacks of 100 big blinds and this table has 50; it "
        "reads bets as fractions of the pot and plays on, but this is not the game it learnt."
    )


def test_hints_show_the_blueprints_strategy_for_your_hand(hu):
    script = iter(["c"] * 100)
    out: list[str] = []
    session = HeadsUpSession(
        hu,
        hu.table_config(),
        np.random.default_rng(0),
        lambda _: next(script, None),
        out.append,
        hints=True,
    )
    session.run(hands=2)
    hints = [line for line in out if line.startswith("Hint: the blueprint here with your hand")]
    asks = [line for line in out if line.startswith("You may:")]
    assert hints and len(hints) == len(asks)
    shares = [int(part.rsplit(" ", 1)[1][:-1]) for part in hints[0].split("plays ")[1].split(", ")]
    assert 98 <= sum(shares) <= 102  # rounded percentages of a strategy


def test_a_session_log_reads_back_in_pokerkit(hu, tmp_path):
    from pokerkit.notation import HandHistory

    path = tmp_path / "hands.txt"
    script = iter(["c"] * 300)
    with HandLog(path, "pokerstars") as log:
        session = HeadsUpSession(
            hu,
            hu.table_config(),
            np.random.default_rng(5),
            lambda _: next(script, None),
            lambda _: None,
            log=log,
        )
        result = session.run(hands=5)
    text = path.read_text()
    assert text.count("PokerStars Hand #") == 5 and "Seat 1: you (10000 in chips)" in text
    with pytest.warns(UserWarning, match="time_zone_abbreviation"):
        histories = list(HandHistory.from_pokerstars(text, error_status=True))
    won = 0
    for history in histories:
        final = list(history)[-1]
        won += dict(zip(history.players, final.stacks, strict=True))["you"] - 10_000
    assert won == result.chips
