"""Running a chain of outlets: every outlet's two arms on the chain's common draws (MODEL.md §23).

Each outlet's scenario (``chain.read_outlets``) is drawn from the same uniforms: the same seed puts
every catalogue parameter on the same Sobol dimension and every fix's change on the same named
stream (``sampling.sample_lanes``), so draw i is one state of the world for the whole chain (the
chain's word of mouth, churn and fix effect), and only the outlets' own facts differ. The chain's
value in a draw is the sum of its outlets' values in that draw, and its P10-P90 is the band of
that sum (common draws move together, so it is wider than independent outlets' bands would add up
to).

Outlets run in blocks of about ``BLOCK_LANES`` lanes, a number that depends only on the draws, not
on the machine: a block runs as one batch (``runs.run_arms``), returns a small summary (per outlet:
its means, percentiles, chance and mean NPV curve; per draw: the block's sums), and the chain adds
the blocks' sums in block order. So the numbers are the same bit for bit whether the blocks run
here one after another, on this machine's cores (worker processes: the default for big chains) or
on a Dask cluster (``scheduler``), and memory stays bounded by a block, whatever the chain's size.
"""

from __future__ import annotations

import math
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.context import BaseContext
from typing import Any

import numpy as np

from ..engine.chunks import usable_cores
from ..engine.expected import payback_month_of_mean
from ..engine.finance import net_present_value
from ..engine.fixes import reported_plan
from ..engine.lanes import concat_lanes
from ..engine.percentiles import Summary, percentiles_of_sorted, put_order_statistics_in_place, summarise_all
from ..engine.runs import PairedMonth, run_arms
from ..engine.sampling import sample_lanes
from ..inputs.params import Params
from .outlets import ChainTable, Outlet

#: Lanes (outlets x draws) run as one batch: a block (4 outlets at the presets' 2,048 draws). Small
#: batches keep the working arrays in the processor's cache: 200 stations one block after another took
#: 0.87-0.88x the time of their own Monte Carlos one by one in blocks of 2,048 or 8,192 lanes, 0.98x
#: and 1.04x in blocks of 16,384 and 32,768 (2026-12-06). Fixed, so the sums add up the same everywhere.
BLOCK_LANES = 8_192

#: Below this many lane-months a chain runs here, one block after another: starting worker
#: processes would cost more than they give (about a second of one core's work).
PROCESS_MIN_LANE_MONTHS = 8_000_000

ENGINES = ("here", "processes", "dask")


@dataclass(frozen=True)
class OutletResult:
    """One outlet's figures: the mean (the figure shown) and P10-P90 of the revenue lost by not fixing
    (``value``) and of the fix's NPV, the chance the fix pays off there, the payback month read off its
    mean NPV curve (None: not within the horizon), the fix's costs, and its rank by mean NPV (1 first)."""

    id: str
    name: str
    region: str
    row: int
    revenue_per_month: float
    value: Summary
    npv: Summary
    chance_pays_off: float
    payback_month: int | None
    pv_fix_cost: float
    fix_cost_once: float
    fix_cost_per_month: float
    rank: int = 0


@dataclass(frozen=True)
class BlockResult:
    """What a block sends back: its outlets' figures and, per draw, its sums (small, whatever runs it)."""

    outlets: tuple[OutletResult, ...]
    value_sum: np.ndarray  # per draw: Σ over the block's outlets of the revenue lost by not fixing
    npv_sum: np.ndarray  # per draw: Σ of the fix's NPV
    npv_curve_sum: np.ndarray  # per month: Σ over outlets and draws of the cumulative NPV


@dataclass(frozen=True)
class ChainResult:
    """A chain's figures: its outlets ranked by the fix's mean NPV, and the chain's totals, whose
    bands are those of the per-draw sums."""

    params: Params
    draws: int
    seed: int
    outlets: tuple[OutletResult, ...]
    value: Summary
    npv: Summary
    chance_pays_off: float
    payback_month: int | None
    problems: tuple[str, ...]
    engine: str

    @property
    def revenue_per_month(self) -> float:
        """The chain's revenue today (sum of its outlets')."""
        return float(sum(o.revenue_per_month for o in self.outlets))


def block_size(draws: int) -> int:
    """Outlets in a block: as many as fit ``BLOCK_LANES`` lanes, at least one.

    >>> block_size(2048), block_size(100_000)
    (4, 1)
    """
    return max(1, BLOCK_LANES // max(1, int(draws)))


def blocks_of(outlets: Sequence[Outlet], draws: int) -> list[list[Outlet]]:
    """The outlets cut into consecutive blocks of ``block_size(draws)``."""
    size = block_size(draws)
    return [list(outlets[i : i + size]) for i in range(0, len(outlets), size)]


def run_block(outlets: Sequence[Outlet], draws: int, seed: int) -> BlockResult:
    """Every outlet of a block on the chain's common draws, as one batch.

    Parameters
    ----------
    outlets : sequence of Outlet
        The block's outlets; all share the chain's horizon, baseline, fix and ranges' shapes.
    draws, seed : int
        The chain's draws and seed (the same for every block).

    Returns
    -------
    BlockResult
        Per outlet its figures; per draw the block's sums; per month the sum of the cumulative NPV.
    """
    first = outlets[0].params
    horizon, k = int(first.horizon_months), len(outlets)
    lanes = concat_lanes(*(sample_lanes(o.params, draws, seed) for o in outlets))
    cost_once, cost_month, margin = lanes["fix_cost_once"], lanes["fix_cost_per_month"], lanes["gross_margin"]
    curves = np.zeros((k, horizon))  # per outlet: Σ over draws of (g·PV loss so far − cost so far)

    def account(month: PairedMonth) -> None:
        if month.t < horizon:
            npv_so_far = net_present_value(margin * month.cumulative_pv_revenue_loss, month.cumulative_pv_fix_cost)
            curves[:, month.t] = npv_so_far.reshape(k, draws).sum(axis=1)

    out = run_arms(lanes, horizon, reported_plan(first), first.baseline, account)
    value, npv = out["pv_revenue_loss"].reshape(k, draws), out["npv_fix"].reshape(k, draws)
    pv_cost = out["pv_fix_cost"].reshape(k, draws).mean(axis=1)
    once, monthly = cost_once.reshape(k, draws).mean(axis=1), cost_month.reshape(k, draws).mean(axis=1)
    means = {"value": value.mean(axis=1), "npv": npv.mean(axis=1)}
    bands = {
        "value": percentiles_of_sorted(put_order_statistics_in_place(value.copy())),
        "npv": percentiles_of_sorted(put_order_statistics_in_place(npv.copy())),
    }
    chance = (npv > 0).mean(axis=1)

    def summary(key: str, i: int) -> Summary:
        p10, p50, p90 = (float(b) for b in bands[key][:, i])
        return Summary(p10, p50, p90, float(means[key][i]))

    results = tuple(
        OutletResult(
            o.id,
            o.name,
            o.region,
            o.row,
            o.revenue_per_month,
            summary("value", i),
            summary("npv", i),
            float(chance[i]),
            payback_month_of_mean(curves[i] / draws),
            float(pv_cost[i]),
            float(once[i]),
            float(monthly[i]),
        )
        for i, o in enumerate(outlets)
    )
    return BlockResult(results, value.sum(axis=0), npv.sum(axis=0), curves.sum(axis=0))


def run_chain(
    chain: ChainTable | Sequence[Outlet],
    draws: int | None = None,
    seed: int | None = None,
    scheduler: Any = None,
    engine: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ChainResult:
    """A chain's outlets ranked by the fix's mean NPV, with the chain's totals and their bands.

    Parameters
    ----------
    chain : ChainTable or sequence of Outlet
        The outlets (``chain.read_outlets``); the first outlet's scenario gives the chain's horizon,
        fix, draws and seed.
    draws, seed : int, optional
        Default to the chain's scenario's own (the draws matched to the stated accuracy).
    scheduler : str or distributed.Client, optional
        A Dask scheduler's address (``tcp://HOST:PORT``) or a client: run the blocks there.
    engine : {"here", "processes"}, optional
        Without a scheduler: one block after another here, or on worker processes (one per core).
        By default, processes for a chain of more than ``PROCESS_MIN_LANE_MONTHS`` on a machine with
        more than one core.
    progress : callable, optional
        Called as ``progress(outlets_done, outlets)`` as blocks come back.

    Returns
    -------
    ChainResult
        The same numbers, bit for bit, whichever engine ran it.

    Examples
    --------
    >>> from estimator import load_preset
    >>> from estimator.model.chain.outlets import read_outlets
    >>> table = read_outlets(b"id,customers\\nA,2000\\nB,4000\\n", "o.csv", load_preset("gas_station"))
    >>> result = run_chain(table, draws=256)
    >>> [o.id for o in result.outlets], result.outlets[0].rank
    (['B', 'A'], 1)
    >>> bool(np.isclose(result.value.mean, sum(o.value.mean for o in result.outlets)))
    True
    """
    outlets = tuple(chain.outlets if isinstance(chain, ChainTable) else chain)
    if not outlets:
        raise ValueError("a chain needs at least one outlet")
    base = outlets[0].params
    draws = int(base.draws if draws is None else draws)
    seed = int(base.seed if seed is None else seed)
    if draws < 1:
        raise ValueError(f"draws = {draws} must be at least 1")
    blocks = blocks_of(outlets, draws)
    if scheduler is not None:
        engine = "dask"
    elif engine is None:
        big = len(outlets) * draws * int(base.horizon_months) >= PROCESS_MIN_LANE_MONTHS
        engine = "processes" if big and len(blocks) > 1 and usable_cores() > 1 else "here"
    if engine not in ENGINES:
        raise ValueError(f"engine = {engine!r}; it is one of {', '.join(ENGINES)}")
    runner = {"here": _here, "processes": _on_processes, "dask": lambda b, d, s: _on_dask(b, d, s, scheduler)}[engine]
    value_sum, npv_sum = np.zeros(draws), np.zeros(draws)
    curve_sum = np.zeros(int(base.horizon_months))
    results: list[OutletResult] = []
    for part in runner(blocks, draws, seed):  # in block order: the same sums wherever blocks ran
        value_sum += part.value_sum
        npv_sum += part.npv_sum
        curve_sum += part.npv_curve_sum
        results.extend(part.outlets)
        if progress is not None:
            progress(len(results), len(outlets))
    ranked = sorted(results, key=lambda o: (-o.npv.mean, o.row))
    totals = summarise_all({"value": value_sum, "npv": npv_sum})
    return ChainResult(
        base,
        draws,
        seed,
        tuple(replace(o, rank=i) for i, o in enumerate(ranked, start=1)),
        totals["value"],
        totals["npv"],
        float(np.mean(npv_sum > 0)),
        payback_month_of_mean(curve_sum / draws),
        chain.problems if isinstance(chain, ChainTable) else (),
        engine,
    )


def _here(blocks: list[list[Outlet]], draws: int, seed: int) -> Iterator[BlockResult]:
    return (run_block(block, draws, seed) for block in blocks)


_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor:
    """The worker processes (one per core), started once and kept. Forked from this process when it
    runs one thread (the command line: nothing to import again); from a fork server when it runs
    more (the dashboard's server does), since forking a process with threads can copy a held lock."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            context: BaseContext
            if threading.active_count() == 1:
                context = multiprocessing.get_context("fork")
            else:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["estimator.model.chain.run"])
            _POOL = ProcessPoolExecutor(max_workers=usable_cores(), mp_context=context)
        return _POOL


def _on_processes(blocks: list[list[Outlet]], draws: int, seed: int) -> Iterator[BlockResult]:
    pool = _pool()
    futures = [pool.submit(run_block, block, draws, seed) for block in blocks]
    return (future.result() for future in futures)


def _on_dask(blocks: list[list[Outlet]], draws: int, seed: int, scheduler: Any) -> Iterator[BlockResult]:
    """The blocks on a Dask cluster: ``scheduler`` is a client or a scheduler's address."""
    from distributed import Client  # only for a cluster: the embedded run needs no Dask

    client = scheduler if isinstance(scheduler, Client) else Client(str(scheduler), timeout="10s", set_as_default=False)
    try:
        futures = client.map(run_block_on_worker, blocks, draws=draws, seed=seed, pure=False)
        yield from (future.result() for future in futures)
    finally:
        if client is not scheduler:
            client.close()


#: glibc's ``mallopt`` options: the size from which an allocation gets pages of its own, and the free
#: memory at the heap's top beyond which it is given back.
M_MMAP_THRESHOLD, M_TRIM_THRESHOLD = -3, -1


def run_block_on_worker(outlets: Sequence[Outlet], draws: int, seed: int) -> BlockResult:
    """``run_block`` on a Dask worker, whose allocator is first set to keep a block's arrays.

    Dask starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which fixes glibc's thresholds: every
    array of a block (128 KB at 8,192 lanes) then gets pages of its own and gives them back when freed,
    and a block ran about 1.6x slower than in a plain process (1.87 s against 2.64 s for 200 stations in
    one process with that variable set, 2026-12-06). Keeping up to 32 MB of freed memory in the worker
    gives its speed back; the numbers do not change.
    """
    _keep_freed_arrays()
    return run_block(outlets, draws, seed)


def _keep_freed_arrays() -> None:
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)
        libc.mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024)
    except (OSError, AttributeError):  # not glibc: nothing to set
        pass


def fix_first(
    outlets: Sequence[OutletResult], budget_once: float | None = None, budget_per_month: float | None = None
) -> tuple[OutletResult, ...]:
    """Where to fix first within a budget: outlets whose fix pays (mean NPV above zero), best return per
    euro first (mean NPV / present value of the fix's cost), taken while their one-off and monthly
    costs fit what is left of each budget (None: no limit).

    >>> a = OutletResult("a", "A", "", 2, 1.0, Summary(0, 0, 0, 0), Summary(0, 0, 0, 50.0), 0.9, 3, 10.0, 10.0, 0.0)
    >>> b = replace(a, id="b", npv=Summary(0, 0, 0, 60.0), pv_fix_cost=30.0, fix_cost_once=30.0)
    >>> [o.id for o in fix_first([a, b])], [o.id for o in fix_first([a, b], budget_once=35.0)]
    (['a', 'b'], ['a'])
    """
    left_once = math.inf if budget_once is None else float(budget_once)
    left_month = math.inf if budget_per_month is None else float(budget_per_month)
    paying = [o for o in outlets if o.npv.mean > 0]
    paying.sort(key=lambda o: (-(o.npv.mean / o.pv_fix_cost) if o.pv_fix_cost > 0 else -math.inf, o.row))
    chosen = []
    for outlet in paying:
        if outlet.fix_cost_once <= left_once and outlet.fix_cost_per_month <= left_month:
            chosen.append(outlet)
            left_once -= outlet.fix_cost_once
            left_month -= outlet.fix_cost_per_month
    return tuple(chosen)
