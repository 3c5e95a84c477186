"""`SearchPolicy`: a blueprint that re-solves the betting round it is in, on exact cards.

Pluribus played its blueprint only for the first betting round and searched every later one
(Brown and Sandholm, Science 2019, supplementary "real-time search"); DeepStack re-solved at
every decision (Moravcik et al., Science 2017). This policy answers the calls a `Blueprint`
answers (``action_probabilities(state)``, ``act(state, rng)``) and, heads-up on the streets it
is told to search, answers from a subgame solved for the occasion:

1. **Beliefs.** Both seats' ranges at the start of the current round, by Bayes' rule over the
   hand's actions (`holdem.search.beliefs`): the opponent's actions weighed by the blueprint's
   strategy for every combination (`holdem.eval.lbr_model.BlueprintRange`), the seat to act's
   own actions by the strategy of the search that chose them when there was one.
2. **The subgame.** From the start of the round to the end of the game (the turn and river:
   the spot solver deals the rest of the board exactly): the pot and stacks of the round's start;
   on the river the blueprint's sizes (`blueprint_bet_tree`), on the turn a smaller tree that
   fits the time (`TURN_SIZES`); and every real bet or raise made in the round so far at its
   real size, so an opponent's off-tree bet is in the subgame rather
   than translated. A bet not in the last subgame makes a new one, solved from the round's start.
3. **Solve and play.** Discounted CFR (`holdem.search.solver.SpotSolver`) within the config's
   seconds and iterations; the answer is the average strategy at the node the round's actions
   lead to, for the hole cards of the seat to act.

On the flop (when ``streets`` holds 1) the subgame is depth-limited: it stops at the turn, where
both players choose among four continuation strategies of the blueprint
(`holdem.search.blueprint_continuation`), with its own budget (``flop_seconds``) and the same
compact sizes as the turn. Elsewhere (the preflop, more than two players) the blueprint plays,
translation and all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from holdem.cards.combos import COMBOS, N_COMBOS, blocked_combos, combo_index
from holdem.eval.lbr_model import BlueprintRange
from holdem.policy.draw import draw_action
from holdem.policy.follower import OFF_TREE, TRANSLATED
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState, Street
from holdem.search.beliefs import Likelihood, hand_ranges, replay, trim_range, widen_range
from holdem.search.blueprint_continuation import BlueprintContinuation, real_action
from holdem.search.solver import SpotSolver
from holdem.search.spot import PLAYERS, STREETS, BetTree, PlayerSizes, Spot
from holdem.search.spot_tree import build_tree

_MAX_SUBGAMES = 64
TURN_SIZES = BetTree.uniform([100.0], [100.0], True, max_raises=1)
"""The turn subgames' sizes unless a sizes file says otherwise: a pot bet, a pot raise and
all-in on the turn and the river. With a 100 bb blueprint's own sizes a turn subgame had 664 to
1,018 nodes and 700 to 1,100 combinations a side, 0.3 to 0.7 s an iteration on our 2 cores: a
second gave a few iterations, far from an equilibrium; with these, 154 to 166 nodes and 15 to 30
iterations a second (README, "Real-time search")."""


@dataclass(frozen=True)
class SearchConfig:
    """How a search is run: its budget (``seconds``, ``max_iterations``, stop early at
    ``accuracy_pct`` of the pot), the streets searched (1 flop, 2 turn, 3 river; the flop
    depth-limited within ``flop_seconds``, its leaves valued on ``flop_runouts`` runouts:
    `holdem.search.blueprint_continuation`; the turn too with ``turn_depth_limited``, its leaves
    on every river card), which strategy is
    played (``average`` or ``current``, the last iterate), and ``trust_pct``: a subgame whose
    exploitability is still above this share of the pot when the budget runs out is not played
    (the blueprint answers; a few iterations of CFR are close to uniform play). ``sizes``
    replaces the subgames' sizes (`holdem.search.spot.load_bet_tree`): by default the
    blueprint's on the river, `TURN_SIZES` on the turn; the round's real sizes are added either
    way. ``range_mass`` below 1 leaves out of each subgame both ranges' lightest combinations
    that together hold at most ``1 - range_mass`` of the range (`holdem.search.beliefs.
    trim_range`; the searcher's own hand always stays). ``opponent_floor`` above 0 spreads
    that share of the opponent's range evenly over every combination not on the board
    (`holdem.search.beliefs.widen_range`): the range by Bayes' rule assumes the opponent plays
    the blueprint, and this keeps in the subgame the hands it would not have played so (0.2 by
    default: against LBR on the river it cut LBR's winnings by 387 [56, 717] mbb/hand on the
    same deals, at no cost head to head; README, "LBR against the new blueprint"). The river
    alone is searched by default: on paired deals a turn search added nothing measurable to
    the river's (LBR and head to head, README) for ten times its time, while the river's
    search both halves what LBR wins and beats its blueprint head to head at 95%."""

    seconds: float = 1.0
    max_iterations: int = 1000
    accuracy_pct: float = 0.5
    streets: tuple[int, ...] = (3,)
    flop_seconds: float = 3.0
    flop_runouts: int = 8
    turn_depth_limited: bool = False
    play: str = "average"
    trust_pct: float = 25.0
    sizes: BetTree | None = None
    range_mass: float = 1.0
    opponent_floor: float = 0.2

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"search seconds {self.seconds:g}: give a positive time")
        if self.max_iterations < 1:
            raise ValueError(f"search iterations {self.max_iterations}: give 1 or more")
        if not self.accuracy_pct >= 0:
            raise ValueError(f"search accuracy {self.accuracy_pct:g}: give 0 or more % of the pot")
        for street in self.streets:
            if street not in (1, 2, 3):
                raise ValueError(
                    f"search streets {street}: the flop (1), turn (2) and river (3) are "
                    "searched; the preflop is the blueprint's"
                )
        if not self.flop_seconds > 0:
            raise ValueError(f"search flop-seconds {self.flop_seconds:g}: give a positive time")
        if self.flop_runouts < 1:
            raise ValueError(f"search flop-runouts {self.flop_runouts}: give 1 or more")
        if self.play not in ("average", "current"):
            raise ValueError(f"search play {self.play!r}: use average or current")
        if not self.trust_pct > 0:
            raise ValueError(f"search trust {self.trust_pct:g}: give a positive % of the pot")
        if not 0 < self.range_mass <= 1:
            raise ValueError(
                f"search range-mass {self.range_mass:g}: give a share of the range above 0, "
                "at most 1"
            )
        if not 0 <= self.opponent_floor < 1:
            raise ValueError(
                f"search opponent-floor {self.opponent_floor:g}: give a share of the range from "
                "0, below 1"
            )

    @property
    def streets_text(self) -> str:
        """The streets searched in words: ``river``, ``turn and river``, ``flop, turn and
        river``."""
        names = [Street(s).name.lower() for s in self.streets]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def describe(self) -> str:
        """One line: the streets, the budget and the strategy played."""
        streets = ", ".join(Street(s).name.lower() for s in self.streets)
        flop = (
            f" (the flop depth-limited within {self.flop_seconds:g} s, leaves on "
            f"{self.flop_runouts} runouts)"
            if 1 in self.streets
            else ""
        )
        if self.turn_depth_limited and 2 in self.streets:
            flop += " (the turn depth-limited, leaves on every river card)"
        ranges = (
            f", ranges cut to the combinations holding {self.range_mass:.1%} of them"
            if self.range_mass < 1
            else ""
        )
        if self.opponent_floor > 0:
            ranges += f", {self.opponent_floor:.0%} of the opponent's range spread over every hand"
        return (
            f"{streets} within {self.seconds:g} s{flop} or {self.max_iterations} iterations to "
            f"{self.accuracy_pct:g}% of the pot, playing the {self.play} strategy{ranges}"
        )


@dataclass(frozen=True)
class RoundAction:
    """A real action of the round as the subgame sees it: the player (0 OOP, 1 IP), its text
    in the spot tree, and for a bet or raise its size in % of the pot as the tree measures it
    (a bet: of the pot; a raise: over the call, of the pot after the call)."""

    player: int
    text: str
    kind: str = ""
    percent: float = 0.0


def round_actions(state: HandState, round_start: int, oop_seat: int, pot: int) -> list[RoundAction]:
    """The actions of ``state``'s hand from ``round_start`` on (the current round) as subgame
    actions; ``pot`` is the pot at the round's start. A raise that puts in every chip the seat
    had at the round's start is ``a``."""
    stack_at_start = replay(state, round_start).stacks
    out = []
    facing = 0  # the largest bet of the round so far (chips in the round)
    for record in state.history[round_start:]:
        player = 0 if record.seat == oop_seat else 1
        action = record.action
        if action.kind is ActionKind.FOLD:
            out.append(RoundAction(player, "f"))
        elif action.kind is ActionKind.CHECK:
            out.append(RoundAction(player, "x"))
        elif action.kind is ActionKind.CALL:
            out.append(RoundAction(player, "c"))
        else:
            to = int(action.amount)
            if facing == 0:
                kind, percent, letter = "bet", 100.0 * to / pot, "b"
            else:
                kind, percent, letter = "raise", 100.0 * (to - facing) / (pot + 2 * facing), "r"
            text = "a" if to >= stack_at_start[record.seat] else f"{letter}{to}"
            out.append(RoundAction(player, text, kind, percent))
            facing = to
    return out


@dataclass
class Subgame:
    """One solved subgame: the spot from the round's start, its solver, which seat is OOP, the
    number of actions the hand had when it was solved, and what the solve took."""

    spot: Spot
    solver: SpotSolver
    oop_seat: int
    round_start: int
    solved_at: int
    iterations: int
    seconds: float
    exploitability_pct: float

    def node_of(self, state: HandState) -> int | None:
        """The subgame's node that ``state``'s actions of this round lead to (None when one of
        them is not in the subgame)."""
        node = 0
        for action in round_actions(state, self.round_start, self.oop_seat, self.spot.pot):
            child = self.solver.tree.child(node, action.text)
            if child is None:
                return None
            node = child
        return node

    def action_row(self, node: int, text: str, play: str) -> np.ndarray | None:
        """(1326,) the probability of the action ``text`` at ``node`` for every combination
        (`strategy_at`); None when the node lacks it."""
        texts = self.solver.tree.actions_of(node)
        if text not in texts:
            return None
        return self.strategy_at(node, play)[texts.index(text)]

    def strategy_at(self, node: int, play: str = "average") -> np.ndarray:
        """(k, 1326) the strategy (``average``, or ``current``: the last iterate) of the player
        to act at ``node`` for every combination (0 outside its range)."""
        player = int(self.solver.tree.player[node])
        local = self.solver.strategy(node, current=play == "current")
        out = np.zeros((local.shape[0], N_COMBOS))
        out[:, self.solver.combos[player]] = local
        return out


def blueprint_bet_tree(blueprint: Any, street: int) -> BetTree:
    """The blueprint's sizes as a subgame's bet tree from ``street`` (2 turn, 3 river) on: its
    pot sizes of each street in % of the pot (its first sizes as bets and donk bets, the deeper
    ones as raises), its all-in, and the street's raise cap less the first bet."""
    spec = blueprint.tree.spec
    sizes: dict[tuple[str, str], PlayerSizes] = {}
    for index, name in enumerate(STREETS):
        betting = spec.streets[index + 1]
        bets = sorted({100.0 * s.amount for s in betting.sizes_at(0) if s.kind == "pot"})
        raises = sorted(
            {
                100.0 * s.amount
                for depth in range(1, max(len(betting.sizes), 2))
                for s in betting.sizes_at(depth)
                if s.kind == "pot"
            }
        )
        for key in PLAYERS:
            sizes[(name, key)] = PlayerSizes(
                tuple(bets), tuple(raises), tuple(bets), betting.all_in
            )
    return BetTree(sizes, 0.0, max(spec.streets[street].max_raises - 1, 0))


def with_real_sizes(
    tree: BetTree, street: int, extra: dict[tuple[int, str], set[float]], raises: int
) -> BetTree:
    """``tree`` with ``extra[(player, kind)]`` added on ``street`` (2 turn, 3 river): the real
    sizes (% of the pot) that ``player`` (0 OOP, 1 IP) bet (kind ``bet``; also as a donk bet)
    or raised (``raise``) in the round; its raise cap at least the round's ``raises`` after the
    first bet (the opponent is not bound by the tree's cap)."""
    name = STREETS[street - 1]
    sizes = dict(tree.sizes)
    for player, key in enumerate(PLAYERS):
        old = sizes[(name, key)]
        bets = tuple(sorted(set(old.bet) | extra.get((player, "bet"), set())))
        donks = tuple(sorted(set(old.donk) | extra.get((player, "bet"), set())))
        raise_sizes = tuple(sorted(set(old.raise_) | extra.get((player, "raise"), set())))
        sizes[(name, key)] = PlayerSizes(bets, raise_sizes, donks, old.allin)
    return BetTree(sizes, tree.allin_threshold, max(tree.max_raises, raises))


class SearchPolicy:
    """A `Blueprint` that searches the streets of its config heads-up (module docstring).

    ``SearchPolicy(Blueprint.load(path), SearchConfig(seconds=1.0))``; ``last`` is the last
    subgame solved or reused (its spot, solver and budget spent), and ``solves`` a record per
    subgame solved (street, nodes, combinations, iterations, seconds, exploitability, whether it
    was trusted), for reports."""

    def __init__(self, blueprint: Any, config: SearchConfig | None = None) -> None:
        self.blueprint = blueprint
        self.config = config or SearchConfig()
        self.model = BlueprintRange(blueprint)
        self._subgames: dict[tuple[Any, ...], list[Subgame]] = {}
        self.last: Subgame | None = None
        self.solves: list[dict[str, Any]] = []
        self._warmed: set[bool] = set()

    def describe(self) -> str:
        """The blueprint's description and the streets it searches."""
        return f"{self.blueprint.describe()}, searching the {self.config.streets_text}"

    @property
    def name(self) -> str:
        return f"search({self.blueprint.path})"

    def searches(self, state: HandState) -> bool:
        """Whether ``state``'s decision is answered by a search (else by the blueprint)."""
        return (
            state.n_seats == 2
            and state.to_act is not None
            and int(state.street) in self.config.streets
        )

    def action_probabilities(self, state: HandState) -> list[tuple[Action, float]]:
        """The real actions of the seat to act and their probabilities: the subgame's average
        strategy for its hole cards where it searches, the blueprint's elsewhere."""
        if not self.searches(state):
            return self.blueprint.action_probabilities(state)
        subgame, node = self.subgame(state)
        if not self.trusted(subgame):
            return self.blueprint.action_probabilities(state)
        seat = state.to_act
        assert seat is not None
        strategy = subgame.strategy_at(node, self.config.play)[
            :, combo_index(*state.hole_cards[seat])
        ]
        tree = subgame.solver.tree
        legal = state.legal_actions()
        total: dict[Action, float] = {}
        for share, child in zip(strategy, tree.children_of(node), strict=True):
            action = real_action(tree.action[int(child)], legal)
            total[action] = total.get(action, 0.0) + float(share)
        return list(total.items())

    def act(self, state: HandState, rng: np.random.Generator) -> Action:
        """An action drawn with ``rng`` from `action_probabilities` (the blueprint's own
        ``act``, with its per-hand translation draws, where it does not search)."""
        if not self.searches(state) or not self.trusted(self.subgame(state)[0]):
            return self.blueprint.act(state, rng)
        choices = self.action_probabilities(state)
        return draw_action(choices, rng)

    def likelihoods(
        self, state: HandState, action: Action, among: np.ndarray | None = None
    ) -> np.ndarray:
        """(1326,) the probability that the seat to act takes ``action`` with each combination
        (`holdem.eval.lbr_model.RangeModel`): the subgame's strategy for the whole range where
        it searches (so local best response models the searching bot exactly), the
        blueprint's elsewhere."""
        if not self.searches(state):
            return self.model.likelihoods(state, action, among)
        subgame, node = self.subgame(state)
        if not self.trusted(subgame):
            return self.model.likelihoods(state, action, among)
        after = state.clone()
        after.apply(action)
        text = round_actions(after, subgame.round_start, subgame.oop_seat, subgame.spot.pot)[
            -1
        ].text
        row = subgame.action_row(node, text, self.config.play)
        if row is None:
            raise ValueError(f"{action} is not an action of the subgame at {state!r}")
        return row

    def trusted(self, subgame: Subgame) -> bool:
        """Whether ``subgame`` was solved well enough to play (`SearchConfig.trust_pct`)."""
        return subgame.exploitability_pct <= self.config.trust_pct

    # -- subgames -----------------------------------------------------------------------------

    def _key(self, state: HandState, searcher: int) -> tuple[tuple[Any, ...], int]:
        """The key of ``state``'s round for ``searcher`` (public history to the round's start,
        board, searcher) and the index of the round's first action."""
        history = state.history
        street = int(state.street)
        round_start = next(
            (i for i, r in enumerate(history) if int(r.street) == street), len(history)
        )
        before = tuple((r.seat, r.action) for r in history[:round_start])
        return (state.config, state.board, before, searcher), round_start

    def subgame(self, state: HandState) -> tuple[Subgame, int]:
        """The solved subgame of ``state``'s round for the seat to act and the node where it
        stands: the last one solved for this round when it holds every action so far, else a
        new one with the round's real sizes."""
        seat = state.to_act
        assert seat is not None
        key, round_start = self._key(state, seat)
        for found in reversed(self._subgames.get(key, [])):
            node = found.node_of(state)
            if node is not None:
                self.last = found
                return found, node
        solved = self._solve(state, round_start, seat)
        if len(self._subgames) >= _MAX_SUBGAMES:
            self._subgames.clear()
        self._subgames.setdefault(key, []).append(solved)
        node = solved.node_of(state)
        if node is None:
            texts = [
                a.text for a in round_actions(state, round_start, solved.oop_seat, solved.spot.pot)
            ]
            raise AssertionError(
                f"a subgame built with the round's real sizes lacks its actions {texts}"
            )
        self.last = solved
        return solved, node

    def _likelihood_of(self, state: HandState, searcher: int) -> Any:
        """Per action of the hand, the likelihood function of Bayes' rule (module docstring):
        in a searched round, the searcher's own actions by the strategy of the subgame that chose
        them, and the opponent's bets that the blueprint had to translate by the subgame that
        held their real size (its model of the opponent), when there is one; everything else by
        the blueprint."""

        marks: tuple[int, ...] | None = None

        def likelihood_of(i: int, seat: int) -> Likelihood:
            nonlocal marks
            if int(state.history[i].street) in self.config.streets:
                if seat == searcher:
                    found = self._round_likelihood(state, i, searcher, own=True)
                    if found is not None:
                        return found
                else:
                    if marks is None:
                        marks = self.blueprint.follower.marks(state)
                    if marks[i] & (OFF_TREE | TRANSLATED):
                        found = self._round_likelihood(state, i, searcher, own=False)
                        if found is not None:
                            return found
            return self.model.likelihoods

        return likelihood_of

    def _round_likelihood(
        self, state: HandState, i: int, searcher: int, own: bool
    ) -> Likelihood | None:
        """The likelihood of action ``i`` by a subgame of ``searcher``'s for its round: for the
        searcher's ``own`` action the one played at it (the last solved by then that holds it),
        for the opponent's the last that holds its real size; None when there is none."""
        before = replay(state, i)
        key, round_start = self._key(before, searcher)
        for found in reversed(self._subgames.get(key, [])):
            node = found.node_of(before)
            if node is None or (own and found.solved_at > i):
                continue
            if not self.trusted(found):
                return None  # the blueprint answered that decision
            text = round_actions(state, round_start, found.oop_seat, found.spot.pot)[
                i - round_start
            ].text
            row = found.action_row(node, text, self.config.play)
            if row is None:
                continue
            return lambda _state, _action: row
        return None

    def _warm_up(self, spot: Spot, start: HandState, oop_seat: int, depth_limited: bool) -> None:
        """Solve a copy of ``spot`` with two combinations a side for two iterations, once per
        kind of subgame and process, so that the kernels are compiled (a fresh install) or
        loaded from Numba's cache before a budget's clock starts: on a fresh clone the first
        depth-limited flop search otherwise spent its 3 s compiling (1 iteration, 189% of the
        pot, not played)."""
        tiny = replace(spot, ranges=_tiny_ranges(spot.ranges))
        if depth_limited:
            leaves = BlueprintContinuation(self.blueprint, start, oop_seat, 1)
            SpotSolver(tiny, continuation=leaves).solve(0.0, 2, 60.0)
        else:
            SpotSolver(tiny).solve(0.0, 2, 60.0)

    def _kept_actions(
        self, state: HandState, round_start: int, searcher: int, spot: Spot, oop_seat: int
    ) -> dict[int, np.ndarray]:
        """Locks that keep the searcher's decisions already taken in this round as the subgame
        that took them played them (Pluribus's re-solving keeps its strategy for the actions it
        took): at each of its nodes on the round's path in the new subgame, the previous
        subgame's strategy for every combination, 0 for an action the previous one lacked."""
        key, _ = self._key(state, searcher)
        previous = self._subgames.get(key, [])
        if not previous:
            return {}
        limited = spot.street == "flop" or (
            spot.street == "turn" and self.config.turn_depth_limited
        )
        tree = build_tree(spot, depth_limited=limited)
        player = 0 if searcher == oop_seat else 1
        combos = np.flatnonzero(spot.ranges[player] > 0)
        locks: dict[int, np.ndarray] = {}
        node = 0
        actions = round_actions(state, round_start, oop_seat, spot.pot)
        for i, action in enumerate(actions):
            if int(tree.player[node]) == player:
                before = replay(state, round_start + i)
                old = next(
                    (
                        g
                        for g in reversed(previous)
                        if g.solved_at <= round_start + i and g.node_of(before) is not None
                    ),
                    None,
                )
                if old is not None and self.trusted(old):
                    old_node = old.node_of(before)
                    assert old_node is not None
                    old_texts = old.solver.tree.actions_of(old_node)
                    old_rows = old.strategy_at(old_node, self.config.play)
                    lock = np.zeros((int(tree.n_children[node]), combos.size))
                    for a, text in enumerate(tree.actions_of(node)):
                        if text in old_texts:
                            lock[a] = old_rows[old_texts.index(text)][combos]
                    total = lock.sum(axis=0)
                    lock[:, total > 0] /= total[total > 0]
                    lock[:, total <= 0] = 1.0 / lock.shape[0]
                    locks[node] = lock
            child = tree.child(node, action.text)
            if child is None:
                break
            node = child
        return locks

    def _solve(self, state: HandState, round_start: int, searcher: int) -> Subgame:
        """A new subgame of ``state``'s round (module docstring), solved within the budget."""
        config = self.config
        start = replay(state, round_start)
        oop_seat = start.to_act
        assert oop_seat is not None
        pot = int(start.total_pot)
        stack = int(min(start.stacks))
        ranges = hand_ranges(state, self._likelihood_of(state, searcher), round_start)
        unblocked = ~blocked_combos(state.board)
        for seat in (0, 1):
            # a history the model gives no combination (a line the blueprint never plays):
            # nothing is known, every combination is as likely
            if not ranges[seat].sum() > 0:
                ranges[seat] = unblocked.astype(np.float64)
        ranges[1 - searcher] = widen_range(ranges[1 - searcher], config.opponent_floor, unblocked)
        # the searcher's own hand must be in its range, or the subgame says nothing for it
        own = combo_index(*state.hole_cards[searcher])
        if ranges[searcher, own] <= 0:
            live = ranges[searcher][ranges[searcher] > 0]
            ranges[searcher, own] = 1e-6 * (live.mean() if live.size else 1.0)
        for seat in (0, 1):
            kept = own if seat == searcher else -1
            ranges[seat] = trim_range(ranges[seat], config.range_mass, kept)
        extra: dict[tuple[int, str], set[float]] = {}
        actions = round_actions(state, round_start, oop_seat, pot)
        for action in actions:
            if action.kind:
                extra.setdefault((action.player, action.kind), set()).add(action.percent)
        raises = max(sum(1 for action in actions if action.kind) - 1, 0)
        street = int(state.street)
        if config.sizes is not None:
            base = config.sizes
        elif street in (1, 2):
            base = TURN_SIZES
        else:
            base = blueprint_bet_tree(self.blueprint, street)

        tree = with_real_sizes(base, street, extra, raises)
        spot = Spot(state.board, pot, stack, (ranges[oop_seat], ranges[1 - oop_seat]), tree)
        locks = self._kept_actions(state, round_start, searcher, spot, oop_seat)
        depth_limited = street == 1 or (street == 2 and config.turn_depth_limited)
        if depth_limited not in self._warmed:
            self._warm_up(spot, start, oop_seat, depth_limited)
            self._warmed.add(depth_limited)
        began = time.perf_counter()
        budget = config.flop_seconds if street == 1 else config.seconds
        if depth_limited:
            # depth-limited: leaves at the next street, valued by the blueprint's continuations
            leaves = BlueprintContinuation(self.blueprint, start, oop_seat, config.flop_runouts)
            solver = SpotSolver(spot, locks=locks, continuation=leaves)
        else:
            solver = SpotSolver(spot, locks=locks)
        # the budget counts building the subgame (its tables, the showdown plans of its boards)
        seconds = max(budget - (time.perf_counter() - began), 0.05)
        progress = solver.solve(config.accuracy_pct, config.max_iterations, seconds)
        solved = Subgame(
            spot,
            solver,
            oop_seat,
            round_start,
            len(state.history),
            progress.iterations,
            time.perf_counter() - began,
            progress.exploitability_pct,
        )
        self.solves.append(
            {
                "street": street,
                "nodes": int(solver.tree.n_nodes),
                "combos": [len(solver.combos[0]), len(solver.combos[1])],
                "iterations": solved.iterations,
                "seconds": solved.seconds,
                "exploitability_pct": solved.exploitability_pct,
                "trusted": self.trusted(solved),
            }
        )
        return solved


def _tiny_ranges(ranges: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two combinations a side for warm-ups: OOP's two heaviest, and IP's two heaviest that
    share no card with them (so that a deal is possible)."""
    oop, ip = np.zeros_like(ranges[0]), np.zeros_like(ranges[1])
    heaviest = np.argsort(ranges[0])[-2:]
    oop[heaviest] = ranges[0][heaviest]
    blocked = blocked_combos(int(card) for card in COMBOS[heaviest].ravel())
    allowed = np.where(blocked, 0.0, ranges[1])
    chosen = np.argsort(allowed)[-2:]
    ip[chosen] = allowed[chosen]
    return oop, ip
