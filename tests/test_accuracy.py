"""The stated accuracy of the default Monte Carlo, on every preset (a test of numbers, not of time).

The default draws (8,192 scrambled Sobol points) must put the mean (the figure every surface shows) of
the revenue lost, profit lost and customers lost within 0.1 %, and their P10 and P90 (the bands) within
2.5 %, of a far larger run (2^18 points), for 95 % of seeds and outputs (docs/methodology.md, section 5).
The median, shown nowhere since every figure became the mean, is held to 1.5 % (it is in the JSON).
"""

from __future__ import annotations

import numpy as np
import pytest

from estimator import list_presets, load_preset, monte_carlo

KEYS = ("pv_revenue_loss", "pv_profit_loss", "customers_lost")
SEEDS = range(1000, 1060)  # fresh seeds, not those the default was chosen on (60 x 3 outputs per preset)


def relative_errors(preset: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per seed and output: the mean's error, the median's and the worse of P10's and P90's, relative."""
    p = load_preset(preset)
    reference = monte_carlo(p, draws=2**18, seed=7).headline
    means, p50, tails = [], [], []
    for seed in SEEDS:
        headline = monte_carlo(p, seed=seed).headline
        for key in KEYS:
            ref, got = reference[key], headline[key]
            means.append(abs(got.mean / ref.mean - 1) if ref.mean else abs(got.mean))
            p50.append(abs(got.p50 / ref.p50 - 1) if ref.p50 else abs(got.p50))
            tails.append(max(abs(got.p10 / ref.p10 - 1) if ref.p10 else abs(got.p10),
                             abs(got.p90 / ref.p90 - 1) if ref.p90 else abs(got.p90)))
    return np.array(means), np.array(p50), np.array(tails)


@pytest.mark.parametrize("preset", list_presets())
def test_default_draws_meet_the_stated_accuracy(preset):
    assert load_preset(preset).draws <= 8192
    means, p50, tails = relative_errors(preset)
    assert np.percentile(means, 95) <= 0.001, f"{preset}: mean off by {np.percentile(means, 95):.3%}"
    assert np.percentile(p50, 95) <= 0.015, f"{preset}: median off by {np.percentile(p50, 95):.2%}"
    assert np.percentile(tails, 95) <= 0.025, f"{preset}: P10/P90 off by {np.percentile(tails, 95):.2%}"


def test_sobol_points_beat_plain_draws_at_equal_count():
    """The design earns its place: at the same 8,192 draws, plain Monte Carlo's P10/P90 err more. The Sobol points
    carry the model's parameters; a fix's own uncertain change is drawn by stratified columns of its own, the same
    in both designs (docs/methodology.md, 2.3), so the comparison holds the fix at its most likely change (with
    the airline's uncertain fix the two designs' P90 errors are about equal: 0.40 % and 0.41 % root mean square
    over 60 seeds; the stated accuracy still holds, as the tests above check)."""
    p = load_preset("airline")
    p = p.model_copy(update={"fix": p.without_uncertainty().fix})
    reference = monte_carlo(p, draws=2**18, seed=7).headline["pv_revenue_loss"]
    errors = {design: np.percentile([abs(monte_carlo(p, seed=s, design=design).headline["pv_revenue_loss"].p90
                                         / reference.p90 - 1) for s in SEEDS[:20]], 95) for design in ("sobol", "random")}
    assert errors["sobol"] < errors["random"]
