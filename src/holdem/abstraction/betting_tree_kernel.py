"""The Numba kernels that compile a `BettingSpec` into the arrays of a `BettingTree`.

`holdem.abstraction.betting_tree.compile_tree` drives them; the node and action codes defined
here are documented (and re-exported) there. Two passes over the tree:

- `count_nodes` walks it depth-first with an explicit stack and only counts, so the arrays are
  allocated at their exact size (memory: the tree plus 12 bytes per node while it is built,
  instead of the two to three times the tree that growing arrays by doubling can need);
- `fill` numbers the nodes breadth-first and writes them.

Both expand a decision node the same way: `_raise_targets` lists its raises and `_child` gives
each child. A *draft* is the betting state a node is expanded from, a tuple of int64: kind,
street, seat to act, folded mask, pending mask (seats still to act on the street), bets and
raises made on the street and the largest raise increment on the street. A child's draft adds
the action into it and the acting seat's chips after it; its chips are its parent's with that
one entry changed.

Speed (Numba 0.68): helpers that take only scalars are inlined; helpers that take arrays call
no other jitted function (any call may raise, and those exits keep Numba from dropping the
reference counting of the array arguments) and no array is rebound inside a loop (the stack
grows in `count_nodes`, outside `_count_below`'s loop). Otherwise atomic reference counts per
array per call cost more than all the rest.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_spec import BettingSpec

DECISION = 0
FOLD_END = 1
SHOWDOWN = 2

FOLD = 0
CALL = 1
RAISE = 2

MAX_ACTIONS = 64
"""Most actions a node may offer; kernels size their per-node buffers with it."""

DONE, TOO_WIDE, FULL = 0, 1, 2
"""What `fill` reports: the tree is complete, a node offers more than `MAX_ACTIONS` actions,
or the tree has more nodes than the arrays hold."""

NODE_ARRAYS = (
    "kind",
    "player",
    "street",
    "n_actions",
    "first_child",
    "folded",
    "parent",
    "action_kind",
    "action_to",
)
"""The per-node int32 arrays of a `BettingTree`, in the order of the rows of `fill`'s block."""

(
    _KIND_ROW,
    _PLAYER_ROW,
    _STREET_ROW,
    _N_ACTIONS_ROW,
    _FIRST_CHILD_ROW,
    _FOLDED_ROW,
    _PARENT_ROW,
    _ACTION_KIND_ROW,
    _ACTION_TO_ROW,
) = range(len(NODE_ARRAYS))

_KIND, _STREET, _TO_ACT, _FOLDED, _PENDING, _RAISES, _LAST, _ACTION, _ACTION_TO = range(9)
_DRAFT_COLUMNS = 7


def spec_arrays(
    spec: BettingSpec,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The spec as the padded arrays the kernels read, in their argument order.

    ``rules = [n_players, stack, big_blind]`` (int64); ``streets[s] = [first_player,
    max_raises, all_in, depths, limp]`` (int64, ``depths = len(sizes)``, ``limp`` 1 when a seat
    facing only the blinds may call); ``n_sizes[s, d]`` (int64), ``size_chips[s, d, k]`` (bool)
    and ``size_amount[s, d, k]`` (float64) give the sizes offered at raise depth ``d``;
    ``root_chips[0]`` (int32, one row) holds the forced bets. Amounts are capped at the stack: a
    size that large is an all-in either way, and the products stay far from overflow.
    """
    depths = max(1, max(len(s.sizes) for s in spec.streets))
    width = max(1, max((len(o) for s in spec.streets for o in s.sizes), default=0))
    streets = np.zeros((spec.n_streets, 5), np.int64)
    n_sizes = np.zeros((spec.n_streets, depths), np.int64)
    size_chips = np.zeros((spec.n_streets, depths, width), np.bool_)
    size_amount = np.zeros((spec.n_streets, depths, width), np.float64)
    for s, betting in enumerate(spec.streets):
        streets[s] = (
            betting.first_player,
            betting.max_raises,
            betting.all_in,
            len(betting.sizes),
            betting.limp,
        )
        for d, options in enumerate(betting.sizes):
            n_sizes[s, d] = len(options)
            for k, size in enumerate(options):
                size_chips[s, d, k] = size.kind == "chips"
                size_amount[s, d, k] = min(size.amount, spec.stack)
    rules = np.array([spec.n_players, spec.stack, spec.big_blind], np.int64)
    root_chips = np.array([[spec.forced_bet(s) for s in range(spec.n_players)]], np.int32)
    return rules, streets, n_sizes, size_chips, size_amount, root_chips


@njit(cache=True, nogil=True, inline="always")
def _int64(x: int) -> int:
    """``x`` as an int64 (never a literal constant, never int32): callees given it compile once."""
    return int(np.int64(x))


@njit(cache=True, nogil=True, inline="always")
def _popcount(mask: int) -> int:
    count = 0
    while mask:
        mask &= mask - 1
        count += 1
    return count


@njit(cache=True, nogil=True, inline="always")
def _next_seat(mask: int, after: int, n_players: int) -> int:
    """The first seat in ``mask`` strictly after seat ``after`` (may be -1), round the table."""
    seat = after
    for _ in range(n_players):
        seat += 1
        if seat == n_players:
            seat = 0
        if mask >> seat & 1:
            return seat
    return -1


@njit(cache=True, nogil=True, inline="always")
def _street_start(
    n_players: int, n_streets: int, first: int, street: int, folded: int, can_act: int
) -> tuple[int, int, int, int, int, int, int]:
    """Draft at the start of ``street`` (whose first seat is ``first``) when the seats in
    ``can_act`` can still bet: a showdown when no street is left or at most one can act."""
    if street >= n_streets or _popcount(can_act) <= 1:
        return SHOWDOWN, min(street, n_streets) - 1, -1, folded, 0, 0, 0
    return DECISION, street, _next_seat(can_act, first - 1, n_players), folded, can_act, 0, 0


@njit(cache=True, nogil=True, inline="always")
def _after(
    n_players: int,
    n_streets: int,
    first_next: int,
    street: int,
    actor: int,
    folded: int,
    all_in: int,
    pending: int,
    raises: int,
    last: int,
) -> tuple[int, int, int, int, int, int, int]:
    """Draft after seat ``actor`` acted on ``street``, leaving the seats in ``all_in`` all-in
    and those in ``pending`` still to act; ``first_next`` is the next street's first seat."""
    everyone = (1 << n_players) - 1
    if _popcount(everyone & ~folded) == 1:
        return FOLD_END, street, -1, folded, 0, 0, 0
    if pending == 0:
        can_act = everyone & ~folded & ~all_in
        return _street_start(n_players, n_streets, first_next, street + 1, folded, can_act)
    return DECISION, street, _next_seat(pending, actor, n_players), folded, pending, raises, last


@njit(cache=True, nogil=True, inline="always")
def _child(
    game: tuple[int, int, int, int],
    first_next: int,
    draft: tuple[int, int, int, int, int, int, int],
    top: int,
    all_in: int,
    mine: int,
    a: int,
    n_fold: int,
    n_call: int,
    target: int,
) -> tuple[int, int, int, int, int, int, int, int, int]:
    """Draft of child ``a`` of decision node ``draft``, with the action into it.

    Children come in action order: fold (``n_fold`` is 1 when facing a bet), check or call
    (``n_call`` is 0 where `_n_call` forbids a limp), then the raise to ``target`` chips.
    ``game = (n_players, n_streets, stack, big_blind)``; ``top``, ``all_in`` and ``mine``
    summarise the node's chips (largest, all-in mask, the actor's). The child's chips are the
    node's with the actor's set to ``action_to``.
    """
    n_players, n_streets, stack = game[0], game[1], game[2]
    street, seat, folded, pending = draft[_STREET], draft[_TO_ACT], draft[_FOLDED], draft[_PENDING]
    raises, last = draft[_RAISES], draft[_LAST]
    bit = 1 << seat
    if a < n_fold:
        action, action_to = FOLD, mine
        folded |= bit
        pending &= ~bit
    elif a < n_fold + n_call:
        action, action_to = CALL, min(top, stack)
        pending &= ~bit
    else:
        action, action_to = RAISE, target
        raises += 1
        last = max(last, target - top)
    all_in = all_in & ~bit | (bit if action_to >= stack else 0)
    if action == RAISE:
        pending = ((1 << n_players) - 1) & ~folded & ~all_in & ~bit
    d = _after(
        n_players, n_streets, first_next, street, seat, folded, all_in, pending, raises, last
    )
    return d[0], d[1], d[2], d[3], d[4], d[5], d[6], action, action_to


@njit(cache=True, nogil=True, inline="always")
def _n_call(limp: int, raises: int, top: int, mine: int) -> int:
    """1 when the actor may check or call; 0 for a limp on a street that forbids it: nobody
    has bet or raised (``raises == 0``, so the largest bet is a blind) and the actor has put
    in less (``mine < top``). The big blind's check (``mine == top``) stays."""
    return 0 if limp == 0 and raises == 0 and mine < top else 1


@njit(cache=True, nogil=True)
def _summary(chips: np.ndarray, row: int, stack: int) -> tuple[int, int, int]:
    """Largest entry, sum and all-in mask of ``chips[row]``."""
    top = 0
    pot = 0
    all_in = 0
    for seat in range(chips.shape[1]):
        put = int(chips[row, seat])
        top = max(top, put)
        pot += put
        if put >= stack:
            all_in |= 1 << seat
    return top, pot, all_in


@njit(cache=True, nogil=True)
def _raise_targets(
    game: tuple[int, int, int, int],
    streets: np.ndarray,
    n_sizes: np.ndarray,
    size_chips: np.ndarray,
    size_amount: np.ndarray,
    draft: tuple[int, int, int, int, int, int, int],
    top: int,
    pot: int,
    all_in: int,
    mine: int,
    targets: np.ndarray,
) -> int:
    """Chips the actor of ``draft`` would have in after each allowed raise, smallest first and
    without repeats, into ``targets``; returns how many.

    None when the street's raises are used up, the actor cannot put in more than a call, or no
    one else can still bet. Otherwise each size offered at this raise depth (a fixed number of
    chips, or a pot fraction lifted to the minimum raise), capped at the stack, plus all-in
    where the street allows it. It inserts into ``targets`` itself rather than calling a
    helper, to keep reference counting out (see the module docstring).
    """
    n_players, stack, big_blind = game[0], game[2], game[3]
    street, seat, folded, raises, last = (
        draft[_STREET],
        draft[_TO_ACT],
        draft[_FOLDED],
        draft[_RAISES],
        draft[_LAST],
    )
    max_raises, all_in_allowed, depths = streets[street, 1], streets[street, 2], streets[street, 3]
    others = ((1 << n_players) - 1) & ~folded & ~all_in & ~(1 << seat)
    allowed = raises < max_raises and stack - mine > top - mine and others != 0
    depth = min(raises, max(depths - 1, 0))
    n = n_sizes[street, depth] if allowed else 0
    min_increment = max(big_blind, last)
    count = 0
    for k in range(n + 1 if allowed and all_in_allowed else n):
        target = stack
        if k < n:
            amount = size_amount[street, depth, k]
            if size_chips[street, depth, k]:
                increment = amount
            else:
                # np.rint rounds half to even on the exact product, as Python's round does.
                increment = max(np.rint(amount * (pot + top - mine)), float(min_increment))
            if increment < stack - top:
                target = top + int(increment)
        position = 0
        while position < count and targets[position] < target:
            position += 1
        if position == count or targets[position] != target:
            for i in range(count, position, -1):
                targets[i] = targets[i - 1]
            targets[position] = target
            count += 1
    return count


@njit(cache=True, nogil=True)
def _root(
    game: tuple[int, int, int, int], streets: np.ndarray, root_chips: np.ndarray
) -> tuple[int, int, int, int, int, int, int]:
    """Draft of the root: the first street starts with the forced bets ``root_chips[0]``."""
    _, _, all_in = _summary(root_chips, _int64(0), game[2])
    can_act = ((1 << game[0]) - 1) & ~all_in
    return _street_start(game[0], game[1], streets[0, 0], 0, 0, can_act)


@njit(cache=True, nogil=True)
def _first_next(streets: np.ndarray, street: int) -> int:
    """First seat of the street after ``street`` (of the last street when there is none)."""
    return streets[min(street + 1, streets.shape[0] - 1), 0]


@njit(cache=True, nogil=True)
def count_nodes(
    rules: np.ndarray,
    streets: np.ndarray,
    n_sizes: np.ndarray,
    size_chips: np.ndarray,
    size_amount: np.ndarray,
    root_chips: np.ndarray,
    limit: int,
) -> int:
    """Nodes of the tree, found depth-first with an explicit stack of drafts (memory grows
    with the depth, not the size, of the tree). Stops as soon as the count passes ``limit``
    and then returns a number above it."""
    n_players = root_chips.shape[1]
    game = (n_players, streets.shape[0], rules[1], rules[2])
    most_children = size_amount.shape[2] + 3
    # Room for two expansions: the stack doubles as often as the tree's depth asks.
    drafts = np.empty((2 * most_children, _DRAFT_COLUMNS), np.int64)
    drafts_chips = np.empty((drafts.shape[0], n_players), np.int32)
    root = _root(game, streets, root_chips)
    for c in range(_DRAFT_COLUMNS):
        drafts[0, c] = root[c]
    for s in range(n_players):
        drafts_chips[0, s] = root_chips[0, s]
    # int64 from the start: a literal would compile _count_below once more for that constant
    depth = _int64(1 if root[_KIND] == DECISION else 0)
    count = _int64(1)
    while True:
        depth, count = _count_below(
            game,
            streets,
            n_sizes,
            size_chips,
            size_amount,
            drafts,
            drafts_chips,
            depth,
            count,
            limit,
        )
        if depth == 0 or count > limit:
            return count
        # element by element: a slice assignment compiles Numba's shape-mismatch message
        # (string formatting), seconds on a fresh machine
        grown = np.empty((2 * drafts.shape[0], _DRAFT_COLUMNS), np.int64)
        grown_chips = np.empty((grown.shape[0], n_players), np.int32)
        for i in range(depth):
            for c in range(_DRAFT_COLUMNS):
                grown[i, c] = drafts[i, c]
            for s in range(n_players):
                grown_chips[i, s] = drafts_chips[i, s]
        drafts = grown
        drafts_chips = grown_chips


@njit(cache=True, nogil=True)
def _count_below(
    game: tuple[int, int, int, int],
    streets: np.ndarray,
    n_sizes: np.ndarray,
    size_chips: np.ndarray,
    size_amount: np.ndarray,
    drafts: np.ndarray,
    drafts_chips: np.ndarray,
    depth: int,
    count: int,
    limit: int,
) -> tuple[int, int]:
    """Pop and expand the drafts on the stack ``drafts[:depth]`` (chips in ``drafts_chips``),
    pushing decision children and counting all of them, until the stack is empty, the count
    passes ``limit`` or the stack lacks room for another node's children. Returns the new
    ``(depth, count)``; the arrays never change inside the loop, which keeps Numba's reference
    counting out of it."""
    n_players = drafts_chips.shape[1]
    most_children = size_amount.shape[2] + 3
    targets = np.empty(most_children, np.int64)
    node_chips = np.empty((1, n_players), np.int32)
    while depth > 0 and count <= limit and depth - 1 + most_children <= drafts.shape[0]:
        depth -= 1
        draft = (
            drafts[depth, 0],
            drafts[depth, 1],
            drafts[depth, 2],
            drafts[depth, 3],
            drafts[depth, 4],
            drafts[depth, 5],
            drafts[depth, 6],
        )
        seat = draft[_TO_ACT]
        for s in range(n_players):
            node_chips[0, s] = drafts_chips[depth, s]
        top, pot, all_in = _summary(node_chips, _int64(0), game[2])
        mine = int(node_chips[0, seat])
        n_targets = _raise_targets(
            game, streets, n_sizes, size_chips, size_amount, draft, top, pot, all_in, mine, targets
        )
        n_fold = 1 if top > mine else 0
        n_call = _n_call(streets[draft[_STREET], 4], draft[_RAISES], top, mine)
        m = n_fold + n_call + n_targets
        count += m
        first_next = _first_next(streets, draft[_STREET])
        for a in range(m):
            target = targets[a - n_fold - n_call] if a >= n_fold + n_call else 0
            child = _child(game, first_next, draft, top, all_in, mine, a, n_fold, n_call, target)
            if child[_KIND] == DECISION:
                for c in range(_DRAFT_COLUMNS):
                    drafts[depth, c] = child[c]
                for s in range(n_players):
                    drafts_chips[depth, s] = node_chips[0, s]
                drafts_chips[depth, seat] = child[_ACTION_TO]
                depth += 1
    return depth, count


@njit(cache=True, nogil=True)
def fill(
    rules: np.ndarray,
    streets: np.ndarray,
    n_sizes: np.ndarray,
    size_chips: np.ndarray,
    size_amount: np.ndarray,
    root_chips: np.ndarray,
    nodes: np.ndarray,
    chips: np.ndarray,
    drafts: np.ndarray,
) -> tuple[int, int]:
    """Number the nodes breadth-first and write them into ``nodes`` (int32, one row per array
    named in `NODE_ARRAYS`, ``capacity`` columns) and ``chips`` (int32, ``(capacity,
    n_players)``).

    ``drafts`` (``(capacity, 3)`` int32) keeps each node's pending mask, raise count and last
    increment until the node is expanded. Returns ``(DONE, n_nodes)``; ``(TOO_WIDE,
    n_actions)`` at the first node, in breadth-first order, with more than `MAX_ACTIONS`
    actions; or ``(FULL, capacity)`` when a node's children do not fit.
    """
    capacity = nodes.shape[1]
    if capacity == 0:
        return FULL, capacity
    n_players = chips.shape[1]
    game = (n_players, streets.shape[0], rules[1], rules[2])
    targets = np.empty(size_amount.shape[2] + 1, np.int64)
    root = _root(game, streets, root_chips)
    for s in range(n_players):
        chips[0, s] = root_chips[0, s]
    nodes[_KIND_ROW, 0] = root[_KIND]
    nodes[_PLAYER_ROW, 0] = root[_TO_ACT]
    nodes[_STREET_ROW, 0] = root[_STREET]
    nodes[_N_ACTIONS_ROW, 0] = 0
    nodes[_FIRST_CHILD_ROW, 0] = -1
    nodes[_FOLDED_ROW, 0] = root[_FOLDED]
    nodes[_PARENT_ROW, 0] = -1
    nodes[_ACTION_KIND_ROW, 0] = -1
    nodes[_ACTION_TO_ROW, 0] = -1
    drafts[0, 0] = root[_PENDING]
    drafts[0, 1] = root[_RAISES]
    drafts[0, 2] = root[_LAST]
    n_nodes = 1
    for node in range(capacity):
        if node == n_nodes:
            break
        if nodes[_KIND_ROW, node] != DECISION:
            continue
        # int64 like count_nodes' drafts (int() of an int32 stays int32 in Numba), so both
        # passes share one compiled _raise_targets and _first_next
        draft = (
            _int64(DECISION),
            _int64(nodes[_STREET_ROW, node]),
            _int64(nodes[_PLAYER_ROW, node]),
            _int64(nodes[_FOLDED_ROW, node]),
            _int64(drafts[node, 0]),
            _int64(drafts[node, 1]),
            _int64(drafts[node, 2]),
        )
        top, pot, all_in = _summary(chips, node, game[2])
        seat = draft[_TO_ACT]
        mine = int(chips[node, seat])
        n_targets = _raise_targets(
            game, streets, n_sizes, size_chips, size_amount, draft, top, pot, all_in, mine, targets
        )
        n_fold = 1 if top > mine else 0
        n_call = _n_call(streets[draft[_STREET], 4], draft[_RAISES], top, mine)
        m = n_fold + n_call + n_targets
        if m > MAX_ACTIONS:
            return TOO_WIDE, m
        if n_nodes + m > capacity:
            return FULL, capacity
        nodes[_FIRST_CHILD_ROW, node] = n_nodes
        nodes[_N_ACTIONS_ROW, node] = m
        first_next = _first_next(streets, draft[_STREET])
        for a in range(m):
            target = targets[a - n_fold - n_call] if a >= n_fold + n_call else 0
            child = _child(game, first_next, draft, top, all_in, mine, a, n_fold, n_call, target)
            for s in range(n_players):
                chips[n_nodes, s] = chips[node, s]
            chips[n_nodes, seat] = child[_ACTION_TO]
            nodes[_KIND_ROW, n_nodes] = child[_KIND]
            nodes[_PLAYER_ROW, n_nodes] = child[_TO_ACT]
            nodes[_STREET_ROW, n_nodes] = child[_STREET]
            nodes[_N_ACTIONS_ROW, n_nodes] = 0
            nodes[_FIRST_CHILD_ROW, n_nodes] = -1
            nodes[_FOLDED_ROW, n_nodes] = child[_FOLDED]
            nodes[_PARENT_ROW, n_nodes] = node
            nodes[_ACTION_KIND_ROW, n_nodes] = child[_ACTION]
            nodes[_ACTION_TO_ROW, n_nodes] = child[_ACTION_TO]
            drafts[n_nodes, 0] = child[_PENDING]
            drafts[n_nodes, 1] = child[_RAISES]
            drafts[n_nodes, 2] = child[_LAST]
            n_nodes += 1
    return DONE, n_nodes


@njit(cache=True, nogil=True)
def preorder_ranks(kind: np.ndarray, first_child: np.ndarray, n_actions: np.ndarray) -> np.ndarray:
    """Each node's place (int64) in a depth-first walk from the root that takes the children in
    order: a subtree's nodes get consecutive places, so that table rows laid out in this order
    (`holdem.abstraction.betting_tree.TableLayout`) keep a traversal's rows together."""
    n_nodes = kind.shape[0]
    rank = np.empty(n_nodes, np.int64)
    stack = np.empty(n_nodes, np.int64)
    stack[0] = 0
    top = 1
    place = 0
    while top > 0:
        top -= 1
        node = stack[top]
        rank[node] = place
        place += 1
        if kind[node] == DECISION:
            for a in range(n_actions[node] - 1, -1, -1):
                stack[top] = first_child[node] + a
                top += 1
    return rank
