"""Numba's on-disk cache: a second process loads the compiled card kernels instead of compiling."""

from tests.numba_cache_check import assert_second_process_loads_from_cache

SCRIPT = """
import numpy as np
from holdem.cards.evaluator import evaluate, evaluate_batch
from holdem.cards.equity import equity_vs_hand
from holdem.cards.isomorphism import hand_from_index, hand_index
evaluate("As Ks Qs Js Ts")
hand_index("AsKs", "Qs 7d 2s")
hand_from_index(1, 12345)
evaluate_batch(np.arange(7, dtype=np.uint8).reshape(1, 7))
equity_vs_hand("AsAh", "KsKh", "2c 7d Jh")
"""


def test_second_process_loads_every_kernel_from_the_cache():
    assert_second_process_loads_from_cache(SCRIPT, min_loaded=5)
