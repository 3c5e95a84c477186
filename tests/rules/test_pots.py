"""Side pots and odd chips: known cases and properties checked against a direct formula."""

from __future__ import annotations

import itertools

import numpy as np

from holdem.rules import Pot, award_pots, build_pots, split_pot


def test_three_way_all_in_side_pots() -> None:
    pots = build_pots([100, 300, 1000], [True, True, True])
    assert pots == [Pot(300, (0, 1, 2)), Pot(400, (1, 2)), Pot(700, (2,))]


def test_folded_chips_fill_levels_without_making_a_pot() -> None:
    # Seat 1 folded after putting in 80: no boundary at 80, its chips fill the pots they reach.
    pots = build_pots([50, 80, 200, 200], [True, False, True, True])
    assert pots == [Pot(200, (0, 2, 3)), Pot(330, (2, 3))]


def test_split_pot_gives_odd_chips_to_the_first_winner() -> None:
    assert split_pot(11, [4, 0, 2]) == {4: 5, 0: 3, 2: 3}
    assert split_pot(10, [3, 1]) == {3: 5, 1: 5}


def test_each_pot_is_split_on_its_own() -> None:
    # Seats 0 and 1 tie and win both pots; each pot has an odd chip, and both go to seat 0
    # (first left of the button at seat 2). Splitting the merged 14 would give 7 and 7.
    pots = [Pot(9, (0, 1, 2)), Pot(5, (0, 1))]
    awards = award_pots(pots, {0: 5000, 1: 5000, 2: 100}, order=(0, 1, 2))
    assert [a.winners for a in awards] == [(0, 1), (0, 1)]
    assert [a.shares for a in awards] == [(5, 4), (3, 2)]


def test_odd_chip_follows_the_button_not_the_seat_number() -> None:
    awards = award_pots([Pot(7, (0, 1, 2))], {0: 10, 1: 10, 2: 10}, order=(2, 0, 1))
    assert awards[0].shares == (2, 2, 3)


def test_pots_conserve_chips_and_a_best_hand_wins_what_it_covers() -> None:
    # A seat holding the single best hand wins, from each other seat, the smaller of the two
    # contributions: a formula that does not go through pot levels at all.
    rng = np.random.default_rng(11)
    for _ in range(2000):
        n = int(rng.integers(2, 7))
        contributions = [int(x) for x in rng.integers(0, 60, n)]
        live = [bool(x) for x in rng.random(n) < 0.7]
        if not any(live):
            continue
        top = max(c for c, alive in zip(contributions, live, strict=True) if alive)
        contributions = [
            min(c, top) if not alive else c for c, alive in zip(contributions, live, strict=True)
        ]
        pots = build_pots(contributions, live)
        assert sum(p.amount for p in pots) == sum(contributions)
        assert all(p.amount > 0 for p in pots)
        for earlier, later in itertools.pairwise(pots):
            assert set(later.eligible) < set(earlier.eligible)
        live_seats = [s for s in range(n) if live[s]]
        best = int(rng.choice(live_seats))
        ranks = {s: (9000 if s == best else int(rng.integers(1, 7000))) for s in live_seats}
        won = sum(
            share
            for award in award_pots(pots, ranks, order=tuple(range(n)))
            for seat, share in zip(award.winners, award.shares, strict=True)
            if seat == best
        )
        assert won == sum(min(c, contributions[best]) for c in contributions)
