"""holdem: a fast trainer of No-Limit Texas Hold'em strategies, 2 to 6 players.

The package is organised in rooms, from the lowest: ``storage`` (files we write), ``cards``
(encoding, evaluator, equity, isomorphism), ``rules`` (the exact game), ``histories`` (hand
histories), ``abstraction`` (betting trees, card buckets), ``cfr`` (solver kernels, card
models), ``training`` (blueprint runs), ``policy`` (`Blueprint`), ``eval`` (matches, local best
response), ``search`` (spots, real-time search) and ``cli`` (the commands).
"""

from holdem.kernel_cache import drop_stale_kernels

__version__ = "0.1.0"

# before any kernel module is imported (holdem.kernel_cache)
drop_stale_kernels()
