"""Slow, obvious Python versions of the kernels, for differential tests on small games."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.game import SolverGame
from holdem.cfr.payoff import terminal_value


def payoff(game: SolverGame, node: int, seat: int, ranks: np.ndarray) -> float:
    """Net chips of ``seat`` at a terminal, written out for two players."""
    tree = game.tree
    chips = tree.chips[node]
    folded = int(tree.folded[node])
    if folded:
        return float(chips[1 - seat]) if folded != 1 << seat else -float(chips[seat])
    if ranks[seat] == ranks[1 - seat]:
        return 0.0
    return float(chips[1 - seat]) if ranks[seat] > ranks[1 - seat] else -float(chips[seat])


def seat_value(game: SolverGame, policy: np.ndarray, seat: int, best: bool) -> float:
    """Best-response (or on-policy) value of ``seat`` by recursion, grouping deals by its buckets.

    ``items`` holds (deal, reach) pairs that ``seat`` cannot tell apart at ``node``.
    """
    tree, layout = game.tree, game.layout
    deals = game.cards.exact_deals()

    def row(node: int, bucket: int) -> np.ndarray:
        n = int(tree.n_actions[node])
        start = layout.row(node, int(tree.street[node]), bucket)
        return policy[start : start + n]

    def value(node: int, items: list[tuple[int, float]]) -> float:
        if tree.kind[node] != DECISION:
            return sum(
                r * terminal_value(node, seat, tree.kind, tree.chips, tree.folded, deals.ranks[d])
                for d, r in items
            )
        street = int(tree.street[node])
        mover = int(tree.player[node])
        if mover == seat:
            bucket = int(deals.buckets[items[0][0], seat, street])
            actions = [split(child, items) for child in tree.children(node)]
            if best:
                return max(actions)
            return float(np.dot(row(node, bucket), actions))
        total = 0.0
        for a, child in enumerate(tree.children(node)):
            moved = [(d, r * row(node, int(deals.buckets[d, mover, street]))[a]) for d, r in items]
            total += split(child, moved)
        return total

    def split(node: int, items: list[tuple[int, float]]) -> float:
        """Recurse after separating the deals ``seat``'s bucket on this street tells apart."""
        groups: dict[int, list[tuple[int, float]]] = defaultdict(list)
        street = int(tree.street[node])
        for d, r in items:
            groups[int(deals.buckets[d, seat, street])].append((d, r))
        return sum(value(node, group) for group in groups.values())

    return split(0, [(d, float(w)) for d, w in enumerate(deals.weights)])


def match(regret: np.ndarray) -> np.ndarray:
    """Regret matching of one row, written out."""
    positive = np.maximum(regret, 0.0)
    total = positive.sum()
    return positive / total if total > 0 else np.full(len(regret), 1.0 / len(regret))


def rows(game: SolverGame, seat: int | None = None):
    """(node, bucket, start, n) of every table row, optionally only ``seat``'s."""
    tree, layout = game.tree, game.layout
    for node in tree.decision_nodes().tolist():
        if seat is not None and tree.player[node] != seat:
            continue
        n = int(tree.n_actions[node])
        for bucket in range(layout.n_buckets[tree.street[node]]):
            yield node, bucket, layout.row(node, int(tree.street[node]), bucket), n


def _walk(game, deals, node, reach_self, reach_other, d, seat, sigma, tables, weight):
    """Value of ``seat`` below ``node`` in deal ``d``; adds regrets and strategy into ``tables``."""
    tree, layout = game.tree, game.layout
    instant, strategy_sum = tables
    if tree.kind[node] != DECISION:
        return terminal_value(node, seat, tree.kind, tree.chips, tree.folded, deals.ranks[d])
    mover = int(tree.player[node])
    n = int(tree.n_actions[node])
    bucket = int(deals.buckets[d, mover, tree.street[node]])
    start = layout.row(node, int(tree.street[node]), bucket)
    probs = sigma[start : start + n]
    values = []
    for a, child in enumerate(tree.children(node)):
        own = reach_self * probs[a] if mover == seat else reach_self
        other = reach_other if mover == seat else reach_other * probs[a]
        values.append(_walk(game, deals, child, own, other, d, seat, sigma, tables, weight))
    value = float(np.dot(probs, values))
    if mover == seat:
        for a in range(n):
            instant[start + a] += reach_other * (values[a] - value)
            strategy_sum[start + a] += weight * reach_self * probs[a]
    return value


def full_width(
    game: SolverGame,
    iterations: int,
    algorithm: str,
    alpha: float = 1.5,
    beta: float = 0.0,
    gamma: float = 2.0,
):
    """CFR+ or DCFR by plain recursion over every deal; returns (regret, strategy_sum)."""
    tree, layout = game.tree, game.layout
    deals = game.cards.exact_deals()
    regret = np.zeros(layout.size)
    strategy_sum = np.zeros(layout.size)
    for t in range(1, iterations + 1):
        weight = t if algorithm == "cfr+" else t**gamma
        for seat in range(tree.n_players):
            sigma = np.zeros(layout.size)
            for _, _, start, n in rows(game):
                sigma[start : start + n] = match(regret[start : start + n])
            instant = np.zeros(layout.size)
            for d, w in enumerate(deals.weights):
                _walk(
                    game, deals, 0, 1.0, float(w), d, seat, sigma, (instant, strategy_sum), weight
                )
            for _, _, start, n in rows(game, seat):
                for i in range(start, start + n):
                    r = regret[i] + instant[i]
                    if algorithm == "cfr+":
                        r = max(r, 0.0)
                    elif r > 0:
                        r *= t**alpha / (t**alpha + 1)
                    else:
                        r *= t**beta / (t**beta + 1)
                    regret[i] = r
    return regret, strategy_sum


class SplitMix:
    """SplitMix64 on Python integers, the same sequence as `holdem.cfr.rng`."""

    MASK = (1 << 64) - 1

    def __init__(self, state: int) -> None:
        self.state = state

    def next_u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def next_float(self) -> float:
        return (self.next_u64() >> 11) * 2.0**-53


def match_sequential(row: np.ndarray) -> list[float]:
    """Regret matching with the kernel's order of additions, so samples agree bit for bit."""
    total = 0.0
    for r in row:
        if float(r) > 0:
            total += float(r)
    if total > 0:
        return [float(r) / total if float(r) > 0 else 0.0 for r in row]
    return [1.0 / len(row)] * len(row)


def external_sampling(game: SolverGame, seed: int, iterations: int, options):
    """External-sampling MCCFR by recursion; returns (regret, strategy_sum, pruned_actions).

    Uses the solver's deals and seeding, and the rules written out: Pluribus's pruning (never
    on the last street nor for actions that end the hand), then discounting after iterations.
    """
    from holdem.cfr.rng import new_state, next_u64

    tree, layout = game.tree, game.layout
    buckets, ranks = game.cards.deal_batch(new_state(seed), iterations)
    rng = SplitMix(int(next_u64(new_state(seed))))
    is_int = options.regret_dtype == "int32"
    regret = np.zeros(layout.size, np.dtype(options.regret_dtype))
    strategy_sum = np.zeros(layout.size)
    last_street = tree.n_streets - 1
    pruned = 0

    def traverse(node, seat, d, prune):
        nonlocal pruned
        if tree.kind[node] != DECISION:
            return terminal_value(node, seat, tree.kind, tree.chips, tree.folded, ranks[d])
        mover = int(tree.player[node])
        n = int(tree.n_actions[node])
        street = int(tree.street[node])
        row = layout.row(node, street, int(buckets[d, mover, street]))
        sigma = match_sequential(regret[row : row + n])
        children = list(tree.children(node))
        if mover != seat:
            if options.averaging == "opponent":
                for a in range(n):
                    strategy_sum[row + a] += sigma[a]
            u, total, pick = rng.next_float(), 0.0, n - 1
            for a in range(n - 1):
                total += sigma[a]
                if u < total:
                    pick = a
                    break
            return traverse(children[pick], seat, d, prune)
        explore = [
            not (
                prune
                and tree.street[node] != last_street
                and tree.kind[children[a]] == DECISION
                and regret[row + a] < options.prune.threshold
            )
            for a in range(n)
        ]
        if not any(explore):
            explore = [True] * n
        pruned += n - sum(explore)
        values = {a: traverse(children[a], seat, d, prune) for a in range(n) if explore[a]}
        value = 0.0
        for a in values:
            value += sigma[a] * values[a]
        for a in values:
            x = max(
                float(regret[row + a]) + options.regret_scale * (values[a] - value), options.floor
            )
            regret[row + a] = min(np.floor(x + 0.5), 2**31 - 1) if is_int else x
        return value

    def sample(sigma):
        u, total = rng.next_float(), 0.0
        for a in range(len(sigma) - 1):
            total += sigma[a]
            if u < total:
                return a
        return len(sigma) - 1

    def update_average(node, seat, d):
        """Pluribus's UPDATE-STRATEGY: sample own actions, follow all of the others'."""
        if tree.kind[node] != DECISION or int(tree.folded[node]) >> seat & 1:
            return
        if options.average_streets is not None and tree.street[node] >= options.average_streets:
            return
        mover = int(tree.player[node])
        n = int(tree.n_actions[node])
        street = int(tree.street[node])
        row = layout.row(node, street, int(buckets[d, mover, street]))
        children = list(tree.children(node))
        if mover == seat:
            a = sample(match_sequential(regret[row : row + n]))
            strategy_sum[row + a] += 1.0
            update_average(children[a], seat, d)
        else:
            # The kernel's stack pops the last action first.
            for child in reversed(children):
                update_average(child, seat, d)

    for t in range(1, iterations + 1):
        for seat in range(tree.n_players):
            prune = False
            if options.prune is not None and t > options.prune.start:
                prune = rng.next_float() < options.prune.probability
            traverse(0, seat, t - 1, prune)
        if options.averaging == "sampled" and t % options.average_interval == 0:
            for seat in range(tree.n_players):
                update_average(0, seat, t - 1)
        discount = options.discount
        if discount is not None and t % discount.interval == 0 and t <= discount.cutoff:
            k = t // discount.interval
            scaled = regret.astype(np.float64) * (k / (k + 1))
            regret[:] = np.floor(scaled + 0.5) if is_int else scaled
            strategy_sum *= k / (k + 1)
    return regret, strategy_sum, pruned
