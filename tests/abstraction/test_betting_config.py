"""YAML betting configurations: presets load and compile, mistakes name the file and the key."""

from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import ConfigError, betting_config_path, load_betting_spec
from holdem.abstraction.betting_tree import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    RAISE,
    SHOWDOWN,
    compile_tree,
)
from holdem.cfr.kuhn import kuhn_betting
from holdem.cfr.leduc import LEDUC_BETTING

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
ARRAYS = (
    "kind",
    "player",
    "street",
    "n_actions",
    "first_child",
    "chips",
    "folded",
    "parent",
    "action_kind",
    "action_to",
)


def _same_tree(a, b):
    return all(np.array_equal(getattr(a, name), getattr(b, name)) for name in ARRAYS)


def test_leduc_yaml_compiles_to_the_built_in_leduc_tree():
    assert _same_tree(
        compile_tree(load_betting_spec(CONFIGS / "leduc.yaml")), compile_tree(LEDUC_BETTING)
    )


def test_kuhn_yaml_compiles_to_the_built_in_kuhn_tree():
    assert _same_tree(
        compile_tree(load_betting_spec(CONFIGS / "kuhn.yaml")), compile_tree(kuhn_betting(2))
    )


@pytest.mark.parametrize("name", ["hu_small", "hu_open", "hu_rich"])
def test_heads_up_presets_follow_holdem_order(name):
    spec = load_betting_spec(CONFIGS / f"{name}.yaml")
    tree = compile_tree(spec)
    assert spec.n_players == 2 and spec.blinds == (50, 100)
    assert tree.chips[0].tolist() == [50, 100]
    assert tree.player[0] == 0  # the small blind (the button) acts first preflop
    postflop = (tree.kind == DECISION) & (tree.street > 0)
    first_of_street = postflop & (tree.street != tree.street[tree.parent])
    assert set(tree.player[first_of_street].tolist()) == {1}  # the big blind first after
    assert tree.chips.max() == spec.stack


def test_rich_preset_offers_every_preflop_size_and_all_in():
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_rich.yaml"))
    # fold, call, six pot fractions and all-in facing the big blind
    assert tree.action_labels(0) == [
        "f",
        "c",
        "r200",
        "r250",
        "r300",
        "r400",
        "r500",
        "r700",
        "r10000",
    ]


def test_six_max_preset_compiles_with_holdem_order():
    spec = load_betting_spec(CONFIGS / "6max.yaml")
    tree = compile_tree(spec)
    assert tree.chips[0].tolist() == [50, 100, 0, 0, 0, 0]
    assert tree.player[0] == 2  # under the gun
    postflop = (tree.kind == DECISION) & (tree.street > 0)
    first_of_street = postflop & (tree.street != tree.street[tree.parent])
    assert tree.player[first_of_street].min() == 0


def test_six_max_preset_loads_with_holdem_order():
    spec = load_betting_spec(CONFIGS / "6max.yaml")
    assert spec.n_players == 6
    assert [s.first_player for s in spec.streets] == [2, 0, 0, 0]


@pytest.mark.parametrize("big_blinds", [5, 10, 15, 20])
def test_push_fold_presets_are_fold_or_all_in_then_fold_or_call(big_blinds):
    spec = load_betting_spec(CONFIGS / f"pushfold_{big_blinds}bb.yaml")
    assert (spec.n_players, spec.blinds, spec.stack) == (2, (50, 100), 100 * big_blinds)
    tree = compile_tree(spec)
    stack = spec.stack
    # The whole tree, node by node: root, SB folds, SB all-in, BB folds, BB calls.
    assert tree.n_nodes == 5
    assert [tree.history(n) for n in range(5)] == ["", "f", "r", "rf", "rc"]
    assert tree.kind.tolist() == [DECISION, FOLD_END, DECISION, FOLD_END, SHOWDOWN]
    assert tree.player.tolist() == [0, -1, 1, -1, -1]
    assert tree.action_kind.tolist() == [-1, FOLD, RAISE, FOLD, CALL]
    assert tree.chips.tolist() == [[50, 100], [50, 100], [stack, 100], [stack, 100], [stack] * 2]
    assert tree.folded.tolist() == [0, 0b01, 0, 0b10, 0]
    assert tree.street.tolist() == [0] * 5


def _write(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


GOOD_GAME = "game: {players: 2, stack: 1000, blinds: [5, 10]}\n"
GOOD_ROUND = "{sizes: [[1.0]], max_raises: 1}"
GOOD_BETTING = (
    f"betting:\n  preflop: {GOOD_ROUND}\n  flop: {GOOD_ROUND}\n  turn: {GOOD_ROUND}\n"
    f"  river: {GOOD_ROUND}\n"
)


def test_a_good_file_loads(tmp_path):
    spec = load_betting_spec(_write(tmp_path, GOOD_GAME + GOOD_BETTING))
    assert spec.stack == 1000 and spec.n_streets == 4


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        (GOOD_GAME.replace("stack", "stak") + GOOD_BETTING, "game.stak", "unknown key"),
        (GOOD_GAME.replace("2,", "7,") + GOOD_BETTING, "game.players", "between 2 and 6"),
        (GOOD_GAME.replace("1000", "'lots'") + GOOD_BETTING, "game.stack", "whole number"),
        (GOOD_GAME.replace("[5, 10]", "[10]") + GOOD_BETTING, "game.blinds", "small blind"),
        (GOOD_GAME.replace("[5, 10]", "[20, 10]") + GOOD_BETTING, "game.blinds", "exceeds"),
        (
            GOOD_GAME + GOOD_BETTING.replace("[[1.0]]", "[[1.0, big]]", 1),
            "betting.preflop.sizes[0][1]",
            "positive pot fraction",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("[[1.0]]", "[[-0.5]]", 1),
            "betting.preflop.sizes[0][0]",
            "positive pot fraction",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("[[1.0]]", "[[{chip: 2}]]", 1),
            "betting.preflop.sizes[0][0].chip",
            "unknown key",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("max_raises: 1", "cap: 1", 1),
            "betting.preflop.cap",
            "unknown key",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace(", max_raises: 1", "", 1),
            "betting.preflop.max_raises",
            "required",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("max_raises: 1}", "max_raises: 1, all_in: 2}", 1),
            "betting.preflop.all_in",
            "true or false",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("max_raises: 1}", "max_raises: 1, limp: maybe}", 1),
            "betting.preflop.limp",
            "true or false",
        ),
        (
            GOOD_GAME + GOOD_BETTING.replace("  flop: {", "  flop: {limp: false, ", 1),
            "betting.flop.limp",
            "first betting round of a game with blinds",
        ),
        (
            "game: {players: 2, stack: 1000, ante: 5}\n"
            + GOOD_BETTING.replace("preflop: {", "preflop: {limp: false, ", 1),
            "betting.preflop.limp",
            "first betting round of a game with blinds",
        ),
        (
            GOOD_GAME
            + GOOD_BETTING.replace(
                "{sizes: [[1.0]], max_raises: 1}", "{max_raises: 0, limp: false}", 1
            ),
            "betting.preflop.limp",
            "max_raises of 1 or more",
        ),
        (GOOD_GAME + GOOD_BETTING.replace("turn", "fourth"), "betting", "preflop, flop, turn"),
        (GOOD_GAME, "betting", "missing"),
        ("game: {players: 2, stack: 10, blinds: [5, 10]}\n" + GOOD_BETTING, "game", "stack 10"),
        ("- just\n- a list\n", "top level", "mapping"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path, text, key, hint):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_betting_spec(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}:"), message
    assert hint in message
    assert "\n" not in message


def test_limp_defaults_to_true_and_false_loads(tmp_path):
    spec = load_betting_spec(_write(tmp_path, GOOD_GAME + GOOD_BETTING))
    assert all(street.limp for street in spec.streets)
    text = GOOD_GAME + GOOD_BETTING.replace("max_raises: 1}", "max_raises: 1, limp: false}", 1)
    spec = load_betting_spec(_write(tmp_path, text))
    assert [street.limp for street in spec.streets] == [False, True, True, True]


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_betting_spec(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match=r"bad.yaml: line \d+: not valid YAML: expected"):
        load_betting_spec(_write(tmp_path, "game:\n  players: [2\n"))


def test_an_empty_file_says_so(tmp_path):
    with pytest.raises(ConfigError, match=r"bad\.yaml: the file is empty"):
        load_betting_spec(_write(tmp_path, "# only a comment\n"))


def test_a_training_config_stands_for_the_betting_config_it_names(tmp_path):
    """``holdem tree stats`` or ``--betting`` given a training config follow its betting: key
    (relative to the training config's folder, from any working folder)."""
    training = CONFIGS / "blueprint_hu_small.yaml"
    assert betting_config_path(training) == CONFIGS / "hu_small.yaml"
    assert betting_config_path(CONFIGS / "hu_small.yaml") == CONFIGS / "hu_small.yaml"
    followed = compile_tree(load_betting_spec(training))
    assert _same_tree(followed, compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml")))
