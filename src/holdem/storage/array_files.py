"""Named numpy arrays plus a JSON manifest on disk: an uncompressed ``.npz`` or a folder.

Two layouts, chosen by the path:

* ``NAME.npz``: a zip archive with members stored uncompressed: ``manifest.npy`` (a 0-d
  unicode array holding the JSON text) and ``ARRAY.npy`` per array. numpy's ``np.load`` does not
  memory-map ``.npz`` members, so ``read_arrays`` finds each member's data in the file (the zip
  local header, then the ``.npy`` header) and maps it with ``np.memmap``: nothing is read until
  used, and processes that open the same file share its pages.
* any other path: a folder with ``manifest.json`` and ``ARRAY.npy`` files, loaded with
  ``np.load(mmap_mode="r")``.

Nothing is unpickled: arrays with object dtypes are refused. Writes are atomic, through
`holdem.storage.atomic`: the file, or the whole folder, is written under a hidden temporary name
beside the target, fsynced, then renamed into place. Every problem reading a file is a one-line
``ValueError`` that names the file.

A folder's manifest can carry a SHA-256 of every array (``digests``), computed from the files
as written, not from the arrays handed in: those may be shared tables that other processes are
still changing, and a digest of them would not describe the file. `check_digests` compares on
load, so a damaged or altered file is refused instead of used.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from holdem.storage.atomic import atomic_file, atomic_folder

MANIFEST = "manifest"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"


def _check_name(name: str) -> None:
    if not name.isidentifier() or name == MANIFEST:
        raise ValueError(f"array name {name!r} must be an identifier other than {MANIFEST!r}")


def array_digest(array: np.ndarray) -> str:
    """``"sha256:<hex>"`` of an array's dtype, shape and bytes (read in 64 MB steps)."""
    digest = hashlib.sha256(f"{array.dtype.str}:{array.shape}\n".encode())
    flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    step = 1 << 26
    for start in range(0, flat.size, step):
        digest.update(flat[start : start + step].data)
    return f"sha256:{digest.hexdigest()}"


def write_arrays(
    path: str | Path,
    arrays: dict[str, np.ndarray],
    manifest: dict[str, Any],
    digests: bool = False,
) -> Path:
    """Write ``arrays`` and ``manifest`` atomically to ``path`` (``.npz`` file or folder).

    A folder is replaced as a whole: see `holdem.storage.atomic.atomic_folder` for exactly what
    an interrupted write can leave. ``digests`` (folders only) adds ``manifest["digests"]``:
    each array's `array_digest`, read back from its file once written.
    """
    path = Path(path)
    for name, array in arrays.items():
        _check_name(name)
        if array.dtype.hasobject:
            raise ValueError(f"array {name!r} has an object dtype, which cannot be saved safely")
    if path.suffix == ".npz":
        if digests:
            raise ValueError(f"{path}: digests are written for folders only, not .npz files")
        with atomic_file(path) as stream:
            _write_npz(stream, arrays, json.dumps(manifest, indent=2, sort_keys=True))
    else:
        with atomic_folder(path) as folder:
            _write_folder(folder, arrays, manifest, digests)
    return path


def _write_member(zf: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
        np.lib.format.write_array(member, np.asarray(array, order="C"), allow_pickle=False)


def _write_npz(stream: BinaryIO, arrays: dict[str, np.ndarray], text: str) -> None:
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        _write_member(zf, MANIFEST, np.array(text))
        for name, array in arrays.items():
            _write_member(zf, name, array)


def _write_folder(
    folder: Path, arrays: dict[str, np.ndarray], manifest: dict[str, Any], digests: bool
) -> None:
    """Fill the new folder; `atomic_folder` fsyncs its files before putting it in place."""
    written = {}
    for name, array in arrays.items():
        file = folder / f"{name}.npy"
        with open(file, "wb") as f:
            np.lib.format.write_array(f, np.asarray(array, order="C"), allow_pickle=False)
        if digests:
            written[name] = array_digest(np.load(file, mmap_mode="r", allow_pickle=False))
    if digests:
        manifest = {**manifest, "digests": written}
    text = json.dumps(manifest, indent=2, sort_keys=True)
    (folder / "manifest.json").write_text(text, encoding="utf-8")


def check_digests(
    path: Path,
    arrays: dict[str, np.ndarray],
    manifest: dict[str, Any],
    names: tuple[str, ...],
    what: str,
) -> None:
    """Raise a one-line ValueError naming ``path`` and the array unless each array of ``names``
    is present and matches its digest in the manifest; ``what`` says what to do."""
    digests = manifest.get("digests")
    if not isinstance(digests, dict):
        raise ValueError(f"{path}: the manifest has no array digests: {what}")
    for name in names:
        if name not in arrays:
            raise ValueError(f"{path}: the {name} array is missing: {what}")
        if array_digest(arrays[name]) != digests.get(name):
            raise ValueError(f"{path}: the {name} array does not match its checksum: {what}")


def read_arrays(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays (memory-mapped, read-only) and the manifest of a file written by ``write_arrays``."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: no such file or folder")
    if path.is_dir():
        return _read_folder(path)
    return _read_npz(path)


def _parse_manifest(path: Path, text: str) -> dict[str, Any]:
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: the manifest is not valid JSON ({error})") from None
    if not isinstance(manifest, dict):
        raise ValueError(f"{path}: the manifest is not a JSON object")
    return manifest


def _read_folder(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise ValueError(f"{path}: no manifest.json in this folder, so it is not ours")
    manifest = _parse_manifest(path, manifest_path.read_text(encoding="utf-8"))
    arrays = {}
    for file in sorted(path.glob("*.npy")):
        try:
            arrays[file.stem] = np.load(file, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            # numpy raises EOFError for an empty file: a write that never finished.
            why = "is empty (0 bytes)" if file.stat().st_size == 0 else f"is unreadable ({error})"
            raise ValueError(
                f"{path}: {file.name} {why}, so the folder is damaged: use another copy"
            ) from None
    return arrays, manifest


def _npy_header(f: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(f)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(f)
    raise ValueError(f"unsupported .npy version {version}")


def _read_npz(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    size = path.stat().st_size
    with open(path, "rb") as f:
        if f.read(1) == b"\x80":  # every pickle protocol from 2 on starts with PROTO (0x80)
            raise ValueError(
                f"{path}: is a Python pickle, which holdem never loads (unpickling runs code); "
                "build the file in holdem's format instead (see holdem buckets build --help)"
            )
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"{path}: not an npz file, or truncated ({error})") from None
    arrays: dict[str, np.ndarray] = {}
    with zf, open(path, "rb") as f:
        for info in zf.infolist():
            name = info.filename.removesuffix(".npy")
            if not info.filename.endswith(".npy"):
                raise ValueError(f"{path}: unexpected member {info.filename!r}, not a .npy array")
            try:
                arrays[name] = _map_member(path, size, zf, f, info)
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
                raise ValueError(
                    f"{path}: member {info.filename} is unreadable ({error})"
                ) from None
    if MANIFEST not in arrays:
        raise ValueError(f"{path}: no manifest inside, so it is not ours")
    text = arrays.pop(MANIFEST)
    if text.ndim != 0 or text.dtype.kind != "U":
        raise ValueError(f"{path}: the manifest member is not a JSON string")
    return arrays, _parse_manifest(path, str(text[()]))


def _map_member(
    path: Path, size: int, zf: zipfile.ZipFile, f: BinaryIO, info: zipfile.ZipInfo
) -> np.ndarray:
    """The array of one member: memory-mapped when stored, else read (compressed ``.npz``)."""
    if info.compress_type != zipfile.ZIP_STORED or info.filename == f"{MANIFEST}.npy":
        with zf.open(info) as member:
            return np.lib.format.read_array(member, allow_pickle=False)
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise ValueError("its zip header is cut off")
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        raise ValueError("its zip header is damaged")
    start = info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
    f.seek(start)
    shape, fortran, dtype = _npy_header(f)
    if dtype.hasobject:
        raise ValueError("it holds Python objects, which are never loaded")
    offset = f.tell()
    n_bytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if offset - start + n_bytes > info.file_size or offset + n_bytes > size:
        raise ValueError(f"the data is truncated ({n_bytes} bytes needed)")
    if n_bytes == 0:
        return np.empty(shape, dtype)
    return np.memmap(path, dtype, "r", offset, shape, order="F" if fortran else "C")


NODE_MAJOR_TABLES = (
    "its tables are laid out node by node, this version's bucket by bucket inside each street "
    "(faster): train it again"
)
"""Why files of format version 1 (checkpoints, blueprints, snapshots) cannot be read: the
``why_not_older`` of `require_version` for every file of policy tables."""


def require_version(
    path: Path,
    manifest: dict[str, Any],
    what: str,
    version: int,
    why_not_older: str,
    also: tuple[int, ...] = (),
) -> int:
    """The manifest's ``format_version`` when it is ``version`` or one of the older versions
    ``also`` still read; else a one-line ValueError naming ``path`` (for an older version,
    ``why_not_older`` says why it cannot be read)."""
    found = manifest.get("format_version")
    if found == version or (isinstance(found, int) and found in also):
        return int(found)
    if isinstance(found, int) and 0 < found < version:
        raise ValueError(
            f"{path}: {what} format version {found} was written by an earlier holdem: "
            f"{why_not_older}"
        )
    raise ValueError(
        f"{path}: {what} format version {found!r} is not supported (this holdem reads "
        f"version {version})"
    )
