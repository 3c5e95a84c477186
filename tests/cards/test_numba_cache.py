"""Numba's on-disk cache: a second process loads the compiled card kernels instead of compiling."""

import os
import subprocess
import sys

SCRIPT = """
import numpy as np
from holdem.cards.evaluator import evaluate, evaluate_batch
from holdem.cards.equity import equity_vs_hand
evaluate("As Ks Qs Js Ts")
evaluate_batch(np.arange(7, dtype=np.uint8).reshape(1, 7))
equity_vs_hand("AsAh", "KsKh", "2c 7d Jh")
"""


def _run() -> str:
    env = dict(os.environ, NUMBA_DEBUG_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout + done.stderr


def test_second_process_loads_every_kernel_from_the_cache():
    _run()  # fills the cache if this checkout has not compiled yet
    log = _run()
    loaded = [line for line in log.splitlines() if "data loaded" in line]
    saved = [line for line in log.splitlines() if "data saved" in line]
    assert len(loaded) >= 5
    assert saved == []
