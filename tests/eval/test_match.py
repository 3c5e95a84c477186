"""Matches: exact zero for an agent against itself, antisymmetry when the sides swap, the known
loss of an agent that always folds, coverage on real hands, seeds, workers and their cleanup."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from holdem.eval.agents import CallAgent, FoldAgent, RaisePotAgent, RandomAgent
from holdem.eval.match import CHUNK_UNITS, AgentError, MatchConfig, play_hand, play_match
from holdem.eval.rule_bot import TightAggressiveAgent
from holdem.rules import Action, Deal

ROOT = Path(__file__).resolve().parents[2]
AGENTS = {
    "random": RandomAgent(),
    "call": CallAgent(),
    "raise-pot": RaisePotAgent(),
    "fold": FoldAgent(),
    "tag": TightAggressiveAgent(),
}


@pytest.mark.parametrize("name", list(AGENTS))
@pytest.mark.parametrize("seats", [2, 3, 6])
def test_an_agent_against_itself_scores_exactly_zero_on_every_duplicate_deal(name, seats):
    agent = AGENTS[name]
    result = play_match(agent, agent, 60, MatchConfig(n_seats=seats), seed=seats)
    assert result.hands == 60 * seats
    assert not result.unit_chips.any()
    assert result.mbb_per_hand().mean == 0 and result.mbb_per_hand().half_width == 0


@pytest.mark.parametrize(("a", "b"), [("tag", "random"), ("raise-pot", "tag"), ("random", "call")])
def test_swapping_the_sides_negates_the_result_deal_by_deal(a, b):
    forward = play_match(AGENTS[a], AGENTS[b], 300, seed=5)
    backward = play_match(AGENTS[b], AGENTS[a], 300, seed=5)
    assert forward.unit_chips.any()
    np.testing.assert_array_equal(forward.unit_chips, -backward.unit_chips)
    assert forward.seat_chips == tuple(-c for c in reversed(backward.seat_chips))


@pytest.mark.parametrize("seats", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("duplicate", [True, False])
@pytest.mark.parametrize("ante", [0, 10])
def test_an_agent_that_always_folds_loses_exactly_the_blinds_and_antes_it_posts(
    seats, duplicate, ante
):
    config = MatchConfig(n_seats=seats, ante=ante, duplicate=duplicate)
    posted = (config.small_blind + config.big_blind + seats * ante) / seats  # per hand
    deals = 12 * seats
    lose = play_match(FoldAgent(), RaisePotAgent(), deals, config, seed=1)
    assert lose.mbb_per_hand().mean == pytest.approx(-1000 * posted / config.big_blind)
    assert lose.mbb_per_hand().half_width == 0  # every unit the same
    win = play_match(RaisePotAgent(), FoldAgent(), deals, config, seed=1)
    # the bettor takes every other seat's blinds and antes: (seats - 1) times the posts
    assert win.bb_per_100().mean == pytest.approx(100 * (seats - 1) * posted / config.big_blind)
    if seats == 2:
        assert lose.mbb_per_hand().mean == -750.0 if ante == 0 else -850.0


def test_intervals_from_real_hands_cover_a_mean_known_by_symmetry():
    # The tag bot against itself, not duplicate: each unit puts one copy once in each seat on
    # fresh deals, so the expected result is exactly zero and the units are not all zero.
    # These results are symmetric and very heavy-tailed (excess kurtosis about 100: rare big
    # pots), for which the normal interval is a little conservative at small samples (the
    # studentized mean has lighter tails; Efron, JASA 1969): measured 0.972 over 1,000 seeds.
    config, covered, repetitions = MatchConfig(duplicate=False), 0, 300
    for r in range(repetitions):
        result = play_match(AGENTS["tag"], AGENTS["tag"], 80, config, seed=r)
        covered += result.mbb_per_hand().covers(0.0)
    assert 0.93 <= covered / repetitions <= 0.99


def test_the_same_seed_gives_the_same_match_and_another_seed_another():
    one = play_match(AGENTS["random"], AGENTS["tag"], 200, seed=3)
    two = play_match(AGENTS["random"], AGENTS["tag"], 200, seed=3)
    other = play_match(AGENTS["random"], AGENTS["tag"], 200, seed=4)
    np.testing.assert_array_equal(one.unit_chips, two.unit_chips)
    assert not np.array_equal(one.unit_chips, other.unit_chips)


def test_duplicate_deals_keep_the_cards_with_the_seats():
    deal = Deal.random(2, np.random.default_rng(0))
    table = MatchConfig().table()
    rngs = [np.random.default_rng(0), np.random.default_rng(1)]
    first = play_hand(table, deal, [RaisePotAgent(), CallAgent()], rngs)
    second = play_hand(table, deal, [CallAgent(), RaisePotAgent()], rngs)
    # the betting is the same whoever bets (pot, pot, pot, pot: 8,100 in), so the cards, which
    # stay with the seats, decide the same way
    assert first.payoffs == second.payoffs and abs(first.payoffs[0]) in (0, 8_100)


class _Cheater:
    name = "cheater"

    def act(self, state, seat, rng):
        return Action.raise_to(state.stacks[seat] + state.bets[seat] + 1)


def test_an_illegal_action_names_the_agent_and_the_hand():
    with pytest.raises(AgentError, match=r"agent cheater in seat \d played raise to .* stack"):
        play_match(_Cheater(), CallAgent(), 4)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least 2"):
        play_match(CallAgent(), CallAgent(), 1)
    with pytest.raises(ValueError, match="multiple of the 3 seats"):
        play_match(CallAgent(), CallAgent(), 10, MatchConfig(n_seats=3, duplicate=False))
    with pytest.raises(ValueError, match="2 to 6 seats"):
        MatchConfig(n_seats=7)
    with pytest.raises(ValueError, match="big_blind"):
        MatchConfig(small_blind=100, big_blind=50)
    with pytest.raises(ValueError, match="workers"):
        play_match(CallAgent(), CallAgent(), 10, num_workers=-1)


WORKERS_SCRIPT = """
import json, sys
from holdem.eval.blueprint_agent import BlueprintAgent
from holdem.eval.match import play_match
from holdem.eval.registry import make_agent

if __name__ == "__main__":
    deals = int(sys.argv[1])
    result = play_match(make_agent("random"), make_agent("tag"), deals, seed=9, num_workers=2)
    try:
        play_match(BlueprintAgent("/no/such/blueprint"), make_agent("call"), 600, num_workers=2)
        failure = None
    except ValueError as error:
        failure = str(error)
    print(json.dumps({"units": result.unit_chips.tolist(), "pids": result.worker_pids,
                      "workers": result.workers, "failure": failure}))
"""


def test_two_workers_give_the_one_worker_result_report_errors_and_leave_no_process(tmp_path):
    deals = 2 * CHUNK_UNITS + 37  # three chunks over two workers
    script = tmp_path / "two_workers.py"
    script.write_text(WORKERS_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(deals)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["workers"] == 2 and len(report["pids"]) == 2
    assert "/no/such/blueprint" in report["failure"]
    alone = play_match(AGENTS["random"], AGENTS["tag"], deals, seed=9, num_workers=1)
    assert report["units"] == alone.unit_chips.tolist()
    for pid in report["pids"]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
