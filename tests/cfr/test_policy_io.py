"""Policy files: the documented key format, round trips, atomic writes, clear errors."""

import json

import numpy as np
import pytest

from holdem.cfr.best_response import exploitability
from holdem.cfr.cfr_full import FullWidthSolver
from holdem.cfr.game import load_game
from holdem.cfr.policy_io import policy_from_dict, policy_to_dict, read_policy, write_policy
from holdem.cfr.regret_matching import uniform_table


@pytest.fixture(scope="module")
def leduc_policy():
    game = load_game("leduc")
    solver = FullWidthSolver(game, "dcfr")
    solver.run(200)
    return game, solver.average_policy()


def test_keys_follow_the_documented_format(leduc_policy):
    game, table = leduc_policy
    mapping = policy_to_dict(game, table)
    # 6 first-round nodes x 3 private cards + 30 second-round nodes x 9 (private, public) pairs.
    assert len(mapping) == 6 * 3 + 30 * 9
    assert set(mapping["KQ|rc/r"]) == {"f", "c", "r"}
    assert set(mapping["J|"]) == {"c", "r"}
    assert set(mapping["Q|rr"]) == {"f", "c"}
    assert set(mapping["JK|crrc/"]) == {"c", "r"}
    kuhn = policy_to_dict(
        load_game("kuhn"), uniform_table(load_game("kuhn").tree, load_game("kuhn").layout)
    )
    assert sorted(kuhn) == sorted(f"{c}|{h}" for c in "JQK" for h in ("", "c", "r", "cr"))


def test_round_trip_through_a_file(tmp_path, leduc_policy):
    game, table = leduc_policy
    path = tmp_path / "deep" / "policy.json"
    write_policy(path, game, table)
    again = read_policy(path, game)
    assert np.array_equal(again, table)
    assert exploitability(game, again) == exploitability(game, table)
    assert [p.name for p in path.parent.iterdir()] == ["policy.json"]
    write_policy(path, game, uniform_table(game.tree, game.layout))
    assert np.array_equal(read_policy(path, game), uniform_table(game.tree, game.layout))


def test_actions_missing_from_a_row_count_as_zero():
    game = load_game("kuhn")
    mapping = policy_to_dict(game, uniform_table(game.tree, game.layout))
    mapping["K|"] = {"r": 1.0}
    table = policy_from_dict(game, mapping)
    start = game.layout.row(0, 0, 2)
    assert table[start : start + 2].tolist() == [0, 1]


def _mapping():
    game = load_game("kuhn")
    return game, policy_to_dict(game, uniform_table(game.tree, game.layout))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update({"A|": {"c": 1.0}}), "unknown information set 'A\\|'"),
        (lambda m: m.pop("Q|cr"), "1 information sets are missing, for example 'Q\\|cr'"),
        (lambda m: m.update({"K|": {"f": 1.0}}), "action 'f' is not legal at 'K\\|'"),
        (lambda m: m.update({"K|": {"c": -0.5, "r": 1.5}}), "probability -0.5"),
        (lambda m: m.update({"K|": {"c": "half", "r": 0.5}}), "probability 'half'"),
        (lambda m: m.update({"K|": {"c": True, "r": 0.0}}), "probability True"),
        (lambda m: m.update({"K|": {"c": 0.5, "r": 0.6}}), "sum to 1.1"),
        (lambda m: m.update({"K|": [0.5, 0.5]}), "must map actions"),
    ],
)
def test_bad_contents_name_the_key(change, message):
    game, mapping = _mapping()
    change(mapping)
    with pytest.raises(ValueError, match=message):
        policy_from_dict(game, mapping, "p.json")


def test_bad_files_name_the_file(tmp_path):
    game, mapping = _mapping()
    truncated = tmp_path / "cut.json"
    truncated.write_text(json.dumps(mapping)[:100])
    with pytest.raises(ValueError, match=r"cut\.json: not valid JSON .* truncated"):
        read_policy(truncated, game)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"list\.json: expected a JSON object"):
        read_policy(listed, game)
    with pytest.raises(ValueError, match=r"absent\.json: cannot read"):
        read_policy(tmp_path / "absent.json", game)
    leduc_file = tmp_path / "leduc.json"
    leduc = load_game("leduc")
    write_policy(leduc_file, leduc, uniform_table(leduc.tree, leduc.layout))
    with pytest.raises(ValueError, match=r"unknown information set .* for kuhn"):
        read_policy(leduc_file, game)
