"""Stable draws: each drawn quantity owns its Sobol dimension by name, so adding, removing or reordering
parameters leaves every other quantity's draws unchanged for the same seed (``dimensions``)."""

from __future__ import annotations

import numpy as np
import pytest

from estimator import load_preset
from estimator.model.engine import dimensions, sampling
from estimator.model.inputs.catalogue import FIXABLE, MODEL_PARAMS


@pytest.fixture
def fresh_points():
    """Forget the kept Sobol points before and after, so a patched registry makes its own."""
    sampling._kept_sobol_points.cache_clear()
    yield
    sampling._kept_sobol_points.cache_clear()


def test_every_drawn_quantity_owns_one_dimension_within_the_reserved_ones():
    names = dimensions.SOBOL_DIMENSIONS
    assert len(set(names)) == len(names)
    assert set(MODEL_PARAMS) <= set(names), f"append {sorted(set(MODEL_PARAMS) - set(names))} to SOBOL_DIMENSIONS"
    assert {dimensions.own_fix_dimension(name) for name in FIXABLE} <= set(names)
    assert len(names) <= dimensions.RESERVED_DIMENSIONS


@pytest.mark.parametrize("design", ["sobol", "random"])
def test_a_new_parameter_leaves_every_other_draw_as_it_was(monkeypatch, fresh_points, design):
    """Append a dummy quantity (as a newcomer adding a parameter would): every existing row, and so every
    lane a preset draws, is the same for the same seed."""
    before = sampling.uniforms(2048, 7, design)
    lanes_before = sampling.sample_lanes(load_preset("hotel"), 2048, 7, design)
    sampling._kept_sobol_points.cache_clear()
    longer = (*dimensions.SOBOL_DIMENSIONS, "dummy_parameter")
    monkeypatch.setattr(sampling, "UNIFORM_ROWS", longer)
    monkeypatch.setitem(dimensions.DIMENSION, "dummy_parameter", len(longer) - 1)
    after = sampling.uniforms(2048, 7, design)
    assert after.shape[0] == before.shape[0] + 1
    assert np.array_equal(after[:-1], before)
    assert ((0 <= after[-1]) & (after[-1] < 1)).all() and not np.array_equal(after[-1], after[-2])
    lanes_after = sampling.sample_lanes(load_preset("hotel"), 2048, 7, design)
    for name, values in lanes_before.items():
        assert np.array_equal(lanes_after[name], values, equal_nan=True), name


def test_the_catalogue_order_does_not_move_a_draw(monkeypatch):
    """Draws are looked up by name: the catalogue listed in another order gives the same lanes."""
    p = load_preset("gas_station")
    before = sampling.sample_lanes(p, 1024, 3)
    monkeypatch.setattr(sampling, "MODEL_PARAMS", tuple(reversed(MODEL_PARAMS)))
    after = sampling.sample_lanes(p, 1024, 3)
    for name, values in before.items():
        assert np.array_equal(after[name], values, equal_nan=True), name


def test_the_points_are_made_in_the_reserved_dimensions_whatever_the_registry_holds(monkeypatch, fresh_points):
    """The first rows of 64-dimensional points do not depend on how many rows are read."""
    full = sampling.uniforms(512, 11)
    monkeypatch.setattr(sampling, "UNIFORM_ROWS", dimensions.SOBOL_DIMENSIONS[:5])
    sampling._kept_sobol_points.cache_clear()
    assert np.array_equal(sampling.uniforms(512, 11), full[:5])


@pytest.mark.parametrize("draws", [1, 7, 16_384, 16_385, 40_000])
def test_points_made_in_pieces_are_the_points_of_one_call(draws):
    """A big run makes its points a piece at a time (bounded memory); they are the sequence's own points."""
    from scipy.stats import qmc

    whole = qmc.Sobol(d=dimensions.RESERVED_DIMENSIONS, scramble=True, seed=np.random.default_rng(5)).random(
        1 << max(0, (draws - 1).bit_length()))
    expected = whole[:draws, :len(dimensions.SOBOL_DIMENSIONS)].T
    assert np.array_equal(sampling._sobol_points(draws, np.random.default_rng(5)), expected)


#: The registry as released (2026-12): a quantity may be appended after these, never moved or removed,
#: because its position is its dimension and so its draws for every seed (``dimensions``' docstring).
RELEASED = (
    "customers", "max_customers", "market_size", "visits_per_month", "spend_per_visit", "gross_margin",
    "monthly_attrition", "bad_visit_rate", "delight_rate", "complaint_rate", "recovery_rate", "churn_silent",
    "churn_unresolved", "churn_recovered", "stated_to_actual_churn", "tell_unhappy", "tell_happy", "retell_prob",
    "influence_negative", "deterrence_ratio", "influence_positive", "homophily", "memory_months",
    "review_rate_unhappy", "review_rate_happy", "stars_unhappy", "stars_happy", "initial_rating", "initial_reviews",
    "review_halflife_months", "acquisition_per_star", "spend_per_star", "fix_cost_once", "fix_cost_per_month",
    "discount_rate_annual", "fix|bad_visit_rate", "fix|delight_rate", "fix|complaint_rate", "fix|recovery_rate",
    "fix|churn_silent", "fix|churn_unresolved", "fix|churn_recovered",
)


def test_the_released_dimensions_keep_their_places():
    registry = dimensions.SOBOL_DIMENSIONS
    moved = [(i, name, registry[i] if i < len(registry) else None) for i, name in enumerate(RELEASED)
             if i >= len(registry) or registry[i] != name]
    assert moved == [], "a released quantity moved or was removed: every draw of every seed would change"
    assert len(set(registry)) == len(registry)
