"""The opponent as local best response sees it: a policy that plays, and a model of its range.

Local best response (`holdem.eval.lbr`) needs, for any state where the opponent is to act and
any action, the probability that the opponent takes that action with each of the 1,326
hole-card combinations (`holdem.eval.lbr_cards.COMBOS`): after each real action it multiplies
the range by these likelihoods (Bayes' rule), and before each of its own raises it asks how
likely each combination is to fold to it. Asking the policy 1,326 times with the hole cards
replaced is what `PolicyRange` does (any object with ``action_probabilities(state)``: about
0.1 s per question); `BlueprintRange` gives the same answer for a `holdem.policy.Blueprint` in
well under a millisecond once warm:

1. the betting history decides the tree node and which of its actions become the real action
   (`Blueprint.spot`: nothing there depends on the cards);
2. each combination's bucket on the street comes from the blueprint's card abstraction, for all
   1,326 at once and once per board (`holdem.eval.lbr_cards.combo_buckets`);
3. the node's row is read once per bucket (`Blueprint.tree_probabilities`), and the action's
   probability per bucket is kept for the node, so each combination's likelihood is one gather.

Where a bet between two tree sizes splits the history into lines (`Spot.lines`), the likelihood
is the lines' mixture, as `Blueprint.action_probabilities` gives it: not conditioned on the
seat's own earlier actions (`holdem.policy.follower`), an approximation that can only loosen
LBR's bound. On a line off the tree (`Spot.on_tree` false) the blueprint plays check or call
whatever it holds, so that line's likelihood is the same for every combination.

`Opponent` pairs a policy with its range model; it is what the LBR runner plays against
(``act``) and what LBR models (``likelihoods``), and it pickles as its spec (a blueprint path
or a baseline name) so spawned workers load it themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from holdem.cards.combos import COMBOS, N_COMBOS
from holdem.eval.agents import CallAgent, FoldAgent, RaisePotAgent, RandomAgent
from holdem.eval.blueprint_agent import load_blueprint
from holdem.eval.lbr_cards import combo_buckets
from holdem.eval.registry import baseline_name, unknown_agent
from holdem.eval.rule_bot import TightAggressiveAgent
from holdem.policy.draw import draw_action
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState

_MAX_CACHED = 20_000  # (node, action) rows of up to a few hundred buckets: tens of MB at most


@runtime_checkable
class ActionPolicy(Protocol):
    """Anything that gives the real actions of the seat to act with their probabilities."""

    def action_probabilities(self, state: HandState) -> list[tuple[Action, float]]:
        """The real actions of the seat to act in ``state`` and their probabilities (sum 1)."""
        ...


class RangeModel(Protocol):
    """Likelihoods of an action for each hole-card combination of the seat to act."""

    def likelihoods(
        self, state: HandState, action: Action, among: np.ndarray | None = None
    ) -> np.ndarray:
        """(1326,) float64: ``P(action | the seat to act holds COMBOS[i])``.

        ``among`` (bool, 1326) marks the combinations that matter; others may get any value.
        """
        ...


def with_hole_cards(state: HandState, seat: int, cards: tuple[int, int]) -> HandState:
    """``state`` replayed from its start with ``seat`` holding ``cards`` (the same board so far
    and the same actions). ``cards`` must not be on the board or in another seat's hand."""
    holes = list(state.hole_cards)
    holes[seat] = cards
    replay = HandState.new(state.config, holes, state.board)
    for record in state.history:
        replay.apply(record.action, record.seat)
    return replay


def _probability(choices: list[tuple[Action, float]], action: Action) -> float:
    return float(sum(p for a, p in choices if a == action))


class PolicyRange:
    """The range model of any `ActionPolicy`, by asking it once per combination.

    With ``card_independent`` (a policy whose choice never depends on its cards, such as the
    ``call`` baseline) it asks once and gives that answer to every combination.
    """

    def __init__(self, policy: ActionPolicy, card_independent: bool = False) -> None:
        self.policy = policy
        self.card_independent = card_independent

    def likelihoods(
        self, state: HandState, action: Action, among: np.ndarray | None = None
    ) -> np.ndarray:
        seat = state.to_act
        if seat is None:
            raise ValueError("nobody is to act: no likelihoods")
        if self.card_independent:
            p = _probability(self.policy.action_probabilities(state), action)
            return np.full(N_COMBOS, p)
        out = np.zeros(N_COMBOS)
        used = set(state.board)
        for other, pair in enumerate(state.hole_cards):
            if other != seat:
                used.update(pair)
        wanted = np.ones(N_COMBOS, np.bool_) if among is None else among
        for i in np.flatnonzero(wanted):
            a, b = int(COMBOS[i, 0]), int(COMBOS[i, 1])
            if a in used or b in used:
                continue
            replay = with_hole_cards(state, seat, (a, b))
            out[i] = _probability(self.policy.action_probabilities(replay), action)
        return out


def _street_tables(blueprint: Any) -> list[np.ndarray | None]:
    """The bucket table of each street as `Blueprint.bucket` reads it (None: class preflop,
    bucket 0 later)."""
    cards = blueprint.cards
    tables: list[np.ndarray | None] = [None, None, None, None]
    if cards.abstraction is not None:
        for street, name in enumerate(("preflop", "flop", "turn", "river")):
            if cards.n_buckets[street] > 1:
                tables[street] = cards.abstraction.tables[name]
    return tables


class BlueprintRange:
    """The range model of a `holdem.policy.Blueprint`, by bucket (see the module docstring)."""

    def __init__(self, blueprint: Any) -> None:
        self.blueprint = blueprint
        self._tables = _street_tables(blueprint)
        self._buckets: dict[tuple[int, ...], np.ndarray] = {}
        self._by_bucket: dict[tuple[int, tuple[int, ...]], np.ndarray] = {}

    def buckets(self, board: tuple[int, ...]) -> np.ndarray:
        """(1326,) int64: every combination's bucket on the street of ``board``."""
        found = self._buckets.get(board)
        if found is None:
            if len(self._buckets) >= 64:
                self._buckets.clear()
            street = {0: 0, 3: 1, 4: 2, 5: 3}[len(board)]
            found = combo_buckets(self._tables[street], board)
            self._buckets[board] = found
        return found

    def bucket_probabilities(self, node: int, sources: tuple[int, ...]) -> np.ndarray:
        """(buckets of the node's street,): the probability of the node's actions ``sources``
        (merged into one real action) for each bucket."""
        key = (node, sources)
        found = self._by_bucket.get(key)
        if found is None:
            found = self.blueprint.node_probabilities(node)[:, list(sources)].sum(axis=1)
            if len(self._by_bucket) >= _MAX_CACHED:
                self._by_bucket.clear()
            self._by_bucket[key] = found
        return found

    def likelihoods(
        self, state: HandState, action: Action, among: np.ndarray | None = None
    ) -> np.ndarray:
        spot = self.blueprint.spot(state)
        total = np.zeros(N_COMBOS)
        for line in spot.lines:
            if action not in line.actions:
                continue
            if not line.on_tree:
                total += line.probability
                continue
            sources = line.sources[line.actions.index(action)]
            by_bucket = self.bucket_probabilities(line.node, sources)
            total += line.probability * by_bucket[self.buckets(state.board)]
        return total


class BaselinePolicy:
    """`ActionPolicy` of a baseline agent of `holdem.eval.agents` or `holdem.eval.rule_bot`.

    The deterministic ones (``call``, ``fold``, ``raise-pot``, ``tag``) give their action with
    probability 1; ``random`` gives each legal kind of action 1 / (kinds) and, for a raise, each
    whole amount of the legal range equally, as `RandomAgent` draws them.
    """

    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self._rng = np.random.default_rng(0)  # handed to deterministic agents, never drawn from

    def action_probabilities(self, state: HandState) -> list[tuple[Action, float]]:
        seat = state.to_act
        if seat is None:
            raise ValueError("nobody is to act")
        if isinstance(self.agent, RandomAgent):
            legal = state.legal_actions()
            kinds = legal.kinds()
            share = 1.0 / len(kinds)
            out = [(Action(kind), share) for kind in kinds if kind is not ActionKind.RAISE]
            if legal.min_raise_to is not None and legal.max_raise_to is not None:
                amounts = range(legal.min_raise_to, legal.max_raise_to + 1)
                out += [(Action.raise_to(a), share / len(amounts)) for a in amounts]
            return out
        return [(self.agent.act(state, seat, self._rng), 1.0)]


BASELINE_OPPONENTS: dict[str, tuple[type, bool]] = {
    "call": (CallAgent, True),
    "fold": (FoldAgent, True),
    "raise-pot": (RaisePotAgent, True),
    "random": (RandomAgent, True),
    "tag": (TightAggressiveAgent, False),
}
"""Baselines LBR can face: their agent class and whether their play ignores their cards."""


class Opponent:
    """A heads-up opponent: ``act`` plays it, ``likelihoods`` models its range.

    Build it with `Opponent.load` (a blueprint path or a baseline name) or `Opponent.of_policy`
    (any `ActionPolicy`, in this process). A blueprint acts as `holdem.eval.BlueprintAgent`
    does, a baseline as its agent does, another policy by drawing from its probabilities.
    """

    def __init__(
        self,
        name: str,
        policy: ActionPolicy,
        model: RangeModel,
        agent: Any | None = None,
        spec: str | None = None,
        n_players: int = 2,
        table: Any | None = None,
    ) -> None:
        self.name = name
        self.policy = policy
        self.model = model
        self.agent = agent
        self.spec = spec
        self.n_players = n_players
        self.table = table
        self.description = name
        self.search: Any | None = None

    @classmethod
    def load(cls, spec: str, search: Any | None = None) -> Opponent:
        """A baseline by name or alias (`holdem.eval.registry.baseline_name`) or the blueprint,
        snapshot or checkpoint at path ``spec``; one-line ValueError when it is neither or
        cannot be loaded. With ``search`` (a `holdem.search.search_policy.SearchConfig`) the
        blueprint searches as it plays (`holdem.search.search_policy.SearchPolicy`), and its
        subgames model its range."""
        name = baseline_name(spec)
        if name is not None:
            agent_class, independent = BASELINE_OPPONENTS[name]
            agent = agent_class()
            policy = BaselinePolicy(agent)
            opponent = cls(name, policy, PolicyRange(policy, independent), agent, name)
            kind = "ignores its cards" if independent else "plays by its cards"
            opponent.description = f"baseline {name} ({agent_class.__name__}; {kind})"
            return opponent
        if not Path(spec).exists():
            raise unknown_agent(spec)
        blueprint = load_blueprint(Path(spec))
        if search is not None:
            # imported here: the search room imports this module
            from holdem.search.search_policy import SearchPolicy

            searching = SearchPolicy(blueprint, search)
            opponent = cls(
                f"{spec} with search",
                searching,
                searching,
                spec=spec,
                n_players=int(blueprint.n_players),
                table=blueprint.table_config(),
            )
            opponent.search = search
            opponent.description = f"{blueprint.describe()}, searching {search.describe()}"
            return opponent
        opponent = cls(
            spec,
            blueprint,
            BlueprintRange(blueprint),
            spec=spec,
            n_players=int(blueprint.n_players),
            table=blueprint.table_config(),
        )
        opponent.description = blueprint.describe()
        return opponent

    @classmethod
    def of_policy(cls, policy: ActionPolicy, name: str, card_independent: bool = False) -> Opponent:
        """Any policy, modelled by asking it per combination (`PolicyRange`)."""
        return cls(name, policy, PolicyRange(policy, card_independent))

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        """The opponent's action: its agent's, else a draw from its action probabilities."""
        if self.agent is not None:
            action: Action = self.agent.act(state, seat, rng)
            return action
        choices = self.policy.action_probabilities(state)
        return draw_action(choices, rng)

    def likelihoods(
        self, state: HandState, action: Action, among: np.ndarray | None = None
    ) -> np.ndarray:
        """See `RangeModel.likelihoods`."""
        return self.model.likelihoods(state, action, among)

    def tree_marks(self, state: HandState) -> tuple[int, ...] | None:
        """Per action record of ``state``, how a blueprint's tree followed it
        (`holdem.policy.follower.TreeFollower.marks`); None for a policy without a tree."""
        follower = getattr(self.policy, "follower", None)
        if follower is None:
            return None
        marks: tuple[int, ...] = follower.marks(state)
        return marks

    def __reduce__(self) -> Any:
        if self.spec is not None:
            return (Opponent.load, (self.spec, self.search))
        return object.__reduce__(self)
