import itertools

import numpy as np
import pytest

from holdem.cards.combinations import next_combination


@pytest.mark.parametrize(("n", "k"), [(5, 0), (5, 1), (5, 5), (7, 3), (10, 4)])
def test_visits_every_subset_once_in_lexicographic_order(n, k):
    pick = np.arange(max(k, 1))
    seen = [tuple(pick[:k].tolist())]
    while next_combination(pick, k, n):
        seen.append(tuple(pick[:k].tolist()))
    assert seen == list(itertools.combinations(range(n), k))
    assert tuple(pick[:k].tolist()) == tuple(range(n - k, n))
