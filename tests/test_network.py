"""Word of mouth on a network: the agent-based check against the mean field (estimator.model.network).

Measured on this project's machine (AMD EPYC, 2 cores): random mixing on the gas station, 20,000
people, gives a ratio of 0.998 +- 0.003 over 512 replications and 0.998 +- 0.006 over the 128 used
here, so the 2 % tolerance is more than three standard errors. Mutations of the agents' rules that
this test catches: mean-field share η fixed at month 0 (1.029), retelling 20 % likelier (1.063),
aware prospects retelling again (1.022). The whole file runs in about 20 s.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from estimator import simulate
from estimator.model.network import build_graph, graph_stats, mean_field_wom_loss, network_check, wom_only
from estimator.present.network_cli import network_check_main


def test_random_mixing_reproduces_the_mean_field_on_the_gas_station(gas_station):
    check = network_check(gas_station, "mixing", seed=1, agents=20_000, replications=128)
    assert check.standard_error < 0.007  # the tolerance below is at least three standard errors
    assert check.ratio == pytest.approx(1.0, abs=0.02)
    assert check.mean_field_loss == pytest.approx(mean_field_wom_loss(gas_station), rel=1e-9)
    assert check.customer_tellings_to_customers == pytest.approx(check.prospect_tellings_to_customers, abs=0.01)


def test_random_mixing_reproduces_the_mean_field_where_deterring_prospects_matters(gas_station):
    # High turnover, strong stories, no homophily: a quarter of this loss is prospects staying away
    # (switching deterrence off in the agents gives 0.75, forgetting off 1.07). Measured 0.994 +- 0.006.
    scenario = gas_station.replace(monthly_attrition=0.05, influence_negative=0.3, homophily=1.0, memory_months=24)
    check = network_check(scenario, "mixing", seed=1, agents=20_000, replications=64)
    assert check.standard_error < 0.008
    assert check.ratio == pytest.approx(1.0, abs=0.025)


@pytest.mark.parametrize("graph", ["clustered", "random"])
def test_graphs_give_a_finite_ratio_below_one_and_a_half(gas_station, graph):
    check = network_check(gas_station, graph, agents=4_000, replications=4)
    assert math.isfinite(check.ratio) and 0 < check.ratio < 1.5
    assert math.isfinite(check.standard_error) and check.standard_error > 0
    assert check.mean_degree == pytest.approx(12, abs=0.1)
    assert check.customer_neighbour_share == pytest.approx(check.target_share, rel=0.05)
    # On a graph a prospect's retellings reach customers less often than a customer's do.
    assert check.prospect_tellings_to_customers < check.customer_tellings_to_customers


@pytest.mark.parametrize("graph", ["clustered", "random", "mixing"])
def test_no_bad_visits_means_no_loss(gas_station, graph):
    check = network_check(gas_station.replace(bad_visit_rate=0.0), graph, agents=2_000, replications=2)
    assert check.network_loss == 0.0 and check.mean_field_loss == 0.0 and math.isnan(check.ratio)


def test_the_same_seed_gives_identical_results_and_another_seed_does_not(gas_station):
    first, again = (network_check(gas_station, "clustered", seed=7, agents=2_000, replications=3) for _ in range(2))
    other = network_check(gas_station, "clustered", seed=8, agents=2_000, replications=3)
    assert first.losses == again.losses and first.ratio == again.ratio
    assert first.losses != other.losses


def test_more_agents_narrow_the_standard_error(gas_station):
    small = network_check(gas_station, "mixing", agents=2_000, replications=24)
    large = network_check(gas_station, "mixing", agents=20_000, replications=24)
    assert large.standard_error < 0.6 * small.standard_error
    assert small.scale == 10 and small.customers == 250 and large.scale == 1


def test_matched_acquisition_keeps_homophily_as_the_mean_field_assumes_and_random_loses_it(gas_station):
    horizon = simulate(wom_only(gas_station))
    eta_at_horizon = gas_station.homophily * horizon.customers_at_horizon / gas_station.market_size
    matched = network_check(gas_station, "random", agents=8_000, replications=2)
    anyone = network_check(gas_station, "random", agents=8_000, replications=2, acquisition="random")
    assert matched.customer_neighbour_share_at_horizon == pytest.approx(eta_at_horizon, rel=0.1)
    assert anyone.customer_neighbour_share_at_horizon < 0.8 * eta_at_horizon


def test_prospects_retelling_to_fewer_customers_lowers_the_loss(gas_station):
    as_mean_field = network_check(gas_station, "mixing", agents=20_000, replications=16)
    to_no_customer = network_check(gas_station, "mixing", agents=20_000, replications=16,
                                   prospect_customer_share=0.0)
    assert to_no_customer.prospect_tellings_to_customers == 0.0
    assert to_no_customer.ratio < as_mean_field.ratio - 5 * as_mean_field.standard_error


def test_the_network_discounts_months_as_the_model_does(gas_station):
    # The network's present value is sum_t (C^cf_t - C_t) f s delta^(t+1); the model's must agree.
    r = simulate(wom_only(gas_station))
    delta = (1 + gas_station.discount_rate_annual) ** (-1 / 12)
    months = np.arange(gas_station.horizon_months)
    gap = (r.customers_counterfactual - r.customers)[:-1]
    pv = float(np.sum(gap * gas_station.visits_per_month * gas_station.spend_per_visit * delta ** (months + 1)))
    assert pv == pytest.approx(r.pv_revenue_loss, rel=1e-9)


@pytest.mark.parametrize("kind, low, high", [("clustered", 0.4, 0.6), ("random", 0.0, 0.02)])
@pytest.mark.parametrize("share", [0.03, 0.375, 1.0])
def test_graphs_have_the_degree_clustering_and_homophily_asked_for(kind, low, high, share):
    n, customers = 6_000, (300 if share < 1 else 5_900)
    adj, is_c = build_graph(kind, n, customers, 12, share, np.random.default_rng(3))
    degree, clustering, customer_share, _ = graph_stats(adj, is_c)
    assert int(is_c.sum()) == customers and (adj != adj.T).nnz == 0 and adj.diagonal().sum() == 0
    assert degree == pytest.approx(12, abs=0.2)
    assert customer_share == pytest.approx(share, rel=0.1)
    if share < 1:
        assert low <= clustering <= high


def test_clustering_agrees_with_networkx():
    adj, is_c = build_graph("clustered", 1_500, 200, 10, 0.3, np.random.default_rng(5))
    assert graph_stats(adj, is_c)[1] == pytest.approx(nx.average_clustering(nx.from_scipy_sparse_array(adj)), rel=1e-12)


def test_bad_arguments_are_refused(gas_station):
    with pytest.raises(ValueError, match="unknown graph"):
        network_check(gas_station, "star")
    with pytest.raises(ValueError, match="agents"):
        network_check(gas_station, agents=10)


def test_cli_prints_both_losses_the_ratio_and_the_graph(capsys):
    assert network_check_main(["gas_station", "--graph", "random", "--agents", "3000", "--replications", "3"]) == 0
    out = capsys.readouterr().out
    for text in ("mean field (the model)", "network (agent-based)", "network / mean field", "clustering",
                 "customers among a customer's friends", "retold by prospects", "EUR"):
        assert text in out


@pytest.mark.parametrize("argv, message", [
    (["no_such_preset"], "unknown preset"),
    (["gas_station", "--graph", "star"], "invalid choice"),
    (["gas_station", "--agents", "ten"], "invalid int"),
    (["gas_station", "--replications", "1"], "at least 2"),
    ([], "required"),
])
def test_cli_errors_are_one_line_with_exit_code_2(capsys, argv, message):
    assert network_check_main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
