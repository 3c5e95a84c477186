"""Push/fold with the blueprint trainer: exploitability curves, ranges against the equilibrium
and published Nash charts, and what limits the exploitability at 10 bb; prints JSON.

    python benchmarks/measure_pushfold.py --out benchmarks/results/pushfold.json   # ~27 min
    python benchmarks/measure_pushfold.py --part ranges      # 5/10/15/20 bb, 60 s each (4 min)
    python benchmarks/measure_pushfold.py --part variants    # 10 bb, 10 M iterations x 8 (4 min)
    python benchmarks/measure_pushfold.py --part plateau     # 10 bb, 8 runs of 60 M (18 min)

(Wall times on the shared 2-core machine at load average 6 to 8; ``--merge --out FILE`` runs
one part and keeps the others already in FILE.)

``ranges``: configs/blueprint_pushfold_{5,10,15,20}bb.yaml trained by `Trainer` in this one
process for their 60 s of wall time (time_budget); the curve is the trainer's metrics.jsonl
(iteration, seconds, exploitability_bb every 2 s); the small blind's jam and the big blind's
call share of the 1,326 combinations (`combo_fraction`) beside the exact equilibrium's, found
by the method of tests/training/test_pushfold.py (CFR+ on the exact game; copied here), and
beside the published Nash ranges that test cites (HoldemResources.net / The Mathematics of
Poker lists), counted in combinations and in classes.

``variants``: 10 bb, 10,000,000 iterations, seed 0, through `Trainer`: int32 regrets at scale
1, 10 (the preset), 100 and float32 regrets, each with the preset's discounting (every 100,000
iterations up to 10 M) and without.

``plateau``: 10 bb, 60,000,000 iterations with exploitability every 5 M, running the trainer's
kernel and schedule directly (`run_iterations` with the options `Trainer` builds; the trainer
cannot keep float64 sums): the preset (seeds 0, 1, 2), its float64-sum twin (the same regrets
bit for bit, since sums never feed back: isolates the sums' precision), float32 regrets, and
discounting that never stops (linear weighting for the whole run, seeds 0, 1, 2). Then, for the
preset's seed 0, the classes that carry the exploitability and a model of why: each pure class
of the equilibrium has an exact value gap between its actions (``gap``) and a per-visit standard
deviation of the sampled regret (``sd``, from the exact outcome probabilities); its regret is a
random walk whose sign the drift decides only after about (sd / gap)^2 visits.

Seconds are wall time on a shared 2-core machine (load average recorded); iteration counts and
seeds make the exploitability reproducible (the kernel-level runs bit for bit).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from math import erf, sqrt
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.training.published_pushfold import (
    LABELS,
    PUBLISHED,
    SOURCES,
    classes_differing,
    listed_vector,
)

from bench_common import measure_parts
from holdem.abstraction.betting_tree import CALL, RAISE
from holdem.cards.preflop_matchups import (
    N_RUNOUTS,
    class_sizes,
    preflop_matchups,
)
from holdem.cfr.mccfr import MCCFROptions, MCCFRState, run_iterations
from holdem.cfr.schedules import LinearDiscount
from holdem.training.config import load_train_config, train_config_from_dict
from holdem.training.exact import exact_evaluator
from holdem.training.metrics import read_metrics
from holdem.training.pushfold import PushFold, combo_fraction, read_push_fold, solve_push_fold
from holdem.training.table_policies import average_rows
from holdem.training.trainer import Trainer
from holdem.training.training_game import load_training_game

ROOT = Path(__file__).resolve().parents[1]
STACKS = (5, 10, 15, 20)

PF10 = "configs/pushfold_10bb.yaml"
DISCOUNT = (100_000, 10_000_000)
VARIANT_ITERATIONS = 10_000_000
PLATEAU_ITERATIONS = 60_000_000
PLATEAU_STEP = 5_000_000


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the exact equilibrium and the published lists -----------------------------------------


def _mixed(strategy: np.ndarray) -> dict[str, float]:
    return {
        LABELS[c]: round(float(strategy[c]), 4) for c in range(169) if 0.01 < strategy[c] < 0.99
    }


def equilibrium(stack: int) -> dict[str, Any]:
    game = PushFold(stack)
    jam, call, report = solve_push_fold(game, target=1e-6)
    published = {}
    for name, text in zip(("jam", "call"), PUBLISHED[stack], strict=True):
        vector = listed_vector(text)
        published[name] = {
            "list": text,
            "combo_fraction": combo_fraction(vector),
            "class_fraction": float(vector.mean()),
            "classes_differing_from_equilibrium": classes_differing(
                jam if name == "jam" else call, text
            ),
        }
    return {
        "method": "CFR+ on the exact game to exploitability < 1e-6 "
        "(tests/training/test_pushfold.py)",
        "exploitability_bb": report.exploitability,
        "jam_fraction": combo_fraction(jam),
        "call_fraction": combo_fraction(call),
        "jam_class_fraction": float(np.mean(jam > 0.5)),
        "call_class_fraction": float(np.mean(call > 0.5)),
        "mixed_jam": _mixed(jam),
        "mixed_call": _mixed(call),
        "published": published,
        "_jam": jam,
        "_call": call,
    }


# -- ranges: the presets for 60 s each -----------------------------------------------------


def train_preset(config, seed_label: str) -> dict[str, Any]:
    training = load_training_game(config.betting, config.buckets)
    evaluate = exact_evaluator(training)
    assert evaluate is not None
    before = load()
    with tempfile.TemporaryDirectory() as folder:
        trainer = Trainer(config, training, Path(folder), evaluator=evaluate)
        trainer.allocate()
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = trainer.train()
        cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
        metrics = read_metrics(Path(folder) / "metrics.jsonl")
    policy = trainer.average_policy()
    final = evaluate(policy)
    jam, call = read_push_fold(training.game.tree, training.game.layout, policy)
    print(
        f"{seed_label}: {result.iterations} iterations, {final['exploitability_bb']:.3g} bb",
        file=sys.stderr,
    )
    return {
        "iterations": result.iterations,
        "train_seconds": result.seconds,
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "iterations_per_second": result.iterations / result.seconds,
        "curve": [
            [m["iteration"], m["seconds"], m["exploitability_bb"]]
            for m in metrics
            if "exploitability_bb" in m
        ],
        "final_exploitability_bb": final["exploitability_bb"],
        "jam_fraction": final["jam_fraction"],
        "call_fraction": final["call_fraction"],
        "load_average_before": before,
        "load_average_after": load(),
        "_jam": jam,
        "_call": call,
    }


def measure_ranges() -> dict[str, Any]:
    out = {}
    for stack in STACKS:
        path = ROOT / f"configs/blueprint_pushfold_{stack}bb.yaml"
        config = load_train_config(path)
        run = train_preset(config, f"{stack} bb")
        eq = equilibrium(stack)
        jam, call = run.pop("_jam"), run.pop("_call")
        ej, ec = eq.pop("_jam"), eq.pop("_call")
        run["vs_equilibrium"] = {
            "max_abs_jam_difference": float(np.abs(jam - ej).max()),
            "max_abs_call_difference": float(np.abs(call - ec).max()),
            "classes_rounding_differently": sorted(
                LABELS[c]
                for c in range(169)
                if round(jam[c]) != round(ej[c]) or round(call[c]) != round(ec[c])
            ),
        }
        out[f"{stack}bb"] = {
            "config": str(path.relative_to(ROOT)),
            "settings": config.to_dict(),
            "trained": run,
            "equilibrium": eq,
        }
    return {
        "what": "each preset trained by Trainer in one process for its 60 s wall budget",
        "stacks": out,
        "published_sources": SOURCES,
    }


# -- variants at 10 bb -----------------------------------------------------------------------


def variant_config(dtype: str, scale: float, discount: bool, iterations: int, seed: int = 0):
    data: dict[str, Any] = {
        "betting": PF10,
        "buckets": "lossless-preflop",
        "seed": seed,
        "iterations": iterations,
        "time_budget": None,
        "regrets": {"dtype": dtype, "scale": scale},
        "discount": {"interval": DISCOUNT[0], "cutoff": DISCOUNT[1]} if discount else None,
        "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
        "snapshot_interval": None,
        "checkpoint_interval": None,
        "report_interval": 2,
    }
    return train_config_from_dict(data, "measure_pushfold", ROOT)


def measure_variants() -> dict[str, Any]:
    rows = []
    for dtype, scale in (("int32", 1.0), ("int32", 10.0), ("int32", 100.0), ("float32", 1.0)):
        for discount in (True, False):
            name = f"{dtype} scale {scale:g} discount {'on' if discount else 'off'}"
            run = train_preset(variant_config(dtype, scale, discount, VARIANT_ITERATIONS), name)
            run.pop("_jam")
            run.pop("_call")
            rows.append(
                {
                    "config": name,
                    "regret_dtype": dtype,
                    "regret_scale": scale,
                    "discount": discount,
                    **run,
                }
            )
    return {
        "what": "10 bb, 10 M iterations, seed 0, through Trainer (sampled averaging, float32 "
        "sums); discount: every 100,000 iterations up to 10 M",
        "runs": rows,
    }


# -- the plateau at 10 bb ------------------------------------------------------------------------


def _kernel_options(dtype: str, scale: float, discount_cutoff: int | None, sums: str):
    """The options `Trainer` gives the kernel for a config (sampled averaging of the preflop;
    float32 sums unless ``sums`` says otherwise)."""
    return MCCFROptions(
        regret_dtype=dtype,
        regret_scale=scale,
        discount=None if discount_cutoff is None else LinearDiscount(DISCOUNT[0], discount_cutoff),
        averaging="sampled",
        average_interval=1,
        average_streets=1,
        sum_dtype=sums,
        batch=4096,
    )


def kernel_run(training, options: MCCFROptions, seed: int, label: str) -> dict[str, Any]:
    game = training.game
    evaluate = exact_evaluator(training)
    assert evaluate is not None
    run_iterations(game, options, MCCFRState.fresh(game, options, seed), 1)  # compile first
    state = MCCFRState.fresh(game, options, seed)
    before = load()
    curve = []
    cpu = 0.0
    while state.iteration < PLATEAU_ITERATIONS:
        start = time.process_time()
        run_iterations(game, options, state, PLATEAU_STEP)
        cpu += time.process_time() - start
        sums = state.strategy_sum
        policy = average_rows(game.tree, game.layout, sums, 0, sums.shape[0], np.float32)
        curve.append([state.iteration, round(cpu, 2), evaluate(policy)["exploitability_bb"]])
        print(f"{label}: {state.iteration} {curve[-1][2]:.4g}", file=sys.stderr)
    return {
        "curve_iteration_cpu_seconds_exploitability_bb": curve,
        "final_exploitability_bb": curve[-1][2],
        "load_average_before": before,
        "load_average_after": load(),
        "_state": state,
    }


def regret_model(stack: float, jam: np.ndarray, call: np.ndarray) -> dict[str, np.ndarray]:
    """Per class: the exact gap (value of the equilibrium's action minus the other's, big blinds
    per visit), the standard deviation of one visit's sampled regret difference, and the
    visits per iteration, for the small blind's jam and the big blind's call, against the
    other seat's equilibrium strategy. Outcomes are exact (wins, ties, losses over all
    runouts); the sampled quantity is what one external-sampling traversal adds."""
    tables = preflop_matchups()
    pairs = tables.pairs.astype(np.float64)
    wins, ties = tables.wins / N_RUNOUTS, tables.ties / N_RUNOUTS
    losses = pairs - wins - ties
    share = class_sizes() / 1326
    out = {k: np.zeros(169) for k in ("sb_mean", "sb_sd", "bb_mean", "bb_sd", "bb_reach")}
    for c in range(169):
        total = pairs[c].sum()
        probs = (
            np.array(
                [
                    (pairs[c] * (1 - call)).sum(),
                    (wins[c] * call).sum(),
                    (ties[c] * call).sum(),
                    (losses[c] * call).sum(),
                ]
            )
            / total
        )
        values = np.array([1.5, stack + 0.5, 0.5, -stack + 0.5])  # jam minus fold (-0.5)
        mean = float(probs @ values)
        out["sb_mean"][c], out["sb_sd"][c] = mean, sqrt(float(probs @ (values - mean) ** 2))
        reach = pairs[:, c] * jam
        total = reach.sum()
        out["bb_reach"][c] = total / pairs[:, c].sum()
        probs = (
            np.array(
                [(losses[:, c] * jam).sum(), (ties[:, c] * jam).sum(), (wins[:, c] * jam).sum()]
            )
            / total
        )
        values = np.array([stack + 1, 1.0, -stack + 1])  # call minus fold (-1)
        mean = float(probs @ values)
        out["bb_mean"][c], out["bb_sd"][c] = mean, sqrt(float(probs @ (values - mean) ** 2))
    out["sb_visits"] = share
    out["bb_visits"] = share * out["bb_reach"]
    return out


def _wrong_share(gap: float, sd: float, visits: float) -> float:
    """Expected share of the first ``visits`` visits on which a random walk with drift |gap|
    and step deviation ``sd`` sits on the wrong side (the uniform average's error)."""
    if visits <= 0:
        return 0.5
    n = np.linspace(0, visits, 400)[1:]
    z = -abs(gap) * np.sqrt(n) / sd
    return float(np.mean([0.5 * (1 + erf(v / sqrt(2))) for v in z]))


def plateau_analysis(training, state: MCCFRState) -> dict[str, Any]:
    game = training.game
    sums = state.strategy_sum
    policy = average_rows(game.tree, game.layout, sums, 0, sums.shape[0], np.float32)
    jam, call = read_push_fold(game.tree, game.layout, policy)
    pf = PushFold(10)
    ej, ec, _ = solve_push_fold(pf, target=1e-9, max_iterations=400_000)
    model = regret_model(10.0, ej, ec)
    share = class_sizes() / 1326
    fold, jam_value = pf.sb_action_values(call)
    sb_gain = np.maximum(fold, jam_value) - ((1 - jam) * fold + jam * jam_value)
    bb_fold, bb_call = pf.bb_action_values(jam)
    bb_gain = np.maximum(bb_fold, bb_call) - ((1 - call) * bb_fold + call * bb_call)
    tree, layout = game.tree, game.layout
    jam_action = [int(tree.action_kind[c]) for c in tree.children(0)].index(RAISE)
    bb_node = int(tree.first_child[0]) + jam_action
    call_action = [int(tree.action_kind[c]) for c in tree.children(bb_node)].index(CALL)
    regret = state.regret.astype(np.float64) / 1000.0  # stored = chips * 10 = bb * 1000

    def rows(node: int) -> np.ndarray:
        return layout.node_rows(regret, node, 0, 2)

    classes = []
    for seat, gain, ours, eq, node, action in (
        ("small blind jam", sb_gain, jam, ej, 0, jam_action),
        ("big blind call", bb_gain, call, ec, bb_node, call_action),
    ):
        prefix = "sb" if seat.startswith("small") else "bb"
        table = rows(node)
        for c in np.argsort(-gain)[:6]:
            gap = float(model[f"{prefix}_mean"][c])
            sd = float(model[f"{prefix}_sd"][c])
            per_iteration = float(model[f"{prefix}_visits"][c])
            classes.append(
                {
                    "seat": seat,
                    "class": LABELS[c],
                    "exploitability_share_bb": float(gain[c]) / 2,
                    "trained_probability": round(float(ours[c]), 4),
                    "equilibrium_probability": round(float(eq[c]), 4),
                    "gap_bb_per_visit": gap,
                    "sd_bb_per_visit": sd,
                    "regret_bb_now": {
                        "fold": float(table[c, 1 - action]),
                        "jam" if prefix == "sb" else "call": float(table[c, action]),
                    },
                    "visits_so_far": per_iteration * state.iteration,
                    "iterations_to_resolve_sign": (sd / gap) ** 2 / per_iteration
                    if abs(gap) > 1e-12
                    else None,
                }
            )
    predicted = {}
    pure_sb = (ej < 0.001) | (ej > 0.999)
    pure_bb = (ec < 0.001) | (ec > 0.999)
    for t in (5e6, 1e7, 3e7, 6e7, 1e8, 3e8, 1e9):
        sb = sum(
            share[c]
            * abs(model["sb_mean"][c])
            * _wrong_share(model["sb_mean"][c], model["sb_sd"][c], t * model["sb_visits"][c])
            for c in range(169)
            if pure_sb[c]
        )
        bb = sum(
            share[c]
            * model["bb_reach"][c]
            * abs(model["bb_mean"][c])
            * _wrong_share(model["bb_mean"][c], model["bb_sd"][c], t * model["bb_visits"][c])
            for c in range(169)
            if pure_bb[c]
        )
        predicted[f"{t:.0e}"] = (sb + bb) / 2
    return {
        "exploitability_bb": pf.report(jam, call).exploitability,
        "top_classes": classes,
        "classes_note": "exploitability_share_bb: the class's best-response gain / 2; gap: "
        "value of jamming (calling) minus folding per visit, against the equilibrium; "
        "iterations_to_resolve_sign: (sd/gap)^2 visits, in iterations",
        "model_expected_exploitability_bb": predicted,
        "model_note": "sum over the equilibrium's pure classes of share * |gap| * expected "
        "wrong share of a uniform average of a random walk (drift gap, step sd); ignores the "
        "discounting and the other seat's own noise",
    }


def measure_plateau() -> dict[str, Any]:
    training = load_training_game(ROOT / PF10, None)
    runs = []
    analysis = None
    plans = [
        (
            "preset: int32 scale 10, discount to 10 M, float32 sums",
            "int32",
            10.0,
            DISCOUNT[1],
            "float32",
            (0, 1, 2),
        ),
        ("same, float64 sums", "int32", 10.0, DISCOUNT[1], "float64", (0,)),
        ("float32 regrets, discount to 10 M", "float32", 1.0, DISCOUNT[1], "float32", (0,)),
        ("int32 scale 10, discount never stops", "int32", 10.0, 10**15, "float32", (0, 1, 2)),
    ]
    for name, dtype, scale, cutoff, sums, seeds in plans:
        for seed in seeds:
            options = _kernel_options(dtype, scale, cutoff, sums)
            run = kernel_run(training, options, seed, f"{name} seed {seed}")
            state = run.pop("_state")
            if analysis is None:
                analysis = plateau_analysis(training, state)
            runs.append(
                {
                    "config": name,
                    "seed": seed,
                    "regret_dtype": dtype,
                    "regret_scale": scale,
                    "discount_cutoff": cutoff,
                    "sum_dtype": sums,
                    **run,
                }
            )
    return {
        "what": "10 bb, the trainer's kernel and options (run_iterations), 60 M iterations, "
        "exploitability every 5 M",
        "runs": runs,
        "analysis_of_preset_seed0_at_60M": analysis,
    }


def main() -> None:
    measure_parts(
        (__doc__ or "").splitlines()[0],
        "measure_pushfold: push/fold trained by the blueprint trainer",
        {
            "ranges": ("ranges", measure_ranges),
            "variants": ("variants_10bb", measure_variants),
            "plateau": ("plateau_10bb", measure_plateau),
        },
    )


if __name__ == "__main__":
    main()
