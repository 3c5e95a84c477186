"""One node of a solved spot (``spot.json``) by hand class: its table and its 13x13 chart.

`node_view` gathers the combinations of the player to act at a node into the 169 preflop
classes: a class's ``combos`` is the sum of its combinations' reaches (its range weights times
its own actions' probabilities on the way: 3.5 of the 6 combinations of a pair that a board
card left at weight 1, when half of them bet earlier), and its strategy and EV are the
reach-weighted averages of its combinations'. The whole range's frequency of an action is the
same average over every combination, as `holdem spot` prints after solving.

`node_table` prints it (rich), `node_picture` makes it a `holdem.policy.hand_grid.GridPicture`
(each cell's bar as tall as the share of the class's combinations that reach the node, the
number of them written under the label), drawn like a blueprint's preflop chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rich.table import Table

from holdem.cards.combos import combo_classes, combo_index
from holdem.cards.encoding import parse_cards
from holdem.cards.preflop_matchups import N_CLASSES, class_label, class_sizes
from holdem.policy.hand_grid import ActionMark, GridPicture, action_colours, action_symbols
from holdem.search.solution import SpotSolution
from holdem.training.pushfold import grid_classes

PLAYER_NAMES = ("OOP", "IP")
_TOKEN = re.compile(r"[xcfa]|[br]\d+|/[2-9TJQKA][cdhs]")


def history_tokens(history: str) -> list[str] | None:
    """The actions of a history (``"xb750c/8d"`` -> ``x``, ``b750``, ``c``, ``/8d``), or None
    when it is not written in the letters of `holdem.search.spot_tree`."""
    tokens = _TOKEN.findall(history)
    return tokens if "".join(tokens) == history else None


def nearest_histories(histories: list[str], history: str) -> tuple[str, list[str]]:
    """The longest prefix of ``history`` that is a node among ``histories``, and that node's
    children among them (the next decisions below it: one action further, or past a card),
    for a one-line suggestion."""
    known = set(histories)
    prefix = next((history[:n] for n in range(len(history), -1, -1) if history[:n] in known), "")
    depth = len(history_tokens(prefix) or [])
    children = []
    for h in histories:
        tokens = history_tokens(h)
        if h == prefix or not h.startswith(prefix) or tokens is None:
            continue
        between = ("".join(tokens[:n]) for n in range(depth + 1, len(tokens)))
        if not any(g in known for g in between):
            children.append(h)
    return prefix, children


@dataclass(frozen=True, eq=False)
class NodeView:
    """A solved node by hand class (module docstring).

    ``combos[c]``: combinations of class ``c`` that reach the node (0 when none does);
    ``strategy[c, i]``: the class's average probability of ``actions[i]``; ``ev[c]``: its
    average EV in chips (NaN when no combination reaches); ``pot``: the chips in the pot at the
    node; ``to_call``: the chips the player to act must add to call; ``max_bet``: the larger
    of the two players' bets in the node's round (a raise is counted from it).
    """

    board: str
    history: str
    player: int
    actions: tuple[str, ...]
    labels: tuple[str, ...]
    pot: int
    to_call: int
    max_bet: int
    combos: np.ndarray
    strategy: np.ndarray
    ev: np.ndarray

    def frequencies(self) -> np.ndarray:
        """Each action's share of the range at the node (every combination by its reach); all 0
        at a node the range never reaches (a locked strategy can cut a line off)."""
        total = self.combos.sum()
        if not total > 0:
            return np.zeros(len(self.actions))
        return np.asarray(self.combos @ self.strategy / total)

    def classes(self) -> list[int]:
        """The classes that reach the node, in the grid's order (AA, AKs, ..., 22)."""
        return [int(c) for c in grid_classes().ravel() if self.combos[c] > 0]

    def describe(self) -> str:
        """Who acts and what it faces: ``IP to act, facing 750 more, pot 1,750``."""
        facing = f"facing {self.to_call:,} more, " if self.to_call else ""
        return f"{PLAYER_NAMES[self.player]} to act, {facing}pot {self.pot:,}"


def _chips(solution: SpotSolution, tokens: list[str]) -> tuple[int, int, int, int]:
    """(pot, chips to call, player to act, the round's larger bet) after ``tokens``; players
    alternate
    within a street, OOP first (a heads-up spot's rule)."""
    behind = 0  # chips each player has added on earlier streets (streets end level)
    street = [0, 0]
    actor = 0
    for token in tokens:
        if token.startswith("/"):
            behind += street[0]
            street = [0, 0]
            actor = 0
            continue
        if token == "c":
            street[actor] = street[1 - actor]
        elif token == "a":
            street[actor] = solution.stack - behind
        elif token[0] in "br":
            street[actor] = int(token[1:])
        actor = 1 - actor
    pot = solution.pot + 2 * behind + sum(street)
    return pot, street[1 - actor] - street[actor], actor, max(street)


def _label(action: str, pot: int) -> str:
    """An action in words: ``bet 330 (33% pot)``, ``raise to 1,160``, ``all-in``."""
    words = {"x": "check", "c": "call", "f": "fold", "a": "all-in"}
    if action in words:
        return words[action]
    amount = int(action[1:])
    if action[0] == "b":
        return f"bet {amount:,} ({100 * amount / pot:.0f}% pot)"
    return f"raise to {amount:,}"


def _mark(action: str, view: NodeView) -> ActionMark:
    """The kind and size of one of the node's actions (they fix its colour and letter)."""
    kinds = {"f": "fold", "x": "check", "c": "call", "a": "all-in"}
    if action in kinds:
        return ActionMark(kinds[action])
    fraction = (int(action[1:]) - view.max_bet) / (view.pot + view.to_call)
    return ActionMark("raise", fraction)


def node_view(solution: SpotSolution, history: str) -> NodeView:
    """The node ``history`` of ``solution`` by class.

    Raises ValueError, naming the nearest nodes that exist, when there is no such node.
    """
    node = solution.nodes.get(history)
    if node is None:
        prefix, children = nearest_histories(list(solution.nodes), history)
        near = ", ".join(repr(h) for h in children[:12]) or "none"
        # Below a card the file holds only the runouts the solve was asked to write.
        card = history[: history.rindex("/") + 3] if "/" in history else ""
        hint = (
            f" (no node after {card!r}: nodes after a turn or river card are written for the "
            "runouts given to --dump-runouts)"
            if card and not any(h.startswith(card) for h in solution.nodes)
            else ""
        )
        raise ValueError(
            f"--node {history!r}: no such decision; the nearest, after {prefix!r}: {near}{hint}"
        )
    tokens = history_tokens(history)
    if tokens is None:
        raise ValueError(
            f"node {history!r}: not a history of x, c, f, a, b<chips>, r<chips>, /card"
        )
    pot, to_call, actor, max_bet = _chips(solution, tokens)
    if actor != node.player:
        raise ValueError(
            f"node {history!r}: its player {node.player} is not the one to act there ({actor})"
        )
    k = len(node.actions)
    combos = np.zeros(N_CLASSES)
    strategy = np.zeros((N_CLASSES, k))
    ev = np.zeros(N_CLASSES)
    class_of = combo_classes()
    for text, row in node.strategy.items():
        try:
            first, second = parse_cards(text)
            c = int(class_of[combo_index(first, second)])
        except ValueError:
            raise ValueError(f"node {history!r}: {text!r} is not a combination like AsKd") from None
        weight = float(node.reach.get(text, 1.0))
        combos[c] += weight
        strategy[c] += weight * np.asarray(row, float)
        ev[c] += weight * float(node.ev.get(text, np.nan))
    with np.errstate(invalid="ignore", divide="ignore"):
        strategy = np.where(combos[:, None] > 0, strategy / combos[:, None], 0.0)
        ev = np.where(combos > 0, ev / combos, np.nan)
    return NodeView(
        board=solution.board,
        history=history,
        player=node.player,
        actions=node.actions,
        labels=tuple(_label(a, pot) for a in node.actions),
        pot=pot,
        to_call=to_call,
        max_bet=max_bet,
        combos=combos,
        strategy=strategy,
        ev=ev,
    )


def node_marks(view: NodeView) -> list[ActionMark]:
    """Each action's kind and size: fold blue, check or call green, a bet or raise by its share
    of the pot, all-in the darkest red, in every chart alike
    (`holdem.policy.hand_grid.action_colour`)."""
    return [_mark(a, view) for a in view.actions]


def combos_text(x: float) -> str:
    """A number of combinations, as short as it reads exactly enough: ``3``, ``2.5``, ``0.38``."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def node_table(view: NodeView) -> Table:
    """Each class that reaches the node: combinations reaching (of the class's), the average
    strategy (columns headed by the actions' letters, as ``--node`` and ``--lock`` take them)
    and the EV in chips."""
    sizes = class_sizes()
    table = Table(
        title=f"node {view.history or '(root)'!r}: {view.describe()}",
        caption="combos: the class's combinations that reach the node; EV: their average ev in "
        "chips (spot.json's: a hand that takes the pot unopposed has ev = the spot's pot)",
    )
    table.add_column("class")
    table.add_column("combos", justify="right")
    for action in view.actions:
        table.add_column(action, justify="right")
    table.add_column("EV", justify="right")
    for c in view.classes():
        table.add_row(
            class_label(c),
            f"{combos_text(view.combos[c])} of {sizes[c]}",
            *(f"{p:.1%}" for p in view.strategy[c]),
            f"{view.ev[c]:,.1f}",
        )
    return table


def frequency_line(view: NodeView) -> str:
    """The whole range's frequencies: ``range (61.5 combos): check 51.8%  bet 330 ...``."""
    name = PLAYER_NAMES[view.player]
    if not view.combos.sum() > 0:
        return (
            f"{name} range: this node is never reached (spot.json holds no combination for it); "
            f"the actions: {', '.join(view.labels)}"
        )
    shares = "  ".join(
        f"{label} {share:.1%}" for label, share in zip(view.labels, view.frequencies(), strict=True)
    )
    return f"{name} range ({combos_text(view.combos.sum())} combos): {shares}"


def node_picture(view: NodeView, solution: SpotSolution) -> GridPicture:
    """The node's 13x13 chart: bars by the class's action mix, as tall as the share of its
    combinations that reach the node, the number of them written small."""
    sizes = class_sizes()
    return GridPicture(
        title=f"{view.board}   node {view.history or '(root)'}: {PLAYER_NAMES[view.player]} acts",
        subtitle=(
            f"{view.describe()}; spot pot {solution.pot:,}, stack {solution.stack:,}; "
            f"solved to {solution.exploitability_pct_pot:.2f}% of the pot "
            f"({solution.iterations:,} iterations)"
        ),
        probabilities=view.strategy,
        colours=tuple(action_colours(node_marks(view))),
        symbols=tuple(action_symbols(node_marks(view))),
        labels=view.labels,
        legend=tuple(
            f"{label}: {share:.1%} of the range"
            for label, share in zip(view.labels, view.frequencies(), strict=True)
        ),
        footnote=(
            "bar height: the share of the class's combinations that reach this node (number "
            "written under the label); each bar splits the class's play left to right"
        ),
        heights=view.combos / sizes,
        captions=tuple(
            combos_text(view.combos[c]) if view.combos[c] > 0 else "" for c in range(N_CLASSES)
        ),
    )
