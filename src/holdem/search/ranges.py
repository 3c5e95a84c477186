"""Ranges of hole cards written as players type them into PioSOLVER, GTO+ or TexasSolver.

A range is a (1326,) float64 vector of weights 0..1 in the combination order of
`holdem.cards.combos.COMBOS`. Its text is a comma-separated list of items, each an optional
``:weight`` (0..1, default 1) after one of:

- a hand class: ``AA`` (6 combos), ``AKs`` (4), ``AKo`` (12), ``AK`` (16, suited and offsuit);
- a class with ``+``: ``22+`` (pairs up to ``AA``), ``ATs+`` / ``ATo+`` / ``AT+`` (the kicker
  rises up to one below the top card: ``ATs, AJs, AQs, AKs``);
- a span of one top card or of pairs, in either order: ``T9s-T6s``, ``A5-A2``, ``77-44``;
- two cards: ``AsKd`` (one combination).

Whitespace is ignored; ranks and suits are read as `holdem.cards.encoding.parse_card` reads
them (``ak``, ``AKS``, ``asKD``, ``10s9s``). Every item sets the weight of its combinations, so
when items overlap **the later one wins**: ``AK,AKo:0.5`` holds AKs at 1 and AKo at 0.5, and a
weight of 0 takes combinations out (``22+,AA:0``).

Where the tools we checked disagree, the item is refused with a hint rather than read one way:

- ``T9s+`` and ``AK+`` (``+`` on a class whose kicker is one below its top card): eval7's
  Pokerstove-style parser (``eval7/rangestring.py``) reads ``T9s+`` as ``T9s`` alone and
  ``AK+`` as ``AK``, postflop-solver (``src/range.rs``, by b-inary, whose author states it
  accepts PioSOLVER's syntax: desktop-postflop discussion #20) reads ``T9s+`` as the suited
  connectors ``T9s, JTs, QJs, KQs, AKs``;
- spans that keep the gap, not the top card (``98s-65s``): postflop-solver reads them as
  connectors, eval7 refuses them;
- overlapping items: postflop-solver lets the first item win and TexasSolver
  (``PrivateRangeConverter.cpp``) refuses a combination given twice, so a text that overlaps
  only means the same everywhere when its overlapping items have the same weight. We take
  the later item, as the issue asks (it says PioSOLVER does; we could not check PioSOLVER).

Every mistake is a ValueError with one sentence naming the item and what to write instead.
`format_range` writes a vector back as the shortest of a few readable forms, and
``parse_range(format_range(w))`` returns ``w`` exactly (weights are written with ``repr``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from holdem.cards.combos import COMBOS, N_COMBOS, blocked_combos, combo_index, combo_text
from holdem.cards.encoding import (
    N_RANKS,
    N_SUITS,
    RANKS,
    format_card,
    format_cards,
    make_card,
    parse_card,
    parse_cards,
)

_CLASS = re.compile(r"([2-9TJQKA])([2-9TJQKA])([SO]?)")
_COMBO = re.compile(r"((?:10|[2-9TJQKA])[CDHS])((?:10|[2-9TJQKA])[CDHS])", re.IGNORECASE)
_HELP = (
    "write a hand class ('AA', 'AKs', 'AKo', 'AK'), a span ('22+', 'ATs+', '77-44', "
    "'T9s-T6s') or two cards ('AsKd'), each with an optional weight such as ':0.5'"
)

_Class = tuple[int, int, str]
"""A hand class as (top rank, low rank, form): form ``"s"``, ``"o"`` or ``""`` (both, or a pair)."""


def parse_range(text: str) -> np.ndarray:
    """The (1326,) float64 weights of a range text such as ``"QQ+,AKs,ATs+,KQo:0.5,AsKd:0.25"``.

    Combinations not named have weight 0; later items win over earlier ones (see the module
    docstring for the syntax and the conventions it follows). Raises ValueError naming the
    bad item for an item it cannot read, a weight outside 0..1, an empty item or text.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"a range needs at least one item such as 'AA,AKs,KQo:0.5', got {text!r}")
    weights = np.zeros(N_COMBOS, np.float64)
    for number, raw in enumerate(text.split(","), start=1):
        item = "".join(raw.split())
        if not item:
            raise ValueError(
                f"item {number} of the range {text!r} is empty: remove the extra comma"
            )
        hand, weight = _split_weight(item)
        weights[_item_combos(hand, item)] = weight
    return weights


def _split_weight(item: str) -> tuple[str, float]:
    """The hand part of ``item`` and its weight (1 when none is written)."""
    hand, colon, weight_text = item.partition(":")
    if not colon:
        return hand, 1.0
    try:
        weight = float(weight_text)
    except ValueError:
        weight = float("nan")
    if not 0.0 <= weight <= 1.0:
        raise ValueError(
            f"range item {item!r}: the weight after ':' must be a number from 0 to 1, "
            f"such as '{hand}:0.5'"
        )
    return hand, weight


def _item_combos(hand: str, item: str) -> list[int]:
    """The combination indices of one item's hand part (``item`` is named in errors)."""
    combo = _COMBO.fullmatch(hand)
    if combo:
        first, second = parse_card(combo[1]), parse_card(combo[2])
        if first == second:
            raise ValueError(
                f"range item {item!r} holds the card {combo[1]} twice: write two different "
                "cards such as 'AsKd'"
            )
        return [combo_index(first, second)]
    ends = hand[:-1].split("-") if hand.endswith("+") else hand.split("-")
    if len(ends) <= 2 and any(_COMBO.fullmatch(end) for end in ends):
        raise ValueError(
            f"range item {item!r}: '+' and '-' take hand classes such as 'ATs+' or "
            "'T9s-T6s', not two cards: list the combinations one by one"
        )
    if hand.endswith("+"):
        return _plus(_class(hand[:-1], item), item)
    if len(ends) == 2:
        return _span(_class(ends[0], item), _class(ends[1], item), item)
    return _class_combos(_class(hand, item))


def _class(text: str, item: str) -> _Class:
    """Read ``AKs``, ``ako``, ``AK`` or ``QQ`` as a `_Class`, top rank first."""
    match = _CLASS.fullmatch(text.upper())
    if not match:
        raise ValueError(f"cannot read range item {item!r}: {_HELP}")
    first, second = RANKS.index(match[1]), RANKS.index(match[2])
    form = match[3].lower()
    if first == second and form:
        raise ValueError(
            f"range item {item!r}: a pair has no suited or offsuit form: write '{RANKS[first] * 2}'"
        )
    return max(first, second), min(first, second), form


def _plus(start: _Class, item: str) -> list[int]:
    """``22+``: the pairs from ``start`` up; ``ATs+``: the kicker from ``start`` up."""
    high, low, form = start
    if high == low:
        return [i for rank in range(low, N_RANKS) for i in _class_combos((rank, rank, ""))]
    if high - low < 2:
        # Connectors: eval7 reads T9s+ as T9s, postflop-solver as T9s up to AKs (module doc).
        hands = ",".join(RANKS[r] + RANKS[r - 1] + form for r in range(high, N_RANKS))
        raise ValueError(
            f"range item {item!r}: '+' raises the kicker, and the kicker of "
            f"{hands.split(',')[0]} is already one below its top card, so solvers read this "
            f"item differently: write the hands you mean ('{hands}')"
        )
    return [i for kicker in range(low, high) for i in _class_combos((high, kicker, form))]


def _span(one: _Class, other: _Class, item: str) -> list[int]:
    """``77-44`` (pairs) or ``T9s-T6s`` (one top card, the kickers between), either order."""
    if one[2] != other[2]:
        raise ValueError(
            f"range item {item!r}: both ends of a span have the same form (both 's', both 'o' "
            "or neither), such as 'T9s-T6s'"
        )
    pairs = (one[0] == one[1], other[0] == other[1])
    if pairs == (True, True):
        low, high = sorted((one[0], other[0]))
        return [i for rank in range(low, high + 1) for i in _class_combos((rank, rank, ""))]
    if pairs != (False, False) or one[0] != other[0]:
        raise ValueError(
            f"range item {item!r}: a span keeps its top card ('T9s-T6s', 'A5-A2') or is of "
            "pairs ('77-44'): list other hands one by one"
        )
    low, high = sorted((one[1], other[1]))
    return [i for kicker in range(low, high + 1) for i in _class_combos((one[0], kicker, one[2]))]


def _class_combos(hand: _Class) -> list[int]:
    """The combination indices of a class: 6 for a pair, 4 suited, 12 offsuit, 16 both."""
    high, low, form = hand
    if high == low:
        return [
            combo_index(make_card(high, a), make_card(high, b))
            for a in range(N_SUITS)
            for b in range(a + 1, N_SUITS)
        ]
    return [
        combo_index(make_card(high, a), make_card(low, b))
        for a in range(N_SUITS)
        for b in range(N_SUITS)
        if not form or (a == b) == (form == "s")
    ]


def format_range(weights: np.ndarray) -> str:
    """The range text of a weight vector: classes and spans where every combination of a class
    has the same weight (``QQ+``, ``ATs+``, ``KQo:0.5``), single combinations elsewhere.

    Weights are written exactly (``repr``), so ``parse_range(format_range(w))`` equals ``w``;
    the empty range is ``""`` (which `parse_range` refuses, as a range to solve cannot be
    empty). Raises ValueError for a vector that is not 1,326 weights 0..1.
    """
    w = _checked(weights)

    def weight_of(hand: _Class) -> float | None:
        """The weight shared by the class's combinations, None when they differ."""
        values = w[_class_combos(hand)]
        return float(values[0]) if (values == values[0]).all() else None

    ranks_down = list(reversed(range(N_RANKS)))
    pairs = [weight_of((rank, rank, "")) for rank in ranks_down]
    items = [_pair_name(ranks_down[j], ranks_down[k], x) for j, k, x in _runs(pairs)]
    mixed = [(rank, rank, "") for rank, x in zip(ranks_down, pairs, strict=True) if x is None]
    for high in ranks_down[:-1]:
        kickers = list(reversed(range(high)))
        suited = [weight_of((high, k, "s")) for k in kickers]
        offsuit = [weight_of((high, k, "o")) for k in kickers]
        # "AK" where AKs and AKo share a weight, or every class apart: the shorter text.
        both = [s if s == o else None for s, o in zip(suited, offsuit, strict=True)]
        joined = (
            _row(high, both, "")
            + _row(high, _left(suited, both), "s")
            + _row(high, _left(offsuit, both), "o")
        )
        apart = _row(high, suited, "s") + _row(high, offsuit, "o")
        items += min(joined, apart, key=lambda names: len(",".join(names)))
        for form, row in (("s", suited), ("o", offsuit)):
            mixed += [(high, k, form) for k, x in zip(kickers, row, strict=True) if x is None]
    for hand in mixed:
        for i in _class_combos(hand):
            if w[i] > 0:
                items.append(_weighted(combo_text(i), float(w[i])))
    return ",".join(items)


def _runs(values: list[float | None]) -> list[tuple[int, int, float]]:
    """The maximal runs ``(first, last, weight)`` of equal positive weights in ``values``."""
    runs: list[tuple[int, int, float]] = []
    for j, x in enumerate(values):
        if x is None or x <= 0:
            continue
        if runs and runs[-1][1] == j - 1 and runs[-1][2] == x:
            runs[-1] = (runs[-1][0], j, x)
        else:
            runs.append((j, j, x))
    return runs


def _left(values: list[float | None], taken: list[float | None]) -> list[float | None]:
    """``values`` without the places ``taken`` (not None) already writes."""
    return [x if t is None else None for x, t in zip(values, taken, strict=True)]


def _pair_name(top: int, bottom: int, weight: float) -> str:
    """``AA``, ``TT+`` (a run up to aces) or ``88-55``."""
    if top == bottom:
        name = RANKS[top] * 2
    elif top == N_RANKS - 1:
        name = RANKS[bottom] * 2 + "+"
    else:
        name = f"{RANKS[top] * 2}-{RANKS[bottom] * 2}"
    return _weighted(name, weight)


def _row(high: int, values: list[float | None], form: str) -> list[str]:
    """The items of one top card's classes; ``values[j]`` is the weight of kicker ``high-1-j``."""
    names = []
    for j, k, weight in _runs(values):
        first, last = (RANKS[high] + RANKS[high - 1 - i] + form for i in (j, k))
        if j == k:
            name = first
        elif j == 0:
            name = last + "+"
        else:
            name = f"{first}-{last}"
        names.append(_weighted(name, weight))
    return names


def _weighted(name: str, weight: float) -> str:
    return name if weight == 1.0 else f"{name}:{weight!r}"


def _checked(weights: np.ndarray) -> np.ndarray:
    """``weights`` as float64 after checking it is 1,326 weights 0..1."""
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (N_COMBOS,):
        raise ValueError(
            f"a range is {N_COMBOS} weights in the order of holdem.cards.combos.COMBOS, "
            f"got an array of shape {w.shape}"
        )
    bad = np.flatnonzero(~((w >= 0) & (w <= 1)))
    if bad.size:
        low, high = COMBOS[bad[0]]
        raise ValueError(
            f"the weight of {format_card(high)}{format_card(low)} is {w[bad[0]]}: "
            "range weights are from 0 to 1"
        )
    return w


def board_removed(weights: np.ndarray, board_cards: Iterable[int] | str, name: str) -> np.ndarray:
    """A copy of ``weights`` with every combination holding a board card set to 0.

    ``name`` says whose range it is in the error raised (ValueError) when no combination of
    weight above 0 is left, e.g. "the IP range has no combination left after removing those
    touching the board Qs Jh 2h: widen it".
    """
    w = _checked(weights).copy()
    cards = parse_cards(board_cards) if isinstance(board_cards, str) else list(board_cards)
    board = format_cards(cards)  # also refuses a card outside 0..51
    w[blocked_combos(cards)] = 0.0
    if not (w > 0).any():
        raise ValueError(
            f"the {name} range has no combination left after removing those touching the "
            f"board {board}: widen it"
        )
    return w


def combo_count(weights: np.ndarray) -> float:
    """The number of combinations in a range, each counted by its weight (``AK:0.5`` is 8)."""
    return float(_checked(weights).sum())
