"""Social graphs for the network check (``network``): a clustered small world and a two-block
random graph of n people, C of them customers, with a chosen share of customers among a
customer's neighbours (homophily). Built and stepped as ``scipy.sparse`` CSR 0/1 matrices.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

REWIRE = 0.1  # Watts-Strogatz rewiring probability of the clustered graph


def _edges_to_csr(a: np.ndarray, b: np.ndarray, n: int) -> sp.csr_matrix:
    """Undirected simple graph from edge lists: self-loops and repeated links dropped."""
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]).astype(np.int64), np.maximum(a[keep], b[keep]).astype(np.int64)
    key = np.concatenate([lo * n + hi, hi * n + lo])  # both directions, sorted: rows in order
    key.sort()
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if key.size else key
    rows, cols = key // n, key % n
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return sp.csr_matrix((np.ones(key.size, np.int32), cols.astype(np.int32), indptr), shape=(n, n))


def _pair_stubs(owners: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random matching of stubs (configuration model); an odd stub out is dropped."""
    owners = rng.permutation(owners)[: owners.size // 2 * 2]
    return owners[0::2], owners[1::2]


def _random_graph(
    n: int, customers: int, degree: int, share: float, rng: np.random.Generator
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Two-block configuration model; customers are people 0 … C−1."""
    x = share * degree  # customer links per customer: floor(x) or one more, totalling round(x·C)
    cc = np.full(customers, math.floor(x), np.int64)
    cc[rng.permutation(customers)[: round((x - math.floor(x)) * customers)]] += 1
    a1, b1 = _pair_stubs(np.repeat(np.arange(customers), cc), rng)
    cp_owner = np.repeat(np.arange(customers), degree - cc)
    cp_target = rng.integers(customers, n, cp_owner.size)
    from_c = np.bincount(cp_target, minlength=n)[customers:]
    a3, b3 = _pair_stubs(np.repeat(np.arange(customers, n), np.maximum(degree - from_c, 0)), rng)
    adj = _edges_to_csr(np.concatenate([a1, cp_owner, a3]), np.concatenate([b1, cp_target, b3]), n)
    return adj, np.arange(n) < customers


def _ring_customers(n: int, customers: int, half: int, target: float, rng: np.random.Generator) -> np.ndarray:
    """Customer flags along the ring: runs of two neighbouring lengths whose in-run neighbour
    share (2·Σ_a min(a, half) / (length·2·half) for a run of ``length``) averages ``target``,
    in random order, between random gaps of prospects."""
    length = np.arange(1.0, customers + 1)
    shares = np.where(
        length <= half + 1, length * (length - 1) / 2, half * (half + 1) / 2 + (length - half - 1) * half
    ) / (length * half)
    if target >= shares[-1]:
        runs = np.array([customers])
    else:
        hi = int(np.searchsorted(shares, max(target, 0.0)))
        lo = max(hi - 1, 0)
        low_share = 1.0 if hi == lo else (shares[hi] - target) / (shares[hi] - shares[lo])
        n_lo = round(low_share * customers / (lo + 1))
        n_hi, rest = divmod(customers - n_lo * (lo + 1), hi + 1)
        runs = rng.permutation(np.array([lo + 1] * n_lo + [hi + 1] * n_hi + ([rest] if rest else [])))
    gaps = rng.multinomial(n - customers, np.full(runs.size, 1.0 / runs.size))
    return np.repeat(np.tile([True, False], runs.size), np.column_stack([runs, gaps]).ravel())


def _clustered_graph(
    n: int, customers: int, degree: int, share: float, rng: np.random.Generator
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Watts-Strogatz small world with customers in runs along the ring."""
    half, base = degree // 2, customers / n
    inner = min(1.0, max(0.0, (share - REWIRE * base) / (1 - REWIRE) - base) / (1 - base))
    for _ in range(3):  # two corrections for neighbours from nearby runs
        is_c = _ring_customers(n, customers, half, inner, rng)
        src = np.repeat(np.arange(n), half)
        dst = (src + np.tile(np.arange(1, half + 1), n)) % n
        dst = np.where(rng.random(dst.size) < REWIRE, rng.integers(0, n, dst.size), dst)
        adj = _edges_to_csr(src, dst, n)
        got = graph_stats(adj, is_c, clustering=False)[2]
        if share >= 1 or abs(got - share) < 0.01 * share:
            break
        inner = min(1.0, max(0.0, inner + (share - got) / (1 - REWIRE)))
    return adj, is_c


def build_graph(
    kind: str, n: int, customers: int, degree: int, share: float, rng: np.random.Generator
) -> tuple[sp.csr_matrix, np.ndarray]:
    """A social graph of n people (CSR 0/1 adjacency) and the flags of its C customers.

    ``share`` is the target share of customers among a customer's neighbours (η0); ``degree``
    should be even. "random": a two-block configuration model (≈ share·d customer links per
    customer, the rest to random prospects, prospects filled up among themselves; degrees ≈ d).
    "clustered": a Watts-Strogatz small world (ring lattice, 10 % of links rewired at random,
    clustering ≈ 0.5) with customers in short runs along the ring, run lengths set to give the
    share. Self-loops and repeated links are dropped.

    Examples
    --------
    >>> adj, is_c = build_graph("clustered", 4000, 500, 12, 0.375, np.random.default_rng(1))
    >>> degree, clustering, share, _ = graph_stats(adj, is_c)
    >>> int(is_c.sum()), round(degree), 0.4 < clustering < 0.6, abs(share - 0.375) < 0.02
    (500, 12, True, True)
    """
    return {"random": _random_graph, "clustered": _clustered_graph}[kind](n, customers, degree, share, rng)


def graph_stats(adj: sp.csr_matrix, is_c: np.ndarray, clustering: bool = True) -> tuple[float, float, float, float]:
    """(mean degree, average clustering, customers' customer-neighbour share, prospects' one):
    clustering as networkx's ``average_clustering`` (0 below degree 2), shares as means over
    people of the customers among their neighbours."""
    deg = np.diff(adj.indptr).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(deg > 0, (adj @ is_c.astype(float)) / deg, 0.0)
        cc = math.nan
        if clustering:
            triangles = np.asarray(adj.multiply(adj @ adj).sum(1)).ravel() / 2
            cc = float(np.mean(np.where(deg > 1, 2 * triangles / (deg * (deg - 1)), 0.0)))
    return float(deg.mean()), cc, float(frac[is_c].mean()), float(frac[~is_c].mean()) if (~is_c).any() else math.nan
