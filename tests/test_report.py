"""One report per scenario: each part computed on first use, once; every part a mean over the headline's draws."""

from __future__ import annotations

import json
import threading
import time

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from estimator import Report, channel_attribution, list_presets, load_preset, monte_carlo, simulate
from estimator.model.explain import report as report_module
from tests.reference_story import reference_ladder
from estimator.present.figures import CHARTS, fig_over_time


@pytest.fixture(scope="module")
def small():
    return load_preset("gas_station").replace(draws=600)


def test_a_new_report_computes_nothing_until_a_part_is_read(small):
    report = Report(small)
    assert report.computed() == []
    assert report.channels  # a mean over the headline's draws: the Monte Carlo comes first
    assert report.computed() == ["mc", "channels"]
    assert report.ladder.rungs  # the cost of one shrug and the bridge are one part, computed once
    assert report.computed() == ["mc", "channels", "story"]
    story = report.story
    report.bridge  # noqa: B018  (reading a part computes it)
    assert report.computed() == ["mc", "channels", "story"] and report.story is story
    assert "det" not in report.computed()  # no surface needs the run at the most likely values


def test_every_part_is_a_mean_over_the_headlines_draws_and_adds_up_to_it(small):
    report = Report(small)
    assert report.det.pv_revenue_loss == simulate(small).pv_revenue_loss
    assert report.mc.headline == monte_carlo(small).headline
    loss = report.mc.value("pv_revenue_loss")
    assert loss == report.mc.headline["pv_revenue_loss"].mean
    assert sum(report.channels.values()) == pytest.approx(loss, rel=1e-9)
    assert report.ladder.scenario_loss == pytest.approx(loss, rel=1e-9)
    assert report.bridge[-1].value == pytest.approx(loss, rel=1e-9)
    assert report.bridge[0].value + sum(step.change for step in report.bridge[1:]) == pytest.approx(loss, rel=1e-9)
    rows = report.tornado
    assert rows and [r.swing for r in rows] == sorted((r.swing for r in rows), reverse=True)
    assert all(r.low_value < r.high_value for r in rows)  # the lowest fifth of a parameter's draws, then the highest
    # Without uncertainty every draw is the run at the modes, and so is every mean.
    certain = Report(small.without_uncertainty().replace(draws=4))
    assert certain.mc.value("pv_revenue_loss") == pytest.approx(simulate(small.without_uncertainty()).pv_revenue_loss)
    assert certain.channels == pytest.approx(channel_attribution(small.without_uncertainty()))
    assert certain.ladder.rungs[-1].value == pytest.approx(reference_ladder(small.without_uncertainty()).rungs[-1].value)
    assert certain.tornado == []


def test_a_report_keeps_every_draw_only_when_asked(small):
    assert Report(small).mc.samples == {} and Report(small).mc.inputs == {}
    kept = Report(small, keep_draws=True).mc
    assert kept.samples["npv_fix"].shape == (600,) and kept.inputs["bad_visit_rate"].shape == (600,)


def test_a_part_read_by_many_threads_at_once_is_computed_once(small, monkeypatch):
    calls = []

    def slow_simulate(params):
        calls.append(params)
        time.sleep(0.05)
        return simulate(params)

    monkeypatch.setattr(report_module, "simulate", slow_simulate)
    report = Report(small)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(report.det)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(seen) == 8 and all(result is seen[0] for result in seen)


def test_a_report_reopens_from_its_json(small):
    assert Report.from_json(small.model_dump_json()).params == small


def test_the_chart_list_draws_every_chart_of_a_report_under_a_unique_name(small):
    report = Report(small)
    assert len({c.slug for c in CHARTS}) == len({c.title for c in CHARTS}) == len(CHARTS)
    for chart in CHARTS:
        figure = chart.build(report)
        assert figure.layout.title.text and len(figure.data) >= 1, chart.slug


@pytest.mark.parametrize("preset", list_presets())
def test_every_chart_passes_plotly_property_checks_on_every_preset(preset):
    """The page builds figures without Plotly's checks (for speed); here each one goes through them."""
    report = Report(load_preset(preset).replace(draws=256))
    built = [chart.build(report) for chart in CHARTS]
    built += [fig_over_time(report.mc, report.params.currency, "bogus")]  # an unknown view: the cumulative chart
    for figure in built:
        checked = go.Figure(figure.to_dict())  # raises ValueError on any property Plotly does not know or accept
        assert _spec(checked) == _spec(figure), figure.layout.title.text  # and the checks change nothing


def _spec(figure: go.Figure) -> dict:
    """A figure as the browser gets it, without empty lists (the checks drop ``shapes=[]``)."""
    def drop_empty(value):
        if isinstance(value, dict):
            return {k: drop_empty(v) for k, v in value.items() if v != []}
        return [drop_empty(v) for v in value] if isinstance(value, list) else value
    return drop_empty(json.loads(pio.to_json(figure, validate=False)))


def test_the_property_check_catches_a_bad_property():
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "scatter", "colour": "red"}]})
