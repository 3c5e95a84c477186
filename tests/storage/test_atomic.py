"""Atomic writes: whole files and folders replace their targets; failures and kills leave the
old content (or, for a folder where the system cannot exchange, the documented hidden copy)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from holdem.storage import atomic
from holdem.storage.atomic import atomic_file, atomic_folder, write_bytes, write_text


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_write_text_creates_and_replaces_leaving_no_temporaries(tmp_path):
    target = tmp_path / "a.json"
    assert write_text(target, "first") == target
    write_text(target, "second, longer")
    assert target.read_text() == "second, longer"
    write_bytes(target, b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"
    assert names(tmp_path) == ["a.json"]


def test_missing_folders_above_a_target_are_created(tmp_path):
    """The one rule of every command's output (`holdem.cli.outputs`): as ``mkdir -p``."""
    write_text(tmp_path / "a" / "b" / "c.json", "x")
    with atomic_folder(tmp_path / "d" / "e" / "f") as folder:
        (folder / "g.npy").write_bytes(b"")
    assert (tmp_path / "a" / "b" / "c.json").read_text() == "x"
    assert names(tmp_path / "d" / "e" / "f") == ["g.npy"]


def test_new_files_get_the_usual_permissions_not_private_ones(tmp_path):
    with open(tmp_path / "plain", "w") as f:
        f.write("x")
    write_text(tmp_path / "atomic", "x")
    plain_mode = (tmp_path / "plain").stat().st_mode & 0o777
    assert (tmp_path / "atomic").stat().st_mode & 0o777 == plain_mode


def test_a_failing_writer_keeps_the_old_file(tmp_path):
    target = tmp_path / "t.bin"
    write_bytes(target, b"old")
    with pytest.raises(RuntimeError, match="disk on fire"), atomic_file(target) as stream:
        stream.write(b"new, half written")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["t.bin"]


def test_a_file_cannot_replace_a_folder(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder") as info:
        write_text(tmp_path / "d", "x")
    assert str(tmp_path / "d") in str(info.value)
    assert names(tmp_path) == ["d"]


def fill(folder, version, n_files=3):
    for i in range(n_files):
        (folder / f"part{i}.txt").write_text(f"{version}\n" * 1000)
    (folder / "manifest.json").write_text(str(version))


def version_of(folder):
    """The version every file of ``folder`` holds; fails when files disagree or are cut."""
    version = (folder / "manifest.json").read_text()
    parts = sorted(folder.glob("part*.txt"))
    assert parts, f"{folder} has no parts"
    for part in parts:
        assert part.read_text() == f"{version}\n" * 1000, f"{part} is not version {version}"
    return version


@pytest.mark.parametrize("can_exchange", [True, False])
def test_folder_is_created_then_replaced_as_a_whole(tmp_path, monkeypatch, can_exchange):
    if not can_exchange:
        monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    target = tmp_path / "out"
    with atomic_folder(target) as folder:
        assert folder.parent == tmp_path and folder.name.startswith(".out.")
        fill(folder, 1, n_files=4)
    assert version_of(target) == "1"
    with atomic_folder(target) as folder:
        fill(folder, 2, n_files=2)
    assert version_of(target) == "2"
    assert names(target) == ["manifest.json", "part0.txt", "part1.txt"]
    assert names(tmp_path) == ["out"]


def test_the_system_exchange_is_used_where_it_exists(tmp_path):
    if sys.platform not in ("linux", "darwin"):
        pytest.skip("only Linux and macOS have an atomic exchange of two folders")
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "x").write_text("a")
    assert atomic.exchange(first, second)
    assert (second / "x").read_text() == "a"
    assert names(first) == []


def test_a_failing_folder_writer_keeps_the_old_folder(tmp_path):
    target = tmp_path / "out"
    with atomic_folder(target) as folder:
        fill(folder, 1)
    with pytest.raises(RuntimeError, match="stopped"), atomic_folder(target) as folder:
        fill(folder, 2, n_files=1)
        raise RuntimeError("stopped")
    assert version_of(target) == "1"
    assert names(tmp_path) == ["out"]


def test_a_failed_second_rename_puts_the_old_folder_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    with atomic_folder(target) as folder:
        fill(folder, 1)
    monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    real_rename = os.rename

    def rename(source, destination):
        if str(source).endswith(".tmp"):
            raise OSError(28, "No space left on device")
        real_rename(source, destination)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OSError, match="No space"), atomic_folder(target) as folder:
        fill(folder, 2)
    assert version_of(target) == "1"
    assert names(tmp_path) == ["out"]


def test_a_folder_cannot_replace_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with (
        pytest.raises(NotADirectoryError, match="is a file") as info,
        atomic_folder(tmp_path / "f"),
    ):
        pass
    assert str(tmp_path / "f") in str(info.value)
    assert names(tmp_path) == ["f"]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from holdem.storage.atomic import atomic_folder, write_text

    target = Path(sys.argv[1])
    version = 0
    while True:
        version += 1
        with atomic_folder(target / "folder") as folder:
            for i in range({n_files}):
                (folder / f"part{{i}}.txt").write_text(f"{{version}}\\n" * 1000)
            (folder / "manifest.json").write_text(str(version))
        write_text(target / "file.txt", f"{{version}}\\n" * 5000)
        if version == 2:
            print("ready", flush=True)
    """
)


@pytest.mark.parametrize("delay", [0.05, 0.2])
def test_a_killed_writer_leaves_a_complete_folder_and_file(tmp_path, delay):
    """SIGKILL lands at an arbitrary moment of a loop of replacements: targets stay whole."""
    if sys.platform not in ("linux", "darwin"):
        pytest.skip("the complete-at-every-instant guarantee needs an atomic exchange")
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(n_files=3), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert int(version_of(tmp_path / "folder")) >= 2
    text = (tmp_path / "file.txt").read_text()
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == 5000 and len(set(lines)) == 1
    leftovers = [name for name in names(tmp_path) if name not in ("folder", "file.txt")]
    assert all(name.startswith((".folder.", ".file.txt.")) for name in leftovers), leftovers
