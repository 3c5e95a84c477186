"""``holdem policy export``: a run's folder is accepted as every other command accepts it."""

import json

from holdem.cli.main import main
from tests.policy.runs import save_bucket_file, train_hu_small, train_push_fold


def test_a_run_folder_exports_its_blueprint(tmp_path, capsys):
    run = train_push_fold(tmp_path / "run", 20_000)
    assert main(["policy", "export", str(run), "--out", str(tmp_path / "run.json")]) == 0
    assert f"of {run / 'blueprint'} to" in capsys.readouterr().out
    assert (
        main(["policy", "export", str(run / "blueprint"), "--out", str(tmp_path / "bp.json")]) == 0
    )
    assert json.loads((tmp_path / "run.json").read_text()) == json.loads(
        (tmp_path / "bp.json").read_text()
    )


def test_postflop_keys_name_their_street(tmp_path):
    """Bucket numbers restart on every street, so a postflop key names its street."""
    run = train_hu_small(tmp_path / "hu", save_bucket_file(tmp_path / "b.npz"), 500)
    out = tmp_path / "hu.json"
    assert main(["policy", "export", str(run), "--out", str(out)]) == 0
    labels = {key.split("|")[0] for key in json.loads(out.read_text())}
    for street in ("preflop", "flop", "turn", "river"):
        assert {f"{street}:b{b}" for b in range(8)} <= labels
    assert not any(label.startswith("b") for label in labels)
