"""TexasSolver, the C++ peer of the spot solver: build it, write its command files, run it and
read its strategy dump.

TexasSolver (github.com/bupticybee/TexasSolver, branch ``console``, commit ``8d7c4bfabedf``) is
AGPL-3.0. It is built from ``../shared/peers/texassolver`` by that folder's ``build.sh`` and run
as a separate program; none of its code is in this project. We compare outputs only: times,
exploitability, strategies. This module serves ``benchmarks/bench_spot.py`` and
``tests/search/test_texassolver_peer.py``; it is not part of the ``holdem`` package.

How TexasSolver builds its tree
-------------------------------
These facts come from ``src/GameTree.cpp`` (``GameTree::buildAction``, ``GameTree::buildChance``,
``GameTree::get_possible_bets``), ``src/tools/Rule.cpp`` and ``src/tools/CommandLineTool.cpp``.
They say how to build our tree so that it is the same tree.

Players and chips
    ``set_pot P`` commits P/2 for each player. ``set_effective_stack S`` gives each a total of
    S + P/2, so S chips are behind at the root; ``set_pot`` must come first. Players are
    numbered IP = 0 and OOP = 1. Every street starts with OOP, so the root is OOP's decision.

Amounts (``get_possible_bets``)
    At a decision, ``pot`` is twice the larger commitment: the pot after a call, or the pot
    itself when nobody has bet. ``call`` is the chips needed to call (0 when no bet is faced).
    Each size x of the player's list (bet, raise or donk, in the order given) becomes:

    - for a bet, ``round(x/100 * pot)`` chips;
    - for a raise, ``call + round(x/100 * pot)`` chips (the raise part is x% of the pot after
      the call). ``round`` is C's ``round``: to the nearest integer, halves away from zero, so
      2.5 becomes 3 (Python's ``round`` gives 2).

    The numbers in the action names (``BET 10.000000``, ``RAISE 25.000000``) are these chips
    added by the action, not the amount the bet or raise goes to. Example (pot 10): OOP bets
    10 ("BET 10"). IP's 50% raise is "RAISE 25" (10 to call plus 15, which is 50% of 30), to
    25 in the street. OOP's 50% re-raise is "RAISE 45" (15 to call plus 30), to 55 in the street.

    The list of amounts is then adjusted in this order:

    - **All-in threshold.** If the player's commitment after the action would exceed
      ``allin_threshold * S``, the action becomes all-in (every chip behind). The commitment
      includes the player's P/2 of the starting pot. TexasSolver's default threshold is 0.67;
      the spots of ``spots/`` use 1.0. So the rule is not "a bet that leaves less than a share of
      the stack": in those terms, a bet becomes all-in when it would leave fewer than
      ``(1 - threshold) * S + P/2`` chips behind (fewer than P/2 at 1.0).
    - **Too large.** An amount above the chips behind becomes all-in.
    - **Not positive.** Amounts of 0 or less are dropped.
    - **All-in flag.** When the flag is set, all-in is appended after the sizes.
    - **Integers.** Amounts are truncated to integers (``int()``). This changes nothing when P
      and S are integers, because then every amount already is one.
    - **The "min-raise" filter.** It keeps amounts of at least twice
      (own commitment - opponent's commitment). At a decision that difference is never
      positive, so the filter removes nothing. There is no "raise by at least the last bet" rule.
    - **Final filter.** An amount must be more than the call (a raise adds at least one chip
      over the call) and at most the chips behind. Duplicates are dropped and the first one
      kept, so a size that lands on all-in keeps its place in the list, and the flag's all-in
      adds nothing.

    Pots of 1 or 2 chips hit preflop special cases: an OOP commitment of 0.5 (the small blind),
    or both commitments equal to 1 (the big blind), size bets in big blinds. `PeerSpot` refuses
    such pots.

Which actions (``buildAction``)
    - **At the start of a street (OOP):** CHECK, then the bets.
    - **After OOP checks (IP):** CHECK, then the bets. Postflop there is no raise after a check.
    - **Facing a bet or a raise:** CALL, then the raises, then FOLD.
    - **Raise limit.** Raises are offered only while the street's count of bets and raises is
      below the raise limit. A bet counts 1, and the count restarts at 0 on each street. The
      console build has no ``set_raise_limit`` command: ``CommandLineTool`` fixes
      ``raise_limit = 4``, so a street has at most a bet and 3 raises.

Donk bets
    OOP's first action of a street uses OOP's donk sizes instead of its bet sizes when the
    previous street ended with OOP calling, that is when IP made the last bet or raise. A call
    by player 1 creates the chance node with ``donk = true``, and ``buildAction`` reads
    ``ChanceNode::isDonk``. After a check-check, or after IP called, OOP uses its bet sizes. An
    empty donk list leaves OOP no bet there except all-in, if that flag is set.

End of a street (``buildAction``, ``buildChance``)
    - **Check-check or call.** A check after a check, or a call, ends the street: on the river
      a showdown follows; before the river, a chance node deals the next card and the next
      street starts with OOP.
    - **Fold.** A fold ends the hand.
    - **Both all-in.** The remaining cards are dealt with no more decisions.

Other facts for a side-by-side run
----------------------------------
Ranges (``PrivateRangeConverter::rangeStr2Cards``)
    TexasSolver reads only items such as ``AK``, ``AKs``, ``AKo`` and ``QQ``, each optionally
    followed by ``:weight``. There is no ``+``, no ``-`` and no single combo such as ``AsKd``.
    Items of weight 0.005 or less are dropped silently. A combo given twice is an error.

Solver (``DiscountedCfrTrainable``)
    Discounted CFR with alpha 1.5, beta 0.5 and gamma 2. The average strategy sums the current
    strategies without reach weights and decays them by 0.9 (``theta``) every iteration.

Exploitability (``BestResponse::printExploitability``, ``PCfrSolver::train``)
    - **Checkpoints.** The solver checks every ``set_print_interval`` iterations (after 11, 21,
      ... iterations done; it prints ``Iter: N`` with N iterations done) and stops at the first
      check at or under ``set_accuracy``.
    - **Unchecked iterations.** A run that never reaches the accuracy does all
      ``set_max_iteration`` iterations; the ones after the last check are not evaluated.
    - **Formula.** ``Total exploitability`` = (BR value of player 0 + BR value of player 1) /
      2 / starting pot * 100.

The dump JSON (``PCfrSolver::reConvertJson``, ``DiscountedCfrTrainable::dump_strategy``)
    An action node is ``{"node_type": "action_node", "player": 1, "actions": [...],
    "strategy": {"actions": [...], "strategy": {"AsKd": [p per action], ...}}, "childrens":
    {"<action name>": child, ...}}``.

    - **Missing children.** Terminal and showdown children have no entry.
    - **Chance nodes.** ``{"node_type": "chance_node", "deal_number": n, "dealcards":
      {"8d": child, ...}}``. ``dealcards`` is written only when ``set_dump_rounds`` covers the
      next street; the spots' value 1 dumps the root's street only, so their chance nodes have
      ``deal_number`` 0 and no cards.
    - **Combos.** The acting player's range without the combos that touch the board. A key is
      the higher card first by card number ``4 * rank + suit`` with suits c d h s, which is our
      order (`holdem.cards.encoding`): ``AsKd``, ``5d5c``.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from holdem.cards.encoding import format_card, format_cards, parse_card, parse_cards
from holdem.storage.atomic import write_text

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = Path(
    os.environ.get("HOLDEM_TEXASSOLVER_PEER", ROOT.parent / "shared" / "peers" / "texassolver")
)
"""The peer's folder (README, build.sh, sources, spots); ``HOLDEM_TEXASSOLVER_PEER`` overrides."""
SPOTS_DIR = PEER_DIR / "spots"

STREETS = ("flop", "turn", "river")
PLAYERS = ("oop", "ip")
RAISE_LIMIT = 4
"""TexasSolver console's fixed ``raise_limit`` (CommandLineTool.h): a bet and 3 raises."""
DEFAULT_ALLIN_THRESHOLD = 0.67
"""TexasSolver console's ``allin_threshold`` when the command file does not set one."""
REQUIRED_TOOLS = ("cmake", "make", "c++", "python3")
"""What build.sh needs (g++ with OpenMP as ``c++``)."""

_RANK = "[2-9TJQKA]"
_RANGE_ITEM = re.compile(rf"^({_RANK})({_RANK})([so]?)(?::(.+))?$")
_ACTION = re.compile(r"^(BET|RAISE) (\d+(?:\.\d+)?)$")
_CHECKPOINT = re.compile(
    r"^Iter: (\d+)\s*\n"
    r"player 0 exploitability (\S+)\s*\n"
    r"player 1 exploitability (\S+)\s*\n"
    r"Total exploitability (\S+) precent\s*\n"
    r"(?:time used: (\S+))?",
    re.MULTILINE,
)
_PEAK_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def _positive_sizes(sizes: Sequence[float], where: str) -> tuple[float, ...]:
    values = tuple(float(s) for s in sizes)
    for value in values:
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{where}: sizes are % of the pot above 0, got {value}")
    return values


@dataclass(frozen=True)
class PeerSizes:
    """One player's sizes on one street, in % of the pot (see the module docstring)."""

    bets: tuple[float, ...] = ()
    raises: tuple[float, ...] = ()
    donks: tuple[float, ...] = ()
    """OOP only: its first bet of a street after it called the previous street."""
    allin: bool = False

    def __post_init__(self) -> None:
        for name in ("bets", "raises", "donks"):
            object.__setattr__(self, name, _positive_sizes(getattr(self, name), name))


def _check_range(text: str, key: str) -> None:
    """Refuse what TexasSolver's range reader would reject or silently change."""
    if not text or any(ch.isspace() for ch in text):
        raise ValueError(f"{key} must be a non-empty range without spaces, got {text!r}")
    seen: dict[str, str] = {}
    for item in text.split(","):
        match = _RANGE_ITEM.match(item)
        if match is None:
            raise ValueError(
                f"{key}: TexasSolver reads items like AK, AKs, AKo, QQ, each with an optional "
                f":weight (no +, - or single combos), got {item!r}"
            )
        high, low, suit, weight = match.groups()
        if weight is not None:
            try:
                value = float(weight)
            except ValueError:
                value = math.nan
            if not 0.005 < value <= 1:
                raise ValueError(
                    f"{key}: the weight of {item!r} must be above 0.005 (TexasSolver drops "
                    f"smaller weights) and at most 1"
                )
        if high == low and suit:
            raise ValueError(f"{key}: a pair has no s/o suffix, got {item!r}")
        ranks = "".join(sorted(high + low, key="23456789TJQKA".index, reverse=True))
        for kind in [suit] if (suit or high == low) else ["s", "o"]:
            if ranks + kind in seen:
                raise ValueError(
                    f"{key}: {item!r} repeats combos of {seen[ranks + kind]!r}; TexasSolver "
                    f"refuses a combo given twice"
                )
            seen[ranks + kind] = item


@dataclass(frozen=True)
class PeerSpot:
    """A spot as TexasSolver takes it: the board, the pot, the effective stack (chips behind),
    the two ranges in TexasSolver's range syntax, the sizes per (street, player), the all-in
    threshold and the raise limit, both in TexasSolver's meaning (module docstring)."""

    board: str
    pot: int
    stack: int
    oop_range: str
    ip_range: str
    sizes: Mapping[tuple[str, str], PeerSizes] = field(default_factory=dict)
    allin_threshold: float = DEFAULT_ALLIN_THRESHOLD
    raise_limit: int = RAISE_LIMIT

    def __post_init__(self) -> None:
        cards = parse_cards(self.board)
        if not 3 <= len(cards) <= 5:
            raise ValueError(f"board must have 3, 4 or 5 cards, got {self.board!r}")
        object.__setattr__(self, "board", format_cards(cards))
        if isinstance(self.pot, bool) or not isinstance(self.pot, int) or self.pot <= 2:
            raise ValueError(
                f"pot must be an integer above 2 chips (TexasSolver treats pots of 1 and 2 "
                f"as preflop blinds), got {self.pot!r}"
            )
        if isinstance(self.stack, bool) or not isinstance(self.stack, int) or self.stack <= 0:
            raise ValueError(f"stack must be a positive integer of chips, got {self.stack!r}")
        _check_range(self.oop_range, "oop_range")
        _check_range(self.ip_range, "ip_range")
        if not (math.isfinite(self.allin_threshold) and self.allin_threshold > 0):
            raise ValueError(f"allin_threshold must be above 0, got {self.allin_threshold!r}")
        if self.raise_limit != RAISE_LIMIT:
            raise ValueError(
                f"raise_limit must be {RAISE_LIMIT}: TexasSolver's console has no "
                f"set_raise_limit command and fixes it at {RAISE_LIMIT}, got {self.raise_limit!r}"
            )
        first = STREETS[len(cards) - 3]
        for (street, player), sizes in self.sizes.items():
            if street not in STREETS or player not in PLAYERS:
                raise ValueError(
                    f"sizes keys are (street, player) with a street of {STREETS} and a player "
                    f"of {PLAYERS}, got {(street, player)!r}"
                )
            if STREETS.index(street) < STREETS.index(first):
                raise ValueError(
                    f"sizes for the {street} on a board of {len(cards)} cards: the spot starts "
                    f"on the {first}"
                )
            if not isinstance(sizes, PeerSizes):
                raise ValueError(f"sizes[{(street, player)!r}] must be PeerSizes, got {sizes!r}")
            if player == "ip" and sizes.donks:
                raise ValueError(f"donk sizes are for OOP only, got ip donks on the {street}")
        object.__setattr__(self, "sizes", MappingProxyType(dict(self.sizes)))

    @property
    def street(self) -> str:
        """The street of the root: ``flop``, ``turn`` or ``river``."""
        return STREETS[len(self.board.split()) - 3]

    def sizes_for(self, street: str, player: str) -> PeerSizes:
        """The sizes of ``player`` (``oop``/``ip``) on ``street`` (none when not given)."""
        return self.sizes.get((street, player), PeerSizes())


def _number(value: float) -> str:
    """A size as TexasSolver's files write it: ``100``, ``33.5``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def command_file(
    spot: PeerSpot,
    threads: int,
    accuracy_pct: float,
    max_iterations: int,
    dump_path: str | Path,
    print_interval: int = 10,
    *,
    dump_rounds: int = 1,
) -> str:
    """TexasSolver's command file solving ``spot`` and dumping the strategy to ``dump_path``
    (relative to the folder it runs in), in the syntax of ``spots/*.txt``: one command a line,
    one space before the argument, no spaces inside lists.

    ``accuracy_pct``: stop at this exploitability in % of the pot; ``dump_rounds``: how many
    streets the dump holds from the root (1 = the root's street).
    """
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if not accuracy_pct > 0:
        raise ValueError(f"accuracy_pct must be above 0, got {accuracy_pct}")
    if max_iterations < 1 or print_interval < 1:
        raise ValueError(
            f"max_iterations and print_interval must be at least 1, got {max_iterations} "
            f"and {print_interval}"
        )
    if not 1 <= dump_rounds <= 3:
        raise ValueError(f"dump_rounds must be 1, 2 or 3, got {dump_rounds}")
    dump = str(dump_path)
    if not dump or any(ch.isspace() for ch in dump):
        raise ValueError(
            f"dump_path must not contain spaces (TexasSolver splits on them): {dump!r}"
        )
    lines = [
        f"set_pot {spot.pot}",
        f"set_effective_stack {spot.stack}",
        f"set_board {spot.board.replace(' ', ',')}",
        f"set_range_oop {spot.oop_range}",
        f"set_range_ip {spot.ip_range}",
    ]
    for street in STREETS:
        for player in PLAYERS:
            sizes = spot.sizes_for(street, player)
            for kind, values in (
                ("bet", sizes.bets),
                ("donk", sizes.donks),
                ("raise", sizes.raises),
            ):
                if values:
                    listed = ",".join(_number(v) for v in values)
                    lines.append(f"set_bet_sizes {player},{street},{kind},{listed}")
            if sizes.allin:
                lines.append(f"set_bet_sizes {player},{street},allin")
    lines += [
        f"set_allin_threshold {float(spot.allin_threshold)!r}",
        "build_tree",
        f"set_thread_num {threads}",
        f"set_accuracy {_number(accuracy_pct)}",
        f"set_max_iteration {max_iterations}",
        f"set_print_interval {print_interval}",
        "set_use_isomorphism 1",
        "start_solve",
        f"set_dump_rounds {dump_rounds}",
        f"dump_result {dump}",
    ]
    return "\n".join(lines) + "\n"


def _commands(text: str, where: str) -> list[tuple[str, str]]:
    """The (command, argument) pairs of a command file, as TexasSolver splits its lines."""
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) > 2:
            raise ValueError(f"{where} line {number}: one space at most, got {line!r}")
        pairs.append((parts[0], parts[1] if len(parts) == 2 else ""))
    return pairs


def _whole(text: str, command: str, where: str) -> int:
    value = float(text)
    if not value.is_integer():
        raise ValueError(f"{where}: {command} must be whole chips for PeerSpot, got {text!r}")
    return int(value)


def read_command_file(path: str | Path) -> PeerSpot:
    """The spot of a TexasSolver command file such as ``spots/river.txt`` (its solve settings,
    such as threads and accuracy, are not part of a spot and are left out)."""
    path = Path(path)
    found: dict[str, str] = {}
    sizes: dict[tuple[str, str], dict[str, Any]] = {}
    for command, arg in _commands(path.read_text(), str(path)):
        if command == "set_effective_stack" and "set_pot" not in found:
            raise ValueError(f"{path}: set_pot must come before set_effective_stack")
        if command == "set_bet_sizes":
            player, street, kind, *values = arg.split(",")
            entry = sizes.setdefault((street, player), {})
            if kind == "allin":
                entry["allin"] = True
            elif kind in ("bet", "raise", "donk"):
                entry[kind + "s"] = tuple(float(v) for v in values)
            else:
                raise ValueError(f"{path}: unknown set_bet_sizes kind {kind!r} in {arg!r}")
        else:
            found[command] = arg
    for needed in ("set_pot", "set_effective_stack", "set_board", "set_range_oop", "set_range_ip"):
        if needed not in found:
            raise ValueError(f"{path}: no {needed} line; a spot needs it")
    return PeerSpot(
        board=found["set_board"].replace(",", " "),
        pot=_whole(found["set_pot"], "set_pot", str(path)),
        stack=_whole(found["set_effective_stack"], "set_effective_stack", str(path)),
        oop_range=found["set_range_oop"],
        ip_range=found["set_range_ip"],
        sizes={key: PeerSizes(**entry) for key, entry in sizes.items()},
        allin_threshold=float(found.get("set_allin_threshold", DEFAULT_ALLIN_THRESHOLD)),
    )


def missing_tools() -> list[str]:
    """The tools build.sh needs that are not on PATH (empty when the peer can be built)."""
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


def binary_path(build_dir: Path) -> Path:
    """Where build.sh puts the solver under ``build_dir``."""
    return Path(build_dir) / "cmake-build" / "console_solver"


def build(build_dir: Path, peer_dir: Path = PEER_DIR, timeout: float = 1800) -> Path:
    """The solver binary under ``build_dir``, built by the peer's build.sh when missing.

    Raises RuntimeError naming the missing tools (cmake, make, g++ as ``c++``, python3), or with
    the end of build.sh's output when it fails."""
    binary = binary_path(build_dir)
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    missing = missing_tools()
    if missing:
        raise RuntimeError(
            f"cannot build TexasSolver: {', '.join(missing)} not found; install cmake >= 3.15, "
            f"make, g++ with OpenMP and python3"
        )
    script = Path(peer_dir) / "build.sh"
    if not script.is_file():
        raise RuntimeError(f"no {script}: set HOLDEM_TEXASSOLVER_PEER to the peer's folder")
    done = subprocess.run(
        [str(script), str(build_dir)], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0 or not binary.is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"TexasSolver's build.sh failed (exit {done.returncode}):\n{tail}")
    return binary


class Checkpoint(NamedTuple):
    """One exploitability check: iterations done, exploitability (% of the pot), TexasSolver's
    ``time used`` (s since the solve loop began), and each player's best-response value."""

    iterations: int
    exploitability_pct: float
    seconds: float
    br_ip: float
    br_oop: float


@dataclass(frozen=True)
class PeerResult:
    """What one TexasSolver run printed and dumped.

    ``iterations`` is the last checkpoint's count when the accuracy was reached, else the
    maximum (the last few then ran unchecked); ``solve_seconds`` is the last checkpoint's
    ``time used`` (dictionary load and tree build excluded); ``wall_seconds`` the whole process;
    ``peak_rss_kb`` from ``/usr/bin/time -v`` (None without it)."""

    checkpoints: tuple[Checkpoint, ...]
    initial_exploitability_pct: float
    exploitability_pct: float
    iterations: int
    converged: bool
    solve_seconds: float
    wall_seconds: float
    peak_rss_kb: int | None
    dump: dict[str, Any] | None
    log_path: Path


def parse_log(text: str) -> tuple[float, list[Checkpoint]]:
    """The uniform strategy's exploitability (``Iter: 0``) and the checkpoints of a log."""
    initial = math.nan
    checkpoints = []
    for match in _CHECKPOINT.finditer(text):
        iterations, br_ip, br_oop, total, seconds = match.groups()
        if seconds is None:
            initial = float(total)
        else:
            checkpoints.append(
                Checkpoint(
                    int(iterations), float(total), float(seconds), float(br_ip), float(br_oop)
                )
            )
    return initial, checkpoints


def run(binary: Path, command_text: str, workdir: Path, timeout: float) -> PeerResult:
    """Run TexasSolver on ``command_text`` in ``workdir`` (where it writes its dump and
    ``tmp_log.txt``), under ``/usr/bin/time -v`` when present for the peak RSS.

    The process group is killed when it runs over ``timeout`` seconds (TimeoutError). Raises
    RuntimeError with the end of the log when it fails or prints no checkpoint."""
    binary = Path(binary)
    resources = binary.parent.parent / "TexasSolver-console" / "resources"
    if not resources.is_dir():
        raise ValueError(f"no {resources}: binary must be build.sh's, got {binary}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    commands = dict(_commands(command_text, "command_text"))
    spot_file = write_text(workdir / "texassolver_spot.txt", command_text)
    log_path = workdir / "texassolver.log"
    time_path = workdir / "texassolver.time"
    command = [str(binary), "-i", str(spot_file), "-r", str(resources)]
    timed = Path("/usr/bin/time").is_file()
    if timed:
        command = ["/usr/bin/time", "-v", "-o", str(time_path), *command]
    started = time.perf_counter()
    with log_path.open("wb") as log:
        # its own session, so that a timeout kills the solver and not only /usr/bin/time
        process = subprocess.Popen(
            command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise TimeoutError(
                f"TexasSolver ran over timeout={timeout} s and was stopped; log: {log_path}"
            ) from None
    wall = time.perf_counter() - started
    text = log_path.read_bytes().decode("utf-8", "replace")
    initial, checkpoints = parse_log(text)
    if code != 0 or not checkpoints:
        tail = "\n".join(text.replace("\b", "").strip().splitlines()[-10:])
        raise RuntimeError(
            f"TexasSolver exited with {code} after {len(checkpoints)} checkpoints "
            f"(max_iterations must reach print_interval); log {log_path}:\n{tail}"
        )
    rss = _PEAK_RSS.search(time_path.read_text()) if timed else None
    accuracy = float(commands.get("set_accuracy", "nan"))
    last = checkpoints[-1]
    converged = last.exploitability_pct <= accuracy
    dump = None
    if "dump_result" in commands:
        dump = json.loads((workdir / commands["dump_result"]).read_text())
    return PeerResult(
        checkpoints=tuple(checkpoints),
        initial_exploitability_pct=initial,
        exploitability_pct=last.exploitability_pct,
        iterations=last.iterations if converged else int(commands.get("set_max_iteration", 100)),
        converged=converged,
        solve_seconds=last.seconds,
        wall_seconds=wall,
        peak_rss_kb=int(rss.group(1)) if rss else None,
        dump=dump,
        log_path=log_path,
    )


def our_player(texassolver_player: int) -> int:
    """Our player number (OOP 0, IP 1) of TexasSolver's (IP 0, OOP 1)."""
    return 1 - texassolver_player


def our_combo(text: str) -> str:
    """A combo such as ``KdAs`` written as we write it, the higher card first: ``AsKd``."""
    cards = parse_cards(text)
    if len(cards) != 2:
        raise ValueError(f"a combo is two cards, got {text!r}")
    return format_cards(sorted(cards, reverse=True), "")


def node_at(dump: Mapping[str, Any], path: Sequence[str] = ()) -> Mapping[str, Any]:
    """The dump's node reached by ``path``: action names as the dump writes them (``CHECK``,
    ``BET 10.000000``) and, below a chance node, the dealt card (``8d``)."""
    node = dump
    for depth, step in enumerate(path):
        children = node.get("childrens") or node.get("dealcards") or {}
        if step not in children:
            raise ValueError(
                f"no child {step!r} after {list(path[:depth])!r} in the dump; "
                f"it has {sorted(children)} (terminal nodes and undumped streets have none)"
            )
        node = children[step]
    return node


def node_strategy(
    dump: Mapping[str, Any], path: Sequence[str] = ()
) -> tuple[list[str], dict[str, list[float]]]:
    """The action names and the average strategy per combo (our combo text) at a node."""
    node = node_at(dump, path)
    if node.get("node_type") != "action_node" or "strategy" not in node:
        raise ValueError(f"the node at {list(path)!r} is a {node.get('node_type')}, not a decision")
    strategy = node["strategy"]
    return list(strategy["actions"]), {
        our_combo(combo): [float(p) for p in probs] for combo, probs in strategy["strategy"].items()
    }


def root_strategy(dump: Mapping[str, Any]) -> tuple[list[str], dict[str, list[float]]]:
    """The root's (OOP's) action names and average strategy per combo."""
    return node_strategy(dump, ())


@dataclass(frozen=True)
class PeerAction:
    """A TexasSolver action in chips.

    ``chips``: what the actor adds (the number in TexasSolver's name; the call amount for a
    call); ``to``: the actor's chips in the street after it; ``letter``: our history letters
    (``x``, ``c``, ``f``, ``b<to>``, ``r<to>``, ``a`` for a bet or raise of every chip behind)."""

    name: str
    kind: str
    chips: int
    to: int
    allin: bool
    letter: str


class _Betting:
    """The chips of a spot along a path of TexasSolver actions (OOP = 0 here, as ours)."""

    def __init__(self, spot: PeerSpot) -> None:
        self.spot = spot
        self.board = parse_cards(spot.board)
        self.behind = [spot.stack, spot.stack]
        self.street_in = [0, 0]
        self.actor = 0
        self.checks = 0
        self.over = False
        self.folded = False
        self.history = ""

    def action(self, name: str) -> PeerAction:
        """``name`` as a `PeerAction` for the player to act now (no change of state)."""
        if self.over:
            raise ValueError(
                f"the street is over at {self.history!r}: a card comes next, not {name!r}"
            )
        me, other = self.actor, 1 - self.actor
        owed = self.street_in[other] - self.street_in[me]
        match = _ACTION.match(name)
        if name in ("CHECK", "FOLD"):
            letter = "x" if name == "CHECK" else "f"
            return PeerAction(name, name.lower(), 0, self.street_in[me], False, letter)
        if name == "CALL":
            return PeerAction(
                name, "call", owed, self.street_in[other], owed == self.behind[me], "c"
            )
        if match is None:
            raise ValueError(
                f"unknown TexasSolver action {name!r}: CHECK, CALL, FOLD, BET x, RAISE x"
            )
        value = float(match.group(2))
        if not value.is_integer() or not 0 < value <= self.behind[me]:
            raise ValueError(
                f"{name!r} at {self.history!r} adds {value} chips; {self.behind[me]} are behind"
            )
        chips = int(value)
        to = self.street_in[me] + chips
        allin = chips == self.behind[me]
        kind = match.group(1).lower()
        return PeerAction(name, kind, chips, to, allin, "a" if allin else f"{kind[0]}{to}")

    def play(self, step: str) -> None:
        if self.folded:
            raise ValueError(f"the hand ended with a fold at {self.history!r}, got {step!r}")
        if self.over:
            try:
                card = parse_card(step)
            except ValueError:
                raise ValueError(
                    f"the street is over at {self.history!r}: a card comes next, not {step!r}"
                ) from None
            if card in self.board or len(self.board) == 5:
                raise ValueError(f"cannot deal {step!r} at {self.history!r} on {self.spot.board}")
            self.board.append(card)
            self.history += "/" + format_card(card)
            self.street_in, self.actor, self.checks, self.over = [0, 0], 0, 0, False
            return
        done = self.action(step)
        me = self.actor
        self.history += done.letter
        self.behind[me] -= done.chips
        self.street_in[me] += done.chips
        self.checks += done.kind == "check"
        self.folded = done.kind == "fold"
        self.over = done.kind == "call" or self.checks == 2
        self.actor = 1 - me


def _follow(spot: PeerSpot, path: Sequence[str]) -> _Betting:
    betting = _Betting(spot)
    for step in path:
        betting.play(step)
    return betting


def history(spot: PeerSpot, path: Sequence[str]) -> str:
    """Our history text (``xb750c/8d``) of a path of TexasSolver action names and cards."""
    return _follow(spot, path).history


def node_actions(
    spot: PeerSpot, dump: Mapping[str, Any], path: Sequence[str] = ()
) -> list[PeerAction]:
    """The actions of the dump's decision at ``path`` in chips, to match with ours."""
    betting = _follow(spot, path)
    return [betting.action(name) for name in node_at(dump, path)["actions"]]
