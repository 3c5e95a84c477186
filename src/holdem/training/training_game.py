"""The game a blueprint run trains: a betting tree plus the Hold'em card model, checked to fit.

Both inputs are files a user names, so both are identified by checksums that checkpoints and
blueprints record: the card abstraction by the SHA-256 of its tables (its manifest holds it),
the betting tree by `tree_checksum` over its compiled arrays. A resume or a blueprint loaded
with other files is refused, naming both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from holdem.abstraction.betting_config import (
    betting_config_path,
    betting_spec_from_dict,
    load_betting_spec,
)
from holdem.abstraction.betting_tree import DECISION, BettingTree, compile_tree
from holdem.cfr.game import SolverGame
from holdem.cfr.holdem_cards import HoldemCards
from holdem.storage.yaml_files import read_yaml

HOLDEM_STREETS = 4


class SetupError(ValueError):
    """A betting config and bucket file that cannot be trained together; one line saying why."""


def tree_checksum(tree: BettingTree) -> str:
    """``"sha256:<hex>"`` over the arrays that define the tree (structure, seats and chips)."""
    digest = hashlib.sha256(f"players={tree.n_players};nodes={tree.n_nodes}\n".encode())
    for name in ("kind", "player", "street", "n_actions", "first_child", "folded", "action_to"):
        digest.update(np.ascontiguousarray(getattr(tree, name)).data)
    digest.update(np.ascontiguousarray(tree.chips).data)
    return f"sha256:{digest.hexdigest()}"


def bucket_build_command(path: Path) -> str:
    """The command that builds the bucket file ``path`` (preset guessed from its name)."""
    stem = path.stem.lower()
    preset = next((p for p in ("tiny", "small", "mid", "pluribus") if p in stem), "mid")
    return f"holdem buckets build --preset {preset} --out {path}"


@dataclass(frozen=True, eq=False)
class TrainingGame:
    """A `SolverGame` over Hold'em cards, with the files it came from and their checksums."""

    game: SolverGame
    betting_path: Path
    buckets_path: Path | None
    tree_checksum: str

    @property
    def cards(self) -> HoldemCards:
        cards = self.game.cards
        assert isinstance(cards, HoldemCards)
        return cards

    @property
    def cards_checksum(self) -> str:
        return self.cards.checksum

    def describe_files(self) -> dict[str, str]:
        """The files and checksums, as manifests record them."""
        return {
            "betting": str(self.betting_path),
            "tree_checksum": self.tree_checksum,
            "buckets": str(self.buckets_path) if self.buckets_path else "lossless-preflop",
            "buckets_checksum": self.cards_checksum,
        }

    def check_same_files(self, recorded: dict[str, str], what: str) -> None:
        """Raise SetupError unless ``recorded`` (a manifest's files) names these same inputs."""
        if recorded.get("buckets_checksum") != self.cards_checksum:
            raise SetupError(
                f"{what} was trained with the card abstraction {recorded.get('buckets')} "
                f"({recorded.get('buckets_checksum')}), not "
                f"{self.buckets_path or 'lossless-preflop'} ({self.cards_checksum}): give the "
                "same bucket file"
            )
        if recorded.get("tree_checksum") != self.tree_checksum:
            raise SetupError(
                f"{what} was trained with the betting tree of {recorded.get('betting')} "
                f"({recorded.get('tree_checksum')}), not {self.betting_path} "
                f"({self.tree_checksum}): give the same betting config"
            )


def load_training_game(
    betting: Path, buckets: Path | None, verify: bool = True, n_players: int | None = None
) -> TrainingGame:
    """Compile ``betting`` and open ``buckets`` (None: lossless preflop), checking they fit.

    ``n_players`` replaces the config's number of players (the blinds stay on seats 0 and 1).
    A training config given as ``betting`` stands for the betting config it names.

    Raises a one-line ValueError (`SetupError` or the loaders' own) for a missing, foreign or
    damaged file, a game that is not Hold'em, or buckets that cannot cover the tree.
    """
    betting = betting_config_path(betting)
    spec = load_betting_spec(betting)
    if n_players is not None and n_players != spec.n_players:
        data = read_yaml(betting)
        data["game"]["players"] = n_players
        spec = betting_spec_from_dict(data, f"{betting} with {n_players} players")
    if spec.n_streets != HOLDEM_STREETS or not spec.blinds:
        raise SetupError(
            f"{betting}: a blueprint trains Hold'em (blinds and four betting rounds); this "
            f"config has {spec.n_streets} round(s): use holdem solve for small games"
        )
    if buckets is not None and not buckets.exists():
        raise SetupError(
            f"{buckets}: no such bucket file: build it with `{bucket_build_command(buckets)}`"
        )
    try:
        tree = compile_tree(spec)
    except ValueError as error:
        raise SetupError(f"{betting}: {error}") from None
    if buckets is None:
        cards = HoldemCards(spec.n_players)
        postflop = np.flatnonzero((tree.kind == DECISION) & (tree.street > 0))
        if postflop.size:
            raise SetupError(
                f"{betting}: the tree has decisions after the preflop "
                f"({tree.history(int(postflop[0]))!r}), which lossless-preflop buckets cannot "
                "tell apart: give a bucket file with --buckets"
            )
    else:
        cards = HoldemCards.load(buckets, spec.n_players, verify=verify)
    game = SolverGame.build(betting.stem, tree, cards)
    return TrainingGame(game, betting, buckets, tree_checksum(tree))
