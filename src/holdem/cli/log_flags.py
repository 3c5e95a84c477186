"""The ``--log`` flags of the commands that play hands (`holdem play`, `holdem eval`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from holdem.cli.outputs import check_output
from holdem.histories.hand_log import LOG_FORMATS, HandLog, check_log_format


def add_log_arguments(parser: argparse.ArgumentParser) -> None:
    """``--log FILE`` and ``--log-format``."""
    parser.add_argument(
        "--log",
        type=Path,
        help="append every hand to this file, as hand-history tools read it (flushed per hand)",
    )
    parser.add_argument(
        "--log-format",
        default=LOG_FORMATS[0],
        help=f"the hand-history format of --log: {' or '.join(LOG_FORMATS)} (ACPC dealer "
        f"STATE lines) (default {LOG_FORMATS[0]})",
    )


def open_log(args: argparse.Namespace, ante: int, table: str) -> HandLog | None:
    """The log the flags ask for, opened for appending (None without ``--log``); a one-line
    ValueError naming the flag when the format is unknown, cannot write the table (``ante``)
    or the file cannot be written. Call it before any hand is played."""
    check_log_format(args.log_format, ante)
    if args.log is None:
        return None
    # missing folders are made, as for every output (`holdem.cli.outputs`)
    check_output(args.log, "--log", "hands.txt")
    args.log.parent.mkdir(parents=True, exist_ok=True)
    return HandLog(args.log, args.log_format, table)
