"""Links that carry a whole scenario, version 2: deflated against a frozen preset dictionary, so a
calibrated scenario fits in a link; version-1 links still open."""

from __future__ import annotations

import base64
import hashlib
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import list_presets, load_preset
from estimator.model.scenarios import scenario_link
from estimator.model.own_data.calibration import calibrate
from estimator.model.scenarios.scenario_files import ScenarioError, scenario_to_yaml
from estimator.model.scenarios.scenario_link import MAX_LINK_TOKEN_CHARS, scenario_from_link_token, scenario_to_link_token

ROOT = Path(__file__).resolve().parents[1]

#: The dictionary's hash when version 2 was first written. A link written with it must open for good:
#: change the dictionary only under a new version marker.
FROZEN_SHA256 = "f6f96da5c36aeb91bf27a098196f683759ab3a7ac7077223c86b9bdec664fbf6"


def calibrated_gas_station():
    examples = ROOT / "docs" / "example_data"
    return calibrate(load_preset("gas_station"), reviews=(examples / "gas_station_reviews.csv").read_bytes(),
                     complaints=(examples / "gas_station_complaints.csv").read_bytes(),
                     survey=(examples / "gas_station_survey.csv").read_bytes(), customers=2500,
                     visits_per_month=4.3).params


def test_the_dictionary_is_frozen():
    assert hashlib.sha256(scenario_link.DICTIONARY_V2.read_bytes()).hexdigest() == FROZEN_SHA256


def test_a_calibrated_scenario_fits_in_a_link_now_and_comes_back_whole():
    params = calibrated_gas_station()
    old = base64.urlsafe_b64encode(zlib.compress(scenario_to_yaml(params).encode(), 9)).decode()
    token = scenario_to_link_token(params)
    assert len(old) > MAX_LINK_TOKEN_CHARS >= len(token) and len(token) < 6_000
    assert token.startswith("~2") and scenario_from_link_token(token) == params


@pytest.mark.parametrize("preset", list_presets())
def test_every_preset_comes_back_from_a_version_2_link_and_a_version_1_link(preset):
    params = load_preset(preset)
    assert scenario_from_link_token(scenario_to_link_token(params)) == params
    legacy = base64.urlsafe_b64encode(zlib.compress(scenario_to_yaml(params).encode(), 9)).decode().rstrip("=")
    if len(legacy) <= MAX_LINK_TOKEN_CHARS:
        assert scenario_from_link_token(legacy) == params  # links written before version 2 still open


@pytest.mark.parametrize("cut", [1, 10, 100])
def test_a_cut_or_damaged_version_2_token_is_one_clear_message(cut):
    token = scenario_to_link_token(load_preset("hotel"))
    for bad in (token[:-cut], token[:2] + "A" * cut + token[2 + cut:], "~2", "~2!!!"):
        with pytest.raises(ScenarioError):
            scenario_from_link_token(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~=", max_size=300))
def test_any_token_is_a_scenario_or_a_scenario_error(text):
    for token in (text, "~2" + text):
        try:
            scenario_from_link_token(token)
        except ScenarioError:
            pass
