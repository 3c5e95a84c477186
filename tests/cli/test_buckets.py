"""The ``holdem buckets build|info`` commands: argument errors before work, and info output."""

import argparse
import json

import numpy as np
import pytest

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.abstraction.buckets import CardAbstraction
from holdem.cards.combos import N_COMBOS, blocked_combos, combo_text
from holdem.cards.encoding import parse_cards
from holdem.cards.isomorphism import N_INDICES
from holdem.cli import buckets
from holdem.cli.main import build_parser
from tests.policy.runs import save_bucket_file


def main(argv):
    """Parse and run like ``holdem buckets ...``."""
    parser = argparse.ArgumentParser(prog="holdem buckets")
    buckets.add_arguments(parser)
    return buckets.run(parser.parse_args(argv))


def test_the_command_is_registered():
    args = build_parser().parse_args(["buckets", "build", "--preset", "mid", "--k-flop", "7"])
    assert args.preset == "mid"
    assert args.k_flop == 7


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--k-river", "5000"], "k_river must be an integer in 1..1981"),
        (["--k-preflop", "0"], "k_preflop must be an integer in 1..169"),
        (["--bins", "1"], "n_bins must lie in 2..255"),
        (["--sample-size", "3"], "smaller than a bucket count"),
        (["--seed", "-1"], "seed must be a non-negative integer"),
        (["--threads", "0"], "--threads must lie in 1.."),
    ],
)
def test_bad_arguments_print_one_line_and_do_no_work(argv, message, tmp_path, capsys):
    out = tmp_path / "b.npz"
    assert main(["build", "--out", str(out), *argv]) == 2
    assert message in capsys.readouterr().out
    assert not out.exists()


def test_unwritable_output_is_refused_before_work(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["build", "--out", str(blocker / "b.npz")]) == 2
    assert "is a file, so no folder can be made there" in capsys.readouterr().out
    (tmp_path / "dir.npz").mkdir()
    assert main(["build", "--out", str(tmp_path / "dir.npz")]) == 2
    assert "is a folder" in capsys.readouterr().out
    # A folder output replaces the folder whole: one holding other files is refused at once.
    (tmp_path / "assets" / "keep.npz").parent.mkdir()
    (tmp_path / "assets" / "keep.npz").write_text("x")
    assert main(["build", "--out", str(tmp_path / "assets")]) == 2
    assert "is a folder of other files" in capsys.readouterr().out
    assert (tmp_path / "assets" / "keep.npz").read_text() == "x"
    save_bucket_file(tmp_path / "earlier")
    assert (
        buckets.build_buckets.output_path(
            build_parser().parse_args(["buckets", "build", "--out", str(tmp_path / "earlier")])
        )
        == tmp_path / "earlier"
    )


def test_info_of_a_missing_file_is_one_line(tmp_path, capsys):
    assert main(["info", str(tmp_path / "none.npz")]) == 2
    assert "no such file" in capsys.readouterr().out


def test_info_prints_manifest_sizes_and_quality(tmp_path, capsys):
    spec = BucketSpec(preset="test", k_preflop=169, k_flop=3, k_turn=3, k_river=3)
    tables = {
        s: (np.arange(n) % spec.counts()[s]).astype(np.uint8)
        for s, n in zip(STREETS, N_INDICES, strict=True)
    }
    stats = {}
    for s in STREETS:
        k = spec.counts()[s]
        sizes = np.bincount(tables[s], minlength=k)
        stats[s] = np.stack([sizes, np.linspace(0.2, 0.8, k), np.full(k, 0.05)], axis=1)
    abstraction = CardAbstraction.from_tables(tables, spec, stats, {}, {"seconds": 1.0})
    path = abstraction.save(tmp_path / "t.npz")
    assert main(["info", str(path)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == f"{path}: card abstraction (preset test, seed 0, built in 1.0 s)"
    assert lines[1:5] == [
        f"  {s}: {n} buckets" for s, n in zip(STREETS, (169, 3, 3, 3), strict=True)
    ]
    assert lines[5] == f"checksum {abstraction.checksum}, verified; the whole manifest: --json"
    assert '"format"' not in text  # the raw manifest (about 90 lines) only with --json
    assert "123.16M" in text and "41.05M" in text
    assert "0.0500" in text
    assert main(["info", str(path), "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["format"] == "holdem-card-abstraction" and manifest["counts"]["flop"] == 3


def test_show_lists_the_hands_of_a_bucket_on_a_board(tmp_path, capsys):
    path = save_bucket_file(tmp_path / "b.npz")
    abstraction = CardAbstraction.load(path)
    board = "Qs 7h 2c"
    bucket = abstraction.bucket("AsKd", board)
    expected = [
        combo_text(c)
        for c in range(N_COMBOS)
        if not blocked_combos(parse_cards(board))[c]
        and abstraction.bucket(combo_text(c), board) == bucket
    ]
    argv = ["show", str(path), "--street", "flop", "--board", board, "--bucket", str(bucket)]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"flop bucket {bucket} of 8 on Qs 7h 2c: {len(expected):,} of 1,176 " + (
        "combinations (by hand class)"
    )
    shown = [combo for line in lines[1:] for combo in line.split(": ")[1].split()]
    assert sorted(shown) == sorted(expected) and "AsKd" in shown
    assert any(line.startswith("  AKo (") for line in lines)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--street", "flop", "--board", "Qs 7h", "--bucket", "1"],
            "has 2 cards: the flop needs 3",
        ),
        (["--board", "Qs 7h 2c", "--bucket", "8"], "--bucket 8: the flop of"),
        (["--board", "Qs 7h 2c", "--bucket", "-1"], "has buckets 0 to 7"),
        (["--board", "Qs Xx 2c", "--bucket", "1"], "Xx"),
    ],
)
def test_show_mistakes_are_one_line(tmp_path, capsys, argv, message):
    path = save_bucket_file(tmp_path / "b.npz")
    assert main(["show", str(path), *argv]) == 2
    out = capsys.readouterr().out.strip()
    assert "\n" not in out and out.startswith("error:") and message in out
