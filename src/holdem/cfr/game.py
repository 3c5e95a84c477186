"""A game as the solvers see it: a betting tree, a card model and the table layout they imply."""

from __future__ import annotations

from dataclasses import dataclass

from holdem.abstraction.betting_tree import BettingTree, TableLayout, compile_tree
from holdem.cfr.card_model import CardModel
from holdem.cfr.kuhn import KuhnCards, kuhn_betting
from holdem.cfr.leduc import LEDUC_BETTING, LeducCards


@dataclass(frozen=True, eq=False)
class SolverGame:
    """A betting tree plus a card model; ``layout`` places each (node, bucket) row in the tables."""

    name: str
    tree: BettingTree
    cards: CardModel
    layout: TableLayout

    @classmethod
    def build(cls, name: str, tree: BettingTree, cards: CardModel) -> SolverGame:
        if cards.n_players != tree.n_players:
            raise ValueError(
                f"card model {cards.name!r} deals {cards.n_players} players but the tree has "
                f"{tree.n_players}"
            )
        return cls(name, tree, cards, tree.layout(cards.n_buckets))

    def infoset_key(self, node: int, bucket: int) -> str:
        """The policy-file key of (node, bucket): ``<bucket label>|<history>``."""
        street = int(self.tree.street[node])
        return f"{self.cards.bucket_label(street, bucket)}|{self.tree.history(node)}"


GAME_NAMES = ("kuhn", "leduc")


def kuhn_game(n_players: int = 2) -> SolverGame:
    """Kuhn poker for 2 or 3 players."""
    cards = KuhnCards(n_players)
    return SolverGame.build(cards.name, compile_tree(kuhn_betting(n_players)), cards)


def load_game(name: str) -> SolverGame:
    """The small game called ``name`` (one of `GAME_NAMES`)."""
    if name == "kuhn":
        return kuhn_game(2)
    if name == "leduc":
        return SolverGame.build("leduc", compile_tree(LEDUC_BETTING), LeducCards())
    raise ValueError(f"unknown game {name!r}: choose one of {', '.join(GAME_NAMES)}")
