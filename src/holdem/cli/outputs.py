"""Where commands write: one rule for every output path, checked before any work.

The rule: an output's missing folders are created (as ``mkdir -p`` would; the write itself
does it, `holdem.storage.atomic`), and a path that cannot be written is refused at once, in one
line naming the flag: a folder given where a file goes (or the reverse), a file standing where
a folder of the path should be, a folder that may not be written. Every command that writes
(``--out`` of ``solve``, ``policy export``, ``buckets build``, ``average``, ``chart``, ``plot``,
``eval``, ``lbr``, ``spot``, ``spot chart``) calls `check_output` while it checks its arguments,
so a long solve, build or match never ends unable to save.
"""

from __future__ import annotations

import os
from pathlib import Path


def check_output(
    path: Path, flag: str = "--out", example: str = "out.json", folder: bool = False
) -> None:
    """Raise a one-line ValueError naming ``flag`` unless ``path`` can be written: a file (or
    with ``folder``, a folder) whose missing parent folders can be created. ``example`` is a
    file name to suggest when a folder was given for a file."""
    if folder and path.exists() and not path.is_dir():
        raise ValueError(f"{flag} {path} is a file; give the name of a folder to write")
    if not folder and path.is_dir():
        raise ValueError(f"{flag} {path} is a folder; give a file name like {example}")
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ValueError(f"{flag} {path}: {existing} is a file, so no folder can be made there")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"{flag} {path}: cannot write in {existing}")


def check_png_path(path: Path, flag: str = "--out") -> None:
    """`check_output` for a PNG file: its name must end in ``.png``."""
    if path.suffix.lower() != ".png":
        raise ValueError(f"{flag} {path}: give a file name ending in .png")
    check_output(path, flag, "chart.png")
