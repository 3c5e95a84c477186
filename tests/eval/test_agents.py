"""Baselines: only legal actions on thousands of random states (2 to 6 seats), and known values
of their rules (pot-sized raises, Chen scores, postflop tiers, the tag bot's choices)."""

import numpy as np
import pytest

from holdem.cards.encoding import parse_cards
from holdem.eval.agents import Agent, CallAgent, FoldAgent, RaisePotAgent, RandomAgent
from holdem.eval.lbr_model import Opponent
from holdem.eval.registry import BASELINES, baseline_name, make_agent
from holdem.eval.rule_bot import (
    Tier,
    TightAggressiveAgent,
    chen_score,
    chen_threshold,
    postflop_tier,
)
from holdem.rules import Action, ActionKind, HandState, TableConfig
from tests.rules.generators import random_action, random_deal, random_table

AGENTS = [BASELINES[name]() for name in BASELINES]


def test_every_baseline_plays_only_legal_actions_on_random_states():
    rng = np.random.default_rng(20261122)
    decisions = 0
    seats_seen = set()
    raises = dict.fromkeys((a.name for a in AGENTS), 0)
    for _ in range(1000):
        table = random_table(rng)
        seats_seen.add(table.n_seats)
        state = HandState(table, random_deal(table.n_seats, rng))
        while not state.is_terminal:
            seat = state.to_act
            legal = state.legal_actions()
            for agent in AGENTS:
                before = repr(state)
                action = agent.act(state, seat, np.random.default_rng(decisions))
                assert action in legal, (agent.name, action, legal, state)
                assert state.can_apply(action)
                assert repr(state) == before, f"{agent.name} changed the state"
                raises[agent.name] += action.kind is ActionKind.RAISE
            decisions += 1
            state.apply(random_action(legal, rng))
    assert seats_seen == {2, 3, 4, 5, 6}
    assert decisions > 3000
    assert all(raises[name] > 100 for name in ("random", "raise-pot", "tag")), raises
    assert raises["call"] == raises["fold"] == 0


def test_baselines_follow_the_agent_protocol_and_are_found_by_name():
    for name in BASELINES:
        agent = make_agent(name)
        assert isinstance(agent, Agent) and agent.name == name
    with pytest.raises(ValueError, match="neither a baseline"):
        make_agent("no-such-bot")


@pytest.mark.parametrize(
    ("alias", "name"),
    [("always-call", "call"), ("Always_Fold", "fold"), ("rule-bot", "tag"), ("raise", "raise-pot")],
)
def test_obvious_aliases_name_the_baselines(alias, name):
    assert baseline_name(alias) == name and make_agent(alias).name == name
    assert Opponent.load(alias).name == name


def test_a_near_miss_suggests_the_baseline():
    with pytest.raises(ValueError, match="did you mean raise-pot\\?"):
        make_agent("raise-pott")


def test_random_agent_draws_kinds_and_amounts_uniformly():
    state = HandState.new(TableConfig((10_000, 10_000), 50, 100), ["AsKs", "7d7c"])
    rng = np.random.default_rng(3)
    actions = [RandomAgent().act(state, 0, rng) for _ in range(6000)]
    kinds = [a.kind for a in actions]
    for kind in (ActionKind.FOLD, ActionKind.CALL, ActionKind.RAISE):
        assert abs(kinds.count(kind) / 6000 - 1 / 3) < 0.03
    amounts = np.array([a.amount for a in actions if a.kind is ActionKind.RAISE])
    assert amounts.min() >= 200 and amounts.max() <= 10_000
    assert abs(amounts.mean() - (200 + 10_000) / 2) < 300


def test_pot_raise_sizes_and_clamping():
    table = TableConfig((10_000, 10_000), 50, 100)
    state = HandState.new(table, ["AsKs", "7d7c"])
    rng = np.random.default_rng(0)
    assert RaisePotAgent().act(state, 0, rng) == Action.raise_to(300)
    state.apply(Action.raise_to(300))
    # big blind: pot 400, 200 to call, so raise to 300 + 600
    assert RaisePotAgent().act(state, 1, rng) == Action.raise_to(900)
    short = HandState.new(TableConfig((250, 10_000), 50, 100), ["AsKs", "7d7c"])
    assert RaisePotAgent().act(short, 0, rng) == Action.raise_to(250)  # all-in, clamped
    state.apply(Action.raise_to(10_000))
    assert RaisePotAgent().act(state, 0, rng) == Action.call()  # no raise left: calls
    assert CallAgent().act(state, 0, rng) == Action.call()
    assert FoldAgent().act(state, 0, rng) == Action.fold()


@pytest.mark.parametrize(
    ("hand", "score"),
    [("AsAh", 20), ("KsKd", 16), ("2s2d", 5), ("5s5d", 5), ("AsKs", 12), ("AsKd", 10),
     ("JsTs", 9), ("Ts9s", 8), ("9s7h", 5), ("7s2d", -1), ("Ah2c", 5)],
)  # fmt: skip
def test_chen_scores(hand, score):
    assert chen_score(*parse_cards(hand)) == score


def test_chen_ranges_widen_with_the_share():
    assert chen_threshold(1.0) == -1
    assert chen_threshold(0.05) > chen_threshold(0.2) > chen_threshold(0.5)
    with pytest.raises(ValueError, match="share"):
        chen_threshold(0.0)


@pytest.mark.parametrize(
    ("hole", "board", "tier"),
    [
        ("AsKd", "Kh7c2d", Tier.GOOD),  # top pair
        ("QsQd", "Jh7c2d", Tier.GOOD),  # overpair
        ("7s7d", "Jh7c2d", Tier.STRONG),  # set
        ("Js7d", "Jh7c2d", Tier.STRONG),  # two pair
        ("9s9d", "Jh7c2d", Tier.MEDIUM),  # underpair
        ("As5s", "Js7s2d", Tier.DRAW),  # flush draw
        ("9s8d", "Th7c2d", Tier.DRAW),  # open-ended
        ("Ah2d", "3h4c5d", Tier.STRONG),  # wheel
        ("Ah2d", "3h4cKd", Tier.WEAK),  # A-2-3-4: one end only
        ("2h2d", "JhJc5d", Tier.MEDIUM),  # pair under the board's pair
        ("Ah2d", "JhJc5dQs5s", Tier.WEAK),  # the board's two pair plays
        ("AsKd", "QhJcTd9s8s", Tier.WEAK),  # the board's straight plays
        ("9s8d", "Th7c2d3s4h", Tier.WEAK),  # no draws on the river
    ],
)
def test_postflop_tiers(hole, board, tier):
    assert postflop_tier(parse_cards(hole), parse_cards(board)) is tier


def test_tag_opens_good_hands_and_folds_bad_ones():
    tag, rng = TightAggressiveAgent(), np.random.default_rng(0)
    table = TableConfig((10_000, 10_000), 50, 100)
    good = HandState.new(table, ["AsKs", "7d2c"])
    assert tag.act(good, 0, rng) == Action.raise_to(300)
    bad = HandState.new(table, ["7d2c", "AsKs"])
    assert tag.act(bad, 0, rng) == Action.fold()
    bad.apply(Action.call())
    assert tag.act(bad, 1, rng) == Action.raise_to(300)  # the big blind's option, AKs
    raised = HandState.new(table, ["AsAd", "Ts9s"], "Kh7c2d8s3h")
    raised.apply(Action.raise_to(400))
    assert tag.act(raised, 1, rng) == Action.call()  # T9s: in the calling range only
    raised.apply(Action.call())
    assert tag.act(raised, 1, rng) == Action.check()  # nothing on K72
    raised.apply(Action.check())
    assert tag.act(raised, 0, rng) == Action.raise_to(528)  # overpair bets 0.66 pot


def test_agents_are_deterministic_except_random():
    rng = np.random.default_rng(11)
    for _ in range(200):
        table = random_table(rng)
        state = HandState(table, random_deal(table.n_seats, rng))
        for _ in range(int(rng.integers(6))):
            if not state.is_terminal:
                state.apply(random_action(state.legal_actions(), rng, calm=True))
        if state.is_terminal:
            continue
        seat = state.to_act
        for agent in AGENTS:
            if agent.name == "random":
                continue
            a = agent.act(state, seat, np.random.default_rng(1))
            b = agent.act(state, seat, np.random.default_rng(2))
            assert a == b
