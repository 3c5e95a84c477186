"""A postflop spot: board, pot, stack, both ranges and the bet tree, from flags or a YAML file.

A spot is a public state after the preflop between two players: player 0 is out of position
(OOP, first to act on every street), player 1 in position (IP). Both have put ``pot / 2`` into
the pot and have ``stack`` chips behind. The bet tree says, per street and per player:

- ``bet``: sizes of a first bet in % of the pot (rounded to a whole chip);
- ``raise``: sizes of a raise in % of the pot after the call, on top of the call;
- ``donk``: sizes of OOP's bet when it leads into the player whose bet it called on the
  previous street (default: the bet sizes);
- ``allin``: whether all-in is offered to bet or raise;

and for the whole tree ``allin_threshold`` (a bet or raise that would leave less than this share
of the starting stack behind goes all-in instead; 0 turns it off) and ``max_raises`` (raises
after the first bet of a street). These are the meanings of PioSOLVER, GTO+ and TexasSolver
(its bet and raise percentages: ``GameTree::get_possible_bets`` of TexasSolver's ``console``
branch; its all-in threshold is measured on the chips put in instead of the chips left).

A YAML spot file::

    board: Qs Jh 2h
    pot: 1000
    stack: 9500
    oop: "AA,KK,QQ,AK,AQs,99:0.75"
    ip: "QQ:0.5,JJ-22,AQo:0.75,KQ"
    sizes:                  # the defaults of every street and player ...
      bet: [33, 75]
      raise: [50]
      allin: true
      river:                # ... a street's own ...
        bet: [75, 150]
        ip: {raise: []}     # ... and a player's own on that street
    allin_threshold: 0.0
    max_raises: 3

Every mistake is a `ConfigError` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from holdem.cards.combos import N_COMBOS, blocked_combos
from holdem.cards.encoding import format_cards, parse_cards
from holdem.search.ranges import board_removed, parse_range
from holdem.storage.yaml_files import ConfigError, read_yaml

STREETS = ("flop", "turn", "river")
PLAYERS = ("oop", "ip")
SIZE_KINDS = ("bet", "raise", "donk")
_SIZE_KEYS = {*SIZE_KINDS, "allin"}
_TOP_KEYS = {"board", "pot", "stack", "oop", "ip", "sizes", "allin_threshold", "max_raises"}


@dataclass(frozen=True)
class PlayerSizes:
    """One player's options on one street: sizes in % of the pot, and all-in."""

    bet: tuple[float, ...] = ()
    raise_: tuple[float, ...] = ()
    donk: tuple[float, ...] = ()
    allin: bool = False

    def __post_init__(self) -> None:
        for kind, sizes in (("bet", self.bet), ("raise", self.raise_), ("donk", self.donk)):
            for size in sizes:
                if not size > 0:
                    raise ValueError(
                        f"{kind} size {size:g}: sizes are positive percentages of the pot"
                    )


@dataclass(frozen=True)
class BetTree:
    """The sizes of every street and player, the all-in threshold and the raise cap."""

    sizes: Mapping[tuple[str, str], PlayerSizes]
    allin_threshold: float = 0.0
    max_raises: int = 3

    def __post_init__(self) -> None:
        missing = [
            key for key in ((s, p) for s in STREETS for p in PLAYERS) if key not in self.sizes
        ]
        if missing:
            raise ValueError(f"bet tree: no sizes for {missing[0][1]} on the {missing[0][0]}")
        if not 0.0 <= self.allin_threshold < 1.0:
            raise ValueError(
                f"allin_threshold {self.allin_threshold:g}: give a share of the stack in 0..1"
            )
        if self.max_raises < 0:
            raise ValueError(f"max_raises {self.max_raises}: give 0 or more")

    @classmethod
    def uniform(
        cls,
        bets: Sequence[float],
        raises: Sequence[float],
        allin: bool,
        donks: Sequence[float] | None = None,
        allin_threshold: float = 0.0,
        max_raises: int = 3,
    ) -> BetTree:
        """The same sizes on every street for both players (donk bets: the bet sizes)."""
        sizes = PlayerSizes(
            tuple(bets), tuple(raises), tuple(bets if donks is None else donks), allin
        )
        return cls({(s, p): sizes for s in STREETS for p in PLAYERS}, allin_threshold, max_raises)

    def of(self, street: str, player: int) -> PlayerSizes:
        """The options of ``player`` (0 OOP, 1 IP) on ``street``."""
        return self.sizes[(street, PLAYERS[player])]


@dataclass(frozen=True, eq=False)
class Spot:
    """A postflop spot: the public state, both ranges (1,326 weights each) and the bet tree.

    ``ranges[0]`` is OOP's, ``ranges[1]`` IP's, in the order of `holdem.cards.combos.COMBOS`;
    combinations touching the board must have weight 0 (`Spot.build` removes them).
    """

    board: tuple[int, ...]
    pot: int
    stack: int
    ranges: tuple[np.ndarray, np.ndarray]
    tree: BetTree
    range_texts: tuple[str, str] = field(default=("", ""))

    def __post_init__(self) -> None:
        if len(self.board) not in (3, 4, 5):
            raise ValueError(
                f"board {format_cards(self.board)!r} has {len(self.board)} cards: "
                "a spot's board has 3 (flop), 4 (turn) or 5 (river) cards"
            )
        if len(set(self.board)) != len(self.board):
            raise ValueError(f"board {format_cards(self.board)!r} repeats a card")
        if self.pot <= 0:
            raise ValueError(f"pot {self.pot}: give the chips in the pot, more than 0")
        if self.stack <= 0:
            raise ValueError(f"stack {self.stack}: give the effective stack behind, more than 0")
        blocked = blocked_combos(self.board)
        for name, weights in zip(PLAYERS, self.ranges, strict=True):
            if weights.shape != (N_COMBOS,):
                raise ValueError(f"{name} range: expected {N_COMBOS} weights, got {weights.shape}")
            if np.any(weights < 0) or np.any(weights > 1):
                raise ValueError(f"{name} range: weights must lie in 0..1")
            if np.any(weights[blocked] > 0):
                raise ValueError(f"{name} range holds combinations that touch the board")
            if not np.any(weights > 0):
                raise ValueError(f"{name} range is empty")

    @property
    def street(self) -> str:
        """The street the spot starts on: flop, turn or river."""
        return STREETS[len(self.board) - 3]

    @classmethod
    def build(cls, board: str, pot: int, stack: int, oop: str, ip: str, tree: BetTree) -> Spot:
        """A spot from text: the board's cards and both ranges in the players' range syntax.

        Combinations touching the board leave the ranges; a range left empty is an error.
        """
        try:
            cards = tuple(parse_cards(board))
        except ValueError as error:
            raise ValueError(f"board: {error}") from None
        parsed = []
        for key, text in zip(PLAYERS, (oop, ip), strict=True):
            try:
                parsed.append(parse_range(text))
            except ValueError as error:
                raise ValueError(f"{key} range: {error}") from None
        ranges = tuple(
            board_removed(weights, cards, name)
            for name, weights in zip(("OOP", "IP"), parsed, strict=True)
        )
        return cls(cards, int(pot), int(stack), (ranges[0], ranges[1]), tree, (oop, ip))


def _sizes_list(value: Any, source: str, key: str) -> tuple[float, ...]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{source}: {key}: give a list of sizes in % of the pot, got {value!r}")
    out = []
    for i, size in enumerate(value):
        if isinstance(size, bool) or not isinstance(size, (int, float)) or not size > 0:
            raise ConfigError(
                f"{source}: {key}[{i}]: a size is a positive % of the pot (75 for 75%), "
                f"got {size!r}"
            )
        out.append(float(size))
    return tuple(out)


def _options(value: Any, source: str, key: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: {key}: must be a mapping, got {value!r}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        name = unknown[0] if key == "top level" else f"{key}.{unknown[0]}"
        raise ConfigError(
            f"{source}: {name}: unknown key; the keys are {', '.join(sorted(allowed))}"
        )
    return dict(value)


def _layer(value: Mapping[str, Any], source: str, key: str) -> dict[str, Any]:
    """The size keys set at one level of ``sizes`` (validated)."""
    layer: dict[str, Any] = {}
    for kind in SIZE_KINDS:
        if kind in value:
            layer[kind] = _sizes_list(value[kind], source, f"{key}.{kind}")
    if "allin" in value:
        if not isinstance(value["allin"], bool):
            raise ConfigError(f"{source}: {key}.allin: give true or false, got {value['allin']!r}")
        layer["allin"] = value["allin"]
    return layer


def bet_tree_from_mapping(value: Any, source: str, defaults: BetTree) -> BetTree:
    """A `BetTree` from a spot file's ``sizes`` mapping, falling back on ``defaults``.

    A key at a player's level wins over its street's, which wins over the top level's; a level
    that sets ``bet`` and not ``donk`` sets the donk sizes to the same.
    """
    top = _options(value, source, "sizes", _SIZE_KEYS | set(STREETS))
    sizes: dict[tuple[str, str], PlayerSizes] = {}
    levels_top = _layer(top, source, "sizes")
    for street in STREETS:
        street_value = _options(
            top.get(street, {}), source, f"sizes.{street}", _SIZE_KEYS | set(PLAYERS)
        )
        levels_street = _layer(street_value, source, f"sizes.{street}")
        for player in PLAYERS:
            player_value = _options(
                street_value.get(player, {}), source, f"sizes.{street}.{player}", _SIZE_KEYS
            )
            base = defaults.sizes[(street, player)]
            merged: dict[str, Any] = {
                "bet": base.bet,
                "raise": base.raise_,
                "donk": base.donk,
                "allin": base.allin,
            }
            for layer in (
                levels_top,
                levels_street,
                _layer(player_value, source, f"sizes.{street}.{player}"),
            ):
                if "bet" in layer and "donk" not in layer:
                    merged["donk"] = layer["bet"]
                merged.update(layer)
            sizes[(street, player)] = PlayerSizes(
                merged["bet"], merged["raise"], merged["donk"], merged["allin"]
            )
    return BetTree(sizes, defaults.allin_threshold, defaults.max_raises)


def _bet_tree_of(data: Mapping[str, Any], source: str, default_max_raises: int) -> BetTree:
    """The bet tree of a file's ``sizes``, ``allin_threshold`` and ``max_raises`` keys, each
    checked (the cap defaults to ``default_max_raises``)."""
    threshold = data.get("allin_threshold", 0.0)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float))
        or not 0 <= threshold < 1
    ):
        raise ConfigError(
            f"{source}: allin_threshold: give a share of the stack in 0..1, got {threshold!r}"
        )
    max_raises = data.get("max_raises", default_max_raises)
    if isinstance(max_raises, bool) or not isinstance(max_raises, int) or max_raises < 0:
        raise ConfigError(
            f"{source}: max_raises: give a whole number, 0 or more, got {max_raises!r}"
        )
    defaults = BetTree.uniform(
        (), (), False, allin_threshold=float(threshold), max_raises=max_raises
    )
    return bet_tree_from_mapping(data.get("sizes", {}), source, defaults)


def load_bet_tree(path: str | Path, default_max_raises: int = 1) -> BetTree:
    """Read and check a YAML file of bet sizes alone: ``sizes`` in the form of a spot file's,
    ``allin_threshold`` and ``max_raises`` (the sizes of real-time search's subgames)."""
    source = str(path)
    raw = read_yaml(path, needs="give sizes (max_raises, allin_threshold)")
    data = _options(raw, source, "top level", {"sizes", "max_raises", "allin_threshold"})
    if "sizes" not in data:
        raise ConfigError(f"{source}: sizes: missing; give the bet sizes of the subgames")
    return _bet_tree_of(data, source, default_max_raises)


def load_spot(path: str | Path) -> Spot:
    """Read and check a YAML spot file (see the module docstring for its keys)."""
    source = str(path)
    raw = read_yaml(
        path,
        needs="a spot file needs the keys board, pot, stack, oop and ip (sizes, "
        "allin_threshold and max_raises are optional)",
    )
    data = _options(raw, source, "top level", _TOP_KEYS)
    for key in ("board", "pot", "stack", "oop", "ip"):
        if key not in data:
            raise ConfigError(f"{source}: {key}: missing; a spot needs board, pot, stack, oop, ip")
    for key in ("pot", "stack"):
        if isinstance(data[key], bool) or not isinstance(data[key], int) or data[key] <= 0:
            raise ConfigError(
                f"{source}: {key}: give a whole number of chips above 0, got {data[key]!r}"
            )
    tree = _bet_tree_of(data, source, default_max_raises=3)
    for key in ("board", "oop", "ip"):
        if not isinstance(data[key], str):
            raise ConfigError(f"{source}: {key}: give text, got {data[key]!r}")
    try:
        return Spot.build(data["board"], data["pot"], data["stack"], data["oop"], data["ip"], tree)
    except ValueError as error:
        raise ConfigError(f"{source}: {error}") from None
