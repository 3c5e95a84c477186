"""Where a real hand stands in a betting tree, and which real actions the tree's actions become.

`TreeFollower.spot` answers, for a `HandState` with a seat to act, the tree node the real
actions lead to and the real actions the node's actions mean there (a `Spot`). Real actions are
replayed in the tree exactly as `holdem.abstraction.follow.follow_state` does it (folds, checks
and calls to the tree's fold and call; a bet or raise to one of the node's raises by the
deterministic pseudo-harmonic mapping on pot fractions; an all-in to the tree's all-in), with
three differences:

- Speed. ``follow_state`` replays the hand in a fresh `HandState` (about 90 microseconds per
  action); here the chips each action needs (largest bet, pot, the seat's bet and stack) come
  from a few integer lists, and per-node facts (children by kind, raise sizes as pot
  fractions) are read from the tree's arrays once. The result depends only on the table and
  the betting history (never on the cards), so spots are cached per ``(config, history)``,
  and a new history resumes from the walk of an earlier decision of the same hand. The chips
  are checked against the state at the end; where they differ (they cannot at a decision,
  see `_Chips`) the hand is replayed in the rules engine instead.
- A real limp where the tree offers no call (``limp: false``: push/fold, `configs/hu_open.yaml`)
  maps to the tree's smallest raise, the one tree action next to it that stays in the hand (an
  all-in in push/fold); the big blind, facing no real bet, then checks where the tree would
  fold or call.
- When the real betting round has closed while the tree's is still open, the tree is called
  through to the real street at the end too, not only before the next real action.

The real actions of a node, for the seat to act: fold is fold (check when nothing is to be
called), call is check or call, a raise of pot fraction ``p`` is a raise to ``max_bet + p *
(pot after calling)`` chips, the tree's all-in is all-in; amounts are rounded and moved into
the legal range, a raise where none is allowed becomes check or call, and tree actions that
become the same real action are merged (their probabilities add up).

Off the tree: when the tree has no decision for the seat to act on the real street (a real
action without a counterpart left it, or the tree closed the round the real hand is still
playing), the spot offers one action: check, or call when there is a bet. Calling closes the
round the tree already considers closed, so the hand and the tree meet again on the next
street; checking gives nothing away. A `Spot` says which case applies, with notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, RAISE, BettingTree
from holdem.abstraction.translation import translate_bet
from holdem.policy.situation import position_of
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import ActionRecord, HandState
from holdem.rules.table import TableConfig

_SAME_FRACTION = 1e-6
_MAX_CACHED = 200_000
_RECENT_WALKS = 16


@dataclass(frozen=True)
class Spot:
    """Where a real hand stands in the tree, and the real actions its seat to act may take.

    ``node``: the tree node reached (the last one on the tree when the hand left it);
    ``history``: its tree history (`BettingTree.history`); ``on_tree``: whether ``node`` is the
    decision of the seat to act on the real street, so the blueprint's row applies;
    ``exact``: whether every real action had a tree action of the same kind and size;
    ``notes``: one line per translated or unmatched real action. ``actions`` are the real
    actions offered, in the order fold, check, call, raises by amount; ``sources[i]`` lists the
    indices of the node's actions merged into ``actions[i]`` (empty off the tree, where
    ``actions`` is the single fallback action).
    """

    node: int
    history: str
    on_tree: bool
    exact: bool
    notes: tuple[str, ...]
    actions: tuple[Action, ...]
    sources: tuple[tuple[int, ...], ...]


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


class _Walk:
    """A betting history followed into the tree: where it stands and the chips, so that a
    longer history of the same hand resumes from it (before any final call-through)."""

    __slots__ = ("bets", "history", "left", "node", "notes", "pot", "stacks", "street")

    def __init__(
        self,
        history: tuple[ActionRecord, ...],
        node: int,
        left: bool,
        notes: tuple[str, ...],
        chips: _Chips,
    ) -> None:
        self.history = history
        self.node = node
        self.left = left
        self.notes = notes
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


class _Chips:
    """The chips of a hand replayed from its start: each seat's bet this round and stack.

    The start (blinds and antes posted, any uncalled ante returned) comes from the rules
    engine; then a call puts in what is owed (at most the stack), a raise to ``a`` puts in
    ``a`` minus the seat's bet, and a new street clears the bets. Chips an uncalled bet gets
    back at the end of a round are not given back here: that only happens when every other
    seat still in is all-in, after which nobody decides again, so no decision sees them.
    """

    def __init__(self, bets: tuple[int, ...], stacks: tuple[int, ...], pot: int, street: int):
        self.bets = list(bets)
        self.stacks = list(stacks)
        self.pot = pot
        self.street = street

    @classmethod
    def at_start(cls, start: HandState) -> _Chips:
        return cls(start.bets, start.stacks, start.total_pot, 0)

    def before(self, record: ActionRecord) -> tuple[int, int, int, int]:
        """``(max_bet, pot, bet, stack)`` that ``record``'s seat faced when it acted."""
        if record.street != self.street:
            self.bets = [0] * len(self.bets)
            self.street = int(record.street)
        seat = record.seat
        return max(self.bets), self.pot, self.bets[seat], self.stacks[seat]

    def apply(self, record: ActionRecord) -> None:
        seat, action = record.seat, record.action
        if action.kind is ActionKind.CALL:
            chips = min(max(self.bets) - self.bets[seat], self.stacks[seat])
        elif action.kind is ActionKind.RAISE:
            chips = action.amount - self.bets[seat]
        else:
            return
        self.bets[seat] += chips
        self.stacks[seat] -= chips
        self.pot += chips

    def matches(self, state: HandState) -> bool:
        """Whether these chips are the state's (stacks, and bets of its current round)."""
        if tuple(self.stacks) != state.stacks:
            return False
        if self.street == state.street:
            return tuple(self.bets) == state.bets
        return not any(state.bets)


class _Replay:
    """The same answers as `_Chips` from the rules engine itself (slow, exact)."""

    def __init__(self, start: HandState) -> None:
        self.state = start.clone()

    def before(self, record: ActionRecord) -> tuple[int, int, int, int]:
        state, seat = self.state, record.seat
        return state.max_bet, state.total_pot, state.bets[seat], state.stacks[seat]

    def apply(self, record: ActionRecord) -> None:
        self.state.apply(record.action, record.seat)
        if self.state.awaiting_cards:
            # Cards do not change the betting: any unused ones will do.
            used = set(self.state.board) | {c for pair in self.state.hole_cards for c in pair}
            spare = [c for c in range(52) if c not in used]
            self.state.deal_board(spare[: self.state.awaiting_cards])


def tree_seat(config: TableConfig, seat: int) -> int:
    """The tree's number of a real seat: the small blind is tree seat 0."""
    return (seat - config.small_blind_seat) % config.n_seats


def real_seat(config: TableConfig, seat: int) -> int:
    """The real seat of a tree seat (the inverse of `tree_seat`)."""
    return (seat + config.small_blind_seat) % config.n_seats


class TreeFollower:
    """Follows real hands into ``tree`` (a Hold'em tree), caching spots per betting history.

    The cache holds up to 200,000 spots and is emptied when full. A history not seen before
    resumes from the longest of the last few followed histories of the same table that it
    extends (the same action records, as the states of one hand share them), so following a
    hand decision by decision costs each action once.
    """

    def __init__(self, tree: BettingTree) -> None:
        self.tree = tree
        self._nodes: dict[int, _Node] = {}
        self._histories: dict[int, str] = {}
        self._starts: dict[TableConfig, HandState] = {}
        self._spots: dict[_Key, Spot] = {}
        self._by_id: dict[tuple[int, ...], tuple[object, Spot]] = {}
        self._recent: dict[TableConfig, list[_Walk]] = {}

    def clear_caches(self, nodes: bool = False) -> None:
        """Forget the spots and walks followed so far (and with ``nodes`` the node facts)."""
        self._spots.clear()
        self._by_id.clear()
        self._recent.clear()
        if nodes:
            self._nodes.clear()
            self._histories.clear()

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
        """The `Spot` of ``state``'s seat to act (see the module docstring)."""
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

    def _follow(self, state: HandState, history: tuple[ActionRecord, ...]) -> Spot:
        config = state.config
        start = self._start(config)
        resume = self._resume(config, history)
        notes: list[str] = []
        if resume is None:
            chips = _Chips.at_start(start)
            node, left = self._walk(config, history, chips, 0, False, notes)
        else:
            chips = _Chips(resume.bets, resume.stacks, resume.pot, resume.street)
            notes.extend(resume.notes)
            rest = history[len(resume.history) :]
            node, left = self._walk(config, rest, chips, resume.node, resume.left, notes)
        if chips.matches(state):
            self._remember(config, _Walk(history, node, left, tuple(notes), chips))
        else:
            notes = []
            node, left = self._walk(config, history, _Replay(start), 0, False, notes)
        if not left:
            node, left = self._to_street(node, int(state.street), notes)
        return self._spot(state, node, left, notes)

    def _walk(
        self,
        config: TableConfig,
        records: tuple[ActionRecord, ...],
        chips: _Chips | _Replay,
        node: int,
        left: bool,
        notes: list[str],
    ) -> tuple[int, bool]:
        """Follow ``records`` from ``node`` (``left``: the hand already left the tree)."""
        for record in records:
            facing = chips.before(record)
            if not left:
                node, left = self._to_street(node, record.street, notes)
            if not left:
                facts = self.node(node)
                if facts.kind != DECISION or facts.street > record.street:
                    notes.append(
                        f"{position_of(config, record.seat)} {record.action} has no "
                        "counterpart: the tree already closed that betting round"
                    )
                else:
                    node, left = self._translate(config, facts, node, record, facing, notes)
            chips.apply(record)
        return node, left

    def _to_street(self, node: int, street: int, notes: list[str]) -> tuple[int, bool]:
        """Call through the tree's open round until it reaches the real ``street``."""
        facts = self.node(node)
        while facts.kind == DECISION and facts.street < street:
            if facts.call < 0:
                notes.append("the tree's round was still open and offers no call: left the tree")
                return node, True
            node = facts.call
            notes.append("the tree's betting round was still open when the real one closed: called")
            facts = self.node(node)
        return node, False

    def _translate(
        self,
        config: TableConfig,
        facts: _Node,
        node: int,
        record: ActionRecord,
        facing: tuple[int, int, int, int],
        notes: list[str],
    ) -> tuple[int, bool]:
        """The child of ``node`` for a real action (or the node and True: the hand left)."""
        action = record.action
        kind = action.kind
        if kind is ActionKind.FOLD and facts.fold >= 0:
            return facts.fold, False
        if kind is ActionKind.RAISE and facts.raises:
            top, pot, bet, stack = facing
            fraction = (action.amount - top) / (pot + top - bet)
            if action.amount == stack + bet and facts.all_in[-1]:
                return facts.raises[-1], False
            try:
                choice = translate_bet(fraction, facts.fractions)
            except ValueError:  # sizes not strictly increasing: take the nearest
                choice = min(
                    range(len(facts.fractions)), key=lambda i: abs(facts.fractions[i] - fraction)
                )
            child = facts.raises[choice]
            if abs(facts.fractions[choice] - fraction) > _SAME_FRACTION * max(1.0, fraction):
                notes.append(
                    f"{self._who(config, record, facts)} ({fraction:.3f} pot) mapped to "
                    f"{self.tree.action_label(child)} ({facts.fractions[choice]:.3f} pot)"
                )
            return child, False
        if facts.call < 0:
            # A limp where the tree's first round takes none (limp: false): its only neighbour
            # among the tree's actions that stays in the hand is the smallest raise (a decision
            # without a call always has one).
            notes.append(
                f"{self._who(config, record, facts)}: the tree takes no limp, mapped to "
                f"{self.tree.action_label(facts.raises[0])}"
            )
            return facts.raises[0], False
        if kind is ActionKind.FOLD:
            notes.append(
                f"{self._who(config, record, facts)}: the tree faces no bet here, mapped to check"
            )
        elif kind is ActionKind.RAISE:
            notes.append(
                f"{self._who(config, record, facts)}: the tree allows no more raises here, "
                "mapped to call"
            )
        return facts.call, False

    @staticmethod
    def _who(config: TableConfig, record: ActionRecord, facts: _Node) -> str:
        """``BTN raise to 300``, and which seat the tree has to act when it differs."""
        text = f"{position_of(config, record.seat)} {record.action}"
        if tree_seat(config, record.seat) != facts.player:
            text += f" (the tree has {position_of(config, real_seat(config, facts.player))} to act)"
        return text

    def history(self, node: int) -> str:
        """The tree history of ``node`` (`BettingTree.history`), kept once computed."""
        found = self._histories.get(node)
        if found is None:
            found = self.tree.history(node)
            self._histories[node] = found
        return found

    # -- real actions -------------------------------------------------------------------------

    def _spot(self, state: HandState, node: int, left: bool, notes: list[str]) -> Spot:
        seat = state.to_act
        assert seat is not None
        legal = state.legal_actions()
        facts = self.node(node)
        history = self.history(node)
        passive = _CHECK if legal.can_check else _CALL
        on_tree = (
            not left
            and facts.kind == DECISION
            and facts.street == int(state.street)
            and facts.player == tree_seat(state.config, seat)
        )
        exact = not notes
        if not on_tree:
            if not left:
                notes.append(
                    "the tree has no decision for this seat here: "
                    + ("checks" if legal.can_check else "calls")
                )
            return Spot(node, history, False, exact, tuple(notes), (passive,), ((),))
        # Tree actions come as fold, call, raises from the smallest, and their real actions in
        # the same order (amounts only grow), so merging keeps the order of first appearance.
        merged: dict[Action, list[int]] = {}
        max_bet = max(state.bets)
        pot_after_call = state.total_pot + max_bet - state.bets[seat]
        low, high = legal.min_raise_to, legal.max_raise_to
        for index, kind in enumerate(facts.kinds):
            if kind == FOLD:
                action = _FOLD if legal.can_fold else passive
            elif kind == CALL or low is None or high is None:
                action = passive
            else:
                k = facts.raise_index[index]
                if facts.all_in[k]:
                    action = Action.raise_to(high)
                else:
                    amount = max_bet + round(facts.fractions[k] * pot_after_call)
                    action = Action.raise_to(min(max(amount, low), high))
            merged.setdefault(action, []).append(index)
        return Spot(
            node,
            history,
            True,
            exact,
            tuple(notes),
            tuple(merged),
            tuple(tuple(sources) for sources in merged.values()),
        )


_FOLD, _CHECK, _CALL = Action.fold(), Action.check(), Action.call()
