"""The TexasSolver peer module (benchmarks/texassolver_peer.py): its command files against the
peer's own spot files, and, in the slow tests, TexasSolver built and run: the README's sanity
facts, the river spot to 0.3% of the pot, its log against its own JSON log, and the tree rules
the module documents against the trees TexasSolver builds."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import texassolver_peer as tp

SANITY = tp.SPOTS_DIR / "sanity"
needs_spots = pytest.mark.skipif(
    not tp.SPOTS_DIR.is_dir(), reason=f"no TexasSolver spots at {tp.SPOTS_DIR}"
)

# The spot files' own solve settings, to write them back byte for byte.
SPOT_FILES = {
    "river.txt": (1000, "output_river.json"),
    "turn.txt": (1000, "output_turn.json"),
    "flop.txt": (200, "output_flop.json"),
    "sanity/sanity_set_vs_twopair.txt": (500, "sanity1.json"),
    "sanity/sanity_twopair_vs_set.txt": (500, "sanity2.json"),
}


@needs_spots
@pytest.mark.parametrize("name", sorted(SPOT_FILES))
def test_command_file_writes_the_peer_spot_files_back(name: str) -> None:
    path = tp.SPOTS_DIR / name
    max_iterations, dump = SPOT_FILES[name]
    spot = tp.read_command_file(path)
    assert tp.command_file(spot, 2, 0.3, max_iterations, dump) == path.read_text()


@needs_spots
def test_read_command_file_reads_the_turn_spot() -> None:
    spot = tp.read_command_file(tp.SPOTS_DIR / "turn.txt")
    assert (spot.board, spot.pot, spot.stack, spot.street) == ("Qs Jh 2h 8d", 10, 95, "turn")
    assert spot.allin_threshold == 1.0
    assert spot.sizes_for("turn", "oop") == tp.PeerSizes((100,), (50,), (100,), True)
    assert spot.sizes_for("turn", "ip") == tp.PeerSizes((100,), (50,), (), False)
    assert spot.ip_range.startswith("QQ:0.5,JJ:0.75,TT")


def _spot(**changes: object) -> tp.PeerSpot:
    fields: dict[str, object] = {
        "board": "Qs Jh 2h 8d",
        "pot": 10,
        "stack": 95,
        "oop_range": "AA,KQo:0.5",
        "ip_range": "QJ",
    }
    fields.update(changes)
    return tp.PeerSpot(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"raise_limit": 5}, "no set_raise_limit command"),
        ({"pot": 2}, "pot must be an integer above 2"),
        ({"board": "Qs Jh"}, "board must have 3, 4 or 5 cards"),
        ({"oop_range": "22+"}, "or single combos"),
        ({"oop_range": "AsKd"}, "or single combos"),
        ({"ip_range": "AKo:0.004"}, "drops smaller weights"),
        ({"ip_range": "AK,AKs"}, "repeats combos of 'AK'"),
        ({"ip_range": "QQs"}, "a pair has no s/o suffix"),
        ({"sizes": {("flop", "oop"): tp.PeerSizes(bets=(50,))}}, "the spot starts on the turn"),
        ({"sizes": {("turn", "ip"): tp.PeerSizes(donks=(50,))}}, "donk sizes are for OOP only"),
    ],
)
def test_peer_spot_refuses_what_texassolver_would_misread(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _spot(**changes)


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"above 0, got -5\.0"):
        tp.PeerSizes(bets=(33, -5))


def test_history_maps_texassolver_chips_added_to_our_to_amounts() -> None:
    spot = _spot()
    # pot 10, 95 behind: OOP bets 10, IP raises 25 (to 25), OOP adds 45 (to 55), IP adds its
    # last 70 (all-in), as in the dump of spots/turn.txt
    path = ["BET 10.000000", "RAISE 25.000000", "RAISE 45.000000", "RAISE 70.000000"]
    assert tp.history(spot, path) == "b10r25r55a"
    assert tp.history(spot, ["CHECK", "CHECK", "2c", "BET 5.000000"]) == "xx/2cb5"
    with pytest.raises(ValueError, match="95 are behind"):
        tp.history(spot, ["BET 96.000000"])
    with pytest.raises(ValueError, match="a card comes next"):
        tp.history(spot, ["BET 10.000000", "CALL", "CHECK"])


def test_parse_log_reads_checkpoints() -> None:
    log = (
        "<<<START SOLVING>>>\nUsing 2 threads\nIter: 0\nplayer 0 exploitability 13.46\n"
        "player 1 exploitability 16.80\nTotal exploitability 151.34 precent\n"
        "-------------------\nIter: 11\nplayer 0 exploitability 1.26\n"
        "player 1 exploitability 2.57\nTotal exploitability 19.159 precent\ntime used: 0.002\n"
    )
    initial, checkpoints = tp.parse_log(log)
    assert initial == 151.34
    assert checkpoints == [tp.Checkpoint(11, 19.159, 0.002, 1.26, 2.57)]


def test_our_combo_puts_the_higher_card_first() -> None:
    assert tp.our_combo("KdAs") == "AsKd"
    assert tp.our_combo("5c5d") == "5d5c"


# -- slow: TexasSolver built and run ------------------------------------------------------------


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The solver: in HOLDEM_TEXASSOLVER_BUILD when set (built there if missing), else built
    in ``texassolver-peer-build`` beside pytest's temporary folder, under a lock: shared by the
    test workers (pytest-xdist) and, without them, kept for the next runs."""
    if not (tp.PEER_DIR / "build.sh").is_file():
        pytest.skip(f"no TexasSolver peer at {tp.PEER_DIR} (set HOLDEM_TEXASSOLVER_PEER)")
    given = os.environ.get("HOLDEM_TEXASSOLVER_BUILD")
    build_dir = (
        Path(given) if given else tmp_path_factory.getbasetemp().parent / "texassolver-peer-build"
    )
    if not tp.binary_path(build_dir).is_file() and tp.missing_tools():
        pytest.skip(f"cannot build TexasSolver: {', '.join(tp.missing_tools())} not found")
    build_dir.mkdir(parents=True, exist_ok=True)
    with (build_dir.parent / f".{build_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return tp.build(build_dir)


def _solve(binary: Path, spot: tp.PeerSpot, workdir: Path, **settings: int) -> tp.PeerResult:
    text = tp.command_file(
        spot, 2, 0.3, settings.get("max_iterations", 500), "dump.json",
        dump_rounds=settings.get("dump_rounds", 1),
    )  # fmt: skip
    return tp.run(binary, text, workdir, timeout=600)


def _mean(dump: dict, path: list[str], action: str) -> float:
    """The range's mean probability of ``action`` at ``path`` (every combo has weight 1)."""
    actions, strategy = tp.node_strategy(dump, path)
    return sum(probs[actions.index(action)] for probs in strategy.values()) / len(strategy)


@pytest.mark.slow
@pytest.mark.timeout(1800)
@needs_spots
def test_set_against_two_pair_as_the_readme_states(binary: Path, tmp_path: Path) -> None:
    spot = tp.read_command_file(SANITY / "sanity_set_vs_twopair.txt")
    result = _solve(binary, spot, tmp_path)
    assert result.converged and result.exploitability_pct <= 0.3
    dump = result.dump
    assert dump is not None
    assert [a.letter for a in tp.node_actions(spot, dump)] == ["x", "b10", "a"]
    assert _mean(dump, ["BET 10.000000"], "FOLD") > 0.95
    assert _mean(dump, ["BET 95.000000"], "FOLD") > 0.99
    assert _mean(dump, ["CHECK"], "CHECK") > 0.95
    # the set wins the pot of 10: best responses IP -5, OOP +5 (README)
    last = result.checkpoints[-1]
    assert last.br_ip == pytest.approx(-5.0, abs=0.05)
    assert last.br_oop == pytest.approx(5.0, abs=0.1)


@pytest.mark.slow
@pytest.mark.timeout(1800)
@needs_spots
def test_two_pair_against_set_as_the_readme_states(binary: Path, tmp_path: Path) -> None:
    spot = tp.read_command_file(SANITY / "sanity_twopair_vs_set.txt")
    result = _solve(binary, spot, tmp_path)
    assert result.converged and result.exploitability_pct <= 0.3
    dump = result.dump
    assert dump is not None
    facing_bet = tp.node_actions(spot, dump, ["BET 10.000000"])
    assert [a.letter for a in facing_bet] == ["c", "a", "f"]
    assert _mean(dump, ["BET 10.000000"], "RAISE 95.000000") > 0.95
    assert _mean(dump, ["BET 95.000000"], "CALL") > 0.99
    assert _mean(dump, ["BET 10.000000", "RAISE 95.000000"], "FOLD") > 0.95
    assert result.checkpoints[-1].br_oop == pytest.approx(-5.0, abs=0.05)


def _combos(text: str, board: str) -> set[str]:
    """The combos of a range of items AK, AKs, AKo, QQ (weights ignored) off the board."""
    dead = set(board.split())
    combos = set()
    for item in text.split(","):
        ranks = item.split(":")[0]
        for first in "cdhs":
            for second in "cdhs":
                a, b = ranks[0] + first, ranks[1] + second
                suited = first == second
                if a == b or {a, b} & dead or (ranks.endswith("s") and not suited):
                    continue
                if ranks.endswith("o") and suited:
                    continue
                combos.add(tp.our_combo(a + b))
    return combos


@pytest.mark.slow
@pytest.mark.timeout(1800)
@needs_spots
def test_river_spot_solves_to_accuracy_and_its_log_is_read(binary: Path, tmp_path: Path) -> None:
    spot = tp.read_command_file(tp.SPOTS_DIR / "river.txt")
    result = _solve(binary, spot, tmp_path, max_iterations=1000)
    assert result.converged and result.exploitability_pct <= 0.3
    assert result.iterations == result.checkpoints[-1].iterations
    assert result.initial_exploitability_pct > 100  # the uniform strategy
    assert 0 < result.solve_seconds < result.wall_seconds
    if Path("/usr/bin/time").is_file():
        assert result.peak_rss_kb is not None and result.peak_rss_kb > 50_000
    # its JSON log: iteration = loop index (iterations done - 1), exploitability, milliseconds
    logged = [json.loads(line) for line in (tmp_path / "tmp_log.txt").read_text().splitlines()]
    assert [r["iteration"] + 1 for r in logged] == [c.iterations for c in result.checkpoints]
    for record, checkpoint in zip(logged, result.checkpoints, strict=True):
        assert checkpoint.exploitability_pct == pytest.approx(record["exploitibility"], rel=1e-5)
        assert checkpoint.seconds == pytest.approx(record["time_ms"] / 1000, abs=1e-3)
        mean_br = (checkpoint.br_ip + checkpoint.br_oop) / 2
        assert mean_br / spot.pot * 100 == pytest.approx(checkpoint.exploitability_pct, rel=1e-4)
    assert result.dump is not None
    actions, strategy = tp.root_strategy(result.dump)
    assert actions == ["CHECK", "BET 10.000000", "BET 95.000000"]
    assert set(strategy) == _combos(spot.oop_range, spot.board)
    for probs in strategy.values():
        assert sum(probs) == pytest.approx(1.0, abs=1e-4)
    ip_actions, ip_strategy = tp.node_strategy(result.dump, ["CHECK"])
    assert ip_actions == ["CHECK", "BET 10.000000", "BET 95.000000"]
    assert set(ip_strategy) == _combos(spot.ip_range, spot.board)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_river_tree_follows_the_documented_size_rules(binary: Path, tmp_path: Path) -> None:
    """Amounts worked out by hand from the module docstring's rules: pot 10, 100 behind,
    threshold 0.67 (a commitment above 67 goes all-in), raise limit 4."""
    oop = tp.PeerSizes(bets=(700, 25, 75), raises=(50,), allin=True)
    ip = tp.PeerSizes(bets=(50,), raises=(10, 50), allin=True)
    spot = tp.PeerSpot(
        board="Qs Jh 2h 8d 3c", pot=10, stack=100, oop_range="QQ,AK", ip_range="QJ,KK",
        sizes={("river", "oop"): oop, ("river", "ip"): ip},
    )  # fmt: skip
    dump = _solve(binary, spot, tmp_path, max_iterations=20).dump
    assert dump is not None
    b3, b8 = "BET 3.000000", "BET 8.000000"
    expected = {
        # 700% = 70 goes all-in by the threshold (75 > 67), in its place; 25% = 2.5 rounds to 3
        (): ["CHECK", "BET 100", "BET 3", "BET 8"],
        # raise = call + x% of the pot after the call: 3 + round(1.6), 3 + 8, then all-in
        (b3,): ["CALL", "RAISE 5", "RAISE 11", "RAISE 100", "FOLD"],
        (b3, "RAISE 11.000000"): ["CALL", "RAISE 24", "RAISE 97", "FOLD"],
        (b3, "RAISE 11.000000", "RAISE 24.000000"): [
            "CALL", "RAISE 22", "RAISE 48", "RAISE 89", "FOLD",
        ],
        # a bet and 3 raises: no 4th raise although 73 chips are behind
        (b3, "RAISE 11.000000", "RAISE 24.000000", "RAISE 48.000000"): ["CALL", "FOLD"],
        (b8,): ["CALL", "RAISE 11", "RAISE 21", "RAISE 100", "FOLD"],
        (b8, "RAISE 21.000000"): ["CALL", "RAISE 39", "RAISE 92", "FOLD"],
        # 26 + 78 = 104 > 67: the 50% raise is the all-in, the flag's all-in is a duplicate
        (b8, "RAISE 21.000000", "RAISE 39.000000"): ["CALL", "RAISE 36", "RAISE 79", "FOLD"],
        ("CHECK",): ["CHECK", "BET 5", "BET 100"],
        ("CHECK", "BET 5.000000"): ["CALL", "RAISE 15", "RAISE 100", "FOLD"],
    }  # fmt: skip
    for path, names in expected.items():
        written = [n if " " not in n else f"{n}.000000" for n in names]
        assert tp.node_at(dump, path)["actions"] == written, path
    assert tp.history(spot, [b3, "RAISE 11.000000", "RAISE 24.000000", "RAISE 89.000000"]) == (
        "b3r11r27a"
    )
    letters = [a.letter for a in tp.node_actions(spot, dump, [b8, "RAISE 21.000000"])]
    assert letters == ["c", "r47", "a", "f"]


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_turn_tree_uses_donk_sizes_after_oop_called(binary: Path, tmp_path: Path) -> None:
    """OOP leads the river with its donk size (25%) only after it called IP's turn bet."""
    spot = tp.PeerSpot(
        board="Qs Jh 2h 8d", pot=10, stack=100, oop_range="QQ,AK", ip_range="QJ,KK",
        sizes={
            ("turn", "oop"): tp.PeerSizes(bets=(50,)),
            ("turn", "ip"): tp.PeerSizes(bets=(100,)),
            ("river", "oop"): tp.PeerSizes(bets=(50,), donks=(25,)),
            ("river", "ip"): tp.PeerSizes(bets=(50,)),
        },
        allin_threshold=1.0,
    )  # fmt: skip
    dump = _solve(binary, spot, tmp_path, max_iterations=20, dump_rounds=2).dump
    assert dump is not None
    assert tp.node_at(dump)["actions"] == ["CHECK", "BET 5.000000"]
    called_ip = ["CHECK", "BET 10.000000", "CALL"]
    chance = tp.node_at(dump, called_ip)
    assert chance["node_type"] == "chance_node" and chance["deal_number"] > 0
    card = sorted(chance["dealcards"])[0]
    # pot 30 after the call: donk 25% = 7.5 -> 8; else the bet, 50% of 10 or of 20
    river_leads = {
        (*called_ip, card): "BET 8.000000",
        ("CHECK", "CHECK", card): "BET 5.000000",
        ("BET 5.000000", "CALL", card): "BET 10.000000",
    }
    for path, bet in river_leads.items():
        assert tp.node_at(dump, path)["actions"] == ["CHECK", bet], path
    assert tp.history(spot, [*called_ip, card, "BET 8.000000"]) == f"xb10c/{card}b8"


# -- slow: our solver and TexasSolver on the same spots ----------------------------------------


def _same_first_street(solver, dump: dict, spot: tp.PeerSpot) -> int:  # type: ignore[no-untyped-def]
    """Walk both trees along the first street; every decision must offer the same actions.
    Returns how many decisions were compared."""
    from holdem.search.spot_tree import ACTION

    tree = solver.tree
    stack: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    compared = 0
    while stack:
        node, path = stack.pop()
        if tree.kind[node] != ACTION:
            continue
        theirs = {a.letter: a.name for a in tp.node_actions(spot, dump, path)}
        assert sorted(theirs) == sorted(tree.actions_of(node)), path
        compared += 1
        for child in tree.children_of(node).tolist():
            stack.append((child, (*path, theirs[tree.action[child]])))
    return compared


@pytest.mark.slow
@pytest.mark.timeout(1800)
@needs_spots
@pytest.mark.parametrize("name", ["river", "turn"])
def test_our_solver_and_texassolver_solve_the_same_spot(
    binary: Path, tmp_path: Path, name: str
) -> None:
    import bench_spot
    from holdem.search.solver import SpotSolver
    from holdem.search.vector_cfr import MODE_BEST_RESPONSE

    spot = tp.read_command_file(tp.SPOTS_DIR / f"{name}.txt")
    theirs = _solve(binary, spot, tmp_path, max_iterations=1000)
    solver = SpotSolver(bench_spot.our_spot(spot))
    assert _same_first_street(solver, theirs.dump, spot) >= 10
    if name == "river":
        # the same game: the uniform strategy is exploitable by the same amount (5 digits
        # printed). On the turn it prints 172.66% where our exact best response (checked
        # against the sequence-form LP in test_spot_lp) gives 179.30%; the converged values
        # below agree, so its first check is computed differently, not its game
        assert solver.exploitability() == pytest.approx(theirs.initial_exploitability_pct, rel=1e-5)
    ours = solver.solve(0.3, 1000)
    assert ours.exploitability_pct <= 0.3 and theirs.exploitability_pct <= 0.3
    # the game's value for OOP lies between the two best responses of each solver
    best = solver.game_values(MODE_BEST_RESPONSE)
    last = theirs.checkpoints[-1]
    assert max(-best[1], -last.br_ip) <= min(best[0], last.br_oop) + 0.003 * spot.pot
    mine = bench_spot.class_strategy(solver)
    their_classes = bench_spot._their_classes(spot, theirs.dump)
    index = [mine["actions"].index(a) for a in their_classes["actions"]]
    # the whole range's frequencies at the root agree; single classes may differ where hands
    # are indifferent between actions (equilibria are not unique): most agree to 0.05
    weights = bench_spot.class_weights(spot)
    for i, j in enumerate(index):
        ours_share = sum(weights[c] * row[j] for c, row in mine["classes"].items())
        their_share = sum(weights[c] * row[i] for c, row in their_classes["classes"].items())
        assert ours_share == pytest.approx(their_share, abs=0.05), their_classes["actions"][i]
    gaps = [
        max(abs(mine["classes"][c][j] - row[i]) for i, j in enumerate(index))
        for c, row in their_classes["classes"].items()
    ]
    assert sum(gap <= 0.05 for gap in gaps) >= 0.6 * len(gaps)
    if name == "river":
        # its whole strategy, measured by our exact best response, is as exploitable as it says
        measured = bench_spot.texassolver_exploitability(solver, theirs.dump, spot)
        assert measured == pytest.approx(theirs.exploitability_pct, abs=2e-3)
