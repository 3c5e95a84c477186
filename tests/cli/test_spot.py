"""``holdem spot``: solve a river spot, then ``show`` and ``chart`` its nodes; every mistake in the
flags, a spot file or a spot.json is one line with exit code 2."""

import contextlib
import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from holdem.cards.encoding import RANKS
from holdem.cards.preflop_matchups import class_label
from holdem.cli.main import main
from holdem.policy.hand_grid import (
    CHART_PIXELS,
    FOLD_COLOUR,
    PASSIVE_COLOUR,
    RAISE_COLOURS,
    ActionMark,
    action_colour,
    action_colours,
)
from holdem.search.solution import load_spot_solution
from holdem.search.spot_chart import nearest_histories, node_marks, node_picture, node_view
from tests.policy.pictures import png_size

BOARD = "Qs Jh 2h 8d 3c"
OOP = "AA,KK,QQ,AK,AQs,99:0.75"
IP = "QQ:0.5,JJ-22,AQo:0.75,KQ"
SPOT = ["--pot", "1000", "--stack", "9500", "--oop", OOP, "--ip", IP]
SIZES = ["--bets", "33,75", "--raises", "50", "--allin"]
SPOT_YAML = f'board: {BOARD}\npot: 1000\nstack: 9500\noop: "{OOP}"\nip: "{IP}"\n'


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The river example solved to 1% of the pot: (spot.json, what the solve printed)."""
    out = tmp_path_factory.mktemp("spot") / "spot.json"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["spot", "--board", BOARD, *SPOT, *SIZES, "--accuracy", "1", "--out", str(out)])
    assert code == 0, printed.getvalue()
    return out, printed.getvalue()


def _shares(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"(\d+\.\d)%", text)]


def test_show_prints_the_root_as_the_solve_summarised_it(solved, capsys):
    path, printed = solved
    assert load_spot_solution(path).exploitability_pct_pot <= 1.0
    assert main(["spot", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "node '(root)': OOP to act, pot 1,000" in out
    assert f"board {BOARD}, pot 1,000, stack 9,500" in out
    # The whole range's frequencies from spot.json's combos equal the solver's own summary.
    root = next(line for line in printed.splitlines() if "(root)" in line)
    line = next(line for line in out.splitlines() if line.startswith("OOP range ("))
    assert "check" in line and "bet 330 (33% pot)" in line and "all-in" in line
    assert _shares(line) == _shares(root) and len(_shares(root)) == 4
    # On a Qs board OOP keeps 3 of QQ's 6 combinations, all of AA's, and 99 at weight 0.75.
    rows = {row.split("│")[1].strip(): row for row in out.splitlines() if row.count("│") > 3}
    assert "3 of 6" in rows["QQ"] and "6 of 6" in rows["AA"] and "4.5 of 6" in rows["99"]
    assert set(rows) == {"AA", "KK", "QQ", "AKs", "AKo", "AQs", "99"}


def _label(combo: str) -> str:
    """The class of a combination such as ``AsKd``, worked out from its text."""
    high, low = sorted((combo[0], combo[2]), key=RANKS.index, reverse=True)
    return high + low if high == low else high + low + ("s" if combo[1] == combo[3] else "o")


def test_a_node_by_class_is_the_reach_weighted_average_of_its_combinations(solved):
    solution = load_spot_solution(solved[0])
    node = solution.nodes["xb750"]
    view = node_view(solution, "xb750")
    classes: dict[str, list[str]] = {}
    for combo in node.strategy:
        classes.setdefault(_label(combo), []).append(combo)
    assert sorted(classes) == sorted(class_label(c) for c in view.classes())
    for c in view.classes():
        combos = classes[class_label(c)]
        reach = np.array([node.reach[x] for x in combos])
        rows = np.array([node.strategy[x] for x in combos])
        evs = np.array([node.ev[x] for x in combos])
        assert view.combos[c] == pytest.approx(reach.sum())
        assert view.strategy[c] == pytest.approx(reach @ rows / reach.sum())
        assert view.ev[c] == pytest.approx(reach @ evs / reach.sum())
    # Pot and chips to call follow the history: OOP checked, IP bet 750.
    assert (view.player, view.pot, view.to_call) == (0, 1750, 750)
    assert view.labels == ("fold", "call", "raise to 2,000", "all-in")
    raised = node_view(solution, "b330r1160")  # OOP bet 330, IP raised to 1,160
    assert (raised.player, raised.pot, raised.to_call, raised.max_bet) == (0, 2490, 830, 1160)
    assert node_view(solution, "xa").to_call == 9500
    for history in solution.nodes:  # every node's player is the one the history says acts
        assert node_view(solution, history).player == solution.nodes[history].player


def test_chart_draws_the_node_as_png_and_in_the_terminal(solved, tmp_path, capsys):
    path = solved[0]
    out = tmp_path / "x.png"
    assert main(["spot", "chart", str(path), "--node", "x", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert png_size(out) == CHART_PIXELS
    assert f"wrote {out}: {BOARD}   node x: IP acts" in capsys.readouterr().out
    assert main(["spot", "chart", str(path), "--node", "b330"]) == 0
    text = capsys.readouterr().out
    assert "node b330: IP acts" in text and "of the range" in text and "KQo" in text
    # Piped (no colour), the cells carry the actions' letters and the legend names them.
    assert "f = fold" in text and "a = all-in" in text
    solution = load_spot_solution(path)
    view = node_view(solution, "b330")
    # Fold blue, call green, the raise by its size in pots, all-in the darkest red.
    marks = node_marks(view)
    assert [m.kind for m in marks] == ["fold", "call", "raise", "all-in"]
    # Facing a bet of 330 into 1,000, the raise to 1,160 adds 830 beyond the call to a pot of
    # 1,660 after the call: half the pot.
    assert view.actions[2] == "r1160"
    fraction = 0.5
    assert marks[2].pot_fraction == pytest.approx(fraction)
    assert action_colours(marks) == [
        FOLD_COLOUR,
        PASSIVE_COLOUR,
        action_colour(ActionMark("raise", fraction)),
        RAISE_COLOURS[-1],
    ]
    picture = node_picture(node_view(solution, ""), solution)
    qq = next(c for c in range(169) if class_label(c) == "QQ")
    assert picture.heights is not None and picture.captions is not None
    assert picture.heights[qq] == pytest.approx(0.5) and picture.captions[qq] == "3"
    assert picture.heights.max() == pytest.approx(1.0) and picture.captions[0] == ""


def test_nodes_after_a_dumped_turn_card_count_the_chips_of_both_streets(tmp_path, capsys):
    out = tmp_path / "turn.json"
    turn = ["--board", "Qs Jh 2h 8d", "--pot", "1000", "--stack", "9500", "--oop", "AA,KK"]
    argv = [*turn, "--ip", "QQ,JJ", "--bets", "75", "--allin", "--iterations", "3"]
    assert main(["spot", *argv, "--dump-runouts", "3c,4s", "--out", str(out)]) == 0
    capsys.readouterr()
    solution = load_spot_solution(out)
    river = node_view(solution, "xb750c/4s")  # the turn went check, bet 750, call
    assert (river.player, river.pot, river.to_call) == (0, 2500, 0)
    assert river.labels == ("check", "bet 1,875 (75% pot)", "all-in")
    facing = node_view(solution, "xb750c/4sb1875")
    assert (facing.player, facing.pot, facing.to_call) == (1, 4375, 1875)
    shove = node_view(solution, "xb750c/4sa")  # 9,500 - 750 left to OOP
    assert (shove.player, shove.pot, shove.to_call) == (1, 11250, 8750)
    line = _error(["spot", "show", str(out), "--node", "xb750c"], capsys)
    assert "after 'xb750': 'xb750c/3c', 'xb750c/4s', 'xb750a'" in line


def test_a_node_a_lock_cuts_off_is_shown_and_charted_empty(tmp_path, capsys):
    out = tmp_path / "locked.json"
    argv = ["spot", "--board", BOARD, *SPOT, *SIZES, "--iterations", "2", "--out", str(out)]
    assert main([*argv, "--lock", "=b750:1"]) == 0  # OOP always bets 750: it never checks
    capsys.readouterr()
    assert main(["spot", "show", str(out), "--node", "xb330"]) == 0
    text = capsys.readouterr().out
    assert "OOP range: this node is never reached" in text and "AKo" not in text
    png = tmp_path / "xb330.png"
    assert main(["spot", "chart", str(out), "--node", "xb330", "--out", str(png)]) == 0
    assert png_size(png) == CHART_PIXELS
    capsys.readouterr()


def test_nearest_histories_are_the_children_of_the_longest_prefix():
    nodes = ["", "x", "b750", "xb330", "xb750", "xa", "xb750r2000", "b750c/8d", "b750c/8dx"]
    assert nearest_histories(nodes, "xb75") == ("x", ["xb330", "xb750", "xa"])
    assert nearest_histories(nodes, "zz") == ("", ["x", "b750"])
    assert nearest_histories(nodes, "b750c/8dxb9") == ("b750c/8dx", [])
    assert nearest_histories(nodes, "b750c") == ("b750", ["b750c/8d"])


def test_a_config_file_with_flags_overriding_it(tmp_path, capsys):
    config = tmp_path / "spot.yaml"
    config.write_text(SPOT_YAML + "sizes: {bet: [50], allin: true}\n")
    out = tmp_path / "spot.json"
    argv = ["spot", "--config", str(config), "--iterations", "2", "--out", str(out)]
    assert main([*argv, "--pot", "2000", "--bets", "33", "--ip", "JJ,TT"]) == 0
    capsys.readouterr()
    solution = load_spot_solution(out)
    assert (solution.board, solution.pot, solution.stack) == (BOARD, 2000, 9500)
    assert solution.ranges == {"oop": OOP, "ip": "JJ,TT"}
    assert solution.nodes[""].actions == ("x", "b660", "a")  # 33% of 2,000, all-in from the file
    assert main([*argv]) == 0
    capsys.readouterr()
    assert load_spot_solution(out).nodes[""].actions == ("x", "b500", "a")
    assert main([*argv, "--no-allin"]) == 0  # a flag switches the file's all-in off
    capsys.readouterr()
    assert load_spot_solution(out).nodes[""].actions == ("x", "b500")


def _error(argv, capsys) -> str:
    code = main(argv)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    assert "Traceback" not in out
    return lines[0]


RIVER = ["spot", "--board", BOARD, *SPOT, *SIZES, "--iterations", "1"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["spot", "--board", "Qs Qs 2h 8d 3c", *SPOT], "board: card 'Qs' appears twice"),
        ([*RIVER, "--oop", "AA,AKx"], "oop range: cannot read range item 'AKx'"),
        ([*RIVER, "--board", "Qs Jh 2h 8d 3c 4c"], "has 6 cards: a spot's board has 3"),
        ([*RIVER, "--bets", "0"], "--bets '0': a size must be a positive % of the pot"),
        ([*RIVER, "--bets=-5"], "--bets '-5': a size must be a positive % of the pot"),
        ([*RIVER, "--raises", "x"], "--raises 'x': give sizes in % of the pot"),
        ([*RIVER, "--stack", "0"], "stack 0: give the effective stack behind, more than 0"),
        ([*RIVER, "--lock", "zz=x:1"], "--lock zz=x:1: no decision 'zz' on the first street"),
        ([*RIVER, "--lock", "x=k:1"], "'k' is not an action there; the actions are x, b330"),
        ([*RIVER, "--lock", "x"], "--lock x: give NODE=SPEC"),
        ([*RIVER, "--iterations", "0"], "--iterations 0: give 1 or more"),
        ([*RIVER, "--accuracy", "-1"], "--accuracy -1: give the target exploitability"),
        (["spot", "--board", BOARD, "--pot", "1000"], "--stack is missing"),
    ],
)
def test_bad_flags_are_one_line(argv, fragment, capsys):
    assert fragment in _error(argv, capsys)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (SPOT_YAML + "bogus: 1\n", "spot.yaml: bogus: unknown key; the keys are"),
        (SPOT_YAML.replace("pot: 1000\n", ""), "spot.yaml: pot: missing"),
        ("", "spot.yaml: the file is empty; a spot file needs the keys board, pot"),
        (SPOT_YAML + "sizes: {bet: [0]}\n", "sizes.bet[0]: a size is a positive %"),
        (SPOT_YAML.replace("AQs", "AQx"), "spot.yaml: oop range: cannot read range item 'AQx'"),
        ("[1, 2\n", "spot.yaml: line 2: not valid YAML"),
        ("- [1, 2]\n", "top level: must be a mapping, got [[1, 2]]"),
    ],
)
def test_bad_spot_files_are_one_line(text, fragment, tmp_path, capsys):
    config = tmp_path / "spot.yaml"
    config.write_text(text)
    assert fragment in _error(["spot", "--config", str(config)], capsys)


def test_a_flag_that_is_zero_is_not_replaced_by_the_file(tmp_path, capsys):
    config = tmp_path / "spot.yaml"
    config.write_text(SPOT_YAML)
    assert "stack 0" in _error(["spot", "--config", str(config), "--stack", "0"], capsys)


def test_show_and_chart_mistakes_are_one_line(solved, tmp_path, capsys):
    path = str(solved[0])
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else"}))
    assert "not a spot solution (format is not" in _error(["spot", "show", str(other)], capsys)
    yaml_file = tmp_path / "spot.yaml"
    yaml_file.write_text(SPOT_YAML)
    assert "not a spot solution (not readable JSON" in _error(
        ["spot", "show", str(yaml_file)], capsys
    )
    missing = str(tmp_path / "none.json")
    assert "none.json: no such file" in _error(["spot", "chart", missing], capsys)
    assert (
        "--node 'xb75': no such decision; the nearest, after 'x': 'xb330', 'xb750', 'xa'"
        in _error(["spot", "show", path, "--node", "xb75"], capsys)
    )
    assert "no node after 'xb750c/8h': nodes after a turn or river card" in _error(
        ["spot", "show", path, "--node", "xb750c/8h"], capsys
    )
    assert "give the spot.json to show" in _error(["spot", "show"], capsys)
    assert "give a file name ending in .png" in _error(
        ["spot", "chart", path, "--out", str(tmp_path / "x.jpg")], capsys
    )
    assert "show prints to the terminal" in _error(
        ["spot", "show", path, "--out", str(tmp_path / "x.png")], capsys
    )
    broken = json.loads(solved[0].read_text())
    broken["nodes"]["x"]["strategy"]["KdQd"] = [1.0]
    other.write_text(json.dumps(broken))
    assert "node 'x': KdQd has 1 probabilities for 4 actions" in _error(
        ["spot", "show", str(other), "--node", "x"], capsys
    )


def test_a_command_imports_only_its_own_module() -> None:
    # `holdem spot` must start fast: the other commands' modules (blueprints, LBR) stay unloaded
    code = (
        "import sys; from holdem.cli.main import build_parser; "
        "args = build_parser('spot').parse_args(['spot', '--board', 'As Ks Qs']); "
        "print(sorted(m for m in sys.modules if m.startswith('holdem.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip()
    assert "holdem.cli.spot" in loaded
    assert "holdem.cli.lbr" not in loaded and "holdem.cli.train_blueprint" not in loaded


def test_compress_solves_in_half_the_tables(tmp_path):
    """``--compress`` prints tables of half the size and still reaches the accuracy."""
    sizes = {}
    for flags in ([], ["--compress"]):
        printed = io.StringIO()
        out = tmp_path / f"spot{len(flags)}.json"
        with contextlib.redirect_stdout(printed):
            command = ["spot", "--board", BOARD, *SPOT, *SIZES, "--accuracy", "1", *flags]
            assert main([*command, "--out", str(out)]) == 0, printed.getvalue()
        sizes[bool(flags)] = float(re.search(r"tables ([\d.,]+) MiB", printed.getvalue())[1])
        assert load_spot_solution(out).exploitability_pct_pot <= 1.0
    assert sizes[True] < 0.55 * sizes[False]
