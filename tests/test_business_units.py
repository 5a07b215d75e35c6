"""The business in its own units (issue 27): each block's formulas by hand, its defaults against its preset, bad
input refused by name, results within the catalogue's bounds or refused, and the way back from the model."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator import SPECS, Params, list_presets, load_preset
from estimator.model.scenarios.business_units import (BLOCKS, KINDS, MESSAGES, OUTLET_PRESETS, UNITS_BY_PRESET, UNITS_TEXTS,
                                            block_for, from_parameters, kinds_for, to_parameters)
from estimator.model.inputs.params import check_value
from tests.conftest import ROOT

BUSINESS = ("customers", "visits_per_month", "spend_per_visit")


def preset_values(preset: str, names: tuple[str, ...] = BUSINESS) -> dict[str, float]:
    params = load_preset(preset)
    return {name: float(getattr(params, name)) for name in names}


# The defaults reproduce the presets (hand calculations) ------------------------------------------------------

def test_hotel_defaults_reproduce_the_preset_to_its_two_digits():
    # 0.47 share × 120 rooms × 0.70 occupancy × 365 nights / 2 nights a stay / 1.2 stays a year = 6,004.25
    customers = 0.47 * 120 * 0.70 * 365 / 2 / 1.2
    assert customers == pytest.approx(6004.25)
    out = to_parameters("hotel")
    assert out["customers"] == 6004  # to the nearest whole customer
    assert float(f"{out['customers']:.2g}") == preset_values("hotel")["customers"] == 6000  # given to two digits
    assert 1.2 / 12 == pytest.approx(0.1) and out["visits_per_month"] == 0.1  # to 12 digits: 0.1, not 0.0999…
    assert out["spend_per_visit"] == 2 * 140 + 40 == 320 == preset_values("hotel")["spend_per_visit"]
    assert preset_values("hotel")["visits_per_month"] == 0.1


def test_online_shop_defaults_reproduce_the_preset_exactly():
    # 40,000 orders a month × 12 × 0.5 repeat share / 6 orders a year = 40,000; 6 / 12 = 0.5; 60 an order
    assert 40_000 * 12 * 0.5 / 6 == 40_000 and 6 / 12 == 0.5
    assert to_parameters("online_shop") == preset_values("online_shop") == {
        "customers": 40_000, "visits_per_month": 0.5, "spend_per_visit": 60}


def test_contact_centre_defaults_reproduce_the_preset_to_its_rounding():
    # 200,000 subscribers; 30,000 contacts / 200,000 = 0.15 a month; 40 EUR / 0.15 = 266.67, the preset's 267
    out, preset = to_parameters("contact_centre"), preset_values("contact_centre")
    assert out["customers"] == 200_000 == preset["customers"]
    assert out["visits_per_month"] == 30_000 / 200_000 == 0.15 == preset["visits_per_month"]
    assert out["spend_per_visit"] == pytest.approx(40 / 0.15) == pytest.approx(266.6667, abs=1e-4)
    assert round(out["spend_per_visit"]) == preset["spend_per_visit"] == 267


def test_restaurant_defaults_reproduce_the_preset_exactly():
    # 60 seats × 2 covers a seat a day × 25 days × 0.75 regulars' share / 1.5 visits a month = 1,500
    assert 60 * 2 * 25 * 0.75 / 1.5 == 1_500
    assert to_parameters("restaurant") == preset_values("restaurant") == {
        "customers": 1_500, "visits_per_month": 1.5, "spend_per_visit": 40}


@pytest.mark.parametrize("preset", ["gas_station", "gas_station_recovered", "folklore"])
def test_gas_station_defaults_reproduce_the_preset_to_its_rounding(preset):
    # 5,000 customers a week × 0.5 regulars' share / 1 visit a week = 2,500; 1 × 52 / 12 = 4.33, the preset's 4.3
    out, values = to_parameters("gas_station"), preset_values(preset)
    assert out["customers"] == 5_000 * 0.5 / 1 == 2_500 == values["customers"]
    assert out["visits_per_month"] == pytest.approx(52 / 12) and round(out["visits_per_month"], 1) == 4.3
    assert values["visits_per_month"] == 4.3 and out["spend_per_visit"] == 35 == values["spend_per_visit"]


def test_chain_defaults_are_the_gas_station_as_one_outlet_exactly():
    names = ("customers", "market_size", "visits_per_month", "spend_per_visit", "fix_cost_once", "fix_cost_per_month")
    # 1 outlet × 2,500 regulars, × 20,000 market, × 3,000 EUR once, × 600 EUR a month; 4.3 visits, 35 EUR
    assert to_parameters("chain") == preset_values("gas_station", names) == {
        "customers": 2_500, "market_size": 20_000, "visits_per_month": 4.3, "spend_per_visit": 35,
        "fix_cost_once": 3_000, "fix_cost_per_month": 600}


def test_airline_defaults_reproduce_the_preset_exactly():
    # 300,000 frequent flyers; 3 flights a year / 12 = 0.25 a month; 180 EUR a flight
    assert to_parameters("airline") == preset_values("airline") == {
        "customers": 300_000, "visits_per_month": 0.25, "spend_per_visit": 180}


def test_a_120_station_chain_gives_the_issues_figures():
    # 120 × 2,500 regulars = 300,000; 120 × 3,000 EUR = 360,000 once; 120 × 600 EUR = 72,000 a month
    out = to_parameters("chain", {"outlets": 120, "customers_per_outlet": 2_500, "fix_cost_once_per_outlet": 3_000,
                                  "fix_cost_per_month_per_outlet": 600})
    assert out["customers"] == 300_000 and out["fix_cost_once"] == 360_000 and out["fix_cost_per_month"] == 72_000
    assert out["market_size"] == 120 * 20_000 == 2_400_000
    chain = load_preset("gas_station").replace(**out)  # a valid scenario, the figures exactly
    assert (chain.customers, chain.fix_cost_once, chain.fix_cost_per_month) == (300_000, 360_000, 72_000)
    assert chain.value_range("fix_cost_once") == (180_000, 720_000)  # the range moves with the value


# Every formula at another point, by hand --------------------------------------------------------------------

HAND = [
    ("hotel", {"rooms": 80, "occupancy": 0.8, "stay_nights": 3, "rate_per_night": 100, "extras_per_stay": 50,
               "returning_share": 0.25, "stays_per_year": 2},
     # 0.25 × 80 × 0.8 × 365 / 3 / 2 = 973.33 → 973; 2 / 12; 3 × 100 + 50
     {"customers": 973, "visits_per_month": 2 / 12, "spend_per_visit": 350}),
    ("online_shop", {"orders_per_month": 10_000, "repeat_share": 0.3, "orders_per_year": 4, "order_value": 85},
     # 10,000 × 12 × 0.3 / 4 = 9,000; 4 / 12; 85
     {"customers": 9_000, "visits_per_month": 4 / 12, "spend_per_visit": 85}),
    ("contact_centre", {"subscribers": 50_000, "contacts_per_month": 12_500, "revenue_per_subscriber_month": 30},
     # 50,000; 12,500 / 50,000 = 0.25; 30 / 0.25 = 120
     {"customers": 50_000, "visits_per_month": 0.25, "spend_per_visit": 120}),
    ("restaurant", {"seats": 40, "turns_per_day": 3, "days_open_per_month": 30, "regulars_share": 0.5,
                    "regular_visits_per_month": 2, "bill_per_cover": 25},
     # 40 × 3 × 30 × 0.5 / 2 = 900; 2; 25
     {"customers": 900, "visits_per_month": 2, "spend_per_visit": 25}),
    ("gas_station", {"customers_per_week": 8_400, "regulars_share": 0.6, "regular_visits_per_week": 2,
                     "average_spend": 20},
     # 8,400 × 0.6 / 2 = 2,520; 2 × 52 / 12 = 8.667; 20
     {"customers": 2_520, "visits_per_month": 2 * 52 / 12, "spend_per_visit": 20}),
    ("chain", {"outlets": 7, "customers_per_outlet": 1_500, "outlet_visits_per_month": 1.5,
               "outlet_spend_per_visit": 40, "market_per_outlet": 60_000, "fix_cost_once_per_outlet": 2_500,
               "fix_cost_per_month_per_outlet": 1_500},
     # 7 × 1,500 = 10,500; 7 × 60,000 = 420,000; 7 × 2,500 = 17,500; 7 × 1,500 = 10,500
     {"customers": 10_500, "market_size": 420_000, "visits_per_month": 1.5, "spend_per_visit": 40,
      "fix_cost_once": 17_500, "fix_cost_per_month": 10_500}),
    ("airline", {"frequent_flyers": 50_000, "flights_per_year": 6, "fare_per_flight": 95},
     # 50,000; 6 / 12 = 0.5; 95
     {"customers": 50_000, "visits_per_month": 0.5, "spend_per_visit": 95}),
]


@pytest.mark.parametrize("kind, inputs, expected", HAND, ids=[case[0] for case in HAND])
def test_every_formula_matches_a_hand_calculation(kind, inputs, expected):
    out = to_parameters(kind, inputs)
    assert set(out) == set(expected) == set(block_for(kind).produces)
    for name, value in expected.items():
        assert out[name] == pytest.approx(value, rel=1e-9), name


def test_every_kind_has_a_hand_calculation_and_every_preset_a_kind():
    assert {case[0] for case in HAND} == set(KINDS) == set(BLOCKS)
    assert set(UNITS_BY_PRESET) == set(list_presets()) == {p.stem for p in (ROOT / "assumptions").glob("*.yaml")}
    assert set(UNITS_BY_PRESET.values()) | {"chain"} == set(KINDS)
    assert kinds_for("gas_station") == ("gas_station", "chain") and kinds_for("restaurant") == ("restaurant", "chain")
    assert kinds_for("hotel") == ("hotel",) and kinds_for("a_file_of_my_own") == ("chain",)
    assert set(OUTLET_PRESETS) <= set(UNITS_BY_PRESET)


@pytest.mark.parametrize("preset", list_presets())
def test_each_presets_block_at_its_defaults_makes_a_valid_scenario(preset):
    for kind in kinds_for(preset):
        scenario = load_preset(preset).replace(**to_parameters(kind))
        assert isinstance(scenario, Params)


# Declarations: the inputs are not model parameters; the texts can be translated ------------------------------

def test_inputs_are_declared_apart_from_the_catalogue_and_compute_only_catalogue_parameters():
    for block in BLOCKS.values():
        names = [item.name for item in block.inputs]
        assert len(names) == len(set(names)) and not set(names) & set(SPECS), block.kind
        assert set(block.produces) <= set(SPECS) and set(block.solves) == set(block.produces)
        assert set(block.solves.values()) | set(block.kept) == set(names)
        for item in block.inputs:
            assert item.lower <= item.default <= item.upper and item.step > 0 and item.label and item.unit, item
            assert item.check(item.default) == item.default
        for name in block.produces:  # every computed parameter has its formula, named by its catalogue label
            assert any(SPECS[name].label.lower() in formula.lower() for formula in block.formulas), (block.kind, name)


def test_every_text_a_block_shows_is_in_units_texts_once():
    shown = {block.title for block in BLOCKS.values()} | {block.note for block in BLOCKS.values()}
    for block in BLOCKS.values():
        shown |= set(block.formulas) | {t for item in block.inputs for t in (item.label, item.unit, item.help)}
    assert shown | set(MESSAGES) == set(UNITS_TEXTS) and len(UNITS_TEXTS) == len(set(UNITS_TEXTS))
    assert all(isinstance(text, str) and text.strip() for text in UNITS_TEXTS)


# Properties ---------------------------------------------------------------------------------------------------

@given(rooms=st.integers(10, 1_000), times=st.integers(1, 10))
def test_hotel_customers_scale_linearly_with_rooms(rooms, times):
    one, many = (to_parameters("hotel", {"rooms": r})["customers"] for r in (rooms, rooms * times))
    assert abs(many - times * one) <= (times + 1) / 2  # each rounded to the nearest whole customer
    exact = 0.47 * rooms * times * 0.70 * 365 / 2 / 1.2  # to the nearest whole customer, halves up
    assert many == math.floor(float(f"{exact:.12g}") + 0.5)


@given(orders=st.integers(1_000, 1_000_000), times=st.integers(1, 10))
def test_online_shop_customers_scale_linearly_with_orders(orders, times):
    one, many = (to_parameters("online_shop", {"orders_per_month": n})["customers"] for n in (orders, orders * times))
    assert many == times * one == orders * times  # × 12 × 0.5 / 6 = × 1


@given(outlets=st.integers(1, 4_000))
def test_chain_totals_scale_linearly_with_outlets(outlets):
    out = to_parameters("chain", {"outlets": outlets})
    assert out["customers"] == 2_500 * outlets and out["market_size"] == 20_000 * outlets
    assert out["fix_cost_once"] == 3_000 * outlets and out["fix_cost_per_month"] == 600 * outlets
    assert (out["visits_per_month"], out["spend_per_visit"]) == (4.3, 35)


INPUTS = [(kind, item) for kind, block in BLOCKS.items() for item in block.inputs]


def bad_value(item):
    outside = st.floats().filter(lambda x: not item.lower <= x <= item.upper)  # NaN, ±inf, negative, too large
    odd = st.sampled_from(["12", "", None, True, False, [1], 10**400, float("nan"), -1])
    fractional = st.floats(item.lower, item.upper).filter(lambda x: not x.is_integer())
    return st.one_of(outside, odd, fractional) if item.integer else st.one_of(outside, odd)


@given(data=st.data())
def test_bad_input_raises_a_value_error_naming_the_input_and_its_range(data):
    kind, item = data.draw(st.sampled_from(INPUTS))
    value = data.draw(bad_value(item))
    with pytest.raises(ValueError) as refused:
        to_parameters(kind, {item.name: value})
    assert f"({item.name})" in str(refused.value) and str(item.allowed()) in str(refused.value)


def test_bools_strings_and_unknown_names_are_refused_clearly():
    for value in (True, False, "0.5", None):
        with pytest.raises(ValueError, match=r"occupancy.*must be a finite number.*0 to 1"):
            to_parameters("hotel", {"occupancy": value})
    with pytest.raises(ValueError, match="unknown input.*roms; allowed: rooms"):
        to_parameters("hotel", {"roms": 100})
    with pytest.raises(ValueError, match="unknown kind of business 'boat'; known: hotel"):
        to_parameters("boat", {})
    with pytest.raises(ValueError, match=r"rooms.*= 1\.5 must be a whole number"):
        to_parameters("hotel", {"rooms": 1.5})


def inside(item):
    if item.integer:
        return st.integers(int(item.lower), int(item.upper)).map(float)
    return st.one_of(st.floats(item.lower, item.upper), st.sampled_from([item.lower, item.default, item.upper]))


@given(data=st.data())
def test_results_are_always_within_the_catalogues_bounds_or_refused(data):
    kind = data.draw(st.sampled_from(KINDS))
    inputs = {item.name: data.draw(inside(item), label=item.name) for item in block_for(kind).inputs}
    try:
        out = to_parameters(kind, inputs)
    except ValueError as refused:  # a result outside the catalogue: the message names the model parameter
        assert any(f"{name} = " in str(refused) for name in block_for(kind).produces), str(refused)
        return
    for name, value in out.items():
        check_value(SPECS[name], value)
        assert not SPECS[name].integer or value.is_integer()
    assert "market_size" not in out or out["customers"] < out["market_size"]


def test_a_refused_result_names_the_model_parameter():
    with pytest.raises(ValueError, match=r"Hotel: customers = 0 is outside the allowed range 1 to 10,000,000"):
        to_parameters("hotel", {"returning_share": 0})
    with pytest.raises(ValueError, match=r"customers = 2\.5e\+07 is outside"):
        to_parameters("chain", {"outlets": 10_000})
    with pytest.raises(ValueError, match="must be smaller than market_size"):
        to_parameters("chain", {"market_per_outlet": 2_000})


# The way back: the block filled from a scenario ---------------------------------------------------------------

@pytest.mark.parametrize("preset", list_presets())
def test_each_preset_fills_its_blocks_and_they_give_it_back(preset):
    params = load_preset(preset)
    for kind in kinds_for(preset):
        filled = from_parameters(kind, params)
        assert list(filled) == list(block_for(kind).defaults)
        back = to_parameters(kind, filled)
        for name, value in back.items():
            assert value == pytest.approx(float(getattr(params, name)), rel=1e-9), (kind, name)


def test_filling_keeps_the_kept_inputs_and_solves_the_others_by_hand():
    hotel = from_parameters("hotel", load_preset("hotel"))
    # share = 6,000 × 1.2 stays a year × 2 nights / (120 rooms × 0.70 × 365) = 14,400 / 30,660
    assert hotel["returning_share"] == pytest.approx(14_400 / 30_660) and hotel["stays_per_year"] == 1.2
    assert hotel["rate_per_night"] == (320 - 40) / 2 == 140 and hotel["rooms"] == 120
    contact = from_parameters("contact_centre", load_preset("contact_centre"))
    # 0.15 × 200,000 = 30,000 contacts; 267 × 0.15 = 40.05 EUR a month
    assert contact == {"subscribers": 200_000, "contacts_per_month": 30_000,
                       "revenue_per_subscriber_month": pytest.approx(40.05)}
    chain = from_parameters("chain", load_preset("restaurant"), {"outlets": 12})
    # 1,500 / 12 = 125 regulars; 60,000 / 12 = 5,000 market; 2,500 / 12 once; 1,500 / 12 = 125 a month
    assert chain["customers_per_outlet"] == 125 and chain["market_per_outlet"] == 5_000
    assert chain["fix_cost_per_month_per_outlet"] == 125 and chain["outlets"] == 12
    twelve = to_parameters("chain", {**from_parameters("chain", load_preset("restaurant")), "outlets": 12})
    assert (twelve["customers"], twelve["fix_cost_once"], twelve["fix_cost_per_month"]) == (18_000, 30_000, 18_000)


def test_filling_refuses_where_the_mapping_cannot_be_inverted_naming_the_input():
    with pytest.raises(ValueError, match=r"returning_share\) would have to be 78\.2779; allowed: 0 to 1"):
        from_parameters("hotel", {"customers": 1_000_000, "visits_per_month": 0.1, "spend_per_visit": 320})
    with pytest.raises(ValueError, match=r"rate_per_night\) would have to be -10"):
        from_parameters("hotel", {"customers": 100, "visits_per_month": 0.1, "spend_per_visit": 20})
    with pytest.raises(ValueError, match=r"orders_per_month\) would have to be inf"):
        from_parameters("online_shop", load_preset("online_shop"), {"repeat_share": 0})
    with pytest.raises(ValueError, match="customers must be a finite number"):
        from_parameters("airline", {"customers": float("nan"), "visits_per_month": 0.25, "spend_per_visit": 180})
    with pytest.raises(ValueError, match=r"occupancy.*outside the allowed range 0 to 1"):
        from_parameters("hotel", load_preset("hotel"), {"occupancy": 2})


def business(kind):
    values = {"customers": st.integers(1, 2_000_000).map(float), "visits_per_month": st.floats(0.05, 60),
              "spend_per_visit": st.floats(0.01, 100_000), "fix_cost_once": st.floats(0, 1e7),
              "fix_cost_per_month": st.floats(0, 1e6)}
    return st.fixed_dictionaries({name: values[name] for name in block_for(kind).produces if name in values})


@given(data=st.data())
def test_round_trip_where_invertible(data):
    kind = data.draw(st.sampled_from(KINDS))
    params = data.draw(business(kind))
    if "market_size" in block_for(kind).produces:
        params["market_size"] = params["customers"] * data.draw(st.integers(2, 40))
    try:
        filled = from_parameters(kind, params)
    except ValueError as refused:  # not invertible with the kept inputs: a solved input is named
        assert any(f"({name})" in str(refused) for name in block_for(kind).solves.values()), str(refused)
        return
    try:
        back = to_parameters(kind, filled)
    except ValueError as refused:  # e.g. rounding a solved whole-number input out of the catalogue's range
        assert "outside" in str(refused)
        return
    for name, value in params.items():
        assert back[name] == pytest.approx(value, rel=1e-9, abs=1e-9), name


@given(outlets=st.integers(1, 100), per_outlet=st.integers(1, 5_000), flyers=st.integers(1, 1_000_000))
def test_inputs_come_back_where_the_mapping_is_one_to_one(outlets, per_outlet, flyers):
    chain = {**block_for("chain").defaults, "outlets": outlets, "customers_per_outlet": per_outlet}
    assert from_parameters("chain", to_parameters("chain", chain), chain) == pytest.approx(chain)
    airline = {"frequent_flyers": flyers, "flights_per_year": 3.0, "fare_per_flight": 180.0}
    assert from_parameters("airline", to_parameters("airline", airline)) == pytest.approx(airline)


def test_the_methodology_gives_the_formulas_right_before_section_3():
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    start, end = text.index("### 2.5 Your business in its own units"), text.index("## 3. Where the loss comes from")
    assert start < end and text.index("### 2.4 Margin and capacity") < start
    section = text[start:end]
    for block in BLOCKS.values():
        assert f"`{block.kind}`" in section, block.kind
    assert "6004" in section and "266.67" in section and "300000" in section and "360000" in section
