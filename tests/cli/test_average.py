"""``holdem average``: a run's snapshots averaged into another blueprint; one-line mistakes."""

import json

import numpy as np

from holdem.cli.main import main
from holdem.storage.array_files import read_arrays
from tests.policy.runs import save_bucket_file, train_hu_small


def _run(argv, capsys):
    code = main(["average", *argv])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line.strip()]


def test_a_run_is_averaged_again_and_mistakes_are_one_line(tmp_path, capsys):
    run = train_hu_small(tmp_path / "hu", save_bucket_file(tmp_path / "buckets.npz"))
    out = tmp_path / "again"
    code, lines = _run(
        [str(run), "--warmup", "10s", "--weights", "equal", "--out", str(out)], capsys
    )
    assert code == 0, lines
    # One snapshot (the last, always kept): the same blueprint as the run's.
    ours, theirs = read_arrays(run / "blueprint")[0], read_arrays(out)[0]
    assert all(np.array_equal(ours[k], theirs[k]) for k in ("summed", "rest"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["snapshot_averaging"] == {"warmup": "10s", "weights": "equal"}
    for argv, message in (
        ([str(run), "--warmup", "100%", "--out", str(tmp_path / "x")], "--warmup: a share"),
        ([str(run), "--warmup", "soon", "--out", str(tmp_path / "x")], "--warmup"),
        ([str(run), "--out", str(out)], "exists"),
        ([str(tmp_path), "--out", str(tmp_path / "x")], "no checkpoint here"),
    ):
        code, lines = _run(argv, capsys)
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
        assert message in lines[0], lines
