"""The Monte Carlo's draws in chunks, and the chunks on worker threads.

A chunk of draws (with their fixed twins) bounds the memory of a big run; chunks are independent,
so they can run at once on the process's cores. Results come back in chunk order, and the chunk
size does not depend on the machine, so whatever ran where, every sum adds up in the same order and
the numbers are identical to a run on one thread (a test checks it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from .lanes import Lanes

#: Draws simulated together. A run of up to this many draws (every preset's default: 2,048) is one
#: chunk on the caller's thread: two threads trading Python's lock between NumPy calls of a few
#: microseconds each cost more than they give (4,000-draw chunks of an 8,192-draw run on two threads
#: were slower than one thread and burnt 25-64 % more CPU). A big run is cut into chunks shared by
#: the workers. Bigger chunks are faster but hold more memory; for 100,000 draws x 120 months
#: (2026-12-06, best of 3; peak resident memory of a fresh run): 4,096-draw chunks 1.59 s and 294 MB,
#: 8,192 1.21 s and 309 MB, 25,000 0.85 s and 372 MB. 4,096 keeps both of the project's targets for
#: that run (2 s, 300 MB). Fixed, not per machine: the sums then add up in the same order everywhere.
CHUNK_DRAWS = 4_096


def chunks(lanes: Lanes, draws: int, size: int | None = None) -> Iterator[tuple[int, Lanes]]:
    """The lanes in consecutive chunks of ``size`` draws (``CHUNK_DRAWS``), with each chunk's first draw."""
    size = CHUNK_DRAWS if size is None else size
    for start in range(0, draws, size):
        yield start, {name: values[start : start + size] for name, values in lanes.items()}


def weighted_sum(weights: np.ndarray, values: np.ndarray) -> float:
    """Σ weights·values, on this thread. NumPy's ``@`` hands a long dot product to OpenBLAS, which
    splits it over threads from about 10,000 values: on a busy machine waking them cost about 12 ms a
    call, against some 15 µs for the same sum here (``einsum`` without ``optimize`` does not call BLAS).

    >>> weighted_sum(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    11.0
    """
    return float(np.einsum("i,i->", weights, values))


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system says, else all of them)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


#: Worker threads for a Monte Carlo's chunks: one per core this process may use. NumPy lets go of
#: Python's lock inside each array operation, which on a chunk of thousands of draws is most of its time, so
#: big runs' chunks run side by side; a run of one chunk stays on the caller's thread.
CHUNK_WORKERS = usable_cores()
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
T = TypeVar("T")


def map_chunks(run: Callable[[int, Lanes], T], parts: Iterator[tuple[int, Lanes]]) -> Iterator[T]:
    """``run(start, chunk)`` for every chunk, results in chunk order: on the worker threads when
    there is more than one chunk and more than one worker, else one after the other here."""
    global _POOL
    todo = list(parts)
    on_a_worker = threading.current_thread().name.startswith("monte-carlo")  # never wait on our own pool
    if len(todo) < 2 or CHUNK_WORKERS < 2 or on_a_worker:
        return (run(start, chunk) for start, chunk in todo)
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=CHUNK_WORKERS, thread_name_prefix="monte-carlo")
    return _POOL.map(lambda item: run(*item), todo)
