"""Monte Carlo: degenerate ranges reproduce the deterministic run; seeds; convergence; PERT."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import HEADLINE_KEYS, monte_carlo, simulate
from estimator.model.inputs.catalogue import SPECS
from estimator.model.engine.chunks import CHUNK_DRAWS
from estimator.model.engine.sampling import QUANTILE_POINTS, beta_quantile_table, pert_from_uniform, pert_sample
from estimator.model.engine.uncertainty import fix_value
from tests.conftest import model_params


def _degenerate(p):
    """Every range collapsed onto its mode: low = mode = high (the fix's changes too)."""
    certain = p.without_uncertainty()
    return p.replace(ranges={name: (getattr(p, name),) * 2 for name in p.ranges}).model_copy(
        update={"fix": certain.fix, "menu": certain.menu})


@pytest.mark.parametrize("draws", [1, 7, CHUNK_DRAWS + 3])
def test_zero_width_ranges_reproduce_the_deterministic_run(gas_station, draws):
    p = _degenerate(gas_station)
    det = simulate(p)
    mc = monte_carlo(p, draws=draws, seed=1)
    for key in HEADLINE_KEYS:
        expected = det.headline()[key]
        for stat in ("p10", "p50", "p90", "mean"):
            assert getattr(mc.headline[key], stat) == pytest.approx(expected, rel=1e-12, abs=1e-9), (key, stat)
    for key in ("revenue_loss", "cumulative_pv_revenue_loss"):
        for row in mc.bands[key]:
            np.testing.assert_allclose(row, getattr(det, key), rtol=1e-12, atol=1e-9)
    for key in ("customers", "customers_counterfactual", "rating", "rating_counterfactual", "revenue_loss"):
        np.testing.assert_allclose(mc.means[key], getattr(det, key), rtol=1e-12)


@given(model_params(horizon_max=24))
def test_degenerate_monte_carlo_equals_deterministic_anywhere(p):
    p = p.replace(ranges={"bad_visit_rate": (p.bad_visit_rate, p.bad_visit_rate)})
    det = simulate(p).pv_revenue_loss
    mc = monte_carlo(p, draws=3, seed=0).headline["pv_revenue_loss"]
    assert mc.p50 == pytest.approx(det, rel=1e-12, abs=1e-9)


def test_same_seed_same_result_and_other_seed_differs(gas_station):
    a = monte_carlo(gas_station, draws=2_000, seed=7)
    b = monte_carlo(gas_station, draws=2_000, seed=7)
    c = monte_carlo(gas_station, draws=2_000, seed=8)
    np.testing.assert_array_equal(a.samples["pv_revenue_loss"], b.samples["pv_revenue_loss"])
    np.testing.assert_array_equal(a.bands["cumulative_pv_revenue_loss"], b.bands["cumulative_pv_revenue_loss"])
    assert a.headline["pv_revenue_loss"].p50 != c.headline["pv_revenue_loss"].p50


def test_chunking_does_not_change_the_numbers(gas_station):
    """Draws are simulated in chunks; each draw's result must not depend on its chunk."""
    mc = monte_carlo(gas_station, draws=CHUNK_DRAWS + 50, seed=3)
    from estimator.model.engine.runs import run_params
    from estimator.model.engine.sampling import sample_lanes

    lanes = sample_lanes(gas_station, CHUNK_DRAWS + 50, 3)
    one = {name: values[CHUNK_DRAWS + 10:CHUNK_DRAWS + 11] for name, values in lanes.items()}
    alone = run_params(gas_station, one)["pv_revenue_loss"][0]
    assert mc.samples["pv_revenue_loss"][CHUNK_DRAWS + 10] == pytest.approx(alone, rel=1e-12)


@pytest.mark.parametrize("width", [0.02, 0.002])
def test_p50_of_a_narrow_distribution_converges_to_the_deterministic_value(gas_station, width):
    """Ranges of ±width around every mode: the P50 sits within a few widths of the value."""
    p = gas_station.replace(ranges={name: (getattr(gas_station, name) * (1 - width),
                                           getattr(gas_station, name) * (1 + width))
                                    for name in gas_station.ranges})
    p = p.model_copy(update={"fix": p.without_uncertainty().fix})  # the fix's own range is not narrow
    det = simulate(p).pv_revenue_loss
    p50 = monte_carlo(p, draws=4_000, seed=11).headline["pv_revenue_loss"].p50
    assert abs(p50 - det) / det < 3 * width


def test_percentiles_are_ordered(gas_station):
    mc = monte_carlo(gas_station, draws=3_000, seed=5)
    for key, s in mc.headline.items():
        assert s.p10 <= s.p50 <= s.p90, key
    for key, band in mc.bands.items():
        assert np.all(band[0] <= band[1] + 1e-9) and np.all(band[1] <= band[2] + 1e-9), key
    assert mc.headline["pv_revenue_loss"].p10 < mc.headline["pv_revenue_loss"].p90


def test_large_runs_store_bands_in_float32_but_keep_exact_headlines(gas_station):
    """Past EXACT_CURVE_VALUES the bands are computed from float32 copies (7 digits)."""
    p = gas_station.replace(horizon_months=120)
    mc = monte_carlo(p, draws=40_000, seed=2)
    final_p50 = mc.bands["cumulative_pv_revenue_loss"][1, -1]
    assert final_p50 == pytest.approx(mc.headline["pv_revenue_loss"].p50, rel=1e-5)


@given(st.floats(0, 100), st.floats(0, 1), st.floats(0.01, 100))
def test_pert_draws_stay_in_range_and_have_the_pert_mean(low, where, width):
    """PERT mean = (low + 4·mode + high)/6; every draw in [low, high]."""
    high = low + width
    mode = low + where * width
    x = pert_sample(low, mode, high, 20_000, np.random.default_rng(0))
    assert x.min() >= low and x.max() <= high
    sd = width / 6  # the PERT standard deviation is at most (high - low)/6
    assert x.mean() == pytest.approx((low + 4 * mode + high) / 6, abs=5 * sd / np.sqrt(20_000) + 1e-12)


def test_overlapping_customer_and_market_ranges_keep_every_draw_valid(gas_station):
    p = gas_station.replace(customers=15_000, market_size=16_000,
                            ranges={**gas_station.ranges, "customers": (12_000, 15_900),
                                    "market_size": (15_000, 17_000)})
    mc = monte_carlo(p, draws=2_000, seed=1)
    assert np.all(mc.inputs["market_size"] > mc.inputs["customers"])
    assert all(np.isfinite(v).all() for v in mc.samples.values())


def _beta_cdf_integer_shapes(x: np.ndarray, a: int, b: int) -> np.ndarray:
    """Closed-form Beta CDF for integer shapes: I_x(a, b) = Σ_{j=a}^{a+b−1} C(a+b−1, j) x^j (1−x)^(a+b−1−j)."""
    n = a + b - 1
    return sum(math.comb(n, j) * x ** j * (1 - x) ** (n - j) for j in range(a, n + 1))


@given(st.integers(1, 5), st.integers(1, 5))
def test_beta_quantile_table_inverts_the_exact_cdf(a, b):
    """The tabulated quantiles Q(u) satisfy F(Q(u)) = u, F the closed-form CDF (integer shapes)."""
    quantiles, steps = beta_quantile_table(float(a), float(b))
    u = np.linspace(0, 1, QUANTILE_POINTS + 1)
    assert np.abs(_beta_cdf_integer_shapes(quantiles, a, b) - u).max() < 1e-6
    assert np.all(steps >= 0) and quantiles[0] == 0 and quantiles[-1] == 1


def test_pert_draws_follow_the_exact_distribution():
    """Kolmogorov–Smirnov distance of 50 000 draws of PERT(0, 0.25, 1) = Beta(2, 4) against
    its exact CDF stays within the 1 % critical value 1.63/√n."""
    n = 50_000
    x = np.sort(pert_sample(0.0, 0.25, 1.0, n, np.random.default_rng(3)))
    cdf = _beta_cdf_integer_shapes(x, 2, 4)
    ranks = np.arange(1, n + 1) / n
    ks = max(np.abs(ranks - cdf).max(), np.abs(ranks - 1 / n - cdf).max())
    assert ks < 1.63 / math.sqrt(n)


@given(st.floats(0, 100), st.floats(0, 1), st.floats(0, 1), st.floats(0.01, 100))
def test_pert_draws_rise_one_for_one_with_the_mode(low, where_a, where_b, width):
    """Same uniforms, same range, higher mode: every single draw is at least as high (inverse-CDF
    sampling), so a slider move shifts the whole cloud of draws, without reshuffling it."""
    high = low + width
    mode_a, mode_b = sorted((low + where_a * width, low + where_b * width))
    u = np.random.default_rng(4).random(2_000)
    x_a = pert_from_uniform(low, mode_a, high, u.copy())
    x_b = pert_from_uniform(low, mode_b, high, u.copy())
    assert np.all(x_b >= x_a - 1e-9 * max(1.0, high))


SERVICE = ("bad_visit_rate", "complaint_rate", "recovery_rate", "churn_silent", "churn_unresolved", "churn_recovered",
           "tell_unhappy", "review_rate_unhappy", "stars_unhappy", "influence_negative")


@pytest.mark.parametrize("name", SERVICE)
def test_from_a_flawless_start_service_parameters_leave_the_fixed_arm_untouched(gas_station, name):
    """With the flawless baseline and the default fix (no bad visits), the fixed arm is v1's flawless
    twin: nobody is unhappy, so nothing about complaints, churn or bad stories plays any part."""
    value, upper = getattr(gas_station, name), SPECS[name].upper
    new_value = value + 0.1 if value + 0.1 <= upper else value - 0.1
    certain = gas_station.without_uncertainty().model_copy(update={"baseline": "flawless",
                                                                  "fix": {"bad_visit_rate": 0.0}})
    base = simulate(certain)
    moved = simulate(certain.replace(**{name: new_value}))
    assert np.array_equal(moved.revenue_counterfactual, base.revenue_counterfactual)
    assert moved.pv_revenue_loss != base.pv_revenue_loss  # the parameter does matter to the scenario


@pytest.mark.parametrize("baseline", ["today", "flawless"])
@pytest.mark.parametrize("changes", [{"recovery_rate": 0.9}, {"recovery_rate": 0.9, "complaint_rate": 0.6},
                                     {"bad_visit_rate": 0.002, "delight_rate": 0.05}])
def test_fix_value_is_the_value_of_that_fix_draw_by_draw(gas_station, changes, baseline):
    """Without uncertainty every draw is the deterministic run, so fix_value is simulate's value of
    the same fix; from a flawless start it is also v1's loss without the fix minus the loss with it."""
    certain = gas_station.without_uncertainty().model_copy(update={"baseline": baseline,
                                                                  "fix": {"bad_visit_rate": 0.0}})
    expected = simulate(certain.model_copy(update={"fix": changes})).pv_revenue_loss
    saving = fix_value(certain, draws=50, seed=3, **changes)
    for s in (saving["pv_revenue_loss"].p10, saving["pv_revenue_loss"].p90):
        assert s == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert saving["pv_profit_loss"].p50 == pytest.approx(certain.gross_margin * expected, rel=1e-9, abs=1e-6)
    if baseline == "flawless" and "delight_rate" not in changes:  # the flawless twin ignores service settings
        v1 = simulate(certain).pv_revenue_loss - simulate(certain.replace(**changes)).pv_revenue_loss
        assert expected == pytest.approx(v1, rel=1e-9, abs=1e-6)


def test_fix_value_pairs_the_draws(gas_station):
    """Common random numbers: both runs use the same draws, so the saving's percentiles are of
    per-draw savings; better recovery saves money in the gas station down to its P10."""
    saving = fix_value(gas_station, draws=2_000, seed=5, recovery_rate=0.9)["pv_revenue_loss"]
    assert saving.p10 > 0 and saving.p10 <= saving.p50 <= saving.p90


def test_a_valid_market_barely_above_the_customers_is_kept_as_it_is():
    """Draws must run the scenario's own market when it is valid (M > C0), however close: a market
    of 10.625 with 10 customers was once raised to 11 in every draw (found by hypothesis)."""
    from estimator import Params
    p = Params(customers=10, market_size=10.625, monthly_attrition=0.0625, bad_visit_rate=0.5, churn_silent=1.0,
               complaint_rate=0.0, horizon_months=3)
    p = p.replace(ranges={"bad_visit_rate": (0.5, 0.5)})
    mc = monte_carlo(p, draws=3, seed=0)
    assert (mc.inputs["market_size"] == 10.625).all()
    assert mc.headline["pv_revenue_loss"].p50 == pytest.approx(simulate(p).pv_revenue_loss, rel=1e-12)


def test_a_draw_whose_market_is_not_above_its_customers_is_made_valid():
    """Overlapping ranges: a draw with market ≤ customers gets market = customers + 1, no other."""
    from estimator.model.engine.lanes import keep_market_above_customers
    lanes = {"market_size": np.array([100.0, 50.0, 50.0]), "customers": np.array([60.0, 50.0, 70.0])}
    keep_market_above_customers(lanes)
    np.testing.assert_array_equal(lanes["market_size"], [100.0, 51.0, 71.0])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 300), st.integers(0, 2**32 - 1), st.booleans())
def test_selection_and_sorting_give_numpys_percentiles(rows, n, seed, ties):
    from estimator.model.engine.uncertainty import percentiles_of_sorted, put_order_statistics_in_place

    values = np.random.default_rng(seed).standard_normal((rows, n))
    if ties:
        values = np.round(values, 1)  # many equal values
    expected = np.quantile(values, [0.1, 0.5, 0.9], axis=1)
    selected = percentiles_of_sorted(put_order_statistics_in_place(values.copy(), select=True))
    ordered = percentiles_of_sorted(put_order_statistics_in_place(values.copy(), select=False))
    assert np.array_equal(selected, ordered)
    np.testing.assert_allclose(selected, expected, rtol=1e-12, atol=1e-12)


def test_chunks_on_worker_threads_give_exactly_the_numbers_of_one_thread(gas_station, monkeypatch):
    """The Monte Carlo's chunks run side by side on the process's cores; every band, mean and draw
    must be bit for bit what one thread gives (the sums add up chunk by chunk, in order)."""
    from estimator.model.engine import chunks

    p = gas_station.replace(draws=3 * chunks.CHUNK_DRAWS + 17, horizon_months=24)
    runs = {}
    for workers in (1, 3):
        monkeypatch.setattr(chunks, "CHUNK_WORKERS", workers)
        runs[workers] = monte_carlo(p, seed=11)
    one, many = runs[1], runs[3]
    for key in one.bands:
        assert np.array_equal(one.bands[key], many.bands[key]), key
    for key in one.means:
        assert np.array_equal(one.means[key], many.means[key]), key
    for key in one.samples:
        assert np.array_equal(one.samples[key], many.samples[key], equal_nan=True), key
    assert one.headline == many.headline and one.chance_fix_pays_off == many.chance_fix_pays_off


def test_chunks_asked_for_on_a_worker_thread_run_there_in_order():
    """A Monte Carlo started on one of the pool's threads runs its chunks on that thread (waiting
    on the pool from inside it could wait forever)."""
    from estimator.model.engine import chunks

    def outer(start: int, part: dict) -> tuple[str, list[str]]:
        me = threading.current_thread().name
        inner = chunks.map_chunks(lambda s, p: threading.current_thread().name, iter([(0, {}), (1, {})]))
        return me, list(inner)

    results = list(chunks.map_chunks(outer, iter([(0, {}), (1, {}), (2, {})])))
    assert len(results) == 3
    for me, inner in results:
        assert inner == [me, me]
        assert me.startswith("monte-carlo") or chunks.CHUNK_WORKERS < 2
