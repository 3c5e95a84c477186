"""Arrays plus a manifest on disk: round trips, memory mapping, atomic writes, clear errors."""

import json
import zipfile

import numpy as np
import pytest

from holdem.storage.array_files import read_arrays, write_arrays

ARRAYS = {
    "a": np.arange(1000, dtype=np.uint16),
    "b": np.arange(12, dtype=np.float64).reshape(3, 4),
    "c": np.zeros(0, np.uint8),
}
MANIFEST = {"format": "test", "n": 3, "nested": {"x": [1, 2]}}


@pytest.mark.parametrize("name", ["t.npz", "folder"])
def test_round_trip_memory_maps_the_arrays(tmp_path, name):
    path = write_arrays(tmp_path / name, ARRAYS, MANIFEST)
    arrays, manifest = read_arrays(path)
    assert manifest == MANIFEST
    assert set(arrays) == set(ARRAYS)
    for key, value in ARRAYS.items():
        assert arrays[key].dtype == value.dtype
        assert np.array_equal(arrays[key], value)
    assert isinstance(arrays["a"], np.memmap)
    assert not arrays["a"].flags.writeable
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_npz_is_readable_by_numpy_without_pickle(tmp_path):
    path = write_arrays(tmp_path / "t.npz", ARRAYS, MANIFEST)
    with np.load(path, allow_pickle=False) as data:
        assert np.array_equal(data["a"], ARRAYS["a"])
        assert json.loads(str(data["manifest"])) == MANIFEST
    with zipfile.ZipFile(path) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}


def test_compressed_npz_with_a_manifest_still_loads(tmp_path):
    path = tmp_path / "z.npz"
    np.savez_compressed(path, a=ARRAYS["a"], manifest=np.array(json.dumps(MANIFEST)))
    arrays, manifest = read_arrays(path)
    assert manifest == MANIFEST
    assert np.array_equal(arrays["a"], ARRAYS["a"])


@pytest.mark.parametrize("name", ["t.npz", "folder"])
def test_overwrite_replaces_atomically_and_leaves_no_temporaries(tmp_path, name):
    write_arrays(tmp_path / name, ARRAYS, MANIFEST)
    write_arrays(tmp_path / name, {"a": np.ones(3, np.int8)}, {"v": 2})
    arrays, manifest = read_arrays(tmp_path / name)
    assert manifest == {"v": 2}
    assert set(arrays) == {"a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _one_line_error(path, match):
    with pytest.raises(ValueError, match=match) as info:
        read_arrays(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message


def test_missing_file(tmp_path):
    _one_line_error(tmp_path / "nothing.npz", "no such file")


def test_foreign_file(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("hello, not a zip")
    _one_line_error(path, "not an npz file")


def test_foreign_npz_without_manifest(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.arange(3))
    _one_line_error(path, "no manifest")


def test_folder_without_manifest(tmp_path):
    (tmp_path / "f").mkdir()
    _one_line_error(tmp_path / "f", "no manifest.json")


@pytest.mark.parametrize("keep", [0, 20])
def test_an_empty_or_cut_npy_in_a_folder_is_named(tmp_path, keep):
    path = write_arrays(tmp_path / "folder", ARRAYS, MANIFEST)
    member = path / "a.npy"
    member.write_bytes(member.read_bytes()[:keep])
    _one_line_error(path, "a.npy is empty" if keep == 0 else "a.npy is unreadable")


def test_manifest_that_is_not_json(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, manifest=np.array("{not json"))
    _one_line_error(path, "not valid JSON")


def test_pickled_member_is_refused(tmp_path):
    path = tmp_path / "pickle.npz"
    np.savez(path, manifest=np.array("{}"), evil=np.array([{"a": 1}], dtype=object))
    _one_line_error(path, "Python objects")


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.98])
def test_truncated_npz(tmp_path, keep):
    path = write_arrays(tmp_path / "t.npz", ARRAYS, MANIFEST)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    _one_line_error(path, "truncated|unreadable")


def test_truncated_member_data_is_caught_before_mapping(tmp_path):
    # keep the zip directory intact but claim more data than the member holds
    path = tmp_path / "t.npz"
    big = np.arange(100, dtype=np.uint8)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.npy", _npy_bytes(np.array("{}")))
        header = _npy_bytes(big)[:128].replace(b"(100,)", b"(900,)")
        zf.writestr("big.npy", header + big.tobytes())
    _one_line_error(path, "truncated")


def _npy_bytes(array):
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def test_bad_array_names_and_dtypes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="identifier"):
        write_arrays(tmp_path / "t.npz", {"manifest": np.zeros(1)}, {})
    with pytest.raises(ValueError, match="object dtype"):
        write_arrays(tmp_path / "t.npz", {"x": np.array([None])}, {})
    assert list(tmp_path.iterdir()) == []


def test_a_file_and_a_folder_do_not_replace_each_other(tmp_path):
    (tmp_path / "d.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_arrays(tmp_path / "d.npz", ARRAYS, MANIFEST)
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file"):
        write_arrays(tmp_path / "f", ARRAYS, MANIFEST)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.npz", "f"]
