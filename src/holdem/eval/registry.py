"""Agents by name: the baselines the command line knows, or a path to a trained policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from holdem.eval.agents import Agent, CallAgent, FoldAgent, RaisePotAgent, RandomAgent
from holdem.eval.blueprint_agent import BlueprintAgent
from holdem.eval.rule_bot import TightAggressiveAgent

BASELINES: dict[str, Callable[[], Agent]] = {
    "random": RandomAgent,
    "call": CallAgent,
    "raise-pot": RaisePotAgent,
    "fold": FoldAgent,
    "tag": TightAggressiveAgent,
}
"""Baseline names (see `holdem.eval.agents`) and how to build each."""


def make_agent(spec: str, search: Any | None = None) -> Agent:
    """A baseline by name, or the blueprint, snapshot or checkpoint at path ``spec`` (searching
    as it plays with ``search``, a `holdem.search.search_policy.SearchConfig`).

    Raises a one-line ValueError when ``spec`` is neither, the policy cannot be loaded, or a
    baseline is asked to search.
    """
    if spec in BASELINES:
        if search is not None:
            raise ValueError(f"--search needs a blueprint, not the baseline {spec!r}")
        return BASELINES[spec]()
    if not Path(spec).exists():
        raise ValueError(
            f"{spec!r} is neither a baseline ({', '.join(BASELINES)}) nor an existing path to "
            "a blueprint, snapshot or checkpoint"
        )
    return BlueprintAgent.load(spec, search)
