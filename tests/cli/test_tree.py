"""The ``holdem tree stats`` command: the counts, and one line with exit 2 for every mistake."""

from pathlib import Path

import pytest

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import compile_tree
from holdem.abstraction.tree_stats import tree_stats
from holdem.cli import tree as tree_command
from holdem.cli.main import main

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
# Four open sizes and two 3-bet sizes: 20 million nodes are passed early in the flop.
WIDE_6MAX_PREFLOP = "sizes: [[0.5, 1.0, 2.0, 3.0], [1.0, 2.0]]"


def one_line(capsys) -> str:
    """The command's whole output, checked to be a single line."""
    out = capsys.readouterr().out.strip()
    assert "\n" not in out, out
    assert "Traceback" not in out
    return out


def test_prints_the_counts(capsys):
    assert main(["tree", "stats", str(CONFIGS / "hu_small.yaml"), "--buckets", "169,50,40,30"]) == 0
    out = capsys.readouterr().out
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    stats = tree_stats(tree, (169, 50, 40, 30))
    assert f"{stats.total_infosets:,}" in out
    assert f"nodes {tree.n_nodes:,}" in out


def test_a_training_config_is_followed_to_its_betting_config(capsys):
    training = CONFIGS / "blueprint_hu_small.yaml"
    assert main(["tree", "stats", str(training), "--buckets", "8,8,8,8"]) == 0
    out = capsys.readouterr().out
    assert f"{training} is a training config: its betting abstraction is " in out
    assert f"{CONFIGS / 'hu_small.yaml'}: 2 players" in out


def wide_6max(tmp_path) -> Path:
    """configs/6max.yaml with more preflop sizes: a tree of more than 20 million nodes."""
    text = (CONFIGS / "6max.yaml").read_text()
    assert "sizes: [[1.0], [1.0]]" in text
    path = tmp_path / "6max_wide.yaml"
    path.write_text(text.replace("sizes: [[1.0], [1.0]]", WIDE_6MAX_PREFLOP))
    return path


def test_a_tree_past_the_node_limit_says_what_to_reduce(tmp_path, capsys):
    config = wide_6max(tmp_path)
    assert main(["tree", "stats", str(config), "--max-nodes", "50000"]) == 2
    out = one_line(capsys)
    assert str(config) in out
    assert "passed the limit of 50,000 nodes (counting stopped at 50," in out
    assert "fewer bet sizes" in out and "lower max_raises" in out and "--max-nodes" in out


@pytest.mark.slow
def test_the_wide_6max_tree_passes_the_default_limit(tmp_path, capsys):
    assert main(["tree", "stats", str(wide_6max(tmp_path))]) == 2
    assert "passed the limit of 20,000,000 nodes" in one_line(capsys)


def test_running_out_of_memory_is_one_line(monkeypatch, capsys):
    def no_memory(spec, max_nodes):
        raise MemoryError

    monkeypatch.setattr(tree_command, "compile_tree", no_memory)
    assert main(["tree", "stats", str(CONFIGS / "hu_small.yaml"), "--max-nodes", "1000"]) == 2
    assert "not enough memory to build the tree (up to 1,000 nodes)" in one_line(capsys)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--buckets", "169,200"], "--buckets needs 4 positive counts"),
        (["--buckets", "a,b,c,d"], "--buckets must be whole numbers"),
        (["--buckets", "169,0,200,200"], "--buckets needs 4 positive counts"),
        (["--buckets", "-1,0,0,0"], "--buckets needs 4 positive counts"),
        (["--buckets", "-1"], "--buckets needs 4 positive counts"),
        (["--max-nodes", "0"], "--max-nodes must be a positive number of nodes, got 0"),
    ],
)
def test_bad_arguments(capsys, argv, message):
    assert main(["tree", "stats", str(CONFIGS / "hu_small.yaml"), *argv]) == 2
    assert message in one_line(capsys)


def test_a_missing_config(tmp_path, capsys):
    missing = tmp_path / "nowhere.yaml"
    assert main(["tree", "stats", str(missing)]) == 2
    assert f"{missing}: no such file" in one_line(capsys)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("game: [\n  players: 2\n", "not valid YAML"),
        ("- 1\n- 2\n", "must be a mapping"),
        ("game: {players: 2, stack: 100, blinds: [1, 2]}\nbeting: {}\n", "beting"),
    ],
)
def test_a_bad_config_file(tmp_path, capsys, text, message):
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    assert main(["tree", "stats", str(config)]) == 2
    out = one_line(capsys)
    assert str(config) in out and message in out


def test_a_node_with_too_many_actions_names_the_config(tmp_path, capsys):
    config = tmp_path / "wide_node.yaml"
    sizes = ", ".join(f"{0.5 + 0.25 * k}" for k in range(70))
    config.write_text(
        "game: {players: 2, stack: 100000, blinds: [50, 100]}\n"
        f"betting:\n  preflop: {{sizes: [[{sizes}]], max_raises: 1}}\n"
        "  flop: {sizes: [[1.0]], max_raises: 1}\n"
        "  turn: {sizes: [[1.0]], max_raises: 1}\n"
        "  river: {sizes: [[1.0]], max_raises: 1}\n"
    )
    assert main(["tree", "stats", str(config)]) == 2
    out = one_line(capsys)
    assert str(config) in out and "more than 64" in out and "use fewer sizes" in out
