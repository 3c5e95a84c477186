"""Betting abstractions written in YAML, loaded into a validated `BettingSpec`.

A file has two sections. ``game`` says who plays with what; ``betting`` lists the betting rounds
in order, each with the raise sizes per raise depth, whether all-in is offered, and the cap on
bets and raises in the round::

    game:
      players: 2          # 2..6
      stack: 20000        # chips each seat starts with (equal stacks)
      blinds: [50, 100]   # small blind, big blind (omit for ante-only games)
      ante: 0             # posted by every seat
    betting:
      preflop: {sizes: [[0.5, 1, 2], [1]], all_in: true, max_raises: 4}
      flop:    {sizes: [[0.5, 1]], all_in: true, max_raises: 3}
      turn:    {sizes: [[1]], all_in: true, max_raises: 2}
      river:   {sizes: [[1]], all_in: true, max_raises: 2}

``sizes[k]`` lists the sizes of the (k+1)-th bet or raise of the round; deeper raises reuse the
last list. A number is a fraction of the pot after calling; ``{chips: 2}`` is a fixed (limit)
raise of 2 chips. ``limp: false`` (first round of a game with blinds only; default true) takes
the call away from a seat that has put in less than the big blind while nobody has bet or raised
in the round: it folds or raises, and the big blind may still check. Push/fold is ``preflop:
{all_in: true, max_raises: 1, limp: false}`` with ``{max_raises: 0}`` after.

With blinds, seats are in Hold'em order: seat 0 posts the small blind, seat 1 the big blind and
the last seat has the button (heads-up, seat 0 is both the small blind and the button); preflop
the seat after the big blind acts first, after the flop the first seat still in from the small
blind on (heads-up: the big blind). Without blinds, seat 0 acts first in every round. A round
may set ``first_player`` to override this.

A training config (``configs/blueprint_*.yaml``) given where a betting config is asked for
stands for the betting config its ``betting:`` key names (`betting_config_path`).

Every mistake is a ValueError naming the file and the key, e.g.
``configs/x.yaml: betting.flop.sizes[0][1]: a size must be a positive pot fraction or {chips: N},
got 'big'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.storage.yaml_files import ConfigError, config_path, read_yaml

HOLDEM_ROUNDS = ("preflop", "flop", "turn", "river")
_GAME_KEYS = {"players", "stack", "blinds", "ante"}
_ROUND_KEYS = {"sizes", "all_in", "max_raises", "first_player", "limp"}
MAX_PLAYERS = 6
_NEEDS = "a betting config needs the sections game and betting (see configs/hu_small.yaml)"


def _fail(source: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{source}: {key}: {message}")


def _mapping(value: Any, source: str, key: str, allowed: set[str] | None = None) -> dict:
    if not isinstance(value, Mapping):
        raise _fail(source, key, f"must be a mapping of keys to values, got {value!r}")
    if allowed is not None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise _fail(
                source,
                f"{key}.{unknown[0]}",
                f"unknown key; the keys of {key} are {', '.join(sorted(allowed))}",
            )
    return dict(value)


def _integer(value: Any, source: str, key: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(source, key, f"must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _fail(source, key, f"must be {bound}, got {value}")
    return value


def _size(value: Any, source: str, key: str) -> BetSize:
    if isinstance(value, Mapping):
        fields = _mapping(value, source, key, {"chips"})
        if "chips" not in fields:
            raise _fail(source, key, "a fixed size is written {chips: N}")
        return BetSize.fixed(_integer(fields["chips"], source, f"{key}.chips", 1))
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise _fail(
            source, key, f"a size must be a positive pot fraction or {{chips: N}}, got {value!r}"
        )
    return BetSize.pot_fraction(float(value))


def _round(
    value: Any, source: str, key: str, default_first: int, n_players: int, opens_with_blinds: bool
) -> StreetBetting:
    fields = _mapping(value, source, key, _ROUND_KEYS)
    raw_sizes = fields.get("sizes", [])
    if not isinstance(raw_sizes, list):
        raise _fail(source, f"{key}.sizes", f"must be a list of lists, got {raw_sizes!r}")
    sizes: list[tuple[BetSize, ...]] = []
    for depth, options in enumerate(raw_sizes):
        where = f"{key}.sizes[{depth}]"
        if not isinstance(options, list) or not options:
            raise _fail(source, where, f"must be a non-empty list of sizes, got {options!r}")
        sizes.append(tuple(_size(s, source, f"{where}[{i}]") for i, s in enumerate(options)))
    all_in = fields.get("all_in", False)
    if not isinstance(all_in, bool):
        raise _fail(source, f"{key}.all_in", f"must be true or false, got {all_in!r}")
    if "max_raises" not in fields:
        raise _fail(source, f"{key}.max_raises", "is required (the cap on bets and raises)")
    max_raises = _integer(fields["max_raises"], source, f"{key}.max_raises", 0, 20)
    first = fields.get("first_player", default_first)
    first = _integer(first, source, f"{key}.first_player", 0, n_players - 1)
    limp = fields.get("limp", True)
    if not isinstance(limp, bool):
        raise _fail(source, f"{key}.limp", f"must be true or false, got {limp!r}")
    if not limp and not opens_with_blinds:
        raise _fail(
            source,
            f"{key}.limp",
            "false only applies to the first betting round of a game with blinds: remove it",
        )
    if not limp and max_raises == 0:
        raise _fail(
            source,
            f"{key}.limp",
            "false needs max_raises of 1 or more, or a seat facing the big blind could only fold",
        )
    try:
        return StreetBetting(tuple(sizes), max_raises, all_in, first, limp)
    except ValueError as error:
        raise _fail(source, key, str(error)) from None


def betting_spec_from_dict(data: Any, source: str = "<config>") -> BettingSpec:
    """Validate a parsed configuration into a `BettingSpec`; ``source`` names it in errors."""
    top = _mapping(data, source, "top level", {"game", "betting"})
    for section in ("game", "betting"):
        if section not in top:
            raise _fail(source, section, "is missing")
    game = _mapping(top["game"], source, "game", _GAME_KEYS)
    for key in ("players", "stack"):
        if key not in game:
            raise _fail(source, f"game.{key}", "is missing")
    n_players = _integer(game["players"], source, "game.players", 2, MAX_PLAYERS)
    stack = _integer(game["stack"], source, "game.stack", 1)
    ante = _integer(game.get("ante", 0), source, "game.ante", 0)
    blinds: tuple[int, ...] = ()
    if "blinds" in game:
        raw = game["blinds"]
        if not isinstance(raw, list) or len(raw) != 2:
            raise _fail(source, "game.blinds", f"must be [small blind, big blind], got {raw!r}")
        small = _integer(raw[0], source, "game.blinds[0]", 0)
        big = _integer(raw[1], source, "game.blinds[1]", 1)
        if small > big:
            raise _fail(source, "game.blinds", f"the small blind {small} exceeds the big {big}")
        blinds = (small, big) + (0,) * (n_players - 2)

    rounds = _mapping(top["betting"], source, "betting")
    if not rounds:
        raise _fail(source, "betting", "lists no betting round")
    if blinds and list(rounds) != list(HOLDEM_ROUNDS):
        raise _fail(
            source,
            "betting",
            f"a game with blinds has the rounds {', '.join(HOLDEM_ROUNDS)} in this order, "
            f"got {', '.join(map(str, rounds))}",
        )
    streets = []
    for number, (name, body) in enumerate(rounds.items()):
        first = 0
        if blinds:  # Hold'em order: under the gun preflop, the small blind's side after
            first = (2 % n_players) if number == 0 else (1 if n_players == 2 else 0)
        opens = number == 0 and any(blinds)
        streets.append(_round(body, source, f"betting.{name}", first, n_players, opens))
    try:
        return BettingSpec(
            n_players=n_players, stack=stack, streets=tuple(streets), ante=ante, blinds=blinds
        )
    except ValueError as error:
        raise _fail(source, "game", str(error)) from None


def betting_config_path(path: str | Path) -> Path:
    """The betting abstraction ``path`` stands for: itself, or, for a training config (whose
    ``betting:`` key names one, relative to its folder), the file that key names. So a training
    config works wherever a betting config is asked for (``holdem tree stats``, ``--betting``).

    Raises `ConfigError` for a file that cannot be read or is empty."""
    path = Path(path)
    data = read_yaml(path, needs=_NEEDS)
    if isinstance(data, Mapping) and isinstance(data.get("betting"), str) and "game" not in data:
        return config_path(data["betting"], path.resolve().parent)
    return path


def load_betting_spec(path: str | Path) -> BettingSpec:
    """Read a YAML betting configuration (see the module docstring) into a `BettingSpec`; a
    training config stands for the betting config it names (`betting_config_path`)."""
    path = betting_config_path(path)
    return betting_spec_from_dict(read_yaml(path, needs=_NEEDS), str(path))
