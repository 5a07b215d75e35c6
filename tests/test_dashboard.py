"""The dashboard, headless (Streamlit AppTest): widgets, URL state, tabs, compare, bad input."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from estimator.app.typed import TYPED
from estimator.present.typed_numbers import read_number
from estimator import GROUPS, SPECS, load_preset, monte_carlo
from estimator.model.inputs.catalogue import specs_in_group
from estimator.present.formatting import money
from tests.conftest import ROOT
from tests.surfaces import as_shown

APP = str(ROOT / "dashboard.py")


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


class Typed:
    """A business fact's text box, seen as the slider it replaced: its value read as the page writes it,
    ``max`` the old slider's end, ``set_value`` typing the number as an English page would."""

    def __init__(self, at: AppTest, name: str) -> None:
        self.box, self.spec = at.text_input(key=f"typed_{name}"), SPECS[name]
        self.label, self.help = self.box.label, self.box.help

    @property
    def value(self) -> float:
        return read_number(self.box.value)

    @property
    def max(self) -> float:
        return self.spec.slider_upper

    def set_value(self, value: float):
        return self.box.set_value(f"{value:,}")


def widget(at: AppTest, name: str):
    """The widget of a setting, switching the sidebar to its group first (the fix's costs are
    on the "Fix it?" tab, which is opened instead); a business fact's text box as a ``Typed``."""
    group = SPECS[name].group
    if group == "The fix":
        if at.session_state["tab"] != "Fix it?":
            open_tab(at, "Fix it?")
        return Typed(at, name) if name in TYPED else at.slider(key=f"p_{name}")
    if at.radio(key="group_picker").value != group:
        at.radio(key="group_picker").set_value(group).run()
        assert not at.exception, at.exception
    if name in TYPED:
        return Typed(at, name)
    return at.number_input(key=f"p_{name}") if name in ("draws", "seed") else at.slider(key=f"p_{name}")


CARD = re.compile(r'<div class="shrug-card" data-label="([^"]*)">.*?<span class="shrug-card-tip" role="tooltip">'
                  r'(.*?)</span><span class="shrug-card-period">(.*?)</span></div><div class="shrug-card-value">(.*?)</div>'
                  r'<div class="shrug-card-band">(.*?)</div><div class="shrug-card-note">(.*?)</div></div>', re.S)


def cards_body(at: AppTest, name: str = "headline") -> str:
    """The HTML of the headline (or the fix tab's ``decision``) cards, as sent to the browser."""
    return next(h.proto.body for h in at.get("html") if f'data-cards="{name}"' in h.proto.body)


def cards(at: AppTest, name: str = "headline") -> dict[str, dict[str, str]]:
    """Cards as the page shows them: label -> value, band, note, period and help (unescaped)."""
    body = cards_body(at, name)
    return {html.unescape(label): {"value": html.unescape(value), "band": html.unescape(band),
                                   "note": html.unescape(note), "period": html.unescape(period),
                                   "help": html.unescape(help_text)}
            for label, help_text, period, value, band, note in CARD.findall(body)}


def metric(at: AppTest, label: str) -> str:
    return cards(at)[label]["value"]


def chart_titles(at: AppTest) -> list[str]:
    """Every chart's title, in page order."""
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["tab"] = name
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def app() -> AppTest:
    return run_app()


def test_opens_on_the_gas_station_with_headline_cards(app):
    assert app.selectbox(key="preset_picker").value == "gas_station"
    labels = list(cards(app))
    assert labels == ["Revenue lost", "Profit lost", "Customers lost", "Rating at horizon",
                      "Unhappy customer", "Net value of the fix"]
    mean = monte_carlo(load_preset("gas_station")).headline["pv_revenue_loss"].mean
    assert metric(app, "Revenue lost") == money(mean, "EUR", compact=True)
    assert app.query_params["preset"] == "gas_station"


def test_every_catalogue_parameter_has_a_widget_with_unit_and_help():
    at = run_app()
    for spec in SPECS.values():
        w = widget(at, spec.name)
        assert "Preset value" in w.help and spec.help[:20] in w.help
        assert w.value == pytest.approx(getattr(load_preset("gas_station"), spec.name))
        if spec.unit:
            assert spec.unit.replace("currency", "EUR") in w.label
    assert "EUR/visit" in widget(at, "spend_per_visit").label


@pytest.mark.parametrize("group", [g for g in GROUPS if g != "Simulation"])
def test_a_slider_in_each_group_changes_the_headline_and_the_url(group):
    at = run_app()
    card = "Net value of the fix" if group == "The fix" else "Revenue lost"  # what the fix costs moves its NPV
    before = metric(at, card)
    spec = next(s for s in specs_in_group(group) if s.name not in ("initial_rating", "initial_reviews"))
    slider = widget(at, spec.name)
    new_value = type(slider.value)(slider.max)  # the far end: a change no rounding can hide
    slider.set_value(new_value).run()
    assert not at.exception
    assert metric(at, card) != before, spec.name
    assert spec.name in at.query_params


def test_simulation_settings_change_the_run():
    at = run_app()
    widget(at, "horizon_months").set_value(60).run()
    assert at.query_params["horizon_months"] == "60"
    assert "5 years" in cards(at)["Revenue lost"]["help"]
    widget(at, "draws").set_value(2000).run()
    assert "2,000 draws" in at.main.caption[-1].value


def test_a_url_opens_the_exact_scenario():
    at = run_app({"preset": "hotel", "bad_visit_rate": "0.05", "tell_unhappy": "11"})
    assert at.selectbox(key="preset_picker").value == "hotel"
    assert widget(at, "bad_visit_rate").value == pytest.approx(0.05)
    assert widget(at, "tell_unhappy").value == pytest.approx(11)
    expected = monte_carlo(load_preset("hotel").replace(bad_visit_rate=0.05, tell_unhappy=11))
    assert metric(at, "Revenue lost") == money(expected.headline["pv_revenue_loss"].mean, "EUR", compact=True)
    assert not at.warning


@pytest.mark.parametrize("query,expected_note", [
    ({"bad_visit_rate": "lots"}, "is not a number"),
    ({"bad_visit_rate": "7"}, "outside"),
    ({"bad_visit_rate": "nan"}, "is not a number"),
    ({"customers": "-5"}, "outside"),
    ({"customers": "90000"}, "must be larger than the customers"),
    ({"preset": "<script>alert(1)</script>"}, "Unknown preset"),
    ({"no_such_thing": "1"}, "Ignored unknown setting"),
    ({"horizon_months": "1e9"}, "outside"),
    ({"a": "nope;bad_visit_rate=0.1"}, "pinned scenario"),
])
def test_a_bad_url_shows_a_note_and_falls_back_safely(query, expected_note):
    at = run_app(query)
    notes = " ".join(w.value for w in at.warning)
    assert expected_note in notes
    assert len(cards(at)) == 6  # the page still works


def test_settings_survive_switching_groups():
    at = run_app()
    widget(at, "tell_unhappy").set_value(15).run()
    widget(at, "spend_per_visit").set_value(50.0).run()
    assert widget(at, "tell_unhappy").value == 15
    assert at.query_params["tell_unhappy"] == "15" and at.query_params["spend_per_visit"] == "50"
    assert any("Changed from the preset (2)" in c.value for c in at.sidebar.caption)


def test_reset_and_preset_picker_restore_preset_values():
    at = run_app({"bad_visit_rate": "0.05"})
    next(b for b in at.button if b.label == "Reset to preset").click().run()
    assert widget(at, "bad_visit_rate").value == pytest.approx(load_preset("gas_station").bad_visit_rate)
    assert "bad_visit_rate" not in at.query_params
    at.selectbox(key="preset_picker").set_value("restaurant").run()
    assert widget(at, "spend_per_visit").value == pytest.approx(load_preset("restaurant").spend_per_visit)
    assert at.query_params["preset"] == "restaurant"


@pytest.mark.parametrize("tab,titles", [
    ("The story", ["The cost of one shrug"]),
    ("Over time", ["Cumulative revenue lost"]),
    ("Where it comes from", ["Where the loss comes from"]),
    ("What matters most", ["What matters most"]),
])
def test_each_chart_tab_draws_its_charts(tab, titles):
    at = open_tab(run_app(), tab)
    drawn = chart_titles(at)
    assert len(at.get("plotly_chart")) == len(titles)
    assert len(drawn) == len(titles)
    for expected, title in zip(titles, drawn):
        assert title.startswith(expected)


@pytest.mark.parametrize("label,title", [("Revenue lost each month", "Revenue lost each month"),
                                         ("Customers", "Customers: as it is vs with the fix"),
                                         ("Rating", "Online rating: as it is vs with the fix")])
def test_over_time_shows_one_chart_at_a_time_and_keeps_the_view_in_the_link(label, title):
    at = open_tab(run_app(), "Over time")
    at.segmented_control(key="over_time").set_value(label).run()
    assert not at.exception and [t.split(" (")[0] for t in chart_titles(at)] == [title]
    widget(at, "bad_visit_rate").set_value(0.03).run()  # a slider move keeps the view
    assert chart_titles(at)[0].startswith(title)
    reopened = run_app({"tab": "Over time", "over_time": label})  # as the link writes it
    assert chart_titles(reopened)[0].startswith(title) and reopened.query_params["over_time"] == label


def test_the_story_shows_one_shrug_or_everyone_and_the_link_keeps_it():
    at = open_tab(run_app(), "The story")
    at.segmented_control(key="story").set_value("From one shrug to everyone").run()
    assert not at.exception and chart_titles(at) == ["From one shrug × everyone to the model (present value)"]
    widget(at, "bad_visit_rate").set_value(0.03).run()  # a slider move keeps the view
    assert chart_titles(at)[0].startswith("From one shrug")
    reopened = run_app({"tab": "The story", "story": "From one shrug to everyone"})  # as the link writes it
    assert chart_titles(reopened)[0].startswith("From one shrug")
    assert run_app({"tab": "The story", "story": "<b>x</b>"}).get("plotly_chart")  # tampered: the first chart
    assert chart_titles(run_app({"tab": "The story", "story": "<b>x</b>"}))[0].startswith("The cost of one shrug")


@pytest.mark.parametrize("view", ["bogus", "", "customers", "Customers;drop", "Customers" * 50])
def test_a_tampered_over_time_view_shows_the_loss(view):
    at = run_app({"tab": "Over time", "over_time": view})
    assert not at.exception and chart_titles(at)[0].startswith("Cumulative revenue lost")
    assert not any("over_time" in w.value for w in at.warning)  # not mistaken for a setting


def test_a_link_with_a_tab_opens_that_tab_and_a_slider_move_keeps_it_in_the_link():
    at = run_app({"tab": "Over time", "tell_unhappy": "12"})
    assert chart_titles(at)[0].startswith("Cumulative revenue lost")
    widget(at, "bad_visit_rate").set_value(0.03).run()
    assert not at.exception
    assert at.query_params["tab"] == "Over time" and at.query_params["bad_visit_rate"] == "0.03"
    assert at.query_params["tell_unhappy"] == "12" and at.query_params["preset"] == "gas_station"


def test_a_moved_setting_keeps_its_value_while_its_group_is_hidden():
    at = run_app()
    widget(at, "tell_unhappy").set_value(17).run()
    for group in ("Online reviews", "Business", "Simulation"):
        at.radio(key="group_picker").set_value(group).run()
        assert not at.exception
        assert "tell_unhappy" in at.query_params
    assert widget(at, "tell_unhappy").value == 17
    assert at.query_params["tell_unhappy"] == "17"


def test_story_tab_tells_the_story_with_numbers():
    at = open_tab(run_app(), "The story")
    text = " ".join(m.value for m in at.markdown)
    assert "One shrug." in text and "He is not the only one." in text and "€" in text


def test_method_tab_lists_every_parameter_with_its_source():
    at = open_tab(run_app(), "Method & sources")
    table = as_shown(at.table[0].value)
    assert set(table["Name"]) == set(SPECS) and set(table["Grade"]) <= {"published", "assumption"}
    shown = table.loc[table["Name"] == "complaint_rate", "Source"].item()
    assert shown and shown == load_preset("gas_station").sources["complaint_rate"]
    text = next(m.value for m in at.markdown if "The monthly recurrence" in m.value)
    assert "$N_t = U_t - V_t$" in text and "`market_size`" in text  # maths left to KaTeX, code spans untouched


def test_compare_tab_pins_a_and_shows_b_beside_it():
    at = open_tab(run_app(), "Compare")
    assert any("Pin a scenario as A" in i.value for i in at.info)
    next(b for b in at.button if b.label.startswith("Pin current")).click().run()
    widget(at, "recovery_rate").set_value(0.9).run()
    widget(at, "complaint_rate").set_value(0.3).run()
    assert not at.exception
    table, differences = at.dataframe[0].value, at.dataframe[1].value
    assert list(table.columns)[1].startswith("A: Gas station") and list(table.columns)[2].startswith("B:")
    assert list(differences.iloc[0])[:2] == ["B − A", differences.iloc[0]["Revenue lost"]]
    loss = differences.iloc[0]["Revenue lost"]
    assert loss.startswith("−")  # B loses less revenue than A
    paired = next(m.value for m in at.markdown if "the mean of B − A" in m.value)
    assert paired.startswith("**B loses ") and "less revenue than A**" in paired, paired  # the sign in words
    # One number: the sentence's figure is the table's B − A (both the mean of the same paired draws).
    assert paired.startswith(f"**B loses {loss.lstrip('−').replace('.', chr(92) + '.')} less"), paired
    assert re.search(r"B loses less than A in \*\*\d+%\*\* of draws", paired), paired
    assert differences.iloc[0]["B loses less"] in paired
    assert chart_titles(at) == ["Cumulative revenue lost: A vs B (present value)", "Customers: A vs B"]
    assert at.query_params["a"] == "gas_station"
    # The link with the pinned scenario reopens both.
    again = open_tab(run_app(dict(at.query_params)), "Compare")
    assert again.dataframe[1].value.iloc[0]["Revenue lost"] == loss


def test_pin_a_preset_as_a():
    at = open_tab(run_app({"preset": "gas_station_recovered"}), "Compare")
    at.selectbox(key="pin_choice").set_value("gas_station").run()
    table = at.dataframe[0].value
    assert list(table.columns)[1] == "A: Gas station: the toilet and the shrug"
    assert at.query_params["a"] == "gas_station"


def _cells(table) -> list[str]:
    return [str(v) for v in table.to_numpy().ravel()] + [str(c) for c in table.columns]


def test_three_pinned_scenarios_beside_the_page_on_the_same_draws_kept_in_the_link():
    from estimator.app.compare import HEADER_CHARS, signed
    from estimator.model.engine.compare_many import compare_many
    from estimator.model.inputs.params import Params

    at = open_tab(run_app(), "Compare")
    pin = lambda: next(b for b in at.button if b.label.startswith("Pin current")).click().run()  # noqa: E731
    pin()  # A: the shrug as it is
    widget(at, "recovery_rate").set_value(0.9).run()
    pin()  # B: complaints put right
    at.selectbox(key="pin_choice").set_value("hotel").run()  # C: another business
    assert not at.exception, at.exception
    button = next(b for b in at.button if b.label.startswith(("Pin current", "Three")))
    assert button.disabled  # three are pinned: the page's scenario is D
    table, differences = at.dataframe[0].value, at.dataframe[1].value
    headers = list(table.columns)[1:]
    assert [h[:2] for h in headers] == ["A:", "B:", "C:", "D:"]
    assert all(len(h) <= HEADER_CHARS[4] + 3 for h in headers), headers  # short enough for 1280 px
    assert list(differences[""]) == ["D − A", "D − B", "D − C"]
    assert list(differences.columns)[3] == "D loses less"
    # Minus signs: one sign, "−", everywhere (money, people, stars).
    assert not [c for c in _cells(table) + _cells(differences) if re.search(r"(^|\s)-\d", c)]
    # Every figure from one paired run of the four scenarios (the page's last).
    pins = [Params.model_validate_json(at.session_state[k]) for k in ("pinned", "pinned_b", "pinned_c")]
    many = compare_many(pins + [pins[1]])  # the page's scenario is B's settings
    loss = many.difference(0, 3)["pv_revenue_loss"]
    assert differences.iloc[0]["Revenue lost"] == signed("money", loss.mean, "EUR")
    assert differences.iloc[1]["Revenue lost"] == "€0"  # B is the page's settings: no difference in any draw
    assert differences.iloc[1]["D loses less"] == "0%"
    sentences = [m.value for m in at.markdown if "over the same" in m.value and "differences fall" in m.value]
    assert len(sentences) == 3 and sentences[1].startswith("**D and B lose the same revenue on average**")
    assert chart_titles(at) == ["Cumulative revenue lost: A to D (present value)", "Customers: A to D"]
    assert at.query_params["a"] == "gas_station" and at.query_params["b"].startswith("gas_station;")
    assert at.query_params["c"] == "hotel"
    again = open_tab(run_app(dict(at.query_params)), "Compare")
    assert list(again.dataframe[1].value[""]) == ["D − A", "D − B", "D − C"]
    assert again.dataframe[1].value.equals(differences)
    # Unpinning A moves B and C up a letter, in the page and in the link.
    again.button(key="unpin_A").click().run()
    assert list(again.dataframe[1].value[""]) == ["C − A", "C − B"]
    assert again.query_params["a"].startswith("gas_station;") and again.query_params["b"] == "hotel"
    assert "c" not in again.query_params


def test_customer_count_above_the_market_is_clamped_with_a_note():
    at = run_app()
    widget(at, "customers").set_value(30_000).run()
    assert not at.exception
    assert any("must be larger than the customers" in w.value for w in at.warning)


def test_export_tab_offers_slides_data_images_and_scenario_file():
    at = open_tab(run_app(), "Export")
    labels = [b.proto.label for b in at.get("download_button")]
    for expected in ("Slides (PowerPoint", "Data (Excel", "Monthly series (CSV)", "Headline table (CSV)",
                     "Download these settings (YAML)"):
        assert any(label.startswith(expected) for label in labels), (expected, labels)
    assert any(label.startswith("PNG") for label in labels) or any("Chromium" in i.value for i in at.info)


def _decode(values) -> np.ndarray | None:
    """A Plotly data array from JSON: a list, or a typed array {"dtype", "bdata"} (base64)."""
    import base64

    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float)
    if isinstance(values, list):
        array = np.asarray(values, dtype=object).ravel()
        numeric = [v for v in array if isinstance(v, (int, float)) or v is None]
        if len(numeric) == len(array):
            return np.asarray([np.nan if v is None else v for v in numeric], dtype=float)
    return None


def chart_numbers(at: AppTest) -> list[np.ndarray]:
    """Every numeric array drawn in the page's charts (x, y, base, customdata)."""
    arrays = []
    for element in at.get("plotly_chart"):
        for trace in json.loads(element.proto.spec)["data"]:
            for attr in ("x", "y", "base", "customdata"):
                array = _decode(trace.get(attr))
                if array is not None and array.size:
                    arrays.append(array)
    return arrays


@pytest.mark.parametrize("name", [s.name for s in SPECS.values()])
def test_every_setting_out_of_range_in_the_url_is_clamped_with_a_note(name):
    spec = SPECS[name]
    at = run_app({name: str(spec.upper * 10 + 10)})
    assert any("outside" in w.value for w in at.warning), name
    assert widget(at, name).value <= spec.upper
    assert len(cards(at)) == 6


@pytest.mark.parametrize("query", [
    {"horizon_months": "1", "draws": "1"},
    {"horizon_months": "120", "draws": "1000"},
    {"bad_visit_rate": "1", "visits_per_month": "60"},
    {"bad_visit_rate": "0"},
    {"preset": "folklore", "customers": "1", "market_size": "2"},
    {"initial_reviews": "0", "review_rate_happy": "0", "review_rate_unhappy": "0"},
])
@pytest.mark.parametrize("tab", ["The story", "Over time", "Where it comes from", "What matters most"])
def test_extreme_settings_draw_every_chart_without_nan(query, tab):
    at = open_tab(run_app(query), tab)
    numbers = chart_numbers(at)
    if tab == "What matters most" and query.get("preset") == "folklore":  # certain scenario: no tornado
        assert any("no uncertain parameters" in i.value for i in at.info)
        return
    if tab == "What matters most" and query.get("draws") == "1":  # one draw has no fifths to compare
        assert any("at least 2 draws" in i.value for i in at.info)
        return
    assert numbers, "no chart drawn"
    for array in numbers:
        assert np.isfinite(array).all()
    assert all("nan" not in (card["value"] + card["band"]).lower() for card in cards(at).values())


def test_pickers_start_at_the_scenarios_own_preset_and_group():
    """A browser that mounts a picker late reports the picker's starting option as if chosen
    (seen under load: sessions fell back to the first preset). The starting option must be the
    session's own, so such a report changes nothing; a real choice still loads the preset."""
    at = run_app({"preset": "hotel", "seed": "7"})
    picker = at.selectbox(key="preset_picker")
    assert picker.options[picker.proto.default] == picker.format_func("hotel")
    group = at.radio(key="group_picker")
    assert group.options[group.proto.default] == group.format_func(at.session_state["group"])
    picker.set_value("hotel").run()  # the late browser's report
    assert at.query_params["preset"] == "hotel" and at.query_params["seed"] == "7"
    at.selectbox(key="preset_picker").set_value("airline").run()  # a real choice
    assert at.query_params["preset"] == "airline" and "seed" not in at.query_params


def test_cards_show_text_as_text_not_markup():
    from estimator.app.cards import Card, cards_html

    body = cards_html([Card("<b>X</b>", "3 yr", "<i>1</i>", "<a href=/x>y</a>", "&", "<script>z</script>")], "t")
    assert "<b>X" not in body and "<script>" not in body and "&lt;b&gt;X" in body
    shown = {html.unescape(label): html.unescape(value) for label, _, _, value, _, _ in CARD.findall(body)}
    assert shown == {"<b>X</b>": "<i>1</i>"}  # shown as typed, inert


def test_a_currency_with_markup_cannot_reach_the_page():
    at = run_app()
    hostile = load_preset("gas_station").model_dump() | {"currency": "<b>X</b>"}
    with pytest.raises(ValueError, match="currency"):
        type(load_preset("gas_station")).model_validate(hostile)
    assert not at.exception


def test_the_start_can_be_switched_to_a_flawless_business_and_the_link_keeps_it():
    at = run_app()
    today = metric(at, "Revenue lost")
    at.radio(key="start_from").set_value("flawless").run()
    assert not at.exception
    flawless = load_preset("gas_station").model_copy(update={"baseline": "flawless"})
    assert metric(at, "Revenue lost") == money(monte_carlo(flawless).headline["pv_revenue_loss"].mean, "EUR",
                                               compact=True) != today
    assert at.query_params["baseline"] == "flawless"
    again = run_app(dict(at.query_params))
    assert again.radio(key="start_from").value == "flawless" and metric(again, "Revenue lost") != today
    next(b for b in again.button if b.label == "Reset to preset").click().run()
    assert again.radio(key="start_from").value == "today" and "baseline" not in again.query_params


def test_a_bad_start_in_a_link_is_ignored_with_a_note():
    at = run_app({"baseline": "yesterday"})
    assert at.radio(key="start_from").value == "today"
    assert any("Ignored the start" in w.value for w in at.warning)


def test_a_page_waits_for_a_computing_slot_when_the_server_is_busy():
    import threading
    import time

    from estimator.app import compute

    at = AppTest.from_file(APP, default_timeout=120)
    taken = [compute._SLOTS.acquire(blocking=False) for _ in range(compute.HEAVY_SLOTS)]
    assert all(taken)  # every slot busy, as under other visitors' heavy scenarios
    released_at = []

    def free_them() -> None:
        time.sleep(1.0)
        released_at.append(time.perf_counter())
        for _ in taken:
            compute._SLOTS.release()

    threading.Thread(target=free_them).start()
    at.run()
    finished = time.perf_counter()
    assert not at.exception
    assert released_at and finished >= released_at[0]  # it waited for a slot, then computed
    assert cards(at)["Revenue lost"]["value"].startswith("€")
    assert compute._SLOTS.acquire(blocking=False)  # and gave its slot back
    compute._SLOTS.release()


def test_a_link_carries_an_uploaded_scenario_whole():
    from estimator.model.scenarios.scenario_link import scenario_to_link_token

    uploaded = load_preset("hotel").replace(name="My hotel", bad_visit_rate=0.08).model_copy(update={"currency": "USD"})
    link = {"preset": "gas_station", "file": scenario_to_link_token(uploaded), "tell_unhappy": "12"}
    again = run_app(link)  # the receiver sees the sender's file, currency and change
    assert not again.exception and not again.warning
    assert again.session_state["custom_base"] is not None
    expected = monte_carlo(uploaded.replace(tell_unhappy=12.0))
    assert cards(again)["Revenue lost"]["value"] == money(expected.headline["pv_revenue_loss"].mean, "USD", compact=True)
    assert again.query_params["file"] == link["file"] and again.query_params["tell_unhappy"] == "12"
    assert "bad_visit_rate" not in again.query_params  # changes are counted from the file, not the preset


@pytest.mark.parametrize("token", ["AAAA", "x" * 7000, "eJzLSM3JyQcABiwCFQ", "%%%"])
def test_a_damaged_file_in_a_link_falls_back_to_the_preset_with_a_note(token):
    at = run_app({"file": token, "bad_visit_rate": "0.02"})
    assert not at.exception
    assert any("Could not open the scenario file carried in the link" in w.value for w in at.warning)
    assert widget(at, "bad_visit_rate").value == pytest.approx(0.02)  # the rest of the link still applies


def test_a_visitor_who_moves_while_queued_does_not_lose_the_servers_slot(monkeypatch):
    """Moving a slider while "yours is next" stops the queued run inside ``waiting.empty()``, just
    after it took a slot; the slot must come back (else two such moves stalled the whole server)."""
    import threading
    import time

    from estimator.app import compute

    class Rerun(BaseException):  # what Streamlit raises in a run that a newer rerun replaces
        pass

    class Placeholder:
        def info(self, *args, **kwargs) -> None:
            pass

        def empty(self) -> None:
            raise Rerun

    monkeypatch.setattr(compute.st, "empty", Placeholder)
    taken = [compute._SLOTS.acquire(blocking=False) for _ in range(compute.HEAVY_SLOTS)]
    assert all(taken)
    threading.Thread(target=lambda: (time.sleep(0.3), compute._SLOTS.release())).start()  # one slot frees up
    with pytest.raises(Rerun):
        with compute.computing_slot():
            pytest.fail("the run was replaced before it computed")
    free = 0
    while compute._SLOTS.acquire(blocking=False):
        free += 1
    assert free == 1  # the slot that freed up is free again, not lost
    for _ in range(compute.HEAVY_SLOTS):
        compute._SLOTS.release()


_FREED_ARRAYS = """
import sys, numpy as np
def rss_mb():
    return next(int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmRSS'))
if sys.argv[1] == 'set':  # only here: what the app imports also moves glibc's heap, so "default" is NumPy alone
    from estimator.app.compute import return_large_arrays_to_the_system
    assert return_large_arrays_to_the_system()
a = np.ones(1 << 20); del a                     # a freed 8 MB array: glibc raises its threshold to 8 MB
base = rss_mb()
arrays, survivors = [], []
for _ in range(30):                             # 60 MB of 2 MB arrays with small objects kept between them
    arrays.append(np.ones(1 << 18))
    survivors.append(bytearray(4096))
del arrays
print(rss_mb() - base)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc (Linux)")
def test_freed_monte_carlo_arrays_go_back_to_the_system_on_the_server():
    """The server fixes glibc's threshold for arrays with pages of their own, so a visitor's freed
    arrays do not stay with the process (they did: +600 MB held after 8 heavy scenarios)."""
    import subprocess
    import sys

    held = {way: float(subprocess.run([sys.executable, "-c", _FREED_ARRAYS, way], cwd=ROOT, capture_output=True,
                                      text=True, check=True).stdout.split()[-1]) for way in ("default", "set")}
    assert held["set"] < 10 and held["default"] > 40, held  # 60 MB freed: kept by default, returned when set


def test_slides_and_workbook_are_made_with_the_page_for_the_scenario_and_its_pin():
    """Made with the page (a file made on click could be deleted by other visitors' runs before the
    browser fetched it); each is the real file of this scenario."""
    import io
    import zipfile

    from pptx import Presentation

    from estimator.app.export import export_files

    at = open_tab(run_app({"preset": "gas_station_recovered", "a": "gas_station"}), "Export")
    assert not at.exception
    scenario, pinned = load_preset("gas_station_recovered").model_dump_json(), at.session_state["pinned"]
    deck, workbook = export_files(scenario, pinned)[:2]
    alone = export_files(scenario, None).deck
    assert len(Presentation(io.BytesIO(deck)).slides) == len(Presentation(io.BytesIO(alone)).slides) + 1  # A vs B
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(workbook)).namelist()
