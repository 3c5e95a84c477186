"""A trained policy (blueprint, snapshot or checkpoint) as an `Agent`, through the policy API.

Evaluation never reads policy tables itself: `holdem.policy.Blueprint` follows a real hand into
its betting tree, reads the seat's bucket and answers with real actions. This adapter only
hands it the state and the generator. The policy room is imported when a blueprint is first
loaded, so the baselines work without it.

For worker processes the agent pickles as its path alone (no tables travel through a pipe) and
loads the blueprint, memory-mapped, on its first action in the worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from holdem.rules.actions import Action
from holdem.rules.state import HandState


def load_blueprint(path: Path) -> Any:
    """``holdem.policy.Blueprint.load(path)``; one-line ValueError when it cannot be loaded.

    The policy room's own errors for a foreign or damaged folder are ValueErrors already; a file
    the system cannot read becomes one here.
    """
    try:
        from holdem.policy import Blueprint
    except ImportError:
        raise ValueError(
            f"{path}: playing a trained policy needs holdem.policy.Blueprint, which this "
            "installation does not have yet; use a baseline (random, call, raise-pot, fold, tag)"
        ) from None
    try:
        return Blueprint.load(path)
    except OSError as error:
        raise ValueError(f"{path}: cannot read the policy ({error.strerror or error})") from None


class BlueprintAgent:
    """Plays ``Blueprint.act(state, rng)`` for whichever seat is to act; with ``search`` (a
    `holdem.search.search_policy.SearchConfig`) the blueprint searches as it plays
    (`holdem.search.search_policy.SearchPolicy`, built on the first action)."""

    def __init__(
        self, path: str | Path, blueprint: Any | None = None, search: Any | None = None
    ) -> None:
        self.path = Path(path)
        self._blueprint = blueprint
        self.search = search
        self._searcher: Any | None = None

    @classmethod
    def load(cls, path: str | Path, search: Any | None = None) -> BlueprintAgent:
        """Load now, so that a bad path or file is reported before any hand is played."""
        return cls(path, load_blueprint(Path(path)), search)

    @property
    def name(self) -> str:
        return str(self.path) if self.search is None else f"{self.path} with search"

    @property
    def searcher(self) -> Any:
        """The `SearchPolicy` that plays when the agent searches (None when it does not)."""
        if self.search is not None and self._searcher is None:
            # imported here: the search room imports the evaluation room's range models
            from holdem.search.search_policy import SearchPolicy

            self._searcher = SearchPolicy(self.blueprint, self.search)
        return self._searcher

    @property
    def blueprint(self) -> Any:
        """The loaded `holdem.policy.Blueprint` (loaded now if it was not yet)."""
        if self._blueprint is None:
            self._blueprint = load_blueprint(self.path)
        return self._blueprint

    @property
    def n_players(self) -> int:
        """Seats of the game the policy was trained for (a match must have as many)."""
        return int(self.blueprint.n_players)

    @property
    def stack_bb(self) -> float:
        """Starting stack of the game the policy was trained for, in big blinds."""
        spec = self.blueprint.tree.spec
        return float(spec.stack) / float(max(spec.blinds))

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        player = self.blueprint if self.search is None else self.searcher
        action: Action = player.act(state, rng)
        return action

    def __reduce__(self) -> tuple[type[BlueprintAgent], tuple[Path, None, Any]]:
        return (BlueprintAgent, (self.path, None, self.search))
