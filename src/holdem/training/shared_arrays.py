"""Numpy arrays in named shared memory, which worker processes attach to by name.

A parallel run keeps its tables (regrets, strategy sums, counters) and its betting tree in POSIX
shared memory (`multiprocessing.shared_memory`): the parent creates each block, workers started
with ``spawn`` attach to it by name and update it in place, lock-free, and nothing large ever
travels through a pipe. An `ArrayBlock` names the block, its dtype and shape: a small,
picklable value a worker receives.

Blocks are named ``holdem_<pid>_<token>_<name>``. The creating `SharedArrays` unlinks every
name when closed (the supervisor closes it on every exit path); mappings are never closed by
hand (see `_Block`): a block's memory is freed when the last array on it is gone. Workers
started with ``spawn`` share their parent's resource tracker, where attaching registers the
name a second time (a set: no change), so a worker's exit unlinks nothing; if the parent is
killed, the tracker unlinks the blocks when the last process using it is gone. If the tracker
itself is killed, the supervisor starts a quiet one (`holdem.resource_tracker`).

Docker gives containers 64 MB of ``/dev/shm`` by default; `check_capacity` says so before any
block is made, with the size needed and the fix.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import shared_memory

import numpy as np

SHM_FOLDER = "/dev/shm"
PREFIX = "holdem_"


@dataclass(frozen=True)
class ArrayBlock:
    """Where a shared array lives: block name, dtype string and shape."""

    name: str
    dtype: str
    shape: tuple[int, ...]

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) * np.dtype(self.dtype).itemsize


def check_capacity(needed: int) -> None:
    """Raise ValueError (one line: size needed, size free, the fix) if ``/dev/shm`` is too small.

    Systems without a ``/dev/shm`` folder (macOS) have no such limit to check.
    """
    if not os.path.isdir(SHM_FOLDER):
        return
    stats = os.statvfs(SHM_FOLDER)
    free = stats.f_bavail * stats.f_frsize
    if needed > free:
        raise ValueError(
            f"shared memory too small: the tables need {needed / 2**20:,.0f} MB but "
            f"{SHM_FOLDER} has {free / 2**20:,.0f} MB free; in Docker run with "
            f"--shm-size={int(needed * 1.1 / 2**30) + 1}g (or use fewer buckets)"
        )


class _Block(shared_memory.SharedMemory):
    """A block whose mapping is never closed by hand: numpy arrays on it keep no buffer export,
    so closing the mapping under a live array would leave it pointing at freed memory. The
    mapping goes when the last array (through its memoryview) goes."""

    def __del__(self) -> None:
        return None


class SharedArrays:
    """Arrays created in shared memory by this process, unlinked together by `close`."""

    def __init__(self) -> None:
        self._token = f"{PREFIX}{os.getpid()}_{secrets.token_hex(4)}_"
        self._blocks: dict[str, shared_memory.SharedMemory] = {}
        self.arrays: dict[str, np.ndarray] = {}
        self.blocks: dict[str, ArrayBlock] = {}

    def create(self, name: str, shape: tuple[int, ...], dtype: str | np.dtype) -> np.ndarray:
        """A zeroed shared array (pages are allocated only when written)."""
        block = ArrayBlock(self._token + name, np.dtype(dtype).str, tuple(int(s) for s in shape))
        memory = _Block(block.name, create=True, size=max(1, block.nbytes))
        self._blocks[name] = memory
        array: np.ndarray = np.ndarray(block.shape, block.dtype, buffer=memory.buf)
        self.arrays[name] = array
        self.blocks[name] = block
        return array

    def share(self, name: str, source: np.ndarray) -> np.ndarray:
        """A shared copy of ``source``, writing only its nonzero pages' worth of data."""
        array = self.create(name, source.shape, source.dtype)
        nonzero = np.flatnonzero(source.reshape(-1)) if source.size else np.empty(0, np.int64)
        flat = array.reshape(-1)
        flat[nonzero] = source.reshape(-1)[nonzero]
        return array

    def close(self) -> None:
        """Unlink every block (safe to call twice): the names go at once, so nothing is left
        in ``/dev/shm``; the memory goes when the last array on it does."""
        for memory in self._blocks.values():
            with contextlib.suppress(FileNotFoundError):
                memory.unlink()
        self._blocks.clear()


class AttachedArrays:
    """Arrays of blocks made by another process, attached by name (for workers)."""

    def __init__(self, blocks: dict[str, ArrayBlock]) -> None:
        self._memory: list[shared_memory.SharedMemory] = []
        self.arrays: dict[str, np.ndarray] = {}
        for name, block in blocks.items():
            memory = _Block(block.name)
            self._memory.append(memory)
            self.arrays[name] = np.ndarray(block.shape, block.dtype, buffer=memory.buf)

    def close(self) -> None:
        """Forget the blocks; their mappings go with the last array on them."""
        self.arrays.clear()
        self._memory.clear()


def remove_orphaned_blocks(say: Callable[[str], None]) -> int:
    """Unlink the holdem blocks whose creating process is gone, saying so; returns the bytes
    freed. A process killed with its resource tracker (Ray kills a worker's children with it,
    for instance when its memory monitor kills an actor) leaves its blocks in ``/dev/shm``,
    where they would hold memory until a reboot; the next run on that machine removes them."""
    freed, owners = 0, set()
    for name in leaked_blocks():
        pid_text = name[len(PREFIX) :].split("_", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        path = os.path.join(SHM_FOLDER, name)
        with contextlib.suppress(FileNotFoundError):
            freed += os.stat(path).st_size
            os.unlink(path)
            owners.add(int(pid_text))
    if owners:
        pids = ", ".join(str(p) for p in sorted(owners))
        say(
            f"removed {freed / 2**20:,.0f} MB of shared memory left in {SHM_FOLDER} by holdem "
            f"process(es) {pids}, which are gone"
        )
    return freed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (another user's, which we may not signal, does)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def leaked_blocks(pid: int | None = None) -> list[str]:
    """Names of holdem blocks still in ``/dev/shm`` (of process ``pid``, or of any)."""
    if not os.path.isdir(SHM_FOLDER):
        return []
    start = PREFIX if pid is None else f"{PREFIX}{pid}_"
    return sorted(n for n in os.listdir(SHM_FOLDER) if n.startswith(start))
