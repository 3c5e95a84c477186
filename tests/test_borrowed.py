"""Borrowed views: the same memory, shape and strides as the array they borrow."""

import sys

import numpy as np
from numba import njit

from holdem.borrowed import borrowed


@njit(inline="always")
def _add_row(rows, r, value):  # type: ignore[no-untyped-def]
    for j in range(rows.shape[1]):
        rows[r, j] += value


@njit
def _add_through_view(arrays, value):  # type: ignore[no-untyped-def]
    """Adds ``value`` to every row of ``arrays[0]`` through a borrowed view, by an inlined
    kernel (the pattern of the spot solver's river walk), and returns the view's geometry."""
    view = borrowed(arrays[0])
    for r in range(view.shape[0]):
        _add_row(view, r, value)
    return view.shape[0], view.shape[1], view.strides[0], view.strides[1], view.sum()


def test_a_view_writes_and_reads_the_memory_it_borrows() -> None:
    base = np.arange(24.0).reshape(4, 6)
    for array in (base.copy(), np.asfortranarray(base), base.copy()[::2, 1:5], base.copy().T):
        expected = array + 1.5
        geometry = _add_through_view((array, np.zeros((1, 1))), 1.5)
        np.testing.assert_array_equal(array, expected)
        assert geometry[:4] == (*array.shape, *array.strides)
        assert geometry[4] == expected.sum()


def test_the_borrowed_array_keeps_its_owner_and_count() -> None:
    array = np.zeros((3, 5))
    before = sys.getrefcount(array)
    for _ in range(100):
        _add_through_view((array, array), 1.0)
    assert sys.getrefcount(array) == before
    np.testing.assert_array_equal(array, np.full((3, 5), 100.0))
