"""Word of mouth person by person: one replication of the network check (``network``).

The rules (docs/methodology.md, section 8b) are the mean field's monthly steps played by people:
a customer tells a new bad story with probability ``first_hand`` a month, to ``tell`` people;
whoever newly hears retells once, a month later, with probability ``retell``; a customer who hears
leaves with probability ``influence``; an aware prospect stays away with ``prospect_influence``
and forgets with ``forget`` a month. Everything is drawn beside a flawless twin (no bad stories)
that shares the random numbers for attrition and joining, so the loss is the twin's customers
minus the scenario's, month by month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .network_graphs import build_graph, graph_stats

#: Tilts tried for homophilous joining (``_tilt``): joiners weighted by exp(γ·customer friends).
_GAMMAS = np.linspace(-30.0, 30.0, 601)


@dataclass(frozen=True)
class Rules:
    """One scenario's bad-story channel as per-person probabilities (monthly), for n people."""

    people: int  # n
    customers: int  # C at month 0
    horizon: int  # H, months
    first_hand: float  # a customer tells a new bad story this month: u·(1 − c·r)
    tell: float  # k_n, people told per telling (fractions rounded at random)
    retell: float  # ρ
    influence: float  # h_n: a customer who hears a bad story leaves
    prospect_influence: float  # h_n^p: a prospect aware of a bad story stays away this month
    attrition: float  # β
    acquisition: float  # α, per prospect and month
    forget: float  # 1/τ
    homophily: float  # κ: η_t = min(1, κ·C_t/n)
    discount: float  # δ = (1 + d)^(−1/12)
    echo: bool = False  # a story can come back to whoever knows it, and acts again
    deterrence: str = "joiners"  # "joiners": would-be joiners who are aware stay away; "average"
    prospect_share: float | None = None  # mixing only: prospects' retellings reach customers at this


def _neighbours(adj: sp.csr_matrix, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every neighbour of ``people`` and the index in ``people`` it belongs to."""
    deg = adj.indptr[people + 1] - adj.indptr[people]
    group = np.repeat(np.arange(people.size), deg)
    within = np.arange(int(deg.sum())) - np.repeat(np.cumsum(deg) - deg, deg)
    return adj.indices[np.repeat(adj.indptr[people], deg) + within], group


def _tell_graph(
    adj: sp.csr_matrix, tellers: np.ndarray, k: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Each teller tells k of his neighbours, distinct and at random (all if he has fewer).
    Returns the hearer of every telling and the index of its teller in ``tellers``."""
    neighbours, group = _neighbours(adj, tellers)
    deg = adj.indptr[tellers + 1] - adj.indptr[tellers]
    within = np.arange(group.size) - np.repeat(np.cumsum(deg) - deg, deg)
    order = np.argsort(group + rng.random(group.size))  # shuffles within each teller's block
    chosen = order[within < np.repeat(np.minimum(k, deg), deg)]
    return neighbours[chosen], group[chosen]


def _tell_mixing(
    customers: np.ndarray, k: np.ndarray, share: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Mixing: each telling reaches a random customer with its teller's ``share``, else a prospect."""
    who = np.repeat(np.arange(k.size), k)
    cust, pros = np.flatnonzero(customers), np.flatnonzero(~customers)
    to_c = (rng.random(who.size) < share[who]) if cust.size and pros.size else np.full(who.size, cust.size > 0)
    hearer = np.empty(who.size, np.int64)
    hearer[to_c] = cust[rng.integers(0, max(cust.size, 1), int(to_c.sum()))]
    hearer[~to_c] = pros[rng.integers(0, max(pros.size, 1), int((~to_c).sum()))]
    return hearer, who


def _tilt(counts: np.ndarray, target: float) -> float:
    """γ at which people with v customer friends (``counts[v]`` of them), weighted by exp(γ·v),
    have on average ``target`` customer friends (interpolated on a grid of γ from −30 to 30)."""
    values = np.arange(counts.size, dtype=float)
    with np.errstate(divide="ignore"):
        log_w = _GAMMAS[:, None] * values + np.log(counts)
    w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
    return float(np.interp(target, (w @ values) / w.sum(axis=1), _GAMMAS))


def _joiners(
    eligible: np.ndarray,
    count_draw: np.ndarray,
    key_draw: np.ndarray,
    alpha: float,
    friends: np.ndarray | None,
    target: float,
) -> np.ndarray:
    """Prospects who would join this month. Without ``friends``: each eligible one with probability
    α. With the customer-friend counts ("matched"): as many, drawn without replacement in
    proportion to exp(γ·customer friends), γ set so that joiners have on average ``target``
    customer friends, as many as the customers have. Homophily is so renewed as customers come and
    go, and the customers' neighbour share follows η_t as the mean field assumes; ex-customers,
    who sit among customers, are the likeliest to come back."""
    join = eligible & (count_draw < alpha)
    count = int(join.sum())
    if friends is None or count == 0:
        return join
    gamma = _tilt(np.bincount(friends[eligible]), target)
    with np.errstate(divide="ignore"):  # Gumbel top-k: weighted sampling without replacement
        keys = np.where(eligible, gamma * friends - np.log(-np.log(key_draw)), -np.inf)
    join = np.zeros_like(eligible)
    join[np.argpartition(-keys, count - 1)[:count]] = True
    return join


def _moved(adj: sp.csr_matrix, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Change in everyone's count of customer friends when the customers go from before to after."""
    n = before.size
    came, left = np.flatnonzero(after & ~before), np.flatnonzero(before & ~after)
    return np.bincount(_neighbours(adj, came)[0], minlength=n) - np.bincount(_neighbours(adj, left)[0], minlength=n)


def replication(rules: Rules, graph: str, degree: int, matched: bool, first: bool, rng: np.random.Generator) -> dict:
    """One run of the scenario beside its flawless twin on one fresh graph ("mixing": none).

    Returns the PV of the twin's customers minus the scenario's (customer-months, discounted
    δ^(t+1)), the graph's statistics, the tellings by origin: [heard as a customer (or first
    hand), as a prospect] x [tellings, tellings that reached a customer], the customers who left
    because of a story (``lost``: they heard one and would have stayed otherwise) and the prospects
    who would have joined but stayed away (``kept_away``)."""
    R, n = rules, rules.people
    adj, stats = None, (math.nan,) * 4
    if graph == "mixing":
        is_c = np.arange(n) < R.customers
    else:
        adj, is_c = build_graph(graph, n, R.customers, degree, min(1.0, R.homophily * R.customers / n), rng)
        stats = graph_stats(adj, is_c, clustering=first)
    tilt = adj is not None and matched
    cust, twin, aware = is_c.copy(), is_c.copy(), np.zeros(n, bool)
    friends = (adj @ cust.astype(np.int64)) if adj is not None and matched else None  # not None: tilt
    friends_twin = friends.copy() if friends is not None else None
    retellers = np.empty((3, 0), np.int64)  # person, story, heard as a prospect (0/1)
    known, stories = np.empty(0, np.int64), 0  # story·n + person for everyone who knows a live story
    pv, factor = 0.0, R.discount
    told = np.zeros((2, 2))
    lost = kept_away = 0  # customers who left because of a story; would-be joiners who stayed away
    whole = math.floor(R.tell)
    for _ in range(R.horizon):
        pv += (int(twin.sum()) - int(cust.sum())) * factor
        factor *= R.discount
        leave_draw, count_draw = rng.random(n), rng.random(n)
        key_draw = rng.random(n) if tilt else count_draw  # (only a tilted draw reads it)
        # Unhappy, unrecovered customers tell a new story first-hand; last month's hearers retell.
        ci = np.flatnonzero(cust)
        first_hand = ci[rng.random(ci.size) < R.first_hand]
        tellers = np.concatenate([first_hand, retellers[0]])
        story = np.concatenate([stories + np.arange(first_hand.size), retellers[1]])
        from_p = np.concatenate([np.zeros(first_hand.size, bool), retellers[2] == 1])
        stories += first_hand.size
        k = whole + (rng.random(tellers.size) < R.tell - whole)
        if adj is None:
            eta = min(1.0, R.homophily * cust.sum() / n)
            share = np.where(from_p, eta if R.prospect_share is None else R.prospect_share, eta)
            hearers, who = _tell_mixing(cust, k, share, rng)
        else:
            hearers, who = _tell_graph(adj, tellers, k, rng)
        origin = from_p[who].astype(np.int64)
        told += np.stack([np.bincount(origin, minlength=2), np.bincount(origin, cust[hearers], minlength=2)], 1)
        if R.echo:  # every telling is news: to its own teller, and to whoever heard it before
            new = np.ones(hearers.size, bool)
        else:  # a story is news to each person once: told to someone who knows it, it does nothing
            key = story[who] * n + hearers
            new = ~np.isin(key, known)
            known = np.concatenate([known, key[new], story[: first_hand.size] * n + first_hand])
        person, first_time = np.unique(hearers[new], return_index=True)
        heard = np.bincount(person, minlength=n) > 0
        heard_c, newly_aware = heard & cust, heard & ~cust & ~aware
        # Next month's retellers: whoever newly heard, each with probability ρ, one story each.
        keep = (heard_c | newly_aware)[person] & (rng.random(person.size) < R.retell)
        retellers = np.stack([person[keep], story[who][new][first_time][keep], ~cust[person[keep]]])
        if not R.echo:
            known = known[np.isin(known // n, retellers[1])]  # stories nobody retells are over
        # Leaving (attrition + word of mouth), joining (unless deterred), forgetting.
        leave = cust & (leave_draw < R.attrition + R.influence * heard_c)
        deterred = np.zeros(n, bool)
        deterred[np.flatnonzero(aware)[rng.random(int(aware.sum())) < R.prospect_influence]] = True
        target = float(friends[cust].mean()) if friends is not None and cust.any() else 0.0
        scope = None if not tilt or not cust.any() else friends
        lost += int((heard_c & (leave_draw >= R.attrition) & (leave_draw < R.attrition + R.influence)).sum())
        if R.deterrence == "joiners":  # who would join is who he is; an aware one stays away
            join = _joiners(~cust, count_draw, key_draw, R.acquisition, scope, target)
            kept_away += int((join & deterred).sum())
            join &= ~deterred
        else:  # "average": as many join as the mean field says, drawn among the undeterred
            join = _joiners(~cust & ~deterred, count_draw, key_draw, R.acquisition, scope, target)
            kept_away += int((deterred & (count_draw < R.acquisition)).sum())
        twin_target = float(friends_twin[twin].mean()) if friends_twin is not None and twin.any() else 0.0
        join_twin = _joiners(
            ~twin, count_draw, key_draw, R.acquisition, friends_twin if tilt and twin.any() else None, twin_target
        )
        aware |= newly_aware
        aware[np.flatnonzero(aware)[rng.random(int(aware.sum())) < R.forget]] = False
        after, twin_after = (cust & ~leave) | join, (twin & ~(leave_draw < R.attrition)) | join_twin
        if tilt:
            friends += _moved(adj, cust, after)
            friends_twin += _moved(adj, twin, twin_after)
        cust, twin = after, twin_after
        aware &= ~cust
    end_share = graph_stats(adj, cust, clustering=False)[2] if adj is not None else math.nan
    return {
        "pv_customers": pv,
        "degree": stats[0],
        "clustering": stats[1],
        "share": stats[2],
        "prospect_share": stats[3],
        "share_end": end_share,
        "told": told,
        "lost": lost,
        "kept_away": kept_away,
    }
