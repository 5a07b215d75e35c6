"""Shared fixtures and hypothesis strategies for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from estimator import SPECS, Params, load_preset

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=1_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def gas_station() -> Params:
    return load_preset("gas_station")


def _unit(name: str, lo: float | None = None, hi: float | None = None) -> st.SearchStrategy[float]:
    spec = SPECS[name]
    return st.floats(spec.lower if lo is None else lo, spec.upper if hi is None else hi,
                     allow_nan=False, allow_infinity=False)


@st.composite
def model_params(draw: st.DrawFn, horizon_max: int = 48) -> Params:
    """A valid scenario from anywhere in a broad, realistic parameter space."""
    customers = draw(st.floats(10, 50_000))
    market = customers * draw(st.floats(1.05, 50))
    return Params(
        customers=customers,
        market_size=market,
        visits_per_month=draw(st.floats(0.05, 20)),
        spend_per_visit=draw(st.floats(1, 500)),
        gross_margin=draw(_unit("gross_margin")),
        monthly_attrition=draw(st.floats(0, 0.1)),
        bad_visit_rate=draw(st.floats(0, 0.5)),
        delight_rate=draw(st.floats(0, 0.3)),
        complaint_rate=draw(_unit("complaint_rate")),
        recovery_rate=draw(_unit("recovery_rate")),
        churn_silent=draw(_unit("churn_silent")),
        churn_unresolved=draw(_unit("churn_unresolved")),
        churn_recovered=draw(_unit("churn_recovered")),
        tell_unhappy=draw(st.floats(0, 30)),
        tell_happy=draw(st.floats(0, 30)),
        retell_prob=draw(st.floats(0, 0.2)),
        influence_negative=draw(_unit("influence_negative")),
        influence_positive=draw(st.floats(0, 0.1)),
        homophily=draw(st.floats(1, 20)),
        memory_months=draw(st.floats(1, 60)),
        review_rate_unhappy=draw(st.floats(0, 0.5)),
        review_rate_happy=draw(st.floats(0, 0.05)),
        stars_unhappy=draw(_unit("stars_unhappy")),
        stars_happy=draw(_unit("stars_happy")),
        initial_rating=draw(_unit("initial_rating")),
        initial_reviews=draw(st.floats(0, 5_000)),
        review_halflife_months=draw(st.floats(0.5, 60)),
        acquisition_per_star=draw(st.floats(0, 0.5)),
        spend_per_star=draw(st.floats(0, 0.3)),
        fix_cost_once=draw(st.floats(0, 1e5)),
        fix_cost_per_month=draw(st.floats(0, 1e4)),
        horizon_months=draw(st.integers(1, horizon_max)),
        discount_rate_annual=draw(st.floats(0, 0.3)),
    )


# --- The real app in a real browser (module-scoped: one server and one Chromium per test file) ----------------


@pytest.fixture(scope="module")
def server():
    """``streamlit run dashboard.py`` on a free loopback port; its base URL."""
    from tests.browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium driven by Playwright (skipped without it locally, failed in CI)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import CHROMIUM_ARGS, chromium_path, require

    path = chromium_path()
    require(path is not None, "Chromium", "apt-get install chromium")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reports():
    """``reports(name)``: one report per preset, shared by a test module's surfaces and languages (each part
    computed once)."""
    from estimator import Report

    cache: dict[str, Report] = {}

    def get(name: str) -> Report:
        if name not in cache:
            cache[name] = Report(load_preset(name))
        return cache[name]

    return get
