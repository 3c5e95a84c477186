"""``holdem policy export``: a run's folder is accepted as every other command accepts it."""

import json

from holdem.cli.main import main
from tests.policy.runs import train_push_fold


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
