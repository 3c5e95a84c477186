"""``holdem equity``: two to six hands or ranges, every hand's row, one-line mistakes."""

from holdem.cli.main import main


def _rows(capsys):
    return capsys.readouterr().out


def test_every_hand_gets_its_row_and_ranges_are_accepted(capsys):
    assert main(["equity", "AsKs", "QQ"]) == 0
    out = _rows(capsys)
    assert "AsKs" in out and "│ QQ " in out and "exact" in out
    assert main(["equity", "AA,KK", "AKs,AQs", "22+", "--board", "Qs 7h 2c"]) == 0
    out = _rows(capsys)
    assert "AA,KK" in out and "AKs,AQs" in out and "22+" in out
    assert main(["equity", "AK", "QQ", "JTs", "random", "--samples", "20000"]) == 0
    out = _rows(capsys)
    assert "random" in out and "sampled: 20,000 deals drawn with seed 0" in out


def _error(argv, capsys):
    code = main(argv)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
    return lines[0]


def test_mistakes_are_one_line(capsys):
    assert "give 2 to 6 hands" in _error(["equity", "AsKs"], capsys)
    assert "give 2 to 6 hands" in _error(["equity", *["22"] * 7], capsys)
    assert "hand 2 'XX': cannot read range item" in _error(["equity", "AsKs", "XX"], capsys)
    assert "a board has 3, 4 or 5 cards" in _error(["equity", "AA", "KK", "--board", "2c"], capsys)
    assert "cannot be dealt together" in _error(["equity", "AsKs", "AsKs"], capsys)
    assert "--samples must be at least 1" in _error(
        ["equity", "AA", "KK", "--samples", "0"], capsys
    )
