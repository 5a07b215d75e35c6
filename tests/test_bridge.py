"""The bridge from the folk arithmetic to the model (MODEL.md §21, docs/methodology.md section 4).

Each step's size is checked against the change its label names, computed here on the headline's own
draws with runs of their own (one injected customer against the business without him, ``run_arms``
for the scenario as it is and with a full fix), not with the batch the story is computed in. The steps
add up to the headline mean on every preset; without uncertainty every mean is the run at the most
likely values, computed run by run (``tests/reference_story.py``); and every surface states the one
folk figure.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from pptx import Presentation

from estimator.model.engine.fixes import reported_plan
from estimator import Report, list_presets, load_preset
from estimator.model.explain.bridge import BRIDGE_STEPS, fix_step
from tests.reference_story import reference_bridge
from estimator.model.engine.core import iterate_months, monthly_discount
from estimator.model.engine.lanes import INJECTED, concat_lanes, flawless, lane_count, with_values
from estimator.model.engine.runs import run_arms
from estimator.present import i18n
from estimator.present.formatting import by_kind, money

PRESETS = list_presets()
REL = 1e-9


def _injected(lanes, horizon: int, **customer) -> np.ndarray:
    """Revenue lost each month (months × draws, undiscounted) to one extra unhappy customer at month 0 in
    each draw's flawless business, ``customer`` saying how he behaves (set in both runs)."""
    base = with_values(flawless(lanes), **customer)
    n = lane_count(lanes)
    loss = np.empty((horizon, n))
    for month in iterate_months(concat_lanes(base, with_values(base, **{INJECTED: 1.0})), horizon):
        if month.t < horizon:
            loss[month.t] = month.revenue[:n] - month.revenue[n:]
    return loss


def _per_draw(params, lanes) -> dict[str, np.ndarray]:
    """What each step's label names, per draw, from runs of its own."""
    horizon = int(params.horizon_months)
    delta = monthly_discount(lanes)
    discount = delta[None, :] ** np.arange(1, horizon + 1)[:, None]   # δ^(t+1)

    def pv(loss: np.ndarray) -> np.ndarray:
        return np.sum(loss * discount, axis=0)

    c, r = lanes["complaint_rate"], lanes["recovery_rate"]
    mix = (1 - c) * lanes["churn_silent"] + c * (1 - r) * lanes["churn_unresolved"] + c * r * lanes["churn_recovered"]
    shrug = pv(_injected(lanes, horizon))
    own = pv(_injected(lanes, horizon, tell_unhappy=0.0, review_rate_unhappy=0.0))
    mixed = pv(_injected(lanes, horizon, churn_unresolved=mix))
    average_by_month = _injected(lanes, horizon, churn_unresolved=mix, tell_unhappy=lanes["tell_unhappy"] * (1 - c * r),
                                 review_rate_unhappy=lanes["review_rate_unhappy"] * (1 - c * r))
    average = pv(average_by_month)
    unhappy = []
    as_is = run_arms(lanes, horizon, reported_plan(params), params.baseline, lambda m: unhappy.append(m.unhappy.copy())
                     if m.t < horizon else None)["pv_revenue_loss"]
    unhappy = np.array(unhappy)                                         # U_t, months × draws
    full = run_arms(lanes, horizon, {"bad_visit_rate": 0.0}, params.baseline)["pv_revenue_loss"]
    total, shrugged = unhappy.sum(axis=0), unhappy.sum(axis=0) * c * (1 - r)
    spend = lanes["visits_per_month"] * lanes["spend_per_visit"] * horizon   # f·s·H
    k = lanes["tell_unhappy"]
    # Timing, month by month: a customer unhappy in month t costs the first H − t months of the average
    # customer's run, discounted from t (δ^t times δ^(s+1) for its month s), instead of the whole run.
    timed = np.zeros_like(total)
    for t in range(horizon):
        timed += unhappy[t] * delta ** t * np.sum(average_by_month[:horizon - t] * discount[:horizon - t], axis=0)
    return {
        "folk": spend * (1 + k) * shrugged,
        "own": (own - spend) * shrugged,                                  # his own loss: f·s·H → rung 1
        "friends": (shrug - own - k * spend) * shrugged,                  # his friends: k_n·f·s·H → rungs 2-4
        "unhappy": shrug * (total - shrugged),                            # every unhappy customer, not only S
        "churn_mix": (mixed - shrug) * total,                             # q_u → the real churn mix
        "tellers": (average - mixed) * total,                             # only those not helped tell or review
        "timing": timed - average * total,                                # what counting from month t takes off
        "overlap": full - timed,                                          # the rest of the way to a full fix
        "partial_fix": as_is - full,                                      # the scenario's fix, not a full fix
        "scenario": as_is,
    }


@pytest.fixture(scope="module", params=[("gas_station", {}), ("folklore", {}), ("hotel", {}), ("airline", {}),
                                        ("gas_station", {"baseline": "flawless"})],
                ids=["gas_station", "folklore", "hotel", "airline", "gas_station-flawless"])
def case(request):
    name, changes = request.param
    report = Report(load_preset(name).replace(draws=400, **changes))
    return report, {key: float(np.mean(v)) for key, v in _per_draw(report.params, report.draws()).items()}


def test_each_step_is_the_change_its_label_names(case):
    report, expected = case
    steps = {step.key: step for step in report.bridge}
    scale = abs(steps["folk"].value)
    assert steps["folk"].value == pytest.approx(expected["folk"], rel=REL)
    for key in ("own", "friends", "unhappy", "churn_mix", "tellers", "timing"):
        assert abs(steps[key].change - expected[key]) <= REL * scale, key
    last = fix_step(reported_plan(report.params))
    if last is None:  # a full fix: the overlap step runs to the headline itself
        assert abs(steps["overlap"].change - (expected["overlap"] + expected["partial_fix"])) <= REL * scale
        assert abs(expected["partial_fix"]) <= REL * scale
    else:
        assert abs(steps["overlap"].change - expected["overlap"]) <= REL * scale
        assert abs(steps[last].change - expected["partial_fix"]) <= REL * scale
    assert expected["scenario"] == pytest.approx(report.mc.value("pv_revenue_loss"), rel=REL)


def test_the_labels_are_in_the_order_of_the_specification(case):
    report, _ = case
    order = [key for key, *_ in BRIDGE_STEPS]
    keys = [step.key for step in report.bridge]
    assert keys[:8] == order[:8] and keys == sorted(keys, key=order.index)
    assert len(keys) == (8 if fix_step(reported_plan(report.params)) is None else 9)


@pytest.mark.parametrize("name", PRESETS)
def test_the_steps_add_up_to_the_headline_mean(name):
    report = Report(load_preset(name).replace(draws=2_000))
    steps, loss = report.bridge, report.mc.value("pv_revenue_loss")
    assert steps[-1].value == loss
    assert abs(steps[0].value + sum(s.change for s in steps[1:]) - loss) <= REL * abs(loss)
    assert steps[0].value == report.ladder.folk[-1].value == report.story.folk  # one folk figure
    assert steps[6].key == "timing" and steps[6].change <= 0  # counting each from its month never adds


@pytest.mark.parametrize("name", PRESETS)
def test_without_uncertainty_the_means_are_the_run_at_the_most_likely_values(name):
    params = load_preset(name).without_uncertainty().replace(draws=8)
    means, at_modes = Report(params).bridge, reference_bridge(params)  # its steps from runs of their own
    assert [s.key for s in means] == [s.key for s in at_modes]
    scale = abs(at_modes[0].value)
    for mean, step in zip(means, at_modes):
        assert abs(mean.value - step.value) <= REL * scale, step.key
        assert abs(mean.change - step.change) <= REL * scale, step.key


def test_where_every_unhappy_customer_is_a_shrug_the_count_mix_and_tellers_steps_are_zero():
    """c = 1, r = 0: every unhappy customer complains and is shrugged off, so there are as many shrugs as
    unhappy customers, each leaves with q_u and tells: those three steps change nothing."""
    params = load_preset("gas_station").known("complaint_rate", "recovery_rate").replace(
        complaint_rate=1.0, recovery_rate=0.0, draws=200)
    steps = {s.key: s for s in Report(params).bridge}
    for key in ("unhappy", "churn_mix", "tellers"):
        assert abs(steps[key].change) <= 1e-12 * steps["folk"].value, key


def test_a_full_fix_has_no_fix_step_and_a_fix_that_also_changes_more_says_so():
    full = Report(load_preset("gas_station").replace(fix={"bad_visit_rate": 0.0}, draws=200))
    assert full.bridge[-1].key == "overlap" and full.bridge[-1].value == full.mc.value("pv_revenue_loss")
    more = Report(load_preset("gas_station").replace(fix={"bad_visit_rate": 0.0, "recovery_rate": 0.9}, draws=200))
    assert more.bridge[-1].key == "fix_also"
    # Without bad visits nobody complains: the recovery rate changes nothing, so the step is (nearly) 0.
    assert abs(more.bridge[-1].change) <= 1e-9 * more.bridge[0].value


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_every_surface_states_the_one_folk_figure_and_no_other(lang):
    from estimator.present.cli import render_table, report_data
    from estimator.present.deck import build_deck
    from estimator.present.story_steps import steps

    report = Report(load_preset("gas_station").replace(draws=500))
    folk = report.story.folk
    naive = report.ladder.naive_total  # one shrug × every customer not helped: no longer shown anywhere
    with i18n.use(lang):
        shown, other = money(folk, "EUR", compact=True), money(naive, "EUR", compact=True)
        presenter = steps(report)[3]
        deck = Presentation(io.BytesIO(build_deck(report)))
        slides = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) + " "
                  + s.notes_slide.notes_text_frame.text for s in deck.slides]
        table = render_table(report_data(report), report.params)
        in_table = by_kind("money", folk, "EUR")
    assert shown in presenter.sentence and other not in presenter.sentence + presenter.notes
    assert shown in slides[5] and shown in slides[4]  # the bridge's title and the ladder's footer
    assert not [s for s in slides if other in s]
    data = json.loads(json.dumps(report_data(report)))
    assert data["folk_figure"] == data["bridge"][0]["value"] == data["folk"][-1]["value"] == folk
    assert "naive_total" not in data
    assert table.count(in_table) == 2  # the folk arithmetic's last rung and the bridge's first step
