"""Policy files: a tabular policy of a small game as JSON, written atomically, read with checks.

The file is one JSON object. Each key names an information set as
``<private>[<public>]|<history>`` and maps to ``{action: probability}``:

- ``<private>[<public>]`` is the card model's bucket label: the private rank (``J``, ``Q``, ``K``)
  followed, once it is dealt, by the public rank (Leduc's second round);
- ``<history>`` is the first round's actions, then ``/``, then the second round's; actions are
  ``f`` fold, ``c`` check or call, ``r`` bet or raise.

For example ``"KQ|rc/r": {"f": 0.1, "c": 0.6, "r": 0.3}``: holding a K with a Q on the board, after
raise-call in the first round and a raise in the second, fold 10%, call 60%, re-raise 30%.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from holdem.cfr.best_response import check_policy_table
from holdem.cfr.game import SolverGame
from holdem.storage.atomic import write_text


def policy_to_dict(game: SolverGame, table: np.ndarray) -> dict[str, dict[str, float]]:
    """Every information set of ``game`` with its action probabilities from ``table``."""
    check_policy_table(game, table)
    tree, layout = game.tree, game.layout
    out: dict[str, dict[str, float]] = {}
    for node in tree.decision_nodes().tolist():
        labels = tree.action_labels(node)
        n, street = len(labels), int(tree.street[node])
        for bucket in range(layout.n_buckets[street]):
            start = layout.row(node, street, bucket)
            row = table[start : start + n]
            out[game.infoset_key(node, bucket)] = {
                label: float(p) for label, p in zip(labels, row, strict=True)
            }
    return out


def policy_from_dict(game: SolverGame, mapping: Any, source: str = "policy") -> np.ndarray:
    """The policy table of a mapping as written by `policy_to_dict`.

    Raises ValueError naming ``source`` and the offending key when an information set is
    unknown or missing, an action is not legal there, or a row is not a probability distribution.
    """
    if not isinstance(mapping, dict):
        raise ValueError(
            f"{source}: expected a JSON object of information sets, got {type(mapping).__name__}"
        )
    tree, layout = game.tree, game.layout
    table = np.full(layout.size, np.nan)
    expected: dict[str, tuple[int, int]] = {}
    for node in tree.decision_nodes().tolist():
        for bucket in range(layout.n_buckets[tree.street[node]]):
            expected[game.infoset_key(node, bucket)] = (node, bucket)
    for key, row in mapping.items():
        if key not in expected:
            example = next(iter(expected))
            raise ValueError(
                f"{source}: unknown information set {key!r} for {game.name} "
                f"(keys look like {example!r})"
            )
        node, bucket = expected[key]
        labels = tree.action_labels(node)
        if not isinstance(row, dict):
            raise ValueError(f"{source}: {key!r} must map actions to probabilities, got {row!r}")
        unknown = sorted(set(row) - set(labels))
        if unknown:
            raise ValueError(
                f"{source}: action {unknown[0]!r} is not legal at {key!r} "
                f"(legal: {', '.join(labels)})"
            )
        start = layout.row(node, int(tree.street[node]), bucket)
        for a, label in enumerate(labels):
            p = row.get(label, 0.0)
            number = isinstance(p, int | float) and not isinstance(p, bool)
            if not number or not math.isfinite(p) or p < 0:
                raise ValueError(
                    f"{source}: {key!r} action {label!r} has probability {p!r}; "
                    "use a number between 0 and 1"
                )
            table[start + a] = p
        total = float(table[start : start + len(labels)].sum())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"{source}: probabilities at {key!r} sum to {total!r}, not 1")
    missing = [
        key
        for key, (node, bucket) in expected.items()
        if np.isnan(table[layout.row(node, int(tree.street[node]), bucket)])
    ]
    if missing:
        raise ValueError(
            f"{source}: {len(missing)} information sets are missing, for example {missing[0]!r}"
        )
    return table


def write_policy(path: str | Path, game: SolverGame, table: np.ndarray) -> None:
    """Write ``table`` as a policy file, atomically (`holdem.storage.atomic.write_text`)."""
    target = Path(path)
    rows = policy_to_dict(game, table)
    text = json.dumps({key: rows[key] for key in sorted(rows)}, indent=1)
    write_text(target, text + "\n")


def read_policy(path: str | Path, game: SolverGame) -> np.ndarray:
    """The policy table in a policy file for ``game``; ValueError names the file and the fault."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"{source}: cannot read the policy file ({error.strerror})") from None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{source}: not valid JSON at line {error.lineno} column {error.colno} "
            f"({error.msg}); is the file truncated?"
        ) from None
    return policy_from_dict(game, mapping, source)
