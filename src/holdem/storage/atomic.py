"""Atomic writes: a file or a folder appears complete under its name, or keeps its old content.

Everything holdem saves goes through here, so that a crash, a kill or a full disk in the middle
of a write never leaves a truncated file where a reader (or the next run) looks for it.

Files (`write_bytes`, `write_text`, `atomic_file`): the bytes go to a new hidden file in the
target's folder (``.NAME.<random>.tmp``), are flushed and fsynced, then renamed over the target
with ``os.replace``, and the folder is fsynced so the rename itself is on disk. Replacing a file
by rename is one step on POSIX systems: at every instant, and after a crash, the target is the
whole old file or the whole new one. An interruption can leave the hidden temporary file behind;
nothing reads it.

Folders (`atomic_folder`): the caller fills a new hidden folder beside the target
(``.NAME.<random>.tmp``); every file in it and the folder itself are fsynced, then

- when no target exists, one rename puts the folder in place: complete, or absent;
- when a target folder exists, the two are exchanged in one step (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``, macOS ``renamex_np`` with ``RENAME_SWAP``) and the old copy, now under the
  hidden name, is deleted. At every instant the target is the whole old folder or the whole new
  one; an interruption after the exchange leaves the old copy under the hidden name;
- where the system or file system cannot exchange (another system, some network file systems),
  the old folder is renamed to ``.NAME.<random>.old``, the new one renamed in, then the old one
  deleted. An interruption between those two renames leaves no target and the complete old
  folder under that hidden name (rename it back); the target is never a partial folder.

Missing folders above the target are created first (as ``mkdir -p``): every command writes its
output by this one rule (`holdem.cli.outputs`). Files are created with the usual permissions
(``0o666`` less the umask), unlike ``tempfile``'s private ``0o600``. Errors are ``OSError``
naming the path: a file target that is a folder gives ``IsADirectoryError``, a folder target
that is a file ``NotADirectoryError``.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux <linux/fs.h>
_RENAME_SWAP = 2  # macOS <stdio.h>
# errno values saying "this system or file system cannot exchange": fall back to two renames.
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange_call() -> Callable[[bytes, bytes], int] | None:
    """The C call that swaps two paths in one step, or None where there is none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        renameat2.argtypes += [ctypes.c_uint]
        renameat2.restype = ctypes.c_int
        return lambda a, b: int(renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE))
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        renamex_np = libc.renamex_np
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        renamex_np.restype = ctypes.c_int
        return lambda a, b: int(renamex_np(a, b, _RENAME_SWAP))
    return None


_EXCHANGE = _exchange_call()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False when the system cannot do it."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the system allows it.

    Some systems (Windows) cannot open a folder and some file systems refuse to fsync one;
    there the rename is as durable as the system makes it, and we go on.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _hidden_name(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.{suffix}")


def _new_temp_file(target: Path) -> tuple[int, Path]:
    while True:
        temp = _hidden_name(target, "tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue


def _new_temp_folder(target: Path) -> Path:
    while True:
        temp = _hidden_name(target, "tmp")
        try:
            temp.mkdir(0o777)
        except FileExistsError:
            continue
        return temp


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace ``path`` atomically when the block ends normally.

    For writers that stream (a zip of large arrays). When the block raises, the target keeps
    its old content and the temporary file is removed.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(
            errno.EISDIR, "is a folder; remove it or choose another name", str(target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _new_temp_file(target)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Replace the file ``path`` with ``data`` atomically (see the module docstring)."""
    with atomic_file(path) as stream:
        stream.write(data)
    return Path(path)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Replace the file ``path`` with ``text`` atomically (see the module docstring)."""
    return write_bytes(path, text.encode(encoding))


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder, topdown=False):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_folder(Path(root))


def _swap_in(temp: Path, target: Path) -> Path | None:
    """Put the complete folder ``temp`` at ``target``; where the old copy went, if any."""
    if not os.path.lexists(target):
        os.rename(temp, target)
        old = None
    elif exchange(temp, target):
        old = temp
    else:
        old = _hidden_name(target, "old")
        os.rename(target, old)
        try:
            os.rename(temp, target)
        except BaseException:
            os.rename(old, target)
            raise
    fsync_folder(target.parent)
    return old


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """A new empty folder to fill; it replaces the folder ``path`` when the block ends normally.

    Files written inside need no fsync of their own: all are fsynced before the swap. When the
    block raises, the target keeps its old content and the new folder is removed. The exact
    guarantee on interruption is in the module docstring.
    """
    target = Path(path)
    if os.path.lexists(target) and not target.is_dir():
        raise NotADirectoryError(
            errno.ENOTDIR, "is a file, not a folder; remove it or choose another name", str(target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _new_temp_folder(target)
    try:
        yield temp
        _fsync_tree(temp)
        old = _swap_in(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)
