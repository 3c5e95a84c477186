"""Every command's ``--help`` is plain text with its examples on their own lines, and plain
``holdem`` prints the help."""

import importlib

import pytest

from holdem.cli.help_text import help_blocks, plain_text
from holdem.cli.main import COMMANDS, main

NESTED = {"tree": ["stats"], "buckets": ["build", "info"], "policy": ["export"]}


def _help(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_plain_holdem_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: holdem")
    words = " ".join(out.split())
    for name, _, help_text in COMMANDS:
        assert f"{name} {help_text}" in words


@pytest.mark.parametrize("name,module", [(name, module) for name, module, _ in COMMANDS])
def test_every_help_is_plain_text_with_examples_on_their_own_lines(name, module, capsys):
    out = _help([name], capsys)
    assert "`" not in out and "**" not in out, out
    lines = {line.strip() for line in out.splitlines()}
    doc = importlib.import_module(f"holdem.cli.{module}").__doc__ or ""
    examples = [b for kind, b in help_blocks(plain_text(doc)) if kind == "command"]
    assert examples, f"holdem {name} --help shows no example"
    for example in examples:
        assert example.splitlines()[0].strip() in lines, out
    for action in NESTED.get(name, []):
        assert "`" not in _help([name, action], capsys)


def test_help_blocks_keep_commands_apart_from_prose():
    doc = """Title line.

    holdem chart RUN --out a.png
    holdem spot --board "Qs Jh 2h" \\
        --pot 1000

    Prose with ``code`` and ``--flag`` that
    runs over two lines, then *emphasis*.

    - an item
      continued
    """
    assert help_blocks(plain_text(doc)) == [
        ("prose", "Title line."),
        ("gap", ""),
        ("command", "holdem chart RUN --out a.png"),
        ("command", 'holdem spot --board "Qs Jh 2h" \\\n    --pot 1000'),
        ("gap", ""),
        ("prose", "Prose with 'code' and --flag that runs over two lines, then emphasis."),
        ("gap", ""),
        ("item", "- an item continued"),
    ]
