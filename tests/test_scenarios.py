"""Presets, validation and scenario files: every problem gets a clear message."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from estimator.model.inputs.fix_plans import Change
from estimator import CATALOGUE, SPECS, Params, ScenarioError, list_presets, load_preset, parse_scenario, scenario_to_yaml, simulate
from estimator.model.scenarios.scenario_files import MAX_SCENARIO_BYTES

EXPECTED_PRESETS = {"gas_station", "gas_station_recovered", "folklore", "online_shop", "hotel",
                    "restaurant", "contact_centre", "airline"}


def test_all_expected_presets_exist():
    assert EXPECTED_PRESETS <= set(list_presets())
    assert list_presets()[0] == "gas_station"


@pytest.mark.parametrize("name", sorted(EXPECTED_PRESETS))
def test_every_preset_loads_runs_and_cites_a_source_for_every_parameter(name):
    p = load_preset(name)
    r = simulate(p)
    assert math.isfinite(r.pv_revenue_loss) and r.pv_revenue_loss > 0
    assert p.name and p.description and p.currency == "EUR"
    missing = [s.name for s in CATALOGUE if s.name not in ("draws", "seed") and not p.sources.get(s.name)]
    assert not missing, f"{name}: no source for {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED_PRESETS))
def test_every_preset_value_is_graded_and_respects_the_evidence_or_says_why(name):
    """Model v2, docs/methodology.md section 8: every value graded; churn ordered as TARP's repurchase
    figures have it; good stories at least as persuasive as bad (East, Hammond & Lomax 2008); today's
    business at rest; business facts known (no range). Folklore keeps the story's own figures."""
    p = load_preset(name)
    ungraded = [s.name for s in CATALOGUE if s.name not in ("draws", "seed") and s.name not in p.grades]
    assert not ungraded, f"{name}: no grade for {ungraded}"
    assert "measured" not in p.grades.values()  # no preset holds a business's own data
    published = [k for k, grade in p.grades.items() if grade == "published"]
    assert all(any(ch.isdigit() for ch in p.sources[k]) for k in published), "a published value cites a year"
    assert not {"customers", "visits_per_month", "spend_per_visit"} & set(p.ranges)
    # The incremental margin is a known fact unless the preset says why not (v3, MODEL.md §19).
    assert "gross_margin" not in p.ranges or "incremental margin" in p.sources["gross_margin"]
    if name != "folklore":
        assert p.churn_silent >= p.churn_unresolved >= p.churn_recovered
        assert p.influence_positive >= p.influence_negative
        assert simulate(p).steady


def test_recovery_preset_loses_less_than_the_shrug():
    shrug = simulate(load_preset("gas_station")).pv_revenue_loss
    fixed = simulate(load_preset("gas_station_recovered")).pv_revenue_loss
    assert fixed < shrug


@pytest.mark.parametrize("name,value", [("bad_visit_rate", 1.5), ("bad_visit_rate", -0.1),
                                        ("stars_happy", 6), ("horizon_months", 121),
                                        ("customers", 0), ("memory_months", 0.5)])
def test_out_of_range_value_names_field_value_and_range(name, value):
    with pytest.raises(ValidationError) as info:
        Params(**{name: value})
    text = str(info.value)
    assert name in text and f"{value:g}" in text and SPECS[name].describe_range() in text


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_values_are_rejected(value):
    with pytest.raises(ValidationError, match="bad_visit_rate must be a finite number"):
        Params(bad_visit_rate=value)


def test_customers_must_be_fewer_than_the_market():
    with pytest.raises(ValidationError, match="customers = 30,000 must be smaller than market_size = 25,000"):
        Params(customers=30_000, market_size=25_000)


def test_params_are_immutable_and_replace_validates(gas_station):
    with pytest.raises(ValidationError):
        gas_station.bad_visit_rate = 0.5
    with pytest.raises(ValidationError):
        gas_station.replace(bad_visit_rate=2)
    with pytest.raises(ValueError, match="unknown parameter 'bad_vist_rate'"):
        gas_station.replace(bad_vist_rate=0.1)


def test_replace_keeps_the_relative_width_of_the_range(gas_station):
    low, high = gas_station.ranges["bad_visit_rate"]
    moved = gas_station.replace(bad_visit_rate=gas_station.bad_visit_rate * 2)
    assert moved.ranges["bad_visit_rate"] == pytest.approx((low * 2, high * 2))
    clamped = gas_station.replace(recovery_rate=0.95)  # 0.3/0.1 of the range would pass 1
    assert clamped.ranges["recovery_rate"][1] == 1.0
    assert clamped.ranges["recovery_rate"][0] <= 0.95


def test_range_must_contain_its_mode():
    with pytest.raises(ValidationError, match=r"must contain the value 0.02"):
        Params(bad_visit_rate=0.02, ranges={"bad_visit_rate": (0.03, 0.05)})


def test_yaml_round_trip_gives_identical_results(gas_station):
    again = parse_scenario(scenario_to_yaml(gas_station))
    assert again == gas_station
    assert simulate(again).pv_revenue_loss == simulate(gas_station).pv_revenue_loss


BAD_FILES = {
    "not yaml": ("parameters: {bad_visit_rate: [0.1", "not valid YAML"),
    "not a mapping": ("- just\n- a list\n", "expected a mapping"),
    "unknown top key": ("name: x\nprice: 3\n", "unknown top-level key"),
    "unknown parameter": ("parameters:\n  bad_vist_rate: 0.1\n", "unknown parameter"),
    "text for number": ("parameters:\n  bad_visit_rate: lots\n", "must be a number"),
    "bool for number": ("parameters:\n  bad_visit_rate: true\n", "must be a number"),
    "out of range": ("parameters:\n  bad_visit_rate: 3\n", "outside the allowed range"),
    "huge integer": ("parameters:\n  customers: " + "9" * 400 + "\n", "finite number"),
    "range without mode": ("parameters:\n  bad_visit_rate: {low: 0.1, high: 0.2}\n", "'mode' is missing"),
    "range on a setting": ("parameters:\n  horizon_months: {mode: 12, low: 6, high: 24}\n", "single number"),
    "alias": ("a: &x [1, 2]\nparameters: *x\n", "anchors"),
    "name not text": ("name: [1, 2]\n", "'name' must be text"),
    "binary": (b"\xff\xfe\x00garbage", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_files_are_refused_with_a_clear_message(case):
    text, message = BAD_FILES[case]
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text, origin="upload.yaml")


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    with pytest.raises(ScenarioError, match="anchors|aliases"):
        parse_scenario(bomb)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (10 * 1024 * 1024))
    with pytest.raises(ScenarioError, match=f"at most {MAX_SCENARIO_BYTES:,} bytes"):
        load_preset(big)


def test_unknown_preset_lists_the_available_ones():
    with pytest.raises(ScenarioError, match="available: gas_station"):
        load_preset("no_such_preset")


@pytest.mark.parametrize("text,message", [
    ("fix: {customers: 5}", "not a service setting a fix can change"),
    ("fix: {bad_visit_rate: 2}", "bad_visit_rate: the target 2 is outside the allowed range 0 to 1"),
    ("fix: {bad_visit_rate: abc}", "fix.bad_visit_rate: must be a number, or a change with a mode"),
    ("fix: {bad_visit_rate: {change: relative, mode: -1.5}}", "relative change of -1.5 is outside"),
    ("fix: {bad_visit_rate: {change: relative, mode: -0.5, low: -0.2}}", "must satisfy low <= mode <= high"),
    ("fix: [1, 2]", "'fix' must map service settings"),
    ("grades: {customers: surely}", "grades"),
    ("grades: {no_such: published}", "unknown parameter"),
    ("grades: {customers: 5}", "'grades' must map"),
    ("baseline: yesterday", "baseline"),
])
def test_a_bad_fix_grade_or_baseline_in_a_file_is_refused_with_a_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text, origin="mine.yaml")


def test_the_fix_grades_and_baseline_survive_the_file_round_trip():
    p = load_preset("hotel").model_copy(update={"baseline": "flawless",
                                                "fix": {"recovery_rate": Change.model_validate(0.95)}})
    again = parse_scenario(scenario_to_yaml(p))
    assert (again.baseline, again.fix, again.grades) == (p.baseline, p.fix, p.grades) and again == p
