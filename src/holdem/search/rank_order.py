"""Hands in rank order on river boards: what a showdown sweep of the spot solver reads."""

from __future__ import annotations

import numpy as np

from holdem.cards.evaluator import evaluate_batch


def rank_order(boards: np.ndarray, hands: np.ndarray) -> np.ndarray:
    """(boards, H, 4) int64: per river board the hands in increasing rank, as rows of (rank,
    hand, first card, second card); a hand holding a board card has rank 0."""
    n_boards, n_hands = boards.shape[0], hands.shape[0]
    seven = np.empty((n_boards, n_hands, 7), np.uint8)
    seven[:, :, :5] = boards[:, None, :]
    seven[:, :, 5:] = hands[None, :, :]
    rank = evaluate_batch(seven.reshape(-1, 7)).reshape(n_boards, n_hands).astype(np.int64)
    on_board = np.zeros((n_boards, 52), bool)
    np.put_along_axis(on_board, boards, True, axis=1)
    rank[on_board[:, hands[:, 0]] | on_board[:, hands[:, 1]]] = 0
    order = np.argsort(rank, axis=1, kind="stable")
    out = np.empty((n_boards, n_hands, 4), np.int64)
    out[:, :, 0] = np.take_along_axis(rank, order, axis=1)
    out[:, :, 1] = order
    out[:, :, 2] = hands[order, 0]
    out[:, :, 3] = hands[order, 1]
    return out
