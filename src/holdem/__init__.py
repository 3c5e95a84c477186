"""holdem: a fast trainer of No-Limit Texas Hold'em strategies, 2 to 6 players.

The package is organised in rooms (see DESIGN.md): ``cards`` (encoding, evaluator, isomorphism),
``rules``, ``abstraction``, ``cfr``, ``training``, ``policy``, ``eval`` and ``cli``.
"""

__version__ = "0.1.0"
