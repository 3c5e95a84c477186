"""The heads-up session: typed actions, mistakes answered with a new prompt, the result."""

import numpy as np
import pytest

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
