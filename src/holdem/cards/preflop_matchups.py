"""Exact all-in equity between the 169 preflop classes, with card removal.

For preflop classes ``c1, c2`` (class number = `holdem.cards.isomorphism.hand_index` of the two
hole cards, 0..168), over every ordered pair of hole-card combinations ``h1`` in ``c1`` and
``h2`` in ``c2`` that share no card, and every 5-card board from the 48 cards left:

- ``pairs[c1, c2]``: how many such combination pairs there are (so ``pairs.sum() == 1326 *
  1225``; ``pairs[AA, AA] == 6``, ``pairs[AA, KK] == 36``);
- ``wins[c1, c2]`` and ``ties[c1, c2]``: how many (pair, board) deals ``h1`` wins or ties
  (exact int64 counts, each pair seeing ``C(48, 5) = 1,712,304`` boards);
- ``equity[c1, c2] = (wins + ties / 2) / C(48, 5)``: the sum over the pairs of ``h1``'s
  all-in equity, so ``equity[c1, c2] + equity[c2, c1] == pairs[c1, c2]`` and
  ``equity[c1, c2] / pairs[c1, c2]`` is ``c1``'s mean equity against ``c2`` (AA against KK:
  0.8195; published figure about 82 %).

How (12 s on a busy 2-core machine, 20 s when Numba compiles first; about 100 microseconds
of one core per board):

1. Class-pair sums do not change when the suits are renamed (a renaming maps each class onto
   itself), so every board is replaced by its representative among the 134,459 boards whose
   four suit rank masks are non-increasing (`holdem.cards.boards.canonical_boards`),
   counted with the size of its orbit under the 24 suit permutations (`orbit_weights`; the
   weights add up to ``C(52, 5)``).
2. On a board the 1,081 hole pairs of the 47 cards left are ranked once and sorted by rank
   (`holdem.cards.boards.rank_hole_pairs`). Walking the ranks upward with
   ``below[c]``, the weighted number of lower-ranked hands of class ``c``, each hand of class
   ``c1`` adds ``below`` to ``wins[c1]``; hands of equal rank add to ``ties``. Hands of one
   class and one rank are added together.
3. Those sums counted the pairs that share a card (a pair of distinct hands shares at most
   one). They are taken out card by card, in the same walk: the hands holding card ``x`` are
   told apart by a local id (the other card's rank, and whether it has ``x``'s suit; 26 ids);
   ``below_with[x, id]`` counts the lower-ranked ones, and hand ``(x, y)`` subtracts that row
   from its row of a per-card table ``shared[x, id(y), :]``; hands of equal rank holding ``x``
   are subtracted from the ties the same way, and each hand's tie with itself once. The
   per-card tables, which cost no class lookups, are added into the class tables once per
   slice of boards.
4. Boards are split into contiguous slices, one accumulator per slice, run in parallel
   (``numba.prange``); integer sums make the result independent of the thread count.

The counting of hands by strength with card removal is the standard method (the same as
`holdem.abstraction.river_equity`); the code is ours. The tables are checked against
enumerations with PHEvaluator and eval7 in ``tests/cards/test_preflop_matchups.py``.

Cache: `preflop_matchups` computes the tables on first use and keeps them in the folder
``preflop_matchups`` under the holdem cache folder: ``$HOLDEM_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/holdem``, else ``~/.cache/holdem``. The folder holds ``wins.npy``,
``ties.npy``, ``pairs.npy`` and ``manifest.json`` (format version, what the counts mean, the
SHA-256 of each array), written atomically; the checksums are verified on every load, and a
folder that fails the check is recomputed with a warning.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit, prange

from holdem.cards.boards import N_HOLE_PAIRS, canonical_boards, rank_hole_pairs
from holdem.cards.encoding import N_CARDS, RANKS, rank_of, suit_of
from holdem.cards.isomorphism import hand_from_index, hand_index
from holdem.storage.array_files import read_arrays, write_arrays
from holdem.storage.cache import cache_dir

try:
    import fcntl
except ImportError:  # not on Windows: no lock, the atomic write still keeps the folder whole
    fcntl = None  # type: ignore[assignment]

N_CLASSES = 169
N_COMBOS = 1326  # C(52, 2)
N_RUNOUTS = comb(48, 5)  # boards per pair of hole-card combinations: 1,712,304
FORMAT_VERSION = 1
CACHE_FOLDER = "preflop_matchups"
_ARRAYS = ("wins", "ties", "pairs")
_SLOTS = 16  # accumulators, one per contiguous slice of a batch of boards


def class_of_cards() -> np.ndarray:
    """(52, 52) int64: the preflop class of hole cards ``(a, b)`` (symmetric), -1 if ``a == b``."""
    table = np.full((N_CARDS, N_CARDS), -1, np.int64)
    for a in range(N_CARDS):
        for b in range(a + 1, N_CARDS):
            table[a, b] = table[b, a] = hand_index([a, b])
    return table


def class_label(c: int) -> str:
    """The usual name of preflop class ``c``: ``AA``, ``AKs``, ``T9o`` (higher rank first)."""
    if isinstance(c, bool) or not isinstance(c, int | np.integer) or not 0 <= c < N_CLASSES:
        raise ValueError(f"a preflop class is a whole number 0..{N_CLASSES - 1}, got {c!r}")
    a, b = (int(x) for x in hand_from_index(0, int(c)))
    high, low = max(rank_of(a), rank_of(b)), min(rank_of(a), rank_of(b))
    if high == low:
        return RANKS[high] * 2
    return RANKS[high] + RANKS[low] + ("s" if suit_of(a) == suit_of(b) else "o")


def class_sizes() -> np.ndarray:
    """(169,) int64: hole-card combinations per class (6 for a pair, 4 suited, 12 offsuit)."""
    classes = class_of_cards()
    upper = np.triu_indices(N_CARDS, 1)
    return np.bincount(classes[upper], minlength=N_CLASSES).astype(np.int64)


@njit(cache=True, nogil=True)
def _orbit_weight(board: np.ndarray) -> int:
    """Boards that are suit renamings of ``board`` (24 over the renamings that fix it): 24
    divided by the product of the factorials of the multiplicities of its suit rank masks."""
    masks = np.zeros(4, np.int64)
    for c in board:
        masks[c & 3] |= np.int64(1) << (c >> 2)
    stabiliser = 1
    for s in range(4):
        equal = 0
        for t in range(s):
            if masks[t] == masks[s]:
                equal += 1
        stabiliser *= equal + 1  # builds k! for a run of k equal masks
    return 24 // stabiliser


@njit(cache=True, nogil=True)
def _orbit_weights_kernel(boards: np.ndarray) -> np.ndarray:
    out = np.empty(boards.shape[0], np.int64)
    for i in range(boards.shape[0]):
        out[i] = _orbit_weight(boards[i])
    return out


def orbit_weights(boards: np.ndarray) -> np.ndarray:
    """(n,) int64: for each 5-card board, how many boards its suit renamings give (1 to 24)."""
    boards = np.ascontiguousarray(boards, np.uint8)
    if boards.ndim != 2 or boards.shape[1] != 5:
        raise ValueError(f"boards must have shape (n, 5), got {boards.shape}")
    return _orbit_weights_kernel(boards)


_N_LOCAL = 32  # 26 ids used; rows padded to 32 entries
"""Classes of the hands holding a given card ``x``: hand ``(x, y)`` has local id ``2 * rank(y)
+ (suit(y) == suit(x))``; ``_local_classes()[x, id]`` is its class (-1 for a suited pair)."""


def _local_classes() -> np.ndarray:
    """(52, 32) int64: the class of hand ``(x, y)`` by card ``x`` and ``y``'s local id, or -1."""
    classes = class_of_cards()
    table = np.full((N_CARDS, _N_LOCAL), -1, np.int64)
    for x in range(N_CARDS):
        for y in range(N_CARDS):
            if y != x:
                table[x, 2 * rank_of(y) + (suit_of(y) == suit_of(x))] = classes[x, y]
    return table


@njit(cache=True, nogil=True)
def _add_board(
    board: np.ndarray,
    weight: int,
    class_of: np.ndarray,
    wins: np.ndarray,
    ties: np.ndarray,
    shared_wins: np.ndarray,
    shared_ties: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    rank: np.ndarray,
    below: np.ndarray,
    group: np.ndarray,
    distinct: np.ndarray,
    below_with: np.ndarray,
    same: np.ndarray,
    n_same: np.ndarray,
    touched: np.ndarray,
) -> None:
    """Add one board, counted ``weight`` times: every ordered pair of hands into ``wins`` and
    ``ties`` ((169, 169) int64, by class), and minus the pairs that share a card into
    ``shared_wins`` and ``shared_ties`` ((52, 32, 32) int64, by shared card and local ids).

    The rest is scratch, all int64: ``first``, ``second``, ``rank`` (1081,); ``below``,
    ``group``, ``distinct`` (169,); ``below_with`` (52, 32); ``same`` (52, 46); ``n_same``,
    ``touched`` (52,); ``below``, ``group``, ``below_with`` and ``n_same`` zero on entry and on
    exit.
    """
    order = rank_hole_pairs(board, first, second, rank)
    p = 0
    while p < N_HOLE_PAIRS:
        r = rank[order[p]]
        q = p
        n_distinct = 0
        n_touched = 0
        while q < N_HOLE_PAIRS and rank[order[q]] == r:
            h = order[q]
            a, b = first[h], second[h]
            c = class_of[a, b]
            if group[c] == 0:
                distinct[n_distinct] = c
                n_distinct += 1
            group[c] += 1
            suited = (a & 3) == (b & 3)
            for x, local in ((a, 2 * (b >> 2) + suited), (b, 2 * (a >> 2) + suited)):
                if n_same[x] == 0:
                    touched[n_touched] = x
                    n_touched += 1
                same[x, n_same[x]] = local
                n_same[x] += 1
            q += 1
        # Step 2, all pairs by class: hands of one class and rank together.
        for i in range(n_distinct):
            c1 = distinct[i]
            k1 = group[c1]
            for c2 in range(N_CLASSES):
                wins[c1, c2] += k1 * below[c2]
            for j in range(n_distinct):
                c2 = distinct[j]
                ties[c1, c2] += k1 * group[c2] * weight
        # Step 3, minus the pairs sharing a card x: for hand (x, y), the lower hands holding x
        # are counted in below_with[x] by local id; the equal ones are in same[x].
        for t in range(p, q):
            h = order[t]
            a, b = first[h], second[h]
            suited = (a & 3) == (b & 3)
            la = 2 * (a >> 2) + suited
            lb = 2 * (b >> 2) + suited
            for z in range(_N_LOCAL):
                shared_wins[a, lb, z] -= below_with[a, z]
            for z in range(_N_LOCAL):
                shared_wins[b, la, z] -= below_with[b, z]
            shared_ties[a, lb, lb] += weight  # its tie with itself is taken out via a and b
        for i in range(n_touched):
            x = touched[i]
            for u in range(n_same[x]):
                lu = same[x, u]
                below_with[x, lu] += weight
                for v in range(n_same[x]):
                    shared_ties[x, lu, same[x, v]] -= weight
            n_same[x] = 0
        for i in range(n_distinct):
            c = distinct[i]
            below[c] += group[c] * weight
            group[c] = 0
        p = q
    below[:] = 0
    below_with[:] = 0


@njit(cache=True, nogil=True)
def _fold_shared(
    local: np.ndarray,
    shared_wins: np.ndarray,
    shared_ties: np.ndarray,
    wins: np.ndarray,
    ties: np.ndarray,
) -> None:
    """Move the shared-card corrections ((52, 32, 32), by card and local ids) into the class
    tables ((169, 169)) and zero them."""
    for x in range(N_CARDS):
        for u in range(_N_LOCAL):
            cu = local[x, u]
            if cu < 0:
                continue
            for v in range(_N_LOCAL):
                cv = local[x, v]
                if cv < 0:
                    continue
                wins[cu, cv] += shared_wins[x, u, v]
                ties[cu, cv] += shared_ties[x, u, v]
                shared_wins[x, u, v] = 0
                shared_ties[x, u, v] = 0


@njit(cache=True, nogil=True, parallel=True)
def _add_boards(
    boards: np.ndarray,
    weights: np.ndarray,
    class_of: np.ndarray,
    local: np.ndarray,
    wins: np.ndarray,
    ties: np.ndarray,
) -> None:
    """Add ``boards`` ((n, 5) uint8) counted ``weights`` times into ``wins[slot]`` and
    ``ties[slot]`` ((slots, 169, 169) int64); slot ``k`` takes the ``k``-th contiguous slice."""
    n = boards.shape[0]
    slots = wins.shape[0]
    for k in prange(slots):
        first = np.empty(N_HOLE_PAIRS, np.int64)
        second = np.empty(N_HOLE_PAIRS, np.int64)
        rank = np.empty(N_HOLE_PAIRS, np.int64)
        below = np.zeros(N_CLASSES, np.int64)
        group = np.zeros(N_CLASSES, np.int64)
        distinct = np.empty(N_CLASSES, np.int64)
        below_with = np.zeros((N_CARDS, _N_LOCAL), np.int64)
        same = np.empty((N_CARDS, 46), np.int64)
        n_same = np.zeros(N_CARDS, np.int64)
        touched = np.empty(N_CARDS, np.int64)
        shared_wins = np.zeros((N_CARDS, _N_LOCAL, _N_LOCAL), np.int64)
        shared_ties = np.zeros((N_CARDS, _N_LOCAL, _N_LOCAL), np.int64)
        slot_wins = wins[k]
        slot_ties = ties[k]
        for b in range(k * n // slots, (k + 1) * n // slots):
            _add_board(
                boards[b],
                weights[b],
                class_of,
                slot_wins,
                slot_ties,
                shared_wins,
                shared_ties,
                first,
                second,
                rank,
                below,
                group,
                distinct,
                below_with,
                same,
                n_same,
                touched,
            )
        _fold_shared(local, shared_wins, shared_ties, slot_wins, slot_ties)


def matchup_counts(
    boards: np.ndarray,
    weights: np.ndarray | None = None,
    batch: int = 8192,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(wins, ties)`` ((169, 169) int64) over the given 5-card boards only.

    ``wins[c1, c2]`` counts, over the boards (board ``i`` counted ``weights[i]`` times, default
    once) and the ordered pairs of disjoint hole-card combinations ``h1`` in ``c1``, ``h2`` in
    ``c2`` that miss the board, the deals that ``h1`` wins; ``ties`` those it ties. With every
    canonical board and its orbit weight these are the tables of `compute_preflop_matchups`;
    a few boards make a quick test of the same kernel. ``progress(done, total)`` runs after
    each ``batch`` boards.
    """
    boards = np.ascontiguousarray(boards, np.uint8)
    if boards.ndim != 2 or boards.shape[1] != 5:
        raise ValueError(f"boards must have shape (n, 5), got {boards.shape}")
    if np.any(boards >= N_CARDS) or any(len(set(row)) != 5 for row in boards.tolist()):
        raise ValueError("each board must hold 5 different cards 0..51")
    if weights is None:
        weights = np.ones(boards.shape[0], np.int64)
    weights = np.ascontiguousarray(weights, np.int64)
    if weights.shape != (boards.shape[0],):
        raise ValueError(f"need one weight per board ({boards.shape[0]}), got {weights.shape}")
    class_of = class_of_cards()
    local = _local_classes()
    wins = np.zeros((_SLOTS, N_CLASSES, N_CLASSES), np.int64)
    ties = np.zeros((_SLOTS, N_CLASSES, N_CLASSES), np.int64)
    for start in range(0, boards.shape[0], batch):
        stop = min(boards.shape[0], start + batch)
        _add_boards(boards[start:stop], weights[start:stop], class_of, local, wins, ties)
        if progress is not None:
            progress(stop, boards.shape[0])
    return wins.sum(axis=0), ties.sum(axis=0)


def pair_counts() -> np.ndarray:
    """(169, 169) int64: ordered pairs of disjoint hole-card combinations per class pair."""
    classes = class_of_cards()
    a, b = np.triu_indices(N_CARDS, 1)
    masks = (np.uint64(1) << a.astype(np.uint64)) | (np.uint64(1) << b.astype(np.uint64))
    disjoint = (masks[:, None] & masks[None, :]) == 0
    onehot = np.zeros((a.size, N_CLASSES), np.float64)
    onehot[np.arange(a.size), classes[a, b]] = 1.0
    counts = onehot.T @ disjoint.astype(np.float64) @ onehot  # exact: every value < 2**53
    return np.rint(counts).astype(np.int64)


@dataclass(frozen=True, eq=False)
class PreflopMatchups:
    """Exact preflop all-in results between classes (see the module docstring).

    ``wins``, ``ties``, ``pairs`` are (169, 169) int64. ``equity`` and ``mean_equity`` are
    derived float64 tables: the sum of ``c1``'s equity over the combination pairs, and the mean
    (``nan`` where no pair exists: never, since every two classes can be dealt together).
    """

    wins: np.ndarray
    ties: np.ndarray
    pairs: np.ndarray

    def __post_init__(self) -> None:
        for name in _ARRAYS:
            array = getattr(self, name)
            if array.shape != (N_CLASSES, N_CLASSES) or array.dtype != np.int64:
                raise ValueError(
                    f"{name} must be a ({N_CLASSES}, {N_CLASSES}) int64 table, got "
                    f"{array.shape} {array.dtype}"
                )

    @property
    def equity(self) -> np.ndarray:
        """(169, 169) float64: sum over the combination pairs of ``c1``'s all-in equity."""
        return (self.wins + 0.5 * self.ties) / N_RUNOUTS

    @property
    def mean_equity(self) -> np.ndarray:
        """(169, 169) float64: ``c1``'s all-in equity against ``c2``, dealt together at random."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.equity / self.pairs

    def check(self) -> None:
        """Raise ValueError unless each pair's wins, losses and ties add up to every runout."""
        total = self.wins + self.wins.T + self.ties
        if not np.array_equal(total, self.pairs * N_RUNOUTS) or np.any(self.ties != self.ties.T):
            raise ValueError(
                "preflop matchup tables are inconsistent: wins + losses + ties must equal "
                f"pairs * {N_RUNOUTS} for every class pair"
            )


def compute_preflop_matchups(
    progress: Callable[[int, int], None] | None = None,
) -> PreflopMatchups:
    """The exact tables, computed over all 134,459 canonical boards (about 12 s on 2 cores).

    ``progress(done_boards, total_boards)`` runs after each batch of boards.
    """
    boards = canonical_boards(5)
    wins, ties = matchup_counts(boards, orbit_weights(boards), progress=progress)
    tables = PreflopMatchups(wins, ties, pair_counts())
    tables.check()
    return tables


def _sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def save_preflop_matchups(tables: PreflopMatchups, path: str | Path) -> Path:
    """Write the tables atomically to the folder ``path`` with a manifest of checksums."""
    arrays = {name: np.asarray(getattr(tables, name)) for name in _ARRAYS}
    manifest: dict[str, Any] = {
        "format": "holdem preflop matchups",
        "format_version": FORMAT_VERSION,
        "n_classes": N_CLASSES,
        "runouts_per_pair": N_RUNOUTS,
        "class_index": "holdem.cards.isomorphism.hand_index(hole), empty board",
        "meaning": "wins/ties[c1, c2]: deals h1 in c1 wins/ties against h2 in c2 (disjoint), "
        "over every 5-card board of the 48 cards left; pairs[c1, c2]: such (h1, h2)",
        "sha256": {name: _sha256(array) for name, array in arrays.items()},
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return write_arrays(path, arrays, manifest)


def load_preflop_matchups(path: str | Path) -> PreflopMatchups:
    """Read tables written by `save_preflop_matchups`, verifying every checksum.

    Raises ValueError naming the folder and what is wrong (missing, foreign, another format
    version, a damaged array).
    """
    path = Path(path)
    arrays, manifest = read_arrays(path)
    if manifest.get("format") != "holdem preflop matchups":
        raise ValueError(f"{path}: not a preflop matchups folder (its manifest says otherwise)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path}: format version {manifest.get('format_version')!r}, this holdem reads "
            f"{FORMAT_VERSION}: delete the folder to rebuild it"
        )
    sums = manifest.get("sha256", {})
    loaded = {}
    for name in _ARRAYS:
        if name not in arrays:
            raise ValueError(f"{path}: the array {name!r} is missing")
        array = np.asarray(arrays[name])
        if array.shape != (N_CLASSES, N_CLASSES) or array.dtype != np.int64:
            raise ValueError(f"{path}: {name} has shape {array.shape} {array.dtype}, not 169x169")
        if _sha256(array) != sums.get(name):
            raise ValueError(f"{path}: {name} does not match its checksum: the file is damaged")
        loaded[name] = np.array(array)  # a private copy: nothing stays mapped
    return PreflopMatchups(**loaded)


_LOADED: dict[Path, PreflopMatchups] = {}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.NAME.lock`` beside ``path`` (where the system has
    ``fcntl``), so that processes starting together compute the tables once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def preflop_matchups(
    folder: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PreflopMatchups:
    """The exact preflop matchup tables, from the cache or computed once and cached.

    ``folder`` defaults to ``cache_dir() / "preflop_matchups"``. A folder that is missing is
    computed (about 12 s on 2 cores; ``progress(done, total)`` reports boards done) and written;
    one that fails its checks is rebuilt with a warning. Processes asking at the same time
    wait for one computation. Later calls in the process reuse the tables (treat them as
    read-only).
    """
    path = Path(folder) if folder is not None else cache_dir() / CACHE_FOLDER
    if path in _LOADED:
        return _LOADED[path]
    with _locked(path):
        tables = None
        if path.exists():
            try:
                tables = load_preflop_matchups(path)
            except ValueError as error:
                warnings.warn(f"{error}; computing the tables again", stacklevel=2)
        if tables is None:
            tables = compute_preflop_matchups(progress)
            save_preflop_matchups(tables, path)
    _LOADED[path] = tables
    return tables
