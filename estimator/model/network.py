"""Word of mouth on a social network: an agent-based check of the mean-field spread.

The model's word of mouth (docs/methodology.md, section 2, steps 4-6) is a mean field: tellings
reach customers at share η_t = min(1, κ·C_t/M), else prospects, at random. ``network_check`` plays
the same monthly rules person by person on a social graph (agent-based simulation; telling like an
independent cascade, but anyone can hear new stories every month) beside the mean field's loss.

Design decisions
----------------
- **Bad stories only**: service churn, reviews and good stories off on both sides (q = 0, w_n = 0,
  k_p = 0, e = e_s = 0), baseline "flawless", fix bad_visit_rate = 0. The mean field and u come from
  the model API at run time (``simulate``); none of its equations is copied here.
- **Per person, per month**: a customer has a bad month with probability u, complains with
  probability c, is recovered with probability r; an unrecovered one tells k_n people. Whoever
  hears in month t (a customer, or a prospect not yet aware) retells with probability ρ to k_n
  people in month t + 1. A customer who hears leaves with probability h_n (with attrition: leave
  if U < β + h_n, as the model adds them); a prospect who hears becomes aware, is deterred from
  joining with probability h_n and forgets with probability 1/τ each month. Leavers become
  unaware prospects; fractional k_n is rounded at random.
- **Who hears**: on a graph a teller tells k_n distinct neighbours drawn afresh each time, so a
  prospect's retellings reach customers at *his own* neighbours' customer share, not at η as the
  mean field reads it (the runs measure that share). "mixing" sends each telling to a random
  customer with probability η_t, else to a random prospect: the mean field's own assumption.
  Each story (one per unrecovered customer and month) is news to a person once, as in an
  independent cascade: told to someone who knows it, its teller included, it does nothing.
- **Acquisition**: α = β·C/(n − C) and Binomial(prospects not deterred, α) join, as in the model.
  On a graph they are drawn so that homophily is renewed ("matched", see ``_joiners``); with
  "random" (and under mixing) anyone joins, and on a graph homophily fades.
- **Graphs** (``build_graph``): degree max(12, 2·ceil(k_n)), a customer's neighbours customers at
  share η0 = min(1, κ·C0/M), a fresh graph for each replication.
- **Scale**: larger markets run with n = ``agents`` people, round(C0·n/M) customers, losses × M/n
  (the mean field, per capita, likewise).
- **Loss**: PV revenue loss against a flawless twin (bad_visit_rate = 0) on the same graph with the
  same random numbers for attrition and joining; month t counts (C^cf_t − C_t)·f·s·δ^(t+1),
  δ = (1 + d)^(−1/12), as in the model. Standard error: replications' spread / sqrt(count).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

from .analyses import CHANNEL_OFF
from .params import Params
from .runs import simulate

GRAPHS: tuple[str, ...] = ("clustered", "random", "mixing")
ACQUISITION: tuple[str, ...] = ("matched", "random")
REWIRE = 0.1  # Watts-Strogatz rewiring probability of the clustered graph


@dataclass(frozen=True)
class NetworkCheck:
    """The network's word-of-mouth loss beside the mean field's, for one scenario and graph.

    Money: PV revenue in the scenario's currency, whole market (``scale`` = M/n). ``ratio`` =
    network / mean field, ``standard_error`` the ratio's. Graph statistics: means over replications
    (NaN under mixing; clustering of the first graph). Neighbour shares: customers among a
    customer's (month 0, horizon) and a prospect's neighbours. Telling shares: tellings reaching
    customers, by tellers who heard as customers (first-hand tellers included) or as prospects.
    """

    graph: str
    acquisition: str
    agents: int
    customers: int
    scale: float
    replications: int
    seed: int
    degree: int
    mean_field_loss: float
    network_loss: float
    ratio: float
    standard_error: float
    losses: tuple[float, ...]
    mean_degree: float
    clustering: float
    target_share: float
    customer_neighbour_share: float
    customer_neighbour_share_at_horizon: float
    prospect_neighbour_share: float
    customer_tellings_to_customers: float
    prospect_tellings_to_customers: float
    seconds: float


def wom_only(params: Params, tell: bool = True) -> Params:
    """The scenario with only the bad-story channel on (``tell=False``: with that off too)."""
    changes: dict[str, object] = {**CHANNEL_OFF["service_churn"], **CHANNEL_OFF["reviews"], "tell_happy": 0.0,
                                  "acquisition_per_star": 0.0, **({} if tell else CHANNEL_OFF["word_of_mouth"])}
    optional = {"spend_per_star": 0.0, "baseline": "flawless", "fix": {"bad_visit_rate": 0.0}}  # newer fields
    changes.update({k: v for k, v in optional.items() if k in type(params).model_fields})
    return params.replace(**changes)


def mean_field_wom_loss(params: Params) -> float:
    """PV revenue loss of the bad-story channel alone, from the model API (``simulate``)."""
    return simulate(wom_only(params)).pv_revenue_loss - simulate(wom_only(params, False)).pv_revenue_loss


def _edges_to_csr(a: np.ndarray, b: np.ndarray, n: int) -> sp.csr_matrix:
    """Undirected simple graph from edge lists: self-loops and repeated links dropped."""
    keep = a != b
    key = np.unique(np.minimum(a[keep], b[keep]).astype(np.int64) * n + np.maximum(a[keep], b[keep]))
    rows, cols = np.concatenate([key // n, key % n]), np.concatenate([key % n, key // n])
    return sp.csr_matrix((np.ones(rows.size, np.int32), (rows, cols)), shape=(n, n))


def _pair_stubs(owners: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random matching of stubs (configuration model); an odd stub out is dropped."""
    owners = rng.permutation(owners)[: owners.size // 2 * 2]
    return owners[0::2], owners[1::2]


def _random_graph(n: int, customers: int, degree: int, share: float,
                  rng: np.random.Generator) -> tuple[sp.csr_matrix, np.ndarray]:
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


def _ring_customers(n: int, customers: int, half: int, target: float,
                    rng: np.random.Generator) -> np.ndarray:
    """Customer flags along the ring: runs of two neighbouring lengths whose in-run neighbour
    share (2·Σ_a min(a, half) / (length·2·half) for a run of ``length``) averages ``target``,
    in random order, between random gaps of prospects."""
    length = np.arange(1.0, customers + 1)
    shares = np.where(length <= half + 1, length * (length - 1) / 2,
                      half * (half + 1) / 2 + (length - half - 1) * half) / (length * half)
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


def _clustered_graph(n: int, customers: int, degree: int, share: float,
                     rng: np.random.Generator) -> tuple[sp.csr_matrix, np.ndarray]:
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


def build_graph(kind: str, n: int, customers: int, degree: int, share: float,
                rng: np.random.Generator) -> tuple[sp.csr_matrix, np.ndarray]:
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


def graph_stats(adj: sp.csr_matrix, is_c: np.ndarray, clustering: bool = True
                ) -> tuple[float, float, float, float]:
    """(mean degree, average clustering, customers' customer-neighbour share, prospects' one):
    clustering as networkx's ``average_clustering`` (0 below degree 2), shares as means over
    people of the customers among their neighbours."""
    deg = np.diff(adj.indptr).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(deg > 0, (adj @ is_c.astype(float)) / deg, 0.0)
        triangles = np.asarray(adj.multiply(adj @ adj).sum(1)).ravel() / 2 if clustering else None
        cc = float(np.mean(np.where(deg > 1, 2 * triangles / (deg * (deg - 1)), 0.0))) if clustering else math.nan
    return float(deg.mean()), cc, float(frac[is_c].mean()), float(frac[~is_c].mean()) if (~is_c).any() else math.nan


def _tell_graph(adj: sp.csr_matrix, tellers: np.ndarray, k: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each teller tells k of his neighbours, distinct and at random (all if he has fewer).
    Returns the hearer of every telling and the index of its teller in ``tellers``."""
    deg = adj.indptr[tellers + 1] - adj.indptr[tellers]
    group = np.repeat(np.arange(tellers.size), deg)
    within = np.arange(int(deg.sum())) - np.repeat(np.cumsum(deg) - deg, deg)
    neighbours = adj.indices[np.repeat(adj.indptr[tellers], deg) + within]
    order = np.argsort(group + rng.random(group.size))  # shuffles within each teller's block
    chosen = order[within < np.repeat(np.minimum(k, deg), deg)]
    return neighbours[chosen], group[chosen]


def _tell_mixing(customers: np.ndarray, k: np.ndarray, share: np.ndarray,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Mixing: each telling reaches a random customer with its teller's ``share``, else a prospect."""
    who = np.repeat(np.arange(k.size), k)
    cust, pros = np.flatnonzero(customers), np.flatnonzero(~customers)
    to_c = (rng.random(who.size) < share[who]) if cust.size and pros.size else np.full(who.size, cust.size > 0)
    hearer = np.empty(who.size, np.int64)
    hearer[to_c] = cust[rng.integers(0, max(cust.size, 1), int(to_c.sum()))]
    hearer[~to_c] = pros[rng.integers(0, max(pros.size, 1), int((~to_c).sum()))]
    return hearer, who


def _joiners(eligible: np.ndarray, customers: np.ndarray, count_draw: np.ndarray,
             key_draw: np.ndarray, alpha: float, adj: sp.csr_matrix | None) -> np.ndarray:
    """Prospects who join this month. Without ``adj``: each eligible one with probability α.
    With it ("matched"): as many, drawn without replacement in proportion to exp(γ·customer
    neighbours), γ set so that joiners have on average as many customer neighbours as the
    customers have. Homophily is so renewed as customers come and go, and the customers'
    neighbour share follows η_t as the mean field assumes; ex-customers, who sit among
    customers, are the likeliest to come back."""
    join = eligible & (count_draw < alpha)
    count = int(join.sum())
    if adj is None or count == 0 or not customers.any():
        return join
    kc = (adj @ customers.astype(np.float64)).astype(np.int64)
    counts = np.bincount(kc[eligible])
    values, target = np.arange(counts.size), kc[customers].mean()
    lo, hi = -30.0, 30.0
    for _ in range(50):  # bisection: the tilted mean rises with γ
        gamma = (lo + hi) / 2
        w = counts * np.exp(gamma * (values - values[-1]))
        lo, hi = (gamma, hi) if (w @ values) < target * w.sum() else (lo, gamma)
    with np.errstate(divide="ignore"):  # Gumbel top-k: weighted sampling without replacement
        keys = np.where(eligible, gamma * kc - np.log(-np.log(key_draw)), -np.inf)
    join = np.zeros_like(eligible)
    join[np.argpartition(-keys, count - 1)[:count]] = True
    return join


def _replication(R: SimpleNamespace, graph: str, degree: int, matched: bool, first: bool,
                 rng: np.random.Generator) -> dict:
    """One run of the scenario beside its flawless twin on one fresh graph. ``R`` holds n, C,
    H, u, c, r, k_n, ρ, h_n, β, α, 1/τ, κ, δ and the prospects' share (see the notes)."""
    n, adj, stats = R.n, None, (math.nan,) * 4
    if graph == "mixing":
        is_c = np.arange(n) < R.customers
    else:
        adj, is_c = build_graph(graph, n, R.customers, degree, min(1.0, R.homophily * R.customers / n), rng)
        stats = graph_stats(adj, is_c, clustering=first)
    recruit = adj if matched else None
    cust, twin, aware = is_c.copy(), is_c.copy(), np.zeros(n, bool)
    retellers = np.empty((3, 0), np.int64)  # person, story, heard as a prospect (0/1)
    known, stories = np.empty(0, np.int64), 0  # story·n + person for everyone who knows a live story
    pv, factor = 0.0, R.discount
    told = np.zeros((2, 2))  # [heard as customer, as prospect] x [tellings, reaching customers]
    for _ in range(R.horizon):
        pv += (int(twin.sum()) - int(cust.sum())) * factor
        factor *= R.discount
        leave_draw, count_draw, key_draw = rng.random(n), rng.random(n), rng.random(n)
        # Bad months, complaints, recoveries: the unrecovered tell a new story first-hand.
        ci = np.flatnonzero(cust)
        recovered = (rng.random(ci.size) < R.complaint) & (rng.random(ci.size) < R.recovery)
        first_hand = ci[(rng.random(ci.size) < R.unhappy) & ~recovered]
        tellers = np.concatenate([first_hand, retellers[0]])
        story = np.concatenate([stories + np.arange(first_hand.size), retellers[1]])
        from_p = np.concatenate([np.zeros(first_hand.size, bool), retellers[2] == 1])
        stories += first_hand.size
        k = math.floor(R.tell) + (rng.random(tellers.size) < R.tell - math.floor(R.tell))
        if adj is None:
            eta = min(1.0, R.homophily * cust.sum() / n)
            share = np.where(from_p, eta if R.prospect_share is None else R.prospect_share, eta)
            hearers, who = _tell_mixing(cust, k, share, rng)
        else:
            hearers, who = _tell_graph(adj, tellers, k, rng)
        origin = from_p[who].astype(np.int64)
        told += np.stack([np.bincount(origin, minlength=2), np.bincount(origin, cust[hearers], minlength=2)], 1)
        # A story reaches each person once: it is news only to those who did not know it.
        key = story[who] * n + hearers
        new = ~np.isin(key, known)
        known = np.concatenate([known, key[new], story[: first_hand.size] * n + first_hand])
        person, first_time = np.unique(hearers[new], return_index=True)
        heard = np.bincount(person, minlength=n) > 0
        heard_c, newly_aware = heard & cust, heard & ~cust & ~aware
        # Next month's retellers: whoever newly heard, each with probability ρ, one story each.
        keep = (heard_c | newly_aware)[person] & (rng.random(person.size) < R.retell)
        retellers = np.stack([person[keep], story[who][new][first_time][keep], ~cust[person[keep]]])
        known = known[np.isin(known // n, retellers[1])]  # stories nobody retells are over
        # Leaving (attrition + word of mouth), joining (unless deterred), forgetting.
        leave = cust & (leave_draw < R.attrition + R.influence * heard_c)
        deterred = aware & (rng.random(n) < R.influence)
        join = _joiners(~cust & ~deterred, cust, count_draw, key_draw, R.acquisition, recruit)
        join_twin = _joiners(~twin, twin, count_draw, key_draw, R.acquisition, recruit)
        aware = (aware | newly_aware) & (rng.random(n) >= R.forget)
        cust = (cust & ~leave) | join
        twin = (twin & ~(leave_draw < R.attrition)) | join_twin
        aware &= ~cust
    end_share = graph_stats(adj, cust, clustering=False)[2] if adj is not None else math.nan
    return {"pv_customers": pv, "degree": stats[0], "clustering": stats[1], "share": stats[2],
            "prospect_share": stats[3], "share_end": end_share, "told": told}


def network_check(params: Params, graph: str = "clustered", seed: int = 0, agents: int = 20_000,
                  replications: int = 8, degree: int | None = None, acquisition: str = "matched",
                  prospect_customer_share: float | None = None) -> NetworkCheck:
    """Word-of-mouth loss on a social network beside the mean field's (agent-based simulation).

    Parameters
    ----------
    params : Params
        The scenario; only its bad-story channel is compared (see the module's notes).
    graph : {"clustered", "random", "mixing"}
        Small world, two-block random graph, or random mixing (the mean field's assumption).
    seed : int
        Seed of ``np.random.default_rng``: replication i uses the i-th child of the seed's
        ``SeedSequence``, so the same seed gives identical results.
    agents : int
        Most people simulated; a larger market is scaled down keeping the customer share.
    replications : int
        Independent runs, each on a fresh graph; at least 2 for a standard error.
    degree : int, optional
        Neighbours per person (rounded down to even); default max(12, 2·ceil(k_n)).
    acquisition : {"matched", "random"}
        Who joins on a graph: homophily renewed (default) or anyone at random.
    prospect_customer_share : float, optional
        Mixing only: share of prospects' retellings that reach customers (default η_t).

    Returns
    -------
    NetworkCheck
        Both PV revenue losses, their ratio with its standard error, graph statistics.

    Examples
    --------
    >>> from estimator import load_preset
    >>> check = network_check(load_preset("gas_station"), "mixing", agents=2_000, replications=2)
    >>> check.scale, check.customers, 0.5 < check.ratio < 1.5
    (10.0, 250, True)
    """
    for name, value, allowed in (("graph", graph, GRAPHS), ("acquisition", acquisition, ACQUISITION)):
        if value not in allowed:
            raise ValueError(f"unknown {name} '{value}'; choose one of: {', '.join(allowed)}")
    if int(agents) < 100 or int(replications) < 1 or int(degree or 2) < 2:
        raise ValueError("agents must be at least 100, replications at least 1 and degree at least 2")
    started = time.perf_counter()
    n = min(int(params.market_size), int(agents))  # a larger market is scaled down by M/n
    customers, scale = min(n - 1, max(1, round(int(params.customers) * n / params.market_size))), params.market_size / n
    small = wom_only(params).replace(customers=customers, market_size=n)
    mean_field = mean_field_wom_loss(small) * scale
    month0 = simulate(small)  # u = month-0 unhappy customers / C0
    degree = int(degree) if degree is not None else max(12, 2 * math.ceil(params.tell_unhappy))
    degree = max(2, min(degree, n - 1)) // 2 * 2
    rules = SimpleNamespace(
        n=n, customers=customers, horizon=int(params.horizon_months), unhappy=month0.unhappy[0] / month0.customers[0],
        complaint=params.complaint_rate, recovery=params.recovery_rate, homophily=params.homophily,
        tell=params.tell_unhappy, retell=params.retell_prob, influence=params.influence_negative,
        attrition=params.monthly_attrition, acquisition=params.monthly_attrition * customers / (n - customers),
        forget=1 / params.memory_months, prospect_share=prospect_customer_share,
        discount=(1.0 + params.discount_rate_annual) ** (-1 / 12))
    runs = [_replication(rules, graph, degree, acquisition == "matched", i == 0, np.random.default_rng(child))
            for i, child in enumerate(np.random.SeedSequence(int(seed)).spawn(int(replications)))]
    losses = np.array([r["pv_customers"] for r in runs]) * (params.visits_per_month * params.spend_per_visit * scale)
    spread = float(losses.std(ddof=1) / math.sqrt(losses.size)) if losses.size > 1 else math.nan
    told = sum(r["told"] for r in runs)

    def mean(key: str) -> float:  # over the replications that measured it
        return float(np.mean([r[key] for r in runs if not math.isnan(r[key])] or [math.nan]))

    def ratio(a: float, b: float) -> float:
        return a / b if b else math.nan

    return NetworkCheck(
        graph=graph, acquisition=acquisition, agents=n, customers=customers, scale=scale,
        replications=int(replications), seed=int(seed), degree=degree, mean_field_loss=mean_field,
        network_loss=float(losses.mean()), ratio=ratio(float(losses.mean()), mean_field),
        standard_error=ratio(spread, abs(mean_field)), losses=tuple(float(x) for x in losses),
        mean_degree=mean("degree"), clustering=mean("clustering"), customer_neighbour_share=mean("share"),
        target_share=min(1.0, float(params.homophily) * customers / n), prospect_neighbour_share=mean("prospect_share"),
        customer_neighbour_share_at_horizon=mean("share_end"), seconds=time.perf_counter() - started,
        customer_tellings_to_customers=ratio(told[0, 1], told[0, 0]),
        prospect_tellings_to_customers=ratio(told[1, 1], told[1, 0]))
