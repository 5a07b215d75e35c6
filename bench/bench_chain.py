"""Speed and memory of a chain of outlets, measured in one run on this machine (MODEL.md §23).

    python -m bench.bench_chain                  # 1,000 outlets (a few minutes)
    python -m bench.bench_chain --outlets 200    # a smoke check
    python -m bench.bench_chain --memory 10000   # also the peak memory of 10,000 outlets (minutes more)

Prints, for a chain of made-up gas stations (``chain_example``, under the gas_station preset, at the
preset's own draws, the stated accuracy):

- the time to run the outlets one by one, each as a user would run one outlet (``monte_carlo`` at the
  scenario's default, all its outputs), the yardstick;
- the chain's time embedded (``run_chain``: blocks of outlets on worker processes, one per core; the
  first run starts the workers, later ones reuse them) and its ratio to the yardstick;
- the same chain on a two-worker Dask LocalCluster, and whether its numbers are the embedded run's bit
  for bit;
- the peak resident memory of a fresh process running the chain embedded.

Timings are wall-clock and best of the repeats on a shared, noisy machine; the CPU model, NumPy's SIMD
dispatch and the load average are printed with them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import astuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.bench_model import machine  # noqa: E402  (the CPU and SIMD line every bench prints)
from estimator import load_preset, monte_carlo  # noqa: E402
from estimator.model.chain.outlets import read_outlets  # noqa: E402
from estimator.model.chain.example import example_csv  # noqa: E402
from estimator.model.chain.run import run_chain  # noqa: E402

#: The issue's target: the chain in at most this share of the one-by-one time.
TARGET_RATIO = 0.65


def timed(fn) -> tuple[float, object]:  # noqa: ANN001
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def one_by_one_s(outlets) -> float:  # noqa: ANN001
    """Every outlet's own default Monte Carlo, one after another (what a user does without a chain)."""
    start = time.perf_counter()
    for outlet in outlets:
        monte_carlo(outlet.params)
    return time.perf_counter() - start


def same(a, b) -> bool:  # noqa: ANN001
    return [astuple(o) for o in a.outlets] == [astuple(o) for o in b.outlets] and (a.value, a.npv) == (b.value, b.npv)


def dask_run(table, expected) -> tuple[float, float, bool]:  # noqa: ANN001
    """Start a 2-worker LocalCluster, run the chain on it twice; (start s, best run s, same numbers)."""
    from distributed import Client, LocalCluster

    saved = dict(os.environ)  # the cluster leaves its workers' settings here (MALLOC_TRIM_THRESHOLD_, ...)
    start = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        started = time.perf_counter() - start
        runs = [timed(lambda: run_chain(table, scheduler=client)) for _ in range(2)]
    os.environ.clear()
    os.environ.update(saved)
    best = min(t for t, _ in runs)
    return started, best, all(same(result, expected) for _, result in runs)


def peak_memory_mb(outlets: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of a fresh process reading and running a chain of ``outlets``
    embedded, and its resident memory after the imports and before the chain."""
    code = f"""
from estimator import load_preset
from estimator.model.chain.outlets import read_outlets
from estimator.model.chain.example import example_csv
from estimator.model.chain.run import run_chain
def vm(field):
    for line in open('/proc/self/status'):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
p = load_preset('gas_station')
text = example_csv({outlets}).encode()
before = vm('VmRSS')
result = run_chain(read_outlets(text, 'chain.csv', p), engine='here')
print(before, vm('VmHWM'), len(result.outlets))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {"idle_mb": float(out[0]), "peak_mb": float(out[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=0, help="also measure the peak memory of this many outlets")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    p = load_preset("gas_station")
    table = read_outlets(example_csv(args.outlets).encode(), "chain.csv", p)
    outlets = table.outlets
    print(machine())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print(f"chain: {len(outlets):,} made-up stations under {p.name}, {p.draws:,} draws x {p.horizon_months} months each")

    monte_carlo(p)  # warm the imports and the kept Sobol points
    alone = one_by_one_s(outlets)
    cold, first = timed(lambda: run_chain(table))
    warm = min(timed(lambda: run_chain(table))[0] for _ in range(2))
    here, serial = timed(lambda: run_chain(table, engine="here"))
    print(f"one by one (each outlet's own default Monte Carlo)   {alone:8.2f} s")
    print(f"chain embedded, {first.engine}, first run (starts workers) {cold:8.2f} s = {cold / alone:.2f}x")
    print(f"chain embedded, {first.engine}, workers running          {warm:8.2f} s = {warm / alone:.2f}x "
          f"(target <= {TARGET_RATIO}x: {'met' if warm <= TARGET_RATIO * alone else 'NOT met'})")
    print(f"chain here, one block after another               {here:8.2f} s = {here / alone:.2f}x; "
          f"same numbers as the processes: {same(serial, first)}")
    if not args.no_dask:
        started, best, identical = dask_run(table, first)
        print(f"chain on a 2-worker Dask LocalCluster (started in {started:.1f} s) {best:8.2f} s = {best / alone:.2f}x; "
              f"same numbers as embedded: {identical}")
    memory = peak_memory_mb(len(outlets))
    print(f"peak RSS of a fresh process running the chain here: {memory['peak_mb']:.0f} MB "
          f"(after imports: {memory['idle_mb']:.0f} MB)")
    if args.memory:
        big = peak_memory_mb(args.memory)
        print(f"peak RSS for {args.memory:,} outlets: {big['peak_mb']:.0f} MB (after imports: {big['idle_mb']:.0f} MB)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
