"""Command-line layer: one module per command, each runnable as ``python -m holdem.cli.NAME``.

Each command module defines ``add_arguments(parser)`` and ``run(args) -> int``; ``main`` gathers
them as subcommands of ``holdem``. No logic lives here: commands parse, validate, call the
library and print.
"""
