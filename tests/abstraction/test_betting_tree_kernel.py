"""The Numba tree compiler against the slow, obvious Python one: array for array, error for error.

`tests.abstraction.reference_compiler` is the compiler as first written, node by node in Python.
Every preset, hand-picked corner cases (3 to 6 players, antes, odd blinds, pot fractions that
land on .5, stacks so short that raises become all-ins, limit sizes with caps, too many actions,
too many nodes) and a few hundred random specs must give identical trees or identical errors.
"""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.abstraction.betting_tree import MAX_ACTIONS, RAISE, compile_tree
from holdem.abstraction.betting_tree_kernel import NODE_ARRAYS
from tests.abstraction.reference_compiler import reference_compile_tree

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def assert_same_tree(spec, max_nodes=2_000_000):
    """Both compilers give the same arrays (values, dtypes, shapes), or the same error."""
    try:
        expected = reference_compile_tree(spec, max_nodes)
    except ValueError as error:
        with pytest.raises(ValueError) as raised:
            compile_tree(spec, max_nodes)
        assert str(raised.value) == str(error)
        return None
    tree = compile_tree(spec, max_nodes)
    for name in (*NODE_ARRAYS, "chips"):
        got, want = getattr(tree, name), getattr(expected, name)
        assert got.dtype == want.dtype == np.int32, name
        assert got.shape == want.shape, name
        assert np.array_equal(got, want), name
        assert got.flags.c_contiguous, name
    return tree


def pot(*fractions):
    return tuple(BetSize.pot_fraction(f) for f in fractions)


def chips(*amounts):
    return tuple(BetSize.fixed(a) for a in amounts)


def street(sizes, max_raises, all_in=False, first_player=0, limp=True):
    return StreetBetting(
        sizes=sizes, max_raises=max_raises, all_in=all_in, first_player=first_player, limp=limp
    )


@pytest.mark.parametrize(
    "name",
    [
        "kuhn",
        "leduc",
        "hu_small",
        "hu_open",
        "hu_rich",
        *(f"pushfold_{s}bb" for s in (5, 10, 15, 20)),
    ],
)
def test_presets(name):
    assert_same_tree(load_betting_spec(CONFIGS / f"{name}.yaml"))


@pytest.mark.slow
def test_six_max_preset():
    tree = assert_same_tree(load_betting_spec(CONFIGS / "6max.yaml"), max_nodes=20_000_000)
    assert tree.n_nodes == 6_144_598


SPECS = {
    "three players, two streets, blinds on seats 1 and 2": BettingSpec(
        n_players=3,
        stack=40,
        blinds=(0, 1, 2),
        streets=(
            street((pot(0.5, 1.0), pot(1.0)), 3, all_in=True),
            street((pot(0.75),), 2, all_in=True, first_player=1),
        ),
    ),
    "four players, ante and uneven blinds": BettingSpec(
        n_players=4,
        stack=60,
        ante=1,
        blinds=(1, 3, 0, 0),
        streets=(
            street((pot(0.5, 1.0), pot(0.75)), 2, all_in=True, first_player=2),
            street((pot(0.33, 1.0),), 1, all_in=False, first_player=1),
            street((pot(1.0),), 1, all_in=True, first_player=1),
        ),
    ),
    "five players, antes only": BettingSpec(
        n_players=5,
        stack=30,
        ante=2,
        streets=(street((pot(0.5), pot(1.0)), 2, all_in=True), street((pot(1.0),), 1)),
    ),
    "six players, 100 big blinds, one size": BettingSpec(
        n_players=6,
        stack=200,
        blinds=(1, 2, 0, 0, 0, 0),
        streets=(
            street((pot(1.0),), 2, all_in=True, first_player=2),
            street((pot(0.5),), 1, first_player=0),
        ),
    ),
    "six players, tiny stacks: raises become all-ins": BettingSpec(
        n_players=6,
        stack=7,
        blinds=(1, 2, 0, 0, 0, 0),
        streets=(street((pot(0.5, 1.0),), 3, all_in=True, first_player=2),) * 2,
    ),
    "ties on .5: 0.75 and 1.25 of 6, 10, 14 ... chips": BettingSpec(
        n_players=2,
        stack=400,
        ante=1,
        blinds=(1, 2),
        streets=(street((pot(0.75, 1.25, 2.5),), 4, all_in=True),) * 2,
    ),
    "ties on .5 with three players and eighths": BettingSpec(
        n_players=3,
        stack=150,
        blinds=(1, 2, 0),
        streets=(street((pot(0.125, 0.375, 0.625),), 2),) * 2,
    ),
    "stack two chips above the big blind": BettingSpec(
        n_players=3, stack=4, blinds=(1, 2, 0), streets=(street((pot(1.0),), 4, all_in=True),) * 3
    ),
    "limit, capped, three players": BettingSpec(
        n_players=3,
        stack=100,
        ante=1,
        streets=(street((chips(2),), 3), street((chips(4),), 4)),
    ),
    "limit sizes larger than the stack": BettingSpec(
        n_players=2, stack=10, blinds=(1, 2), streets=(street((chips(3, 8, 50),), 5),)
    ),
    "limit and pot sizes mixed at one depth": BettingSpec(
        n_players=3,
        stack=50,
        blinds=(1, 2, 0),
        streets=(street((chips(2) + pot(0.5), chips(4)), 3, all_in=True),) * 2,
    ),
    "all-in as the only raise": BettingSpec(
        n_players=4, stack=20, blinds=(1, 2, 0, 0), streets=(street((), 2, all_in=True),) * 2
    ),
    "no raises on the last street": BettingSpec(
        n_players=3,
        stack=30,
        blinds=(1, 2, 0),
        streets=(street((pot(1.0),), 2, all_in=True), street((), 0)),
    ),
    "huge pot fraction and huge chip size": BettingSpec(
        n_players=2,
        stack=1000,
        blinds=(5, 10),
        streets=(street((pot(1e300, 0.5), chips(2**70)), 3),),
    ),
    "no limps: push/fold, heads-up": BettingSpec(
        n_players=2,
        stack=1000,
        blinds=(50, 100),
        streets=(street((), 1, all_in=True, limp=False),) + (street((), 0),) * 3,
    ),
    "no limps: heads-up, sizes, three raises": BettingSpec(
        n_players=2,
        stack=200,
        blinds=(1, 2),
        streets=(
            street((pot(0.5, 1.0), pot(1.0)), 3, all_in=True, limp=False),
            street((pot(0.75),), 2, all_in=True, first_player=1),
        ),
    ),
    "no limps: the big blind acts first and may check": BettingSpec(
        n_players=2,
        stack=50,
        blinds=(1, 2),
        streets=(
            street((pot(1.0),), 2, all_in=True, first_player=1, limp=False),
            street((pot(1.0),), 1, first_player=1),
        ),
    ),
    "no limps: equal blinds, so the small blind may check": BettingSpec(
        n_players=2,
        stack=40,
        blinds=(2, 2),
        streets=(street((pot(1.0),), 2, limp=False), street((pot(1.0),), 1, first_player=1)),
    ),
    "no limps: three players, ante, blinds on seats 1 and 2": BettingSpec(
        n_players=3,
        stack=40,
        ante=1,
        blinds=(0, 1, 2),
        streets=(
            street((pot(0.5, 1.0),), 2, all_in=True, limp=False),
            street((pot(1.0),), 1, all_in=True, first_player=1),
        ),
    ),
    "no limps: six players, limit raises": BettingSpec(
        n_players=6,
        stack=24,
        blinds=(1, 2, 0, 0, 0, 0),
        streets=(street((chips(2),), 2, first_player=2, limp=False), street((chips(4),), 1)),
    ),
    "no limps: six players, tiny stacks": BettingSpec(
        n_players=6,
        stack=7,
        blinds=(1, 2, 0, 0, 0, 0),
        streets=(
            street((pot(0.5, 1.0),), 3, all_in=True, first_player=2, limp=False),
            street((pot(1.0),), 2, all_in=True),
        ),
    ),
    "62 sizes: exactly MAX_ACTIONS actions": BettingSpec(
        n_players=2,
        stack=10_000,
        blinds=(1, 2),
        streets=(street((pot(*(1 + k for k in range(62))),), 1),),
    ),
}


@pytest.mark.parametrize("name", SPECS)
def test_corner_cases(name):
    assert_same_tree(SPECS[name])


def test_pot_fractions_round_half_to_even():
    # Chips (2, 3): the small blind faces 1 chip, the pot after calling is 6. 0.75 of it is 4.5,
    # which rounds to 4 (not 5); 1.25 of it is 7.5, which rounds to 8.
    tree = assert_same_tree(SPECS["ties on .5: 0.75 and 1.25 of 6, 10, 14 ... chips"])
    assert tree.action_labels(0)[:4] == ["f", "c", "r7", "r11"]
    # Deeper in the tree many more products land on .5: count the raises where rounding half
    # to even went down (half up would have given one chip more, and no size gave that).
    down = 0
    for node in tree.decision_nodes():
        kids = tree.children(int(node))
        raises = {int(tree.action_to[c]) for c in kids if tree.action_kind[c] == RAISE}
        node_chips = tree.chips[node].astype(np.int64)
        top = int(node_chips.max())
        after_call = int(node_chips.sum()) + top - int(node_chips[tree.player[node]])
        for fraction in (0.75, 1.25, 2.5):
            product = fraction * after_call
            below = top + int(product)
            if product % 1 == 0.5 and below in raises and below + 1 not in raises:
                down += 1
    assert down >= 10


def test_max_actions_error_is_the_same():
    spec = BettingSpec(
        n_players=2,
        stack=10_000,
        blinds=(1, 2),
        streets=(street((pot(*(1 + k for k in range(63))),), 1),),
    )
    with pytest.raises(ValueError, match=f"65 actions, more than {MAX_ACTIONS}"):
        compile_tree(spec)
    assert_same_tree(spec)


@pytest.mark.parametrize("max_nodes", [-1, 0, 1, 2, 3, 4, 50, 84, 85])
def test_max_nodes_error_is_the_same(max_nodes):
    leduc = load_betting_spec(CONFIGS / "leduc.yaml")
    assert_same_tree(leduc, max_nodes)


def wide_on_the_second_street():
    many = pot(*(0.5 + k for k in range(70)))
    return BettingSpec(
        n_players=2,
        stack=100_000,
        blinds=(1, 2),
        streets=(street((pot(1.0),), 2), street((many,), 1, first_player=1)),
    )


@pytest.mark.parametrize("max_nodes", [1, 5, 8, 9, 10, 12, 1000])
def test_first_error_in_breadth_first_order_wins(max_nodes):
    # The first street has 9 nodes; the second street's first decision offers 72 actions. Small
    # limits fail on the node count first, larger ones on the action count.
    assert_same_tree(wide_on_the_second_street(), max_nodes)


def test_stack_beyond_int32_is_refused():
    spec = BettingSpec(n_players=2, stack=2**31, blinds=(1, 2), streets=(street((), 0),))
    with pytest.raises(ValueError, match="does not fit the int32"):
        compile_tree(spec)


FRACTIONS = (0.125, 0.25, 0.33, 0.375, 0.5, 0.625, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)


def random_street(rng, n_players, n_players_cap):
    depths = int(rng.integers(0, 4))
    sizes = []
    for _ in range(depths):
        options = []
        for _ in range(int(rng.integers(1, 4))):
            if rng.random() < 0.3:
                options.append(BetSize.fixed(int(rng.integers(1, 12))))
            else:
                options.append(BetSize.pot_fraction(float(rng.choice(FRACTIONS))))
        sizes.append(tuple(options))
    all_in = bool(rng.random() < 0.5)
    max_raises = int(rng.integers(0, n_players_cap + 1))
    if max_raises > 0 and not sizes and not all_in:
        all_in = True
    return street(tuple(sizes), max_raises, all_in, int(rng.integers(0, n_players)))


def random_spec(rng, no_limps=False):
    n_players = int(rng.integers(2, 7))
    big = int(rng.integers(1, 5))
    pattern = rng.integers(0, 3)
    if pattern == 0:
        blinds = ()
    elif pattern == 1:
        blinds = (max(1, big // 2), big) + (0,) * (n_players - 2)
    else:
        blinds = tuple(int(b) for b in rng.integers(0, big + 1, n_players))
    ante = int(rng.integers(0, 3))
    if ante == 0 and not any(blinds):
        ante = 1
    stack = ante + max(blinds, default=0) + int(rng.integers(1, 40))
    cap = 3 if n_players <= 3 else 2
    streets = tuple(
        random_street(rng, n_players, cap) for _ in range(int(rng.integers(1, 5 - n_players // 3)))
    )
    if no_limps and any(blinds) and streets[0].max_raises > 0:
        streets = (dataclasses.replace(streets[0], limp=False), *streets[1:])
    return BettingSpec(n_players=n_players, stack=stack, ante=ante, blinds=blinds, streets=streets)


@pytest.mark.parametrize("seed", range(8))
def test_random_specs(seed):
    rng = np.random.default_rng(seed)
    built = 0
    for _ in range(40):
        built += assert_same_tree(random_spec(rng), max_nodes=30_000) is not None
    assert built >= 20  # most random specs fit the limit, so trees (not errors) are compared


@pytest.mark.parametrize("seed", range(4))
def test_random_specs_without_limps(seed):
    rng = np.random.default_rng(1000 + seed)
    built = without = 0
    for _ in range(40):
        spec = random_spec(rng, no_limps=True)
        built += assert_same_tree(spec, max_nodes=30_000) is not None
        without += not spec.streets[0].limp
    assert built >= 20 and without >= 15
