"""Calibration from the business's own data: posteriors against closed forms, each value against
its formula worked by hand (docs/methodology.md, section 8c), the command line end to end."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from estimator import load_preset, parse_scenario, scenario_to_yaml, simulate
from estimator.model.own_data.calibration import calibrate
from estimator.model.own_data.tables import OwnDataError
from estimator.model.own_data.posteriors import DAYS_PER_MONTH, MEAN_RULE, beta_share, drift, poisson_rate
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "example_data"
END = date(2026, 6, 30)


@pytest.fixture(scope="module")
def base():
    return load_preset("gas_station")


def _reviews(rows: list[tuple[date, int]]) -> bytes:
    return ("date,stars\n" + "".join(f"{d.isoformat()},{s}\n" for d, s in rows)).encode()


# --- posteriors against closed forms ---------------------------------------------------------------

@pytest.mark.parametrize("k, n", [(1, 2), (3, 12), (30, 120), (299, 1200)])
def test_a_share_is_the_beta_posterior_of_a_uniform_prior(k, n):
    e = beta_share(k, n)
    a, b = 1 + k, 1 + n - k
    assert e.mean == pytest.approx(a / (a + b), rel=1e-12)
    assert e.mode == pytest.approx((a - 1) / (a + b - 2), rel=1e-12)  # = k/n
    assert (e.low, e.high) == pytest.approx(tuple(stats.beta.ppf([0.05, 0.95], a, b)), rel=1e-12)


@pytest.mark.parametrize("n", [2, 5, 12, 400])
def test_no_successes_is_beta_one_n_whose_quantiles_have_a_closed_form(n):
    """Beta(1, n): F(x) = 1 − (1 − x)^n, so the p-quantile is 1 − (1 − p)^(1/n); the mode 0 sits at the
    bound, so the mean 1/(n + 1) is used."""
    e = beta_share(0, n - 1)
    assert e.low == pytest.approx(1 - 0.95 ** (1 / n), rel=1e-9)
    assert e.high == pytest.approx(1 - 0.05 ** (1 / n), rel=1e-9)
    assert e.mode == pytest.approx(1 / (n + 1)) and e.rule == MEAN_RULE
    full = beta_share(n - 1, n - 1)  # Beta(n, 1): F(x) = x^n
    assert (full.low, full.high) == pytest.approx((0.05 ** (1 / n), 0.95 ** (1 / n)), rel=1e-9)


def test_no_events_is_an_exponential_posterior_with_a_closed_form():
    """Gamma(1, rate T): the p-quantile is −ln(1 − p)/T."""
    e = poisson_rate(0, 12.0)
    assert (e.low, e.high) == pytest.approx((-math.log(0.95) / 12, -math.log(0.05) / 12), rel=1e-9)
    assert poisson_rate(78, 12.0).mode == 78 / 12


@given(st.floats(0.02, 0.98), st.integers(5, 400))
def test_ranges_narrow_as_the_sample_grows(share, n):
    small = beta_share(round(share * n), n)
    large = beta_share(round(share * 10 * n), 10 * n)
    assert large.width < small.width
    assert poisson_rate(round(share * n), 1.0 * n).width > poisson_rate(round(share * 10 * n), 10.0 * n).width


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_mode_always_lies_in_its_range(kn):
    e = beta_share(*kn)
    assert 0 <= e.low <= e.mode <= e.high <= 1


def test_drift_is_the_least_squares_slope_in_stars_a_year():
    rng = np.random.default_rng(3)
    days = np.sort(rng.integers(0, 1500, 300))
    stars = np.clip(np.round(4.3 - 0.2 * days / 365.25 + rng.normal(0, 0.8, 300)), 1, 5)
    d = drift(days, stars)
    assert d.slope_per_year == pytest.approx(np.polyfit(days / 365.25, stars, 1)[0], rel=1e-9)
    assert d.verdict == "falling" and d.low < d.slope_per_year < d.high < 0


# --- each value against its formula ----------------------------------------------------------------

def _review_rows() -> list[tuple[date, int]]:
    rows = [(END - timedelta(days=500 + 7 * i), 5 - i % 3) for i in range(20)]        # older than a year
    rows += [(END - timedelta(days=3 * i), (5, 4, 3, 4, 2, 5, 1, 4)[i % 8]) for i in range(100)]
    return rows


def test_reviews_give_their_mean_count_stock_rates_and_stars(base):
    rows = _review_rows()
    cal = calibrate(base, reviews=_reviews(rows), with_loss=False)
    p = cal.params
    stars = [s for _, s in rows]
    assert p.initial_rating == sum(stars) / len(stars)
    assert cal.files[0].rows == len(rows)
    h = base.review_halflife_months
    assert p.initial_reviews == pytest.approx(sum(0.5 ** ((END - d).days / DAYS_PER_MONTH / h) for d, _ in rows))
    start = END - timedelta(days=round(12 * DAYS_PER_MONTH))
    months = (END - start).days / DAYS_PER_MONTH
    recent = [s for d, s in rows if d >= start]
    u = 1 - math.exp(-base.bad_visit_rate * base.visits_per_month)
    unrecovered = u * (1 - base.complaint_rate * base.recovery_rate) * base.customers
    bad, good = [s for s in recent if s <= 2], [s for s in recent if s > 2]
    assert p.review_rate_unhappy == pytest.approx(len(bad) / months / unrecovered, rel=1e-12)
    assert p.review_rate_happy == pytest.approx(len(good) / months / (base.customers - unrecovered), rel=1e-12)
    assert p.stars_unhappy == pytest.approx(sum(bad) / len(bad)) and p.stars_happy == pytest.approx(sum(good) / len(good))
    assert simulate(p).steady_rating == pytest.approx(sum(recent) / len(recent), rel=1e-9)  # R* = the year's mean
    order = ("assumption", "published", "measured")
    rests_on = ("bad_visit_rate", "visits_per_month", "complaint_rate", "recovery_rate", "customers")
    weakest = min((base.grades[n] for n in rests_on), key=order.index)
    assert p.grades["review_rate_happy"] == p.grades["review_rate_unhappy"] == weakest
    for name in ("initial_rating", "review_rate_happy", "stars_happy"):
        assert "reviews.csv (120 rows, " in p.sources[name]
    assert p.grades["initial_rating"] == p.grades["stars_happy"] == "measured"
    assert p.grades["initial_reviews"] == base.grades["review_halflife_months"]  # rests on the half-life


def test_a_complaint_log_gives_recovery_and_complaint_rate(base):
    days = [END - timedelta(days=2 * i) for i in range(150)]
    outcomes = ["resolved" if i % 10 == 0 else ("" if i % 10 == 5 else "no") for i in range(150)]
    data = ("date,outcome\n" + "".join(f"{d.isoformat()},{o}\n" for d, o in zip(days, outcomes))).encode()
    cal = calibrate(base, complaints=data, customers=2500, visits_per_month=4.3, with_loss=False)
    resolved, unresolved = outcomes.count("resolved"), outcomes.count("no")
    r = cal.params.recovery_rate
    assert r == resolved / (resolved + unresolved)
    assert cal.params.ranges["recovery_rate"] == pytest.approx(
        tuple(stats.beta.ppf([0.05, 0.95], 1 + resolved, 1 + unresolved)))
    months = (days[0] - days[-1]).days / DAYS_PER_MONTH
    u = 1 - math.exp(-base.bad_visit_rate * 4.3)
    assert cal.params.complaint_rate == pytest.approx(150 / months / (u * 2500), rel=1e-12)
    assert cal.params.grades["recovery_rate"] == "measured"
    assert cal.params.grades["complaint_rate"] == base.grades["bad_visit_rate"]  # rests on an assumed p


def test_a_survey_gives_the_bad_visit_complaint_and_recovery_rates(base):
    data = b"answer,count\nrespondents,1200\ndissatisfied,30\ncomplained,6\nresolved,2\n"
    p = calibrate(base, survey=data, with_loss=False).params
    assert (p.bad_visit_rate, p.complaint_rate, p.recovery_rate) == (30 / 1200, 6 / 30, 2 / 6)
    assert all(p.grades[n] == "measured" for n in ("bad_visit_rate", "complaint_rate", "recovery_rate"))
    assert "survey.csv (4 rows" in p.sources["bad_visit_rate"]


def test_twelve_answers_give_a_wide_range_and_twelve_hundred_a_narrow_one(base):
    def width(respondents: int, bad: int) -> float:
        data = f"answer,count\nrespondents,{respondents}\ndissatisfied,{bad}\n".encode()
        low, high = calibrate(base, survey=data, with_loss=False).params.ranges["bad_visit_rate"]
        return high - low

    assert width(1200, 100) < width(12, 1) / 5


def test_nps_is_graded_an_assumption_and_says_so(base):
    data = ("score\n" + "".join(f"{s}\n" for s in [10, 9, 9, 8, 7, 6, 3, 10, 9, 8] * 10)).encode()
    p = calibrate(base, survey=data, names={"survey": "nps.csv"}, with_loss=False).params
    assert p.bad_visit_rate == 20 / 100 and p.grades["bad_visit_rate"] == "assumption"
    assert "assumption" in p.sources["bad_visit_rate"] and "nps.csv" in p.sources["bad_visit_rate"]


def test_the_narrower_of_two_files_is_used_and_the_other_reported(base):
    survey = b"answer,count\nrespondents,100\ndissatisfied,5\ncomplained,3\nresolved,1\n"
    log = ("date,outcome\n" + "".join(f"2026-0{1 + i % 6}-1{i % 9},{'yes' if i % 4 == 0 else 'no'}\n"
                                      for i in range(400))).encode()
    cal = calibrate(base, complaints=log, survey=survey, with_loss=False)
    assert cal.params.recovery_rate == 100 / 400
    assert any("recovery_rate: two files give it" in c and "survey.csv gives 0.333" in c for c in cal.checks)


def test_strict_raises_and_lenient_keeps_each_files_error(base):
    bad = b"date,stars\n2026-01-05,9\n"
    log = b"date,outcome\n2026-01-05,yes\n2026-02-05,no\n"
    with pytest.raises(OwnDataError):
        calibrate(base, reviews=bad, complaints=log, with_loss=False)
    cal = calibrate(base, reviews=bad, complaints=log, strict=False, with_loss=False)
    assert "row 2, column 'stars'" in cal.errors["reviews"] and cal.params.recovery_rate == 0.5
    assert [f.kind for f in cal.files] == ["complaints"]


def test_the_calibrated_scenario_round_trips_through_its_file(base):
    cal = calibrate(base, reviews=_reviews(_review_rows()), survey=b"answer,count\nrespondents,50\ndissatisfied,2\n",
                    with_loss=False)
    assert parse_scenario(scenario_to_yaml(cal.params)) == cal.params


def test_customers_must_fit_the_market(base):
    with pytest.raises(ValueError, match="smaller than market_size"):
        calibrate(base, complaints=b"date\n2026-01-01\n", customers=base.market_size)


# --- the command line and the example data --------------------------------------------------------

def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "estimator", "calibrate", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _example_args() -> list[str]:
    return ["--reviews", str(EXAMPLES / "gas_station_reviews.csv"), "--complaints",
            str(EXAMPLES / "gas_station_complaints.csv"), "--survey", str(EXAMPLES / "gas_station_survey.csv")]


def test_the_command_line_calibrates_the_example_data_into_a_loadable_scenario(tmp_path):
    out = tmp_path / "calibrated.yaml"
    run = _run("gas_station", *_example_args(), "--customers", "2500", "--visits-per-month", "4.3",
               "--out", str(out), "--draws", "512")
    assert run.returncode == 0, run.stderr
    p = load_preset(out)
    for name in ("bad_visit_rate", "complaint_rate", "recovery_rate", "initial_rating", "review_rate_unhappy"):
        assert p.grades[name] == "measured", name
    assert "gas_station_survey.csv (1,200 rows, 2026-10-01 to 2026-10-31)" in p.sources["bad_visit_rate"]
    assert "gas_station_complaints.csv" in p.sources["recovery_rate"]
    for text in ("before", "after", "Revenue lost by not fixing", "EUR", "wrote"):
        assert text in run.stdout
    data = json.loads(_run("gas_station", *_example_args(), "--json", "--draws", "256").stdout)
    assert {c["name"] for c in data["changes"]} >= {"bad_visit_rate", "initial_rating"}
    assert data["loss_after"]["draws"] == 256


def _one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr[-500:])
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1 and run.stderr.startswith("error: ")
    return run.stderr


def test_command_line_mistakes_are_one_line_and_nothing_is_half_written(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,stars\n2026-01-05,4\n2026-01-06,6\n")
    out = tmp_path / "s.yaml"
    assert "bad.csv, row 3, column 'stars'" in _one_line_error(_run("gas_station", "--reviews", str(bad),
                                                                      "--out", str(out)))
    assert not out.exists()
    assert "No such file" in _one_line_error(_run("gas_station", "--reviews", str(tmp_path / "none.csv")))
    assert "does not exist" in _one_line_error(_run("gas_station", *_example_args(), "--out",
                                                    str(tmp_path / "no" / "s.yaml")))
    assert "at least one of" in _one_line_error(_run("gas_station"))
    assert "smaller than market_size" in _one_line_error(_run("gas_station", *_example_args(), "--customers", "20000"))
    assert "unknown preset" in _one_line_error(_run("nowhere", *_example_args()))
    assert "a directory" in _one_line_error(_run("gas_station", "--reviews", str(tmp_path)))
    assert "unrecognized arguments" in _one_line_error(_run("gas_station", "--bogus"))
    assert list(tmp_path.iterdir()) == [bad]


def test_the_example_data_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_data", EXAMPLES / "make_gas_station_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = {p.name: p.read_bytes() for p in module.write_all(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in module.write_all(tmp_path / "b")}
    assert first == second
    assert first == {name: (EXAMPLES / name).read_bytes() for name in first}  # the files in the repository


@given(st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 5)), min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(0, 800), st.sampled_from(["yes", "no", ""])), min_size=1, max_size=60),
       st.integers(1, 3000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_any_readable_files_calibrate_to_a_valid_scenario_with_every_mode_in_its_range(reviews, log, survey):
    base = load_preset("gas_station")
    review_data = _reviews([(END - timedelta(days=d), s) for d, s in reviews])
    log_data = ("date,outcome\n" + "".join(f"{(END - timedelta(days=d)).isoformat()},{o}\n" for d, o in log)).encode()
    survey_data = f"answer,count\nrespondents,{survey[0]}\ndissatisfied,{survey[1]}\n".encode()
    cal = calibrate(base, review_data, log_data, survey_data, with_loss=False)
    for change in cal.changes:
        if change.after_range is not None:
            assert change.after_range[0] <= change.after <= change.after_range[1], change
    assert parse_scenario(scenario_to_yaml(cal.params)) == cal.params
