"""Numba's cache of compiled kernels, kept in step with the package's sources.

Numba's on-disk cache (``cache=True``) is invalidated by a change of the file that holds the
cached function, and by nothing else: a kernel that calls, and inlines, a function of another
module keeps its old machine code when only that other module changes (Numba's documentation
lists it among the cache's limits; numba issue 1833, open since 2016). With an editable
install, ``git pull`` or ``git checkout`` can change just the callee, and every caller then
silently runs the old code.

`drop_stale_kernels` runs when the package is imported, before any kernel module is: it keeps a
digest of every source file's size and modification time beside the caches and deletes the
package's cached kernels when the digest changes, so they are compiled again from the sources
as they are. An installed, read-only package is left alone (an install replaces every file,
which invalidates every cache anyway).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from holdem.storage.atomic import write_text

STAMP = "numba-sources.txt"
"""The digest's file, in the package's top ``__pycache__``."""

PACKAGE = Path(__file__).resolve().parent
"""The ``holdem`` package's folder."""


def sources_digest(package: Path) -> str:
    """A digest of the path, size and modification time of every ``.py`` file under
    ``package``."""
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def drop_stale_kernels(package: Path = PACKAGE) -> int:
    """Delete the cached kernels under ``package`` if its sources changed since they were
    compiled (module docstring); returns how many cache files were deleted."""
    try:
        digest = sources_digest(package)
        stamp = package / "__pycache__" / STAMP
        if stamp.is_file() and stamp.read_text() == digest:
            return 0
        stale = [*package.rglob("__pycache__/*.nbi"), *package.rglob("__pycache__/*.nbc")]
        for path in stale:
            path.unlink(missing_ok=True)
        stamp.parent.mkdir(exist_ok=True)
        write_text(stamp, digest)
        return len(stale)
    except OSError:
        return 0
