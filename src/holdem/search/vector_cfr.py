"""The spot solver's kernel: one walk of a spot's tree carrying a vector per player.

Vector-form CFR (Johanson, Bard, Lanctot, Gibson and Bowling, "Efficient Nash equilibrium
approximation through Monte Carlo counterfactual regret minimization", AAMAS 2012, the "vector"
variant; as in DeepStack's and TexasSolver's solvers): every walk visits every public node once
per card dealt above it and carries, for the traverser, the reach of each of its hands and, for
the opponent, the reach of each of its hands; it returns the traverser's counterfactual value
of each hand. Regrets follow discounted CFR (Brown and Sandholm, "Solving imperfect-information
games via discounted regret minimization", AAAI 2019, https://arxiv.org/abs/1809.04040) or CFR+
(Tammelin, 2014), with the discount factors given per iteration by the caller.

Hands. Player ``p`` has ``H_p`` live hands (combinations not touching the board, weight > 0):
``g.hands[p]`` (H_p, 2) cards. Card removal uses, per card ``c``, the hands holding it:
``g.card_hands[p][g.card_start[p][c] : g.card_start[p][c + 1]]``; ``g.same[p][h]`` is the
opponent's index of the very same combination (or -1). Hands are in order of their first card,
which begin at ``g.first_start[p]`` (`holdem.search.terminal_values.first_card_start`).

Tables (float32, or compressed to int16 regrets and uint16 strategy sums with a scale per
node copy at ``scales[:, g.block_offset[n] + i]``, `_update_compressed`; ``scales`` has no
column for float32 tables; one copy per card dealt above a node, see
`holdem.search.spot_tree`): the regret and the strategy sum of action ``a`` of hand ``h`` at
action node ``n`` in copy ``i`` are at ``g.offset[n] + (i * k + a) * H_p + h`` with ``k``
children and ``p`` the player to act.
Copy numbers: a card's slot is its index in ``g.deck`` (the cards not on the spot's board). The
first card dealt gives copy ``g.copy_of_slot[slot]``, defined for the representatives of its
suit classes only (`holdem.search.suits`; every card when the spot has no symmetry), and
``g.first_slot[copy]`` is that card's slot; the second card gives ``g.second_copy[first_copy,
slot]``, defined for the representatives of its classes under the symmetries fixing the first
card (without a symmetry: ``first_copy * (len(deck) - 1) + slot'`` where ``slot'`` skips the
first card's slot). A river board has the copy number of its showdowns, and ``g.plans``
(`holdem.search.terminal_values.ShowdownPlans`) the places of both players' hands on it in rank
order, by which a showdown costs linear time. A chance node that deals the last card of an
all-in line (`holdem.search.spot_tree.SpotTree.deals_the_last_card`) is not walked card by card:
its values are one product with ``g.runout_equity[copy]``, the matrix of its board before that
card (`holdem.search.runouts`).

Modes: `MODE_CFR` updates regrets and strategy sums of the traverser with the current strategy
of both; `MODE_BEST_RESPONSE` returns the traverser's best-response values against the
opponent's average strategy; `MODE_AVERAGE` the values of the average strategies of both.
Phases let the caller run the first street on one thread and the subtrees below its chance
nodes on many (`holdem.search.solver`): `PHASE_COLLECT` walks the first street only, storing
the reach vectors that arrive at each of its chance nodes and changing nothing; `PHASE_FINISH`
walks it again, reading the values of those chance nodes from ``leaf_values``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.borrowed import borrowed
from holdem.search.runouts import runout_values
from holdem.search.terminal_values import (
    fold_values,
    fold_values_after_showdown,
    scratch_size,
    showdown_values,
)

ACTION, FOLD, SHOWDOWN, CHANCE = 0, 1, 2, 3
MODE_CFR, MODE_BEST_RESPONSE, MODE_AVERAGE = 0, 1, 2
REGRET_STEPS, SUM_STEPS = 32767.0, 65535.0
"""The largest magnitude of a compressed node's regrets (int16) and strategy sums (uint16)."""
PHASE_ALL, PHASE_COLLECT, PHASE_FINISH = 0, 1, 2


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _normalised(sums, base, out, first, k, total):  # type: ignore[no-untyped-def]
    """``out[first + a, h]``: the positive part of ``sums[base + a * H + h]`` over its total
    for hand ``h`` (the totals go to ``total``, H floats of scratch); uniform for a hand whose
    positive parts are all 0.

    The kernels of a walk are inlined into it (``inline="always"``) and index whole arrays
    rather than slices of them: a called kernel takes a reference to each array it is passed,
    and a slice makes a new one, each an atomic count (they took 8 to 10% of an iteration).
    Indices into the flat tables are unsigned, so the loops need no wrap-around check and
    vectorise; the totals row is apart from ``out`` for the same reason."""
    n_hands = out.shape[1]
    b = np.uint64(base)
    n = np.uint64(n_hands)
    for h in range(n_hands):
        total[h] = max(np.float64(sums[b + np.uint64(h)]), 0.0)
    for a in range(1, k):
        row = b + np.uint64(a) * n
        for h in range(n_hands):
            total[h] += max(np.float64(sums[row + np.uint64(h)]), 0.0)
    for h in range(n_hands):
        total[h] = 1.0 / total[h] if total[h] > 0.0 else 0.0
    uniform = 1.0 / k
    for a in range(k):
        row = b + np.uint64(a) * n
        for h in range(n_hands):
            scale = total[h]
            positive = max(np.float64(sums[row + np.uint64(h)]), 0.0)
            out[first + a, h] = positive * scale if scale > 0.0 else uniform


@njit(cache=True, nogil=True, inline="always")
def _strategy_of(table, base, lock_values, lock, out, first, k, total):  # type: ignore[no-untyped-def]
    """``out[first : first + k]`` (k, H): the rows of ``table`` at ``base`` normalised
    (`_normalised`, ``total`` its scratch), or the locked strategy at ``lock_values[lock:]``
    when ``lock`` >= 0."""
    if lock < 0:
        _normalised(table, base, out, first, k, total)
        return
    n_hands = out.shape[1]
    for a in range(k):
        for h in range(n_hands):
            out[first + a, h] = lock_values[lock + a * n_hands + h]


@njit(cache=True, nogil=True)
def node_strategy(g, table, node, inst, out):  # type: ignore[no-untyped-def]
    """The strategy at ``node`` copy ``inst`` from ``table``: the strategy sums give the
    average strategy, the regrets the current one (regret matching); a lock wins. ``out`` (k,
    H) float64."""
    k, n_hands = out.shape
    base = g.offset[node] + inst * k * n_hands
    _strategy_of(table, base, g.lock_values, g.lock_offset[node], out, 0, k, np.empty(n_hands))


@njit(cache=True, nogil=True)
def _plays_current(mode, acting):  # type: ignore[no-untyped-def]
    """Whether a player plays its current strategy (else its average) in a walk of ``mode``:
    while iterating, and the traverser's own moves in a best response (which then takes the
    best action anyway)."""
    return mode == MODE_CFR or (mode == MODE_BEST_RESPONSE and acting)


@njit(cache=True, nogil=True, inline="always")
def _fold_payoff(commit, player, node, trav):  # type: ignore[no-untyped-def]
    """What the traverser wins at fold node ``node`` (its ``player`` is the one who folded)."""
    folder = player[node]
    won = commit[node, folder]
    return -won if folder == trav else won


@njit(cache=True, nogil=True, inline="always")
def _any_positive(rows, r):  # type: ignore[no-untyped-def]
    """Whether any entry of ``rows[r]`` (a reach, never negative) is above 0: stops at the
    first (a reach is rarely 0 for every hand, so this is most often one read, not a sum)."""
    for h in range(rows.shape[1]):  # noqa: SIM110 (a generator in any() would not compile to a plain loop)
        if rows[r, h] > 0.0:
            return True
    return False


@njit(cache=True, nogil=True, inline="always")
def _zero_card(hands, start, card, vector):  # type: ignore[no-untyped-def]
    """Zero the entries of a player's hands that hold ``card`` (``hands[start[card] :
    start[card + 1]]``, its ``g.card_hands`` and ``g.card_start``)."""
    for i in range(start[card], start[card + 1]):
        vector[hands[i]] = 0.0


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _next_regret(regret, gain, positive, negative, floor):  # type: ignore[no-untyped-def]
    """A cumulative regret after one iteration: discounted by its sign (``positive`` or
    ``negative``), the iteration's ``gain`` added, floored at 0 when ``floor`` > 0 (CFR+)."""
    r = regret * (positive if regret > 0.0 else negative) + gain
    return max(r, 0.0) if floor > 0.0 else r


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _traverser_node(  # type: ignore[no-untyped-def]
    regret,
    strategy_sum,
    scales,
    block,
    base,
    locked,
    strategy,
    values,
    first,
    k,
    reach_rows,
    reach_row,
    mode,
    frozen,
    discounts,
    out_rows,
    out_row,
):
    """The traverser's values ``out_rows[out_row]`` at its own node from its ``k`` actions'
    values ``values[first : first + k]`` (H each): the best action's (`MODE_BEST_RESPONSE`; at
    a ``locked`` node the lock's mix, so a best response keeps the lock) or the mix of the
    strategy ``strategy[first : first + k]``; in `MODE_CFR`, unless ``frozen`` or locked, the
    node's regrets and strategy sums (rows at ``base``; compressed tables with their scales at
    ``scales[:, block]``, `_update_compressed`) take this iteration's, the sums weighted by the
    traverser's reach ``reach_rows[reach_row]``."""
    n_hands = values.shape[1]
    if mode == MODE_BEST_RESPONSE and not locked:
        for h in range(n_hands):
            out_rows[out_row, h] = values[first, h]
        for a in range(1, k):
            for h in range(n_hands):
                out_rows[out_row, h] = max(out_rows[out_row, h], values[first + a, h])
        return
    for h in range(n_hands):
        out_rows[out_row, h] = strategy[first, h] * values[first, h]
    for a in range(1, k):
        for h in range(n_hands):
            out_rows[out_row, h] += strategy[first + a, h] * values[first + a, h]
    if mode != MODE_CFR or frozen or locked:
        return
    if scales.shape[1] > 0:
        _update_compressed(
            regret, strategy_sum, scales, block, base, strategy[first : first + k],
            values[first : first + k], reach_rows[reach_row], discounts, out_rows[out_row],
        )  # fmt: skip
        return
    positive, negative, keep, floor = discounts[0], discounts[1], discounts[2], discounts[3]
    n = np.uint64(n_hands)
    for a in range(k):
        row = np.uint64(base) + np.uint64(a) * n
        for h in range(n_hands):
            i = row + np.uint64(h)
            gain = values[first + a, h] - out_rows[out_row, h]
            regret[i] = _next_regret(regret[i], gain, positive, negative, floor)
            strategy_sum[i] = (
                strategy_sum[i] * keep + reach_rows[reach_row, h] * strategy[first + a, h]
            )


@njit(cache=True, nogil=True, fastmath=True)
def _update_compressed(  # type: ignore[no-untyped-def]
    regret, strategy_sum, scales, block, base, strategy, values, reach_t, discounts, out
):
    """`_traverser_node`'s update on 16-bit tables: one node copy's regrets are int16 and its
    strategy sums uint16, each table's block a multiple of its scale (``scales[0, block]`` /
    32767 per regret unit, ``scales[1, block]`` / 65535 per sum unit, the block's largest
    magnitude); decoded, updated in float64, and written back rounded to the nearest step of
    the new largest magnitude (postflop-solver's compression, b-inary, 2022: half the memory of
    float32 for a loss of precision relative to each node's largest entry)."""
    k, n_hands = values.shape
    positive, negative, keep, floor = discounts[0], discounts[1], discounts[2], discounts[3]
    regret_unit = scales[0, block] / REGRET_STEPS
    sum_unit = scales[1, block] / SUM_STEPS
    new_regrets = np.empty((k, n_hands))
    new_sums = np.empty((k, n_hands))
    largest_regret = 0.0
    largest_sum = 0.0
    for a in range(k):
        regrets = regret[base + a * n_hands : base + (a + 1) * n_hands]
        sums = strategy_sum[base + a * n_hands : base + (a + 1) * n_hands]
        action_values = values[a]
        shares = strategy[a]
        regrets_out = new_regrets[a]
        sums_out = new_sums[a]
        for h in range(n_hands):
            gain = action_values[h] - out[h]
            r = _next_regret(regrets[h] * regret_unit, gain, positive, negative, floor)
            regrets_out[h] = r
            largest_regret = max(largest_regret, abs(r))
            total = sums[h] * sum_unit * keep + reach_t[h] * shares[h]
            sums_out[h] = total
            largest_sum = max(largest_sum, total)
    to_regret = REGRET_STEPS / largest_regret if largest_regret > 0.0 else 0.0
    to_sum = SUM_STEPS / largest_sum if largest_sum > 0.0 else 0.0
    for a in range(k):
        regrets = regret[base + a * n_hands : base + (a + 1) * n_hands]
        sums = strategy_sum[base + a * n_hands : base + (a + 1) * n_hands]
        regrets_out = new_regrets[a]
        sums_out = new_sums[a]
        for h in range(n_hands):
            regrets[h] = np.int16(np.rint(regrets_out[h] * to_regret))
            sums[h] = np.uint16(np.rint(sums_out[h] * to_sum))
    scales[0, block] = largest_regret
    scales[1, block] = largest_sum


@njit(cache=True, nogil=True)
def river_workspace(g, roots, n_t, n_o):  # type: ignore[no-untyped-def]
    """The scratch rows `_river` needs for the subtree at any node of ``roots`` (module
    docstring of `_river`), made once for all the river cards below one chance node, or for
    all the tasks of `walk_tasks`."""
    size = 1
    n_edges = 1
    for root in roots:
        subtree = g.subtree_end[root] - root
        last = root + subtree - 1
        size = max(size, subtree)
        n_edges = max(n_edges, g.child_start[last] + g.n_children[last] - g.child_start[root])
    return (
        np.empty((size, n_t)),
        np.empty((size, n_o)),
        np.empty(size, np.int64),
        np.empty(size, np.int64),
        np.empty(size, np.int64),
        np.empty((n_edges, n_t)),
        np.empty((n_edges, n_o)),
        np.empty((n_edges + 1, n_t)),
        np.empty(scratch_size(n_o)),
        np.empty(max(n_t, n_o)),
    )


@njit(cache=True, nogil=True, inline="always")
def _dealt(holding, card, reach_t, reach_o, child_t, child_o):  # type: ignore[no-untyped-def]
    """``child_t``, ``child_o``: the reach vectors below a chance node dealing ``card`` (the
    hands holding it cannot be there; ``holding``: `_holding`)."""
    child_t[:] = reach_t
    child_o[:] = reach_o
    _zero_card(holding[0], holding[1], card, child_t)
    _zero_card(holding[2], holding[3], card, child_o)


@njit(cache=True, nogil=True)
def _holding(g, trav):  # type: ignore[no-untyped-def]
    """The traverser's and the opponent's hands by card and where each card's begin, bound once
    per chance node (each array read out of ``g`` costs an atomic reference count)."""
    return g.card_hands[trav], g.card_start[trav], g.card_hands[1 - trav], g.card_start[1 - trav]


@njit(cache=True, nogil=True)
def _river(  # type: ignore[no-untyped-def]
    g, regret, strategy_sum, scales, root, inst, trav, reach_t, reach_o, mode, discounts, work,
    out,
):  # fmt: skip
    """`walk` of a river subtree without recursion: its nodes are ``root .. g.subtree_end[root]
    - 1`` (depth-first numbering), so one pass forward gives every node's reach vectors and one
    pass backward its values.

    Scratch rows (``work``, `river_workspace`): a node's reach vectors are rows indexed by the
    node (a child that the other player's action leads to shares its parent's row of the
    unchanged vector); strategies and values are rows indexed by the edge into a child
    (``g.child_start[node] + a``, counted from the root's first edge), so the rows of one
    node's actions are contiguous; the root's values take the last row of values; one row of
    totals serves regret matching (`_normalised`).

    The arrays of ``g`` and of ``work`` are bound once, as borrowed views (`holdem.borrowed`),
    and the kernels take arrays and row numbers, not ``g`` or rows: each array read out of
    ``g``, each slice and each array an inlined kernel receives would otherwise cost atomic
    reference counts."""
    kind, player, n_children = borrowed(g.kind), borrowed(g.player), borrowed(g.n_children)
    child_start, children = borrowed(g.child_start), borrowed(g.children)
    commit = borrowed(g.commit)
    offset, lock_offset = borrowed(g.offset), borrowed(g.lock_offset)
    lock_values = borrowed(g.lock_values)
    block_offset = borrowed(g.block_offset)
    hands_t, hands_o = borrowed(g.hands[trav]), borrowed(g.hands[1 - trav])
    same_t = borrowed(g.same[trav])
    first_o = borrowed(g.first_start[1 - trav])
    order_o = borrowed(g.plans.order[1 - trav][inst])
    flat_o = borrowed(g.plans.flat[1 - trav][inst])
    bounds_t = borrowed(g.plans.bounds[trav][inst])
    start_o = borrowed(g.card_start[1 - trav])
    regret, strategy_sum, scales = borrowed(regret), borrowed(strategy_sum), borrowed(scales)
    discounts = borrowed(discounts)
    size = g.subtree_end[root] - root
    first_edge = child_start[root]
    n_t = reach_t.shape[0]
    reach_rows_t, reach_rows_o = borrowed(work[0]), borrowed(work[1])
    row_t, row_o, edge_into = borrowed(work[2]), borrowed(work[3]), borrowed(work[4])
    strategy_t, strategy_o = borrowed(work[5]), borrowed(work[6])
    edge_values, scratch, totals = borrowed(work[7]), borrowed(work[8]), borrowed(work[9])
    reach_rows_t[0] = reach_t
    reach_rows_o[0] = reach_o
    row_t[0] = 0
    row_o[0] = 0
    for i in range(size):
        node = root + i
        if kind[node] != ACTION:
            continue
        k = n_children[node]
        e = child_start[node] - first_edge
        acting = player[node] == trav
        # a best response takes the traverser's best action, so it needs no strategy of the
        # traverser's (but a lock's, which it keeps); only iterating needs its reach (for its
        # strategy sums): a best response's walks cost a quarter less
        mixes = not acting or mode != MODE_BEST_RESPONSE or lock_offset[node] >= 0
        reached = not acting or mode == MODE_CFR
        strategy = strategy_t if acting else strategy_o
        base = offset[node] + inst * k * strategy.shape[1]
        # (two calls: compressed tables have two types, which one variable cannot hold)
        if mixes and _plays_current(mode, acting):
            _strategy_of(regret, base, lock_values, lock_offset[node], strategy, e, k, totals)
        elif mixes:
            _strategy_of(strategy_sum, base, lock_values, lock_offset[node], strategy, e, k, totals)
        rows = reach_rows_t if acting else reach_rows_o
        parent = row_t[i] if acting else row_o[i]
        n_hands = strategy.shape[1]
        for a in range(k):
            j = children[child_start[node] + a] - root
            edge_into[j] = e + a
            if acting:
                row_t[j] = j
                row_o[j] = row_o[i]
            else:
                row_o[j] = j
                row_t[j] = row_t[i]
            if reached:
                for h in range(n_hands):
                    rows[j, h] = rows[parent, h] * strategy[e + a, h]
    # the opponent's reach row whose sums the last showdown left in ``scratch``: a fold below
    # the same node comes right after its call in this backward order and reuses them
    swept = -1
    root_row = edge_values.shape[0] - 1
    for i in range(size - 1, -1, -1):
        node = root + i
        node_kind = kind[node]
        target_row = root_row if i == 0 else edge_into[i]
        if node_kind != ACTION:  # a fold or a showdown (no chance node below the river)
            r = row_o[i]
            if not _any_positive(reach_rows_o, r):
                # the opponent never gets here this iteration: every value is 0, no sweep needed
                for h in range(n_t):
                    edge_values[target_row, h] = 0.0
            elif node_kind == FOLD:
                payoff = _fold_payoff(commit, player, node, trav)
                if r == swept:
                    fold_values_after_showdown(
                        payoff, hands_t, same_t, reach_rows_o, r, scratch, edge_values, target_row
                    )
                else:
                    fold_values(
                        payoff, hands_t, hands_o, first_o, same_t, reach_rows_o, r, scratch,
                        edge_values, target_row,
                    )  # fmt: skip
            else:
                showdown_values(
                    commit[node, 0], order_o, flat_o, start_o, bounds_t, reach_rows_o, r,
                    scratch, edge_values, target_row,
                )  # fmt: skip
                swept = r
        else:
            k = n_children[node]
            e = child_start[node] - first_edge
            if player[node] != trav:
                for h in range(n_t):
                    edge_values[target_row, h] = edge_values[e, h]
                for a in range(1, k):
                    for h in range(n_t):
                        edge_values[target_row, h] += edge_values[e + a, h]
            else:
                base = offset[node] + inst * k * n_t
                _traverser_node(
                    regret, strategy_sum, scales, block_offset[node] + inst, base,
                    lock_offset[node] >= 0, strategy_t, edge_values, e, k, reach_rows_t,
                    row_t[i], mode, False, discounts, edge_values, target_row,
                )  # fmt: skip
    out[:] = edge_values[root_row]


@njit(cache=True, nogil=True)
def walk(  # type: ignore[no-untyped-def]
    g,
    regret,
    strategy_sum,
    scales,
    node,
    inst,
    trav,
    reach_t,
    reach_o,
    mode,
    phase,
    discounts,
    leaf_reach_t,
    leaf_reach_o,
    leaf_values,
    out,
):
    """The traverser's counterfactual values ``out`` (H_trav,) at ``node`` copy ``inst``: a
    fold, a chance node, or a decision (the river's below it in `_river`, where the showdowns
    are; the others are behind a chance node that deals the last card to an all-in line).

    ``discounts`` = (positive regrets, negative regrets, strategy sums, floor at 0): the factors
    applied to the stored sums before this iteration's are added (`MODE_CFR`).
    """
    kind = g.kind[node]
    if kind == FOLD:
        payoff = _fold_payoff(g.commit, g.player, node, trav)
        opp = 1 - trav
        fold_values(
            payoff, g.hands[trav], g.hands[opp], g.first_start[opp], g.same[trav],
            reach_o.reshape(1, -1), 0, np.empty(scratch_size(reach_o.shape[0])),
            out.reshape(1, -1), 0,
        )  # fmt: skip
        return
    if kind == CHANCE:
        # (a depth-limited tree's chance nodes are leaves, without a child)
        child = g.children[g.child_start[node]] if g.n_children[node] > 0 else -1
        if child >= 0 and g.kind[child] == SHOWDOWN:
            # all in before the last card: every card at once (`holdem.search.runouts`), in
            # every phase (no thread has a task below it: `SpotSolver._tasks`)
            runout_values(g.runout_equity[inst], trav, g.commit[child, 0], reach_o, out)
            return
        if g.chance_depth[node] == 0 and phase == PHASE_COLLECT:
            leaf = g.leaf_index[node]
            leaf_reach_t[leaf, :] = reach_t
            leaf_reach_o[leaf, :] = reach_o
            out[:] = 0.0
            return
        if g.chance_depth[node] == 0 and phase == PHASE_FINISH:
            out[:] = leaf_values[g.leaf_index[node]]
            return
        # deal the next card: the mean over the cards left of the child's values (each card,
        # given both hands, is one of ``52 - board - 4``)
        depth = g.chance_depth[node]
        n_deck = g.deck.shape[0]
        first_slot = g.first_slot[inst] if depth == 1 else -1
        unseen = 52 - (g.board_size + depth) - 4
        out[:] = 0.0
        child_out = np.empty_like(out)
        child_t = np.empty_like(reach_t)
        child_o = np.empty_like(reach_o)
        # the second card's values per slot, kept for the cards its representative stands for
        second_values = np.empty((n_deck if depth == 1 else 0, out.shape[0]))
        # a river decision below: its scratch rows made once for every card (empty otherwise)
        river = g.kind[child] == ACTION and g.street[child] == 2
        rows_t, rows_o = (out.shape[0], reach_o.shape[0]) if river else (0, 0)
        work = river_workspace(g, np.array([child]), rows_t, rows_o)
        holding = _holding(g, trav)
        for slot in range(n_deck):
            if slot == first_slot:
                continue
            card = g.deck[slot]
            if depth == 0:
                # the first card's copies are its suit classes (`holdem.search.suits`); a
                # card that is not its class's representative is never walked (the caller
                # permutes the representative's values)
                child_inst = g.copy_of_slot[slot]
            else:
                # the second's are its classes under the symmetries fixing the first; the
                # others take their representative's values after this loop
                child_inst = g.second_copy[inst, slot]
                if child_inst < 0:
                    continue
            _dealt(holding, card, reach_t, reach_o, child_t, child_o)
            if river:
                _river(
                    g, regret, strategy_sum, scales, child, child_inst, trav, child_t, child_o,
                    mode, discounts, work, child_out,
                )  # fmt: skip
            else:
                walk(
                    g, regret, strategy_sum, scales, child, child_inst, trav, child_t, child_o,
                    mode, np.int64(PHASE_ALL), discounts, leaf_reach_t, leaf_reach_o,
                    leaf_values, child_out,
                )  # fmt: skip
            _zero_card(holding[0], holding[1], card, child_out)
            if depth == 1:
                second_values[slot] = child_out
            else:
                out += child_out
        if depth == 1:
            # summed in slot order, as without the symmetry
            for slot in range(n_deck):
                if slot == first_slot:
                    continue
                if g.second_copy[inst, slot] >= 0:
                    out += second_values[slot]
                    continue
                # each hand's value is its preimage's under the permutation taking the class's
                # representative to this card
                source = second_values[g.second_representative[inst, slot]]
                perm = g.hand_perms[trav][g.second_mapping[inst, slot]]
                for h in range(out.shape[0]):
                    out[h] += source[perm[h]]
        out /= unseen
        return
    if g.street[node] == 2:
        work = river_workspace(g, np.array([node]), out.shape[0], reach_o.shape[0])
        _river(
            g, regret, strategy_sum, scales, node, inst, trav, reach_t, reach_o, mode, discounts,
            work, out,
        )  # fmt: skip
        return
    player = g.player[node]
    k = g.n_children[node]
    first = g.child_start[node]
    n_hands = g.hands[player].shape[0]
    strategy = np.empty((k, n_hands))
    base = g.offset[node] + inst * k * n_hands
    if _plays_current(mode, player == trav):
        _strategy_of(
            regret, base, g.lock_values, g.lock_offset[node], strategy, 0, k, np.empty(n_hands)
        )
    else:
        _strategy_of(
            strategy_sum,
            base,
            g.lock_values,
            g.lock_offset[node],
            strategy,
            0,
            k,
            np.empty(n_hands),
        )
    # each action scales the acting player's reach; the other's passes down unchanged
    acting = reach_t if player == trav else reach_o
    child_reach = np.empty_like(acting)
    values = np.empty((k, out.shape[0]))
    for a in range(k):
        for h in range(n_hands):
            child_reach[h] = acting[h] * strategy[a, h]
        child_t, child_o = (child_reach, reach_o) if player == trav else (reach_t, child_reach)
        walk(
            g, regret, strategy_sum, scales, np.int64(g.children[first + a]), inst, trav, child_t,
            child_o, mode, phase, discounts, leaf_reach_t, leaf_reach_o, leaf_values,
            values[a],
        )  # fmt: skip
    if player != trav:
        out[:] = 0.0
        for a in range(k):
            out += values[a]
        return
    _traverser_node(
        regret, strategy_sum, scales, g.block_offset[node] + inst, base, g.lock_offset[node] >= 0,
        strategy, values, 0, k, reach_t.reshape(1, -1), 0, mode, phase == PHASE_COLLECT,
        discounts, out.reshape(1, -1), 0,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def walk_tasks(  # type: ignore[no-untyped-def]
    g,
    regret,
    strategy_sum,
    scales,
    tasks,
    trav,
    mode,
    discounts,
    leaf_reach_t,
    leaf_reach_o,
    leaf_values,
    per_card,
):
    """The values of each ``(leaf, slot)`` row of ``tasks`` into ``per_card[leaf, slot]``: the
    first street's chance node number ``leaf`` (copy 0) dealing the card in ``slot``, the
    values of the subtree below, card removed and unscaled. The reach rows and a river
    subtree's scratch rows are made once for all the tasks (a turn spot's task is one river
    card, whose walk is short: one allocation per task cost more than the walk's arithmetic
    saves)."""
    n_t, n_o = leaf_reach_t.shape[1], leaf_reach_o.shape[1]
    child_t = np.empty(n_t)
    child_o = np.empty(n_o)
    roots = np.empty(tasks.shape[0], np.int64)
    n_rivers = 0
    for i in range(tasks.shape[0]):
        child = g.children[g.child_start[g.leaves[tasks[i, 0]]]]
        if g.kind[child] == ACTION and g.street[child] == 2:
            roots[n_rivers] = child
            n_rivers += 1
    rows_t, rows_o = (n_t, n_o) if n_rivers else (0, 0)
    work = river_workspace(g, roots[:n_rivers], rows_t, rows_o)
    holding = _holding(g, trav)
    for i in range(tasks.shape[0]):
        leaf = tasks[i, 0]
        slot = tasks[i, 1]
        child = g.children[g.child_start[g.leaves[leaf]]]
        card = g.deck[slot]
        out = per_card[leaf, slot]
        _dealt(holding, card, leaf_reach_t[leaf], leaf_reach_o[leaf], child_t, child_o)
        if g.kind[child] == ACTION and g.street[child] == 2:
            _river(
                g, regret, strategy_sum, scales, child, g.copy_of_slot[slot], trav, child_t,
                child_o, mode, discounts, work, out,
            )  # fmt: skip
        else:
            walk(
                g, regret, strategy_sum, scales, child, g.copy_of_slot[slot], trav, child_t,
                child_o, mode, np.int64(PHASE_ALL), discounts, leaf_reach_t, leaf_reach_o,
                leaf_values, out,
            )  # fmt: skip
        _zero_card(holding[0], holding[1], card, out)


@njit(cache=True, nogil=True)
def continuation_values(  # type: ignore[no-untyped-def]
    rest_t,
    rest_o,
    folder,
    commit,
    plans,
    start_o,
    weight,
    hands_t,
    hands_o,
    first_o,
    same_t,
    regret_t,
    sum_t,
    regret_o,
    sum_o,
    base_t,
    base_o,
    trav,
    reach_t,
    reach_o,
    mode,
    discounts,
    out,
):
    """The traverser's values ``out`` at a leaf of depth-limited solving, where both players
    choose, at once, one of ``k`` continuation strategies for the rest of the game
    (`holdem.search.continuation`).

    ``rest_p[s, r, z, h]``: the probability that player ``p``'s hand ``h``, playing its strategy
    ``s`` on runout ``r`` (boards of ``plans``, each of probability ``weight`` for a pair of
    hands sharing no card with it), takes its part of the path to terminal ``z`` (a fold of
    ``folder[z]``, or a showdown when it is -1; ``commit[z]`` the chips in). The choices are
    rows at ``base_p`` of each player's choice tables, regret matched or averaged like an
    action node's; the traverser's are updated as its own node's are (`_traverser_node`).

    The opponent's reach into each terminal mixes its strategies once (``Σ_s rest_o[s] ·
    choice_o[s] · reach_o``); one fold or showdown sweep gives that terminal's value per hand,
    which each of the traverser's strategies weighs by its own probability of the path."""
    k, n_runouts, n_terminals = rest_t.shape[0], rest_t.shape[1], rest_t.shape[2]
    n_t = reach_t.shape[0]
    n_o = reach_o.shape[0]
    choice_t = np.empty((k, n_t))
    choice_o = np.empty((k, n_o))
    _normalised(
        regret_t if _plays_current(mode, True) else sum_t, base_t, choice_t, 0, k, np.empty(n_t)
    )
    _normalised(
        regret_o if _plays_current(mode, False) else sum_o, base_o, choice_o, 0, k, np.empty(n_o)
    )
    mixed = np.empty((k, n_o))
    for s in range(k):
        for h in range(n_o):
            mixed[s, h] = reach_o[h] * choice_o[s, h]
    values = np.zeros((k, n_t))
    into_row = np.empty((1, n_o))
    into = into_row[0]
    part_row = np.empty((1, n_t))
    part = part_row[0]
    scratch = np.empty(scratch_size(n_o))
    for r in range(n_runouts):
        order_o, flat_o = plans.order[1 - trav][r], plans.flat[1 - trav][r]
        bounds_t = plans.bounds[trav][r]
        for z in range(n_terminals):
            into[:] = 0.0
            for s in range(k):
                path = rest_o[s, r, z]
                share = mixed[s]
                for h in range(n_o):
                    into[h] += path[h] * share[h]
            if not _any_positive(into_row, 0):
                continue
            if folder[z] >= 0:
                won = commit[z, folder[z]]
                payoff = -won if folder[z] == trav else won
                fold_values(
                    payoff, hands_t, hands_o, first_o, same_t, into_row, 0, scratch, part_row, 0
                )
            else:
                showdown_values(
                    commit[z, 0], order_o, flat_o, start_o, bounds_t, into_row, 0, scratch,
                    part_row, 0,
                )  # fmt: skip
            for s in range(k):
                path = rest_t[s, r, z]
                row = values[s]
                for h in range(n_t):
                    row[h] += weight * path[h] * part[h]
    _traverser_node(
        regret_t, sum_t, np.empty((2, 0)), 0, base_t, False, choice_t, values, 0, k,
        reach_t.reshape(1, -1), 0, mode, False, discounts, out.reshape(1, -1), 0,
    )  # fmt: skip
