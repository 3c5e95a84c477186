"""The combination index: the vectorised lookup agrees with the checked one, both card orders."""

from __future__ import annotations

import numpy as np

from holdem.cards.combos import COMBOS, N_COMBOS, combo_index, combo_indices


def test_combo_indices_match_combo_index_in_either_order() -> None:
    first, second = COMBOS[:, 0], COMBOS[:, 1]
    expected = np.array([combo_index(int(a), int(b)) for a, b in COMBOS])
    assert np.array_equal(expected, np.arange(N_COMBOS))
    assert np.array_equal(combo_indices(first, second), expected)
    assert np.array_equal(combo_indices(second, first), expected)
