"""Local best response: a lower bound on how much a heads-up policy can be beaten.

V. Lisý and M. Bowling, "Equilibrium Approximation Quality of Current No-Limit Poker Bots",
AAAI-17 Workshop on Computer Poker and Imperfect Information Games, 2017,
https://arxiv.org/abs/1612.07547.

Local best response (LBR) plays one seat of real hands, under the rules engine, against the
policy it measures, knowing that policy (white box) but not its cards. Whatever LBR wins per hand
is won by a real strategy, so it bounds from below what a best response wins, that is the
policy's exploitability (up to the sampling interval), without computing one.

As implemented here (`LocalBestResponse.decide`):

- The range. LBR keeps a probability for each of the 1,326 hole-card combinations of the
  opponent: uniform over those that share no card with its own hole cards and the board, then
  after each opponent action multiplied by the probability the opponent takes that action with
  each combination (Bayes' rule; `holdem.eval.lbr_model` computes those likelihoods from the
  policy itself, by bucket for a blueprint). The range is exact given the policy.
- The values, as the paper's Figure 1 computes them, in chips of the whole hand (so folding is
  worth minus what LBR has put in, ``m``; the opponent has put in ``o``) and under its
  assumption that the hand ends after LBR's action: the rest of the board is dealt with no more
  betting and a showdown, so a check or call is worth ``(2 e - 1) c`` with ``e`` LBR's equity
  against the range over every runout (`holdem.eval.lbr_cards.equity_vector`) and ``c`` the
  chips each side then has in. A bet or raise is worth ``f o + (1 - f) (2 e' - 1) C``: ``f`` the
  probability that the range folds to it (the policy asked at the state after the raise, for
  every combination), and, when it does not fold, a call and a showdown with ``C`` chips each
  (capped by the opponent's stack). The paper's Figure 1 writes the called branch with the
  equity ``wp`` of the whole range; here ``e'`` is the equity against the combinations that do
  not fold, each weighted by its probability of continuing, which is what the game-ends
  assumption gives and what makes LBR an exact best response in push/fold (the small blind's
  fold or all-in, then the big blind's fold or call, is a game that ends after each action).
- The choice: the action of largest value among its action set (`ActionSet`; the paper's
  ``FCPA``, fold, check/call, pot-sized bet or raise, all-in, by default), ties to the passive
  action. So preflop and on the flop and turn the values are the equity heuristic of the
  paper, on the river they are exact except that the opponent may re-raise rather than call.

Approximations, in one place: the game-ends assumption (no later betting is valued; an opponent
that does not fold is assumed to call); preflop equity of a hand against a combination is the
exact mean equity of their preflop classes with card removal (`holdem.eval.lbr_cards`); the
action set is a few sizes. Whatever they cost, LBR's winnings are those of a real strategy, so
in expectation they never exceed a best response's (heads-up, over both seats, the
exploitability): the approximations can only loosen the bound, never overstate it.

What LBR exploits: against a blueprint, each hand's betting is followed into the blueprint's
tree after the hand (`holdem.policy.follower.TreeFollower.marks`, the most likely translation),
and the result counts per street LBR's actions that the tree had to translate (a size it lacks,
a limp where it takes none) or that came where the tree had no decision for LBR, and the
blueprint's answers given where the tree had no decision for it (one passive action whatever it
holds) or after a translation or re-entry in the hand (`LBRResult.tree_counts`).

`run_lbr` plays LBR against an `holdem.eval.lbr_model.Opponent` over duplicate deals: each
deal is played twice with the hole cards staying with the seats and LBR in seat 0 (the small
blind and button) then seat 1 (the big blind), dealt as `holdem.eval.match` deals (one deck
shuffle per deal from a chunk's generator). Per deal it keeps LBR's chips in each seat, so the
result gives milli big blinds per hand overall and per seat with 95 % intervals
(`holdem.eval.intervals.mean_interval`).
Chunks of `CHUNK_DEALS` deals draw from ``SeedSequence(seed, spawn_key=(chunk,))`` only, so the
numbers depend on the seed and not on the number of workers (spawned processes).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from holdem.cards.preflop_matchups import PreflopMatchups, preflop_matchups
from holdem.eval.agents import Agent
from holdem.eval.chunk_pool import (
    close_pool,
    resolve_workers,
    run_bounded,
    spawn_pool,
    split_chunks,
    worker_values,
)
from holdem.eval.intervals import MeanInterval, mean_interval
from holdem.eval.lbr_cards import blocked_combos, equity_vector
from holdem.eval.lbr_model import Opponent
from holdem.eval.match import MatchConfig, play_hand
from holdem.policy.follower import INEXACT_BEFORE, OFF_TREE, TRANSLATED
from holdem.rules.actions import Action, ActionKind
from holdem.rules.dealing import Deal
from holdem.rules.state import HandState, Street

STREET_NAMES = ("preflop", "flop", "turn", "river")
CHUNK_DEALS = 50
"""Deals per chunk (a few seconds of LBR's play, so progress and a stop come soon). Part of what
a seed means: changing it changes the deals."""
_TIE = 1e-9
FIFTY_SIX_BETS = tuple(0.05 * 1.15**k for k in range(55))
"""The pot fractions of LBR's ``56bets`` set, all-in being its 56th bet: from 5% of the pot,
each 15% above the last, up to 95 pots. The LBR paper's own list was not in what we could
consult; this is the set as accounts of the LBR logs released with DeepStack describe it
(README, "Real-time search"), so a ``56bets`` row is comparable with the published one only as
far as that description is right."""


@dataclass(frozen=True)
class ActionSet:
    """What LBR may do: check or call always; fold on the streets ``fold_streets``; bets or
    raises of ``pot_fractions`` of the pot (to the largest bet plus that share of the pot after
    calling, as `pot_raise_to` does for 1) and all-in, on the streets ``raise_streets`` (0
    preflop .. 3 river).

    ``limp`` False forbids calling when facing only the blinds preflop (as a betting config's
    ``limp: false``): the small blind then folds or raises, as in push/fold. Validated on
    construction. `ActionSet.parse` reads the per-street notation of the LBR paper's table
    (``C/C/FCPA/FCPA``).
    """

    pot_fractions: tuple[float, ...] = (1.0,)
    all_in: bool = True
    limp: bool = True
    raise_streets: tuple[int, ...] = (0, 1, 2, 3)
    fold_streets: tuple[int, ...] = (0, 1, 2, 3)

    def __post_init__(self) -> None:
        fractions = tuple(float(f) for f in self.pot_fractions)
        for f in fractions:
            if not (f > 0 and np.isfinite(f)):
                raise ValueError(f"a bet size is a positive fraction of the pot, got {f:g}")
        object.__setattr__(self, "pot_fractions", tuple(sorted(set(fractions))))
        for name in ("raise_streets", "fold_streets"):
            streets = tuple(sorted(set(int(s) for s in getattr(self, name))))
            for s in streets:
                if not 0 <= s <= 3:
                    raise ValueError(f"a street is 0 (preflop) to 3 (river), got {s}")
            object.__setattr__(self, name, streets)

    @classmethod
    def parse(cls, text: str) -> ActionSet:
        """The action set of one token per street, ``/``-separated, in the notation of Lisy and
        Bowling's table (and DeepStack's, Science 2017, supplement table 3): ``F`` fold, ``C``
        check or call, ``P`` a pot-sized bet or raise, ``A`` all-in; ``C`` is on every street;
        ``56bets`` is fold, check or call, the bets of `FIFTY_SIX_BETS` and all-in. Streets
        that raise share their sizes: ``FC/FC/FC/FC``, ``C/C/FCPA/FCPA``,
        ``C/C/56bets/56bets``, ``FCPA/FCPA/FCPA/FCPA``. One-line ValueError naming the token."""
        tokens = [t.strip().upper() for t in text.split("/")]
        if len(tokens) != 4:
            raise ValueError(
                f"{text!r}: give one token per street, preflop/flop/turn/river, such as "
                "C/C/FCPA/FCPA"
            )
        folds, raises, sizes = [], [], set()
        for street, token in enumerate(tokens):
            if token == "56BETS":
                folds.append(street)
                raises.append(street)
                sizes.add(frozenset({token}))
                continue
            unknown = set(token) - set("FCPA")
            if unknown or "C" not in token:
                raise ValueError(
                    f"{text!r}: street {STREET_NAMES[street]} {token!r}: use the letters F "
                    "(fold), C (check or call, always), P (pot) and A (all-in), or 56bets"
                )
            if "F" in token:
                folds.append(street)
            kinds = frozenset(token) & {"P", "A"}
            if kinds:
                raises.append(street)
                sizes.add(kinds)
        if len(sizes) > 1:
            raise ValueError(
                f"{text!r}: the streets that raise must offer the same sizes (P, A, PA or 56bets)"
            )
        kinds = next(iter(sizes), frozenset())
        if "56BETS" in kinds:
            return cls(FIFTY_SIX_BETS, True, True, tuple(raises), tuple(folds))
        fractions = (1.0,) if "P" in kinds else ()
        return cls(fractions, "A" in kinds, True, tuple(raises), tuple(folds))

    @property
    def label(self) -> str:
        """``fold, check/call, bet 1 pot, all-in``, and where raises or folds are allowed when
        not every street, and ``no limp`` when limping is not allowed."""
        parts = ["fold", "check/call"]
        fractions = self.pot_fractions
        if len(fractions) > 4:
            parts.append(f"{len(fractions)} bets of {fractions[0]:.3g} to {fractions[-1]:.3g} pot")
        else:
            parts += [f"bet {f:g} pot" for f in fractions]
        if self.all_in:
            parts.append("all-in")
        text = ", ".join(parts)
        for streets, what in ((self.raise_streets, "raises"), (self.fold_streets, "folds")):
            if streets != (0, 1, 2, 3):
                where = ", ".join(STREET_NAMES[s] for s in streets) or "no street"
                text += f" ({what} on {where})"
        if not self.limp:
            text += " (no limp)"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "check_call": True,
            "pot_fractions": list(self.pot_fractions),
            "all_in": self.all_in,
            "limp": self.limp,
            "raise_streets": [STREET_NAMES[s] for s in self.raise_streets],
            "fold_streets": [STREET_NAMES[s] for s in self.fold_streets],
        }


@dataclass(frozen=True)
class Decision:
    """One LBR decision: the actions it weighed with their values (chips of the whole hand, as
    in the module docstring), the opponent's fold probability for each (0 for fold and
    check/call), its equity against the range, and the action chosen."""

    actions: tuple[Action, ...]
    values: tuple[float, ...]
    fold_probabilities: tuple[float, ...]
    equity: float
    action: Action


class _Track:
    """The range of one hand followed so far: the records already folded into ``weights``."""

    __slots__ = ("board", "config", "hand", "records", "seat", "weights")

    def __init__(self, config: Any, seat: int, hand: tuple[int, int]) -> None:
        self.config = config
        self.seat = seat
        self.hand = hand
        self.records: tuple[Any, ...] = ()
        self.board: tuple[int, ...] = ()
        self.weights = (~blocked_combos(hand)).astype(np.float64)


class LocalBestResponse:
    """The LBR agent against ``opponent`` with ``actions`` (see the module docstring).

    An `holdem.eval.agents.Agent`: ``act(state, seat, rng)`` never draws from ``rng`` (LBR is
    deterministic) and reads only its own seat's hole cards. It follows one hand at a time
    incrementally; any other state is followed from its start. Heads-up only.
    """

    def __init__(
        self,
        opponent: Opponent,
        actions: ActionSet | None = None,
        matchups: PreflopMatchups | None = None,
    ) -> None:
        self.opponent = opponent
        self.actions = actions or ActionSet()
        self._matchups = matchups
        self._preflop_equity: np.ndarray | None = None
        self._track: _Track | None = None
        self._equities: dict[tuple[tuple[int, int], tuple[int, ...]], np.ndarray] = {}
        self.counts: Counter[str] = Counter()

    @property
    def name(self) -> str:
        return f"LBR ({self.actions.label})"

    @property
    def matchups(self) -> PreflopMatchups:
        """The preflop class tables (computed once and cached on disk on first use)."""
        if self._matchups is None:
            self._matchups = preflop_matchups()
        return self._matchups

    def __reduce__(self) -> Any:
        return (LocalBestResponse, (self.opponent, self.actions))

    # -- the range ----------------------------------------------------------------------------

    def _replay(self, state: HandState, seat: int) -> HandState:
        """The state rebuilt with the opponent holding placeholder cards (LBR never reads the
        opponent's real ones), with the same board so far and actions."""
        hand = state.hole_cards[seat]
        used = set(hand) | set(state.board)
        spare = tuple(c for c in range(52) if c not in used)[:2]
        holes = [hand if s == seat else spare for s in range(state.n_seats)]
        return HandState.new(state.config, holes, state.board)

    def range_and_state(self, state: HandState, seat: int) -> tuple[np.ndarray, HandState]:
        """The opponent's range (1326 probabilities, sum 1) at ``state``, and ``state`` rebuilt
        with placeholder cards for the opponent (for questions about what happens next)."""
        if state.n_seats != 2:
            raise ValueError(f"local best response plays heads-up, the hand has {state.n_seats}")
        hand = state.hole_cards[seat]
        history = state.history
        track = self._track
        if (
            track is None
            or track.config != state.config
            or track.seat != seat
            or track.hand != hand
            or history[: len(track.records)] != track.records
            or state.board[: len(track.board)] != track.board
        ):
            track = _Track(state.config, seat, hand)
            self._track = track
        replay = self._replay(state, seat)
        weights = track.weights
        done = len(track.records)
        for k, record in enumerate(history):
            if k >= done and record.seat != seat:
                weights = weights * self.opponent.likelihoods(replay, record.action, weights > 0)
                weights = self._normalised(weights, track.hand, replay.board)
            replay.apply(record.action, record.seat)
        weights = self._normalised(weights, track.hand, state.board)
        track.weights = weights
        track.records = history
        track.board = state.board
        return weights, replay

    def _normalised(
        self, weights: np.ndarray, hand: tuple[int, int], board: tuple[int, ...]
    ) -> np.ndarray:
        weights = np.where(blocked_combos((*hand, *board)), 0.0, weights)
        total = weights.sum()
        if total > 0:
            return np.asarray(weights / total)
        # The policy gave the action no probability with any hand LBR thought possible (a
        # model that is not the player): start again from every unblocked hand.
        self.counts["range_resets"] += 1
        weights = (~blocked_combos((*hand, *board))).astype(np.float64)
        return np.asarray(weights / weights.sum())

    def equities(self, hand: tuple[int, int], board: tuple[int, ...]) -> np.ndarray:
        """LBR's equity against each combination (`holdem.eval.lbr_cards.equity_vector`)."""
        key = (hand, board)
        found = self._equities.get(key)
        if found is None:
            if len(self._equities) >= 16:
                self._equities.clear()
            if self._preflop_equity is None:
                self._preflop_equity = self.matchups.mean_equity
            found = equity_vector(hand, board, self._preflop_equity)
            self._equities[key] = found
        return found

    # -- the decision -------------------------------------------------------------------------

    def candidates(self, state: HandState) -> list[Action]:
        """LBR's actions at ``state`` from its action set: check or call, bets or raises from
        the smallest (amounts rounded and moved into the legal range, duplicates merged),
        fold last (only when facing a bet)."""
        legal = state.legal_actions()
        seat = legal.seat
        out: list[Action] = []
        passive = Action.check() if legal.can_check else Action.call()
        facing_blinds = (
            state.street is Street.PREFLOP
            and legal.can_call
            and not any(r.action.kind is ActionKind.RAISE for r in state.history)
        )
        if self.actions.limp or not facing_blinds:
            out.append(passive)
        low, high = legal.min_raise_to, legal.max_raise_to
        if low is not None and high is not None and int(state.street) in self.actions.raise_streets:
            max_bet = state.max_bet
            pot_after_call = state.total_pot + max_bet - state.bets[seat]
            amounts = [
                min(max(max_bet + round(f * pot_after_call), low), high)
                for f in self.actions.pot_fractions
            ]
            if self.actions.all_in:
                amounts.append(high)
            out += [Action.raise_to(a) for a in sorted(set(amounts))]
        if legal.can_fold and int(state.street) in self.actions.fold_streets:
            out.append(Action.fold())
        return out

    def decide(self, state: HandState, seat: int | None = None) -> Decision:
        """Weigh every candidate action at ``state`` (``seat`` to act) and choose."""
        seat = state.to_act if seat is None else seat
        if seat is None or seat != state.to_act:
            raise ValueError(f"seat {seat} is not to act in {state!r}")
        actions = self.candidates(state)
        weights, replay = self.range_and_state(state, seat)
        hand = state.hole_cards[seat]
        if len(actions) == 1:
            return Decision(tuple(actions), (0.0,), (0.0,), float("nan"), actions[0])
        equity_by_combo = self.equities(hand, state.board)
        equity = float(weights @ equity_by_combo)
        opp = 1 - seat
        mine, theirs = state.contributions[seat], state.contributions[opp]
        my_stack, their_stack = state.stacks[seat], state.stacks[opp]
        values: list[float] = []
        folds: list[float] = []
        for action in actions:
            if action.kind is ActionKind.FOLD:
                values.append(-float(mine))
                folds.append(0.0)
            elif action.kind is not ActionKind.RAISE:
                chips = min(theirs, mine + my_stack)
                values.append((2 * equity - 1) * chips)
                folds.append(0.0)
            else:
                after = replay.clone()
                after.apply(action, seat)
                fold = self.opponent.likelihoods(after, Action.fold(), weights > 0)
                p_fold = float(weights @ fold)
                keep = weights * (1.0 - fold)
                kept = keep.sum()
                called = min(mine + action.amount - state.bets[seat], theirs + their_stack)
                showdown = 0.0
                if kept > 0:
                    showdown = (2 * float(keep @ equity_by_combo) / kept - 1) * called
                values.append(p_fold * theirs + (1 - p_fold) * showdown)
                folds.append(p_fold)
        best = max(values)
        order = [i for i, a in enumerate(actions) if a.kind is not ActionKind.FOLD]
        order += [i for i, a in enumerate(actions) if a.kind is ActionKind.FOLD]
        choice = next(i for i in order if values[i] >= best - _TIE * (1.0 + abs(best)))
        return Decision(tuple(actions), tuple(values), tuple(folds), equity, actions[choice])

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        """LBR's action (an `holdem.eval.agents.Agent`); counts what it chose by kind."""
        decision = self.decide(state, seat)
        action = decision.action
        legal = state.legal_actions()
        if action.kind is ActionKind.RAISE:
            kind = "all-in" if action.amount == legal.max_raise_to else "bet/raise"
        else:
            kind = action.kind.value
        self.counts[f"{STREET_NAMES[int(state.street)]} {kind}"] += 1
        return action


# -- the runner -------------------------------------------------------------------------------


@dataclass
class LBRChunkResult:
    """What one chunk sends back: LBR's chips per deal and seat, and counts."""

    index: int
    seat_chips: np.ndarray
    counts: dict[str, int]
    pid: int


def play_lbr_chunk(
    lbr: LocalBestResponse, opponent: Opponent, config: MatchConfig, seed: int, index: int, n: int
) -> LBRChunkResult:
    """Chunk ``index``: ``n`` deals, each played with LBR in seat 0 then seat 1.

    The cards come from the first child of ``SeedSequence(seed, spawn_key=(index,))``, a
    shuffle per deal as `holdem.eval.match.play_chunk` deals; the opponent's generator for deal
    ``u`` starts from the same state in both of its hands (from the second child).
    """
    table = config.table()
    deal_seq, opponent_seq = np.random.SeedSequence(seed, spawn_key=(index,)).spawn(2)
    deal_rng = np.random.default_rng(deal_seq)
    starts = opponent_seq.spawn(n)
    chips = np.zeros((n, 2), np.int64)
    before = Counter(lbr.counts)
    tree: Counter[str] = Counter()
    unused = np.random.default_rng(0)
    for u in range(n):
        deal = Deal.random(2, deal_rng)
        for k in range(2):
            agents: list[Agent] = [lbr, opponent] if k == 0 else [opponent, lbr]
            rngs = [unused, np.random.default_rng(starts[u])]
            if k == 1:
                rngs.reverse()
            state = play_hand(table, deal, agents, rngs)
            chips[u, k] = state.payoffs[k]
            marks = opponent.tree_marks(state)
            if marks is not None:
                count_tree(tree, state, marks, k)
    counts = dict(lbr.counts - before)
    counts.update(tree)
    return LBRChunkResult(index, chips, counts, os.getpid())


TREE_COUNTS = ("actions", "translated", "off_tree")
"""What `count_tree` counts per street, for LBR's actions and the blueprint's answers."""


def count_tree(counts: Counter[str], state: HandState, marks: tuple[int, ...], lbr: int) -> None:
    """Add a finished hand's records to ``counts`` (keys ``tree:{lbr|blueprint}:{street}:
    {actions|translated|off_tree}``) from their follower ``marks``, LBR in seat ``lbr``.

    LBR's action is ``translated`` when the tree has no action of its kind and size, and
    ``off_tree`` when the tree had no decision for LBR there. The blueprint's answer is
    ``off_tree`` when its tree had no decision for it (one passive action for any hand), and
    ``translated`` when it was on the tree after a translation or re-entry earlier in the hand.
    """
    for record, mark in zip(state.history, marks, strict=True):
        street = STREET_NAMES[int(record.street)]
        off = bool(mark & OFF_TREE)
        if record.seat == lbr:
            who, translated = "lbr", bool(mark & TRANSLATED)
        else:
            who, translated = "blueprint", not off and bool(mark & INEXACT_BEFORE)
        counts[f"tree:{who}:{street}:actions"] += 1
        counts[f"tree:{who}:{street}:translated"] += translated
        counts[f"tree:{who}:{street}:off_tree"] += off


@dataclass(frozen=True)
class LBRResult:
    """A finished LBR run: per deal, LBR's chips in seat 0 (small blind) and seat 1 (big
    blind), and the figures derived from them."""

    opponent: str
    actions: ActionSet
    config: MatchConfig
    seed: int
    seat_chips: np.ndarray = field(repr=False)
    counts: dict[str, int]
    seconds: float
    workers: int
    worker_pids: tuple[int, ...] = ()
    opponent_detail: str = ""

    @property
    def deals(self) -> int:
        return int(self.seat_chips.shape[0])

    @property
    def hands(self) -> int:
        return 2 * self.deals

    def mbb_per_hand(self, confidence: float = 0.95) -> MeanInterval:
        """LBR's milli big blinds per hand over both seats: the mean over deals of the pair's
        mean, with its interval (deals are independent)."""
        per_deal = self.seat_chips.mean(axis=1)
        return mean_interval(per_deal, confidence).scaled(1000 / self.config.big_blind)

    def mbb_in_seat(self, seat: int, confidence: float = 0.95) -> MeanInterval:
        """LBR's milli big blinds per hand in ``seat`` (0 the small blind, 1 the big blind)."""
        return mean_interval(self.seat_chips[:, seat], confidence).scaled(
            1000 / self.config.big_blind
        )

    def tree_counts(self) -> dict[str, dict[str, dict[str, int]]] | None:
        """``{"lbr_actions" | "blueprint_answers": {street: {actions, translated, off_tree}}}``
        (`count_tree`), or None against a policy without a tree."""
        if not any(key.startswith("tree:") for key in self.counts):
            return None
        return {
            f"{who}_{what}": {
                street: {c: self.counts.get(f"tree:{who}:{street}:{c}", 0) for c in TREE_COUNTS}
                for street in STREET_NAMES
            }
            for who, what in (("lbr", "actions"), ("blueprint", "answers"))
        }

    def to_dict(self) -> dict[str, Any]:
        """The figures a result file records."""

        def interval(i: MeanInterval) -> dict[str, Any]:
            return {"mean": i.mean, "ci95": [i.low, i.high], "std_error": i.std_error}

        return {
            "opponent": self.opponent,
            "opponent_detail": self.opponent_detail,
            "action_set": self.actions.to_dict(),
            "deals": self.deals,
            "hands": self.hands,
            "mbb_per_hand": interval(self.mbb_per_hand()),
            "mbb_per_hand_small_blind": interval(self.mbb_in_seat(0)),
            "mbb_per_hand_big_blind": interval(self.mbb_in_seat(1)),
            "bb_per_100": self.mbb_per_hand().mean / 10,
            "chips_won": int(self.seat_chips.sum()),
            "lbr_actions": {k: v for k, v in sorted(self.counts.items()) if " " in k},
            "range_resets": self.counts.get("range_resets", 0),
            "off_tree": self.tree_counts(),
            "seconds": self.seconds,
            "hands_per_second": self.hands / self.seconds if self.seconds > 0 else None,
            "workers": self.workers,
            "seed": self.seed,
            "table": self.config.to_dict(),
        }


def match_config_for(opponent: Opponent) -> MatchConfig:
    """The table of the opponent's own game (a blueprint's stack and blinds), else 100 big
    blinds at 50/100; ValueError for a policy that is not heads-up."""
    if opponent.n_players != 2:
        raise ValueError(
            f"{opponent.name} plays {opponent.n_players} seats: local best response needs a "
            "heads-up policy"
        )
    table = opponent.table
    if table is None:
        return MatchConfig()
    return MatchConfig(2, table.small_blind, table.big_blind, table.stacks[0], table.ante)


def _worker_chunk(index: int, n: int) -> LBRChunkResult:
    w = worker_values()
    return play_lbr_chunk(w["lbr"], w["opponent"], w["config"], w["seed"], index, n)


def _submit_chunk(pool: ProcessPoolExecutor, index: int, n: int) -> Future[LBRChunkResult]:
    return pool.submit(_worker_chunk, index, n)


def _report_deals(progress: Callable[[int], None], result: LBRChunkResult) -> None:
    progress(result.seat_chips.shape[0])


def run_lbr(
    opponent: Opponent,
    deals: int,
    actions: ActionSet | None = None,
    seed: int = 0,
    num_workers: int = 1,
    config: MatchConfig | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> LBRResult:
    """LBR against ``opponent`` over ``deals`` duplicate deals (``2 * deals`` hands).

    ``num_workers``: processes (0 every core; 1 this process; more need a picklable opponent
    and a script guarded by ``if __name__ == "__main__":``, as ``spawn`` requires).
    ``on_progress(deals)`` reports deals finished. Raises ValueError for bad arguments,
    `holdem.eval.chunk_pool.WorkerDiedError` when a worker dies, and what a worker raised.
    """
    if isinstance(deals, bool) or not isinstance(deals, int) or deals < 2:
        raise ValueError(f"the number of deals must be 2 or more (an interval), got {deals!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the seed must be a whole number 0 or more, got {seed!r}")
    config = config or match_config_for(opponent)
    if config.n_seats != 2:
        raise ValueError(f"local best response plays heads-up, the table has {config.n_seats}")
    lbr = LocalBestResponse(opponent, actions)
    lbr.matchups  # noqa: B018 - computed (and cached on disk) before any worker starts
    chunks = split_chunks(deals, CHUNK_DEALS)
    workers = min(resolve_workers(num_workers), len(chunks))
    start = time.perf_counter()
    results: list[LBRChunkResult] = []
    if workers <= 1:
        for index, n in chunks:
            results.append(play_lbr_chunk(lbr, opponent, config, seed, index, n))
            if on_progress:
                on_progress(n)
    else:
        pool = spawn_pool(
            workers, {"lbr": lbr, "opponent": opponent, "config": config, "seed": seed}
        )
        try:
            results = run_bounded(
                partial(_submit_chunk, pool),
                chunks,
                2 * workers,
                None if on_progress is None else partial(_report_deals, on_progress),
                "an LBR worker",
            )
        finally:
            close_pool(pool)
    seconds = time.perf_counter() - start
    results.sort(key=lambda r: r.index)
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.counts)
    return LBRResult(
        opponent.name,
        lbr.actions,
        config,
        seed,
        np.concatenate([r.seat_chips for r in results]),
        dict(counts),
        seconds,
        workers,
        tuple(sorted({r.pid for r in results})),
        opponent.description,
    )
