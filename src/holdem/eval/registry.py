"""Agents by name: the baselines the command line knows, or a path to a trained policy."""

from __future__ import annotations

import difflib
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

ALIASES: dict[str, str] = {
    "always-call": "call",
    "calling-station": "call",
    "caller": "call",
    "check-call": "call",
    "always-fold": "fold",
    "folder": "fold",
    "always-raise": "raise-pot",
    "raise": "raise-pot",
    "pot": "raise-pot",
    "raisepot": "raise-pot",
    "uniform": "random",
    "rand": "random",
    "rule-bot": "tag",
    "rulebot": "tag",
    "rule": "tag",
    "chen": "tag",
    "tight-aggressive": "tag",
}
"""Other names people give the baselines (``always-call`` for ``call``), read as them."""


def baseline_name(spec: str) -> str | None:
    """The baseline ``spec`` names, read leniently (case, ``_`` for ``-``, `ALIASES`), or None."""
    key = spec.strip().lower().replace("_", "-").replace(" ", "-")
    key = ALIASES.get(key, key)
    return key if key in BASELINES else None


def make_agent(spec: str, search: Any | None = None) -> Agent:
    """A baseline by name (or alias, `baseline_name`), or the blueprint, snapshot or checkpoint
    at path ``spec`` (searching as it plays with ``search``, a
    `holdem.search.search_policy.SearchConfig`).

    Raises a one-line ValueError when ``spec`` is neither (suggesting the nearest baseline),
    the policy cannot be loaded, or a baseline is asked to search.
    """
    name = baseline_name(spec)
    if name is not None:
        if search is not None:
            raise ValueError(f"--search needs a blueprint, not the baseline {spec!r}")
        return BASELINES[name]()
    if Path(spec).exists():
        return BlueprintAgent.load(spec, search)
    raise unknown_agent(spec)


def unknown_agent(spec: str) -> ValueError:
    """The one-line error for a ``spec`` that is neither a baseline nor a path: it suggests the
    nearest baseline name, if one is near."""
    close = difflib.get_close_matches(spec.lower(), [*BASELINES, *ALIASES], n=1, cutoff=0.6)
    hint = f"did you mean {baseline_name(close[0])}? " if close else ""
    return ValueError(
        f"{spec!r} is neither a baseline nor an existing path to a blueprint, snapshot or "
        f"checkpoint: {hint}the baselines are {', '.join(BASELINES)}"
    )
