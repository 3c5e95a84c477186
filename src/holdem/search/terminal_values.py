"""Values of a player's hands where the hand ends (a fold, a showdown) against the opponent's
reach, with card removal, in time linear in the hands and without a branch that depends on
the ranks.

A hand ``h`` of the traverser meets only the opponent hands that share no card with it. At a
fold that pays ``payoff`` it wins ``payoff`` times ``D_h``, the opponent's reach over those
hands. At a showdown for ``stake`` each it wins ``stake`` from the ones it beats (mass ``W_h``)
and loses it to the ones that beat it: its value is ``stake * (W_h + B_h - D_h)`` with ``B_h``
the mass it beats or ties (Johanson, Bowling, Waugh and Zinkevich, "Accelerating best response
calculation in large extensive games", IJCAI 2011, section 4.2: sort once, sweep with a running
sum per card).

The sweep here is split so that no loop waits on a comparison of ranks (a merge of two sorted
lists mispredicts at almost every change of rank, which cost more than the arithmetic): what
depends on the ranks is found once per river board (`ShowdownPlans`), and each showdown then
takes two running sums of the opponent's reach and a few reads per hand.

- ``cum[j]``: the reach over the opponent's first ``j`` hands in increasing rank (``order``).
- ``G[e]``: the running reach over ``flat``, the opponent's hands holding card 0 in increasing
  rank, then those holding card 1, and so on (each hand twice); card ``c``'s hands are
  ``flat[cs[c] : cs[c + 1]]`` with ``cs`` the player's `card_start` (the same on every board).
- For each traverser hand, ``lo``/``hi``: how many opponent hands rank below it / at most as
  high; ``x``/``y`` per card ``c`` of the hand: ``cs[c]`` plus how many of the hands holding
  ``c`` rank below it / at most as high.

Then ``W = cum[lo] - Σ_c (G[x_c] - G[cs[c]])``, ``B = cum[hi] - Σ_c (G[y_c] - G[cs[c]]) + s``
and ``D = cum[n] - Σ_c (G[cs[c + 1]] - G[cs[c]]) + s`` (``s`` the reach of the very same
combination, counted out once too often by the two cards), so ``W + B - D = cum[lo] + cum[hi] -
cum[n] + Σ_c (G[cs[c]] + G[cs[c + 1]] - G[x_c] - G[y_c])``: ``s`` cancels. Running sums are kept
in four independent chains, so they are not bound by the latency of one addition each. The
pass over the traverser's hands is bound by its reads: each hand's six places and two cards are
packed in two 64-bit words (`FIELD_BITS`), so it reads ten numbers a hand, not sixteen (on the
flop spot an iteration 6% faster).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from holdem.cards.evaluator import evaluate_batch

FIELD_BITS = np.uint64(16)
FIELD = np.uint64(0xFFFF)
"""A plan's ``bounds`` hold, per hand, eight 16-bit fields in two 64-bit words: ``lo, hi,
x_first, y_first`` and ``x_second, y_second, first card, second card`` (module docstring),
lowest bits first (places are below 2 * 1326, so 16 bits hold them)."""


class ShowdownPlans(NamedTuple):
    """Per player ``p`` and river board ``b``: ``order[p][b]`` (H_p,) int16, its hands in
    increasing rank; ``flat[p][b]`` (2 H_p,) int16, its hands by card, each card's in
    increasing rank; ``bounds[p][b]`` (H_p, 2) uint64, each hand's places among the other
    player's hands and its two cards (module docstring), packed (`FIELD_BITS`). A hand that
    holds a board card ranks lowest; its values are the caller's to discard."""

    order: tuple[np.ndarray, np.ndarray]
    flat: tuple[np.ndarray, np.ndarray]
    bounds: tuple[np.ndarray, np.ndarray]


def hand_ranks(boards: np.ndarray, hands: np.ndarray) -> np.ndarray:
    """(boards, H) int64: the rank of each hand on each river board, higher is better; 0 for a
    hand holding a board card."""
    n_boards, n_hands = boards.shape[0], hands.shape[0]
    seven = np.empty((n_boards, n_hands, 7), np.uint8)
    seven[:, :, :5] = boards[:, None, :]
    seven[:, :, 5:] = hands[None, :, :]
    rank = evaluate_batch(seven.reshape(-1, 7)).reshape(n_boards, n_hands).astype(np.int64)
    on_board = np.zeros((n_boards, 52), bool)
    np.put_along_axis(on_board, boards, True, axis=1)
    rank[on_board[:, hands[:, 0]] | on_board[:, hands[:, 1]]] = 0
    return rank


def card_start(hands: np.ndarray) -> np.ndarray:
    """(53,) where each card's hands begin in a by-card list of ``hands`` (each hand once per
    card, cards in increasing order)."""
    start = np.zeros(53, np.int64)
    start[1:] = np.cumsum(np.bincount(hands.ravel(), minlength=52))
    return start


def first_card_start(hands: np.ndarray) -> np.ndarray:
    """(53,) where the hands whose first (lower) card is ``c`` begin, for ``hands`` in order of
    their first card (as the combinations of `holdem.cards.combos.COMBOS` are): `fold_values`
    sums each first card's reach over a slice."""
    first = hands[:, 0]
    if np.any(np.diff(first) < 0):
        raise ValueError("the hands must be in increasing order of their first card")
    return np.searchsorted(first, np.arange(53)).astype(np.int64)


def _by_card(ranks: np.ndarray, hands: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per board, the hands in increasing rank (``order``), the by-card list (``flat``) and the
    rank of each entry of ``flat``."""
    order = np.argsort(ranks, axis=1, kind="stable")
    cards = hands[order]  # (boards, H, 2) in rank order
    # a stable sort of the (hand, card) entries by card keeps each card's hands in rank order
    entries = np.repeat(order, 2, axis=1)
    entry_cards = cards.reshape(len(ranks), 2 * len(hands))
    by_card = np.argsort(entry_cards, axis=1, kind="stable")
    flat = np.take_along_axis(entries, by_card, axis=1)
    return order, flat, np.take_along_axis(ranks, flat, axis=1)


PLAN_CHUNK = 64
"""Boards ranked and planned at once: the work arrays of a chunk are int64, several times the
plans' int16, so a flop spot's 1,728 river boards at once took 140 MB more at its peak."""


def showdown_plans(boards: np.ndarray, hands: tuple[np.ndarray, np.ndarray]) -> ShowdownPlans:
    """The plans of both players' ``hands`` ((H_p, 2) cards) on each river board of ``boards``
    ((n, 5) cards), built `PLAN_CHUNK` boards at a time."""
    n_boards = len(boards)
    order = tuple(np.empty((n_boards, len(h)), np.int16) for h in hands)
    flat = tuple(np.empty((n_boards, 2 * len(h)), np.int16) for h in hands)
    bounds = tuple(np.empty((n_boards, len(h), 2), np.uint64) for h in hands)
    # each hand's eight fields before packing: its places on the board at hand, then its cards
    fields = [np.empty((len(h), 8), np.uint64) for h in hands]
    for p in (0, 1):
        fields[p][:, 6:] = hands[p]
    shifts = np.arange(4, dtype=np.uint64) * FIELD_BITS
    starts = [card_start(h) for h in hands]
    # each card's run of flat as one sorted row of keys (card, rank)
    owners = [np.repeat(np.arange(52), np.diff(start)) << 20 for start in starts]
    for first in range(0, n_boards, PLAN_CHUNK):
        chunk = boards[first : first + PLAN_CHUNK]
        ranks = [hand_ranks(chunk, h) for h in hands]
        parts = [_by_card(ranks[p], hands[p]) for p in (0, 1)]
        for p in (0, 1):
            order[p][first : first + len(chunk)] = parts[p][0]
            flat[p][first : first + len(chunk)] = parts[p][1]
        for p in (0, 1):
            order_q, _, flat_ranks_q = parts[1 - p]
            sorted_q = np.take_along_axis(ranks[1 - p], order_q, axis=1)
            row = fields[p]  # (H_p, 8), rewritten for each board
            for b in range(len(chunk)):
                mine = ranks[p][b]
                row[:, 0] = np.searchsorted(sorted_q[b], mine, "left")
                row[:, 1] = np.searchsorted(sorted_q[b], mine, "right")
                keys = owners[1 - p] + flat_ranks_q[b]
                for side in (0, 1):
                    mine_keys = (hands[p][:, side] << 20) + mine
                    row[:, 2 + 2 * side] = np.searchsorted(keys, mine_keys, "left")
                    row[:, 3 + 2 * side] = np.searchsorted(keys, mine_keys, "right")
                words = row.reshape(-1, 2, 4) << shifts
                bounds[p][first + b] = words.sum(axis=2, dtype=np.uint64)
    return ShowdownPlans(order=order, flat=flat, bounds=bounds)  # type: ignore[arg-type]


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _running_sums(reach, index, out, at):  # type: ignore[no-untyped-def]
    """``out[at] = 0`` and ``out[at + j + 1] = Σ_{i <= j} reach[index[i]]``: four chains over the
    four quarters of ``index`` at once, then each quarter lifted by the ones before it."""
    n = index.shape[0]
    q = n // 4
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    o = np.uint64(at + 1)
    uq = np.uint64(q)
    for j in range(q):
        u = np.uint64(j)
        a0 += reach[np.uint64(index[j])]
        out[o + u] = a0
        a1 += reach[np.uint64(index[q + j])]
        out[o + uq + u] = a1
        a2 += reach[np.uint64(index[2 * q + j])]
        out[o + uq + uq + u] = a2
        a3 += reach[np.uint64(index[3 * q + j])]
        out[o + uq + uq + uq + u] = a3
    for j in range(4 * q, n):
        a3 += reach[np.uint64(index[j])]
        out[o + np.uint64(j)] = a3
    out[at] = 0.0
    lift = a0
    for j in range(q):
        out[o + uq + np.uint64(j)] += lift
    lift += a1
    for j in range(q):
        out[o + uq + uq + np.uint64(j)] += lift
    lift += a2
    for j in range(n - 3 * q):
        out[o + uq + uq + uq + np.uint64(j)] += lift


@njit(cache=True, nogil=True)
def scratch_size(n_opponent: int) -> int:
    """Floats of scratch a showdown against ``n_opponent`` hands needs (`_scratch_starts`)."""
    return 3 * n_opponent + 2 + 3 * 52


@njit(cache=True, nogil=True, inline="always")
def _scratch_starts(n_o):  # type: ignore[no-untyped-def]
    """Where the parts of the scratch begin (offsets, not slices: a slice costs an atomic
    reference count): a showdown's ``cum`` (n_o + 1 floats), ``running`` (2 n_o + 1), and per
    card ``ends`` (G[cs[c]] + G[cs[c + 1]]) and ``per_card`` (the reach holding the card); then
    `fold_values`' own per-card sums, apart, so that a fold between a showdown and the fold
    that reuses its sums leaves them."""
    return 0, n_o + 1, 3 * n_o + 2, 3 * n_o + 54, 3 * n_o + 106


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def showdown_values(  # type: ignore[no-untyped-def]
    stake, order_o, flat_o, start_o, bounds_t, reach_rows, r, scratch, out_rows, o
):
    """``out_rows[o, h] = stake * (W_h + B_h - D_h)`` for each traverser hand (module
    docstring) on one board, against the opponent's reach ``reach_rows[r]``: ``order_o``,
    ``flat_o`` the opponent's rows of the plan, ``start_o`` its card starts, ``bounds_t`` the
    traverser's; ``scratch`` at least `scratch_size` floats, where it leaves what
    `fold_values_after_showdown` reads. Indices are unsigned (no wrap-around check)."""
    n_o = order_o.shape[0]
    _, run, ends, per_card, _ = _scratch_starts(n_o)
    reach_o = reach_rows[r]
    _running_sums(reach_o, order_o, scratch, 0)
    _running_sums(reach_o, flat_o, scratch, run)
    run, ends, per_card = np.uint64(run), np.uint64(ends), np.uint64(per_card)
    for c in range(52):
        low = scratch[run + np.uint64(start_o[c])]
        high = scratch[run + np.uint64(start_o[c + 1])]
        scratch[ends + np.uint64(c)] = low + high
        scratch[per_card + np.uint64(c)] = high - low
    base = -scratch[n_o]
    bits = FIELD_BITS
    for h in range(out_rows.shape[1]):
        first, second = bounds_t[h, 0], bounds_t[h, 1]
        lo, hi = first & FIELD, (first >> bits) & FIELD
        x0, y0 = ((first >> (bits + bits)) & FIELD) + run, (first >> (bits + bits + bits)) + run
        x1, y1 = (second & FIELD) + run, ((second >> bits) & FIELD) + run
        c0, c1 = ((second >> (bits + bits)) & FIELD) + ends, (second >> (bits + bits + bits)) + ends
        value = base + scratch[lo] + scratch[hi] + scratch[c0] + scratch[c1]
        out_rows[o, h] = stake * (value - scratch[x0] - scratch[y0] - scratch[x1] - scratch[y1])


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def fold_values_after_showdown(payoff, hands_t, same_t, reach_rows, r, scratch, out_rows, o):  # type: ignore[no-untyped-def]
    """`fold_values` against the same ``reach_rows[r]`` as the `showdown_values` that just
    filled ``scratch``: its total and per-card sums, without a pass over the opponent's hands
    (a player facing a bet folds or calls to a showdown, with the other's reach the same)."""
    n_o = reach_rows.shape[1]
    per_card = _scratch_starts(n_o)[3]
    _disjoint_values(
        payoff, scratch[n_o], scratch, per_card, hands_t, same_t, reach_rows, r, out_rows, o
    )


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def fold_values(payoff, hands_t, hands_o, first_o, same_t, reach_rows, r, scratch, out_rows, o):  # type: ignore[no-untyped-def]
    """``out_rows[o, h] = payoff * D_h``: the values of the traverser's hands (``hands_t``)
    when a player folded and the traverser wins ``payoff`` against each opponent hand (reach
    ``reach_rows[r]``) that shares no card with its own (``same_t[h]`` the opponent's index of
    the very same combination, or -1). The opponent's hands are in order of their first card,
    which begin at ``first_o`` (`first_card_start`): a first card's reach is the sum of a
    slice, and only the second cards' is added one hand at a time (a quarter faster than adding
    both). The per-card sums go to ``scratch`` (at least `scratch_size` floats)."""
    at = _scratch_starts(reach_rows.shape[1])[4]
    cards = np.uint64(at)
    row = np.uint64(r)
    total = 0.0
    for c in range(52):
        mass = 0.0
        for i in range(np.uint64(first_o[c]), np.uint64(first_o[c + 1])):
            mass += reach_rows[row, i]
        scratch[cards + np.uint64(c)] = mass
        total += mass
    for i in range(reach_rows.shape[1]):
        scratch[cards + np.uint64(hands_o[i, 1])] += reach_rows[row, np.uint64(i)]
    _disjoint_values(payoff, total, scratch, at, hands_t, same_t, reach_rows, r, out_rows, o)


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _disjoint_values(payoff, total, per_card, at, hands_t, same_t, reach_rows, r, out_rows, o):  # type: ignore[no-untyped-def]
    """``out_rows[o, h] = payoff * D_h`` from the opponent's ``total`` reach and its reach
    holding each card (``per_card[at + c]``): what holds one of the hand's cards is out, the
    very same combination (counted out twice) back in once (from ``reach_rows[r]``), without
    a branch: a hand that the opponent cannot hold adds 0 times its first entry."""
    first = np.uint64(at)
    row = np.uint64(r)
    out_row = np.uint64(o)
    for h in range(out_rows.shape[1]):
        u = np.uint64(h)
        mass = total - per_card[first + np.uint64(hands_t[u, 0])]
        mass -= per_card[first + np.uint64(hands_t[u, 1])]
        same = same_t[u]
        held = 1.0 if same >= 0 else 0.0
        mass += held * reach_rows[row, np.uint64(max(same, 0))]
        out_rows[out_row, u] = payoff * mass
