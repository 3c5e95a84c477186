"""Where a real hand stands in a betting tree, and which real actions the tree's actions become.

`TreeFollower.spot` answers, for a `HandState` with a seat to act, the tree node the real
actions lead to and the real actions the node's actions mean there (a `Spot`). This module is
the one place where real actions are translated into the tree's.

Following. Seats are renumbered so that the small blind is tree seat 0 (`tree_seat`). Each real
action is replayed in the tree: a fold to the tree's fold, a check or call to its check or
call, an all-in to the tree's all-in, and a bet or raise of pot fraction ``x`` (the increment
over the largest bet, over the pot after calling) by the randomised pseudo-harmonic mapping
(`holdem.abstraction.translation`; Ganzfried and Sandholm, IJCAI 2013) between the node's two
neighbouring sizes, where the check or call is size 0 (the paper's bottom interval: a one big
blind bet into a big pot is mostly read as a check). A raise the blueprint itself made from a
tree size (the same real amount after rounding) maps back to that size exactly. Sizes compare
as pot fractions, so the real chips need not be the tree's (blinds of 1 and 2 follow a tree
built with 50 and 100).

Translations. A real action between two sizes splits the hand into two *lines* (tree paths),
each with the probability of the mapping; a hand can hold several. `Spot` is the most likely
line (the deterministic reading: the side whose probability is at least one half), and
``Spot.lines`` all of them with their probabilities. `holdem.policy.Blueprint`'s
``action_probabilities`` is the mixture over the lines (exact and deterministic, what an
evaluator reads), and its ``act`` draws the translation of each real action once, from the
caller's generator, the first time a decision needs it, and keeps it for the rest of the hand
(`TreeFollower.choose`). One draw per real action is what the paper's agent does, and it is
sound where redrawing is not: the agent then plays one tree strategy throughout the hand, as
the blueprint was trained to; redrawing at each decision would mix, say, the line where a small
bet was a check with the line where it was a half-pot bet within one hand, a way of playing no
line of the tree contains. The mixture ``action_probabilities`` gives equals ``act``'s
distribution at the first decision after a translation; at later decisions ``act`` follows the
line drawn, which the seat's own earlier actions make more likely than others, so the mixture
is the marginal over the draw, not conditioned on the seat's own actions.

Off the tree: what happens, case by case, and why. A line answers with one passive action
whatever the hand only for the rest of a betting round the tree closed before the real one
(the second case), and on a street where the tree has no decision at all (the last); where a
translation split the history, the other line keeps the hand's strategy.

- A raise past the tree's cap (the node offers no raise): the raise is read as a raise of the
  same pot fraction from the raiser's latest node of the same betting round that offers raises
  (an all-in as its all-in, other sizes by the pseudo-harmonic mapping over its raise sizes),
  so the seat facing it gets the tree's row against a raise of about that size with its own
  hand's strategy. Note ``past the tree's cap of raises, mapped to ...``. (Reading every such
  raise as all-in made the blueprint fold to pot-sized re-raises: measured, README.) When the
  raiser has no earlier node of the round with a raise (its first decision of the round comes
  after the cap), the raise is read as a call (note
  ``the tree allows no raise here, mapped to call``): seats still to act in the tree's round
  keep their rows, facing the last raise the tree has; where the call closes the tree's round
  (heads-up), the next case applies.
- A real betting round still open where the tree's is closed (a bet read as a check, a raise
  read as a call, or the cap above): the seats left to act on that street call or check
  (``the tree has no decision for this seat here``). The translation said the bet was worth a
  check, and calling it keeps the hand on the line, which continues at the next street's root;
  the other line of the translation (when there is one) keeps the hand's strategy meanwhile.
- The tree's hand is over (an all-in called, or mapped to) or the hand left the tree (the
  tree's round was still open and offers no call), and the real hand goes on: at the start of
  the next street the hand re-enters the tree at the street's first decision whose pot and
  stacks are nearest the real ones: the same players in the hand, the same seat to act first,
  and the nearest ``pot / (pot + effective stack)`` (the effective stack is the second largest
  stack of the players in the hand: what can still be bet and called), the pot odds every later
  bet is measured by. From there real bets translate by pot fractions again. Note
  ``re-entered the tree at ...``.
- A real limp where the tree offers no call (``limp: false``: push/fold, `configs/hu_open.yaml`)
  maps to the tree's smallest raise, the one tree action next to it that stays in the hand (an
  all-in in push/fold); the big blind, facing no real bet, then checks where the tree would
  fold or call.
- A tree with no decision at all on the real street (push/fold after the preflop) cannot be
  re-entered: there the spot offers the single action check, or call facing a bet.

When the real betting round has closed while the tree's is still open, the tree is called
through to the real street (note ``the tree's betting round was still open``).

The real actions of a node, for the seat to act: fold is fold (check when nothing is to be
called), call is check or call, a raise of pot fraction ``p`` is a raise to ``max_bet + p *
(pot after calling)`` chips, the tree's all-in is all-in; amounts are rounded and moved into
the legal range, a raise where none is allowed becomes check or call, and tree actions that
become the same real action are merged (their probabilities add up).

Speed. The chips each action needs (largest bet, pot, the seat's bet and stack) come from a
few integer lists, not a replay in the rules engine, and per-node facts (children by kind,
raise sizes as pot fractions) are read from the tree's arrays once. The result depends only on
the table and the betting history (never on the cards or a generator: the lines carry their
probabilities, and the draws live apart), so spots are cached per ``(config, history)``, and a
new history resumes from the walk of an earlier decision of the same hand. The chips are
checked against the state at the end; where they differ (they cannot at a decision, see
`HandChips`) the hand is replayed in the rules engine instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, RAISE, BettingTree
from holdem.abstraction.translation import translate
from holdem.policy.hand_chips import EngineChips, HandChips
from holdem.policy.situation import position_of, raise_text
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import ActionRecord, HandState
from holdem.rules.table import TableConfig

_SAME_FRACTION = 1e-6
_MAX_CACHED = 200_000
_RECENT_WALKS = 16
_MAX_LINES = 32

OFF_TREE = 1
"""`Spot.marks` bit: the tree had no decision for the seat that took this action."""
TRANSLATED = 2
"""`Spot.marks` bit: the action had no tree action of its kind and size (mapped)."""
INEXACT_BEFORE = 4
"""`Spot.marks` bit: the line was already translated or re-entered before this action."""


@dataclass(frozen=True)
class Spot:
    """One line of a real hand in the tree, and the real actions its seat to act may take.

    ``node``: the tree node reached (the last one on the tree when the hand left it);
    ``history``: its tree history (`BettingTree.history`); ``on_tree``: whether ``node`` is the
    decision of the seat to act on the real street, so the blueprint's row applies;
    ``exact``: whether every real action had a tree action of the same kind and size and the
    line never left the tree; ``notes``: one line per translated or unmatched real action and
    per re-entry. ``actions`` are the real actions offered, in the order fold, check, call,
    raises by amount; ``sources[i]`` lists the indices of the node's actions merged into
    ``actions[i]`` (empty off the tree, where ``actions`` is the single fallback action).

    ``probability``: of this line among the translations of the history; ``draws``: the
    randomised translations that chose it, ``(index of the record in the history, probability
    of the lower size, whether the line took the lower size)``; ``marks``: per record of the
    history, the bits `OFF_TREE`, `TRANSLATED` and `INEXACT_BEFORE`. The spot a follower
    returns is the most likely line, and ``others`` holds the other lines (see ``lines``).
    """

    node: int
    history: str
    on_tree: bool
    exact: bool
    notes: tuple[str, ...]
    actions: tuple[Action, ...]
    sources: tuple[tuple[int, ...], ...]
    probability: float = 1.0
    draws: tuple[tuple[int, float, bool], ...] = ()
    marks: tuple[int, ...] = ()
    others: tuple[Spot, ...] = field(default=(), repr=False)

    @property
    def lines(self) -> tuple[Spot, ...]:
        """Every line of the history, this (the most likely) first; probabilities sum to 1."""
        return (self, *self.others)


class _Line(NamedTuple):
    """One translation of the history so far (see `Spot`)."""

    probability: float
    node: int
    left: bool
    notes: tuple[str, ...]
    draws: tuple[tuple[int, float, bool], ...]
    marks: tuple[int, ...]


@dataclass(frozen=True)
class _Node:
    """What following and mapping need of one tree node, read from the arrays once."""

    kind: int
    player: int
    street: int
    kinds: tuple[int, ...]
    children: tuple[int, ...]
    fold: int
    call: int
    raises: tuple[int, ...]
    fractions: tuple[float, ...]
    all_in: tuple[bool, ...]
    raise_index: tuple[int, ...]


def _tree_raise_text(facts: _Node, index: int, facing: tuple[int, int, int, int]) -> str:
    """The tree's raise number ``index`` at a node in real chips of this round, as the user
    writes bets (``bet 350``, ``raise to 900``, ``all-in 10000``): the tree's pot fraction
    taken on the real pot that the seat faces."""
    top, pot, bet, stack = facing
    if facts.all_in[index]:
        return raise_text(stack + bet, top, all_in=True)
    amount = min(round(top + facts.fractions[index] * (pot + top - bet)), stack + bet)
    return raise_text(amount, top)


class _Walk:
    """A betting history followed into the tree: its lines, the chips and the folds, so that a
    longer history of the same hand resumes from it."""

    __slots__ = ("bets", "folded", "history", "lines", "pot", "stacks", "street")

    def __init__(
        self,
        history: tuple[ActionRecord, ...],
        lines: tuple[_Line, ...],
        folded: int,
        chips: HandChips,
    ) -> None:
        self.history = history
        self.lines = lines
        self.folded = folded
        self.bets = tuple(chips.bets)
        self.stacks = tuple(chips.stacks)
        self.pot = chips.pot
        self.street = chips.street


class _Key:
    """A table and a betting history as a dictionary key, hashed once (records hash slowly)."""

    __slots__ = ("config", "hash", "history")

    def __init__(self, config: TableConfig, history: tuple[ActionRecord, ...]) -> None:
        self.config = config
        self.history = history
        self.hash = hash((config, history))

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Key)
            and self.hash == other.hash
            and self.config == other.config
            and self.history == other.history
        )


def tree_seat(config: TableConfig, seat: int) -> int:
    """The tree's number of a real seat: the small blind is tree seat 0."""
    return (seat - config.small_blind_seat) % config.n_seats


def real_seat(config: TableConfig, seat: int) -> int:
    """The real seat of a tree seat (the inverse of `tree_seat`)."""
    return (seat + config.small_blind_seat) % config.n_seats


def _effective(stacks: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Per row, the second largest stack among the live seats (what can be bet and called)."""
    masked = np.where(live, stacks, -1)
    masked.sort(axis=1)
    return np.maximum(masked[:, -2], 0)


class TreeFollower:
    """Follows real hands into ``tree`` (a Hold'em tree), caching spots per betting history.

    The cache holds up to 200,000 spots and is emptied when full. A history not seen before
    resumes from the longest of the last few followed histories of the same table that it
    extends (the same action records, as the states of one hand share them), so following a
    hand decision by decision costs each action once. A hand keeps at most 32 lines (the least
    likely are dropped and the rest renormalised).
    """

    def __init__(self, tree: BettingTree) -> None:
        self.tree = tree
        self._nodes: dict[int, _Node] = {}
        self._histories: dict[int, str] = {}
        self._roots: dict[int, tuple[np.ndarray, ...]] = {}
        self._fits: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._starts: dict[TableConfig, HandState] = {}
        self._spots: dict[_Key, Spot] = {}
        self._by_id: dict[tuple[int, ...], tuple[object, Spot]] = {}
        self._recent: dict[TableConfig, list[_Walk]] = {}
        self._draws: dict[int, tuple[ActionRecord, float]] = {}
        self._raise_actions: dict[int, Action] = {}

    def clear_caches(self, nodes: bool = False) -> None:
        """Forget the spots, walks and draws so far (and with ``nodes`` the node facts)."""
        self._spots.clear()
        self._by_id.clear()
        self._recent.clear()
        self._draws.clear()
        if nodes:
            self._nodes.clear()
            self._histories.clear()
            self._roots.clear()
            self._fits.clear()

    def check_state(self, state: HandState) -> int:
        """The seat to act; ValueError when nobody is or the table's size is not the tree's."""
        if state.n_seats != self.tree.n_players:
            raise ValueError(
                f"the blueprint plays {self.tree.n_players} seats, the hand has {state.n_seats}: "
                "use a blueprint trained for that many players"
            )
        seat = state.to_act
        if seat is None:
            raise ValueError(
                "nobody is to act: the hand is over"
                if state.is_terminal
                else f"nobody is to act: the hand waits for {state.awaiting_cards} board cards"
            )
        return seat

    def spot(self, state: HandState) -> Spot:
        """The `Spot` of ``state``'s seat to act: its most likely line, the others in
        ``Spot.others`` (see the module docstring)."""
        config, history = state.config, state.history
        # First by the identity of the table and the action records (no hashing of records:
        # the entry keeps them alive, so their ids stay theirs), then by their values.
        ids = (id(config), *map(id, history))
        entry = self._by_id.get(ids)
        if entry is not None:
            return entry[1]
        key = _Key(config, history)
        found = self._spots.get(key)
        if found is None:
            self.check_state(state)
            found = self._follow(state, history)
            if len(self._spots) >= _MAX_CACHED:
                self._spots.clear()
            self._spots[key] = found
        if len(self._by_id) >= _MAX_CACHED:
            self._by_id.clear()
        self._by_id[ids] = ((config, history), found)
        return found

    def marks(self, state: HandState) -> tuple[int, ...]:
        """Per action record of ``state`` (any state, a finished hand too), the `Spot.marks`
        bits of its most likely line: was the tree off for that seat, was the action mapped,
        was the line already translated before it."""
        if state.n_seats != self.tree.n_players:
            raise ValueError(
                f"the blueprint plays {self.tree.n_players} seats, the hand has {state.n_seats}"
            )
        lines = self._lines(state, state.history)
        return max(lines, key=lambda line: line.probability).marks

    def choose(self, state: HandState, spot: Spot, rng: np.random.Generator) -> Spot:
        """The line of ``spot`` (``state``'s) that this hand's translations take: each
        randomised translation is drawn once per real action record, from ``rng`` the first
        time a decision needs it, and kept for the hand's later decisions."""
        if not spot.others:
            return spot
        history = state.history
        for line in spot.lines:
            if all((self._uniform(history[k], rng) < p) == low for k, p, low in line.draws):
                return line
        return spot  # a dropped line (more than 32): the most likely one

    def _uniform(self, record: ActionRecord, rng: np.random.Generator) -> float:
        found = self._draws.get(id(record))
        if found is None or found[0] is not record:
            if len(self._draws) >= _MAX_CACHED:
                self._draws.clear()
            found = (record, float(rng.random()))
            self._draws[id(record)] = found
        return found[1]

    # -- tree facts ---------------------------------------------------------------------------

    def node(self, node: int) -> _Node:
        """Facts of ``node``, read from the tree's arrays on first use."""
        found = self._nodes.get(node)
        if found is None:
            found = self._read_node(node)
            self._nodes[node] = found
        return found

    def _read_node(self, node: int) -> _Node:
        tree = self.tree
        kind, player, street = int(tree.kind[node]), int(tree.player[node]), int(tree.street[node])
        if kind != DECISION:
            return _Node(kind, player, street, (), (), -1, -1, (), (), (), ())
        children = tuple(tree.children(node))
        kinds = tuple(int(k) for k in tree.action_kind[children[0] : children[-1] + 1])
        chips = [int(c) for c in tree.chips[node]]
        top = max(chips)
        pot_after_call = sum(chips) + top - chips[player]
        raises = tuple(c for c, k in zip(children, kinds, strict=True) if k == RAISE)
        to = [int(tree.action_to[c]) for c in raises]
        return _Node(
            kind,
            player,
            street,
            kinds,
            children,
            next((c for c, k in zip(children, kinds, strict=True) if k == FOLD), -1),
            next((c for c, k in zip(children, kinds, strict=True) if k == CALL), -1),
            raises,
            tuple((t - top) / pot_after_call for t in to),
            tuple(t == tree.spec.stack for t in to),
            tuple(raises.index(c) if c in raises else -1 for c in children),
        )

    def history(self, node: int) -> str:
        """The tree history of ``node`` (`BettingTree.history`), kept once computed."""
        found = self._histories.get(node)
        if found is None:
            found = self.tree.history(node)
            self._histories[node] = found
        return found

    def _street_roots(self, street: int) -> tuple[np.ndarray, ...]:
        """The first decisions of ``street``: nodes, folded bits, seat to act, and
        ``pot / (pot + effective stack)``."""
        found = self._roots.get(street)
        if found is None:
            tree = self.tree
            decisions = np.flatnonzero((tree.kind == DECISION) & (tree.street == street))
            parents = tree.parent[decisions]
            nodes = decisions[(parents >= 0) & (tree.street[np.maximum(parents, 0)] < street)]
            chips = tree.chips[nodes].astype(np.int64)
            folded = tree.folded[nodes].astype(np.int64)
            live = (folded[:, None] >> np.arange(tree.n_players)) & 1 == 0
            pot = chips.sum(axis=1)
            effective = _effective(tree.spec.stack - chips, live)
            found = (nodes, folded, tree.player[nodes].astype(np.int64), pot / (pot + effective))
            self._roots[street] = found
        return found

    def _root(
        self,
        config: TableConfig,
        street: int,
        folded: int,
        seat: int,
        chips: HandChips | EngineChips,
    ) -> int:
        """The first decision of ``street`` with the real hand's players in, ``seat`` (real) to
        act first and the nearest ``pot / (pot + effective stack)``; -1 when there is none."""
        if street == 0 or self.tree.n_players != config.n_seats:
            return -1
        key = (street, folded, tree_seat(config, seat))
        fit = self._fits.get(key)
        if fit is None:
            nodes, tree_folded, player, ratio = self._street_roots(street)
            keep = np.flatnonzero((tree_folded == folded) & (player == key[2]))
            fit = (nodes[keep], ratio[keep])
            self._fits[key] = fit
        nodes, ratio = fit
        if len(nodes) == 0:
            return -1
        pot, stacks = chips.now()
        live = sorted(
            stack for s, stack in enumerate(stacks) if not folded >> tree_seat(config, s) & 1
        )
        effective = live[-2] if len(live) > 1 else 0
        real = pot / (pot + effective)
        return int(nodes[np.argmin(np.abs(ratio - real))])

    # -- following ----------------------------------------------------------------------------

    def _start(self, config: TableConfig) -> HandState:
        start = self._starts.get(config)
        if start is None:
            holes = [(2 * s, 2 * s + 1) for s in range(config.n_seats)]
            start = HandState.new(config, holes)
            self._starts[config] = start
        return start

    def _resume(self, config: TableConfig, history: tuple[ActionRecord, ...]) -> _Walk | None:
        """The longest recent walk whose records are the first records of ``history``."""
        size = len(history)
        best: _Walk | None = None
        longest = -1
        for walk in self._recent.get(config, ()):
            n = len(walk.history)
            if longest < n <= size and (
                n == 0 or (walk.history[n - 1] is history[n - 1] and walk.history == history[:n])
            ):
                best, longest = walk, n
        return best

    def _remember(self, config: TableConfig, walk: _Walk) -> None:
        recent = self._recent.setdefault(config, [])
        if len(recent) >= _RECENT_WALKS:
            del recent[0]
        recent.append(walk)

    def _lines(self, state: HandState, history: tuple[ActionRecord, ...]) -> list[_Line]:
        """Every line of ``history``, entered into the state's street when it is newer."""
        config = state.config
        start = self._start(config)
        resume = self._resume(config, history)
        if resume is None:
            chips = HandChips.at_start(start)
            lines, folded = self._walk(
                config, history, 0, chips, [_Line(1.0, 0, False, (), (), ())], 0
            )
        else:
            chips = HandChips(resume.bets, resume.stacks, resume.pot, resume.street)
            rest = history[len(resume.history) :]
            lines, folded = self._walk(
                config, rest, len(resume.history), chips, list(resume.lines), resume.folded
            )
        street = int(history[-1].street) if history else 0
        if chips.matches(state):
            self._remember(config, _Walk(history, tuple(lines), folded, chips))
            replay: HandChips | EngineChips = chips
        else:
            replay = EngineChips(start)
            lines, folded = self._walk(
                config, history, 0, replay, [_Line(1.0, 0, False, (), (), ())], 0
            )
        seat = state.to_act
        if seat is not None and int(state.street) > street:
            lines = [
                self._enter(config, line, int(state.street), folded, seat, replay) for line in lines
            ]
        return lines

    def _follow(self, state: HandState, history: tuple[ActionRecord, ...]) -> Spot:
        lines = sorted(self._lines(state, history), key=lambda line: -line.probability)
        real = _RealSpot(state)
        spots = [self._spot(state, line, real) for line in lines]
        if len(spots) == 1:
            return spots[0]
        return replace(spots[0], others=tuple(spots[1:]))

    def _walk(
        self,
        config: TableConfig,
        records: tuple[ActionRecord, ...],
        first: int,
        chips: HandChips | EngineChips,
        lines: list[_Line],
        folded: int,
    ) -> tuple[list[_Line], int]:
        """Follow ``records`` (the history's from index ``first``) on every line; ``folded``:
        tree bits of the seats that folded so far."""
        street = chips.street if isinstance(chips, HandChips) else int(chips.state.street)
        for k, record in enumerate(records, first):
            if record.street != street:
                street = int(record.street)
                chips.before(record)
                lines = [
                    self._enter(config, line, street, folded, record.seat, chips) for line in lines
                ]
            facing = chips.before(record)
            stepped: list[_Line] = []
            for line in lines:
                stepped.extend(self._step(config, line, k, record, facing))
            lines = self._prune(stepped)
            chips.apply(record)
            if record.action.kind is ActionKind.FOLD:
                folded |= 1 << tree_seat(config, record.seat)
        return lines, folded

    @staticmethod
    def _prune(lines: list[_Line]) -> list[_Line]:
        if len(lines) <= _MAX_LINES:
            return lines
        kept = sorted(lines, key=lambda line: -line.probability)[:_MAX_LINES]
        total = sum(line.probability for line in kept)
        return [_Line(line.probability / total, *line[1:]) for line in kept]

    def _enter(
        self,
        config: TableConfig,
        line: _Line,
        street: int,
        folded: int,
        seat: int,
        chips: HandChips | EngineChips,
    ) -> _Line:
        """``line`` at the start of the real ``street`` (``seat`` to act first): the tree's open
        round called through, or, when the tree's hand is over or it left the tree, re-entered
        at the street's nearest first decision (see the module docstring)."""
        node, left, notes = line.node, line.left, list(line.notes)
        facts = self.node(node)
        while not left and facts.kind == DECISION and facts.street < street:
            if facts.call < 0:
                notes.append("the tree's round was still open and offers no call: left the tree")
                left = True
                break
            node = facts.call
            notes.append("the tree's betting round was still open when the real one closed: called")
            facts = self.node(node)
        if not left and facts.kind == DECISION and facts.street == street:
            if node == line.node:
                return line
            return _Line(line.probability, node, False, tuple(notes), line.draws, line.marks)
        root = self._root(config, street, folded, seat, chips)
        if root < 0:
            return _Line(line.probability, node, True, tuple(notes), line.draws, line.marks)
        pot, _ = chips.now()
        notes.append(
            f"re-entered the tree at {self.history(root)!r} (the nearest pot and stacks to the "
            f"real pot of {pot})"
        )
        return _Line(line.probability, root, False, tuple(notes), line.draws, line.marks)

    def _step(
        self,
        config: TableConfig,
        line: _Line,
        k: int,
        record: ActionRecord,
        facing: tuple[int, int, int, int],
    ) -> list[_Line]:
        """``line`` after record ``k``: one line, or two for a randomised translation."""
        before = INEXACT_BEFORE if line.notes else 0
        if line.left:
            return [_Line(*line[:5], (*line.marks, before | OFF_TREE))]
        facts = self.node(line.node)
        if facts.kind != DECISION or facts.street > record.street:
            note = (
                f"{position_of(config, record.seat)} {record.action} has no counterpart: the "
                "tree already closed that betting round"
            )
            return [
                _Line(*line[:3], (*line.notes, note), line.draws, (*line.marks, before | OFF_TREE))
            ]
        branches = self._translate(config, facts, line.node, record, facing)
        if len(branches) == 1 and branches[0][2] is None:
            return [
                _Line(line.probability, branches[0][1], False, *line[3:5], (*line.marks, before))
            ]
        out = []
        for p, child, mapped in branches:
            draws = line.draws
            if len(branches) == 2:
                draws = (*draws, (k, branches[0][0], child == branches[0][1]))
            out.append(
                _Line(
                    line.probability * p,
                    child,
                    False,
                    line.notes if mapped is None else (*line.notes, mapped),
                    draws,
                    (*line.marks, before | (0 if mapped is None else TRANSLATED)),
                )
            )
        return out

    def _translate(
        self,
        config: TableConfig,
        facts: _Node,
        node: int,
        record: ActionRecord,
        facing: tuple[int, int, int, int],
    ) -> list[tuple[float, int, str | None]]:
        """The children of ``node`` a real action maps to, with probabilities and notes (None
        for an exact match)."""
        action = record.action
        kind = action.kind
        if kind is ActionKind.FOLD and facts.fold >= 0:
            return [(1.0, facts.fold, None)]
        if (kind is ActionKind.CHECK or kind is ActionKind.CALL) and facts.call >= 0:
            return [(1.0, facts.call, None)]
        who = self._who(config, record, facts, facing)
        top, pot, bet, stack = facing
        after_call = pot + top - bet
        if kind is ActionKind.RAISE:
            fraction = (action.amount - top) / after_call
            if not facts.raises:
                earlier = self._past_cap(node, facts.player, facts.street)
                if earlier >= 0:
                    return self._past_cap_by_size(
                        self.node(earlier),
                        action.amount == stack + bet,
                        fraction,
                        who,
                    )
            elif action.amount == stack + bet and facts.all_in[-1]:
                return [(1.0, facts.raises[-1], None)]
            else:
                return self._by_size(facts, action.amount, facing, fraction, who)
        if facts.call < 0:
            # A limp where the tree's first round takes none (limp: false): its only neighbour
            # among the tree's actions that stays in the hand is the smallest raise (a decision
            # without a call always has one).
            return [
                (
                    1.0,
                    facts.raises[0],
                    f"{who}: the tree takes no limp, mapped to its "
                    f"{_tree_raise_text(facts, 0, facing)}",
                )
            ]
        if kind is ActionKind.FOLD:
            return [(1.0, facts.call, f"{who}: the tree faces no bet here, mapped to check")]
        return [(1.0, facts.call, f"{who}: the tree allows no raise here, mapped to call")]

    def _by_size(
        self,
        facts: _Node,
        amount: int,
        facing: tuple[int, int, int, int],
        fraction: float,
        who: str,
    ) -> list[tuple[float, int, str | None]]:
        """A bet or raise by the randomised pseudo-harmonic mapping over the node's sizes, the
        check or call being size 0 (the bottom interval). The notes give the tree's sizes as
        real bets of this round, as the user counts them."""
        top, pot, bet, _ = facing
        after_call = pot + top - bet
        sizes: dict[float, int] = {}
        if facts.call >= 0:
            sizes[0.0] = facts.call
        for child, size, all_in in zip(facts.raises, facts.fractions, facts.all_in, strict=True):
            if not all_in and (
                round(top + size * after_call) == amount
                or abs(size - fraction) <= _SAME_FRACTION * max(1.0, fraction)
            ):
                return [(1.0, child, None)]
            sizes.setdefault(size, child)
        order = sorted(sizes)
        picked = [(p, sizes[order[i]], order[i]) for i, p in translate(fraction, order) if p > 0]
        out: list[tuple[float, int, str | None]] = []
        for p, child, size in picked:
            if size == 0.0:
                label = "call" if top > bet else "check"
            else:
                label = _tree_raise_text(facts, facts.raises.index(child), facing)
            chance = f" with probability {p:.3f}" if len(picked) > 1 else ""
            out.append(
                (p, child, f"{who} ({fraction:.3f} pot) mapped to {label} ({size:.3f} pot){chance}")
            )
        return out

    def _past_cap(self, node: int, player: int, street: int) -> int:
        """The raiser's latest node of the round that offers a raise; -1 when it had none."""
        tree = self.tree
        parent = int(tree.parent[node])
        while parent >= 0 and int(tree.street[parent]) == street:
            facts = self.node(parent)
            if facts.player == player and facts.raises:
                return parent
            parent = int(tree.parent[parent])
        return -1

    def _past_cap_by_size(
        self,
        earlier: _Node,
        all_in: bool,
        fraction: float,
        who: str,
    ) -> list[tuple[float, int, str | None]]:
        """A raise past the cap read as a raise of the same pot fraction from the raiser's
        latest node with raises (``earlier``): an all-in as its all-in, any other size by the
        pseudo-harmonic mapping over its raise sizes only (no bottom interval: the raise is not
        a call). Always mapping to all-in made the blueprint fold to pot-sized re-raises that it
        should call (LBR won 1,572 mbb/hand instead of 1,012: README)."""
        if all_in and earlier.all_in[-1]:
            picked = [(1.0, earlier.raises[-1])]
        else:
            sizes = dict(zip(earlier.fractions, earlier.raises, strict=True))
            order = sorted(sizes)
            picked = [(p, sizes[order[i]]) for i, p in translate(fraction, order) if p > 0]
        chance = len(picked) > 1
        by_child = dict(zip(earlier.raises, earlier.fractions, strict=True))
        return [
            (
                p,
                child,
                f"{who}: past the tree's cap of raises, read as "
                + (
                    "the all-in"
                    if earlier.all_in[earlier.raises.index(child)]
                    else f"a raise of {by_child[child]:.3f} pot"
                )
                + " as the raiser's earlier node offers it"
                + (f" with probability {p:.3f}" if chance else ""),
            )
            for p, child in picked
        ]

    def _who(
        self,
        config: TableConfig,
        record: ActionRecord,
        facts: _Node,
        facing: tuple[int, int, int, int],
    ) -> str:
        """``BTN raise to 300`` (``bet`` where nothing was bet in the round, ``all-in``), and
        which seat the tree has to act when it differs."""
        action = record.action
        words = str(action)
        if action.kind is ActionKind.RAISE:
            top, _, bet, stack = facing
            words = raise_text(action.amount, top, action.amount == stack + bet)
        text = f"{position_of(config, record.seat)} {words}"
        if tree_seat(config, record.seat) != facts.player:
            text += f" (the tree has {position_of(config, real_seat(config, facts.player))} to act)"
        return text

    # -- real actions -------------------------------------------------------------------------

    def _spot(self, state: HandState, line: _Line, real: _RealSpot) -> Spot:
        seat, legal, passive = real.seat, real.legal, real.passive
        node = line.node
        facts = self.node(node)
        history = self.history(node)
        on_tree = (
            not line.left
            and facts.kind == DECISION
            and facts.street == int(state.street)
            and facts.player == tree_seat(state.config, seat)
        )
        exact = not line.notes
        base = (line.probability, line.draws, line.marks)
        if not on_tree:
            reason = (
                "off the tree, with no decision on this street to re-enter at"
                if line.left
                else "the tree has no decision for this seat here"
            )
            note = f"{reason}: " + ("checks" if legal.can_check else "calls")
            return Spot(node, history, False, exact, (*line.notes, note), (passive,), ((),), *base)
        # Tree actions come as fold, call, raises from the smallest, and their real actions in
        # the same order (amounts only grow), so merging keeps the order of first appearance.
        # Real actions are keyed by an integer while merging (a raise by its amount, fold -2,
        # check or call -1): hashing `Action` objects costs more than the rest of the loop.
        merged: dict[int, list[int]] = {}
        max_bet, pot_after_call = real.max_bet, real.pot_after_call
        low, high = legal.min_raise_to, legal.max_raise_to
        for index, kind in enumerate(facts.kinds):
            if kind == FOLD:
                key = -2 if legal.can_fold else -1
            elif kind == CALL or low is None or high is None:
                key = -1
            else:
                k = facts.raise_index[index]
                if facts.all_in[k]:
                    key = high
                else:
                    amount = max_bet + round(facts.fractions[k] * pot_after_call)
                    key = min(max(amount, low), high)
            merged.setdefault(key, []).append(index)
        return Spot(
            node,
            history,
            True,
            exact,
            line.notes,
            tuple(
                _FOLD if key == -2 else passive if key == -1 else self._raise(key) for key in merged
            ),
            tuple(tuple(sources) for sources in merged.values()),
            *base,
        )

    def _raise(self, amount: int) -> Action:
        """``Action.raise_to(amount)``, made once per amount (building one validates it)."""
        found = self._raise_actions.get(amount)
        if found is None:
            if len(self._raise_actions) >= _MAX_CACHED:
                self._raise_actions.clear()
            found = Action.raise_to(amount)
            self._raise_actions[amount] = found
        return found


class _RealSpot:
    """What every line's real actions need of the state, computed once per state."""

    __slots__ = ("legal", "max_bet", "passive", "pot_after_call", "seat")

    def __init__(self, state: HandState) -> None:
        seat = state.to_act
        assert seat is not None
        self.seat = seat
        self.legal = state.legal_actions()
        self.passive = _CHECK if self.legal.can_check else _CALL
        self.max_bet = max(state.bets)
        self.pot_after_call = state.total_pot + self.max_bet - state.bets[seat]


_FOLD, _CHECK, _CALL = Action.fold(), Action.check(), Action.call()
