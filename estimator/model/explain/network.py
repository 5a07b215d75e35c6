"""Word of mouth on a social network: an agent-based check of the mean-field spread.

The model's word of mouth (docs/methodology.md, section 2, steps 4-6) is a mean field: tellings
reach customers at share η_t = min(1, κ·C_t/M), else prospects, at random. ``network_check`` plays
the same monthly rules person by person on a social graph (``network_agents``, on the graphs of
``network_graphs``) beside the mean field's loss; ``network_range`` does so on a clustered graph,
a random graph and under random mixing, the control that must give the mean field back.

Design decisions (docs/methodology.md, section 8b, gives the reasons and the measurements)
------------------------------------------------------------------------------------------
- **Bad stories only**: service churn, reviews, good stories, the rating's effects and any ceiling on
  customers off on both sides, baseline "flawless", fix bad_visit_rate = 0. Everything else is read
  from the model through its lanes at run time: the per-customer rate of first-hand bad stories (``rates``), h_n, the prospects' own
  influence h_n^p as the whole scenario sets it today (``lanes.PROSPECT_INFLUENCE``; h_n where a
  model has none), α of the flawless start, and the mean field's loss itself (``runs.run_arms``).
- **No echo** (default): a story is news to each person once. Told back to its teller or to
  someone who heard it before, it does nothing (``echo=True`` lets it act again, as the mean
  field, which remembers no story, in effect does for customers).
- **Deterrence falls on would-be joiners** (default ``deterrence="joiners"``): the prospects who
  would join this month are drawn first (on a graph, near customers: homophily renewed), and an
  aware one stays away with h_n^p. ``"average"`` draws as many joiners as the mean field's
  α·(P − deterred) among the undeterred instead: its deterrence falls on the average prospect.
- **Graphs** (``build_graph``): degree max(12, 2·ceil(k_n)), a customer's neighbours customers at
  share η0, a fresh graph for each replication; tellers tell k_n distinct neighbours.
- **Scale**: larger markets run with n = ``agents`` people, round(C0·n/M) customers, losses × M/n
  (the mean field, per capita, likewise).
- **Loss**: PV revenue loss against a flawless twin on the same graph with the same random numbers
  for attrition and joining, (C^cf_t − C_t)·f·s·δ^(t+1) as in the model. The spread is the
  replications' (each its own child seed): standard error = their standard deviation / sqrt(count).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..engine.lane_keys import LaneKey
from ..engine.lanes import PROSPECT_INFLUENCE, Lanes, concat_lanes, lanes_from_params, with_values
from ..engine.rates import rates
from ..engine.runs import run_arms
from ..engine.start import start_for
from ..inputs.params import Params
from .analyses import CHANNEL_OFF
from .network_agents import Rules, replication
from .network_graphs import build_graph, graph_stats

__all__ = [
    "ACQUISITION",
    "DETERRENCE",
    "GRAPHS",
    "NetworkCheck",
    "NetworkRange",
    "build_graph",
    "graph_stats",
    "mean_field_wom_loss",
    "network_check",
    "network_range",
    "wom_lanes",
]

GRAPHS: tuple[str, ...] = ("clustered", "random", "mixing")
ACQUISITION: tuple[str, ...] = ("matched", "random")
DETERRENCE: tuple[str, ...] = ("joiners", "average")

#: Everything but the bad stories off, and no ceiling on customers (names a model lacks are skipped).
_ONLY_BAD_STORIES = {
    **CHANNEL_OFF["service_churn"],
    **CHANNEL_OFF["reviews"],
    "tell_happy": 0.0,
    "acquisition_per_star": 0.0,
    "spend_per_star": 0.0,
    "max_customers": 0.0,
}


def _plain(value: object) -> object:
    """A value as strict JSON holds it: NaN → None, tuples → lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


@dataclass(frozen=True)
class NetworkCheck:
    """The network's word-of-mouth loss beside the mean field's, for one scenario and graph.

    Money: PV revenue in the scenario's currency, whole market (``scale`` = M/n). ``ratio`` =
    network / mean field, ``standard_error`` the ratio's; ``ratios`` one per replication (seed).
    Graph statistics: means over replications (NaN under mixing; clustering of the first graph).
    Neighbour shares: customers among a customer's (month 0, horizon) and a prospect's neighbours;
    ``mean_field_share_at_horizon`` is η_H of the mean field. Telling shares: tellings reaching
    customers, by tellers who heard as customers (first-hand tellers included) or as prospects.
    Over the horizon, per replication, whole market: customers who left because of a story and
    would-be joiners a story kept away (under mixing, what the mean field's rules give).
    """

    graph: str
    acquisition: str
    echo: bool
    deterrence: str
    agents: int
    customers: int
    scale: float
    replications: int
    seed: int
    degree: int
    influence: float
    prospect_influence: float
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
    mean_field_share_at_horizon: float
    prospect_neighbour_share: float
    customer_tellings_to_customers: float
    prospect_tellings_to_customers: float
    customers_lost_to_stories: float
    prospects_kept_away: float
    seconds: float

    @property
    def kept_away_per_customer_lost(self) -> float:
        """Prospects kept away per customer lost to stories, over the horizon (East et al.'s ratio)."""
        return self.prospects_kept_away / self.customers_lost_to_stories if self.customers_lost_to_stories else math.nan

    @property
    def ratios(self) -> tuple[float, ...]:
        """Network / mean field, one per replication: the spread over seeds."""
        return tuple(x / self.mean_field_loss if self.mean_field_loss else math.nan for x in self.losses)

    def to_dict(self) -> dict:
        """Every field and the per-seed ratios, as strict JSON holds them (NaN → null)."""
        return {
            **{f.name: _plain(getattr(self, f.name)) for f in fields(self)},
            "ratios": _plain(self.ratios),
            "kept_away_per_customer_lost": _plain(self.kept_away_per_customer_lost),
        }


@dataclass(frozen=True)
class NetworkRange:
    """The check on each graph of ``GRAPHS``: clustered, random, and random mixing (the control)."""

    checks: tuple[NetworkCheck, ...]
    seconds: float

    def check(self, graph: str) -> NetworkCheck:
        """The check on ``graph``."""
        return next(c for c in self.checks if c.graph == graph)

    @property
    def low(self) -> float:
        """The lower of the graphs' ratios (mixing, the control, left out)."""
        return min((c.ratio for c in self.checks if c.graph != "mixing"), default=math.nan)

    @property
    def high(self) -> float:
        """The higher of the graphs' ratios (mixing, the control, left out)."""
        return max((c.ratio for c in self.checks if c.graph != "mixing"), default=math.nan)

    def to_dict(self) -> dict:
        return {
            "low": _plain(self.low),
            "high": _plain(self.high),
            "seconds": self.seconds,
            "checks": {c.graph: c.to_dict() for c in self.checks},
        }


def wom_lanes(params: Params, customers: int | None = None, market_size: int | None = None) -> Lanes:
    """The scenario's one lane with only its bad stories on (service churn, reviews, good stories and
    the rating's effects off), optionally with C0 and M replaced. The prospects' influence h_n^p is
    the one the whole scenario has today: a variant of a lane keeps its lane's (``lanes``)."""
    lanes = lanes_from_params(params)
    changes = {name: value for name, value in _ONLY_BAD_STORIES.items() if name in lanes}
    if customers is not None:
        changes.update(customers=float(customers), market_size=float(market_size or params.market_size))
    return with_values(lanes, **changes)


def _mean_field(lanes: Lanes, horizon: int) -> tuple[float, float]:
    """The mean field's PV revenue loss to bad stories (the run minus the same run with no telling)
    and its customers at the horizon, from the model's own two-arm run."""
    silent = with_values(lanes, tell_unhappy=0.0)
    out = run_arms(concat_lanes(lanes, silent), horizon, {"bad_visit_rate": 0.0}, "flawless")
    return float(out["pv_revenue_loss"][0] - out["pv_revenue_loss"][1]), float(out["customers_at_horizon"][0])


def mean_field_wom_loss(params: Params, prospect_influence: float | None = None) -> float:
    """PV revenue loss of the bad-story channel alone, from the model (``runs.run_arms``), with the
    prospects' influence h_n^p the scenario's own or ``prospect_influence``.

    >>> from estimator import load_preset
    >>> mean_field_wom_loss(load_preset("gas_station")) > mean_field_wom_loss(load_preset("gas_station"), 0.0) > 0
    True
    """
    lanes = wom_lanes(params)
    if prospect_influence is not None:
        lanes = with_values(lanes, **{PROSPECT_INFLUENCE: float(prospect_influence)})
    return _mean_field(lanes, int(params.horizon_months))[0]


def _rules(lanes: Lanes, horizon: int, echo: bool, deterrence: str, prospect_share: float | None) -> Rules:
    """The lane's bad-story channel as per-person monthly probabilities (``network_agents.Rules``)."""

    def one(name: LaneKey) -> float:
        return float(lanes[name][0])

    k_n, h_n = one("tell_unhappy"), one("influence_negative")
    per_customer = rates(lanes)
    first_hand = float(per_customer.bad_tellings[0]) / k_n if k_n > 0 else float(per_customer.unrecovered[0])
    h_np = one(PROSPECT_INFLUENCE) if PROSPECT_INFLUENCE in lanes else h_n
    return Rules(
        people=int(one("market_size")),
        customers=int(one("customers")),
        horizon=horizon,
        first_hand=first_hand,
        tell=k_n,
        retell=one("retell_prob"),
        influence=h_n,
        prospect_influence=h_n if math.isnan(h_np) else h_np,
        attrition=one("monthly_attrition"),
        acquisition=float(start_for(lanes, "flawless").alpha[0]),
        forget=1.0 / one("memory_months"),
        homophily=one("homophily"),
        discount=(1.0 + one("discount_rate_annual")) ** (-1.0 / 12.0),
        echo=bool(echo),
        deterrence=deterrence,
        prospect_share=prospect_share,
    )


def network_check(
    params: Params,
    graph: str = "clustered",
    seed: int = 0,
    agents: int = 20_000,
    replications: int = 8,
    degree: int | None = None,
    acquisition: str = "matched",
    prospect_customer_share: float | None = None,
    echo: bool = False,
    deterrence: str = "joiners",
    prospect_influence: float | None = None,
) -> NetworkCheck:
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
    echo : bool
        Whether a story told to someone who knows it (its teller included) acts again.
    deterrence : {"joiners", "average"}
        Whom a bad story keeps away: the would-be joiners who are aware (default), or as many as
        the average prospect's awareness says (the mean field's count).
    prospect_influence : float, optional
        h_n^p for both the agents and the mean field (default: the scenario's own, ``wom_lanes``).

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
    for name, value, allowed in (
        ("graph", graph, GRAPHS),
        ("acquisition", acquisition, ACQUISITION),
        ("deterrence", deterrence, DETERRENCE),
    ):
        if value not in allowed:
            raise ValueError(f"unknown {name} '{value}'; choose one of: {', '.join(allowed)}")
    if int(agents) < 100 or int(replications) < 1 or int(degree or 2) < 2:
        raise ValueError("agents must be at least 100, replications at least 1 and degree at least 2")
    started = time.perf_counter()
    n = min(int(params.market_size), int(agents))  # a larger market is scaled down by M/n
    customers, scale = min(n - 1, max(1, round(int(params.customers) * n / params.market_size))), params.market_size / n
    horizon = int(params.horizon_months)
    lanes = wom_lanes(params, customers, n)
    if prospect_influence is not None:
        lanes = with_values(lanes, **{PROSPECT_INFLUENCE: float(prospect_influence)})
    mean_field, customers_at_horizon = _mean_field(lanes, horizon)
    mean_field *= scale
    rules = _rules(lanes, horizon, echo, deterrence, prospect_customer_share)
    degree = int(degree) if degree is not None else max(12, 2 * math.ceil(rules.tell))
    degree = max(2, min(degree, n - 1)) // 2 * 2
    runs = [
        replication(rules, graph, degree, acquisition == "matched", i == 0, np.random.default_rng(child))
        for i, child in enumerate(np.random.SeedSequence(int(seed)).spawn(int(replications)))
    ]
    losses = np.array([r["pv_customers"] for r in runs]) * (params.visits_per_month * params.spend_per_visit * scale)
    spread = float(losses.std(ddof=1) / math.sqrt(losses.size)) if losses.size > 1 else math.nan
    told = sum(r["told"] for r in runs)

    def mean(key: str) -> float:  # over the replications that measured it
        return float(np.mean([r[key] for r in runs if not math.isnan(r[key])] or [math.nan]))

    def ratio(a: float, b: float) -> float:
        return a / b if b else math.nan

    return NetworkCheck(
        graph=graph,
        acquisition=acquisition,
        echo=bool(echo),
        deterrence=deterrence,
        agents=n,
        customers=customers,
        scale=scale,
        replications=int(replications),
        seed=int(seed),
        degree=degree,
        influence=rules.influence,
        prospect_influence=rules.prospect_influence,
        mean_field_loss=mean_field,
        network_loss=float(losses.mean()),
        ratio=ratio(float(losses.mean()), mean_field),
        standard_error=ratio(spread, abs(mean_field)),
        losses=tuple(float(x) for x in losses),
        mean_degree=mean("degree"),
        clustering=mean("clustering"),
        target_share=min(1.0, rules.homophily * customers / n),
        customer_neighbour_share=mean("share"),
        customer_neighbour_share_at_horizon=mean("share_end"),
        mean_field_share_at_horizon=min(1.0, rules.homophily * customers_at_horizon / n),
        prospect_neighbour_share=mean("prospect_share"),
        seconds=time.perf_counter() - started,
        customer_tellings_to_customers=ratio(told[0, 1], told[0, 0]),
        prospect_tellings_to_customers=ratio(told[1, 1], told[1, 0]),
        customers_lost_to_stories=mean("lost") * scale,
        prospects_kept_away=mean("kept_away") * scale,
    )


def network_range(
    params: Params, seed: int = 0, agents: int = 20_000, replications: int = 8, **rules: Any
) -> NetworkRange:
    """``network_check`` on a clustered graph, a random graph and under random mixing, with the same
    seed, agents, replications and rules (``echo``, ``deterrence``, ...): the range of the ratio.

    >>> from estimator import load_preset
    >>> span = network_range(load_preset("gas_station"), agents=2_000, replications=2)
    >>> [c.graph for c in span.checks], span.low <= span.high
    (['clustered', 'random', 'mixing'], True)
    """
    started = time.perf_counter()
    checks = tuple(
        network_check(params, graph, seed=seed, agents=agents, replications=replications, **rules) for graph in GRAPHS
    )
    return NetworkRange(checks=checks, seconds=time.perf_counter() - started)
