"""The public betting tree of a spot, as flat arrays the solver's kernels walk.

One node per betting history; a chance node (the turn or river card) has one child, the next
street's first node, shared by every card: the solver keeps one copy of a subtree's tables per
card dealt above it (see `holdem.search.vector_cfr`). Nodes are numbered depth-first from the
root (0), so a node's children come after it.

Arrays (``n`` nodes):

- ``kind[n]``: `ACTION`, `FOLD`, `SHOWDOWN` or `CHANCE`;
- ``player[n]``: the player to act (0 OOP, 1 IP) at an action node, the one who folded at a fold;
- ``street[n]``: 0 flop, 1 turn, 2 river;
- ``children[child_start[n] : child_start[n] + n_children[n]]``: the children, in action order;
- ``commit[n, p]``: chips player ``p`` has put in the pot in all, counting ``pot / 2`` each at
  the start;
- ``chance_depth[n]``: chance nodes above ``n`` (0, 1 or 2): a node has one copy per card dealt
  above it.

A depth-limited tree (``build_tree(spot, depth_limited=True)``) stops at the end of the spot's
first street: its chance nodes there have no children and are the leaves of depth-limited
solving (`holdem.search.continuation`).

Actions are written as `holdem strategy` writes real actions: ``x`` check, ``c`` call, ``f``
fold, ``b<chips>``/``r<chips>`` bet or raise to that many chips in the street, ``a`` all-in, and
``/`` then the card between streets (``xb750c/8d``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.search.spot import STREETS, BetTree, PlayerSizes, Spot

ACTION, FOLD, SHOWDOWN, CHANCE = 0, 1, 2, 3


@dataclass(frozen=True, eq=False)
class SpotTree:
    """The betting tree of a spot: flat arrays (module docstring) and each node's action text."""

    kind: np.ndarray
    player: np.ndarray
    street: np.ndarray
    child_start: np.ndarray
    n_children: np.ndarray
    children: np.ndarray
    commit: np.ndarray
    chance_depth: np.ndarray
    parent: np.ndarray
    action: tuple[str, ...]
    """``action[n]``: the action leading to ``n`` (``""`` at the root, ``"/"`` after a chance)."""

    @property
    def n_nodes(self) -> int:
        """How many nodes the tree has."""
        return int(self.kind.shape[0])

    def children_of(self, node: int) -> np.ndarray:
        """The children of ``node`` in action order."""
        start = int(self.child_start[node])
        return self.children[start : start + int(self.n_children[node])]

    def deals_the_last_card(self, node: int) -> bool:
        """Whether ``node`` is a chance node whose card goes straight to a showdown: both
        players are all in and it deals the river (a depth-limited tree's chance nodes, which
        are leaves, do not)."""
        children = self.children_of(node)
        return bool(
            self.kind[node] == CHANCE and len(children) and self.kind[children[0]] == SHOWDOWN
        )

    def actions_of(self, node: int) -> list[str]:
        """The action texts of ``node``'s children (its legal actions at an action node)."""
        return [self.action[int(child)] for child in self.children_of(node)]

    def child(self, node: int, text: str) -> int | None:
        """``node``'s child that the action ``text`` leads to (None when the node lacks it)."""
        texts = self.actions_of(node)
        return int(self.children_of(node)[texts.index(text)]) if text in texts else None

    def path(self, node: int) -> list[str]:
        """The action texts from the root down to ``node``."""
        texts = []
        while self.parent[node] >= 0:
            texts.append(self.action[node])
            node = int(self.parent[node])
        return texts[::-1]


class _Builder:
    """Grows the tree depth-first; one method per kind of decision."""

    def __init__(self, spot: Spot, depth_limited: bool) -> None:
        self.tree: BetTree = spot.tree
        self.depth_limited = depth_limited
        self.cap = spot.pot / 2 + spot.stack  # the most a player can have in the pot
        self.allin_at = self.cap - spot.tree.allin_threshold * spot.stack
        self.first_street = STREETS.index(spot.street)
        self.kind: list[int] = []
        self.player: list[int] = []
        self.street: list[int] = []
        self.commit: list[tuple[float, float]] = []
        self.chance_depth: list[int] = []
        self.parent: list[int] = []
        self.action: list[str] = []
        self.kids: list[list[int]] = []

    def node(
        self,
        kind: int,
        player: int,
        street: int,
        commit: tuple[float, float],
        depth: int,
        parent: int,
        action: str,
    ) -> int:
        index = len(self.kind)
        self.kind.append(kind)
        self.player.append(player)
        self.street.append(street)
        self.commit.append(commit)
        self.chance_depth.append(depth)
        self.parent.append(parent)
        self.action.append(action)
        self.kids.append([])
        if parent >= 0:
            self.kids[parent].append(index)
        return index

    def street_start(
        self,
        street: int,
        commit: tuple[float, float],
        depth: int,
        parent: int,
        action: str,
        donk: bool,
    ) -> None:
        """OOP's first decision of a street (or the run-out when someone is all-in)."""
        if max(commit) >= self.cap:
            self.end_of_street(street, commit, depth, parent, action)
            return
        node = self.node(ACTION, 0, street, commit, depth, parent, action)
        self.open_or_check(node, 0, street, commit, depth, donk, street_base=commit[0])

    def open_or_check(
        self,
        node: int,
        player: int,
        street: int,
        commit: tuple[float, float],
        depth: int,
        donk: bool,
        street_base: float,
    ) -> None:
        """``player`` may check or bet (nobody has bet in the street yet)."""
        if player == 0:
            child = self.node(ACTION, 1, street, commit, depth, node, "x")
            self.open_or_check(child, 1, street, commit, depth, False, street_base)
        else:
            self.end_of_street(street, commit, depth, node, "x")
        sizes = self.tree.of(STREETS[street], player)
        percents = sizes.donk if donk and player == 0 else sizes.bet
        pot = commit[0] + commit[1]
        amounts = [commit[player] + _chips(p * pot / 100) for p in percents]
        self.bets(node, player, street, commit, depth, amounts, sizes, street_base, raises=0)

    def bets(
        self,
        node: int,
        player: int,
        street: int,
        commit: tuple[float, float],
        depth: int,
        totals: list[float],
        sizes: PlayerSizes,
        street_base: float,
        raises: int,
    ) -> None:
        """The bets or raises of ``player`` to each total in ``totals`` (and all-in if offered)."""
        facing = commit[1 - player]
        least = facing + max(facing - commit[player], 1)  # a raise at least doubles the gap
        chosen: list[float] = []
        for total in totals:
            total = self.cap if total > self.allin_at else total
            if total >= least and total not in chosen:
                chosen.append(min(total, self.cap))
        if sizes.allin and self.cap not in chosen and self.cap > facing:
            chosen.append(self.cap)
        for total in sorted(chosen):
            after = (total, commit[1]) if player == 0 else (commit[0], total)
            if total >= self.cap:
                label = "a"
            else:
                label = f"{'r' if facing > street_base else 'b'}{round(total - street_base)}"
            child = self.node(ACTION, 1 - player, street, after, depth, node, label)
            self.facing_bet(child, 1 - player, street, after, depth, street_base, raises)

    def facing_bet(
        self,
        node: int,
        player: int,
        street: int,
        commit: tuple[float, float],
        depth: int,
        street_base: float,
        raises: int,
    ) -> None:
        """``player`` faces a bet: fold, call, or raise while the cap allows."""
        self.node(FOLD, player, street, commit, depth, node, "f")
        called = (max(commit), max(commit))
        self.end_of_street(street, called, depth, node, "c", caller=player)
        if raises < self.tree.max_raises and max(commit) < self.cap:
            sizes = self.tree.of(STREETS[street], player)
            facing = max(commit)
            pot_after_call = 2 * facing
            totals = [facing + _chips(p * pot_after_call / 100) for p in sizes.raise_]
            self.bets(node, player, street, commit, depth, totals, sizes, street_base, raises + 1)

    def end_of_street(
        self,
        street: int,
        commit: tuple[float, float],
        depth: int,
        parent: int,
        action: str,
        caller: int = -1,
    ) -> None:
        """A showdown after the river, else the next card and the next street."""
        if street == len(STREETS) - 1:
            self.node(SHOWDOWN, -1, street, commit, depth, parent, action)
            return
        chance = self.node(CHANCE, -1, street, commit, depth, parent, action)
        if self.depth_limited:
            return
        # OOP's bet into the player whose bet it just called is a donk bet
        self.street_start(street + 1, commit, depth + 1, chance, "/", donk=caller == 0)

    def arrays(self) -> SpotTree:
        starts: list[int] = []
        flat: list[int] = []
        for kids in self.kids:
            starts.append(len(flat))
            flat.extend(kids)
        return SpotTree(
            kind=np.array(self.kind, np.int8),
            player=np.array(self.player, np.int8),
            street=np.array(self.street, np.int8),
            child_start=np.array(starts, np.int64),
            n_children=np.array([len(k) for k in self.kids], np.int64),
            children=np.array(flat, np.int64),
            commit=np.array(self.commit, np.float64).reshape(-1, 2),
            chance_depth=np.array(self.chance_depth, np.int8),
            parent=np.array(self.parent, np.int64),
            action=tuple(self.action),
        )


def _chips(amount: float) -> int:
    """A size in chips, to the nearest chip (halves up, as TexasSolver's ``round``); at least 1."""
    return max(1, int(np.floor(amount + 0.5)))


def build_tree(spot: Spot, depth_limited: bool = False) -> SpotTree:
    """The betting tree of ``spot`` (see the module docstring and `holdem.search.spot`), or with
    ``depth_limited`` its first street only, ending at chance nodes without children."""
    builder = _Builder(spot, depth_limited)
    commit = (spot.pot / 2, spot.pot / 2)
    builder.street_start(builder.first_street, commit, 0, -1, "", donk=False)
    return builder.arrays()
