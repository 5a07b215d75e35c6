"""Many heavy scenarios at once: memory and latency with and without the computing slots.

    python -m bench.bench_heavy               # 8 and 16 sessions (a few minutes)
    python -m bench.bench_heavy --sessions 4  # one size

Each session is the dashboard run headless (Streamlit's AppTest, one thread per session, all in
this process, so the computing slots of ``estimator/app/compute.py`` are shared as on a server)
opened from a maximum-settings link (100,000 draws x 120 months) with a seed no other session
uses, so nothing comes from the cache. All sessions start together. Printed per size: the time
from start to each session's finished page (p50, p95, max), the process's peak resident memory
while they ran, and errors; once with the slots as the dashboard sets them (one per core) and
once with as many slots as sessions (no bound), for comparison. No browser: what is measured is
the server's work, not 16 pages drawn on the same two cores.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.bench_model import machine  # noqa: E402
from estimator.app import compute  # noqa: E402

HEAVY = {"preset": "gas_station", "draws": "100000", "horizon_months": "120"}


def rss_mb() -> float:
    """This process's resident memory now (MB)."""
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_sessions(count: int, first_seed: int) -> dict[str, float]:
    """``count`` heavy sessions at once; their latencies, the peak memory and the errors."""
    barrier = threading.Barrier(count + 1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def session(seed: int) -> None:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
        for key, value in {**HEAVY, "seed": str(seed)}.items():
            app.query_params[key] = value
        barrier.wait()
        started = time.perf_counter()
        try:
            app.run()
            failed = [str(e.message)[:120] for e in app.exception]
        except Exception as exc:  # noqa: BLE001 - a bench counts failures, it does not stop on them
            failed = [f"{type(exc).__name__}: {exc}"[:120]]
        with lock:
            latencies.append(time.perf_counter() - started)
            errors.extend(failed)

    threads = [threading.Thread(target=session, args=(first_seed + i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    before = rss_mb()
    barrier.wait()
    peak = before
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, rss_mb())
        time.sleep(0.05)
    values = np.array(latencies)
    return {"p50_s": float(np.median(values)), "p95_s": float(np.percentile(values, 95)),
            "max_s": float(values.max()), "rss_before_mb": before, "rss_peak_mb": peak, "errors": len(errors),
            "first_error": errors[0] if errors else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[8, 16])
    args = parser.parse_args()
    print(machine())
    print(f"{os.cpu_count()} CPUs; computing slots as the dashboard sets them: {compute.HEAVY_SLOTS}")
    print(f"each session: {HEAVY['draws']} draws x {HEAVY['horizon_months']} months, its own seed (no cache hits)")
    seed = 1_000
    warm = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    warm.run()  # imports, presets and the start-up freeze, once
    for count in args.sessions:
        for label, slots in (("bounded", compute.HEAVY_SLOTS), ("unbounded", count)):
            compute._SLOTS = threading.BoundedSemaphore(slots)
            figures = run_sessions(count, seed)
            seed += count
            print(f"{count:3d} sessions, {label:9s} ({slots:2d} slots): latency p50 {figures['p50_s']:5.1f} s, "
                  f"p95 {figures['p95_s']:5.1f} s, max {figures['max_s']:5.1f} s; memory {figures['rss_before_mb']:.0f} "
                  f"-> peak {figures['rss_peak_mb']:.0f} MB; errors {figures['errors']}"
                  + (f" ({figures['first_error']})" if figures["errors"] else ""), flush=True)
    compute._SLOTS = threading.BoundedSemaphore(compute.HEAVY_SLOTS)


if __name__ == "__main__":
    main()
